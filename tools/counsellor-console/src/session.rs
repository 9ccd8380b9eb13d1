//! Logging in once and restoring that session on every later start, so the console
//! keeps one device: with a new device per start, the bot would have to share room keys
//! anew each time and older messages would stay unreadable, as in a real client.
//!
//! The store folder holds `sdk/` (matrix-sdk's sqlite stores: crypto keys, room state)
//! and `session.json` (user, device and access token; mode 0600).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use matrix_sdk::Client;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::encryption::EncryptionSettings;

use crate::error::ConsoleError;

const SESSION_FILE: &str = "session.json";
const SDK_DIR: &str = "sdk";
const DEVICE_NAME: &str = "counsellor console (confidant demo)";

/// Where the login is and what it logs in as.
pub struct Login<'a> {
    pub homeserver: &'a str,
    pub user: &'a str,
    pub password: &'a str,
    pub store: &'a Path,
}

/// A client with a working session, new or restored, and end-to-end encryption ready.
pub async fn connect(login: &Login<'_>) -> Result<Client, ConsoleError> {
    std::fs::create_dir_all(login.store).map_err(ConsoleError::io(login.store))?;
    let session_path = login.store.join(SESSION_FILE);
    let sdk_dir = login.store.join(SDK_DIR);
    let saved = read_session(&session_path)?;
    if saved.is_none() && sdk_dir.exists() {
        return Err(ConsoleError::OrphanStore {
            store: login.store.to_owned(),
        });
    }

    let http = matrix_sdk::reqwest::Client::builder()
        // Everything here is on this machine; an HTTP proxy from the environment
        // would only get in the way.
        .no_proxy()
        .build()?;
    let client = Client::builder()
        .homeserver_url(login.homeserver)
        .http_client(http)
        // No passphrase: this is a demo on one's own machine. Element would protect
        // its store; the bot does (matrix.store_passphrase).
        .sqlite_store(&sdk_dir, None)
        // As Element does, so clients that only trust cross-signed devices still
        // share keys with this one.
        .with_encryption_settings(EncryptionSettings {
            auto_enable_cross_signing: true,
            ..Default::default()
        })
        .build()
        .await?;

    match saved {
        Some(session) => {
            client
                .restore_session(session)
                .await
                .map_err(|source| ConsoleError::Restore {
                    path: session_path.clone(),
                    source,
                })?;
            tracing::info!("session restored; same device as before");
        }
        None => {
            let logged_in = client
                .matrix_auth()
                .login_username(login.user, login.password)
                .initial_device_display_name(DEVICE_NAME)
                .send()
                .await;
            if let Err(e) = logged_in {
                // No device came of it, so the fresh store holds nothing; left behind,
                // it would make every later start refuse as an orphaned store.
                drop(client);
                let _ = std::fs::remove_dir_all(&sdk_dir);
                return Err(ConsoleError::Login(e));
            }
            let session = client
                .matrix_auth()
                .session()
                .ok_or(ConsoleError::NoSession)?;
            write_session(&session_path, &session)?;
            tracing::info!("logged in with a new device");
        }
    }
    client
        .encryption()
        .wait_for_e2ee_initialization_tasks()
        .await;
    Ok(client)
}

fn read_session(path: &Path) -> Result<Option<MatrixSession>, ConsoleError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|source| ConsoleError::SessionFile {
                    path: path.to_owned(),
                    source,
                })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConsoleError::io(path)(e)),
    }
}

/// Writes the session through a temporary file, so a crash never leaves half a
/// session behind (which would cost the device).
fn write_session(path: &Path, session: &MatrixSession) -> Result<(), ConsoleError> {
    let json = serde_json::to_vec_pretty(session).map_err(|source| ConsoleError::SessionFile {
        path: path.to_owned(),
        source,
    })?;
    let tmp: PathBuf = path.with_extension("json.tmp");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        // It holds an access token.
        .mode(0o600)
        .open(&tmp)
        .map_err(ConsoleError::io(&tmp))?;
    file.write_all(&json).map_err(ConsoleError::io(&tmp))?;
    file.sync_all().map_err(ConsoleError::io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(ConsoleError::io(path))
}
