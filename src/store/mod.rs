//! Durable state in sled: cases, transcripts, the outbox, timers and lookups, every
//! record with content sealed with its case's key. One place writes state and the
//! messages it causes together, atomically ([`Store::commit`]).

mod attempts;
mod batch;
mod check;
mod codec;
mod commit;
mod error;
#[cfg(test)]
mod every_record_tests;
mod flusher;
pub mod format;
#[cfg(test)]
mod lifecycle_tests;
mod outbox;
mod quarantine;
mod registrations;
mod rotation;
mod snapshot;
mod supersede;
mod telegram_ids;
mod timers;
mod watermark;

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use attempts::Attempts;
pub use batch::Batch;
pub use check::CheckReport;
pub use commit::{Ack, Commit, CommitReport};
pub use error::StoreError;
pub use outbox::{Completed, Delivered, Destination, OutboxEntry, SentRecord};
pub use quarantine::{QuarantineEntry, Quarantined};
pub use rotation::{Rotated, rotate};
pub use snapshot::{Dump, Tree as DumpedTree, restore as restore_dump};
pub use supersede::Superseded;
pub use telegram_ids::InFlightMark;
pub use timers::DueTimer;

use crate::core::files::FileBytes;
use crate::core::{Case, CaseId, ReporterAddress, Shared, TranscriptEntry};
use crate::crypto::{DataKey, DerivedKeys, KeyError, Keyring, LookupKey, MasterKey, open, seal};

/// The trees, by purpose. The order is the index into [`Store::trees`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    /// case id → sealed case record
    Cases,
    /// keyed hash of a reporter chat → case id
    Lookup,
    /// case id ++ position → sealed transcript record
    Transcript,
    /// destination hash ++ sequence → entry (sealed message to send)
    Outbox,
    /// due time ++ case id ++ kind → nothing (the scheduler's index)
    Timers,
    /// named singletons: Telegram offset, Matrix sync token, shared state, key check
    Meta,
    /// keyed hash of a Matrix event id → nothing (handled inbound events)
    Handled,
    /// keyed hash of a case room id → case id
    Rooms,
    /// case id → sealed case room id
    CaseRooms,
    /// case id ++ sequence → sealed record of a message delivered to a reporter
    Sent,
    /// destination hash ++ sequence → entry that a network refused for good
    DeadLetters,
    /// outbox key → nothing: a send was started and its outcome is not known yet
    InFlight,
    /// random registration id → anonymous registration record, sealed with the system
    /// key so that it outlives the case's erasure
    Registrations,
    /// case id ++ transcript position → a file's bytes, sealed with the case key
    Files,
    /// outbox key → how often its delivery failed, and since when (no content)
    Attempts,
    /// random id → an input or record set aside because it could not be handled, sealed
    /// with its case's key (or the system key), for an operator
    Quarantine,
    /// keyed hash of an inbound item (Telegram update, Matrix event) → how often handling
    /// it failed, before it is set aside
    Failures,
    /// Telegram message id of the bot's account → nothing: ids the bot has seen (the
    /// employees' messages, its own delivered ones), which the exactly-once probe skips
    TelegramIds,
}

impl T {
    /// Every tree, in discriminant order (a test checks the order).
    const ALL: [T; 18] = [
        T::Cases,
        T::Lookup,
        T::Transcript,
        T::Outbox,
        T::Timers,
        T::Meta,
        T::Handled,
        T::Rooms,
        T::CaseRooms,
        T::Sent,
        T::DeadLetters,
        T::InFlight,
        T::Registrations,
        T::Files,
        T::Attempts,
        T::Quarantine,
        T::Failures,
        T::TelegramIds,
    ];

    fn name(self) -> &'static str {
        match self {
            T::Cases => "cases",
            T::Lookup => "lookup",
            T::Transcript => "transcript",
            T::Outbox => "outbox",
            T::Timers => "timers",
            T::Meta => "meta",
            T::Handled => "handled",
            T::Rooms => "rooms",
            T::CaseRooms => "case_rooms",
            T::Sent => "sent",
            T::DeadLetters => "dead_letters",
            T::InFlight => "in_flight",
            T::Registrations => "registrations",
            T::Files => "files",
            T::Attempts => "attempts",
            T::Quarantine => "quarantine",
            T::Failures => "failures",
            T::TelegramIds => "telegram_ids",
        }
    }
}

/// sled's page cache (its default is a gigabyte). The working set of tens of thousands
/// of cases fits; beyond it, pages are read from disk again.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

const KEY_CHECK: &[u8] = b"key-check";
const KEY_CHECK_PLAIN: &[u8] = b"confidant master key check";
pub(crate) const META_TELEGRAM_OFFSET: &[u8] = b"telegram-offset";
pub(crate) const META_MATRIX_SINCE: &[u8] = b"matrix-since";
/// A number that rises with every commit (see `watermark`).
pub(crate) const META_GENERATION: &[u8] = b"generation";
const META_SHARED: &[u8] = b"shared";
/// Before the name of each of the program's own secrets in the meta tree.
const SECRET_PREFIX: &[u8] = b"secret:";
/// Added to sled's sequence numbers: a store restored from a dump numbers above it.
const META_ID_BASE: &[u8] = b"id-base";
/// The lookup key, sealed with the system key, once a rotation has replaced the master
/// key it was derived from (see `rotation`).
const META_LOOKUP_KEY: &[u8] = b"lookup-key";

pub struct Store {
    db: sled::Db,
    /// The data folder (for probing whether its disk takes writes again).
    dir: std::path::PathBuf,
    /// The one place that makes writes durable (group commit, off the async runtime).
    flusher: flusher::Flusher,
    trees: Vec<sled::Tree>,
    keyring: Keyring,
    lookup: LookupKey,
    system: DataKey,
    /// See [`META_ID_BASE`].
    id_base: u64,
    /// Held shared around every write and alone by [`Store::dump`], so that a dump taken
    /// while the bot runs is one point in time (see `snapshot`).
    gate: std::sync::RwLock<()>,
}

/// How long a lock held in this very process may take to go: sled's background jobs keep
/// the folder's lock file open for a moment after the last `Db` handle is dropped, so a
/// folder closed and opened again at once (a restore, a migration check, tests) would be
/// refused as "in use" now and then. Another process holding it is still refused, later.
const LOCK_RELEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

pub(super) fn open_sled(dir: &Path) -> Result<sled::Db, StoreError> {
    let deadline = std::time::Instant::now() + LOCK_RELEASE_WAIT;
    loop {
        let opened = sled::Config::new()
            .path(dir.join("sled"))
            .cache_capacity(CACHE_BYTES)
            .open();
        match opened {
            Ok(db) => return Ok(db),
            // sled says so only in words: its lock is taken.
            Err(sled::Error::Io(io)) if io.to_string().contains("could not acquire lock") => {
                if std::time::Instant::now() >= deadline {
                    return Err(StoreError::InUse {
                        path: dir.to_owned(),
                    });
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(other) => return Err(StoreError::Sled(other)),
        }
    }
}

impl Store {
    /// Opens (or creates) the data folder. A master key that does not match the folder is
    /// refused here, before anything is read or written.
    pub fn open(dir: &Path, master: &MasterKey) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let db = open_sled(dir)?;
        let trees = T::ALL
            .iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<Result<Vec<_>, _>>()?;
        let keys = DerivedKeys::from_master(master);
        let meta = &trees[T::Meta as usize];
        rotation::refuse_if_interrupted(meta)?;
        let lookup = match meta.get(META_LOOKUP_KEY)? {
            // Sealed with the system key: another master key cannot open it.
            Some(sealed) => rotation::open_lookup_key(&keys.system, &sealed)
                .map_err(|_| StoreError::WrongMasterKey)?,
            None => keys.lookup,
        };
        let id_base = meta
            .get(META_ID_BASE)?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes);
        let keyring = Keyring::open(&dir.join("keys"), keys.wrap)?;
        watermark::check(dir, &trees[T::Meta as usize])?;
        let flusher =
            flusher::Flusher::start(db.clone(), trees[T::Meta as usize].clone(), dir.to_owned())
                .map_err(|source| StoreError::Io {
                    path: dir.to_owned(),
                    source,
                })?;
        let store = Store {
            db,
            dir: dir.to_owned(),
            flusher,
            trees,
            keyring,
            lookup,
            system: keys.system,
            id_base,
            gate: std::sync::RwLock::new(()),
        };
        store.check_master_key()?;
        store.migrate()?;
        store.sweep_orphan_keys()?;
        Ok(store)
    }

    /// A number no earlier call (nor any store this one was restored from) has given.
    pub(crate) fn next_id(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()? + self.id_base)
    }

    pub(crate) fn tree(&self, t: T) -> &sled::Tree {
        &self.trees[t as usize]
    }

    fn check_master_key(&self) -> Result<(), StoreError> {
        let meta = self.tree(T::Meta);
        match meta.get(KEY_CHECK)? {
            Some(sealed) => match open(&self.system, KEY_CHECK, &sealed) {
                Ok(plain) if plain == KEY_CHECK_PLAIN => Ok(()),
                _ => Err(StoreError::WrongMasterKey),
            },
            None if self.tree(T::Cases).is_empty() => {
                meta.insert(KEY_CHECK, seal(&self.system, KEY_CHECK, KEY_CHECK_PLAIN))?;
                self.flusher.flush_blocking()?;
                Ok(())
            }
            None => Err(StoreError::WrongMasterKey),
        }
    }

    /// A key file whose case record is gone belongs to an erasure or creation that was
    /// interrupted; finish the job so nothing stays readable.
    fn sweep_orphan_keys(&self) -> Result<(), StoreError> {
        for case in self.keyring.cases()? {
            if !self.tree(T::Cases).contains_key(case.0)? {
                self.keyring.destroy(case)?;
            }
        }
        Ok(())
    }

    /// Waits until everything written so far is on disk. Call before acknowledging
    /// anything to a network: sled alone syncs only every 500 ms. Any number of callers
    /// may wait at once; one flush serves all who are waiting (see [`flusher`]).
    pub async fn flush(&self) -> Result<(), StoreError> {
        Ok(self.flusher.flush().await?)
    }

    /// As [`Store::flush`], outside the async runtime.
    /// Whether the latest flush failed: the disk did not take the data.
    pub fn flush_failing(&self) -> bool {
        self.flusher.failing()
    }

    /// Whether the data folder's disk takes writes now: writes, syncs and removes a
    /// probe of 1 MiB beside the store (no part of it).
    pub fn disk_takes_writes(&self) -> bool {
        use std::io::Write;
        let probe = self.dir.join(".space-probe");
        let written = std::fs::File::create(&probe).and_then(|mut file| {
            file.write_all(&vec![0u8; 1 << 20])?;
            file.sync_all()
        });
        let _ = std::fs::remove_file(&probe);
        written.is_ok()
    }

    pub fn flush_blocking(&self) -> Result<(), StoreError> {
        Ok(self.flusher.flush_blocking()?)
    }

    /// The disk flusher's progress, for the watchdog.
    pub fn flusher_pulse(&self) -> &crate::watchdog::Pulse {
        self.flusher.pulse()
    }

    pub fn lookup_hash(&self, material: &[u8]) -> [u8; 32] {
        self.lookup.hash(material)
    }

    pub(crate) fn case_key(&self, case: CaseId) -> Result<DataKey, KeyError> {
        self.keyring.get(case)
    }

    pub(crate) fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// Taken around every write: a dump waits for writes under way, and writes wait for a
    /// dump. Never held across another call that takes it (a waiting dump would block the
    /// second read for ever).
    pub(crate) fn writing(&self) -> std::sync::RwLockReadGuard<'_, ()> {
        // The guard protects no data: a panic while it was held changes nothing.
        self.gate
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn system_key(&self) -> &DataKey {
        &self.system
    }

    /// The open case of a reporter's chat, if any.
    pub fn case_for_address(&self, address: &ReporterAddress) -> Result<Option<Case>, StoreError> {
        let hash = self.lookup_hash(&address.lookup_material());
        match self.tree(T::Lookup).get(hash)? {
            Some(id) => self.load_case(codec::case_id(&id)?),
            None => Ok(None),
        }
    }

    /// The case a token names, if it was given out and the case still exists.
    pub fn case_for_token(&self, token: &crate::core::Token) -> Result<Option<Case>, StoreError> {
        let material = commit::token_material(token);
        match self.tree(T::Lookup).get(self.lookup_hash(&material))? {
            Some(id) => self.load_case(codec::case_id(&id)?),
            None => Ok(None),
        }
    }

    /// The case a Matrix room belongs to, if it is a case room.
    pub fn case_for_room(&self, room_id: &str) -> Result<Option<CaseId>, StoreError> {
        match self
            .tree(T::Rooms)
            .get(self.lookup_hash(&codec::room_material(room_id)))?
        {
            Some(id) => Ok(Some(codec::case_id(&id)?)),
            None => Ok(None),
        }
    }

    /// The case room of a case, once created.
    pub fn room_of(&self, case: CaseId) -> Result<Option<String>, StoreError> {
        let Some(sealed) = self.tree(T::CaseRooms).get(case.0)? else {
            return Ok(None);
        };
        let key = self.case_key(case)?;
        self.open_json(
            &key,
            &codec::aad(b"case-room", case, &[]),
            &sealed,
            "case room",
        )
        .map(Some)
    }

    /// A case record; `None` when it does not exist or its key was destroyed;
    /// [`StoreError::CaseUnreadable`] when it exists and does not open.
    pub fn load_case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        let Some(sealed) = self.tree(T::Cases).get(id.0)? else {
            return Ok(None);
        };
        let unreadable = |source: StoreError| StoreError::CaseUnreadable {
            case: id,
            source: Box::new(source),
        };
        let key = match self.case_key(id) {
            Ok(key) => key,
            Err(KeyError::Missing(_)) => return Ok(None),
            Err(e @ KeyError::Corrupt { .. }) => return Err(unreadable(e.into())),
            Err(e) => return Err(e.into()),
        };
        match self.open_json(&key, &codec::aad(b"case", id, &[]), &sealed, "case") {
            Ok(case) => Ok(Some(case)),
            Err(e @ (StoreError::Sealed { .. } | StoreError::Decode { .. })) => Err(unreadable(e)),
            Err(e) => Err(e),
        }
    }

    /// Every open case id (for start-up work such as checking rooms).
    pub fn case_ids(&self) -> Result<Vec<CaseId>, StoreError> {
        self.tree(T::Cases)
            .iter()
            .keys()
            .map(|k| codec::case_id(&k?))
            .collect()
    }

    pub fn transcript(&self, case: CaseId) -> Result<Vec<TranscriptEntry>, StoreError> {
        let key = self.case_key(case)?;
        let mut out = Vec::new();
        for item in self.tree(T::Transcript).scan_prefix(case.0) {
            let (k, sealed) = item?;
            let seq = codec::seq_suffix(&k)?;
            out.push(self.open_json(
                &key,
                &codec::aad(b"transcript", case, &seq.to_be_bytes()),
                &sealed,
                "transcript",
            )?);
        }
        Ok(out)
    }

    /// A stored file of a case (see [`crate::core::files`]), unsealed.
    pub fn load_file(&self, case: CaseId, seq: u64) -> Result<FileBytes, StoreError> {
        let key = self.case_key(case)?;
        let sealed = self
            .tree(T::Files)
            .get(codec::case_seq(case, seq))?
            .ok_or(StoreError::FileMissing)?;
        let plain = open(
            &key,
            &codec::aad(b"file", case, &seq.to_be_bytes()),
            &sealed,
        )
        .map_err(|source| StoreError::Sealed {
            what: "file",
            source,
        })?;
        Ok(FileBytes::new(plain))
    }

    pub fn shared(&self) -> Result<Shared, StoreError> {
        match self.tree(T::Meta).get(META_SHARED)? {
            Some(sealed) => self.open_json(&self.system, META_SHARED, &sealed, "shared state"),
            None => Ok(Shared::default()),
        }
    }

    /// The Telegram `offset` to poll with next (one past the last stored update).
    pub fn telegram_offset(&self) -> Result<i32, StoreError> {
        Ok(self
            .tree(T::Meta)
            .get(META_TELEGRAM_OFFSET)?
            .map(|v| codec::i32_from(&v))
            .transpose()?
            .unwrap_or(0))
    }

    /// The Matrix sync token up to which every event has been stored.
    pub fn matrix_since(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .tree(T::Meta)
            .get(META_MATRIX_SINCE)?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Records that every event up to `token` is stored; the next sync starts there.
    pub fn set_matrix_since(&self, token: &str) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.tree(T::Meta)
            .insert(META_MATRIX_SINCE, token.as_bytes())?;
        Ok(())
    }

    /// A small secret of the program's own (e.g. the Matrix session), sealed with the
    /// system key under `name`.
    pub fn put_secret(&self, name: &str, value: &[u8]) -> Result<(), StoreError> {
        let key = [SECRET_PREFIX, name.as_bytes()].concat();
        let _writing = self.writing();
        self.tree(T::Meta)
            .insert(&key, seal(&self.system, &key, value))?;
        Ok(())
    }

    pub fn remove_secret(&self, name: &str) -> Result<(), StoreError> {
        let key = [SECRET_PREFIX, name.as_bytes()].concat();
        let _writing = self.writing();
        self.tree(T::Meta).remove(&key)?;
        Ok(())
    }

    pub fn get_secret(
        &self,
        name: &str,
    ) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, StoreError> {
        let key = [SECRET_PREFIX, name.as_bytes()].concat();
        let Some(sealed) = self.tree(T::Meta).get(&key)? else {
            return Ok(None);
        };
        let plain = open(&self.system, &key, &sealed).map_err(|source| StoreError::Sealed {
            what: "secret",
            source,
        })?;
        Ok(Some(zeroize::Zeroizing::new(plain)))
    }

    /// Forgets the marks of Matrix events handled more than `keep` days before `now`
    /// (marks from before they carried a date too). Such events lie before the stored
    /// sync token and are never read again; without pruning the marks grow for ever.
    pub fn prune_handled(
        &self,
        now: crate::core::Timestamp,
        keep: u32,
    ) -> Result<usize, StoreError> {
        let cutoff = codec::day_of(now).saturating_sub(keep);
        let mut pruned = 0;
        for item in self.tree(T::Handled).iter() {
            let (key, value) = item?;
            let day = <[u8; 4]>::try_from(value.as_ref()).map(u32::from_be_bytes);
            if day.is_ok_and(|d| d >= cutoff) {
                continue;
            }
            let _writing = self.writing();
            self.tree(T::Handled).remove(key)?;
            pruned += 1;
        }
        Ok(pruned)
    }

    pub fn is_handled(&self, event_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .tree(T::Handled)
            .contains_key(self.lookup_hash(event_id.as_bytes()))?)
    }

    pub(crate) fn seal_json<V: Serialize>(&self, key: &DataKey, aad: &[u8], value: &V) -> Vec<u8> {
        let plain =
            zeroize::Zeroizing::new(serde_json::to_vec(value).expect("records serialise to JSON"));
        seal(key, aad, &plain)
    }

    pub(crate) fn open_json<V: DeserializeOwned>(
        &self,
        key: &DataKey,
        aad: &[u8],
        sealed: &[u8],
        what: &'static str,
    ) -> Result<V, StoreError> {
        let plain = zeroize::Zeroizing::new(
            open(key, aad, sealed).map_err(|source| StoreError::Sealed { what, source })?,
        );
        serde_json::from_slice(&plain).map_err(|source| StoreError::Decode { what, source })
    }
}

#[cfg(test)]
mod tests;
