//! Where each secret comes from, for `check-config`, and the environment file the
//! systemd unit reads (`EnvironmentFile=`), so that the check sees what the service
//! will see.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::raw::RawConfig;
use super::{ENV_MATRIX_PASSWORD, ENV_STORE_PASSPHRASE, ENV_TELEGRAM_TOKEN};
use crate::crypto::MASTER_KEY_ENV;

/// The unit's environment file, read: `KEY=VALUE` lines (dotenv syntax, which covers
/// systemd's for such files).
pub struct EnvFile {
    pub path: PathBuf,
    vars: HashMap<String, String>,
}

/// The environment file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot read the environment file: {reason}")]
pub struct EnvFileError {
    pub path: PathBuf,
    pub reason: String,
}

impl EnvFile {
    pub fn read(path: &Path) -> Result<EnvFile, EnvFileError> {
        let error = |reason: String| EnvFileError {
            path: path.to_owned(),
            reason,
        };
        let mut vars = HashMap::new();
        for item in dotenvy::from_path_iter(path).map_err(|e| error(e.to_string()))? {
            let (key, value) = item.map_err(|e| error(e.to_string()))?;
            vars.insert(key, value);
        }
        Ok(EnvFile {
            path: path.to_owned(),
            vars,
        })
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
}

/// One secret and where the running bot would take it from.
pub struct SecretSource {
    pub setting: &'static str,
    pub variable: &'static str,
    pub found: Found,
}

pub enum Found {
    EnvFile(PathBuf),
    Environment,
    ConfigFile,
    /// Not set (the text says whether that is fine, and what to do).
    Missing(&'static str),
}

impl std::fmt::Display for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (setting, variable) = (self.setting, self.variable);
        match &self.found {
            Found::EnvFile(path) => write!(f, "{setting}: from {variable} in {}", path.display()),
            Found::Environment => write!(f, "{setting}: from the environment variable {variable}"),
            Found::ConfigFile => write!(f, "{setting}: from the config file"),
            Found::Missing(advice) => write!(
                f,
                "{setting}: not set ({advice}); it may come from the config file, or from {variable} in the environment file or the environment"
            ),
        }
    }
}

/// Where each secret of the config file `raw` comes from, given an environment file (read
/// first, as the unit's) and the process environment.
pub fn secret_sources(
    raw: &RawConfig,
    env_file: Option<&EnvFile>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<SecretSource> {
    let found = |variable: &str, in_file: bool, missing: &'static str| {
        if let Some(file) = env_file.filter(|f| f.get(variable).is_some()) {
            Found::EnvFile(file.path.clone())
        } else if env(variable).is_some() {
            Found::Environment
        } else if in_file {
            Found::ConfigFile
        } else {
            Found::Missing(missing)
        }
    };
    let mut out = Vec::new();
    if let Some(telegram) = &raw.telegram {
        out.push(SecretSource {
            setting: "telegram.token",
            variable: ENV_TELEGRAM_TOKEN,
            found: found(ENV_TELEGRAM_TOKEN, telegram.token.is_some(), "required"),
        });
    }
    out.push(SecretSource {
        setting: "matrix.password",
        variable: ENV_MATRIX_PASSWORD,
        found: found(
            ENV_MATRIX_PASSWORD,
            raw.matrix.password.is_some(),
            "needed only until the bot has logged in once from its data folder",
        ),
    });
    out.push(SecretSource {
        setting: "matrix.store_passphrase",
        variable: ENV_STORE_PASSPHRASE,
        found: found(
            ENV_STORE_PASSPHRASE,
            raw.matrix.store_passphrase.is_some(),
            "required",
        ),
    });
    out.push(SecretSource {
        setting: "storage.master_key_file",
        variable: MASTER_KEY_ENV,
        found: found(
            MASTER_KEY_ENV,
            raw.storage.master_key_file.is_some(),
            "required: a key file made by `confidant keygen`",
        ),
    });
    out
}
