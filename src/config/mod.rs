//! Configuration in two stages: the TOML file as written ([`raw`]), then validated and
//! resolved ([`resolve`]) with secrets from the environment, paths made absolute and the
//! dialogs and locales loaded and checked. Every problem is reported with its place.

mod organisations;
mod parse;
mod privacy;
mod problem;
mod raw;
mod reminders;
mod resolve;
mod secret;
mod sources;
mod units;

pub use problem::{Problem, Problems};
pub use resolve::{Config, MasterKeySource, MatrixConfig, Pace, TelegramConfig};
pub use secret::Secret;
pub use sources::{EnvFile, EnvFileError, Found, SecretSource};

use std::path::Path;

/// Environment variables that may carry secrets instead of the config file.
pub const ENV_TELEGRAM_TOKEN: &str = "CONFIDANT_TELEGRAM_TOKEN";
pub const ENV_MATRIX_PASSWORD: &str = "CONFIDANT_MATRIX_PASSWORD";
pub const ENV_STORE_PASSPHRASE: &str = "CONFIDANT_MATRIX_STORE_PASSPHRASE";

/// Reads, validates and resolves the config file, the dialogs and the locales it names.
pub fn load(path: &Path) -> Result<Config, Problems> {
    load_with_env(path, &|name| std::env::var(name).ok())
}

/// As [`load`], for commands that never connect to a network (`report`): the channel
/// secrets may be missing from the environment, as they are in an administrator's shell.
pub fn load_offline(path: &Path) -> Result<Config, Problems> {
    load_with_env(path, &|name| {
        std::env::var(name).ok().or_else(|| match name {
            ENV_TELEGRAM_TOKEN => Some("0:unused-offline".into()),
            ENV_MATRIX_PASSWORD | ENV_STORE_PASSPHRASE => Some("unused-offline".into()),
            _ => None,
        })
    })
}

/// As [`load`], with the environment passed in (tests use their own).
pub fn load_with_env(
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, Problems> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problems::one(
            path.display().to_string(),
            format!("cannot read the config file: {e}"),
        )
    })?;
    load_text(&text, path, env)
}

/// What `check-config` says beside the problems: where each secret comes from (an
/// environment file read first, as the unit's `EnvironmentFile=`), and warnings.
pub fn secret_sources(
    path: &Path,
    env_file: Option<&EnvFile>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<SecretSource> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    match parse::parse_all(&text, path) {
        Ok(raw) => sources::secret_sources(&raw, env_file, env),
        Err(_) => Vec::new(),
    }
}

/// As [`load_with_env`], with the file's text already read (`path` names it in
/// problems, and relative paths in it are taken from its folder).
pub(crate) fn load_text(
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, Problems> {
    // serde names the wrong value but not its setting; quoting the line does.
    let raw = parse::parse_all(text, path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    resolve::resolve(raw, base, path, env)
}

#[cfg(test)]
mod tests;
