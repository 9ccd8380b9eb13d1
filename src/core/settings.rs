//! The resolved settings the core works with (built from the config file by `config`).

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Female,
    Male,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CounsellorKind {
    Internal,
    External,
}

/// A configured counsellor.
#[derive(Debug, Clone, PartialEq)]
pub struct Counsellor {
    pub matrix_id: String,
    /// The only thing about the counsellor a reporter learns.
    pub first_name: String,
    pub gender: Gender,
    pub kind: CounsellorKind,
    pub languages: Vec<Lang>,
    /// Units or regions this counsellor serves; none means all.
    pub regions: Vec<String>,
    pub max_open_cases: u32,
}

impl Counsellor {
    pub fn serves(&self, unit: &str) -> bool {
        self.regions.is_empty() || self.regions.iter().any(|r| r == unit)
    }
}

/// Who may handle cases.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Roster {
    pub counsellors: Vec<Counsellor>,
    /// Receives cases no one fits and escalations.
    pub coordinator: Option<Counsellor>,
    pub backup: Option<Counsellor>,
}

impl Roster {
    /// Everyone who may speak in case rooms.
    pub fn everyone(&self) -> impl Iterator<Item = &Counsellor> {
        self.counsellors
            .iter()
            .chain(self.coordinator.iter())
            .chain(self.backup.iter())
    }

    pub fn find(&self, matrix_id: &str) -> Option<&Counsellor> {
        self.everyone().find(|c| c.matrix_id == matrix_id)
    }

    /// Whether a reporter can really choose between an internal and an external
    /// counsellor (the coordinator and backup are not chosen, so they do not count).
    pub fn has_both_kinds(&self) -> bool {
        let has = |kind| self.counsellors.iter().any(|c| c.kind == kind);
        has(CounsellorKind::Internal) && has(CounsellorKind::External)
    }
}

/// Everything the core needs besides dialogs and texts.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The organisation's name, as texts show it.
    pub organisation: String,
    /// Its `[[organisation]] id` when the bot serves several (kept in its cases and
    /// records); `None` when it serves one.
    pub organisation_id: Option<String>,
    /// The unguessable code that leads an employee to it (`/start CODE`, or the code as
    /// a first message); required when the bot serves several.
    pub code: Option<String>,
    /// The organisation's units or regions a reporter may name (none: not asked).
    pub units: Vec<String>,
    /// The Matrix room where HR may be told support was given (`!inform-hr`), only ever
    /// with the employee's yes; `None`: not set up.
    pub hr_room: Option<String>,
    pub default_lang: Lang,
    /// Language of everything the bot writes in case rooms.
    pub counsellor_lang: Lang,
    pub timezone: jiff::tz::TimeZone,
    /// The promise: first contact within this time of submitting (48 hours).
    pub first_contact: SignedDuration,
    /// An unfinished intake is erased after this much silence.
    pub intake_expiry: SignedDuration,
    /// Longest message a reporter may send, in characters.
    pub max_message_chars: usize,
    pub roster: Roster,
    /// A separate counsellor for people who have been accused (seed 004: the others
    /// cannot support both sides), with the organisation's coordinator and backup; `None`:
    /// the accused are referred elsewhere.
    pub accused_roster: Option<Roster>,
    /// Which attachments are taken.
    pub files: super::files::FileLimits,
    pub privacy: Privacy,
    pub reminders: Reminders,
    /// A message not delivered for this long (network down, refusing) is set aside as a
    /// dead letter, and whoever believes it arrived is told.
    pub delivery_give_up: SignedDuration,
}

/// The default of `limits.delivery_give_up`.
pub const DEFAULT_DELIVERY_GIVE_UP: SignedDuration = SignedDuration::from_hours(24);

impl Settings {
    /// What the dialogs need to know of this set-up.
    pub fn dialog_facts(&self) -> super::dialog::Facts<'_> {
        super::dialog::Facts {
            both_kinds: self.roster.has_both_kinds(),
            units: &self.units,
            accused_counsellor: self.accused_roster.is_some(),
        }
    }

    /// Who may handle `case`: the accused counsellor's roster for someone accused (when
    /// there is one), the organisation's own for everyone else. The two never mix.
    pub fn roster_for(&self, case: &super::Case) -> &Roster {
        match &self.accused_roster {
            Some(roster) if is_accused(case) => roster,
            _ => &self.roster,
        }
    }

    /// Everyone who counsels for this organisation, on either roster.
    pub fn everyone(&self) -> impl Iterator<Item = &Counsellor> {
        self.roster.everyone().chain(
            self.accused_roster
                .iter()
                .flat_map(|r| r.counsellors.iter()),
        )
    }
}

/// Whether the person writing said they have been accused (answer `role`).
pub fn is_accused(case: &super::Case) -> bool {
    case.answers.choice(super::dialog::ROLE_ANSWER) == Some("accused")
}

/// When counsellors are reminded of their promises, and of the whistleblower clocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminders {
    /// Reminders in the case room this long before a deadline, largest first.
    pub before: Vec<SignedDuration>,
    /// Integrity reports: receipt acknowledged within this time of submitting (7 days).
    pub integrity_acknowledge: SignedDuration,
    /// Integrity reports: feedback within this time of the acknowledgement (3 months).
    pub integrity_feedback: SignedDuration,
    /// Hour of the day (organisation time) of each counsellor's digest of cases due.
    pub digest_hour: i8,
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            before: vec![
                SignedDuration::from_hours(24),
                SignedDuration::from_hours(4),
                SignedDuration::from_hours(1),
            ],
            integrity_acknowledge: SignedDuration::from_hours(7 * 24),
            integrity_feedback: SignedDuration::from_hours(91 * 24),
            digest_hour: 8,
        }
    }
}

/// What is kept, for how long, and what the yearly report may show.
#[derive(Debug, Clone, PartialEq)]
pub struct Privacy {
    /// Counts under this are printed as "< n" in the yearly report.
    pub report_threshold: u64,
    /// A closed dossier case (the reporter agreed to registration) is erased this long
    /// after closing.
    pub dossier_retention: SignedDuration,
    /// A closed tally-only case is erased this long after closing (default: at once).
    pub tally_retention: SignedDuration,
    /// The aftercare check-in comes this long after closing, if the reporter wants it.
    pub aftercare_after: SignedDuration,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            report_threshold: 5,
            dossier_retention: SignedDuration::from_hours(30 * 24),
            tally_retention: SignedDuration::ZERO,
            aftercare_after: SignedDuration::from_hours(14 * 24),
        }
    }
}
