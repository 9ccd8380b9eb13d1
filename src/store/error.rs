//! What can go wrong with stored state; each variant is one the caller may branch on.

use std::path::PathBuf;

use crate::crypto::{KeyError, SealError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage: {0}")]
    Sled(#[from] sled::Error),
    #[error(transparent)]
    Flush(#[from] super::flusher::FlushFailed),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the master key does not match this data folder (it was created with another key; if `confidant rotate-key` was run, the configured key file must be the new one: run rotate-key again to put it in place)"
    )]
    WrongMasterKey,
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("a stored {what} record does not open ({source}); it is corrupt or was tampered with")]
    Sealed {
        what: &'static str,
        source: SealError,
    },
    #[error("a stored {what} record is unreadable: {source}")]
    Decode {
        what: &'static str,
        source: serde_json::Error,
    },
    /// A case's record or key file does not open (damaged, or tampered with): the case
    /// exists, so its inputs must not be taken for a new one.
    #[error("case {case:?} cannot be opened: {source}")]
    CaseUnreadable {
        case: crate::core::CaseId,
        source: Box<StoreError>,
    },
    #[error("a stored key is malformed ({what})")]
    BadKey { what: &'static str },
    #[error(
        "{path} is in use by another confidant process (the running bot?); stop it first (systemctl stop confidant): no message is lost meanwhile"
    )]
    InUse { path: PathBuf },
    /// Written by a newer confidant: see `format`.
    #[error(
        "{path} was written by a newer confidant (data format {found}; this binary understands up to {understood}): install that version again (apt install confidant, or the newer binary), or restore the backup made before the upgrade. Nothing was changed"
    )]
    NewerFormat {
        path: PathBuf,
        found: u32,
        understood: u32,
    },
    /// sled recovered less than it had made durable (a damaged log): see `watermark`.
    #[error(
        "{path}: the database is damaged: it holds commits up to {held}, but had made {durable} durable; the rest of its log did not check out. Restore the data folder from a backup (keep this one for analysis); the bot does not run on a store that silently lost data"
    )]
    LogLost {
        path: PathBuf,
        held: u64,
        durable: u64,
    },
    #[error(
        "{path} exists: a backup is restored only into a data folder without a store (a new machine, or after moving the old folder aside)"
    )]
    RestoreOver { path: PathBuf },
    #[error(
        "a master key rotation was started and not finished: run `confidant rotate-key` again with the same new key; the bot does not start until it is done (nothing is lost)"
    )]
    RotationInterrupted,
    #[error(
        "the rotation that was started is to another new key than this one: run `confidant rotate-key` with the key it was started with"
    )]
    RotationToOtherKey,
    /// An outbox entry names a file that is not stored (its case was erased meanwhile).
    #[error("a stored file is missing")]
    FileMissing,
}

impl StoreError {
    /// A fault of the disk or the store as a whole (I/O, a failed flush), not of any one
    /// record: whatever was being handled is not to blame and must not be set aside.
    pub fn is_storage_fault(&self) -> bool {
        match self {
            StoreError::Sled(sled::Error::Io(_)) | StoreError::Flush(_) | StoreError::Io { .. } => {
                true
            }
            StoreError::Key(KeyError::Io { .. }) => true,
            StoreError::CaseUnreadable { source, .. } => source.is_storage_fault(),
            _ => false,
        }
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(e: sled::transaction::TransactionError<StoreError>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => StoreError::Sled(e),
        }
    }
}
