//! The scheduler: one task that sleeps until the earliest indexed wake-up, fires it
//! through the engine (which removes its index entry in the same transaction), and is
//! woken early whenever the index changes. It never scans cases.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::engine::Engine;
use crate::core::Input;
use crate::store::Ack;
use crate::watchdog::{Pulse, stall_if_asked};

/// Upper bound on one sleep, so a wall-clock jump is noticed within this time.
const MAX_SLEEP: Duration = Duration::from_secs(60);

pub async fn run(engine: Arc<Engine>, pulse: Pulse, shutdown: CancellationToken) {
    loop {
        pulse.progress();
        let wait = match engine.store.next_timer() {
            Ok(Some(timer)) if timer.at <= engine.now() => {
                stall_if_asked(&pulse).await;
                let input = Input::Timer {
                    case: timer.case,
                    kind: timer.kind,
                };
                match fire(&engine, input, timer.key).await {
                    Ok(()) => {
                        count(&engine, timer.kind);
                        continue;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "a timer could not be handled; retrying shortly");
                        Duration::from_secs(5)
                    }
                }
            }
            Ok(Some(timer)) => {
                let left = timer.at.duration_since(engine.now());
                Duration::try_from(left)
                    .unwrap_or(Duration::ZERO)
                    .min(MAX_SLEEP)
            }
            Ok(None) => MAX_SLEEP,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the timer index");
                Duration::from_secs(5)
            }
        };
        pulse.idle();
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = engine.timers_changed.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Counts a fired reminder or deadline for `/metrics`.
fn count(engine: &Engine, kind: crate::core::TimerKind) {
    use crate::core::TimerKind as K;
    match kind {
        K::FirstContactReminder | K::AcknowledgeReminder | K::FeedbackReminder => {
            engine.metrics.reminder_fired();
        }
        K::FirstContactDeadline | K::AcknowledgeDeadline | K::FeedbackDeadline => {
            engine.metrics.escalation_fired();
        }
        K::IntakeExpiry | K::Retention | K::Aftercare | K::Digest => {}
    }
}

/// A timer that fails this often is set aside, so the deadlines behind it still fire.
const MAX_TRIES: u32 = 3;

/// Fires one timer. A failure to handle it (not to write it to disk: a full disk fails
/// every timer alike and passes) is counted on disk; at [`MAX_TRIES`] the timer is set
/// aside, and the error is returned only before that.
async fn fire(engine: &Engine, input: Input, key: Vec<u8>) -> Result<(), crate::app::EngineError> {
    let failures = format!("timer:{}", hex::encode(&key));
    let applied = AssertUnwindSafe(engine.apply(input.clone(), Ack::Timer(key.clone())))
        .catch_unwind()
        .await
        .unwrap_or(Err(crate::app::EngineError::Panicked));
    if let Err(error) = applied {
        if error.is_storage_fault() {
            return Err(error);
        }
        let tries = engine.store.note_inbound_failure(&failures)?;
        if tries < MAX_TRIES {
            return Err(error);
        }
        let reason = format!("handling failed {tries} times: {error}");
        engine
            .set_aside_inbound("timer", &reason, key.clone(), Ack::Timer(key), Some(input))
            .await?;
        engine.store.clear_inbound_failures(&failures)?;
    }
    engine.settle().await
}
