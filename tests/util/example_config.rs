//! The shipped example config (`deploy/config.example.toml`) pointed at a test folder:
//! the repository's dialogs and locales, a master key and data folder under `dir`.

use std::path::{Path, PathBuf};

/// The example with this folder's paths and no secrets (as in an administrator's shell).
pub fn without_secrets(dir: &Path) -> String {
    let root = &super::checkout::root();
    std::fs::read_to_string(root.join("deploy/config.example.toml"))
        .expect("the example config")
        .replace(
            "/usr/share/confidant/dialogs",
            &root.join("dialogs").display().to_string(),
        )
        .replace(
            "/usr/share/confidant/locales",
            &root.join("locales").display().to_string(),
        )
        .replace(
            "/etc/confidant/master.key",
            &dir.join("master.key").display().to_string(),
        )
        .replace(
            "/var/lib/confidant",
            &dir.join("data").display().to_string(),
        )
}

/// The example with the channel secrets filled in, as `run` needs them.
pub fn with_secrets(dir: &Path) -> String {
    without_secrets(dir)
        .replace(
            "# token = \"123456789:AA...\"",
            "token = \"123456789:AAtest\"",
        )
        .replace("# password = \"...\"", "password = \"pw\"")
        .replace("# store_passphrase = \"...\"", "store_passphrase = \"pp\"")
}

/// An administrator's machine in a temporary folder: a master key made with the real
/// binary's `keygen`, and the example config (no secrets) pointing at it and at `data`.
pub struct AdminFolder {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub key: PathBuf,
}

impl AdminFolder {
    pub fn new() -> AdminFolder {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("master.key");
        let (ok, _, err) =
            super::command::confidant_cli(&["keygen", "--out", key.to_str().unwrap()]);
        assert!(ok, "{err}");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, without_secrets(dir.path())).unwrap();
        AdminFolder { dir, config, key }
    }

    pub fn config(&self) -> &str {
        self.config.to_str().unwrap()
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn master(&self) -> confidant::crypto::MasterKey {
        confidant::crypto::MasterKey::read_file(&self.key).unwrap()
    }
}
