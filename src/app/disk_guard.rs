//! After a storage fault: sled 0.34 keeps an I/O error it met while writing its log
//! (a full disk, say) and fails every later flush, even once the disk takes writes
//! again. Nothing is acknowledged meanwhile, so nothing is lost, but the bot would never
//! recover by itself. This guard watches for the disk to take writes again while the
//! store still cannot flush, and then exits with [`EXIT_STORE_REOPEN`] so the service
//! manager restarts the bot on a freshly opened store, which replays what was not
//! acknowledged. While the disk is still full it waits (a restart could not open the
//! store either).

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::engine::Engine;

/// The exit status for "restart me: the store must be reopened" (EX_TEMPFAIL).
pub const EXIT_STORE_REOPEN: i32 = 75;

/// How often the guard looks.
const EVERY: Duration = Duration::from_secs(2);

pub async fn run(engine: Arc<Engine>, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(EVERY) => {}
        }
        if !engine.store.flush_failing() {
            continue;
        }
        let store = engine.clone();
        let takes_writes = tokio::task::spawn_blocking(move || store.store.disk_takes_writes())
            .await
            .unwrap_or(false);
        if !takes_writes {
            continue;
        }
        // The disk is back: one more flush tells whether the store is too.
        if engine.store.flush().await.is_ok() {
            tracing::info!("the data folder takes writes again");
            continue;
        }
        tracing::error!(
            "the disk takes writes again but the store cannot flush (sled keeps its I/O error); exiting so that the service manager restarts the bot on a reopened store (nothing acknowledged is lost)"
        );
        std::process::exit(EXIT_STORE_REOPEN);
    }
}
