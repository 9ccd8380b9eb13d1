//! Reading and writing rooms through matrix-sdk: the room list from the client's synced
//! state, a room's recent history from the homeserver (decrypted with the keys this
//! device has right now), and sending a plain-text message.

use std::collections::HashMap;

use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::{OwnedUserId, RoomId};
use matrix_sdk::{Room, RoomMemberships, RoomState};

use crate::state::Console;
use crate::view::{self, MessageView, People, RoomView};

/// How far back a room is shown: plenty for a demo case, one request per read.
const HISTORY: u32 = 200;

#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    #[error("no such room (or not invited to it)")]
    Unknown,
    #[error("the invite to this room has not been accepted yet")]
    NotJoined,
    #[error("the homeserver did not answer as expected: {0}")]
    Matrix(#[from] matrix_sdk::Error),
}

/// Joined and invited rooms, in display order.
pub fn list(console: &Console) -> Vec<RoomView> {
    let client = &console.client;
    let rooms = client
        .joined_rooms()
        .into_iter()
        .chain(client.invited_rooms());
    let mut views: Vec<RoomView> = rooms
        .map(|room| RoomView {
            room_id: room.room_id().to_string(),
            name: room.name().unwrap_or_else(|| room.room_id().to_string()),
            encrypted: room.encryption_state().is_encrypted(),
            joined: room.state() == RoomState::Joined,
        })
        .collect();
    view::sort_rooms(&mut views);
    views
}

fn room(console: &Console, room_id: &RoomId) -> Result<Room, RoomError> {
    let room = console.client.get_room(room_id).ok_or(RoomError::Unknown)?;
    match room.state() {
        RoomState::Joined => Ok(room),
        RoomState::Invited => Err(RoomError::NotJoined),
        _ => Err(RoomError::Unknown),
    }
}

/// The room's latest messages, oldest first.
pub async fn messages(console: &Console, room_id: &RoomId) -> Result<Vec<MessageView>, RoomError> {
    let room = room(console, room_id)?;
    let mut options = MessagesOptions::backward();
    options.limit = HISTORY.into();
    let page = room.messages(options).await?;
    let people = people(console, &room).await?;
    let mut lines: Vec<MessageView> = page
        .chunk
        .iter()
        .filter_map(view::read)
        .map(|entry| view::view(entry, &people))
        .collect();
    // Fetched newest first.
    lines.reverse();
    Ok(lines)
}

async fn people(console: &Console, room: &Room) -> Result<People, RoomError> {
    let members = room.members_no_sync(RoomMemberships::all()).await?;
    let names: HashMap<OwnedUserId, String> = members
        .iter()
        .map(|m| (m.user_id().to_owned(), m.name().to_owned()))
        .collect();
    Ok(People {
        me: console.me.user_id.clone(),
        my_name: console.me.name.clone(),
        bots: room.creators().unwrap_or_default(),
        names,
    })
}

/// Sends `text` as a plain message; returns the event id.
pub async fn send(console: &Console, room_id: &RoomId, text: &str) -> Result<String, RoomError> {
    let room = room(console, room_id)?;
    let sent = room.send(RoomMessageEventContent::text_plain(text)).await?;
    console.changed();
    Ok(sent.response.event_id.to_string())
}
