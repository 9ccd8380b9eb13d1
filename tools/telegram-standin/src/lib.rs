//! A stand-in for the Telegram Bot API server, for integration tests and the local demo.
//!
//! Real Telegram is out of reach from the build and test machines, so this module serves the
//! part of the Bot API the bot uses (getUpdates long polling, sendMessage, inline keyboards and
//! callback queries, edits, deletions...) over HTTP, faithfully enough that teloxide talks to it
//! unchanged via `Bot::new(token).set_api_url(handle.api_url())`. Where the real server has
//! undocumented habits that a bot can trip over (how it parses markup, trims text, confirms
//! updates, throttles polls, words its errors), the stand-in copies them; each module says which.
//!
//! The employees' side is driven through [`StandinHandle`] in tests, through `/control/...`
//! from other processes, or by a person on the phone page at `/`.
//!
//! # What the bot relies on, and where Telegram says so
//!
//! | Behaviour | Source |
//! |---|---|
//! | Message ids of private chats come from **one counter per bot account**, shared by all its chats (only channels and supergroups number per chat); a chat's ids have gaps. [`StandinOptions::message_id_gaps`] adds the gaps deleted messages leave; [`StandinHandle::skip_message_ids`] adds them on demand. | "Messages in private chats and normal groups have per-user unique IDs … messages in channels/supergroups have per-channel unique IDs" (github.com/mautrix/telegram/issues/51); "Message id will be the same only in supergroups (and channels)" (github.com/tdlib/td/issues/533, a tdlib maintainer); "private chats and basic groups of one user have another common event sequence" (core.telegram.org/api/updates); "do not do arithmetic on message ids" (github.com/tdlib/td/issues/2419) |
//! | `editMessageText` / `editMessageCaption` for an id not in this chat (another chat's, deleted, not handed out yet): 400 `Bad Request: message to edit not found` | tdlib/telegram-bot-api `Client.cpp`, `check_message(…, "message to edit", …)` (a missing message is td's 404, answered as "`<type>` not found"); a deleted message: github.com/TelegramBotAPI/errors/issues/7 |
//! | … for the employee's message: `Bad Request: message can't be edited` | tdlib `MessagesManager.cpp`, `can_edit_message` (an incoming private message) |
//! | … to the very same content and reply markup: `Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message` | telegram-bot-api `Client.cpp` maps `MESSAGE_NOT_MODIFIED` to this; tdlib passes it on to bots |
//! | … `editMessageText` of a file message: `Bad Request: there is no text in the message to edit`; `editMessageCaption` of a text: `… there is no caption in the message to edit` | tdlib `MessagesManager.cpp` |
//! | … of the bot's own message with other content: taken, the edited Message returned; no time limit on a bot's own messages | Bot API, editMessageText ("On success … the edited Message is returned"; the 48-hour limit is for business messages only); tdlib `can_edit_message` (`!(is_bot && is_outgoing)`) |
//! | `deleteMessage`: "A message can only be deleted if it was sent less than 48 hours ago"; `message to delete not found`, `message can't be deleted` | Bot API, deleteMessage; telegram-bot-api `Client.cpp` |
//! | Flood control: 429 `Too Many Requests: retry after N` with `parameters.retry_after`; about one message per second per chat, about 30 per second in all | Bot API, ResponseParameters; core.telegram.org/bots/faq ("My bot is hitting limits") |
//! | A send whose answer never arrives (the connection breaks, or no answer comes) while the message is in the chat: [`StandinHandle::lose_answers`] | what any network does; the bot cannot tell it from a refusal but by asking |
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use telegram_standin::TestUser;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let telegram = telegram_standin::serve(listener, "123456:TEST".to_owned()).await?;
//! let alice = TestUser::new(1001, "Alice");
//! telegram.inject_text(&alice, "/start").expect("valid message");
//! let replies = telegram
//!     .wait_for_sent_count(alice.chat_id(), 1, std::time::Duration::from_secs(5))
//!     .await;
//! # let _ = replies;
//! # Ok(())
//! # }
//! ```

mod bot_api;
mod clock;
mod control_http;
mod employee;
mod error;
mod files;
mod handle;
mod markup;
mod methods;
mod model;
mod options;
mod params;
mod phone;
mod polling;
mod render;
mod shared;
mod state;
mod text;
mod updates;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;

pub use error::{ApiError, ControlError, WaitError};
pub use handle::StandinHandle;
pub use model::{
    AnswerLoss, ApiCall, Button, CallOutcome, CallbackAnswer, ChatMessage, MessageVersion,
    QueueStatus, SentMessage, TestUser,
};
pub use options::StandinOptions;
pub use text::TextEntity;

/// Starts a stand-in for a bot with `bot_token` on `listener`, with faithful default options.
pub async fn serve(listener: TcpListener, bot_token: String) -> std::io::Result<StandinHandle> {
    serve_with(listener, StandinOptions::new(bot_token)).await
}

/// Starts a stand-in with explicit options. The server runs in a spawned task until
/// [`StandinHandle::shutdown`] or the end of the runtime.
pub async fn serve_with(
    listener: TcpListener,
    options: StandinOptions,
) -> std::io::Result<StandinHandle> {
    let addr = listener.local_addr()?;
    let handle = StandinHandle {
        shared: Arc::new(shared::Shared::new(options)),
        addr,
        server: Arc::new(OnceLock::new()),
    };
    let app = Router::new()
        .route("/", get(phone::page))
        .nest("/control", control_http::router())
        .fallback(bot_api::handle)
        .with_state(handle.clone());
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the Telegram stand-in stopped serving");
        }
    });
    // Only this function sets it, once, so the set cannot fail.
    let _ = handle.server.set(task.abort_handle());
    Ok(handle)
}
