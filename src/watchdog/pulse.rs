//! A pulse: how a long-running loop tells the watchdog it is moving. A loop is *idle*
//! while it waits for work (nothing is owed), or *busy* since its last step of progress;
//! a busy loop that makes no progress for longer than the watchdog's bound has stalled.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    /// Working since `since` (the last progress); one step may take `allowance` beyond
    /// the watchdog's bound (a long poll is expected to take its poll time).
    Busy {
        since: Instant,
        allowance: Duration,
    },
}

/// One loop's progress, cheap to clone and to update.
#[derive(Debug, Clone)]
pub struct Pulse {
    name: Arc<str>,
    phase: Arc<Mutex<Phase>>,
    /// Callers inside [`Pulse::enter`] (a part used by many tasks at once, the engine).
    inside: Arc<Mutex<usize>>,
}

/// One caller's turn inside a shared part; leaving counts as progress.
pub struct Turn<'a> {
    pulse: &'a Pulse,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut inside = self.pulse.inside.lock().unwrap_or_else(|p| p.into_inner());
        *inside -= 1;
        if *inside == 0 {
            self.pulse.idle();
        } else {
            self.pulse.progress();
        }
    }
}

impl Pulse {
    pub fn new(name: &str) -> Pulse {
        Pulse {
            name: name.into(),
            phase: Arc::new(Mutex::new(Phase::Idle)),
            inside: Arc::new(Mutex::new(0)),
        }
    }

    /// For a part many tasks use at once: busy while anyone is inside, progress each time
    /// someone leaves, idle when the last one has left.
    pub fn enter(&self) -> Turn<'_> {
        let mut inside = self.inside.lock().unwrap_or_else(|p| p.into_inner());
        *inside += 1;
        self.busy();
        Turn { pulse: self }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn phase(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A step is done and more work follows: the clock starts again.
    pub fn progress(&self) {
        self.progress_expecting(Duration::ZERO);
    }

    /// As [`Pulse::progress`], before a step that may take up to `allowance` by design
    /// (a long poll), on top of the watchdog's bound.
    pub fn progress_expecting(&self, allowance: Duration) {
        *self.phase() = Phase::Busy {
            since: Instant::now(),
            allowance,
        };
    }

    /// Work has arrived; if the loop was already busy, its clock goes on running (more
    /// work is no progress).
    pub fn busy(&self) {
        let mut phase = self.phase();
        if *phase == Phase::Idle {
            *phase = Phase::Busy {
                since: Instant::now(),
                allowance: Duration::ZERO,
            };
        }
    }

    /// Nothing to do until something arrives: not owing progress.
    pub fn idle(&self) {
        *self.phase() = Phase::Idle;
    }

    /// How long the loop has been busy without progress beyond what it was allowed, if it
    /// has been longer than `bound`.
    pub fn stalled_for(&self, now: Instant, bound: Duration) -> Option<Duration> {
        match *self.phase() {
            Phase::Idle => None,
            Phase::Busy { since, allowance } => {
                let waited = now.saturating_duration_since(since);
                (waited > bound + allowance).then_some(waited)
            }
        }
    }

    /// Whether this pulse and `other` are the same loop's.
    pub fn same_as(&self, other: &Pulse) -> bool {
        Arc::ptr_eq(&self.phase, &other.phase)
    }

    pub(super) fn is_shared(&self) -> bool {
        Arc::strong_count(&self.phase) > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUND: Duration = Duration::from_secs(60);

    #[test]
    fn only_a_busy_loop_without_progress_stalls() {
        let pulse = Pulse::new("test");
        let later = Instant::now() + Duration::from_secs(61);
        assert_eq!(pulse.stalled_for(later, BOUND), None, "idle never stalls");
        pulse.busy();
        assert!(pulse.stalled_for(later, BOUND).is_some());
        pulse.progress();
        assert_eq!(pulse.stalled_for(Instant::now(), BOUND), None);
    }

    #[test]
    fn more_work_does_not_count_as_progress() {
        let pulse = Pulse::new("test");
        pulse.busy();
        let since = match *pulse.phase() {
            Phase::Busy { since, .. } => since,
            Phase::Idle => unreachable!(),
        };
        std::thread::sleep(Duration::from_millis(5));
        pulse.busy();
        assert_eq!(
            *pulse.phase(),
            Phase::Busy {
                since,
                allowance: Duration::ZERO
            }
        );
    }

    #[test]
    fn a_shared_part_is_idle_only_when_everyone_has_left() {
        let pulse = Pulse::new("engine");
        let later = Instant::now() + Duration::from_secs(61);
        let first = pulse.enter();
        let second = pulse.enter();
        drop(first);
        assert_eq!(pulse.stalled_for(Instant::now(), BOUND), None);
        assert!(pulse.stalled_for(later, BOUND).is_some(), "still busy");
        drop(second);
        assert_eq!(pulse.stalled_for(later, BOUND), None, "idle");
    }

    #[test]
    fn a_long_poll_is_allowed_its_time() {
        let pulse = Pulse::new("poller");
        pulse.progress_expecting(Duration::from_secs(30));
        let later = Instant::now() + Duration::from_secs(80);
        assert_eq!(pulse.stalled_for(later, BOUND), None);
        let much_later = Instant::now() + Duration::from_secs(91);
        assert!(pulse.stalled_for(much_later, BOUND).is_some());
    }
}
