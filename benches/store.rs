//! Durable commits through the store against raw sled on the same disk, side by side in
//! one run. Run with `cargo bench --bench store` (a release build; the README's "Measured"
//! figures) or `cargo test --bench store -- --bench` (the dev build); under `cargo test` a
//! short smoke version runs.
//!
//! - **raw**: a sled insert of a record the size of one input's effects, then sled's own
//!   blocking `flush`: the least any durable write can cost on this disk.
//! - **store**: one reporter input's effects as the engine commits them (the case record,
//!   a transcript record and an outbox entry, sealed, in one transaction across trees,
//!   with the input's acknowledgement), then [`Store::flush`] (the group-commit flusher).
//!
//! Both are measured with one writer (each write waits for its own flush) and with as
//! many writers as the running bot has loops and delivery tasks (32). The criterion
//! (issue 11) is the store as the bot uses it, many writers sharing each flush (group
//! commit), against the raw baseline of one insert and one flush per write:
//! `store(32) / raw(1) >= 0.8`. The like-for-like ratios are printed too. The data
//! folders live in the target folder, on the disk the bot would use, not in memory.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use confidant::core::{
    Author, Case, CaseChange, CaseId, Effects, Output, ReporterAddress, ReporterMessage, Timestamp,
    Token, TranscriptEntry,
};
use confidant::crypto::MasterKey;
use confidant::i18n::Lang;
use confidant::store::{Ack, Commit, Store};

const WRITERS: usize = 32;
const CASES: usize = 64;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let commits: usize = if full { 20_000 } else { 400 };
    let rounds = if full { 3 } else { 1 };
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a scratch folder");
    println!("store: {commits} durable commits per measurement, {rounds} round(s)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a runtime");
    for round in 1..=rounds {
        let dir = |name: &str| scratch.path().join(format!("{name}-{round}"));
        let raw_1 = raw_sled(&dir("raw-1"), 1, commits);
        let raw_n = raw_sled(&dir("raw-n"), WRITERS, commits);
        let store_1 = runtime.block_on(through_store(&dir("store-1"), 1, commits));
        let store_n = runtime.block_on(through_store(&dir("store-n"), WRITERS, commits));
        println!("  round {round}:");
        println!(
            "    raw sled insert + flush:  {raw_1:>7.0}/s with 1 writer, {raw_n:>7.0}/s with {WRITERS}"
        );
        println!(
            "    store commit + flush:     {store_1:>7.0}/s with 1 writer, {store_n:>7.0}/s with {WRITERS}"
        );
        println!(
            "    group commit, store({WRITERS}) / raw(1): {:.2}   (like for like: {:.2} with 1, {:.2} with {WRITERS})",
            store_n / raw_1,
            store_1 / raw_1,
            store_n / raw_n
        );
    }
}

/// A record the size of one input's sealed effects (case, transcript, outbox entry).
const RECORD: usize = 1500;

fn raw_sled(dir: &Path, writers: usize, commits: usize) -> f64 {
    let db = sled::Config::new().path(dir).open().expect("sled opens");
    let per_writer = commits / writers;
    let start = Instant::now();
    std::thread::scope(|scope| {
        for writer in 0..writers {
            let db = &db;
            scope.spawn(move || {
                for i in 0..per_writer {
                    let key = ((writer * per_writer + i) as u64).to_be_bytes();
                    db.insert(key, vec![7u8; RECORD]).expect("insert");
                    db.flush().expect("flush");
                }
            });
        }
    });
    (per_writer * writers) as f64 / start.elapsed().as_secs_f64()
}

async fn through_store(dir: &Path, writers: usize, commits: usize) -> f64 {
    let store = Arc::new(Store::open(dir, &MasterKey::generate()).expect("the store opens"));
    let now: Timestamp = "2026-11-23T09:00:00Z".parse().expect("a time");
    // The cases exist already, as for most inputs (a new case also writes its key file).
    let cases: Vec<Case> = (0..CASES).map(|n| new_case(n, now)).collect();
    for case in &cases {
        store
            .commit(Commit {
                before: None,
                effects: &Effects {
                    case: CaseChange::Save(Box::new(case.clone())),
                    ..Effects::default()
                },
                shared: None,
                ack: Ack::None,
            })
            .expect("a case");
    }
    store.flush().await.expect("flushed");
    let per_writer = commits / writers;
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for writer in 0..writers {
        let store = store.clone();
        let mut case = cases[writer % CASES].clone();
        tasks.spawn(async move {
            for i in 0..per_writer {
                let before = case.clone();
                let effects = one_input(&mut case, now, i);
                store
                    .commit(Commit {
                        before: Some(&before),
                        effects: &effects,
                        shared: None,
                        ack: Ack::TelegramOffset(i as i32),
                    })
                    .expect("committed");
                store.flush().await.expect("durable");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a writer");
    }
    let elapsed = start.elapsed().max(Duration::from_nanos(1));
    (per_writer * writers) as f64 / elapsed.as_secs_f64()
}

fn new_case(n: usize, now: Timestamp) -> Case {
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&(n as u64).to_be_bytes());
    Case::new(
        CaseId(id),
        Token::parse("VP-AAAA-BBBB").expect("a token"),
        ReporterAddress::Telegram {
            chat_id: 50_000 + n as i64,
        },
        Lang::new("nl"),
        now,
    )
}

/// What one employee message causes: the case moves on, the words are kept, the
/// counsellor's room gets them.
fn one_input(case: &mut Case, now: Timestamp, i: usize) -> Effects {
    let seq = case.transcript_len;
    case.transcript_len += 1;
    let text = format!("message {i}: {}", "woorden ".repeat(40));
    Effects {
        case: CaseChange::Save(Box::new(case.clone())),
        transcript: vec![TranscriptEntry {
            seq,
            at: now,
            author: Author::Reporter,
            text: text.clone(),
        }],
        outputs: vec![Output::Reporter(ReporterMessage {
            to: case.reporters[0].clone(),
            text,
            buttons: Vec::new(),
            source: None,
            html: None,
            reply_to: None,
        })],
        ..Effects::default()
    }
}
