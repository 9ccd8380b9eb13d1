//! Replacing the master key (`confidant rotate-key`): every case key is wrapped with the
//! new key, and every record the system key sealed is sealed again with the new one.
//!
//! Four steps, each safe to repeat, so a kill at any point leaves a store that is whole:
//! 1. **Begin**: a marker (a known text sealed with the new system key) goes into the
//!    store, together with the lookup key sealed with the new system key, in one flushed
//!    batch. From then on the bot refuses to start ([`StoreError::RotationInterrupted`])
//!    until a rotation with the same new key has finished; with another key it is refused.
//! 2. Every key file is wrapped again, each file whole or not at all (see the keyring).
//! 3. Every record sealed with the system key is sealed again, one by one: each is
//!    opened with the new key first (done before the kill) and with the old one otherwise.
//! 4. **Finish**: the key check sealed with the new key replaces the old one and the
//!    marker goes, in one flushed batch.
//!
//! Before step 1 the store is the old one, after step 4 the new one, and in between every
//! item opens with one of the two keys, which the rotation (run again) holds both of.
//!
//! What stays: the lookup key, a keyed hash that names rows of the store and, on the
//! homeserver, the case rooms' aliases. Hashing again is impossible for what the store
//! keeps only as a hash (handled events), and new aliases would make every case room a
//! stranger. It is kept, sealed with the new system key; someone holding the old master
//! key and the data folder could still test a known chat id for a case, but read nothing.

use std::path::Path;

use zeroize::Zeroizing;

use super::{
    KEY_CHECK, KEY_CHECK_PLAIN, META_LOOKUP_KEY, META_SHARED, StoreError, T, codec, open_sled,
};
use crate::core::CaseId;
use crate::crypto::{
    DataKey, DerivedKeys, KeyError, Keyring, LookupKey, MasterKey, Rewrapped, SealError, open, seal,
};

/// Present while a rotation is under way: [`KEY_CHECK_PLAIN`] sealed with the new key.
const META_ROTATION: &[u8] = b"rotation";

/// What a rotation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// The store was on the new key already (a rotation finished before).
    pub already: bool,
    /// Key files wrapped again (not those a rotation run before had done).
    pub key_files: usize,
    /// Records sealed again (likewise).
    pub records: usize,
    /// Key files and records that opened with neither key: damaged before the rotation
    /// (`confidant check-store` lists them); left as they were.
    pub unreadable: usize,
}

/// Refuses to open a store whose rotation is not finished.
pub(super) fn refuse_if_interrupted(meta: &sled::Tree) -> Result<(), StoreError> {
    match meta.contains_key(META_ROTATION)? {
        true => Err(StoreError::RotationInterrupted),
        false => Ok(()),
    }
}

/// The lookup key kept by a rotation, opened with the system key.
pub(super) fn open_lookup_key(system: &DataKey, sealed: &[u8]) -> Result<LookupKey, StoreError> {
    let bytes = Zeroizing::new(open(system, META_LOOKUP_KEY, sealed).map_err(|source| {
        StoreError::Sealed {
            what: "lookup key",
            source,
        }
    })?);
    let bytes: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| StoreError::BadKey { what: "lookup key" })?;
    Ok(LookupKey::from_key(DataKey::from_bytes(bytes)))
}

/// Rotates the data folder `dir` from `old` to `new`. The bot must be stopped (the
/// folder's lock says so otherwise).
pub fn rotate(dir: &Path, old: &MasterKey, new: &MasterKey) -> Result<Rotated, StoreError> {
    rotate_until(dir, old, new, &mut || false)
}

/// As [`rotate`]; `stop` is asked before every write and ends the rotation there when it
/// says so (as a kill would, for tests).
pub(super) fn rotate_until(
    dir: &Path,
    old: &MasterKey,
    new: &MasterKey,
    stop: &mut dyn FnMut() -> bool,
) -> Result<Rotated, StoreError> {
    let db = open_sled(dir)?;
    let meta = db.open_tree(T::Meta.name())?;
    let old = DerivedKeys::from_master(old);
    let new = DerivedKeys::from_master(new);
    let opens = |key: &DataKey, name: &[u8], sealed: Option<&[u8]>| {
        sealed.is_some_and(|s| open(key, name, s).is_ok_and(|p| p == KEY_CHECK_PLAIN))
    };
    let check = meta.get(KEY_CHECK)?;
    let mut done = Rotated::default();
    match meta.get(META_ROTATION)? {
        Some(marker) if !opens(&new.system, META_ROTATION, Some(&marker)) => {
            return Err(StoreError::RotationToOtherKey);
        }
        // Begun before: the key check is still the old key's until the end.
        Some(_) if !opens(&old.system, KEY_CHECK, check.as_deref()) => {
            return Err(StoreError::WrongMasterKey);
        }
        Some(_) => {}
        None if opens(&new.system, KEY_CHECK, check.as_deref()) => {
            done.already = true;
            return Ok(done);
        }
        None if !opens(&old.system, KEY_CHECK, check.as_deref()) => {
            return Err(StoreError::WrongMasterKey);
        }
        None => {
            let lookup = match meta.get(META_LOOKUP_KEY)? {
                Some(sealed) => open_lookup_key(&old.system, &sealed)?,
                None => old.lookup.clone(),
            };
            let mut begin = sled::Batch::default();
            begin.insert(
                META_LOOKUP_KEY,
                seal(&new.system, META_LOOKUP_KEY, lookup.key().bytes()),
            );
            begin.insert(
                META_ROTATION,
                seal(&new.system, META_ROTATION, KEY_CHECK_PLAIN),
            );
            interrupt(stop)?;
            meta.apply_batch(begin)?;
            db.flush()?;
        }
    }

    let keyring = Keyring::open(&dir.join("keys"), new.wrap.clone())?;
    for case in keyring.cases()? {
        interrupt(stop)?;
        match keyring.rewrap(case, &old.wrap) {
            Ok(Rewrapped::Done) => done.key_files += 1,
            Ok(Rewrapped::Already | Rewrapped::Gone) => {}
            Err(KeyError::Corrupt { .. }) => done.unreadable += 1,
            Err(other) => return Err(other.into()),
        }
    }

    for SystemSealed {
        tree,
        key,
        offset,
        aad,
    } in system_sealed(&db)?
    {
        let tree = db.open_tree(tree.name())?;
        let Some(value) = tree.get(&key)? else {
            continue;
        };
        let (head, sealed) = value.split_at(offset.min(value.len()));
        if open(&new.system, &aad, sealed).is_ok() {
            continue;
        }
        match open(&old.system, &aad, sealed) {
            Ok(plain) => {
                let plain = Zeroizing::new(plain);
                interrupt(stop)?;
                tree.insert(&key, [head, &seal(&new.system, &aad, &plain)].concat())?;
                done.records += 1;
            }
            Err(SealError::Malformed | SealError::Rejected) => done.unreadable += 1,
        }
    }
    db.flush()?;

    let mut finish = sled::Batch::default();
    finish.insert(KEY_CHECK, seal(&new.system, KEY_CHECK, KEY_CHECK_PLAIN));
    finish.remove(META_ROTATION);
    interrupt(stop)?;
    meta.apply_batch(finish)?;
    db.flush()?;
    Ok(done)
}

#[cfg(test)]
pub(super) fn system_sealed_for_tests(db: &sled::Db) -> Vec<SystemSealed> {
    system_sealed(db).unwrap()
}

fn interrupt(stop: &mut dyn FnMut() -> bool) -> Result<(), StoreError> {
    match stop() {
        true => Err(StoreError::RotationInterrupted),
        false => Ok(()),
    }
}

/// A record the system key sealed.
pub(super) struct SystemSealed {
    pub tree: T,
    pub key: Vec<u8>,
    /// Where the sealed part of the value starts.
    pub offset: usize,
    /// Its associated data.
    pub aad: Vec<u8>,
}

/// Where the system key sealed something. The one list of them: a record kind sealed
/// with the system key and missing here would not open after a rotation (the rotation
/// test reads every kind back).
fn system_sealed(db: &sled::Db) -> Result<Vec<SystemSealed>, StoreError> {
    let mut out = Vec::new();
    let meta = db.open_tree(T::Meta.name())?;
    for key in [META_SHARED, META_LOOKUP_KEY] {
        out.push(SystemSealed {
            tree: T::Meta,
            key: key.to_vec(),
            offset: 0,
            aad: key.to_vec(),
        });
    }
    for key in meta.scan_prefix(super::SECRET_PREFIX).keys() {
        let key = key?.to_vec();
        out.push(SystemSealed {
            tree: T::Meta,
            key: key.clone(),
            offset: 0,
            aad: key,
        });
    }
    for tree in [T::Outbox, T::DeadLetters] {
        for item in db.open_tree(tree.name())?.iter() {
            let (key, value) = item?;
            if value.first() == Some(&super::outbox::SYSTEM_SEALED) {
                out.push(SystemSealed {
                    tree,
                    key: key.to_vec(),
                    offset: 1,
                    aad: super::outbox::outbox_aad(&key),
                });
            }
        }
    }
    for key in db
        .open_tree(T::Quarantine.name())?
        .scan_prefix(CaseId::SYSTEM.0)
        .keys()
    {
        let key = key?.to_vec();
        let aad = codec::aad(b"quarantine", CaseId::SYSTEM, &key[16..]);
        out.push(SystemSealed {
            tree: T::Quarantine,
            key,
            offset: 0,
            aad,
        });
    }
    for key in db.open_tree(T::Registrations.name())?.iter().keys() {
        let key = key?.to_vec();
        let id =
            crate::core::registration::RegistrationId(key.as_slice().try_into().map_err(|_| {
                StoreError::BadKey {
                    what: "registration id",
                }
            })?);
        out.push(SystemSealed {
            tree: T::Registrations,
            key,
            offset: 0,
            aad: super::registrations::registration_aad(id),
        });
    }
    Ok(out)
}
