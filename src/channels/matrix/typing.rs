//! A counsellor typing in a case room shows as "typing…" in the employee's chat, at most
//! once every few seconds per room (a typing notice is repeated while someone types, and
//! Telegram's indicator lasts five seconds), and naming nobody.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use matrix_sdk::ruma::events::AnySyncEphemeralRoomEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedRoomId, RoomId};

use super::Matrix;
use crate::app::Engine;
use crate::core::Input;
use crate::store::Ack;

/// The shortest time between two "typing…" for one room.
const EVERY: Duration = Duration::from_secs(4);

/// When each room last passed a typing notice on.
pub type Shown = std::sync::Mutex<HashMap<OwnedRoomId, Instant>>;

/// Passes a typing notice in a case room on to its employee's chats.
pub async fn pass_on(
    engine: &Engine,
    matrix: &Matrix,
    room_id: &RoomId,
    ephemeral: &[Raw<AnySyncEphemeralRoomEvent>],
) {
    let typing: Vec<String> = ephemeral
        .iter()
        .filter_map(|raw| raw.deserialize().ok())
        .filter_map(|event| match event {
            AnySyncEphemeralRoomEvent::Typing(typing) => Some(typing.content.user_ids),
            _ => None,
        })
        .flatten()
        .filter(|user| *user != matrix.own_user_id)
        .map(|user| user.to_string())
        .collect();
    if typing.is_empty() {
        return;
    }
    let Ok(Some(case)) = engine.store.case_for_room(room_id.as_str()) else {
        return;
    };
    {
        let mut shown = matrix
            .typing_shown
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if shown
            .get(room_id)
            .is_some_and(|at| now.duration_since(*at) < EVERY)
        {
            return;
        }
        shown.insert(room_id.to_owned(), now);
        shown.retain(|_, at| now.duration_since(*at) < EVERY * 10);
    }
    if let Err(e) = engine
        .apply(Input::CounsellorTyping { case, typing }, Ack::None)
        .await
    {
        tracing::debug!(error = %e, "a typing notice was not passed on");
    }
}
