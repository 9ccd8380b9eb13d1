//! Backups, restores and report copies taken while the bot runs.
//!
//! `confidant backup` asks the running bot, over its control socket, for a copy of its
//! data at one moment (the store's trees and key files under the store's write gate, then
//! the Matrix databases by SQLite's online copy) and writes it to a file; with no bot
//! running it takes the same copy itself. `confidant restore` makes a data folder from
//! such a file on another machine. `confidant report` reads a copy of the store the same
//! way, restored into a private temporary folder: it never writes into the data folder.
//!
//! The master key is never in a backup: keep it apart (see the README).

mod archive;
mod control;
mod matrix_files;

use std::io::{Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use archive::{ArchiveError, Manifest};
pub use control::serve;
pub use matrix_files::CopyError;

use crate::config::Config;
use crate::crypto::{MasterKey, MasterKeyError};
use crate::store::{Store, StoreError, format, restore_dump};

/// What a client asks the bot for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Everything needed to run elsewhere: store, key files, Matrix databases.
    Backup,
    /// What a report reads: the registrations and the store's bookkeeping (no case, no
    /// key file, no secret).
    StoreOnly,
}

impl Request {
    fn line(self) -> &'static str {
        match self {
            Request::Backup => "backup\n",
            Request::StoreOnly => "store\n",
        }
    }

    fn parse(line: &str) -> Option<Request> {
        match line.trim_end() {
            "backup" => Some(Request::Backup),
            "store" => Some(Request::StoreOnly),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("master key: {0}")]
    MasterKey(#[from] MasterKeyError),
    #[error("data folder: {0}")]
    Store(#[from] StoreError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("Matrix store: {0}")]
    Copy(#[from] CopyError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot ask the bot through {path}: {source} (run this as root or as the service's user, e.g. `sudo -u confidant`)"
    )]
    Socket {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is held by a running bot that does not answer on its control socket ({}); is it an older version? Upgrade it, or stop it for this (systemctl stop confidant)",
        control::SOCKET
    )]
    NotAnswering { path: PathBuf },
    #[error("{path} exists: a backup never overwrites a file; choose another name")]
    Exists { path: PathBuf },
    #[error("{path}: no data folder here (check storage.data_dir in the config)")]
    NoData { path: PathBuf },
    #[error("{path} is a copy made for a report, not a whole backup")]
    NotABackup { path: PathBuf },
    #[error(
        "the backup holds data format {found}; this binary understands up to {understood}: restore it with the version that made it ({made_by}) or newer"
    )]
    NewerFormat {
        found: u32,
        understood: u32,
        made_by: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// One copy at a time: each sweeps the scratch folders a killed one left.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Writes the archive `request` asks for, from `store` (open) and the data folder.
fn produce<W: Write>(
    store: &Store,
    data_dir: &Path,
    request: Request,
    out: W,
) -> Result<W, BackupError> {
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let whole = request == Request::Backup;
    // The store first, the Matrix databases after: a restored client then knows at
    // least every key the store's events needed.
    let dump = store.dump(whole)?;
    let matrix = match whole {
        true => matrix_files::copy(&data_dir.join("matrix"), data_dir)?,
        false => matrix_files::MatrixCopy::none(),
    };
    let manifest = Manifest {
        backup_format: 1,
        made_by: env!("CARGO_PKG_VERSION").to_owned(),
        store_format: format::CURRENT,
        made_at: jiff::Timestamp::now().to_string(),
        keys: whole,
        matrix: whole,
    };
    Ok(archive::write(out, &manifest, &dump, &matrix.files)?)
}

/// What a backup holds, to tell the administrator.
#[derive(Debug)]
pub struct BackupSummary {
    /// Taken by the running bot (else by this process, with no bot running).
    pub through_bot: bool,
    pub records: usize,
    pub key_files: usize,
    pub matrix_files: usize,
    pub bytes: u64,
}

/// `confidant backup`: writes a backup of the data folder to `out` (a new file, mode
/// 0600), through the running bot if there is one.
pub fn backup(config: &Config, out: &Path) -> Result<BackupSummary, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists {
            path: out.to_owned(),
        });
    }
    let partial = out.with_file_name(format!(
        ".{}.partial",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into())
    ));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .map_err(io(&partial))?;
    let written = (|| {
        let through_bot = match control::ask(&config.data_dir, Request::Backup, &mut file)? {
            control::Asked::Answered => true,
            control::Asked::NotRunning => {
                // From a copy: run as root, opening the folder itself could leave files
                // the service's user cannot write.
                let copy = stopped_copy(config, Request::Backup)?;
                let store = Store::open(&copy.path().join("data"), &config.master_key.load()?)?;
                produce(
                    &store,
                    &copy.path().join("data"),
                    Request::Backup,
                    &mut file,
                )?;
                false
            }
        };
        file.sync_all().map_err(io(&partial))?;
        file.rewind().map_err(io(&partial))?;
        // Read back whole before it takes the name: a cut-short copy never looks done.
        let read = archive::read(&mut file)?;
        let matrix_files = read.matrix_file_count()?;
        let dump = &read.dump;
        Ok(BackupSummary {
            through_bot,
            records: dump.trees.iter().map(|t| t.entries.len()).sum(),
            key_files: dump.keys.len(),
            matrix_files,
            bytes: file.metadata().map(|m| m.len()).unwrap_or(0),
        })
    })();
    match written {
        Ok(summary) => {
            std::fs::rename(&partial, out).map_err(io(out))?;
            sync_parent(out)?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn sync_parent(path: &Path) -> Result<(), BackupError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::File::open(parent)
        .and_then(|d| d.sync_all())
        .map_err(io(parent))
}

/// What a restore put in place.
#[derive(Debug)]
pub struct RestoreSummary {
    pub made_at: String,
    pub made_by: String,
    pub cases: usize,
    pub outbox: usize,
    pub matrix_files: usize,
}

/// `confidant restore`: makes the data folder of `config` from the backup `from`. The
/// folder must have no store; the configured master key must open the backup.
pub fn restore(config: &Config, from: &Path) -> Result<RestoreSummary, BackupError> {
    let file = std::fs::File::open(from).map_err(io(from))?;
    let mut backup = archive::read(file)?;
    let manifest = backup.manifest.clone();
    if !manifest.keys || !manifest.matrix {
        return Err(BackupError::NotABackup {
            path: from.to_owned(),
        });
    }
    if manifest.store_format > format::CURRENT {
        return Err(BackupError::NewerFormat {
            found: manifest.store_format,
            understood: format::CURRENT,
            made_by: manifest.made_by,
        });
    }
    let master = config.master_key.load()?;
    backup.dump.check_master_key(&master)?;
    let dir = &config.data_dir;
    if dir.join("sled").exists() {
        return Err(StoreError::RestoreOver {
            path: dir.join("sled"),
        }
        .into());
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    // The Matrix databases into a folder of their own, put in place whole; the store
    // last (see `restore_dump`), so a restore cut short never looks like a data folder.
    let building = dir.join("matrix.restoring");
    let matrix = dir.join("matrix");
    for old in [&building, &matrix] {
        if old.exists() {
            std::fs::remove_dir_all(old).map_err(io(old))?;
        }
    }
    std::fs::create_dir_all(&building).map_err(io(&building))?;
    let matrix_files = backup.write_matrix_files(&building)?;
    std::fs::rename(&building, &matrix).map_err(io(&matrix))?;
    restore_dump(dir, &backup.dump)?;
    // Opened once, as the bot will: migrated if older, swept, checked.
    let store = Store::open(dir, &master)?;
    Ok(RestoreSummary {
        made_at: manifest.made_at,
        made_by: manifest.made_by,
        cases: store.case_ids()?.len(),
        outbox: store.outbox_len(),
        matrix_files,
    })
}

/// A copy of the store for reading (a report), in a private temporary folder outside
/// the data folder, removed when dropped.
pub struct StoreCopy {
    pub store: Store,
    _scratch: tempfile::TempDir,
}

/// Copies the store of `config`'s data folder, through the running bot if there is
/// one, and opens the copy. The data folder itself is only read.
pub fn store_copy(config: &Config, master: &MasterKey) -> Result<StoreCopy, BackupError> {
    let scratch = scratch()?;
    let copy = scratch.path().join("data");
    let mut file = tempfile::tempfile_in(scratch.path()).map_err(io(scratch.path()))?;
    let scratch = match control::ask(&config.data_dir, Request::StoreOnly, &mut file)? {
        control::Asked::Answered => {
            file.rewind().map_err(io(scratch.path()))?;
            restore_dump(&copy, &archive::read(file)?.dump)?;
            scratch
        }
        control::Asked::NotRunning => stopped_copy(config, Request::StoreOnly)?,
    };
    Ok(StoreCopy {
        store: Store::open(&scratch.path().join("data"), master)?,
        _scratch: scratch,
    })
}

/// A private temporary folder, outside the data folder.
fn scratch() -> Result<tempfile::TempDir, BackupError> {
    tempfile::Builder::new()
        .prefix("confidant-copy-")
        .tempdir()
        .map_err(io(&std::env::temp_dir()))
}

/// Copies the data folder of a bot that is not running into `<scratch>/data`: the store
/// alone, or (for a backup) with the key files and the Matrix databases. Files at rest,
/// copied under sled's own lock (a bot that starts meanwhile waits, then finds its folder
/// as it was); the data folder is only read.
fn stopped_copy(config: &Config, request: Request) -> Result<tempfile::TempDir, BackupError> {
    let scratch = scratch()?;
    let data_dir = &config.data_dir;
    let copy = scratch.path().join("data");
    let sled = data_dir.join("sled");
    let lock_file = sled.join("db");
    let lock = match std::fs::File::open(&lock_file) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::NoData {
                path: data_dir.to_owned(),
            });
        }
        Err(source) => return Err(io(&lock_file)(source)),
    };
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(BackupError::NotAnswering {
                path: data_dir.to_owned(),
            });
        }
        Err(std::fs::TryLockError::Error(source)) => return Err(io(&lock_file)(source)),
    }
    copy_tree(&sled, &copy.join("sled"))?;
    if request == Request::Backup {
        for part in ["keys", "matrix"] {
            if data_dir.join(part).exists() {
                copy_tree(&data_dir.join(part), &copy.join(part))?;
            }
        }
    }
    drop(lock);
    Ok(scratch)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(io(from))?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(io(&target))?;
        }
    }
    Ok(())
}
