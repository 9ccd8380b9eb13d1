//! The delivery worker: sends outbox entries in order per destination, removing each only
//! after the network accepted it, retrying with backoff (honouring a network's own
//! "retry after"), and setting aside entries a network refuses for good.
//!
//! An entry must be on disk before anything of it that cannot be repeated is sent: the
//! input that caused it is acknowledged only then, so a crash before that replays the
//! input, which makes a new entry, and a message already sent would go twice. The
//! adapters see to it where it matters, without an extra flush where it does not: the
//! Telegram sender's in-flight mark is flushed before each send (covering the entry),
//! the Matrix sender flushes before posting an event; edits, deletions, invites and
//! room creation are idempotent.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::engine::Engine;
use crate::core::{Input, Output};
use crate::store::{Ack, Delivered, Destination, OutboxEntry};
use crate::watchdog::{Pulse, Watchdog};

/// Why a delivery did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// Try again later (network down, server busy); `retry_after` when the network said.
    #[error("temporary failure: {reason}")]
    Transient {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// The network will never accept this (chat gone, bot blocked).
    #[error("permanent failure: {reason}")]
    Permanent { reason: String },
}

/// Sends one entry to its network. Implemented by the channel adapters, which rest
/// `pulse` while they wait for their turn (pacing, a limit on requests in flight).
pub trait Deliverer: Send + Sync + 'static {
    fn deliver(
        &self,
        entry: &OutboxEntry,
        pulse: &Pulse,
    ) -> impl std::future::Future<Output = Result<Delivered, DeliveryError>> + Send;
}

const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Even with nothing new in the outbox, look again this often (backoffs end, crashes).
const IDLE_RESCAN: Duration = Duration::from_secs(30);

/// Runs until `shutdown`. One task per destination drains its queue in order.
pub async fn run<D: Deliverer>(
    engine: Arc<Engine>,
    deliverer: Arc<D>,
    watchdog: Watchdog,
    shutdown: CancellationToken,
) {
    let busy: Arc<Mutex<HashSet<Destination>>> = Arc::default();
    let mut tasks = JoinSet::new();
    loop {
        match engine.store.outbox_destinations() {
            Ok(destinations) => {
                for dest in destinations {
                    if !busy.lock().expect("busy set lock").insert(dest) {
                        continue;
                    }
                    let (engine, deliverer, busy, shutdown) = (
                        engine.clone(),
                        deliverer.clone(),
                        busy.clone(),
                        shutdown.clone(),
                    );
                    let pulse = watchdog.pulse("delivery");
                    tasks.spawn(async move {
                        drain(&engine, &*deliverer, dest, &pulse, &shutdown).await;
                        busy.lock().expect("busy set lock").remove(&dest);
                        engine.outbox_ready.notify_one();
                    });
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = engine.outbox_ready.notified() => {}
            _ = tokio::time::sleep(IDLE_RESCAN) => {}
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {
                // A burst ends many drains at once: reap them all before scanning again.
                while tasks.try_join_next().is_some() {}
            }
        }
    }
    tasks.shutdown().await;
}

/// Sends a destination's entries one after another until its queue is empty.
async fn drain<D: Deliverer>(
    engine: &Engine,
    deliverer: &D,
    dest: Destination,
    pulse: &Pulse,
    shutdown: &CancellationToken,
) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        pulse.progress();
        crate::watchdog::stall_if_asked(pulse).await;
        let entry = match engine.store.outbox_head(dest) {
            Ok(Some(entry)) => entry,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %e, ?dest, "an outbox entry cannot be read; setting it aside");
                return;
            }
        };
        let result = tokio::select! {
            _ = shutdown.cancelled() => return,
            result = deliverer.deliver(&entry, pulse) => result,
        };
        match result {
            Ok(done) => {
                if let Err(e) = record(engine, &entry, done).await {
                    tracing::error!(error = %e, "cannot record a delivery");
                    return;
                }
                backoff = FIRST_BACKOFF;
            }
            Err(DeliveryError::Transient {
                reason,
                retry_after,
            }) => {
                let wait = retry_after.unwrap_or(backoff);
                tracing::warn!(?dest, wait_ms = wait.as_millis() as u64, %reason, "delivery failed; will retry");
                pulse.idle();
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(wait) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(DeliveryError::Permanent { reason }) => {
                tracing::error!(?dest, %reason, "a message cannot be delivered; kept aside as a dead letter");
                if let Err(e) = engine.store.dead_letter(&entry) {
                    tracing::error!(error = %e, "cannot set a message aside");
                    return;
                }
                if let (Output::Reporter(_), Some(case)) = (&entry.output, entry.case)
                    && let Err(e) = engine
                        .handle(Input::Undeliverable { case }, Ack::None)
                        .await
                {
                    tracing::error!(error = %e, "cannot tell the counsellor about an undelivered message");
                }
            }
        }
    }
}

async fn record(
    engine: &Engine,
    entry: &OutboxEntry,
    done: Delivered,
) -> Result<(), crate::store::StoreError> {
    engine.store.complete(entry, done)?;
    engine.store.flush().await
}
