//! Counters of this process for `/metrics`: reminders and deadline escalations fired, and
//! how long deliveries took. Counts and times only: no token, id or text.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::core::ChannelKind;

/// Upper bounds of the delivery latency buckets, in seconds (Prometheus `le`).
pub const LATENCY_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

#[derive(Debug, Default)]
pub struct Metrics {
    pub reminders: AtomicU64,
    pub escalations: AtomicU64,
    latency: Mutex<Latency>,
}

/// A cumulative histogram, per network.
#[derive(Debug, Default, Clone)]
pub struct Latency {
    pub telegram: Histogram,
    pub matrix: Histogram,
}

#[derive(Debug, Default, Clone)]
pub struct Histogram {
    /// Observations at or under each bound of [`LATENCY_BUCKETS`].
    pub buckets: [u64; LATENCY_BUCKETS.len()],
    pub count: u64,
    pub sum_seconds: f64,
}

impl Histogram {
    fn observe(&mut self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bound, bucket) in LATENCY_BUCKETS.iter().zip(self.buckets.iter_mut()) {
            if seconds <= *bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum_seconds += seconds;
    }
}

impl Metrics {
    pub fn reminder_fired(&self) {
        self.reminders.fetch_add(1, Ordering::Relaxed);
    }

    pub fn escalation_fired(&self) {
        self.escalations.fetch_add(1, Ordering::Relaxed);
    }

    /// A delivery to `network` succeeded after `took` (from its first attempt).
    pub fn delivered(&self, network: ChannelKind, took: Duration) {
        let mut latency = self.latency.lock().unwrap_or_else(|p| p.into_inner());
        match network {
            ChannelKind::Telegram => latency.telegram.observe(took),
            ChannelKind::Matrix => latency.matrix.observe(took),
        }
    }

    pub fn latency(&self) -> Latency {
        self.latency
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Metrics;
    use crate::core::ChannelKind;

    #[test]
    fn the_histogram_is_cumulative() {
        let metrics = Metrics::default();
        metrics.delivered(ChannelKind::Telegram, Duration::from_millis(80));
        metrics.delivered(ChannelKind::Telegram, Duration::from_secs(3));
        let latency = metrics.latency();
        assert_eq!(latency.telegram.count, 2);
        assert_eq!(latency.telegram.buckets[0], 0, "0.05 s");
        assert_eq!(latency.telegram.buckets[1], 1, "0.1 s");
        assert_eq!(latency.telegram.buckets[6], 2, "5 s");
        assert_eq!(latency.matrix.count, 0);
    }
}
