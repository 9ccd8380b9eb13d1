//! Scratch directories for test servers and client stores.
//!
//! They live in RAM (`/dev/shm`) where available: sqlite's fsyncs on disk make
//! Synapse start-up and client stores noticeably slower. A test process killed
//! outright (Ctrl-C, SIGKILL) runs no destructors, so each directory records
//! its owner's pid and later test runs sweep those whose owner is gone.

use std::path::Path;
use std::sync::Once;

use tempfile::TempDir;

const PREFIX: &str = "confidant-test-";
const OWNER_FILE: &str = ".owner-pid";

/// A fresh directory, removed on drop, named after `purpose`.
pub fn scratch_dir(purpose: &str) -> TempDir {
    static SWEEP: Once = Once::new();
    let shm = Path::new("/dev/shm");
    let parent = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    SWEEP.call_once(|| sweep_orphans(&parent));
    let dir = tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{purpose}-"))
        .tempdir_in(&parent)
        .unwrap_or_else(|e| panic!("creating a {purpose} tempdir: {e}"));
    std::fs::write(dir.path().join(OWNER_FILE), std::process::id().to_string())
        .unwrap_or_else(|e| panic!("writing {OWNER_FILE}: {e}"));
    dir
}

/// Removes scratch directories whose owning process no longer exists.
fn sweep_orphans(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let owner = std::fs::read_to_string(entry.path().join(OWNER_FILE)).unwrap_or_default();
        let alive = Path::new("/proc").join(owner.trim()).exists();
        if !owner.trim().is_empty() && !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
