//! The scheduler's index: timer keys sorted by due time, so the next due wake-up is the
//! first key, found without scanning cases.

use super::codec;
use super::{Store, StoreError, T};
use crate::core::{CaseId, TimerKind, Timestamp};

/// A wake-up as indexed: when, for which case, what for, and its index key.
#[derive(Debug, Clone, PartialEq)]
pub struct DueTimer {
    pub at: Timestamp,
    pub case: CaseId,
    pub kind: TimerKind,
    pub key: Vec<u8>,
}

impl Store {
    /// The earliest indexed wake-up, due or not.
    pub fn next_timer(&self) -> Result<Option<DueTimer>, StoreError> {
        let Some((key, _)) = self.tree(T::Timers).first()? else {
            return Ok(None);
        };
        let (at, case, kind) = codec::parse_timer_key(&key)?;
        Ok(Some(DueTimer {
            at,
            case,
            kind,
            key: key.to_vec(),
        }))
    }

    pub fn timer_count(&self) -> usize {
        self.tree(T::Timers).len()
    }
}
