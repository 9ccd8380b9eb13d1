//! The store under the load of the running bot: inputs from many chats through the
//! engine, delivery workers recording what they sent and marking sends in flight, and the
//! Matrix sync moving its token on, every one of them waiting for the disk at the same
//! time. Calling sled's `flush_async` from all of them at once deadlocked (sled #1308:
//! every sled I/O thread parked in `make_stable`); with the group-commit flusher this
//! must come through, and a hang fails the test instead of hanging it.
//!
//! The load runs on a runtime in a thread of its own, and the test waits for it with a
//! timeout on a plain channel: in the deadlock sled also blocks the runtime's worker
//! threads, so a timer on that runtime would never fire.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::task::JoinSet;

use super::clock::SystemClock;
use super::engine::Engine;
use crate::core::tests::support::{core, telegram};
use crate::core::{Input, ReporterEvent};
use crate::crypto::MasterKey;
use crate::store::{Ack, Delivered, SentRecord, Store};

const CHATS: i64 = 48;
const INPUTS_PER_CHAT: usize = 40;
const WORKERS: u8 = 16;
/// Far beyond what the work takes on a slow machine (a few seconds); a deadlock never ends.
const HANG: Duration = Duration::from_secs(60);

#[test]
fn concurrent_inputs_deliveries_and_sync_never_hang_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let engine = Arc::new(Engine::new(core(), store, Arc::new(SystemClock)));
    let (finished, finished_rx) = std::sync::mpsc::channel();
    let load = engine.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(run_load(load));
        let _ = finished.send(());
    });
    finished_rx
        .recv_timeout(HANG)
        .expect("the store made no progress: waiting for the disk hung");

    assert_eq!(engine.store.outbox_len(), 0, "every message was delivered");
    assert_eq!(
        engine.store.case_ids().unwrap().len(),
        CHATS as usize,
        "one intake per chat"
    );
}

/// Employees in every chat, delivery workers and a sync loop, all at once.
async fn run_load(engine: Arc<Engine>) {
    let employees_done = Arc::new(AtomicBool::new(false));
    let mut employees = JoinSet::new();
    for chat in 0..CHATS {
        let engine = engine.clone();
        employees.spawn(async move {
            for i in 0..INPUTS_PER_CHAT {
                let text = if i % 8 == 0 { "/start" } else { "/help" };
                let input = Input::Reporter {
                    from: telegram(chat),
                    event: ReporterEvent::Text(text.into()),
                };
                engine.handle(input, Ack::None).await.unwrap();
            }
        });
    }
    let mut others = JoinSet::new();
    for worker in 0..WORKERS {
        let (engine, done) = (engine.clone(), employees_done.clone());
        others.spawn(async move { deliver_all(&engine, worker, &done).await });
    }
    {
        let (engine, done) = (engine.clone(), employees_done.clone());
        others.spawn(async move {
            let mut n = 0u64;
            while !done.load(Ordering::Relaxed) {
                n += 1;
                engine.store.set_matrix_since(&format!("s{n}")).unwrap();
                engine.settle().await.unwrap();
            }
        });
    }
    while let Some(done) = employees.join_next().await {
        done.unwrap();
    }
    employees_done.store(true, Ordering::Relaxed);
    while let Some(done) = others.join_next().await {
        done.unwrap();
    }
}

/// A delivery worker: takes the destinations that fall to it, marks each head entry in
/// flight and waits for the disk (as the Telegram sender does), then records it delivered
/// and waits again (as the delivery worker does), until the employees are done and its
/// part of the outbox is empty.
async fn deliver_all(engine: &Engine, worker: u8, employees_done: &AtomicBool) {
    let mut fake_id = 1;
    loop {
        let finished = employees_done.load(Ordering::Relaxed);
        let mine: Vec<_> = engine
            .store
            .outbox_destinations()
            .unwrap()
            .into_iter()
            .filter(|d| d.0[0] % WORKERS == worker)
            .collect();
        if mine.is_empty() {
            if finished {
                return;
            }
            tokio::task::yield_now().await;
            continue;
        }
        for dest in mine {
            while let Some(entry) = engine.store.outbox_head(dest).unwrap() {
                engine.store.mark_in_flight(&entry, false).unwrap();
                engine.store.flush().await.unwrap();
                fake_id += 1;
                let done = match &entry.output {
                    crate::core::Output::Reporter(message) => {
                        Delivered::ReporterMessage(SentRecord {
                            to: message.to.clone(),
                            message_id: fake_id,
                            source: None,
                            event_id: None,
                            employee: false,
                        })
                    }
                    _ => Delivered::Nothing,
                };
                engine.store.complete(&entry, done).unwrap();
                engine.store.flush().await.unwrap();
            }
        }
    }
}
