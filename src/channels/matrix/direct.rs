//! Employees who write to the bot from their own Matrix account. An employee starts a
//! direct chat with the bot (Element's "Start chat", encrypted); the bot accepts such
//! invites, and a two-person room that is neither a case room nor the bot's own chat
//! with a counsellor is that employee's chat: it is handled exactly like a Telegram chat
//! (the room id is the reporter address; the employee's Matrix id is never used).

use std::collections::BTreeMap;

use matrix_sdk::ruma::api::client::sync::sync_events::v3::InvitedRoom;
use matrix_sdk::ruma::{OwnedRoomId, RoomId, UserId};

use super::Matrix;
use crate::app::Engine;

/// Accepts the invites that are direct chats; others (the bot has no business in group
/// rooms) are declined. A failure is logged and tried again at the next sync, as the
/// invite is still there.
pub async fn accept_invites(matrix: &Matrix, invited: &BTreeMap<OwnedRoomId, InvitedRoom>) {
    for (room_id, invite) in invited {
        let Some(room) = matrix.client.get_room(room_id) else {
            continue;
        };
        let result = if is_direct_invite(&matrix.own_user_id, invite) {
            room.join().await.map(|_| "accepted")
        } else {
            room.leave().await.map(|_| "declined")
        };
        match result {
            Ok(what) => tracing::info!(what, "a Matrix invite was answered"),
            Err(e) => tracing::warn!(
                error = %super::errors::describe(&e),
                "a Matrix invite could not be answered yet"
            ),
        }
    }
}

/// Whether our own member event in the invite says `is_direct` (a 1:1 chat).
fn is_direct_invite(own: &UserId, invite: &InvitedRoom) -> bool {
    invite.invite_state.events.iter().any(|raw| {
        serde_json::from_str::<serde_json::Value>(raw.json().get()).is_ok_and(|event| {
            event["type"] == "m.room.member"
                && event["state_key"] == own.as_str()
                && event["content"]["is_direct"] == true
        })
    })
}

/// Whether a message in `room_id` from `sender` comes from an employee's direct chat:
/// not a case room (checked by the caller), at most two members, and not the room the
/// bot uses for a counsellor's digest.
pub async fn is_reporter_chat(
    engine: &Engine,
    matrix: &Matrix,
    room_id: &RoomId,
    sender: &UserId,
) -> bool {
    let Some(room) = matrix.client.get_room(room_id) else {
        return false;
    };
    if room.joined_members_count() > 2 {
        return false;
    }
    let digest_room = format!(
        "dm-room:{}",
        hex::encode(engine.store.lookup_hash(sender.as_str().as_bytes()))
    );
    match engine.store.get_secret(&digest_room) {
        Ok(Some(stored)) => stored.as_slice() != room_id.as_str().as_bytes(),
        Ok(None) => true,
        Err(e) => {
            tracing::error!(error = %e, "cannot tell a counsellor's chat from an employee's");
            false
        }
    }
}
