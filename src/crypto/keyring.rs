//! Each case's data key, wrapped by the master key, in a file of its own under
//! `<data_dir>/keys/`. Files, not sled: sled is log-structured and keeps old values until
//! it compacts, but a deleted file is gone from the folder at once, which is what makes
//! erasing a case (crypto-shredding) real and checkable.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::seal::{DataKey, SealError, open, seal};
use crate::core::CaseId;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the data key of case {0:?} is gone (the case was erased)")]
    Missing(CaseId),
    #[error("the data key file of case {case:?} does not open: {source}")]
    Corrupt { case: CaseId, source: SealError },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What [`Keyring::rewrap`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrapped {
    Done,
    /// Already wrapped with the new key (a rotation run again).
    Already,
    /// The case was erased meanwhile.
    Gone,
}

pub struct Keyring {
    dir: PathBuf,
    wrap: DataKey,
    /// Unwrapped keys of cases seen since start, so a busy case costs one file read.
    cache: Mutex<HashMap<CaseId, DataKey>>,
}

/// The most unwrapped case keys kept in memory.
pub const MAX_CACHED_KEYS: usize = 4096;

impl Keyring {
    pub fn open(dir: &Path, wrap: DataKey) -> Result<Keyring, KeyError> {
        std::fs::create_dir_all(dir).map_err(|source| KeyError::Io {
            path: dir.to_owned(),
            source,
        })?;
        Ok(Keyring {
            dir: dir.to_owned(),
            wrap,
            cache: Mutex::new(HashMap::new()),
        })
    }

    fn path(&self, case: CaseId) -> PathBuf {
        self.dir.join(format!("{}.key", case.to_hex()))
    }

    fn aad(case: CaseId) -> Vec<u8> {
        [b"confidant/v1/case-key/".as_slice(), &case.0].concat()
    }

    /// The case's key, creating (and durably writing) it on first use.
    pub fn get_or_create(&self, case: CaseId) -> Result<DataKey, KeyError> {
        match self.get(case) {
            Err(KeyError::Missing(_)) => {}
            other => return other,
        }
        let key = DataKey::random();
        let wrapped = seal(&self.wrap, &Self::aad(case), key.bytes());
        self.put_file(&self.path(case), &wrapped)?;
        self.remember(case, &key);
        Ok(key)
    }

    /// Writes a key file whole or not at all (a temporary file, synced, renamed over it,
    /// the folder synced): a crash leaves the old file or the new one, never a torn one.
    fn put_file(&self, path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
        let tmp = path.with_extension("tmp");
        let io = |source| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(io)?;
            file.write_all(bytes)
                .and_then(|()| file.sync_all())
                .map_err(io)?;
        }
        std::fs::rename(&tmp, path).map_err(io)?;
        self.sync_dir()
    }

    /// Every key file as it is on disk (still wrapped), by file name: for a backup.
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, KeyError> {
        let mut out = Vec::new();
        for case in self.cases()? {
            let path = self.path(case);
            match std::fs::read(&path) {
                Ok(bytes) => out.push((format!("{}.key", case.to_hex()), bytes)),
                // Destroyed since it was listed (an erasure): nothing to keep.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(KeyError::Io { path, source }),
            }
        }
        Ok(out)
    }

    /// Puts a key file from a backup in place; `name` must be one [`Keyring::files`]
    /// gives (a case id and `.key`): anything else is refused, never written.
    pub fn restore_file(&self, name: &str, bytes: &[u8]) -> Result<(), KeyError> {
        let case = name
            .strip_suffix(".key")
            .and_then(CaseId::from_hex)
            .ok_or_else(|| KeyError::Io {
                path: self.dir.join(name),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "not the name of a case key file",
                ),
            })?;
        self.put_file(&self.path(case), bytes)
    }

    /// Wraps `case`'s key with this keyring's key instead of `old`. Safe to repeat: a
    /// file already wrapped with this keyring's key is left as it is.
    pub fn rewrap(&self, case: CaseId, old: &DataKey) -> Result<Rewrapped, KeyError> {
        let path = self.path(case);
        let wrapped = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Rewrapped::Gone),
            Err(source) => return Err(KeyError::Io { path, source }),
        };
        if open(&self.wrap, &Self::aad(case), &wrapped).is_ok() {
            return Ok(Rewrapped::Already);
        }
        let key = zeroize::Zeroizing::new(
            open(old, &Self::aad(case), &wrapped)
                .map_err(|source| KeyError::Corrupt { case, source })?,
        );
        self.put_file(&path, &seal(&self.wrap, &Self::aad(case), &key))?;
        Ok(Rewrapped::Done)
    }

    pub fn get(&self, case: CaseId) -> Result<DataKey, KeyError> {
        if let Some(key) = self.cache.lock().expect("keyring cache lock").get(&case) {
            return Ok(key.clone());
        }
        let path = self.path(case);
        let wrapped = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(KeyError::Missing(case));
            }
            Err(source) => return Err(KeyError::Io { path, source }),
        };
        let bytes = open(&self.wrap, &Self::aad(case), &wrapped)
            .map_err(|source| KeyError::Corrupt { case, source })?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Corrupt {
            case,
            source: SealError::Malformed,
        })?;
        let key = DataKey::from_bytes(bytes);
        self.remember(case, &key);
        Ok(key)
    }

    /// Keeps `key` at hand. The cache is bounded (anyone can open cases): when full it
    /// starts over, which costs one file read per busy case, never correctness.
    fn remember(&self, case: CaseId, key: &DataKey) {
        let mut cache = self.cache.lock().expect("keyring cache lock");
        if cache.len() >= MAX_CACHED_KEYS {
            cache.clear();
        }
        cache.insert(case, key.clone());
    }

    pub fn cached_keys(&self) -> usize {
        self.cache.lock().expect("keyring cache lock").len()
    }

    /// Destroys the case's key: overwrites the file, removes it, and syncs the folder.
    /// Whatever was sealed with it is unreadable from then on, wherever copies remain.
    pub fn destroy(&self, case: CaseId) -> Result<(), KeyError> {
        self.cache.lock().expect("keyring cache lock").remove(&case);
        let path = self.path(case);
        let io = |source| KeyError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::OpenOptions::new().write(true).open(&path) {
            Ok(mut file) => {
                let len = file.metadata().map(|m| m.len()).unwrap_or(0) as usize;
                file.write_all(&vec![0u8; len])
                    .and_then(|()| file.sync_all())
                    .map_err(io)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(io(source)),
        }
        std::fs::remove_file(&path).map_err(io)?;
        self.sync_dir()
    }

    /// Ids of every case that has a key file (for sweeping keys whose case is gone).
    pub fn cases(&self) -> Result<Vec<CaseId>, KeyError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|source| KeyError::Io {
            path: self.dir.clone(),
            source,
        })?;
        Ok(entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".key")
                    .and_then(CaseId::from_hex)
            })
            .collect())
    }

    fn sync_dir(&self) -> Result<(), KeyError> {
        std::fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| KeyError::Io {
                path: self.dir.clone(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_persist_across_opens_and_are_gone_after_destroy() {
        let dir = tempfile::tempdir().unwrap();
        let wrap = DataKey::random();
        let case = CaseId([7; 16]);
        let ring = Keyring::open(dir.path(), wrap.clone()).unwrap();
        let key = ring.get_or_create(case).unwrap();
        let again = Keyring::open(dir.path(), wrap.clone()).unwrap();
        assert_eq!(again.get(case).unwrap().bytes(), key.bytes());
        assert_eq!(again.cases().unwrap(), vec![case]);
        again.destroy(case).unwrap();
        assert!(matches!(again.get(case), Err(KeyError::Missing(_))));
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "no file left"
        );
        let wrong = Keyring::open(dir.path(), DataKey::random()).unwrap();
        let other = CaseId([8; 16]);
        ring.get_or_create(other).unwrap();
        assert!(matches!(wrong.get(other), Err(KeyError::Corrupt { .. })));
    }

    #[test]
    fn the_key_cache_stays_bounded_and_keys_still_open() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::open(dir.path(), DataKey::random()).unwrap();
        let case = |n: usize| {
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&(n as u64).to_be_bytes());
            CaseId(id)
        };
        let first = ring.get_or_create(case(0)).unwrap();
        for n in 1..=MAX_CACHED_KEYS + 10 {
            ring.remember(case(n), &DataKey::random());
            assert!(ring.cached_keys() <= MAX_CACHED_KEYS);
        }
        assert_eq!(ring.get(case(0)).unwrap().bytes(), first.bytes());
    }
}
