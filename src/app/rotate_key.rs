//! `confidant rotate-key`: moves the data folder to a new master key (see
//! `store::rotate`), then puts the new key file where the config says the key is, so the
//! bot starts with it. Run again after a crash, it finishes what was begun.

use std::path::{Path, PathBuf};

use crate::config::{Config, MasterKeySource};
use crate::crypto::{DerivedKeys, MasterKey, MasterKeyError};
use crate::store::{Rotated, StoreError, rotate};

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("master key: {0}")]
    MasterKey(#[from] MasterKeyError),
    #[error("data folder: {0}")]
    Store(#[from] StoreError),
    #[error("the new key is the key in use: make a new one with `confidant keygen --out FILE`")]
    SameKey,
    #[error("cannot put the new key in place at {path}: {source}")]
    Install {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What the rotation did, and where the new key is now.
#[derive(Debug)]
pub struct RotateSummary {
    pub rotated: Rotated,
    /// The configured key file, now holding the new key (`None`: the key comes from the
    /// environment, which the administrator changes).
    pub installed: Option<PathBuf>,
}

/// Rotates `config`'s data folder from the configured key to the one in `new_key`.
pub fn rotate_key(config: &Config, new_key: &Path) -> Result<RotateSummary, RotateError> {
    let old = config.master_key.load()?;
    let installed = match &config.master_key {
        MasterKeySource::File(path) => Some(path.clone()),
        MasterKeySource::Env(_) => None,
    };
    // Run again after the new key had already taken its place (a kill just after): the
    // folder is on the key in use, whole, and there is nothing left to do.
    if !new_key.exists() && installed.is_some() {
        let rotated = rotate(&config.data_dir, &old, &old)?;
        if rotated.already {
            return Ok(RotateSummary { rotated, installed });
        }
    }
    let new = MasterKey::read_file(new_key)?;
    let same = DerivedKeys::from_master(&old).system.bytes()
        == DerivedKeys::from_master(&new).system.bytes();
    if same {
        return Err(RotateError::SameKey);
    }
    let rotated = rotate(&config.data_dir, &old, &new)?;
    if let Some(path) = &installed {
        install(new_key, path)?;
    }
    Ok(RotateSummary { rotated, installed })
}

/// Puts the new key file in the old one's place in one step (a rename; the old key is
/// gone from the server afterwards), owned as the old one was (made by root with
/// `keygen`, it must still be the service's to read), and makes that durable.
fn install(new_key: &Path, path: &Path) -> Result<(), RotateError> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let failed = |source| RotateError::Install {
        path: path.to_owned(),
        source,
    };
    if std::fs::canonicalize(new_key).ok() == std::fs::canonicalize(path).ok() {
        return Ok(());
    }
    if let Ok(old) = std::fs::metadata(path) {
        let new = std::fs::metadata(new_key).map_err(failed)?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
            std::os::unix::fs::chown(new_key, Some(old.uid()), Some(old.gid())).map_err(failed)?;
        }
    }
    std::fs::set_permissions(new_key, std::fs::Permissions::from_mode(0o600)).map_err(failed)?;
    std::fs::rename(new_key, path).map_err(failed)?;
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    std::fs::File::open(parent.unwrap_or(Path::new(".")))
        .and_then(|d| d.sync_all())
        .map_err(failed)
}
