//! Matrix, through matrix-sdk 0.18 with its encrypted sqlite store: case rooms for
//! counsellors, and direct chats with employees who report from Matrix.
//!
//! Inbound events are taken from our own sync loop, with the sync token kept in sled and
//! advanced only after every event of a response is stored: the SDK's own token is saved
//! before event handlers run, so relying on it could lose an event in a crash.

mod direct;
mod download;
mod duplicates;
mod errors;
mod events;
mod files;
mod formatted;
mod members;
mod outbound;
mod pending;
mod purge;
mod relayed;
mod session;
mod sync;
mod typing;
mod verification;

use std::sync::{Arc, Mutex};

use matrix_sdk::Client;
use matrix_sdk::ruma::OwnedUserId;
use tokio::sync::Semaphore;

pub use events::{Seen, read as read_event};
pub use session::{MatrixError, connect};
pub use sync::run as sync;
pub use verification::listen as listen_for_verifications;

/// The bot's Matrix connection.
#[derive(Clone)]
pub struct Matrix {
    pub client: Client,
    pub own_user_id: OwnedUserId,
    /// Deliveries talking to the homeserver at once (`matrix.max_requests_in_flight`).
    requests: Arc<Semaphore>,
    /// The homeserver asked for a pause in room creation (`M_LIMIT_EXCEEDED`) until then.
    rooms_throttled_until: Arc<Mutex<Option<tokio::time::Instant>>>,
    /// When the direct chats accepted in the last hour were accepted (a bound on what
    /// strangers can make the bot join).
    direct_accepted: Arc<std::sync::Mutex<std::collections::VecDeque<std::time::Instant>>>,
    /// The bot's own crypto store, from which an erased case's room keys are removed.
    crypto_store: Arc<purge::CryptoStore>,
    /// A message undecryptable this long gets a notice in its room.
    undecryptable_notice_after: std::time::Duration,
    /// When each case room last passed "typing…" on to the employee.
    typing_shown: Arc<typing::Shown>,
    /// The organisations' HR rooms (`organisation.hr_room`): their invites are kept,
    /// not declined, and taken the first time something goes there with consent.
    pub hr_rooms: Vec<String>,
}
