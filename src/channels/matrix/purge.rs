//! Removing what the bot's own Matrix crypto store keeps of a room it left for good (an
//! erased case's room, a reporter's chat): the room keys it received and sent, and the
//! per-room settings. matrix-sdk forgets a room's state, members and cached events
//! (`Room::forget`) but has no call to delete its room keys; without this, the store's
//! passphrase and the homeserver's ciphertext would open an erased case again.
//!
//! The sqlite crypto store keys these rows by a hash of the room id made with the store's
//! own cipher (kept in the store, sealed by the passphrase), so the same hash finds them.

use std::path::{Path, PathBuf};

use matrix_sdk_store_encryption::StoreCipher;

use crate::config::Secret;

/// The crypto store's file, inside the folder matrix-sdk is given.
const CRYPTO_FILE: &str = "matrix-sdk-crypto.sqlite3";

/// The tables that hold a row per room (or per room and session), by room id.
const ROOM_TABLES: &[&str] = &[
    "inbound_group_session",
    "outbound_group_session",
    "direct_withheld_info",
    "room_settings",
    "received_room_key_bundle",
    "room_key_backups_fully_downloaded",
    "rooms_pending_key_bundle",
];

/// Where the bot's crypto store is and how it opens.
pub struct CryptoStore {
    pub dir: PathBuf,
    pub passphrase: Secret,
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error("cannot open the Matrix crypto store: {0}")]
    Open(#[from] rusqlite::Error),
    #[error("the Matrix crypto store has no cipher (it was never opened by the bot)")]
    NoCipher,
    #[error("the Matrix crypto store's cipher does not open with the passphrase: {0}")]
    Cipher(#[from] matrix_sdk_store_encryption::Error),
}

impl CryptoStore {
    /// Deletes every row of `room_id` from the room-keyed tables; returns how many went.
    /// Blocking (sqlite and a key derivation): call it off the async runtime.
    pub fn purge_room(&self, room_id: &str) -> Result<usize, PurgeError> {
        purge_room(&self.dir, self.passphrase.expose(), room_id)
    }
}

fn purge_room(dir: &Path, passphrase: &str, room_id: &str) -> Result<usize, PurgeError> {
    let path = dir.join(CRYPTO_FILE);
    if !path.exists() {
        return Ok(0);
    }
    let conn = rusqlite::Connection::open(&path)?;
    // matrix-sdk holds its own connections; wait for them rather than fail.
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let sealed: Vec<u8> = conn
        .query_row("SELECT value FROM kv WHERE key = 'cipher'", [], |row| {
            row.get(0)
        })
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => PurgeError::NoCipher,
            other => PurgeError::Open(other),
        })?;
    let cipher = StoreCipher::import(passphrase, &sealed)?;
    let mut removed = 0;
    for table in ROOM_TABLES {
        let key = cipher.hash_key(table, room_id.as_bytes());
        match conn.execute(
            &format!("DELETE FROM \"{table}\" WHERE room_id = ?1"),
            [key.as_slice()],
        ) {
            Ok(n) => removed += n,
            // A table this store's schema version does not have holds nothing.
            Err(rusqlite::Error::SqliteFailure(_, Some(message)))
                if message.contains("no such table") => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(removed)
}
