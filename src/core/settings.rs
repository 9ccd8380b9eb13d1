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
    pub regions: Vec<String>,
    pub max_open_cases: u32,
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
}

/// Everything the core needs besides dialogs and texts.
#[derive(Debug, Clone)]
pub struct Settings {
    pub organisation: String,
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
    /// Which attachments are taken.
    pub files: super::files::FileLimits,
}

/// Telegram refuses longer messages (it counts UTF-16 units; characters are close enough
/// for the split, which leaves a margin).
pub const TELEGRAM_MAX_CHARS: usize = 4000;
