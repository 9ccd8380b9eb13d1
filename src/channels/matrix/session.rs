//! Logging in once, and restoring that session on every later start: a new device per
//! start would break end-to-end encryption for everyone in the bot's rooms. The session
//! (it holds an access token) is kept sealed in the store.

use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::Arc;

use matrix_sdk::Client;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::encryption::EncryptionSettings;
use matrix_sdk_crypto::{CollectStrategy, DecryptionSettings, TrustRequirement};

use super::Matrix;
use crate::config::MatrixConfig;
use crate::store::{Store, StoreError};

const SESSION: &str = "matrix-session";

#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("cannot set up the Matrix client: {0}")]
    Build(#[from] matrix_sdk::ClientBuildError),
    #[error(
        "the bot has not logged in to Matrix from this data folder yet: set matrix.password (or CONFIDANT_MATRIX_PASSWORD) for this first start; it is not needed afterwards"
    )]
    PasswordNeeded,
    #[error("Matrix login failed (check matrix.user_id and the password): {0}")]
    Login(matrix_sdk::Error),
    #[error("the saved Matrix session could not be restored: {0}")]
    Restore(matrix_sdk::Error),
    #[error("the saved Matrix session is unreadable: {0}")]
    Session(#[from] serde_json::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the homeserver gave no session after login")]
    NoSession,
}

pub async fn connect(
    config: &MatrixConfig,
    data_dir: &Path,
    store: &Store,
) -> Result<Matrix, MatrixError> {
    let client = Client::builder()
        .homeserver_url(config.homeserver_url.as_str())
        .sqlite_store(
            data_dir.join("matrix"),
            Some(config.store_passphrase.expose()),
        )
        // Clients that refuse unverified devices (Element's "exclude insecure devices")
        // only share keys with a cross-signed device.
        .with_encryption_settings(EncryptionSettings {
            auto_enable_cross_signing: true,
            ..Default::default()
        })
        // Room keys go only to devices their owner has cross-signed, and only messages
        // from such devices are read: a device logged in with a counsellor's password
        // (by an administrator, say) but never signed by them gets nothing and says
        // nothing.
        .with_room_key_recipient_strategy(CollectStrategy::IdentityBasedStrategy)
        .with_decryption_settings(DecryptionSettings {
            sender_device_trust_requirement: TrustRequirement::CrossSigned,
        })
        // Every request of the SDK's own (sync, keys) counts against the same bound, and
        // none is retried for the SDK's default quarter of an hour unseen.
        .request_config(
            RequestConfig::new()
                .max_concurrent_requests(NonZeroUsize::new(config.max_requests_in_flight + 1))
                .retry_limit(3),
        )
        .build()
        .await?;
    match store.get_secret(SESSION)? {
        Some(saved) => {
            let session: MatrixSession = serde_json::from_slice(&saved)?;
            client
                .restore_session(session)
                .await
                .map_err(MatrixError::Restore)?;
            tracing::info!("Matrix session restored");
        }
        None => {
            let password = config
                .password
                .as_ref()
                .ok_or(MatrixError::PasswordNeeded)?;
            client
                .matrix_auth()
                .login_username(&config.user_id, password.expose())
                .initial_device_display_name(&config.device_name)
                .send()
                .await
                .map_err(MatrixError::Login)?;
            let session = client
                .matrix_auth()
                .session()
                .ok_or(MatrixError::NoSession)?;
            store.put_secret(SESSION, &serde_json::to_vec(&session)?)?;
            store.flush().await?;
            tracing::info!("logged in to Matrix with a new device");
        }
    }
    client
        .encryption()
        .wait_for_e2ee_initialization_tasks()
        .await;
    let own_user_id = client.user_id().ok_or(MatrixError::NoSession)?.to_owned();
    Ok(Matrix {
        direct_accepted: Default::default(),
        crypto_store: Arc::new(super::purge::CryptoStore {
            dir: data_dir.join("matrix"),
            passphrase: config.store_passphrase.clone(),
        }),
        undecryptable_notice_after: config.undecryptable_notice_after,
        typing_shown: Arc::default(),
        hr_rooms: Vec::new(),
        client,
        own_user_id,
        requests: Arc::new(tokio::sync::Semaphore::new(config.max_requests_in_flight)),
        rooms_throttled_until: Arc::default(),
    })
}
