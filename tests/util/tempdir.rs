//! Scratch directories for test servers and client stores.

use std::path::Path;

use tempfile::TempDir;

/// A fresh directory, in RAM (`/dev/shm`) where available: sqlite's fsyncs on
/// disk make Synapse start-up and client stores noticeably slower.
pub fn scratch_dir(prefix: &str) -> TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        builder.tempdir_in(shm)
    } else {
        builder.tempdir()
    };
    dir.unwrap_or_else(|e| panic!("creating a {prefix}* tempdir: {e}"))
}
