//! Tests that must not starve each other. The heaviest (a thousand chats, three hundred
//! reports, kill loops) take turns: on two cores, two of them at once starve the Telegram
//! stand-in, which runs inside this test process, of the CPU it needs to carry out a
//! request promptly. And the fifty-kill loop runs with no other test world at all, so
//! that other tests' load does not blur what it measures.

use std::sync::{Arc, LazyLock};

use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

/// Held for the whole of one heavy test.
pub static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Every test world holds this shared for its life; a world that must run alone holds it
/// exclusively. (No test starts two worlds at once, so a queued writer cannot deadlock.)
static WORLDS: LazyLock<Arc<RwLock<()>>> = LazyLock::new(|| Arc::new(RwLock::new(())));

/// A world's turn: beside others, or alone.
pub enum Turn {
    Beside(#[allow(dead_code)] OwnedRwLockReadGuard<()>),
    Alone(#[allow(dead_code)] OwnedRwLockWriteGuard<()>),
}

/// Waits for a world's turn.
pub async fn turn(alone: bool) -> Turn {
    match alone {
        true => Turn::Alone(WORLDS.clone().write_owned().await),
        false => Turn::Beside(WORLDS.clone().read_owned().await),
    }
}
