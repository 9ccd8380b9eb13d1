//! The real binary run as an administrator runs it: a shell without the service's
//! secrets in its environment.

use std::process::Command;

/// Runs `confidant ARGS`; whether it succeeded, its standard output and its errors.
pub fn confidant_cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(super::checkout::confidant_binary())
        .args(args)
        .env_remove("CONFIDANT_MASTER_KEY")
        .env_remove("CONFIDANT_TELEGRAM_TOKEN")
        .env_remove("CONFIDANT_MATRIX_PASSWORD")
        .env_remove("CONFIDANT_MATRIX_STORE_PASSPHRASE")
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
