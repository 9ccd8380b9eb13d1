//! Whether the bot is alive and ready, as its parts report: when the Telegram poller last
//! got an answer from Telegram, and the Matrix sync from the homeserver. Readiness (for
//! systemd's `Type=notify`, and `/health`) comes once both have answered once; the ages
//! of their last answers tell a monitor whether they still do.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// The parts' last successes, as milliseconds since the process started (0: never).
#[derive(Debug)]
pub struct Health {
    started: Instant,
    telegram_enabled: bool,
    last_poll: AtomicU64,
    last_sync: AtomicU64,
    changed: Notify,
}

impl Health {
    pub fn new(telegram_enabled: bool) -> Health {
        Health {
            started: Instant::now(),
            telegram_enabled,
            last_poll: AtomicU64::new(0),
            last_sync: AtomicU64::new(0),
            changed: Notify::new(),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    /// Telegram answered a poll.
    pub fn polled(&self) {
        self.last_poll.store(self.now_ms(), Ordering::Release);
        self.changed.notify_waiters();
    }

    /// The homeserver answered a sync.
    pub fn synced(&self) {
        self.last_sync.store(self.now_ms(), Ordering::Release);
        self.changed.notify_waiters();
    }

    fn age(&self, at: &AtomicU64) -> Option<Duration> {
        match at.load(Ordering::Acquire) {
            0 => None,
            ms => Some(Duration::from_millis(self.now_ms().saturating_sub(ms))),
        }
    }

    /// How long ago Telegram last answered (`None`: not yet, or no Telegram).
    pub fn poll_age(&self) -> Option<Duration> {
        self.age(&self.last_poll)
    }

    /// How long ago the homeserver last answered a sync (`None`: not yet).
    pub fn sync_age(&self) -> Option<Duration> {
        self.age(&self.last_sync)
    }

    pub fn telegram_enabled(&self) -> bool {
        self.telegram_enabled
    }

    /// Every network has answered once.
    pub fn ready(&self) -> bool {
        self.sync_age().is_some() && (!self.telegram_enabled || self.poll_age().is_some())
    }

    /// Waits until [`Health::ready`].
    pub async fn wait_ready(&self) {
        loop {
            let changed = self.changed.notified();
            if self.ready() {
                return;
            }
            changed.await;
        }
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::Health;

    #[tokio::test]
    async fn ready_once_every_network_answered() {
        let health = std::sync::Arc::new(Health::new(true));
        assert!(!health.ready());
        health.synced();
        assert!(!health.ready(), "Telegram has not answered yet");
        let waiting = tokio::spawn({
            let health = health.clone();
            async move { health.wait_ready().await }
        });
        health.polled();
        waiting.await.unwrap();
        assert!(health.ready());
        assert!(health.poll_age().unwrap() < std::time::Duration::from_secs(1));

        let matrix_only = Health::new(false);
        matrix_only.synced();
        assert!(matrix_only.ready());
    }
}
