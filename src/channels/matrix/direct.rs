//! Employees who write to the bot from their own Matrix account. An employee starts a
//! direct chat with the bot (Element's "Start chat", encrypted); the bot accepts such
//! invites and records the room, sealed, in a registry of reporters' chats. Only a
//! registered room with at most two members is a reporter's chat: it is handled exactly
//! like a Telegram chat (the room id is the reporter address; the employee's Matrix id
//! is never used). Any other room (an erased case's room, a room the bot has not yet
//! recorded as a case room) is neither, and starts nothing.
//!
//! No intake runs in plain text: the bot turns encryption on in a chat it accepts where
//! it may, and answers an unencrypted message only with how to start an encrypted chat.

use std::collections::BTreeMap;

use matrix_sdk::ruma::api::client::sync::sync_events::v3::InvitedRoom;
use matrix_sdk::ruma::{OwnedRoomId, RoomId, UserId};

use super::Matrix;
use crate::app::Engine;
use crate::store::{Store, StoreError};

/// Accepts the invites that are direct chats; others (the bot has no business in group
/// rooms) are declined. A failure is logged and tried again at the next sync, as the
/// invite is still there.
pub async fn accept_invites(
    matrix: &Matrix,
    store: &Store,
    invited: &BTreeMap<OwnedRoomId, InvitedRoom>,
) {
    for (room_id, invite) in invited {
        let Some(room) = matrix.client.get_room(room_id) else {
            continue;
        };
        // HR's room: the invite waits until something goes there with consent.
        if matrix.hr_rooms.iter().any(|hr| hr == room_id.as_str()) {
            continue;
        }
        let result = if is_direct_invite(&matrix.own_user_id, invite) {
            if !take_direct_budget(matrix) {
                // Left as an invite: it is accepted once the hour has room again.
                continue;
            }
            // Recorded before joining: a crash in between leaves a record of a room
            // not joined (harmless), never a joined chat nobody answers.
            if let Err(e) = register(store, room_id) {
                tracing::error!(error = %e, "cannot record a reporter's chat; its invite waits");
                continue;
            }
            match room.join().await {
                Ok(_) => {
                    ensure_encrypted(&room).await;
                    Ok("accepted")
                }
                Err(e) => Err(e),
            }
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

/// Direct chats accepted per hour at most: far above what employees of one organisation
/// start, far below what a script could make the bot join.
const MAX_DIRECT_PER_HOUR: usize = 60;

/// Takes one accepted direct chat from the hour's budget; `false` when it is spent.
fn take_direct_budget(matrix: &Matrix) -> bool {
    let mut accepted = matrix
        .direct_accepted
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let taken = take_budget(&mut accepted, std::time::Instant::now());
    if taken && accepted.len() == MAX_DIRECT_PER_HOUR {
        tracing::warn!(
            limit = MAX_DIRECT_PER_HOUR,
            "as many new direct chats this hour as allowed; further invites wait"
        );
    }
    taken
}

/// A sliding hour: `true` (and counted) when fewer than the maximum were taken in the
/// hour before `now`.
fn take_budget(
    accepted: &mut std::collections::VecDeque<std::time::Instant>,
    now: std::time::Instant,
) -> bool {
    let hour = std::time::Duration::from_secs(3600);
    while accepted
        .front()
        .is_some_and(|at| now.saturating_duration_since(*at) > hour)
    {
        accepted.pop_front();
    }
    if accepted.len() >= MAX_DIRECT_PER_HOUR {
        return false;
    }
    accepted.push_back(now);
    true
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

/// Turns encryption on in a chat just accepted, where the bot may (Element's direct
/// chats are encrypted already); where it may not, messages arrive in plain text and are
/// answered only with how to start an encrypted chat.
async fn ensure_encrypted(room: &matrix_sdk::Room) {
    let encrypted = room
        .latest_encryption_state()
        .await
        .is_ok_and(|state| state.is_encrypted());
    if encrypted {
        return;
    }
    match room.enable_encryption().await {
        Ok(()) => tracing::info!("encryption turned on in a reporter's chat"),
        Err(e) => tracing::warn!(
            error = %super::errors::describe(&e),
            "a reporter's chat is not encrypted and the bot may not turn it on; it answers only with how to start an encrypted chat"
        ),
    }
}

/// The registry's name for a room: a keyed hash, so the store names no room.
fn registry_name(store: &Store, room_id: &str) -> String {
    format!(
        "direct-chat:{}",
        hex::encode(store.lookup_hash(room_id.as_bytes()))
    )
}

/// Records `room_id` as a reporter's chat the bot accepted.
pub fn register(store: &Store, room_id: &RoomId) -> Result<(), StoreError> {
    store.put_secret(&registry_name(store, room_id.as_str()), b"1")
}

/// Forgets `room_id` as a reporter's chat (the bot left it for good).
pub fn unregister(store: &Store, room_id: &str) -> Result<(), StoreError> {
    store.remove_secret(&registry_name(store, room_id))
}

/// Marks that chats accepted before the registry existed have been recorded.
const REGISTRY_FILLED: &str = "direct-chat-registry-filled";

/// Records, once, the employees' chats the bot accepted before it kept a registry: the
/// rooms its own account data marks as direct chats (matrix-sdk marks a room so when
/// it accepts a direct-chat invite) with at most two members, other than case rooms and
/// the bot's own chats with counsellors for the digest. Rooms of cases erased before
/// then are case rooms, never marked direct, so they stay out.
pub async fn register_older_chats(engine: &Engine, matrix: &Matrix) -> Result<(), StoreError> {
    if engine.store.get_secret(REGISTRY_FILLED)?.is_some() {
        return Ok(());
    }
    let mut recorded = 0;
    for room in matrix.client.joined_rooms() {
        let id = room.room_id().as_str();
        if engine.store.case_for_room(id)?.is_some()
            || room.joined_members_count() > 2
            || !room.is_direct().await.unwrap_or(false)
            || is_digest_room(engine, &room).await?
        {
            continue;
        }
        register(&engine.store, room.room_id())?;
        recorded += 1;
    }
    engine.store.put_secret(REGISTRY_FILLED, b"1")?;
    tracing::info!(
        recorded,
        "employees' chats accepted before the registry was kept are recorded"
    );
    Ok(())
}

/// Whether `room` is the bot's direct chat with a counsellor (for the digest).
async fn is_digest_room(engine: &Engine, room: &matrix_sdk::Room) -> Result<bool, StoreError> {
    let Ok(members) = room
        .members_no_sync(matrix_sdk::RoomMemberships::ACTIVE)
        .await
    else {
        return Ok(false);
    };
    for member in members {
        let name = super::outbound::digest_room_name(&engine.store, member.user_id().as_str());
        if engine
            .store
            .get_secret(&name)?
            .is_some_and(|stored| stored.as_slice() == room.room_id().as_str().as_bytes())
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether a message in `room_id` comes from an employee's direct chat: not a case room
/// (checked by the caller), at most two members, and a chat the bot accepted as one (or,
/// for chats accepted before the registry was kept, one that has a case).
pub async fn is_reporter_chat(engine: &Engine, matrix: &Matrix, room_id: &RoomId) -> bool {
    let Some(room) = matrix.client.get_room(room_id) else {
        return false;
    };
    if room.joined_members_count() > 2 {
        return false;
    }
    let registered = engine
        .store
        .get_secret(&registry_name(&engine.store, room_id.as_str()))
        .map(|found| found.is_some());
    match registered {
        Ok(true) => true,
        Ok(false) => {
            let address = crate::core::ReporterAddress::Matrix {
                room_id: room_id.to_string(),
            };
            !matches!(engine.store.case_for_address(&address), Ok(None))
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot read the registry of reporters' chats");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::time::{Duration, Instant};

    use super::{MAX_DIRECT_PER_HOUR, take_budget};

    #[test]
    fn direct_chats_are_accepted_up_to_the_hourly_budget_and_again_after() {
        let mut accepted = VecDeque::new();
        let start = Instant::now();
        for _ in 0..MAX_DIRECT_PER_HOUR {
            assert!(take_budget(&mut accepted, start));
        }
        assert!(!take_budget(&mut accepted, start + Duration::from_secs(60)));
        assert!(take_budget(
            &mut accepted,
            start + Duration::from_secs(3601)
        ));
    }
}
