//! The background sync loop: keeps the client's view of rooms and keys current, accepts
//! every room invite (a counsellor invited to a case room takes it, as in the demo's
//! story), and tells the page when to re-read.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::OwnedRoomId;
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::sync::SyncResponse;

use crate::error::ConsoleError;
use crate::state::Console;

/// Long-poll time of one sync request.
const POLL: Duration = Duration::from_secs(30);
/// Pause after a failed sync, so a homeserver that is down is not hammered.
const ERROR_PAUSE: Duration = Duration::from_secs(2);
const JOIN_ATTEMPTS: u32 = 3;

/// Syncs until the session is rejected (returned as an error) or the task is dropped.
pub async fn run(console: Console, store: std::path::PathBuf) -> Result<(), ConsoleError> {
    let joining: Arc<Mutex<HashSet<OwnedRoomId>>> = Arc::default();
    let mut first = true;
    loop {
        // The first sync returns at once, so the page has rooms to show right away.
        let settings = if first {
            SyncSettings::default()
        } else {
            SyncSettings::default().timeout(POLL)
        };
        match console.client.sync_once(settings).await {
            Ok(response) => {
                first = false;
                accept_invites(&console, &joining);
                if worth_a_look(&response) {
                    console.changed();
                }
            }
            Err(e) if is_session_gone(&e) => return Err(ConsoleError::SessionGone { store }),
            Err(e) => {
                tracing::warn!(error = %e, "sync failed; retrying");
                tokio::time::sleep(ERROR_PAUSE).await;
            }
        }
    }
}

fn is_session_gone(error: &matrix_sdk::Error) -> bool {
    matches!(
        error.client_api_error_kind(),
        Some(ErrorKind::UnknownToken(_))
    )
}

/// Rooms, invites or to-device messages (room keys arrive that way): the page may
/// now show more, or decrypt what it could not.
fn worth_a_look(response: &SyncResponse) -> bool {
    let rooms = &response.rooms;
    !(rooms.joined.is_empty()
        && rooms.invited.is_empty()
        && rooms.left.is_empty()
        && response.to_device.is_empty())
}

/// Joins every room we are invited to, each once at a time; an invite whose join
/// failed is tried again after the next sync, since it is still an invite then.
fn accept_invites(console: &Console, joining: &Arc<Mutex<HashSet<OwnedRoomId>>>) {
    for room in console.client.invited_rooms() {
        let room_id = room.room_id().to_owned();
        if !joining.lock().expect("join set").insert(room_id.clone()) {
            continue;
        }
        let console = console.clone();
        let joining = Arc::clone(joining);
        tokio::spawn(async move {
            join(&console, &room_id).await;
            joining.lock().expect("join set").remove(&room_id);
        });
    }
}

async fn join(console: &Console, room_id: &OwnedRoomId) {
    for attempt in 1..=JOIN_ATTEMPTS {
        match console.client.join_room_by_id(room_id).await {
            Ok(_) => {
                tracing::info!("accepted a room invite");
                console.changed();
                return;
            }
            Err(e) if attempt == JOIN_ATTEMPTS => {
                tracing::warn!(error = %e, "could not accept a room invite; will retry after the next sync");
            }
            // A join can race the invite on the server; a moment later it works.
            Err(_) => tokio::time::sleep(Duration::from_millis(300)).await,
        }
    }
}
