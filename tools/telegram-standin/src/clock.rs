//! The stand-in's notion of "now" in Unix seconds, which tests can move forward.
//!
//! Telegram rules that depend on time (a bot may delete messages only for 48 hours, callback
//! query updates are dropped after 150 seconds, other updates after 24 hours) should be testable
//! without waiting, so message dates and these rules read this clock, and
//! `StandinHandle::advance_clock` shifts it. Timing that the bot measures itself (long-poll
//! timeouts, retry_after waits) stays in real time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Default, Clone)]
pub(crate) struct Clock {
    shift: Duration,
}

impl Clock {
    /// Current Unix time in seconds, including the test shift.
    pub(crate) fn now(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        i64::try_from((real + self.shift).as_secs()).unwrap_or(i64::MAX)
    }

    /// Moves "now" forward.
    pub(crate) fn advance(&mut self, by: Duration) {
        self.shift += by;
    }
}
