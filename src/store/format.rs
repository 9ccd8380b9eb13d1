//! The data folder's format version, and the migrations that bring an older folder up
//! to it. The store records the version it was written in (`format-version` in the
//! meta tree); a newer binary migrates an older folder on start, step by step, each
//! step in one transaction with the new version number, so a crash during an upgrade
//! leaves the folder at one version or the next, never between. An older binary refuses
//! a newer folder (it would not understand what it finds), saying what to do.
//!
//! | Version | Since | What changed |
//! |---|---|---|
//! | 1 | before versions were recorded | (no `format-version` key) |
//! | 2 | the exactly-once probe of Telegram sends | in-flight marks carry the account's high-water mark; the per-chat `last-message:` marks are gone (older in-flight marks stay readable, and are resent with a note) |

use super::{Store, StoreError, T};

/// The format this binary writes.
pub const CURRENT: u32 = 2;
const KEY: &[u8] = b"format-version";
/// Per-chat highest message ids (format 1), replaced by the account's high-water mark.
const LEGACY_LAST_MESSAGE: &[u8] = b"last-message:";

/// The folder's format version (1 for a folder made before versions were recorded, or
/// a fresh one not yet stamped).
pub fn read(meta: &sled::Tree) -> Result<u32, StoreError> {
    Ok(meta
        .get(KEY)?
        .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
        .map_or(1, u32::from_be_bytes))
}

impl Store {
    /// Brings the folder to [`CURRENT`], or refuses a newer one.
    pub(super) fn migrate(&self) -> Result<(), StoreError> {
        let meta = self.tree(T::Meta);
        // A folder that never held a commit is new: it is brought up to date without
        // telling anyone it was "upgraded".
        let new = meta.get(KEY)?.is_none() && super::watermark::read_stored(meta)? == 0;
        let mut version = read(meta)?;
        if version > CURRENT {
            return Err(StoreError::NewerFormat {
                path: self.dir.clone(),
                found: version,
                understood: CURRENT,
            });
        }
        while version < CURRENT {
            let next = version + 1;
            match next {
                2 => self.to_2()?,
                _ => unreachable!("every version up to CURRENT has a migration"),
            }
            if !new {
                tracing::info!(
                    from = version,
                    to = next,
                    "the data folder's format was upgraded"
                );
            }
            version = next;
        }
        // A new folder (or one just migrated) carries the version from now on.
        if meta.get(KEY)?.is_none() {
            meta.insert(KEY, &CURRENT.to_be_bytes())?;
        }
        self.flush_blocking()
    }

    /// 1 → 2: the per-chat last-message marks go (the probe no longer reads them), and
    /// the version is stamped, in one transaction.
    fn to_2(&self) -> Result<(), StoreError> {
        let meta = self.tree(T::Meta);
        let mut batch = sled::Batch::default();
        for key in meta.scan_prefix(LEGACY_LAST_MESSAGE).keys() {
            batch.remove(key?);
        }
        batch.insert(KEY, &2u32.to_be_bytes());
        meta.apply_batch(batch)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{CURRENT, KEY, read};
    use crate::crypto::MasterKey;
    use crate::store::{Store, StoreError, T};

    #[test]
    fn a_new_folder_is_stamped_with_the_current_format() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
        assert_eq!(read(store.tree(T::Meta)).unwrap(), CURRENT);
    }

    #[test]
    fn a_newer_folder_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let key = MasterKey::generate();
        {
            let store = Store::open(dir.path(), &key).unwrap();
            store
                .insert_raw_for_tests("meta", KEY, &(CURRENT + 1).to_be_bytes())
                .unwrap();
        }
        let Err(StoreError::NewerFormat {
            found, understood, ..
        }) = Store::open(dir.path(), &key)
        else {
            panic!("a newer folder must be refused");
        };
        assert_eq!((found, understood), (CURRENT + 1, CURRENT));
        let message = StoreError::NewerFormat {
            path: dir.path().to_owned(),
            found,
            understood,
        }
        .to_string();
        assert!(message.contains("newer confidant") && message.contains("Nothing was changed"));
    }

    #[test]
    fn format_1_loses_its_per_chat_marks_and_is_stamped_2() {
        let dir = tempfile::tempdir().unwrap();
        let key = MasterKey::generate();
        {
            let store = Store::open(dir.path(), &key).unwrap();
            store.tree(T::Meta).remove(KEY).unwrap();
            store
                .insert_raw_for_tests("meta", b"last-message:0123", &41i32.to_be_bytes())
                .unwrap();
        }
        let store = Store::open(dir.path(), &key).unwrap();
        assert_eq!(read(store.tree(T::Meta)).unwrap(), 2);
        assert!(
            store
                .tree(T::Meta)
                .scan_prefix(b"last-message:")
                .next()
                .is_none()
        );
    }
}

/// A data folder written by the code before format versions (commit ab3f193, by
/// `tests/fixtures/store-v1/MADE-BY.md`'s program), opened by this binary.
#[cfg(test)]
mod fixture_tests {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use super::{CURRENT, read};
    use crate::core::{CaseId, Status};
    use crate::crypto::MasterKey;
    use crate::store::{InFlightMark, Store, T};

    #[test]
    fn a_folder_of_format_1_is_migrated_and_everything_in_it_still_opens() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1");
        let dir = tempfile::tempdir().unwrap();
        crate::store::tests::copy_dir(&fixture, dir.path());
        // git keeps no modes but the executable bit; the key must be private to be read.
        let key_file = dir.path().join("master.key");
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let key = MasterKey::read_file(&key_file).unwrap();

        let store = Store::open(&dir.path().join("data"), &key).unwrap();
        assert_eq!(read(store.tree(T::Meta)).unwrap(), CURRENT);
        let case = store.load_case(CaseId([7; 16])).unwrap().expect("the case");
        assert_eq!(case.token.to_string(), "VP-AAAA-BBBB");
        assert_eq!(case.status, Status::Open);
        let dest = store.outbox_destinations().unwrap()[0];
        let entry = store
            .outbox_head(dest)
            .unwrap()
            .expect("the message on its way");
        // Marked in flight by the old probe: no floor, so it is sent again with the note.
        assert_eq!(
            store.in_flight(&entry).unwrap(),
            Some(InFlightMark {
                floor: None,
                resent: false
            })
        );
        assert!(
            store
                .tree(T::Meta)
                .scan_prefix(b"last-message:")
                .next()
                .is_none()
        );
        drop(store);
        // And it opens again as it is now.
        Store::open(&dir.path().join("data"), &key).unwrap();
    }
}
