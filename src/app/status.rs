//! What a monitor (and `confidant status`) is told about the running bot: whether it is
//! ready and its networks answer, how many cases are open and how many are past or near
//! their first-contact deadline without contact, what waits to be delivered, what was set
//! aside, and how deliveries went. Counts and times only: no token, id or text.

use std::fmt::Write;
use std::time::Duration;

use serde::Serialize;

use super::Engine;
use super::metrics::{Histogram, LATENCY_BUCKETS, Latency};
use crate::core::Status as CaseStatus;

/// A case is "near" its first-contact deadline this long before it.
pub const NEAR_DEADLINE: Duration = Duration::from_secs(12 * 3600);

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub ready: bool,
    pub uptime_seconds: u64,
    /// `None`: Telegram is not configured.
    pub telegram: Option<NetworkHealth>,
    pub matrix: NetworkHealth,
    pub cases_open: u64,
    pub cases_past_deadline_without_contact: u64,
    pub cases_near_deadline_without_contact: u64,
    pub cases_unreadable: u64,
    pub outbox_telegram: u64,
    pub outbox_matrix: u64,
    pub outbox_unreadable: u64,
    pub dead_letters: u64,
    pub quarantined: u64,
    pub reminders_sent: u64,
    pub escalations_sent: u64,
    #[serde(skip)]
    pub latency: Latency,
}

#[derive(Debug, Serialize)]
pub struct NetworkHealth {
    /// Seconds since the network last answered (`None`: not yet).
    pub last_answer_seconds_ago: Option<f64>,
}

impl Snapshot {
    pub fn take(engine: &Engine) -> Result<Snapshot, crate::store::StoreError> {
        let health = &engine.health;
        let store = &engine.store;
        let now = engine.now();
        let first_contact = engine.service.first().settings.first_contact;
        let near = jiff::SignedDuration::try_from(NEAR_DEADLINE).unwrap_or_default();
        let (mut open, mut past, mut nearing, mut unreadable) = (0, 0, 0, 0);
        for id in store.case_ids()? {
            let case = match store.load_case(id) {
                Ok(Some(case)) => case,
                Ok(None) => continue,
                Err(_) => {
                    unreadable += 1;
                    continue;
                }
            };
            if case.status != CaseStatus::Open {
                continue;
            }
            open += 1;
            let (None, Some(submitted)) = (case.first_contact_at, case.submitted_at) else {
                continue;
            };
            let Ok(deadline) = submitted.checked_add(first_contact) else {
                continue;
            };
            if deadline <= now {
                past += 1;
            } else if deadline.duration_since(now) <= near {
                nearing += 1;
            }
        }
        let (outbox_telegram, outbox_matrix, outbox_unreadable) = store.outbox_by_network()?;
        let age = |age: Option<Duration>| NetworkHealth {
            last_answer_seconds_ago: age.map(|a| a.as_secs_f64()),
        };
        Ok(Snapshot {
            ready: health.ready(),
            uptime_seconds: health.uptime().as_secs(),
            telegram: health.telegram_enabled().then(|| age(health.poll_age())),
            matrix: age(health.sync_age()),
            cases_open: open,
            cases_past_deadline_without_contact: past,
            cases_near_deadline_without_contact: nearing,
            cases_unreadable: unreadable,
            outbox_telegram,
            outbox_matrix,
            outbox_unreadable,
            dead_letters: store.dead_letter_count() as u64,
            quarantined: store.quarantine_count() as u64,
            reminders_sent: engine
                .metrics
                .reminders
                .load(std::sync::atomic::Ordering::Relaxed),
            escalations_sent: engine
                .metrics
                .escalations
                .load(std::sync::atomic::Ordering::Relaxed),
            latency: engine.metrics.latency(),
        })
    }

    /// The Prometheus text exposition format.
    pub fn prometheus(&self) -> String {
        let mut out = String::new();
        let mut gauge = |name: &str, help: &str, kind: &str, value: f64| {
            let _ = writeln!(out, "# HELP confidant_{name} {help}");
            let _ = writeln!(out, "# TYPE confidant_{name} {kind}");
            let _ = writeln!(out, "confidant_{name} {value}");
        };
        gauge(
            "ready",
            "1 once Telegram and Matrix have answered.",
            "gauge",
            bool_value(self.ready),
        );
        gauge(
            "uptime_seconds",
            "Seconds since the process started.",
            "gauge",
            self.uptime_seconds as f64,
        );
        if let Some(telegram) = &self.telegram {
            gauge(
                "telegram_last_poll_age_seconds",
                "Seconds since Telegram last answered a poll (-1: not yet).",
                "gauge",
                telegram.last_answer_seconds_ago.unwrap_or(-1.0),
            );
        }
        gauge(
            "matrix_last_sync_age_seconds",
            "Seconds since the homeserver last answered a sync (-1: not yet).",
            "gauge",
            self.matrix.last_answer_seconds_ago.unwrap_or(-1.0),
        );
        gauge("cases_open", "Open cases.", "gauge", self.cases_open as f64);
        gauge(
            "cases_past_deadline_without_contact",
            "Open cases past their first-contact deadline with no contact yet.",
            "gauge",
            self.cases_past_deadline_without_contact as f64,
        );
        gauge(
            "cases_near_deadline_without_contact",
            "Open cases within 12 hours of their first-contact deadline with no contact yet.",
            "gauge",
            self.cases_near_deadline_without_contact as f64,
        );
        gauge(
            "cases_unreadable",
            "Cases whose record does not open.",
            "gauge",
            self.cases_unreadable as f64,
        );
        gauge(
            "dead_letters",
            "Messages set aside as undeliverable.",
            "gauge",
            self.dead_letters as f64,
        );
        gauge(
            "quarantined",
            "Inputs and records set aside for the operator.",
            "gauge",
            self.quarantined as f64,
        );
        gauge(
            "reminders_sent_total",
            "Deadline reminders fired since the start.",
            "counter",
            self.reminders_sent as f64,
        );
        gauge(
            "escalations_sent_total",
            "Missed deadlines escalated since the start.",
            "counter",
            self.escalations_sent as f64,
        );
        let _ = writeln!(
            out,
            "# HELP confidant_outbox_depth Messages waiting to be delivered, per network."
        );
        let _ = writeln!(out, "# TYPE confidant_outbox_depth gauge");
        for (network, depth) in [
            ("telegram", self.outbox_telegram),
            ("matrix", self.outbox_matrix),
            ("unreadable", self.outbox_unreadable),
        ] {
            let _ = writeln!(
                out,
                "confidant_outbox_depth{{network=\"{network}\"}} {depth}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP confidant_delivery_seconds Time from a delivery's first attempt to its success."
        );
        let _ = writeln!(out, "# TYPE confidant_delivery_seconds histogram");
        for (network, histogram) in [
            ("telegram", &self.latency.telegram),
            ("matrix", &self.latency.matrix),
        ] {
            histogram_lines(&mut out, network, histogram);
        }
        out
    }
}

fn bool_value(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

fn histogram_lines(out: &mut String, network: &str, histogram: &Histogram) {
    for (bound, count) in LATENCY_BUCKETS.iter().zip(histogram.buckets) {
        let _ = writeln!(
            out,
            "confidant_delivery_seconds_bucket{{network=\"{network}\",le=\"{bound}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "confidant_delivery_seconds_bucket{{network=\"{network}\",le=\"+Inf\"}} {}",
        histogram.count
    );
    let _ = writeln!(
        out,
        "confidant_delivery_seconds_sum{{network=\"{network}\"}} {}",
        histogram.sum_seconds
    );
    let _ = writeln!(
        out,
        "confidant_delivery_seconds_count{{network=\"{network}\"}} {}",
        histogram.count
    );
}
