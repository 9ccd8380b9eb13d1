//! Long-polling `getUpdates`. The offset sent to Telegram is the one stored with the last
//! handled update, so Telegram forgets an update only after it is safely stored; after a
//! crash, updates already stored but not yet confirmed are skipped by id.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use tokio_util::sync::CancellationToken;

use super::Telegram;
use super::errors::describe;
use super::inbound::convert;
use crate::app::Engine;
use crate::core::Input;
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
            let next = update.id.0 as i32 + 1;
            if next <= offset {
                continue;
            }
            let converted = convert(&update);
            if let (Some(Input::Reporter { from, .. }), Some(id)) =
                (&converted.input, converted.message_id)
                && let Err(e) = engine.store.note_message_id(from, id)
            {
                tracing::warn!(error = %e, "cannot note a message id");
            }
            let result = match converted.input {
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
