//! The master key: 32 random bytes, kept as 64 hex characters in a file of mode 0600
//! (`confidant keygen`) or in the environment. Never in the config file, never logged.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::seal::DataKey;

/// Environment variable that may carry the master key (hex) instead of a file.
pub const MASTER_KEY_ENV: &str = "CONFIDANT_MASTER_KEY";

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error(
        "{path}: already exists; refusing to overwrite a master key (data sealed with it would be lost)"
    )]
    Exists { path: PathBuf },
    // `error`, not `source`: the message says it once (a source is printed again after it).
    #[error("{path}: cannot write the master key: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: cannot read the master key: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{origin}: a master key is 64 hexadecimal characters (create one with `confidant keygen`)"
    )]
    Format { origin: String },
    #[error(
        "{path}: the master key file is readable by others (mode {mode:o}); run `chmod 600 {path}`"
    )]
    Permissions { path: PathBuf, mode: u32 },
}

pub struct MasterKey(DataKey);

impl MasterKey {
    pub fn generate() -> MasterKey {
        MasterKey(DataKey::random())
    }

    /// Writes a new key file with mode 0600; refuses to replace an existing file.
    pub fn write_new(&self, path: &Path) -> Result<(), MasterKeyError> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::AlreadyExists => MasterKeyError::Exists {
                    path: path.to_owned(),
                },
                _ => MasterKeyError::Write {
                    path: path.to_owned(),
                    error: source,
                },
            })?;
        let text = Zeroizing::new(format!("{}\n", hex::encode(self.0.bytes())));
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|error| MasterKeyError::Write {
                path: path.to_owned(),
                error,
            })
    }

    pub fn read_file(path: &Path) -> Result<MasterKey, MasterKeyError> {
        let metadata = std::fs::metadata(path).map_err(|error| MasterKeyError::Read {
            path: path.to_owned(),
            error,
        })?;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(MasterKeyError::Permissions {
                path: path.to_owned(),
                mode,
            });
        }
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|error| {
            MasterKeyError::Read {
                path: path.to_owned(),
                error,
            }
        })?);
        MasterKey::from_hex(&text, &path.display().to_string())
    }

    pub fn from_hex(text: &str, origin: &str) -> Result<MasterKey, MasterKeyError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text.trim(), bytes.as_mut()).map_err(|_| MasterKeyError::Format {
            origin: origin.to_owned(),
        })?;
        Ok(MasterKey(DataKey::from_bytes(*bytes)))
    }

    /// A key for one purpose (HKDF-SHA256 with the purpose as info), so no two uses share
    /// key material.
    pub fn derive(&self, purpose: &[u8]) -> DataKey {
        let hkdf = Hkdf::<Sha256>::new(None, self.0.bytes());
        let mut out = [0u8; 32];
        hkdf.expand(purpose, &mut out)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        DataKey::from_bytes(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keygen_writes_a_private_file_that_reads_back_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let key = MasterKey::generate();
        key.write_new(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = MasterKey::read_file(&path).unwrap();
        assert_eq!(back.derive(b"x").bytes(), key.derive(b"x").bytes());
        assert!(matches!(
            MasterKey::generate().write_new(&path),
            Err(MasterKeyError::Exists { .. })
        ));
    }

    #[test]
    fn bad_key_files_get_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.key");
        std::fs::write(&path, "not hex").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(
            MasterKey::read_file(&path),
            Err(MasterKeyError::Format { .. })
        ));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            MasterKey::read_file(&path),
            Err(MasterKeyError::Permissions { .. })
        ));
        assert!(matches!(
            MasterKey::read_file(&dir.path().join("missing")),
            Err(MasterKeyError::Read { .. })
        ));
    }
}
