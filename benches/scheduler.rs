//! How long the scheduler takes to find what is due among many open cases, and how much
//! memory that takes. Run with `cargo bench --bench scheduler` (100 000 cases); under
//! `cargo test` it runs a small smoke version so the test suite stays quick.
//!
//! The data folder lives in /dev/shm when there is one: the set-up writes one key file
//! per case with fsync, which measures the disk, not the scheduler.

use std::time::{Duration, Instant};

use confidant::core::{
    Case, CaseChange, CaseId, Effects, ReporterAddress, TimerKind, Timestamp, Token,
};
use confidant::crypto::MasterKey;
use confidant::i18n::Lang;
use confidant::store::{Ack, Commit, Store};

/// Set in the child process that measures a populated folder with a fresh memory.
const MEASURE_DIR: &str = "CONFIDANT_BENCH_DIR";

fn main() {
    if let Ok(dir) = std::env::var(MEASURE_DIR) {
        measure(std::path::Path::new(&dir));
        return;
    }
    let full = std::env::args().any(|a| a == "--bench");
    let cases: u32 = if full { 100_000 } else { 1_000 };
    let parent = if std::path::Path::new("/dev/shm").is_dir() {
        tempfile::tempdir_in("/dev/shm")
    } else {
        tempfile::tempdir()
    }
    .expect("a scratch folder");
    let key_file = parent.path().join("master.key");
    let master = MasterKey::generate();
    master.write_new(&key_file).expect("the key file");
    let start = start();

    let setup = Instant::now();
    {
        let store = Store::open(&parent.path().join("data"), &master).expect("the store opens");
        for n in 0..cases {
            store
                .commit(Commit {
                    before: None,
                    effects: &open_case(n, start),
                    shared: None,
                    ack: Ack::None,
                })
                .expect("committed");
        }
        assert_eq!(store.timer_count(), cases as usize * 2);
    }
    println!("scheduler: {cases} open cases");
    println!("  set-up (commit every case): {:.2?}", setup.elapsed());
    // Measured in a new process, so the memory is the scheduler's, not the set-up's.
    let status = std::process::Command::new(std::env::current_exe().expect("this program"))
        .env(MEASURE_DIR, parent.path())
        .status()
        .expect("the measuring process runs");
    assert!(status.success());
}

fn start() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().expect("a time")
}

fn measure(dir: &std::path::Path) {
    let master = MasterKey::read_file(&dir.join("master.key")).expect("the key");
    let rss_start = rss_kib();
    let opened = Instant::now();
    let store = Store::open(&dir.join("data"), &master).expect("the store reopens");
    let open_time = opened.elapsed();
    let rounds = 10_000;
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let next = store.next_timer().expect("readable").expect("a timer");
        times.push(t.elapsed());
        // Case 0's reminder, 24 hours before its deadline, is the earliest of all.
        assert_eq!(next.at, start() - jiff::SignedDuration::from_hours(24));
    }
    times.sort();
    let rss_end = rss_kib();
    println!("  timers indexed: {}", store.timer_count());
    println!("  opening the data folder: {open_time:.2?}");
    println!(
        "  next due timer: median {:?}, p99 {:?}, max {:?} over {rounds} lookups",
        times[rounds / 2],
        times[rounds * 99 / 100],
        times.last().copied().unwrap_or(Duration::ZERO)
    );
    println!(
        "  memory: {} MiB resident at start, {} MiB after opening and looking up",
        rss_start / 1024,
        rss_end / 1024
    );
}

/// A submitted case waiting for first contact: a reminder and a deadline in the index,
/// spread over two days so the index is not one run of equal times.
fn open_case(n: u32, start: Timestamp) -> Effects {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&n.to_be_bytes());
    id[4] = 1;
    let mut case = Case::new(
        CaseId(id),
        Token::parse("VP-AAAA-BBBB").expect("a token"),
        ReporterAddress::Telegram {
            chat_id: 10_000 + i64::from(n),
        },
        Lang::new("nl"),
        start,
    );
    let due = start + jiff::SignedDuration::from_secs(i64::from(n % 172_800));
    case.timers.insert(
        TimerKind::FirstContactReminder,
        due - jiff::SignedDuration::from_hours(24),
    );
    case.timers.insert(TimerKind::FirstContactDeadline, due);
    Effects {
        case: CaseChange::Save(Box::new(case)),
        ..Effects::default()
    }
}

/// Resident memory of this process, from /proc (0 where there is none).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
