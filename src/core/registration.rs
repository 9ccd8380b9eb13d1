//! The anonymous registration record a counsellor keeps of every submitted case: the
//! numbers the yearly report is made of, and nothing else.
//!
//! It is kept apart from the case (its own store tree, sealed with the system key, not
//! the case key) so that it outlives the case's erasure, and it holds no free text, no
//! token, no date finer than a month: nothing that leads back to a person or a case.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::case::Case;
use super::io::{CaseChange, Effects};

/// Random name of a registration record. The case knows it; the record does not know the
/// case, so once the case is erased nothing links the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RegistrationId(pub [u8; 16]);

impl RegistrationId {
    pub fn random(rng: &mut dyn rand::RngCore) -> RegistrationId {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        RegistrationId(bytes)
    }
}

/// How a closed case was handled (the outcomes counsellors register, DOMAIN.md).
pub const OUTCOMES: &[&str] = &[
    "listening-ear",
    "advice",
    "referral",
    "mediation",
    "formal-complaint",
    "police-report",
    "withdrawn",
];

/// What kind of contact a record counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactKind {
    /// Someone it happened to (every record made before kinds were kept).
    #[default]
    Report,
    /// A manager, colleague or witness asking advice (seed 000: "consultatie").
    Consultation,
    /// Someone accused, referred elsewhere: no case, only this count.
    Accused,
}

impl ContactKind {
    pub const ALL: [ContactKind; 3] = [
        ContactKind::Report,
        ContactKind::Consultation,
        ContactKind::Accused,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ContactKind::Report => "report",
            ContactKind::Consultation => "consultation",
            ContactKind::Accused => "accused",
        }
    }
}

pub use super::dialog::ROLE_ANSWER;

/// One case, as counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The organisation counted for, when the bot serves several (`None`: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default)]
    pub kind: ContactKind,
    /// Someone accused who talked with the organisation's counsellor for the accused
    /// (a case, with its own outcome and promise); `false` for a referral.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub supported: bool,
    /// Year of first contact (submission), in the organisation's time zone.
    pub year: i16,
    /// Month of first contact, 1-12.
    pub month: i8,
    /// Category option id; `None` when the reporter skipped the question.
    pub category: Option<String>,
    /// Unit or region, where the organisation registers them.
    pub unit: Option<String>,
    /// What the reporter wanted (wish option ids).
    pub wishes: Vec<String>,
    /// One of [`OUTCOMES`] once closed; `None` while open.
    pub outcome: Option<String>,
    /// Time the counsellors spent, in minutes.
    pub minutes: u32,
    /// The same minutes by the month they were spent in (`YYYY-MM`); empty in records
    /// made before it was kept (see [`Registration::minutes_in`]).
    #[serde(default)]
    pub minutes_by_month: BTreeMap<String, u32>,
    /// Whether first contact came within the promised time; `None` while neither is
    /// known yet.
    pub promise_kept: Option<bool>,
    pub escalated: bool,
}

/// A month as the records name it: `2026-11`.
pub fn month_key(at: &jiff::Zoned) -> String {
    format!("{:04}-{:02}", at.year(), at.month())
}

impl Registration {
    /// Minutes spent in the month `key` (`YYYY-MM`). A record without months (older
    /// than them) counts all its time in the month the case came in.
    pub fn minutes_in(&self, key: &str) -> u32 {
        if self.minutes_by_month.is_empty() {
            let came_in = format!("{:04}-{:02}", self.year, self.month);
            return if came_in == key { self.minutes } else { 0 };
        }
        self.minutes_by_month.get(key).copied().unwrap_or(0)
    }

    /// The quarter (1-4) of first contact.
    pub fn quarter(&self) -> u8 {
        ((self.month.clamp(1, 12) - 1) / 3 + 1) as u8
    }
}

/// The answer name of an optional intake question about the reporter's unit or region.
pub const UNIT_ANSWER: &str = "unit";

impl Registration {
    /// The record of a submitted case as it stands; `None` before submission (an intake
    /// that was never sent is not a contact).
    pub fn of(case: &Case, tz: &jiff::tz::TimeZone) -> Option<Registration> {
        let submitted = case.submitted_at?.to_zoned(tz.clone());
        let promise_kept = if case.deadline_missed {
            Some(false)
        } else if case.first_contact_at.is_some() {
            Some(true)
        } else {
            None
        };
        let kind = match case.answers.choice(ROLE_ANSWER) {
            Some("advice") => ContactKind::Consultation,
            // Only with a counsellor for the accused does an accused person have a case.
            Some("accused") => ContactKind::Accused,
            _ => ContactKind::Report,
        };
        Some(Registration {
            organisation: case.organisation.clone(),
            kind,
            supported: kind == ContactKind::Accused,
            year: submitted.year(),
            month: submitted.month(),
            category: case.answers.choice("category").map(str::to_owned),
            unit: case.answers.choice(UNIT_ANSWER).map(str::to_owned),
            wishes: case.answers.choices("wishes"),
            outcome: case.outcome.clone(),
            minutes: case.minutes_spent,
            minutes_by_month: by_month(case, &submitted),
            promise_kept,
            escalated: case.escalated,
        })
    }
}

/// The case's minutes by month; what was logged before months were kept counts in the
/// month it came in.
fn by_month(case: &Case, submitted: &jiff::Zoned) -> BTreeMap<String, u32> {
    let mut months = case.minutes_by_month.clone();
    let kept: u32 = months.values().sum();
    let before = case.minutes_spent.saturating_sub(kept);
    if before > 0 {
        *months.entry(month_key(submitted)).or_default() += before;
    }
    months
}

/// Gives a saved or erased, submitted case its registration record, in the same effects
/// (so the store writes both in one transaction). Called for every input, so no handler
/// can forget it.
pub fn attach(effects: &mut Effects, tz: &jiff::tz::TimeZone, rng: &mut dyn rand::RngCore) {
    // Someone referred elsewhere: counted as the draft goes, under a fresh id (the
    // draft, and so any link to it, is erased in the same effects).
    if let CaseChange::Erase(case) = &effects.case
        && let (Some(at), None) = (case.referred_at, case.submitted_at)
    {
        let at = at.to_zoned(tz.clone());
        effects.registration = Some((
            RegistrationId::random(rng),
            Registration {
                organisation: case.organisation.clone(),
                kind: ContactKind::Accused,
                supported: false,
                year: at.year(),
                month: at.month(),
                category: None,
                unit: None,
                wishes: Vec::new(),
                outcome: None,
                minutes: 0,
                minutes_by_month: BTreeMap::new(),
                promise_kept: None,
                escalated: false,
            },
        ));
        return;
    }
    let case = match &mut effects.case {
        CaseChange::Save(case) | CaseChange::Erase(case) => case,
        CaseChange::Unchanged => return,
    };
    let Some(record) = Registration::of(case, tz) else {
        return;
    };
    let id = *case
        .registration
        .get_or_insert_with(|| RegistrationId::random(rng));
    effects.registration = Some((id, record));
}
