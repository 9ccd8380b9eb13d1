//! The console's errors, one enum for the whole binary: each says what went wrong in
//! words a person running the demo can act on. None of them carries a message body.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    // Boxed: it is large, and every Result of this binary would carry its size.
    #[error("cannot set up the Matrix client: {0}")]
    Build(Box<matrix_sdk::ClientBuildError>),
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] matrix_sdk::reqwest::Error),
    #[error("Matrix login failed (check --user and --password): {0}")]
    Login(matrix_sdk::Error),
    #[error("the saved session in {path} could not be restored: {source}")]
    Restore {
        path: PathBuf,
        source: matrix_sdk::Error,
    },
    #[error("the homeserver gave no session after login")]
    NoSession,
    #[error(
        "{store} holds an encryption store but no session.json, so its device cannot be \
         reused; remove the folder to log in as a new device"
    )]
    OrphanStore { store: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid session file: {source}")]
    SessionFile {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "the homeserver no longer accepts this session (was it reset?); remove {store} and start again"
    )]
    SessionGone { store: PathBuf },
    #[error(
        "refusing to listen on {0}: the console shows decrypted reports, so it serves loopback only"
    )]
    NotLoopback(std::net::SocketAddr),
}

impl From<matrix_sdk::ClientBuildError> for ConsoleError {
    fn from(error: matrix_sdk::ClientBuildError) -> Self {
        ConsoleError::Build(Box::new(error))
    }
}

impl ConsoleError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ConsoleError {
        let path = path.into();
        move |source| ConsoleError::Io { path, source }
    }
}
