//! A guard against silent loss in sled's log. sled 0.34, recovering after a crash or
//! from a damaged file, stops reading its log at the first message that does not check
//! out and carries on with what it read: one flipped byte and the cases written after it
//! are gone without a word (a test here lost 8 of 20). So every commit writes a rising
//! generation number into the store, and after each successful flush the flusher writes
//! that number into a small file beside it (`generation`). On open, a store whose
//! generation is below the file's has lost data it had made durable: it is refused with
//! advice, never run as if nothing happened.
//!
//! The file is written without fsync: after a power loss it may be older, or torn (then
//! it is ignored with a warning), but never newer than what the store made durable, so
//! it can miss damage, never invent it.

use std::path::{Path, PathBuf};

use super::{META_GENERATION, StoreError};

pub const FILE: &str = "generation";

pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The generation the store holds (0 before the first commit).
pub fn read_stored(meta: &sled::Tree) -> Result<u64, StoreError> {
    Ok(meta
        .get(META_GENERATION)?
        .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
        .map_or(0, u64::from_be_bytes))
}

/// Records that everything up to `generation` is durable.
pub fn write(dir: &Path, generation: u64) {
    if let Err(error) = std::fs::write(path(dir), generation.to_string()) {
        tracing::warn!(%error, "cannot write the generation file");
    }
}

/// Refuses a store that holds less than it once made durable.
pub fn check(dir: &Path, meta: &sled::Tree) -> Result<(), StoreError> {
    let Ok(text) = std::fs::read_to_string(path(dir)) else {
        return Ok(());
    };
    let Ok(durable) = text.trim().parse::<u64>() else {
        tracing::warn!("the generation file does not read; the store is opened unchecked");
        return Ok(());
    };
    let held = read_stored(meta)?;
    if held < durable {
        return Err(StoreError::LogLost {
            path: dir.to_owned(),
            held,
            durable,
        });
    }
    Ok(())
}
