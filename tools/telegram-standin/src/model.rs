//! The public data types of the control API: employees, messages as shown in a chat, button
//! presses, callback answers and the log of Bot API calls.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::text::TextEntity;

/// An employee using Telegram: the other side of a private chat with the bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestUser {
    /// Telegram user id; also the id of their private chat with the bot.
    pub id: u64,
    /// Display name (required by Telegram).
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// IETF language tag of the employee's Telegram app, e.g. "de".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

impl TestUser {
    /// An employee with just an id and a first name.
    pub fn new(id: u64, first_name: impl Into<String>) -> Self {
        Self {
            id,
            first_name: first_name.into(),
            last_name: None,
            username: None,
            language_code: None,
        }
    }

    /// Sets the username (without '@').
    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Sets the last name.
    pub fn with_last_name(mut self, last_name: impl Into<String>) -> Self {
        self.last_name = Some(last_name.into());
        self
    }

    /// Sets the app language.
    pub fn with_language(mut self, language_code: impl Into<String>) -> Self {
        self.language_code = Some(language_code.into());
        self
    }

    /// The id of the employee's private chat with the bot (equal to the user id, as in Telegram).
    pub fn chat_id(&self) -> i64 {
        i64::try_from(self.id).unwrap_or(i64::MAX)
    }
}

/// One inline keyboard button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub text: String,
    /// The data a press sends back; `None` for URL and other non-callback buttons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    /// The link of a URL button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// An earlier state of an edited message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageVersion {
    pub text: String,
    pub entities: Vec<TextEntity>,
    pub keyboard: Vec<Vec<Button>>,
    /// When this version stopped being current (Unix seconds, stand-in clock).
    pub replaced_at: i64,
}

/// A message of a private chat as the stand-in keeps it: sent by the bot, or by the employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub chat_id: i64,
    pub message_id: i32,
    /// True for the bot's messages, false for the employee's.
    pub from_bot: bool,
    /// Unix seconds (stand-in clock).
    pub date: i64,
    /// The text as Telegram stores it: markup parsed, control characters replaced, trimmed.
    /// Empty for non-text messages.
    pub text: String,
    pub entities: Vec<TextEntity>,
    /// The inline keyboard currently shown under the message.
    pub keyboard: Vec<Vec<Button>>,
    /// A non-inline reply markup the bot sent (custom keyboard, remove, force reply), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_keyboard: Option<serde_json::Value>,
    /// The `parse_mode` the bot used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_message_id: Option<i32>,
    pub disable_notification: bool,
    pub protect_content: bool,
    /// For employee messages that are not text: the content field name, e.g. "sticker".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_content: Option<String>,
    /// Whether the message was edited.
    pub edited: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_date: Option<i64>,
    /// Earlier versions, oldest first.
    pub history: Vec<MessageVersion>,
    /// Whether the message was deleted (it stays listed so tests can see that it existed).
    pub deleted: bool,
    /// The file a photo, document or voice message carries (see `StandinHandle::file_bytes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// The caption of a file message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
}

/// What the bot sent into a chat; the same shape as [`ChatMessage`] with `from_bot == true`.
pub type SentMessage = ChatMessage;

impl ChatMessage {
    /// All buttons in reading order.
    pub fn buttons(&self) -> impl Iterator<Item = &Button> {
        self.keyboard.iter().flatten()
    }

    /// The callback data of the first button with this label.
    pub fn button_data(&self, label: &str) -> Option<&str> {
        self.buttons()
            .find(|button| button.text == label)
            .and_then(|button| button.callback_data.as_deref())
    }

    /// Button labels row by row, handy in assertions.
    pub fn button_labels(&self) -> Vec<Vec<String>> {
        self.keyboard
            .iter()
            .map(|row| row.iter().map(|button| button.text.clone()).collect())
            .collect()
    }
}

/// One answerCallbackQuery call the bot made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackAnswer {
    pub callback_query_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub show_alert: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub cache_time: i64,
    /// The chat whose button was pressed.
    pub chat_id: i64,
}

/// How a Bot API call was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallOutcome {
    pub ok: bool,
    /// HTTP status: 200, or the error code.
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One Bot API request the stand-in received.
#[derive(Debug, Clone, Serialize)]
pub struct ApiCall {
    /// Running number, from 0.
    pub seq: usize,
    /// The method as Telegram spells it ("sendMessage") when known, otherwise as requested.
    pub method: String,
    /// When the request arrived (monotonic clock), for checking waits between retries.
    #[serde(skip)]
    pub received_at: Instant,
    /// Milliseconds since the stand-in started, the serialisable form of `received_at`.
    pub received_ms: u64,
    /// Milliseconds the stand-in took to answer (long polls take long); `None` while pending.
    pub duration_ms: Option<u64>,
    /// The request's parameters (query string and body merged).
    pub params: BTreeMap<String, String>,
    /// `None` while the call is still being answered (e.g. a long poll), or if the bot hung up.
    pub outcome: Option<CallOutcome>,
}

/// What the update queue looks like, for asserting confirmation semantics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueStatus {
    /// Updates waiting to be confirmed (delivered or not).
    pub pending_update_count: usize,
    /// The highest offset any getUpdates call confirmed with: all updates below it are gone.
    pub confirmed_offset: Option<u32>,
    /// The update_id the next update will get.
    pub next_update_id: u32,
    /// The update kinds the bot asked for, `None` while it uses Telegram's default.
    pub allowed_updates: Option<Vec<String>>,
}

/// How the answer to a call the stand-in carried out is lost on its way to the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerLoss {
    /// The connection breaks mid-answer: the bot's request fails at once.
    Break,
    /// No answer ever comes: the request hangs until the bot gives up (or is killed).
    Hang,
    /// The request hangs and is never carried out (it never reached Telegram).
    Stall,
}
