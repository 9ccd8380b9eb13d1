//! Telegram, through teloxide's Bot API types and requests. Updates are polled here (not
//! with teloxide's dispatcher, which confirms updates before they are stored): an update's
//! offset is raised only after the engine has flushed what it caused.

mod errors;
mod files;
mod inbound;
mod outbound;
mod pacing;
mod poller;
mod probe;
#[cfg(test)]
mod probe_tests;
mod raw_updates;
mod relayed;

use std::sync::Arc;
use std::time::Duration;

use teloxide::Bot;

pub use inbound::{Converted, convert};
pub use poller::run as poll;
pub use raw_updates::{RawUpdate, read as read_update};

pub use pacing::Pacer;

use crate::config::TelegramConfig;
use crate::i18n::Catalog;
use crate::watchdog::Watchdog;

/// The bot's Telegram connection.
#[derive(Clone)]
pub struct Telegram {
    pub bot: Bot,
    pub poll_timeout: u32,
    /// Every call that sends, changes or removes a message waits for its turn here.
    pub pacer: Pacer,
    /// This process's sends and the doubts they left, for the exactly-once probe.
    pub ledger: Arc<probe::Ledger>,
    /// The texts, for the note on a message sent again.
    pub catalog: Arc<Catalog>,
}

impl Telegram {
    /// Sets up the client and starts the pacer (on the current Tokio runtime).
    pub fn new(
        config: &TelegramConfig,
        watchdog: &Watchdog,
        catalog: Arc<Catalog>,
    ) -> Result<Telegram, reqwest_error::BuildError> {
        // The HTTP timeout must outlast a long poll, or every idle poll ends in an error.
        let client = teloxide::net::default_reqwest_settings()
            .timeout(Duration::from_secs(
                u64::from(config.poll_timeout_seconds) + 15,
            ))
            .build()
            .map_err(|_| reqwest_error::BuildError)?;
        let bot =
            Bot::with_client(config.token.expose(), client).set_api_url(config.api_url.clone());
        Ok(Telegram {
            bot,
            poll_timeout: config.poll_timeout_seconds,
            pacer: Pacer::start(config.pace, watchdog.pulse("Telegram pacer")),
            ledger: Arc::default(),
            catalog,
        })
    }
}

pub mod reqwest_error {
    //! The HTTP client could not be built (TLS set-up failed).
    #[derive(Debug, thiserror::Error)]
    #[error("cannot set up the HTTP client for Telegram")]
    pub struct BuildError;
}
