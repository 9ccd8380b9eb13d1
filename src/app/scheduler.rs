//! The scheduler: one task that sleeps until the earliest indexed wake-up, fires it
//! through the engine (which removes its index entry in the same transaction), and is
//! woken early whenever the index changes. It never scans cases.

use std::sync::Arc;
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
                if let Err(e) = engine.handle(input, Ack::Timer(timer.key)).await {
                    tracing::error!(error = %e, "a timer could not be handled; retrying shortly");
                    Duration::from_secs(5)
                } else {
                    continue;
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
