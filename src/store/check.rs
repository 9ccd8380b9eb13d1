//! `confidant check-store`: what in the data folder does not open, and what was set
//! aside. Damaged outbox entries and timers can be repaired (set aside, as the running
//! bot does when it meets them); a case that does not open is only reported: its key
//! file or record must be restored from a backup, never replaced.

use super::outbox::Destination;
use super::{QuarantineEntry, Store, StoreError, T, codec};
use crate::core::CaseId;

/// What the check found. Counts and case ids only: no content.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub cases: usize,
    pub unreadable_cases: Vec<CaseId>,
    pub outbox: usize,
    /// Outbox entries that do not open (set aside when repairing).
    pub unreadable_outbox: usize,
    pub timers: usize,
    /// Timers whose key does not decode (set aside when repairing).
    pub unreadable_timers: usize,
    pub dead_letters: usize,
    pub quarantined: Vec<QuarantineEntry>,
}

impl CheckReport {
    /// Whether anything needs an operator's attention.
    pub fn damaged(&self) -> bool {
        !self.unreadable_cases.is_empty()
            || self.unreadable_outbox > 0
            || self.unreadable_timers > 0
    }
}

impl Store {
    /// Looks at every case, outbox entry and timer; with `repair`, sets aside the outbox
    /// entries and timers that do not open, and flushes.
    pub fn check(&self, repair: bool) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        for id in self.case_ids()? {
            report.cases += 1;
            if let Err(StoreError::CaseUnreadable { .. }) = self.load_case(id) {
                report.unreadable_cases.push(id);
            }
        }
        for item in self.tree(T::Outbox).iter() {
            let (key, value) = item?;
            report.outbox += 1;
            let opened = match key.get(..32).and_then(|d| <[u8; 32]>::try_from(d).ok()) {
                Some(dest) => self.open_entry(Destination(dest), &key, &value),
                None => Err(StoreError::BadKey { what: "outbox" }),
            };
            if let Err(error) = opened {
                report.unreadable_outbox += 1;
                if repair {
                    self.set_aside_raw(&key, &value, "outbox", &error)?;
                }
            }
        }
        for item in self.tree(T::Timers).iter() {
            let (key, value) = item?;
            report.timers += 1;
            if let Err(error) = codec::parse_timer_key(&key) {
                report.unreadable_timers += 1;
                if repair {
                    self.set_aside_raw(&key, &value, "timer", &error)?;
                }
            }
        }
        report.dead_letters = self.dead_letter_count();
        report.quarantined = self.quarantined()?;
        if repair {
            self.flush_blocking()?;
        }
        Ok(report)
    }

    /// Writes raw bytes into one of the store's trees, by name. For tests that damage a
    /// stopped bot's data folder on purpose; never used by the bot.
    #[doc(hidden)]
    pub fn insert_raw_for_tests(
        &self,
        tree: &str,
        key: &[u8],
        value: &[u8],
    ) -> Result<(), StoreError> {
        let t = T::ALL
            .iter()
            .find(|t| t.name() == tree)
            .ok_or(StoreError::BadKey { what: "tree name" })?;
        self.tree(*t).insert(key, value)?;
        self.flush_blocking()
    }
}
