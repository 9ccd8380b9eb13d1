//! Durability by group commit: one thread of its own calls sled's blocking `flush` for
//! every writer at once.
//!
//! Why not `Db::flush_async`: concurrent calls to it deadlock in sled 0.34 (spacejam/sled
//! issues #1308 and #1241, fixed on sled's main branch but never released); the bot hung
//! with every sled I/O thread parked in `make_stable`. Here nothing but this one thread
//! ever flushes, so no two flushes overlap, and it never runs on the async runtime.
//!
//! Group commit: a writer asks for a flush *after* its write and gets a ticket; the thread
//! takes the newest ticket, flushes, and settles every ticket up to it. A flush that starts
//! after a ticket was issued covers that ticket's writes (sled's log is written in order),
//! so whoever waits while a flush is running is served by the next one, together with
//! everyone else who arrived meanwhile.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use tokio::sync::watch;

use crate::watchdog::Pulse;

/// What the flusher has done so far, in tickets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Settled {
    /// Every ticket up to this one is on disk.
    durable: u64,
    /// The newest ticket a failed flush would have covered.
    failed: u64,
}

impl Settled {
    /// `Some` once `ticket` is decided. A later successful flush covers the writes of an
    /// earlier failed one too, so success is looked at first.
    fn outcome(&self, ticket: u64) -> Option<Result<(), FlushFailed>> {
        if self.durable >= ticket {
            Some(Ok(()))
        } else if self.failed >= ticket {
            Some(Err(FlushFailed))
        } else {
            None
        }
    }
}

/// The disk did not take the data (full, gone, read-only); the writes may be lost in a
/// crash, so nothing they stand for may be acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the data could not be written to disk")]
pub struct FlushFailed;

struct Requests {
    /// The newest ticket handed out.
    issued: u64,
    stop: bool,
}

struct Shared {
    requests: Mutex<Requests>,
    wake: Condvar,
    /// For async waiters; the same value as `settled_sync`.
    settled: watch::Sender<Settled>,
    /// For waiters outside the async runtime.
    settled_sync: (Mutex<Settled>, Condvar),
    pulse: Pulse,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere cannot leave these plain counters half-changed.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) struct Flusher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Flusher {
    /// Starts the flushing thread for `db`.
    /// After each successful flush it records the generation it covered in `dir`
    /// (see `watermark`), read from `meta` before flushing.
    pub(crate) fn start(
        db: sled::Db,
        meta: sled::Tree,
        dir: std::path::PathBuf,
    ) -> std::io::Result<Flusher> {
        let (settled, _) = watch::channel(Settled::default());
        let shared = Arc::new(Shared {
            requests: Mutex::new(Requests {
                issued: 0,
                stop: false,
            }),
            wake: Condvar::new(),
            settled,
            settled_sync: (Mutex::new(Settled::default()), Condvar::new()),
            pulse: Pulse::new("disk flusher"),
        });
        let thread = std::thread::Builder::new()
            .name("confidant-flush".into())
            .spawn({
                let shared = shared.clone();
                move || flush_loop(&db, &meta, &dir, &shared)
            })?;
        Ok(Flusher {
            shared,
            thread: Some(thread),
        })
    }

    /// Whether the latest flush failed (the disk does not take writes, or did not).
    pub(crate) fn failing(&self) -> bool {
        let settled = *self.shared.settled.borrow();
        settled.failed > settled.durable
    }

    /// Its progress, for the watchdog: busy while a flush is asked for and not done.
    pub(crate) fn pulse(&self) -> &Pulse {
        &self.shared.pulse
    }

    /// A ticket covering every write made before this call.
    fn ticket(&self) -> u64 {
        let mut requests = lock(&self.shared.requests);
        requests.issued += 1;
        let ticket = requests.issued;
        drop(requests);
        self.shared.pulse.busy();
        self.shared.wake.notify_one();
        ticket
    }

    /// Waits until everything written before this call is on disk.
    pub(crate) async fn flush(&self) -> Result<(), FlushFailed> {
        let ticket = self.ticket();
        let mut settled = self.shared.settled.subscribe();
        let decided = settled
            .wait_for(|s| s.outcome(ticket).is_some())
            .await
            .map_err(|_| FlushFailed)?;
        decided.outcome(ticket).unwrap_or(Err(FlushFailed))
    }

    /// As [`Flusher::flush`], for callers outside the async runtime (start-up, tools).
    pub(crate) fn flush_blocking(&self) -> Result<(), FlushFailed> {
        let ticket = self.ticket();
        let (settled, changed) = &self.shared.settled_sync;
        let mut now = lock(settled);
        loop {
            if let Some(outcome) = now.outcome(ticket) {
                return outcome;
            }
            now = changed.wait(now).unwrap_or_else(|p| p.into_inner());
        }
    }
}

fn flush_loop(db: &sled::Db, meta: &sled::Tree, dir: &std::path::Path, shared: &Shared) {
    let mut done = 0;
    loop {
        let ticket = {
            let mut requests = lock(&shared.requests);
            while requests.issued == done && !requests.stop {
                shared.pulse.idle();
                requests = shared
                    .wake
                    .wait(requests)
                    .unwrap_or_else(|p| p.into_inner());
            }
            if requests.issued == done {
                return;
            }
            requests.issued
        };
        shared.pulse.busy();
        // Read before the flush: the flush covers at least this generation.
        let generation = super::watermark::read_stored(meta).ok();
        let ok = match db.flush() {
            Ok(_) => {
                if let Some(generation) = generation.filter(|g| *g > 0) {
                    super::watermark::write(dir, generation);
                }
                true
            }
            Err(e) => {
                tracing::error!(error = %e, "the data folder cannot be written");
                false
            }
        };
        done = ticket;
        shared.pulse.progress();
        let mut next = *shared.settled.borrow();
        if ok {
            next.durable = ticket;
        } else {
            next.failed = ticket;
        }
        shared.settled.send_replace(next);
        let (settled, changed) = &shared.settled_sync;
        *lock(settled) = next;
        changed.notify_all();
    }
}

impl Drop for Flusher {
    /// Finishes the flushes asked for, then stops the thread.
    fn drop(&mut self) {
        lock(&self.shared.requests).stop = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db() -> (tempfile::TempDir, sled::Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        (dir, db)
    }

    #[test]
    fn a_later_success_settles_an_earlier_failure() {
        let settled = Settled {
            durable: 5,
            failed: 7,
        };
        assert_eq!(settled.outcome(4), Some(Ok(())));
        assert_eq!(settled.outcome(6), Some(Err(FlushFailed)));
        assert_eq!(settled.outcome(8), None);
        let later = Settled {
            durable: 9,
            failed: 7,
        };
        assert_eq!(later.outcome(6), Some(Ok(())));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn many_concurrent_waiters_share_flushes_and_all_return() {
        let (dir, db) = temp_db();
        let meta = db.open_tree("meta").unwrap();
        let flusher = Arc::new(Flusher::start(db.clone(), meta, dir.path().to_owned()).unwrap());
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..64u64 {
            let (db, flusher) = (db.clone(), flusher.clone());
            tasks.spawn(async move {
                for i in 0..50u64 {
                    db.insert((task * 1000 + i).to_be_bytes(), vec![1; 64])
                        .unwrap();
                    flusher.flush().await.unwrap();
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
        flusher.flush_blocking().unwrap();
        assert_eq!(db.len(), 64 * 50);
    }
}
