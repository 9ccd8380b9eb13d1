//! Settings of a stand-in instance: who the bot is and which real-server quirks to reproduce.

use super::params::to_integer;

/// How a stand-in behaves. `StandinOptions::new(token)` gives a faithful default.
#[derive(Debug, Clone)]
pub struct StandinOptions {
    /// The bot token the bot must use in `/bot<TOKEN>/<method>`.
    pub token: String,
    /// The bot's user id; defaults to the number before ':' in the token, as in Telegram.
    pub bot_id: u64,
    /// The bot's username (without '@'), returned by getMe.
    pub bot_username: String,
    /// The bot's display name, returned by getMe.
    pub bot_first_name: String,
    /// The first update_id handed out. Telegram starts at a random number; so does the
    /// stand-in unless this is set (useful for deterministic test output).
    pub first_update_id: Option<u32>,
    /// Reproduce the real server's throttling of repeated getUpdates calls: a call with the same
    /// offset as the previous one, made within 3 s of it, waits at least 3 s for updates, and
    /// within 0.5 s returns at most one update. On by default because the real server does it;
    /// a bot that short-polls in a loop is slowed down exactly as in production.
    pub throttle_repeated_polls: bool,
    /// Leave random gaps (0 to 2 ids) before each new message id, as messages deleted in
    /// any of the account's chats do. Off by default: ids still have gaps whenever
    /// several chats are active, because they come from one counter for the whole account.
    pub message_id_gaps: bool,
}

impl StandinOptions {
    /// Faithful defaults for a bot with this token.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        let prefix = token.split(':').next().unwrap_or("");
        let bot_id = u64::try_from(to_integer(prefix))
            .ok()
            .filter(|id| *id > 0)
            .unwrap_or(1_000_000);
        Self {
            token,
            bot_id,
            bot_username: "confidant_standin_bot".to_owned(),
            bot_first_name: "Confidant".to_owned(),
            first_update_id: None,
            throttle_repeated_polls: true,
            message_id_gaps: false,
        }
    }
}
