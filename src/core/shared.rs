//! State that spans cases: how many open cases each counsellor holds. Kept apart from
//! case records (it holds no content) and passed to the core with every input.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// Open cases per counsellor Matrix id.
    pub open_cases: BTreeMap<String, u32>,
    /// Counsellors away, until when (`!away until DATE`).
    #[serde(default)]
    pub away: BTreeMap<String, Timestamp>,
    /// Open promises per case (by hex case id), for the daily digest: who, which case,
    /// by when.
    #[serde(default)]
    pub due: BTreeMap<String, DueEntry>,
    /// The last day (organisation time) each counsellor got a digest, so that a restart
    /// on the same day does not send it again.
    #[serde(default)]
    pub digest_sent: BTreeMap<String, jiff::civil::Date>,
    /// Open cases flagged because the reporter's exclusions left nobody to bring in (by
    /// hex case id), counted in the daily digest.
    #[serde(default)]
    pub nobody_left: std::collections::BTreeSet<String>,
    /// The organisation of each flagged case in `nobody_left` that belongs to a named one
    /// (the bot serves several): the digest counts them only for its own counsellors.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub nobody_left_organisation: BTreeMap<String, String>,
    /// Wrong `/resume` attempts per chat (by a hash of the chat's address).
    #[serde(default)]
    pub resume_attempts: BTreeMap<String, AttemptLock>,
}

/// Wrong attempts at a secret, and the lock they earned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptLock {
    pub failures: u32,
    pub until: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

/// One case's next deadline, as the digest lists it (tokens only, never content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueEntry {
    pub counsellor: String,
    pub token: String,
    pub due: Timestamp,
    /// The case's organisation when the bot serves several (`None`: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

impl Shared {
    pub fn load_of(&self, matrix_id: &str) -> u32 {
        self.open_cases.get(matrix_id).copied().unwrap_or(0)
    }

    pub fn add_case(&mut self, matrix_id: &str) {
        *self.open_cases.entry(matrix_id.to_owned()).or_default() += 1;
    }

    pub fn remove_case(&mut self, matrix_id: &str) {
        if let Some(count) = self.open_cases.get_mut(matrix_id) {
            *count = count.saturating_sub(1);
        }
    }

    pub fn is_away(&self, matrix_id: &str, now: Timestamp) -> bool {
        self.away.get(matrix_id).is_some_and(|until| *until > now)
    }
}
