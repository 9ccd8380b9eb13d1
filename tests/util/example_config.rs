//! The shipped example config (`deploy/config.example.toml`) pointed at a test folder:
//! the repository's dialogs and locales, a master key and data folder under `dir`.

use std::path::Path;

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
