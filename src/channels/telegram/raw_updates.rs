//! `getUpdates`, read update by update. teloxide reads a whole batch as one
//! `Vec<Update>`: one update it cannot read (a field of an unexpected type, an escape
//! serde refuses) fails the batch, and the poller would ask for the same offset for
//! ever. Here the answer is split into raw JSON values first; each is then read on its
//! own, and one that does not read is handed back as such (with its id, so the poller
//! can set it aside and confirm past it).

use std::time::Duration;

use serde::Deserialize;
use serde_json::value::RawValue;
use teloxide::Bot;
use teloxide::types::{Update, UpdateKind};

/// One update of a batch.
#[derive(Debug)]
pub enum RawUpdate {
    /// Read by teloxide; `raw` is kept to set it aside if handling it keeps failing.
    Read { update: Box<Update>, raw: String },
    /// Not readable. `id` is its update id when that much reads; `chat` the private chat
    /// it came from, when that reads, so its sender can be told.
    Unreadable {
        id: Option<i32>,
        chat: Option<i64>,
        raw: String,
    },
}

impl RawUpdate {
    pub fn id(&self) -> Option<i32> {
        match self {
            RawUpdate::Read { update, .. } => Some(update.id.0 as i32),
            RawUpdate::Unreadable { id, .. } => *id,
        }
    }
}

/// Why a poll brought nothing. Log-safe: no URL (it holds the token), no payload.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("cannot reach Telegram ({0})")]
    Network(&'static str),
    #[error("Telegram refused getUpdates with status {code}")]
    Refused {
        code: u16,
        retry_after: Option<Duration>,
    },
    #[error("Telegram's answer to getUpdates does not read")]
    Unreadable,
}

impl PollError {
    /// How long Telegram asked to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            PollError::Refused { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    result: Option<Vec<Box<RawValue>>>,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Deserialize)]
struct Parameters {
    #[serde(default)]
    retry_after: Option<u64>,
}

/// As much of an update as is needed to confirm past it and to answer its sender.
#[derive(Deserialize)]
struct Outline {
    update_id: Option<i64>,
    #[serde(default)]
    message: Option<MessageOutline>,
    #[serde(default)]
    edited_message: Option<MessageOutline>,
}

#[derive(Deserialize)]
struct MessageOutline {
    chat: ChatOutline,
}

#[derive(Deserialize)]
struct ChatOutline {
    id: i64,
    #[serde(rename = "type")]
    kind: String,
}

/// Polls once: updates from `offset`, waiting up to `timeout` seconds for one.
pub async fn get_updates(
    bot: &Bot,
    offset: i32,
    timeout: u32,
    allowed: &[&str],
) -> Result<Vec<RawUpdate>, PollError> {
    // As teloxide builds it: by path segments (a token's colon would read as a scheme).
    let mut url = bot.api_url();
    url.path_segments_mut()
        .map_err(|()| PollError::Network("bad API address"))?
        .pop_if_empty()
        .push(&format!("bot{}", bot.token()))
        .push("getUpdates");
    let body = serde_json::json!({
        "offset": offset,
        "timeout": timeout,
        "allowed_updates": allowed,
    });
    let response = bot
        .client()
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| PollError::Network(network_kind(&e)))?;
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| PollError::Network(network_kind(&e)))?;
    let answer: Answer = serde_json::from_slice(&bytes).map_err(|_| PollError::Unreadable)?;
    match (answer.ok, answer.result) {
        (true, Some(result)) => Ok(result.into_iter().map(|raw| read(raw.get())).collect()),
        _ => Err(PollError::Refused {
            code: answer.error_code.unwrap_or(status),
            retry_after: answer
                .parameters
                .and_then(|p| p.retry_after)
                .map(Duration::from_secs),
        }),
    }
}

fn network_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "network error"
    }
}

/// Reads one update; teloxide's own "could not read this kind" counts as unreadable.
pub fn read(raw: &str) -> RawUpdate {
    match serde_json::from_str::<Update>(raw) {
        Ok(update) if !matches!(update.kind, UpdateKind::Error(_)) => RawUpdate::Read {
            update: Box::new(update),
            raw: raw.to_owned(),
        },
        _ => {
            let outline = serde_json::from_str::<Outline>(raw).ok();
            let id = outline
                .as_ref()
                .and_then(|o| o.update_id)
                .and_then(|id| i32::try_from(id).ok());
            let chat = outline
                .and_then(|o| o.message.or(o.edited_message))
                .filter(|m| m.chat.kind == "private")
                .map(|m| m.chat.id);
            RawUpdate::Unreadable {
                id,
                chat,
                raw: raw.to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_update_reads_and_a_bad_one_keeps_its_id_and_chat() {
        let good = r#"{"update_id": 7, "message": {"message_id": 1, "date": 1700000000,
            "chat": {"id": 42, "type": "private", "first_name": "Eva"},
            "from": {"id": 42, "is_bot": false, "first_name": "Eva"}, "text": "hallo"}}"#;
        assert!(matches!(read(good), RawUpdate::Read { .. }));
        let bad = r#"{"update_id": 8, "message": {"message_id": 2, "date": "gisteren",
            "chat": {"id": 42, "type": "private", "first_name": "Eva"}, "text": "x"}}"#;
        match read(bad) {
            RawUpdate::Unreadable { id, chat, .. } => {
                assert_eq!((id, chat), (Some(8), Some(42)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_lone_surrogate_fails_one_update_not_the_batch() {
        let batch = r#"{"ok": true, "result": [
            {"update_id": 1, "message": {"message_id": 1, "date": 1700000000,
             "chat": {"id": 5, "type": "private", "first_name": "A"}, "text": "\ud800"}},
            {"update_id": 2, "message": {"message_id": 2, "date": 1700000000,
             "chat": {"id": 5, "type": "private", "first_name": "A"}, "text": "goed"}}]}"#;
        let answer: Answer = serde_json::from_str(batch).expect("the batch splits");
        let updates: Vec<RawUpdate> = answer
            .result
            .unwrap()
            .iter()
            .map(|raw| read(raw.get()))
            .collect();
        assert!(
            matches!(
                &updates[0],
                RawUpdate::Unreadable {
                    id: Some(1),
                    chat: Some(5),
                    ..
                }
            ),
            "{:?}",
            updates[0]
        );
        assert!(matches!(&updates[1], RawUpdate::Read { .. }));
    }
}
