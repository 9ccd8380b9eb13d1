//! Delivery attempts: how often an outbox entry failed and since when, kept on disk so
//! that backoff and the give-up bound hold across restarts (a bot that restarts every
//! minute must not retry a refused message for ever, nor hammer the network).

use serde::{Deserialize, Serialize};

use super::outbox::OutboxEntry;
use super::{Store, StoreError, T};
use crate::core::Timestamp;

/// Failed deliveries of one entry. No content: only counts and a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    pub failures: u32,
    pub first_failure: Timestamp,
}

impl Store {
    /// Counts one more failed delivery of `entry` (the first one at `now`).
    pub fn note_failure(
        &self,
        entry: &OutboxEntry,
        now: Timestamp,
    ) -> Result<Attempts, StoreError> {
        let attempts = match self.attempts(entry)? {
            Some(before) => Attempts {
                failures: before.failures.saturating_add(1),
                ..before
            },
            None => Attempts {
                failures: 1,
                first_failure: now,
            },
        };
        let value = serde_json::to_vec(&attempts).expect("attempts serialise");
        let _writing = self.writing();
        self.tree(T::Attempts).insert(&entry.key, value)?;
        Ok(attempts)
    }

    /// The failed deliveries of `entry` so far, if any. A record that does not read
    /// counts as none (it only ever delays a retry).
    pub fn attempts(&self, entry: &OutboxEntry) -> Result<Option<Attempts>, StoreError> {
        Ok(self
            .tree(T::Attempts)
            .get(&entry.key)?
            .and_then(|v| serde_json::from_slice(&v).ok()))
    }
}
