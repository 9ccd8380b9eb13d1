//! The Matrix client's databases (matrix-sdk's sqlite stores: session state, the
//! encryption keys of the bot's device, caches) copied while the client writes to them.
//! `VACUUM INTO` makes a consistent copy of a database in use (SQLite's documented online
//! snapshot, <https://sqlite.org/lang_vacuum.html#vacuuminto>); a plain file copy could
//! catch a write half done.
//!
//! The copies go into a folder of their own inside the data folder (private, on the same
//! disk, and writable under the unit's sandbox), removed when the backup is sent; one
//! left by a killed bot is removed by the next backup.

use std::path::{Path, PathBuf};

const SCRATCH_PREFIX: &str = ".backup-";

/// Copies of the Matrix databases, removed when dropped.
pub struct MatrixCopy {
    _scratch: Option<tempfile::TempDir>,
    /// (file name, copy) for each database and other file of the Matrix store.
    pub files: Vec<(String, PathBuf)>,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot copy the database: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl MatrixCopy {
    /// No Matrix files (a copy for a report).
    pub fn none() -> MatrixCopy {
        MatrixCopy {
            _scratch: None,
            files: Vec::new(),
        }
    }
}

/// Copies every file of the Matrix store in `matrix_dir` (none if there is none).
/// Journals (`-wal`, `-shm`, `-journal`) are not copied: each copy is whole without them.
pub fn copy(matrix_dir: &Path, data_dir: &Path) -> Result<MatrixCopy, CopyError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| CopyError::Io { path, source }
    };
    let entries = match std::fs::read_dir(matrix_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(MatrixCopy::none());
        }
        Err(source) => return Err(io(matrix_dir)(source)),
    };
    sweep(data_dir);
    let scratch = tempfile::Builder::new()
        .prefix(SCRATCH_PREFIX)
        .tempdir_in(data_dir)
        .map_err(io(data_dir))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io(matrix_dir))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let is_file = entry.file_type().map_err(io(&path))?.is_file();
        if !is_file
            || ["-wal", "-shm", "-journal"]
                .iter()
                .any(|j| name.ends_with(j))
        {
            continue;
        }
        let target = scratch.path().join(&name);
        if name.ends_with(".sqlite3") {
            vacuum_into(&path, &target).map_err(|source| CopyError::Sqlite {
                path: path.clone(),
                source,
            })?;
        } else {
            std::fs::copy(&path, &target).map_err(io(&path))?;
        }
        files.push((name, target));
    }
    files.sort();
    Ok(MatrixCopy {
        _scratch: Some(scratch),
        files,
    })
}

fn vacuum_into(database: &Path, target: &Path) -> Result<(), rusqlite::Error> {
    let conn = rusqlite::Connection::open_with_flags(
        database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The client may hold a write lock for a moment.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
    Ok(())
}

/// Removes copies a killed bot left behind.
fn sweep(data_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(SCRATCH_PREFIX))
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
