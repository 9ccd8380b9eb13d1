//! Classifying Telegram errors for the delivery worker, and describing them for logs
//! without the request URL (it holds the bot token) or the raw response (it may hold text).

use teloxide::{ApiError, RequestError};

use crate::app::DeliveryError;

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

pub fn classify(error: &RequestError) -> DeliveryError {
    let reason = describe(error);
    match error {
        RequestError::RetryAfter(s) => DeliveryError::Transient {
            reason,
            retry_after: Some(s.duration()),
        },
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::BotKicked
            | ApiError::MessageIsTooLong
            | ApiError::MessageTextIsEmpty
            | ApiError::CantParseEntities(_)
            | ApiError::ButtonDataInvalid,
        ) => DeliveryError::Permanent { reason },
        RequestError::Api(ApiError::InvalidToken) => DeliveryError::Transient {
            reason,
            retry_after: Some(std::time::Duration::from_secs(60)),
        },
        _ => DeliveryError::Transient {
            reason,
            retry_after: None,
        },
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
