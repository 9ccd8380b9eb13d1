//! Error types of the stand-in: Bot API errors sent to the bot, and errors of the control API
//! used by tests and the phone page.

use std::time::Duration;

use serde_json::{Value, json};

/// An error answer of the Bot API, shaped like Telegram's:
/// `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`.
///
/// The descriptions copy the real server's wording, because bots (and teloxide's `ApiError`)
/// match on them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} {description}")]
pub struct ApiError {
    /// HTTP status and `error_code`.
    pub code: u16,
    /// Telegram's `description`, prefix included ("Bad Request: ...").
    pub description: String,
    /// `parameters.retry_after`, only for 429 answers.
    pub retry_after: Option<u32>,
}

impl ApiError {
    fn new(code: u16, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            retry_after: None,
        }
    }

    /// 400 with the "Bad Request: " prefix Telegram puts before every parameter error.
    pub fn bad_request(message: impl AsRef<str>) -> Self {
        Self::new(400, format!("Bad Request: {}", message.as_ref()))
    }

    /// 403, e.g. "Forbidden: bot was blocked by the user".
    pub fn forbidden(message: impl AsRef<str>) -> Self {
        Self::new(403, format!("Forbidden: {}", message.as_ref()))
    }

    /// 401 for a token that is not the bot's, worded as api.telegram.org does.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    /// 404 for paths and methods the server does not know, worded as api.telegram.org does.
    pub fn not_found() -> Self {
        Self::new(404, "Not Found")
    }

    /// 409, e.g. a getUpdates call terminated by a newer one.
    pub fn conflict(message: impl AsRef<str>) -> Self {
        Self::new(409, format!("Conflict: {}", message.as_ref()))
    }

    /// 429 flood-control answer with `parameters.retry_after`.
    /// Any refusal, as a test asks for it (`StandinHandle::refuse_method`).
    pub fn refusal(code: u16, description: impl Into<String>) -> Self {
        Self::new(code, description)
    }

    pub fn too_many_requests(retry_after: u32) -> Self {
        Self {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        }
    }

    /// The JSON body Telegram sends with this error.
    pub fn to_json(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        if let Some(retry_after) = self.retry_after {
            body["parameters"] = json!({ "retry_after": retry_after });
        }
        body
    }
}

/// A control-API request the stand-in cannot carry out, e.g. pressing a button on a message
/// that does not exist. These are mistakes in a test (or the phone page), not Bot API errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// No private chat with this id has been opened by an employee.
    #[error("no chat {0}: no employee with this id has written to the bot")]
    UnknownChat(i64),
    /// No employee with this id is known.
    #[error("no employee with id {0} is known to the stand-in")]
    UnknownUser(u64),
    /// The message does not exist in the chat (or was deleted).
    #[error("message {message_id} does not exist in chat {chat_id}")]
    UnknownMessage { chat_id: i64, message_id: i32 },
    /// The message exists but is not the kind this action needs.
    #[error("message {message_id} in chat {chat_id} cannot be used here: {reason}")]
    WrongMessage {
        chat_id: i64,
        message_id: i32,
        reason: &'static str,
    },
    /// Telegram clients do not send empty (or whitespace-only) messages.
    #[error("the message text is empty after Telegram's trimming")]
    EmptyText,
    /// Telegram clients do not send messages longer than 4096 characters in one piece.
    #[error("the message text has {0} UTF-16 units; Telegram allows at most 4096")]
    TextTooLong(usize),
    /// The employee blocked the bot, so their client cannot write to it.
    #[error("employee {0} has blocked the bot; unblock first")]
    BotBlocked(u64),
    /// A user description the stand-in cannot use.
    #[error("invalid employee: {0}")]
    InvalidUser(String),
    /// A raw update that is not an update object.
    #[error("invalid update: {0}")]
    InvalidUpdate(String),
}

/// A `wait_for_*` call ran out of time. The message lists what the stand-in had at that point,
/// so a failing test shows what the bot did instead.
#[derive(Debug, Clone, thiserror::Error)]
#[error("timed out after {waited:?} waiting for {what}; the stand-in has:\n{found}")]
pub struct WaitError {
    /// What the caller was waiting for.
    pub what: String,
    /// How long it waited.
    pub waited: Duration,
    /// A readable dump of the relevant state at the time out.
    pub found: String,
}
