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
    /// The earliest timer. One whose key does not decode is set aside (quarantined as it
    /// is) so that the deadlines behind it still fire.
    pub fn next_timer(&self) -> Result<Option<DueTimer>, StoreError> {
        loop {
            let Some((key, value)) = self.tree(T::Timers).first()? else {
                return Ok(None);
            };
            match codec::parse_timer_key(&key) {
                Ok((at, case, kind)) => {
                    return Ok(Some(DueTimer {
                        at,
                        case,
                        kind,
                        key: key.to_vec(),
                    }));
                }
                Err(error) => {
                    tracing::error!(%error, "a timer does not decode; set aside (confidant check-store)");
                    self.set_aside_raw(&key, &value, "timer", &error)?;
                }
            }
        }
    }

    pub fn timer_count(&self) -> usize {
        self.tree(T::Timers).len()
    }
}
