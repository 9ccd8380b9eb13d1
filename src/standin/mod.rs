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
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use confidant::standin::{self, TestUser};
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let telegram = standin::serve(listener, "123456:TEST".to_owned()).await?;
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
    ApiCall, Button, CallOutcome, CallbackAnswer, ChatMessage, MessageVersion, QueueStatus,
    SentMessage, TestUser,
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
