//! Classifying Telegram errors for the delivery worker, and describing them for logs
//! without the request URL (it holds the bot token) or the raw response (it may hold text).

use teloxide::{ApiError, RequestError};

use std::time::Duration;

use crate::app::DeliveryError;
use crate::core::io::Refusal;

/// A log-safe description: the kind of error, never its payload.
pub fn describe(error: &RequestError) -> String {
    match error {
        RequestError::Api(api) => format!("Telegram refused: {}", api_name(api)),
        RequestError::MigrateToChatId(_) => "chat migrated".into(),
        RequestError::RetryAfter(s) => format!("rate limited for {} s", s.seconds()),
        RequestError::Network(e) if e.is_timeout() => "network timeout".into(),
        RequestError::Network(e) if e.is_connect() => "cannot connect".into(),
        RequestError::Network(_) => "network error".into(),
        RequestError::InvalidJson { .. } => "unreadable response".into(),
        RequestError::Io(_) => "I/O error".into(),
    }
}

fn api_name(api: &ApiError) -> String {
    match api {
        ApiError::Unknown(_) => "unknown error".into(),
        other => format!("{other:?}"),
    }
}

/// The one place that decides, for Telegram, whether trying again can help. A refusal
/// Telegram states (its error description) is permanent unless it is about load or the
/// token; network trouble and server errors are transient (and bounded by
/// `limits.delivery_give_up` in the worker).
pub fn classify(error: &RequestError) -> DeliveryError {
    let reason = describe(error);
    let transient = |retry_after| DeliveryError::transient(&reason, retry_after);
    let permanent = |refusal| DeliveryError::permanent(&reason, refusal);
    match error {
        RequestError::RetryAfter(s) => transient(Some(s.duration())),
        RequestError::Api(ApiError::InvalidToken) => transient(Some(Duration::from_secs(60))),
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::UserNotFound
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::GroupDeactivated,
        ) => permanent(Refusal::Unreachable),
        RequestError::Api(
            ApiError::MessageIsTooLong
            | ApiError::EditedMessageIsTooLong
            | ApiError::RequestEntityTooLarge,
        ) => permanent(Refusal::TooLarge),
        RequestError::Api(ApiError::Unknown(description)) => {
            match classify_description(description) {
                Some(refusal) => permanent(refusal),
                None => transient(None),
            }
        }
        // Every other named error is a "Bad Request" about this very message.
        RequestError::Api(_) => permanent(Refusal::Refused),
        RequestError::MigrateToChatId(_) => permanent(Refusal::Unreachable),
        RequestError::Network(_) | RequestError::InvalidJson { .. } | RequestError::Io(_) => {
            transient(None)
        }
    }
}

/// Reads a description teloxide does not name. Telegram starts each with its HTTP
/// status text ("Bad Request: …", "Forbidden: …"); 413 comes as "Request Entity Too
/// Large". Server trouble ("Internal Server Error", "Bad Gateway", "Too Many Requests")
/// is left transient (`None`).
fn classify_description(description: &str) -> Option<Refusal> {
    let lower = description.to_ascii_lowercase();
    if lower.contains("too large") || lower.contains("too big") || lower.contains("too long") {
        Some(Refusal::TooLarge)
    } else if lower.starts_with("forbidden") {
        Some(Refusal::Unreachable)
    } else if lower.starts_with("bad request") || lower.starts_with("not found") {
        Some(Refusal::Refused)
    } else {
        None
    }
}

/// Edits that find nothing to change, or nothing to edit, have nothing left to do.
pub fn edit_is_moot(error: &RequestError) -> bool {
    matches!(
        error,
        RequestError::Api(
            ApiError::MessageNotModified
                | ApiError::MessageToEditNotFound
                | ApiError::MessageCantBeEdited
                | ApiError::MessageIdInvalid
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(error: RequestError) -> Option<Refusal> {
        match classify(&error) {
            DeliveryError::Permanent { refusal, .. } => Some(refusal),
            DeliveryError::Transient { .. } => None,
        }
    }

    #[test]
    fn refusals_that_never_succeed_are_permanent() {
        let unknown = |d: &str| RequestError::Api(ApiError::Unknown(d.into()));
        assert_eq!(
            refusal(RequestError::Api(ApiError::BotBlocked)),
            Some(Refusal::Unreachable)
        );
        assert_eq!(
            refusal(unknown("Bad Request: PHOTO_INVALID_DIMENSIONS")),
            Some(Refusal::Refused)
        );
        assert_eq!(
            refusal(unknown("Request Entity Too Large")),
            Some(Refusal::TooLarge)
        );
        assert_eq!(
            refusal(unknown("Forbidden: bot was blocked by the user")),
            Some(Refusal::Unreachable)
        );
        assert_eq!(refusal(unknown("Not Found")), Some(Refusal::Refused));
        assert_eq!(
            refusal(RequestError::Api(ApiError::MessageToDeleteNotFound)),
            Some(Refusal::Refused)
        );
    }

    #[test]
    fn load_and_server_trouble_are_transient() {
        let unknown = |d: &str| RequestError::Api(ApiError::Unknown(d.into()));
        assert_eq!(refusal(unknown("Internal Server Error")), None);
        assert_eq!(refusal(unknown("Bad Gateway")), None);
        assert_eq!(refusal(RequestError::Api(ApiError::InvalidToken)), None);
        assert_eq!(
            refusal(RequestError::RetryAfter(
                teloxide::types::Seconds::from_seconds(3)
            )),
            None
        );
    }
}
