//! Long-polling `getUpdates`. The offset sent to Telegram is the one stored with the last
//! handled update, so Telegram forgets an update only after it is safely stored, and an
//! update stored just before a crash is confirmed (not handed out again) by the next poll.
//! A batch is handled update by update and flushed to disk once, before the next poll.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{CallbackQueryId, Update};
use tokio_util::sync::CancellationToken;

use super::Telegram;
use super::errors::describe;
use super::inbound::convert;
use super::raw_updates::{RawUpdate, get_updates};
use crate::app::Engine;
use crate::core::{Input, ReporterAddress, ReporterEvent};
use crate::store::Ack;
use crate::watchdog::{Pulse, stall_if_asked};

const ERROR_PAUSE: Duration = Duration::from_secs(3);

/// The update kinds the bot asks for.
const ALLOWED: &[&str] = &["message", "edited_message", "callback_query"];

pub async fn run(
    engine: Arc<Engine>,
    telegram: Telegram,
    pulse: Pulse,
    shutdown: CancellationToken,
) {
    let mut polls_failed = 0u32;
    // A long poll takes its time by design; the HTTP client gives up 15 s after it.
    let long_poll = Duration::from_secs(u64::from(telegram.poll_timeout) + 15);
    loop {
        pulse.progress_expecting(long_poll);
        stall_if_asked(&pulse).await;
        let offset = match engine.store.telegram_offset() {
            Ok(offset) => offset,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the Telegram offset");
                pause(&pulse, &shutdown, ERROR_PAUSE).await;
                continue;
            }
        };
        // The first poll answers at once, so readiness does not wait for a long poll.
        let timeout = if engine.health.poll_age().is_none() {
            0
        } else {
            telegram.poll_timeout
        };
        let request = get_updates(&telegram.bot, offset, timeout, ALLOWED);
        let updates = tokio::select! {
            _ = shutdown.cancelled() => return,
            result = request => result,
        };
        let updates = match updates {
            Ok(updates) => {
                polls_failed = 0;
                engine.health.polled();
                updates
            }
            Err(e) => {
                polls_failed += 1;
                let wait = e
                    .retry_after()
                    .unwrap_or(ERROR_PAUSE * polls_failed.min(10));
                tracing::warn!(error = %e, "getUpdates failed");
                pause(&pulse, &shutdown, wait).await;
                continue;
            }
        };
        pulse.progress();
        let answers = store_batch(&engine, &telegram, &pulse, updates, &shutdown).await;
        // Telegram learns the new offset from the next getUpdates: only once the whole
        // batch is on disk. Until then nothing is confirmed, whatever it takes.
        while let Err(e) = engine.settle().await {
            tracing::error!(error = %e, "received updates cannot be stored; will try again");
            pause(&pulse, &shutdown, ERROR_PAUSE).await;
            if shutdown.is_cancelled() {
                return;
            }
        }
        // Answers only stop the spinners on the phones: they must not hold up the next
        // poll, and losing one loses nothing.
        if !answers.is_empty() {
            tokio::spawn(answer_buttons(telegram.bot.clone(), answers));
        }
    }
}

/// Answers the pressed buttons of a batch (with the toast, if any), all at once.
async fn answer_buttons(bot: Bot, answers: Vec<(CallbackQueryId, Option<String>)>) {
    let calls = answers.into_iter().map(|(id, toast)| {
        let mut answer = bot.answer_callback_query(id);
        if let Some(toast) = toast {
            answer = answer.text(toast);
        }
        async move {
            if let Err(e) = answer.await {
                tracing::debug!(error = %describe(&e), "answerCallbackQuery failed");
            }
        }
    });
    futures_util::future::join_all(calls).await;
}

/// Handles a batch of updates in order without waiting for the disk after each (one
/// flush afterwards serves them all), and returns the button presses to answer. An
/// update that does not read is set aside at once; one whose handling fails is tried
/// again with the next poll (it and those after it are not confirmed), up to
/// [`MAX_TRIES`] times counted on disk, then set aside: no update can stop the rest.
async fn store_batch(
    engine: &Engine,
    telegram: &Telegram,
    pulse: &Pulse,
    updates: Vec<RawUpdate>,
    shutdown: &CancellationToken,
) -> Vec<(CallbackQueryId, Option<String>)> {
    let mut answers = Vec::new();
    // An unreadable update without an id is confirmed by the next one that has one.
    for update in updates {
        let Some(id) = update.id() else {
            tracing::error!("an update without a readable id; confirmed with the next one");
            continue;
        };
        // Telegram returns only updates at or above the offset it was given, so
        // every update here is new, even one below the stored offset: update ids
        // start again at a random number after a week without updates.
        let ack = Ack::TelegramOffset(id.wrapping_add(1));
        let (update, raw) = match update {
            RawUpdate::Read { update, raw } => (update, raw),
            RawUpdate::Unreadable { chat, raw, .. } => {
                let about = chat.map(|chat_id| Input::Reporter {
                    from: ReporterAddress::Telegram { chat_id },
                    event: ReporterEvent::Unsupported,
                });
                let result = engine
                    .set_aside_inbound(
                        "telegram update",
                        "the update does not read",
                        raw.into_bytes(),
                        ack,
                        about,
                    )
                    .await;
                if let Err(e) = result {
                    tracing::error!(error = %e, "an unreadable update cannot be set aside; will retry");
                    pause(pulse, shutdown, ERROR_PAUSE).await;
                    break;
                }
                continue;
            }
        };
        // A panic anywhere in handling counts as a failure of this update: retried, then
        // set aside; never a crash that replays it for ever.
        let handled = AssertUnwindSafe(handle_update(engine, telegram, &update, ack.clone()))
            .catch_unwind()
            .await
            .unwrap_or(Err(UpdateError::Engine(crate::app::EngineError::Panicked)));
        match handled {
            Ok(handled) => {
                if let Some(id) = handled {
                    answers.push(id);
                }
                forget_failures(engine, id);
            }
            Err(UpdateError::Engine(error)) if error.is_storage_fault() => {
                // The disk, not this update: nothing is counted against it.
                tracing::warn!(%error, "an update could not be stored; will retry");
                pause(pulse, shutdown, ERROR_PAUSE).await;
                break;
            }
            Err(error) => {
                let key = failure_key(id);
                let tries = engine.store.note_inbound_failure(&key).unwrap_or(1);
                if tries < MAX_TRIES {
                    // Not confirmed: Telegram hands this update out again.
                    tracing::warn!(%error, tries, "an update could not be handled; will retry");
                    pause(pulse, shutdown, ERROR_PAUSE).await;
                    break;
                }
                let about = convert(&update).input;
                let reason = format!("handling failed {tries} times: {error}");
                if let Err(e) = engine
                    .set_aside_inbound("telegram update", &reason, raw.into_bytes(), ack, about)
                    .await
                {
                    tracing::error!(error = %e, "an update cannot be set aside; will retry");
                    pause(pulse, shutdown, ERROR_PAUSE).await;
                    break;
                }
                forget_failures(engine, id);
            }
        }
        pulse.progress();
    }
    answers
}

/// An update tried this often without success is set aside.
const MAX_TRIES: u32 = 4;

fn failure_key(update_id: i32) -> String {
    format!("telegram:{update_id}")
}

fn forget_failures(engine: &Engine, update_id: i32) {
    let key = failure_key(update_id);
    if engine.store.inbound_failures(&key) > 0
        && let Err(e) = engine.store.clear_inbound_failures(&key)
    {
        tracing::warn!(error = %e, "cannot forget an update's failures");
    }
}

/// Why an update could not be handled this time.
#[derive(Debug, thiserror::Error)]
enum UpdateError {
    #[error(transparent)]
    Fetch(#[from] super::files::FetchError),
    #[error(transparent)]
    Engine(#[from] crate::app::EngineError),
}

/// Handles one update (fetching its file first); the button press to answer, if any.
async fn handle_update(
    engine: &Engine,
    telegram: &Telegram,
    update: &Update,
    ack: Ack,
) -> Result<Option<(CallbackQueryId, Option<String>)>, UpdateError> {
    let converted = convert(update);
    if let Some(Input::Reporter {
        event: ReporterEvent::Text(text),
        ..
    }) = &converted.input
    {
        crate::watchdog::panic_if_asked(text);
    }
    if let Some(Input::Reporter {
        from: ReporterAddress::Telegram { chat_id },
        ..
    }) = &converted.input
    {
        telegram.pacer.note_employee_activity(*chat_id);
    }
    // Every message id seen is one the exactly-once probe need not ask about.
    if let Some(id) = converted.message_id
        && let Err(e) = engine.store.note_telegram_message(id)
    {
        tracing::warn!(error = %e, "cannot note a message id");
    }
    let input = match (converted.input, converted.file) {
        (Some(Input::Reporter { from, .. }), Some(file)) => {
            let file = telegram
                .fetch(file, &engine.service.first().settings.files)
                .await?;
            Some(Input::Reporter {
                from,
                event: ReporterEvent::File(file),
            })
        }
        (input, _) => input,
    };
    let handled = match input {
        Some(input) => {
            engine
                .apply_message(input, ack, converted.message_id)
                .await?
        }
        None => {
            engine.record_ack(ack).await?;
            Default::default()
        }
    };
    Ok(converted.callback.map(|id| (id, handled.toast)))
}

/// Waits (resting the pulse: a pause is no stall) unless shutdown comes first.
async fn pause(pulse: &Pulse, shutdown: &CancellationToken, wait: Duration) {
    pulse.idle();
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = tokio::time::sleep(wait) => {}
    }
    pulse.progress();
}
