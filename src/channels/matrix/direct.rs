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
            if !take_direct_budget(matrix) {
                // Left as an invite: it is accepted once the hour has room again.
                continue;
            }
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
