//! Makes a hang impossible to miss. Every long-running loop (Telegram poller, Matrix sync,
//! delivery, scheduler, engine, disk flusher, Telegram pacer) carries a [`Pulse`]; the
//! watchdog, on a thread of its own so that a wedged async runtime cannot silence it,
//! looks at them every second. A loop that has work and makes no progress for longer than
//! the bound is named in the log and the process exits non-zero, so that the service
//! manager restarts it. Under systemd, `WATCHDOG=1` is sent only while every loop is
//! healthy, so a process that cannot even run this thread is killed by systemd.

mod pulse;
mod systemd;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use pulse::Pulse;
pub use systemd::{notify_ready, notify_stopping};

/// Exit status of a process the watchdog stopped (EX_SOFTWARE in sysexits.h).
pub const EXIT_STALLED: i32 = 70;

/// Test-only switch: the loop whose pulse has this name stops making progress while it
/// has work (see [`stall_if_asked`]).
pub const ENV_TEST_STALL: &str = "CONFIDANT_TEST_STALL";
/// Test-only: an inbound text containing this marker makes its handling panic, as a bug
/// would, to show that a panic never turns into a crash loop.
pub const ENV_TEST_PANIC: &str = "CONFIDANT_TEST_PANIC";

/// The pulses being watched.
#[derive(Clone, Default)]
pub struct Watchdog {
    pulses: Arc<Mutex<Vec<Pulse>>>,
}

impl Watchdog {
    /// Watches `pulse` for as long as the loop holds a clone of it.
    pub fn watch(&self, pulse: &Pulse) {
        let mut pulses = self.pulses.lock().unwrap_or_else(|p| p.into_inner());
        pulses.retain(Pulse::is_shared);
        if !pulses.iter().any(|p| p.same_as(pulse)) {
            pulses.push(pulse.clone());
        }
    }

    /// A new pulse named `name`, watched.
    pub fn pulse(&self, name: &str) -> Pulse {
        let pulse = Pulse::new(name);
        self.watch(&pulse);
        pulse
    }

    /// The first stalled loop and for how long, if any.
    pub fn stalled(&self, now: Instant, bound: Duration) -> Option<(String, Duration)> {
        let mut pulses = self.pulses.lock().unwrap_or_else(|p| p.into_inner());
        pulses.retain(Pulse::is_shared);
        pulses
            .iter()
            .find_map(|p| p.stalled_for(now, bound).map(|d| (p.name().to_owned(), d)))
    }

    /// Starts the watching thread. `on_stall` runs (once) when a loop stalls; the bot's
    /// is [`exit_stalled`].
    pub fn spawn(
        &self,
        bound: Duration,
        on_stall: impl FnOnce(&str, Duration) + Send + 'static,
    ) -> std::io::Result<()> {
        let watchdog = self.clone();
        let systemd = systemd::watchdog_interval();
        std::thread::Builder::new()
            .name("confidant-watchdog".into())
            .spawn(move || {
                let tick = Duration::from_secs(1).min(bound / 4);
                let mut last_ping = Instant::now();
                loop {
                    std::thread::sleep(tick);
                    let now = Instant::now();
                    if let Some((name, stalled)) = watchdog.stalled(now, bound) {
                        on_stall(&name, stalled);
                        return;
                    }
                    if let Some(interval) = systemd
                        && now.duration_since(last_ping) >= interval / 2
                    {
                        systemd::ping();
                        last_ping = now;
                    }
                }
            })?;
        Ok(())
    }
}

/// What the bot does about a stalled loop: say which, and exit so that it is restarted.
/// Nothing acknowledged is lost: an input is acknowledged only once it is on disk.
pub fn exit_stalled(name: &str, stalled: Duration) {
    tracing::error!(
        part = name,
        stalled_s = stalled.as_secs(),
        "the {name} has made no progress for {} s while it had work; exiting so that the service manager restarts the bot",
        stalled.as_secs()
    );
    std::process::exit(EXIT_STALLED);
}

/// Test-only: if [`ENV_TEST_STALL`] names this pulse, the loop stops here for good while
/// marked busy, as a hung loop would.
pub async fn stall_if_asked(pulse: &Pulse) {
    static STALL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let target = STALL.get_or_init(|| std::env::var(ENV_TEST_STALL).ok());
    if target.as_deref() == Some(pulse.name()) {
        tracing::warn!(
            part = pulse.name(),
            "stalling on purpose ({ENV_TEST_STALL})"
        );
        // Busy from now, with no allowance for a long poll: it never makes one.
        pulse.progress();
        std::future::pending::<()>().await;
    }
}

/// Test-only: panics if [`ENV_TEST_PANIC`] is set and `text` contains it.
pub fn panic_if_asked(text: &str) {
    static MARKER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let marker = MARKER.get_or_init(|| std::env::var(ENV_TEST_PANIC).ok());
    if let Some(marker) = marker
        && text.contains(marker.as_str())
    {
        panic!("panicking on purpose ({ENV_TEST_PANIC})");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_loop_is_no_longer_watched() {
        let watchdog = Watchdog::default();
        let pulse = watchdog.pulse("delivery");
        pulse.busy();
        let later = Instant::now() + Duration::from_secs(120);
        assert_eq!(
            watchdog
                .stalled(later, Duration::from_secs(60))
                .map(|s| s.0),
            Some("delivery".to_owned())
        );
        drop(pulse);
        assert_eq!(watchdog.stalled(later, Duration::from_secs(60)), None);
    }

    #[test]
    fn the_thread_reports_a_stall_and_not_a_healthy_loop() {
        let watchdog = Watchdog::default();
        let healthy = watchdog.pulse("healthy");
        let stuck = watchdog.pulse("stuck");
        stuck.busy();
        let (tx, rx) = std::sync::mpsc::channel();
        watchdog
            .spawn(Duration::from_millis(200), move |name, _| {
                tx.send(name.to_owned()).unwrap();
            })
            .unwrap();
        for _ in 0..20 {
            healthy.progress();
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)).unwrap(),
            "stuck",
            "only the stuck loop is named"
        );
        drop(healthy);
    }
}
