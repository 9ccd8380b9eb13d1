//! A case: everything the bot keeps about one report, from the first `/start` on.
//! Stored sealed with the case's own key; never leaves the process unsealed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::address::ReporterAddress;
use super::clocks::{Clock, Promise};
use super::dialog::{Answers, Position};
use super::ids::{CaseId, Token};
use super::registration::RegistrationId;
use super::resume::ResumeCode;
use super::shared::AttemptLock;
use super::time::Timestamp;
use crate::i18n::Lang;

/// Where a case stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// The intake dialog is running; nothing has gone to a counsellor.
    Intake,
    /// Submitted: a counsellor is assigned and messages are relayed.
    Open,
    /// Closed by the counsellor.
    Closed,
}

/// What a scheduled wake-up is for. Ordered, so a case's timers form a sorted map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TimerKind {
    /// An unfinished intake is erased after a period of silence.
    IntakeExpiry,
    /// A closed case's retention ends: its transcript goes, and the case itself once
    /// nothing (an aftercare check-in) is waiting.
    Retention,
    /// The aftercare check-in the reporter agreed to at closing.
    Aftercare,
    // A reminder and a deadline per promise (unit variants: timer kinds are map keys
    // in the stored case, and JSON map keys must be strings).
    FirstContactReminder,
    FirstContactDeadline,
    AcknowledgeReminder,
    AcknowledgeDeadline,
    FeedbackReminder,
    FeedbackDeadline,
    /// The daily digest of cases due (the system's own timer, not a case's).
    Digest,
}

impl TimerKind {
    pub fn reminder(promise: Promise) -> TimerKind {
        match promise {
            Promise::FirstContact => TimerKind::FirstContactReminder,
            Promise::IntegrityAcknowledge => TimerKind::AcknowledgeReminder,
            Promise::IntegrityFeedback => TimerKind::FeedbackReminder,
        }
    }

    pub fn deadline(promise: Promise) -> TimerKind {
        match promise {
            Promise::FirstContact => TimerKind::FirstContactDeadline,
            Promise::IntegrityAcknowledge => TimerKind::AcknowledgeDeadline,
            Promise::IntegrityFeedback => TimerKind::FeedbackDeadline,
        }
    }

    /// The promise a reminder or deadline belongs to, and whether it is the deadline.
    pub fn promise(self) -> Option<(Promise, bool)> {
        Some(match self {
            TimerKind::FirstContactReminder => (Promise::FirstContact, false),
            TimerKind::FirstContactDeadline => (Promise::FirstContact, true),
            TimerKind::AcknowledgeReminder => (Promise::IntegrityAcknowledge, false),
            TimerKind::AcknowledgeDeadline => (Promise::IntegrityAcknowledge, true),
            TimerKind::FeedbackReminder => (Promise::IntegrityFeedback, false),
            TimerKind::FeedbackDeadline => (Promise::IntegrityFeedback, true),
            _ => return None,
        })
    }
}

/// Which transcript record a counsellor's event became, and who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    pub seq: u64,
    pub sender: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    /// The organisation (`[[organisation]] id`) the case belongs to, when the bot serves
    /// several; `None`: the first (or only) one. Decides whose counsellors see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Shown to the reporter once the intake is confirmed; the only name counsellors see.
    pub token: Token,
    /// The reporter's chats (more than one after linking another device).
    pub reporters: Vec<ReporterAddress>,
    pub lang: Lang,
    pub status: Status,
    /// The dialog the reporter is in, if any.
    pub dialog: Option<Position>,
    /// The language list is showing: a typed number or name picks a language.
    #[serde(default)]
    pub picking_language: bool,
    pub answers: Answers,
    pub created_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    /// Matrix id of the assigned counsellor.
    pub counsellor: Option<String>,
    /// When a counsellor first reached the reporter (stops the 48-hour clock).
    pub first_contact_at: Option<Timestamp>,
    /// Wake-ups the scheduler owes this case; the store keeps its time index in step.
    pub timers: BTreeMap<TimerKind, Timestamp>,
    /// Number of transcript records so far (the next record's position).
    pub transcript_len: u64,
    /// When the counsellor closed the case (`!close`).
    #[serde(default)]
    pub closed_at: Option<Timestamp>,
    /// How the case was handled, one of `registration::OUTCOMES`.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Time spent, from `!time`.
    #[serde(default)]
    pub minutes_spent: u32,
    /// The same time by the month it was spent in (`YYYY-MM`, the organisation's time
    /// zone), for the monthly hours statement. Time logged before this was kept counts
    /// in the month the case came in (see `registration`).
    #[serde(default)]
    pub minutes_by_month: BTreeMap<String, u32>,
    /// When the person was referred elsewhere (someone accused): the draft is then
    /// erased, and only this moment is counted, anonymously.
    #[serde(default)]
    pub referred_at: Option<Timestamp>,
    /// The coordinator was brought in (by a counsellor or at a missed deadline).
    #[serde(default)]
    pub escalated: bool,
    /// Messages of this case that could not be delivered (set aside as dead letters).
    #[serde(default)]
    pub undelivered: u32,
    /// Files kept in the case so far (bounded by `limits.max_files_per_case`).
    #[serde(default)]
    pub files_kept: u32,
    /// When a message to the reporter, and to the room, last failed for good: a side
    /// that just failed is not sent a notice about the other's failure (both sides gone
    /// would otherwise notify each other for ever).
    #[serde(default)]
    pub unreachable_reporter_at: Option<Timestamp>,
    #[serde(default)]
    pub unreachable_room_at: Option<Timestamp>,
    /// The first-contact deadline passed without contact.
    #[serde(default)]
    pub deadline_missed: bool,
    /// The case's anonymous registration record, once submitted.
    #[serde(default)]
    pub registration: Option<RegistrationId>,
    /// The transcript and free-text answers are gone (retention); what is left only
    /// routes an aftercare check-in.
    #[serde(default)]
    pub purged: bool,
    /// When a closing or aftercare question was put to the reporter, still unanswered.
    #[serde(default)]
    pub waiting_since: Option<Timestamp>,
    /// The promises running for this case (first contact; the whistleblower clocks).
    #[serde(default)]
    pub clocks: BTreeMap<Promise, Clock>,
    /// Counsellors the bot brought into the case room (assigned, escalated to, handed
    /// over to); only they may steer the case or speak to the reporter.
    #[serde(default)]
    pub members: Vec<String>,
    /// Counsellor messages relayed to the reporter, by their event id: edits and
    /// deletions of them follow them to the reporter.
    #[serde(default)]
    pub relayed: BTreeMap<String, RecordRef>,
    /// `!note`s by their event id: an edit updates the note, and is never relayed.
    #[serde(default)]
    pub notes: BTreeMap<String, RecordRef>,
    /// Nobody the reporter did not exclude could be assigned or brought in: flagged in
    /// `!status` and the daily digest until the case closes.
    #[serde(default)]
    pub nobody_left: bool,
    /// A handover waiting for the new counsellor to speak: the one handing over.
    #[serde(default)]
    pub handing_over: Option<String>,
    /// The `/resume` code shown once at submission, as a salted hash.
    #[serde(default)]
    pub resume_code: Option<ResumeCode>,
    /// Wrong `/resume` attempts at this case's code.
    #[serde(default)]
    pub resume_lock: Option<AttemptLock>,
}

impl Case {
    pub fn new(
        id: CaseId,
        token: Token,
        reporter: ReporterAddress,
        lang: Lang,
        now: Timestamp,
    ) -> Case {
        Case {
            id,
            organisation: None,
            token,
            reporters: vec![reporter],
            lang,
            status: Status::Intake,
            dialog: None,
            picking_language: false,
            answers: Answers::default(),
            created_at: now,
            submitted_at: None,
            counsellor: None,
            first_contact_at: None,
            timers: BTreeMap::new(),
            transcript_len: 0,
            closed_at: None,
            outcome: None,
            minutes_spent: 0,
            minutes_by_month: BTreeMap::new(),
            referred_at: None,
            escalated: false,
            undelivered: 0,
            files_kept: 0,
            unreachable_reporter_at: None,
            unreachable_room_at: None,
            deadline_missed: false,
            registration: None,
            purged: false,
            waiting_since: None,
            clocks: BTreeMap::new(),
            members: Vec::new(),
            relayed: BTreeMap::new(),
            notes: BTreeMap::new(),
            nobody_left: false,
            handing_over: None,
            resume_code: None,
            resume_lock: None,
        }
    }
}
