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
use crate::core::io::{Refusal, RoomPostKind, Undelivered, UndeliveredTo};
use crate::core::{Input, Output};
use crate::store::{Ack, Delivered, Destination, OutboxEntry};
use crate::watchdog::{Pulse, Watchdog};

/// Why a delivery did not happen. Each channel decides this in one place (its
/// `classify`), from the network's own error codes.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// Try again later (network down, server busy); `retry_after` when the network said.
    /// Past `limits.delivery_give_up` the entry is set aside all the same.
    #[error("temporary failure: {reason}")]
    Transient {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// The network will never accept this (chat gone, too large, refused).
    #[error("permanent failure: {reason}")]
    Permanent { reason: String, refusal: Refusal },
}

impl DeliveryError {
    pub fn transient(reason: &str, retry_after: Option<Duration>) -> Self {
        DeliveryError::Transient {
            reason: reason.to_owned(),
            retry_after,
        }
    }

    pub fn permanent(reason: &str, refusal: Refusal) -> Self {
        DeliveryError::Permanent {
            reason: reason.to_owned(),
            refusal,
        }
    }

    /// A refusal of our own: the entry cannot go where it is addressed (a channel not
    /// configured, an address of the wrong kind).
    pub fn refused(reason: impl Into<String>) -> Self {
        DeliveryError::Permanent {
            reason: reason.into(),
            refusal: Refusal::Refused,
        }
    }
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
    // Only for the store's own trouble (a full disk): the entries' own failures back off
    // by their persisted count.
    let mut store_backoff = FIRST_BACKOFF;
    // The entry at the head, and when its first attempt started (for the latency).
    let mut first_attempt: Option<(Vec<u8>, std::time::Instant)> = None;
    loop {
        pulse.progress();
        crate::watchdog::stall_if_asked(pulse).await;
        let entry = match engine.store.outbox_head(dest) {
            Ok(Some(entry)) => entry,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %e, ?dest, "cannot read the outbox; will try again");
                if !rest(pulse, shutdown, &mut store_backoff).await {
                    return;
                }
                continue;
            }
        };
        if first_attempt
            .as_ref()
            .is_none_or(|(key, _)| *key != entry.key)
        {
            first_attempt = Some((entry.key.clone(), std::time::Instant::now()));
        }
        let result = tokio::select! {
            _ = shutdown.cancelled() => return,
            result = deliverer.deliver(&entry, pulse) => result,
        };
        if result.is_ok()
            && let Some((_, since)) = &first_attempt
        {
            engine
                .metrics
                .delivered(entry.output.channel(), since.elapsed());
        }
        let outcome = match result {
            Ok(done) => record(engine, &entry, done).await,
            Err(DeliveryError::Transient {
                reason,
                retry_after,
            }) => retry_or_give_up(engine, &entry, &reason, retry_after, pulse, shutdown).await,
            Err(DeliveryError::Permanent { reason, refusal }) => {
                set_aside(engine, &entry, &reason, refusal).await
            }
        };
        match outcome {
            Ok(()) => store_backoff = FIRST_BACKOFF,
            Err(e) => {
                // Nothing was lost: the entry is still in the outbox, and is sent (or
                // found sent) again once the disk takes writes.
                tracing::error!(error = %e, ?dest, "cannot record what became of a message; will try again");
                if !rest(pulse, shutdown, &mut store_backoff).await {
                    return;
                }
            }
        }
    }
}

/// Waits `backoff` (doubling it for next time) unless shutdown comes first; `false` then.
async fn rest(pulse: &Pulse, shutdown: &CancellationToken, backoff: &mut Duration) -> bool {
    pulse.idle();
    let wait = *backoff;
    *backoff = (*backoff * 2).min(MAX_BACKOFF);
    tokio::select! {
        _ = shutdown.cancelled() => false,
        _ = tokio::time::sleep(wait) => true,
    }
}

/// A failure that may pass: counted on disk, then waited out (the network's
/// `retry_after`, else a backoff that grows with the count), unless the entry has failed
/// for longer than `limits.delivery_give_up`: then it is set aside.
async fn retry_or_give_up(
    engine: &Engine,
    entry: &OutboxEntry,
    reason: &str,
    retry_after: Option<Duration>,
    pulse: &Pulse,
    shutdown: &CancellationToken,
) -> Result<(), crate::store::StoreError> {
    let now = engine.now();
    let attempts = engine.store.note_failure(entry, now)?;
    if now.duration_since(attempts.first_failure)
        >= engine.service.first().settings.delivery_give_up
    {
        return set_aside(engine, entry, reason, Refusal::GaveUp).await;
    }
    let backoff = FIRST_BACKOFF
        .saturating_mul(1 << attempts.failures.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let wait = retry_after.unwrap_or(backoff);
    tracing::warn!(
        dest = ?entry.dest,
        failures = attempts.failures,
        wait_ms = wait.as_millis() as u64,
        %reason,
        "delivery failed; will retry"
    );
    pulse.idle();
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = tokio::time::sleep(wait) => {}
    }
    Ok(())
}

/// Moves `entry` out of the queue (sealed as it was, so erasure still removes it) and
/// tells whoever believes it arrived; the queue goes on with the next entry.
async fn set_aside(
    engine: &Engine,
    entry: &OutboxEntry,
    reason: &str,
    refusal: Refusal,
) -> Result<(), crate::store::StoreError> {
    tracing::error!(
        dest = ?entry.dest,
        case = ?entry.case,
        why = refusal.as_str(),
        %reason,
        "a message cannot be delivered; set aside as a dead letter"
    );
    engine.store.dead_letter(entry)?;
    engine.store.flush().await?;
    let (Some(case), Some(to)) = (entry.case, undelivered_to(&entry.output)) else {
        return Ok(());
    };
    let undelivered = Undelivered {
        to,
        why: refusal,
        excerpt: excerpt(&entry.output),
    };
    if let Err(e) = engine
        .handle(Input::Undeliverable { case, undelivered }, Ack::None)
        .await
    {
        tracing::error!(error = %e, ?case, "cannot tell the case about an undelivered message");
    }
    Ok(())
}

/// Who is to be told that `output` did not arrive (nobody for cosmetic edits, the
/// digest, or a notice about an erased case).
fn undelivered_to(output: &Output) -> Option<UndeliveredTo> {
    match output {
        Output::Reporter(_) | Output::ReporterFile(_) => Some(UndeliveredTo::Reporter),
        // The reporter is told when their own words did not reach the room; the bot's
        // notices (answers to commands, reminders) concern the counsellors only, and the
        // log and `!status` count them.
        Output::Room(post) if post.kind == RoomPostKind::Relay => Some(UndeliveredTo::Room),
        Output::RoomFile(_) | Output::CreateRoom(_) => Some(UndeliveredTo::Room),
        Output::Room(_) => None,
        Output::Invite { user, .. } => Some(UndeliveredTo::Member { user: user.clone() }),
        Output::EditRelayed { .. } | Output::DeleteRelayed { .. } => Some(UndeliveredTo::Deletion),
        Output::RemoveButtons { .. }
        | Output::EditReporter { .. }
        | Output::WipeReporterChat { .. }
        | Output::Remove { .. }
        | Output::CounsellorDm { .. }
        | Output::RoomAfterErasure { .. }
        | Output::HrNotice { .. }
        | Output::LeaveCaseRoom { .. }
        | Output::LeaveReporterChat { .. }
        | Output::RoomReceipt { .. }
        | Output::ReporterTyping { .. } => None,
    }
}

/// The text of `output`, to say which message it was.
fn excerpt(output: &Output) -> Option<String> {
    match output {
        Output::Reporter(message) => Some(message.text.clone()),
        Output::Room(post) => Some(post.text.clone()),
        Output::ReporterFile(file) => Some(file.caption.clone()),
        Output::RoomFile(file) => Some(file.caption.clone()),
        _ => None,
    }
}

async fn record(
    engine: &Engine,
    entry: &OutboxEntry,
    done: Delivered,
) -> Result<(), crate::store::StoreError> {
    let report = engine.store.complete(entry, done)?;
    engine.store.flush().await?;
    if report.outbox_added > 0 {
        engine.outbox_ready.notify_one();
    }
    Ok(())
}
