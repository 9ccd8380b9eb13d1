//! Long-polling `getUpdates`. The offset sent to Telegram is the one stored with the last
//! handled update, so Telegram forgets an update only after it is safely stored, and an
//! update stored just before a crash is confirmed (not handed out again) by the next poll.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use tokio_util::sync::CancellationToken;

use super::Telegram;
use super::errors::describe;
use super::inbound::convert;
use crate::app::Engine;
use crate::core::{Input, ReporterEvent};
use crate::store::Ack;

const ERROR_PAUSE: Duration = Duration::from_secs(3);

pub async fn run(engine: Arc<Engine>, telegram: Telegram, shutdown: CancellationToken) {
    let mut polls_failed = 0u32;
    loop {
        let offset = match engine.store.telegram_offset() {
            Ok(offset) => offset,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the Telegram offset");
                pause(&shutdown, ERROR_PAUSE).await;
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
                pause(&shutdown, wait).await;
                continue;
            }
        };
        for update in updates {
            // Telegram returns only updates at or above the offset it was given, so
            // every update here is new, even one below the stored offset: update ids
            // start again at a random number after a week without updates.
            let next = update.id.0 as i32 + 1;
            let converted = convert(&update);
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
                            pause(&shutdown, ERROR_PAUSE).await;
                            break;
                        }
                    }
                }
                (input, _) => input,
            };
            let result = match input {
                Some(input) => engine.handle(input, Ack::TelegramOffset(next)).await,
                None => engine
                    .acknowledge(Ack::TelegramOffset(next))
                    .await
                    .map(|()| Default::default()),
            };
            match result {
                Ok(handled) => {
                    if let Some(id) = converted.callback {
                        let mut answer = telegram.bot.answer_callback_query(id);
                        if let Some(toast) = handled.toast {
                            answer = answer.text(toast);
                        }
                        // Only stops a spinner on the phone; losing it loses nothing.
                        if let Err(e) = answer.await {
                            tracing::debug!(error = %describe(&e), "answerCallbackQuery failed");
                        }
                    }
                }
                Err(e) => {
                    // Not confirmed: Telegram will hand this update out again.
                    tracing::error!(error = %e, "an update could not be stored; will retry");
                    pause(&shutdown, ERROR_PAUSE).await;
                    break;
                }
            }
        }
    }
}

async fn pause(shutdown: &CancellationToken, wait: Duration) {
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = tokio::time::sleep(wait) => {}
    }
}
