//! Matrix errors, read once: what kind of failure it is (for the delivery worker's retry
//! and the homeserver's own `retry_after`), and a description for the log that names the
//! kind and the `errcode` only. matrix-sdk's own texts can carry the request URL, and with
//! it a room id or a user id, so they never reach the log.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use matrix_sdk::HttpError;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};

use crate::app::DeliveryError;
use crate::core::io::Refusal;

/// How often at most the advice to exempt the bot from rate limits is logged.
const THROTTLE_ADVICE_EVERY: Duration = Duration::from_secs(600);

/// How long to wait when the homeserver no longer knows the bot's access token: an
/// administrator must act, and nothing is gained by asking every second.
const UNAUTHORISED_WAIT: Duration = Duration::from_secs(60);

/// What the delivery worker does about `error`: retry (with the homeserver's wait) or
/// set the message aside (too large, forbidden, refused as malformed).
pub fn classify(error: &matrix_sdk::Error) -> DeliveryError {
    match error {
        matrix_sdk::Error::Http(http) => classify_http(http),
        // The bot is no longer in the room (it was removed, the room deleted): asking
        // again gets the same answer.
        matrix_sdk::Error::WrongRoomState(_) => {
            DeliveryError::permanent(&describe(error), Refusal::Refused)
        }
        // matrix-sdk knows the homeserver's upload limit and refuses before sending.
        matrix_sdk::Error::Media(matrix_sdk::media::MediaError::MediaTooLargeToUpload {
            ..
        }) => DeliveryError::permanent(&describe(error), Refusal::TooLarge),
        other => DeliveryError::Transient {
            reason: describe(other),
            retry_after: None,
        },
    }
}

pub fn classify_http(error: &HttpError) -> DeliveryError {
    let reason = describe_http(error);
    let transient = |retry_after| DeliveryError::transient(&reason, retry_after);
    let permanent = |refusal| DeliveryError::permanent(&reason, refusal);
    let kind = error.client_api_error_kind();
    let status = status(error);
    match (kind, status) {
        (Some(ErrorKind::LimitExceeded(limit)), _) => {
            advise_on_throttling();
            transient(limit.retry_after.map(until))
        }
        (_, Some(429)) => {
            advise_on_throttling();
            transient(None)
        }
        (Some(ErrorKind::TooLarge), _) | (_, Some(413)) => permanent(Refusal::TooLarge),
        (Some(ErrorKind::UnknownToken(_) | ErrorKind::MissingToken), _) | (_, Some(401)) => {
            tracing::error!(
                "the homeserver does not accept the bot's access token; its session must be renewed"
            );
            transient(Some(UNAUTHORISED_WAIT))
        }
        // Timeouts and the server's own trouble pass.
        (_, Some(408)) => transient(None),
        (_, Some(500..)) => transient(None),
        // Forbidden, not found, malformed: asking again gets the same answer.
        (_, Some(400..=499)) => permanent(Refusal::Refused),
        // No answer at all (the network): it may come back.
        _ => transient(None),
    }
}

/// As [`classify`], for an invitation: a person the homeserver does not know is named.
pub fn classify_invite(error: &matrix_sdk::Error) -> DeliveryError {
    match classify(error) {
        DeliveryError::Permanent { reason, .. }
            if matches!(http_status(error), Some(404))
                || matches!(
                    error.client_api_error_kind(),
                    Some(ErrorKind::NotFound | ErrorKind::InvalidParam)
                ) =>
        {
            DeliveryError::Permanent {
                reason,
                refusal: Refusal::UnknownUser,
            }
        }
        other => other,
    }
}

fn http_status(error: &matrix_sdk::Error) -> Option<u16> {
    match error {
        matrix_sdk::Error::Http(http) => status(http),
        _ => None,
    }
}

fn until(retry_after: RetryAfter) -> Duration {
    match retry_after {
        RetryAfter::Delay(delay) => delay,
        RetryAfter::DateTime(at) => at.duration_since(SystemTime::now()).unwrap_or_default(),
    }
}

fn status(error: &HttpError) -> Option<u16> {
    error.as_client_api_error().map(|e| e.status_code.as_u16())
}

/// The kind of a matrix-sdk error, fit for the log.
pub fn describe(error: &matrix_sdk::Error) -> String {
    match error {
        matrix_sdk::Error::Http(http) => describe_http(http),
        matrix_sdk::Error::AuthenticationRequired => "not logged in".into(),
        other => {
            // The variant's name only; its text may hold ids.
            let debug = format!("{other:?}");
            let name: String = debug
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            format!("Matrix client error ({name})")
        }
    }
}

pub fn describe_http(error: &HttpError) -> String {
    match error {
        HttpError::Reqwest(e) if e.is_timeout() => "homeserver did not answer in time".into(),
        HttpError::Reqwest(e) if e.is_connect() => "cannot connect to the homeserver".into(),
        HttpError::Reqwest(_) => "network error talking to the homeserver".into(),
        _ => match (error.client_api_error_kind(), status(error)) {
            (Some(kind), Some(status)) => {
                format!("homeserver refused: {} ({status})", kind.errcode())
            }
            (None, Some(status)) => format!("homeserver refused ({status})"),
            _ => "unexpected answer from the homeserver".into(),
        },
    }
}

/// The homeserver throttles the bot's account: say once in a while what to do about it.
fn advise_on_throttling() {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let last = LAST.load(Ordering::Relaxed);
    if (last == 0 || now.saturating_sub(last) >= THROTTLE_ADVICE_EVERY.as_secs())
        && LAST
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        tracing::warn!(
            "the homeserver is rate-limiting the bot's account (M_LIMIT_EXCEEDED): case rooms \
             and messages are delayed. Exempt the bot's account from rate limits (Synapse: \
             POST /_synapse/admin/v1/users/<bot user id>/override_ratelimit with \
             {{\"messages_per_second\": 0, \"burst_count\": 0}}; see the README, \"Rate limits\")"
        );
    }
}
