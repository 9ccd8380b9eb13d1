//! Where `now` comes from. The core never reads a clock; the engine asks this one, so
//! tests can run on their own time.

use crate::core::Timestamp;

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}
