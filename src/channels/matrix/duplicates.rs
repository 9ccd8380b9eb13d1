//! Rooms made twice for one creation. Room creation is idempotent through a keyed alias
//! (`Matrix::create_room_once`): an attempt whose answer was lost (a crash, a timeout) is
//! retried with the same alias, and the homeserver answers "alias in use" and the room is
//! found through the alias, never through what the client happens to know. But two
//! attempts the homeserver works on at the same time (a slow homeserver, a retry after a
//! timeout) can both pass its alias check, and one room then gets no alias.
//!
//! So every room the bot creates carries a marker (state `org.confidant.room`, content
//! `{"key": <the alias's local part>}`, a keyed hash that names nothing). A marked room
//! the bot is in, that the store does not know, whose alias leads to another room, is a
//! duplicate: it is told so in its own words (the counsellors see a notice and a name
//! saying it is not in use, and where to go), and the bot leaves it. It is never taken
//! for an employee's chat (only registered chats are, see `direct`), and nothing written
//! there is passed on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use matrix_sdk::ruma::OwnedRoomId;
use matrix_sdk::ruma::events::StateEventType;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::{Room, RoomMemberships};
use serde_json::json;

use super::Matrix;
use crate::app::Engine;
use crate::core::text_keys;
use crate::i18n::Args;

/// The state event type that marks a room the bot created.
const MARKER: &str = "org.confidant.room";

/// The marker for a room created under alias local part `key`, as initial state.
pub(super) fn marker(key: &str) -> Raw<matrix_sdk::ruma::events::AnyInitialStateEvent> {
    let event = json!({ "type": MARKER, "state_key": "", "content": { "key": key } });
    Raw::from_json(serde_json::value::to_raw_value(&event).expect("a JSON object serialises"))
}

/// Rooms waiting to be looked at, and whether a look is under way: one look at a time,
/// so a slow homeserver never stacks them, and the sync never waits for one.
static WAITING: Mutex<Vec<OwnedRoomId>> = Mutex::new(Vec::new());
static LOOKING: AtomicBool = AtomicBool::new(false);
/// How long setting one duplicate aside may take before it is left for the next look.
const SET_ASIDE_WITHIN: Duration = Duration::from_secs(60);

/// Looks, in the background, at the rooms with these ids (`None`: every room the bot is
/// in) for duplicates.
pub(super) fn look(engine: &Arc<Engine>, matrix: &Matrix, rooms: Option<Vec<OwnedRoomId>>) {
    let rooms = rooms.unwrap_or_else(|| {
        matrix
            .client
            .joined_rooms()
            .iter()
            .map(|room| room.room_id().to_owned())
            .collect()
    });
    waiting().extend(rooms);
    if LOOKING.swap(true, Ordering::AcqRel) {
        return;
    }
    let (engine, matrix) = (engine.clone(), matrix.clone());
    tokio::spawn(async move {
        loop {
            let mut rooms = std::mem::take(&mut *waiting());
            rooms.sort();
            rooms.dedup();
            if rooms.is_empty() {
                LOOKING.store(false, Ordering::Release);
                // A room added between the take and the store is looked at now, unless
                // a new look has taken it over.
                if waiting().is_empty() || LOOKING.swap(true, Ordering::AcqRel) {
                    break;
                }
                continue;
            }
            for room_id in rooms {
                if let Some(room) = matrix.client.get_room(&room_id) {
                    check(&engine, &matrix, &room).await;
                }
            }
        }
    });
}

fn waiting() -> std::sync::MutexGuard<'static, Vec<OwnedRoomId>> {
    WAITING.lock().unwrap_or_else(|p| p.into_inner())
}

async fn check(engine: &Engine, matrix: &Matrix, room: &Room) {
    match engine.store.case_for_room(room.room_id().as_str()) {
        Ok(None) => {}
        // A case room: the one its alias leads to.
        Ok(Some(_)) => return,
        Err(error) => {
            tracing::warn!(%error, "cannot tell whether a room is a case room");
            return;
        }
    }
    let Some(key) = marker_key(room).await else {
        return;
    };
    let Some(alias) = matrix.room_alias(&key) else {
        return;
    };
    // The homeserver, not the client's cache, says which room is the one.
    match matrix.client.resolve_room_alias(&alias).await {
        Ok(found) if found.room_id != room.room_id() => {
            match tokio::time::timeout(SET_ASIDE_WITHIN, set_aside(engine, room)).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::warn!(
                    error = %super::errors::describe(&error),
                    "cannot set a duplicate room aside yet; will try again"
                ),
                Err(_) => {
                    tracing::warn!("setting a duplicate room aside takes too long; will try again")
                }
            }
        }
        // The room itself, or its creation is still under way (no alias yet).
        Ok(_) => {}
        Err(error) => {
            tracing::debug!(error = %super::errors::describe_http(&error), "a marked room's alias does not resolve (yet)");
        }
    }
}

/// The marker's key, if the bot created this room.
async fn marker_key(room: &Room) -> Option<String> {
    let raw = room
        .get_state_event(StateEventType::from(MARKER), "")
        .await
        .ok()??;
    let value: serde_json::Value = match raw {
        matrix_sdk::deserialized_responses::RawAnySyncOrStrippedState::Sync(raw) => {
            raw.deserialize_as().ok()?
        }
        matrix_sdk::deserialized_responses::RawAnySyncOrStrippedState::Stripped(raw) => {
            raw.deserialize_as().ok()?
        }
    };
    // Only the bot's own marker counts: anyone could put one in a room they made.
    if value["sender"].as_str() != room.own_user_id().as_str().into() {
        return None;
    }
    value["content"]["key"].as_str().map(str::to_owned)
}

/// Tells the duplicate's members, removes them (an invite not yet taken is withdrawn),
/// the notice as the reason, so that the room leaves their lists, and leaves it.
async fn set_aside(engine: &Engine, room: &Room) -> Result<(), matrix_sdk::Error> {
    tracing::warn!(
        "a room made twice for one creation was found; its members are told and removed"
    );
    let name = room.name().unwrap_or_default();
    let catalog = &engine.service.first().catalog;
    let lang = &engine.service.first().settings.default_lang;
    let args = Args::default().text("name", name.clone());
    let notice = catalog.render(lang, text_keys::ROOM_DUPLICATE_NOTICE, &args);
    room.send(RoomMessageEventContent::notice_plain(notice.clone()))
        .await?;
    let renamed = catalog.render(lang, text_keys::ROOM_DUPLICATE_NAME, &args);
    if let Err(error) = room.set_name(renamed).await {
        tracing::warn!(error = %super::errors::describe(&error), "cannot rename a duplicate room");
    }
    let members = room
        .members(RoomMemberships::JOIN | RoomMemberships::INVITE)
        .await?;
    for member in members {
        if member.user_id() != room.own_user_id() {
            room.kick_user(member.user_id(), Some(&notice)).await?;
        }
    }
    room.leave().await?;
    Ok(())
}
