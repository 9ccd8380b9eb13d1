//! Where the checkout the tests run in lives, and the bot binary built in it, found at
//! run time: a checkout (with its build folder) moved after building still finds its own
//! dialogs, locales and Synapse venv, never the paths it was compiled at.

use std::path::PathBuf;

/// The repository root: cargo sets `CARGO_MANIFEST_DIR` for the tests it runs; the
/// compile-time value is only the last resort (a test binary started by hand).
pub fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The `confidant` binary beside this test binary (`target/debug/deps/tests-…` →
/// `target/debug/confidant`), or the compile-time path if it is not there.
pub fn confidant_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("confidant")))
        .filter(|bin| bin.is_file())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_confidant")))
}
