//! A copy of the store taken while the bot runs (for backups and reports), and a new
//! data folder made from one.
//!
//! A logical dump, not a copy of sled's files: sled writes its log from threads of its
//! own, so files copied under a running bot may be torn, while reading the trees is exact
//! as long as no write is under way. Every write takes the store's gate shared; a dump
//! takes it alone, so the dump is one point in time across every tree and the key files.
//! The gate is held only while the dump is read into memory: nobody waits on the client
//! that receives it.
//!
//! Key files and records agree in a dump: a key file is written before the commit that
//! first uses it, and destroyed only after the commit that erases its case, so a dump
//! may hold a key without a record (swept when the folder is opened), never the reverse.

use std::path::Path;

use super::{META_ID_BASE, Store, StoreError, T};
use crate::crypto::{DataKey, Keyring};

/// Everything the store holds at one moment.
pub struct Dump {
    /// Every tree (sled's default one too), by name, with its entries in key order.
    pub trees: Vec<Tree>,
    /// The case key files as they are on disk (wrapped by the master key), by name;
    /// empty in a dump for a report.
    pub keys: Vec<(String, Vec<u8>)>,
    /// Above every sequence number the dumped store has handed out: the restored store
    /// numbers from here, so nothing new can take an old entry's key.
    pub next_id: u64,
}

pub struct Tree {
    pub name: Vec<u8>,
    pub entries: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The folder a restore builds the store in; renamed to `sled` once complete, so an
/// interrupted restore never leaves a store that looks whole.
const BUILDING: &str = "sled.restoring";

impl Store {
    /// Reads the whole store and the key files at one moment, or (not `whole`) only what
    /// a report reads: the registrations and the store's own bookkeeping, without the
    /// program's secrets, no case and no key file. Writes wait meanwhile; call it off the
    /// async runtime.
    pub fn dump(&self, whole: bool) -> Result<Dump, StoreError> {
        let _alone = self
            .gate
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let next_id = self.next_id()?;
        let mut trees = Vec::new();
        let for_report = [
            T::Meta.name().as_bytes(),
            T::Registrations.name().as_bytes(),
        ];
        for name in self.db.tree_names() {
            if !whole && !for_report.contains(&name.as_ref()) {
                continue;
            }
            let tree = self.db.open_tree(&name)?;
            let entries = tree
                .iter()
                .filter(|item| {
                    whole
                        || item
                            .as_ref()
                            .is_ok_and(|(k, _)| !k.starts_with(super::SECRET_PREFIX))
                })
                .map(|item| item.map(|(k, v)| (k.to_vec(), v.to_vec())))
                .collect::<Result<Vec<_>, _>>()?;
            trees.push(Tree {
                name: name.to_vec(),
                entries,
            });
        }
        let keys = match whole {
            true => self.keyring.files()?,
            false => Vec::new(),
        };
        Ok(Dump {
            trees,
            keys,
            next_id,
        })
    }
}

impl Dump {
    /// Whether `master` opens this dump (checked before anything is restored).
    pub fn check_master_key(&self, master: &crate::crypto::MasterKey) -> Result<(), StoreError> {
        let system = crate::crypto::DerivedKeys::from_master(master).system;
        let meta = self
            .trees
            .iter()
            .find(|t| t.name == T::Meta.name().as_bytes());
        let check = meta.and_then(|t| {
            t.entries
                .iter()
                .find(|(k, _)| k == super::KEY_CHECK)
                .map(|(_, v)| v)
        });
        match check.map(|sealed| crate::crypto::open(&system, super::KEY_CHECK, sealed)) {
            Some(Ok(plain)) if plain == super::KEY_CHECK_PLAIN => Ok(()),
            _ => Err(StoreError::WrongMasterKey),
        }
    }
}

/// Makes the store of the data folder `dir` from `dump`. Refuses a folder that has a
/// store already; an earlier restore that was interrupted is started over.
pub fn restore(dir: &Path, dump: &Dump) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| StoreError::Io { path, source }
    };
    let target = dir.join("sled");
    if target.exists() {
        return Err(StoreError::RestoreOver { path: target });
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let building = dir.join(BUILDING);
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(io(&building))?;
    }
    {
        let db = sled::Config::new().path(&building).open()?;
        for tree in &dump.trees {
            let into = db.open_tree(&tree.name)?;
            for (key, value) in &tree.entries {
                into.insert(key.as_slice(), value.as_slice())?;
            }
        }
        db.open_tree(T::Meta.name())?
            .insert(META_ID_BASE, &dump.next_id.to_be_bytes())?;
        db.flush()?;
    }
    // The key files are wrapped by the master key: written as they are, before the store
    // that needs them is put in place.
    if !dump.keys.is_empty() {
        // The wrapping key is not needed to place files; any key will do for the keyring.
        let keyring = Keyring::open(&dir.join("keys"), DataKey::random())?;
        for (name, bytes) in &dump.keys {
            keyring.restore_file(name, bytes)?;
        }
    }
    std::fs::rename(&building, &target).map_err(io(&target))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))?;
    Ok(())
}
