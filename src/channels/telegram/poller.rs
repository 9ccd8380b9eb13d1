//! Long-polling `getUpdates`. The offset sent to Telegram is the one stored with the last
//! handled update, so Telegram forgets an update only after it is safely stored, and an
//! update stored just before a crash is confirmed (not handed out again) by the next poll.
//! A batch is handled update by update and flushed to disk once, before the next poll.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, CallbackQueryId, Update};
use tokio_util::sync::CancellationToken;

use super::Telegram;
use super::errors::describe;
use super::inbound::convert;
use crate::app::Engine;
use crate::core::{Input, ReporterAddress, ReporterEvent};
use crate::store::Ack;
use crate::watchdog::{Pulse, stall_if_asked};

const ERROR_PAUSE: Duration = Duration::from_secs(3);

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
        let request = telegram
            .bot
            .get_updates()
            .offset(offset)
            .timeout(telegram.poll_timeout)
            .allowed_updates([
                AllowedUpdate::Message,
                AllowedUpdate::EditedMessage,
                AllowedUpdate::CallbackQuery,
            ]);
        let updates = tokio::select! {
            _ = shutdown.cancelled() => return,
            result = request.send() => result,
        };
        let updates = match updates {
            Ok(updates) => {
                polls_failed = 0;
                updates
            }
            Err(e) => {
                polls_failed += 1;
                let wait = match &e {
                    teloxide::RequestError::RetryAfter(s) => s.duration(),
                    _ => ERROR_PAUSE * polls_failed.min(10),
                };
                tracing::warn!(error = %describe(&e), "getUpdates failed");
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
/// flush afterwards serves them all), and returns the button presses to answer. Stops at
/// the first update that cannot be handled: it and those after it are not confirmed, so
/// Telegram hands them out again.
async fn store_batch(
    engine: &Engine,
    telegram: &Telegram,
    pulse: &Pulse,
    updates: Vec<Update>,
    shutdown: &CancellationToken,
) -> Vec<(CallbackQueryId, Option<String>)> {
    let mut answers = Vec::new();
    for update in updates {
        // Telegram returns only updates at or above the offset it was given, so
        // every update here is new, even one below the stored offset: update ids
        // start again at a random number after a week without updates.
        let next = update.id.0 as i32 + 1;
        let converted = convert(&update);
        if let Some(Input::Reporter {
            from: ReporterAddress::Telegram { chat_id },
            ..
        }) = &converted.input
        {
            telegram.pacer.note_employee_activity(*chat_id);
        }
        if let (Some(Input::Reporter { from, .. }), Some(id)) =
            (&converted.input, converted.message_id)
            && let Err(e) = engine.store.note_message_id(from, id)
        {
            tracing::warn!(error = %e, "cannot note a message id");
        }
        let input = match (converted.input, converted.file) {
            (Some(Input::Reporter { from, .. }), Some(file)) => {
                match telegram.fetch(file, &engine.core.settings.files).await {
                    Ok(file) => Some(Input::Reporter {
                        from,
                        event: ReporterEvent::File(file),
                    }),
                    Err(e) => {
                        // Not confirmed: Telegram hands the update out again.
                        tracing::warn!(error = %e, "will fetch the file again");
                        pause(pulse, shutdown, ERROR_PAUSE).await;
                        break;
                    }
                }
            }
            (input, _) => input,
        };
        let result = match input {
            Some(input) => engine.apply(input, Ack::TelegramOffset(next)).await,
            None => engine
                .record_ack(Ack::TelegramOffset(next))
                .await
                .map(|()| Default::default()),
        };
        match result {
            Ok(handled) => {
                if let Some(id) = converted.callback {
                    answers.push((id, handled.toast));
                }
            }
            Err(e) => {
                // Not confirmed: Telegram will hand this update out again.
                tracing::error!(error = %e, "an update could not be stored; will retry");
                pause(pulse, shutdown, ERROR_PAUSE).await;
                break;
            }
        }
        pulse.progress();
    }
    answers
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
