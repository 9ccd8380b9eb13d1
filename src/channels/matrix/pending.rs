//! Events waiting for their room keys, and the events of the same room written after
//! them. An event that cannot be decrypted yet is kept (sealed in the store) and tried
//! again after every sync; events of its room that come after it are held behind it, so
//! the employee gets messages in the order they were written. The hold lasts until the
//! key arrives or the bound (`matrix.undecryptable_notice_after`) passes: then the room
//! (or the reporter) is told which message could not be read and why, the key is asked
//! for again (from the sender's devices, and from key backup where it is set up), and
//! the events held behind it flow on. A key that arrives later still opens the message.

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::api::client::to_device::send_event_to_device;
use matrix_sdk::ruma::events::AnySyncTimelineEvent;
use matrix_sdk::ruma::events::room::encrypted::OriginalSyncRoomEncryptedEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::to_device::DeviceIdOrAllDevices;
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId, RoomId, TransactionId};
use serde::{Deserialize, Serialize};

use super::Matrix;
use crate::app::Engine;
use crate::core::time::SignedDuration;
use crate::core::{Input, ReporterAddress, ReporterEvent, Timestamp};
use crate::store::Ack;

const PENDING: &str = "matrix-undecryptable";

/// Events waiting for their keys are kept this long, and at most this many (anyone in
/// a room can send events no key will ever open).
const PENDING_EXPIRY: SignedDuration = SignedDuration::from_hours(24);
const MAX_PENDING: usize = 1000;

/// One kept event.
#[derive(Serialize, Deserialize)]
pub(super) struct Pending {
    room: OwnedRoomId,
    /// The encrypted event, while its key is missing.
    #[serde(default)]
    event: Option<Raw<OriginalSyncRoomEncryptedEvent>>,
    /// A readable event of the same room, held behind an earlier one that is not.
    #[serde(default)]
    held: Option<Held>,
    /// When it was first kept (absent in lists written before this was recorded).
    #[serde(default)]
    since: Option<Timestamp>,
    /// Its room (or reporter) was told it could not be read; it holds nothing back then.
    #[serde(default)]
    noticed: bool,
}

/// A readable event as the sync gave it: its decrypted form, and whether it came
/// encrypted (a reporter's words are taken only if they did).
#[derive(Serialize, Deserialize)]
struct Held {
    event: Raw<AnySyncTimelineEvent>,
    encrypted: bool,
}

/// A kept event whose turn has come: readable now, to be handled as usual.
pub(super) struct Ready {
    pub room: OwnedRoomId,
    pub event: TimelineEvent,
    /// Whether it came encrypted.
    pub encrypted: bool,
}

fn load(engine: &Engine) -> Vec<Pending> {
    match engine.store.get_secret(PENDING) {
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn save(engine: &Engine, pending: &[Pending]) {
    let bytes = serde_json::to_vec(pending).expect("pending events serialise");
    if let Err(e) = engine.store.put_secret(PENDING, &bytes) {
        tracing::error!(error = %e, "cannot keep undecryptable events");
    }
}

/// The id of the event an item keeps.
fn event_id_of(item: &Pending) -> Option<String> {
    match (&item.event, &item.held) {
        (Some(event), _) => event.get_field::<String>("event_id").ok().flatten(),
        (None, Some(held)) => held.event.get_field::<String>("event_id").ok().flatten(),
        (None, None) => None,
    }
}

fn push(engine: &Engine, item: Pending) {
    let mut pending = load(engine);
    // A catch-up after a restart reads again what was kept before it: kept once.
    let id = event_id_of(&item);
    if id.is_some() && pending.iter().any(|p| event_id_of(p) == id) {
        return;
    }
    pending.push(item);
    // Over the bound, the oldest events that cannot be read are given up, never one that
    // can: those held behind them then flow on.
    let mut dropped = 0;
    while pending.len() > MAX_PENDING {
        let Some(oldest) = pending.iter().position(|p| p.event.is_some()) else {
            break;
        };
        pending.remove(oldest);
        dropped += 1;
    }
    if dropped > 0 {
        tracing::warn!(
            dropped,
            "too many events wait for room keys; the oldest are given up"
        );
    }
    tracing::info!(waiting = pending.len(), "an event waits for its room key");
    save(engine, &pending);
}

/// Keeps an event that cannot be decrypted yet.
pub(super) fn keep_undecryptable(engine: &Engine, room_id: &RoomId, event: &TimelineEvent) {
    push(
        engine,
        Pending {
            room: room_id.to_owned(),
            event: Some(event.raw().clone().cast_unchecked()),
            held: None,
            since: Some(engine.now()),
            noticed: false,
        },
    );
}

/// Whether events of `room_id` must wait behind an earlier one that cannot be read yet.
pub(super) fn holds_back(engine: &Engine, room_id: &RoomId) -> bool {
    load(engine)
        .iter()
        .any(|p| p.room == room_id && p.event.is_some() && !p.noticed)
}

/// Holds a readable event behind an earlier unreadable one of its room.
pub(super) fn hold(engine: &Engine, room_id: &RoomId, event: &TimelineEvent, encrypted: bool) {
    push(
        engine,
        Pending {
            room: room_id.to_owned(),
            event: None,
            held: Some(Held {
                event: event.raw().clone(),
                encrypted,
            }),
            since: Some(engine.now()),
            noticed: false,
        },
    );
}

/// The kept events whose turn has come, and those still kept.
pub(super) struct Taken {
    pub ready: Vec<Ready>,
    still: Vec<Pending>,
}

impl Taken {
    /// Saves what is still kept; call once the ready events are handled (if handling
    /// fails, the whole list is gone through again, and what was handled is skipped).
    pub fn keep_the_rest(self, engine: &Engine) {
        save(engine, &self.still);
    }
}

/// Goes through the kept events in order: those that open (or were held and whose room
/// no longer waits) are ready to be handled; those past the bound are told about once.
pub(super) async fn take_ready(engine: &Engine, matrix: &Matrix) -> Option<Taken> {
    let pending = load(engine);
    if pending.is_empty() {
        return None;
    }
    let now = engine.now();
    let bound = SignedDuration::try_from(matrix.undecryptable_notice_after)
        .unwrap_or(SignedDuration::from_secs(60));
    let mut still = Vec::new();
    let mut ready = Vec::new();
    let mut waiting_rooms: Vec<OwnedRoomId> = Vec::new();
    let mut expired = 0;
    for mut item in pending {
        let Some(room) = matrix.client.get_room(&item.room) else {
            continue;
        };
        let since = *item.since.get_or_insert(now);
        if now.duration_since(since) > PENDING_EXPIRY {
            expired += 1;
            continue;
        }
        let room_waits = waiting_rooms.contains(&item.room);
        if let Some(held) = &item.held {
            if room_waits {
                still.push(item);
            } else {
                ready.push(Ready {
                    room: item.room.clone(),
                    event: TimelineEvent::from_plaintext(held.event.clone()),
                    encrypted: held.encrypted,
                });
            }
            continue;
        }
        let Some(encrypted) = &item.event else {
            continue;
        };
        match room.decrypt_event(encrypted, None).await {
            Ok(event) if !event.kind.is_utd() => {
                if room_waits {
                    // Opened, but an earlier one of its room has not: it waits in line.
                    item.held = Some(Held {
                        event: event.raw().clone(),
                        encrypted: true,
                    });
                    item.event = None;
                    still.push(item);
                } else {
                    ready.push(Ready {
                        room: item.room.clone(),
                        event,
                        encrypted: true,
                    });
                }
            }
            _ => {
                if !item.noticed && now.duration_since(since) > bound {
                    item.noticed = true;
                    tell_unreadable(engine, matrix, &item.room, encrypted).await;
                    ask_for_key_again(matrix, &item.room, encrypted).await;
                }
                if !item.noticed {
                    waiting_rooms.push(item.room.clone());
                }
                still.push(item);
            }
        }
    }
    if expired > 0 {
        tracing::warn!(expired, "events whose room keys never came are given up");
    }
    Some(Taken { ready, still })
}

/// Tells the room (a counsellor's message) or the reporter (their own) that a message
/// could not be read, through the core, which says why and what to do.
async fn tell_unreadable(
    engine: &Engine,
    matrix: &Matrix,
    room_id: &RoomId,
    event: &Raw<OriginalSyncRoomEncryptedEvent>,
) {
    let sender: Option<OwnedUserId> = event.get_field("sender").ok().flatten();
    let input = match engine.store.case_for_room(room_id.as_str()) {
        Ok(Some(case)) => Input::CounsellorUndecryptable {
            case,
            sender: sender.map(|s| s.to_string()).unwrap_or_default(),
        },
        Ok(None) if super::direct::is_reporter_chat(engine, matrix, room_id).await => {
            Input::Reporter {
                from: ReporterAddress::Matrix {
                    room_id: room_id.to_string(),
                },
                event: ReporterEvent::Undecryptable,
            }
        }
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "cannot tell which room an unreadable message is in");
            return;
        }
    };
    tracing::warn!("a message stayed undecryptable past the bound; its room is told");
    if let Err(e) = engine.apply(input, Ack::None).await {
        tracing::error!(error = %e, "cannot tell a room about an unreadable message");
    }
}

/// Asks for a missing room key again: from the devices of the message's sender (a
/// device that shared the session with the bot before, and lost it from the bot's
/// store, shares it again) and from key backup, if the bot has one.
async fn ask_for_key_again(
    matrix: &Matrix,
    room_id: &RoomId,
    event: &Raw<OriginalSyncRoomEncryptedEvent>,
) {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(event.json().get()) else {
        return;
    };
    let content = &json["content"];
    let (Some(sender), Some(session_id)) =
        (json["sender"].as_str(), content["session_id"].as_str())
    else {
        return;
    };
    let Ok(sender) = OwnedUserId::try_from(sender) else {
        return;
    };
    if matrix.client.encryption().backups().are_enabled().await {
        match matrix
            .client
            .encryption()
            .backups()
            .download_room_key(room_id, session_id)
            .await
        {
            Ok(true) => tracing::info!("a missing room key was fetched from key backup"),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read key backup for a missing room key"),
        }
    }
    let Some(own_device) = matrix.client.device_id() else {
        return;
    };
    let request = serde_json::json!({
        "action": "request",
        "body": {
            "algorithm": content["algorithm"],
            "room_id": room_id.as_str(),
            "sender_key": content["sender_key"],
            "session_id": session_id,
        },
        "request_id": TransactionId::new().to_string(),
        "requesting_device_id": own_device.as_str(),
    });
    let Ok(raw) = serde_json::value::to_raw_value(&request) else {
        return;
    };
    let mut messages = std::collections::BTreeMap::new();
    messages.insert(
        sender,
        std::collections::BTreeMap::from([(DeviceIdOrAllDevices::AllDevices, Raw::from_json(raw))]),
    );
    let send = send_event_to_device::v3::Request::new_raw(
        "m.room_key_request".into(),
        TransactionId::new(),
        messages,
    );
    match matrix.client.send(send).await {
        Ok(_) => tracing::info!("a missing room key was asked for again"),
        Err(e) => {
            tracing::warn!(error = %super::errors::describe_http(&e), "cannot ask for a missing room key")
        }
    }
}
