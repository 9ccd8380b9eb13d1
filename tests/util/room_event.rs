//! One event of a room as a test sees it: decrypted where possible, with its
//! full JSON, so assertions can range over every field of every event.

use matrix_sdk::deserialized_responses::{TimelineEvent, TimelineEventKind};
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};
use serde_json::Value;

/// A room event, plaintext or decrypted, or an undecryptable one (`utd`).
#[derive(Clone, Debug)]
pub struct RoomEvent {
    pub event_id: Option<OwnedEventId>,
    pub sender: Option<OwnedUserId>,
    /// The (decrypted) event type, e.g. `m.room.message`, `m.room.member`;
    /// `m.room.encrypted` when it could not be decrypted.
    pub event_type: String,
    /// `content.body` of an `m.room.message`.
    pub body: Option<String>,
    /// Set for state events (`m.room.name`, `m.room.member`, ...).
    pub state_key: Option<String>,
    /// Whether it was sent encrypted.
    pub was_encrypted: bool,
    /// Why it could not be decrypted, if it could not (yet): the SDK's reason,
    /// Debug-formatted, e.g. `MissingMegolmSession { withheld_code: None }`.
    pub utd: Option<String>,
    /// The decrypted event's JSON, or the event as received if not encrypted
    /// or not decryptable.
    pub raw: Value,
}

impl RoomEvent {
    pub fn from_timeline(event: &TimelineEvent) -> RoomEvent {
        let raw: Value = event.raw().deserialize_as().unwrap_or(Value::Null);
        let (was_encrypted, utd) = match &event.kind {
            TimelineEventKind::Decrypted(_) => (true, None),
            TimelineEventKind::UnableToDecrypt { utd_info, .. } => {
                (true, Some(format!("{:?}", utd_info.reason)))
            }
            TimelineEventKind::PlainText { .. } => (false, None),
        };
        let text = |v: &Value| v.as_str().map(str::to_owned);
        let event_type = text(&raw["type"]).unwrap_or_default();
        let body = if event_type == "m.room.message" {
            text(&raw["content"]["body"])
        } else {
            None
        };
        RoomEvent {
            event_id: event.event_id(),
            sender: event.sender(),
            state_key: text(&raw["state_key"]),
            event_type,
            body,
            was_encrypted,
            utd,
            raw,
        }
    }

    /// Whether `needle` occurs in any string of this event's JSON: keys,
    /// values, state keys, IDs, nested content.
    pub fn mentions(&self, needle: &str) -> bool {
        json_mentions(&self.raw, needle)
    }
}

fn json_mentions(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(s) => s.contains(needle),
        Value::Array(items) => items.iter().any(|v| json_mentions(v, needle)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains(needle) || json_mentions(v, needle)),
        Value::Null | Value::Bool(_) | Value::Number(_) => value.to_string().contains(needle),
    }
}
