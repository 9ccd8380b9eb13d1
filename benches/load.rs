//! The running bot measured against its real peers (a local Synapse, the Telegram stand-in,
//! the real binary), each figure as a ratio against a baseline taken in the same run:
//!
//! - **relay Telegram → Matrix**: an employee's message to the counsellor's screen, against
//!   a direct Matrix client's send → seen on the same Synapse, seen by the same client
//!   (goal: p99 ≤ 1.2×);
//! - **relay Matrix → Telegram**: a counsellor's message to the phone, minus the same
//!   counsellor's direct send → seen by another Matrix client: what the bot adds
//!   (goal ≤ 20 ms), with the stand-in's own round trip for scale;
//! - **intakes in progress**: the bot's resident memory with many employees mid-intake
//!   (goal: under 200 MB for 10 000);
//! - **a burst**: many chats pressing a button at the same moment: time to the next
//!   question (p50, p99) and whether every chat's questions came once and in order;
//! - **cold start**: from starting the process to its first `getUpdates`, with many cases
//!   in the data folder (goal < 1 s for 1 000).
//!
//! Run with `cargo bench --bench load` (a release build; the README's "Measured" figures,
//! about ten minutes) or `cargo test --bench load -- --bench` (the dev build); under
//! `cargo test` a small smoke version runs. The bot runs with the test pace (the stand-in is not Telegram; pacing has its own
//! test), so the figures are the bot's own cost.

#[path = "../tests/util/mod.rs"]
mod util;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use confidant::core::{Case, CaseChange, CaseId, Effects, ReporterAddress, Token};
use confidant::crypto::MasterKey;
use confidant::i18n::Lang;
use confidant::store::{Ack, Commit, Store};
use matrix_sdk::ruma::OwnedRoomId;
use matrix_sdk::ruma::events::room::message::OriginalSyncRoomMessageEvent;
use tokio::sync::Notify;

use util::counsellor::MatrixPeer;
use util::crowd::{all_have_text as all_have, all_press, asked_once_in_order};
use util::employee::Employee;
use util::world::{WAIT, World};

struct Sizes {
    relays: usize,
    intakes: u64,
    burst: u64,
    cases: u32,
}

const FULL: Sizes = Sizes {
    relays: 50,
    intakes: 10_000,
    burst: 1_000,
    cases: 1_000,
};
const SMOKE: Sizes = Sizes {
    relays: 5,
    intakes: 100,
    burst: 50,
    cases: 50,
};

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes = if full { FULL } else { SMOKE };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut world = World::start().await;
        relays(&world, sizes.relays).await;
        burst(&world, sizes.burst).await;
        intakes_in_progress(&world, sizes.intakes).await;
        cold_start(&mut world, sizes.cases).await;
    });
}

/// When each message body first reached a client through its sync (decrypted by the SDK):
/// the moment a person would see it, the same way for the bot's messages and a person's.
#[derive(Clone, Default)]
struct Seen {
    at: Arc<Mutex<HashMap<String, Instant>>>,
    news: Arc<Notify>,
}

impl Seen {
    fn watch(client: &matrix_sdk::Client) -> Seen {
        let seen = Seen::default();
        let recorder = seen.clone();
        client.add_event_handler(move |event: OriginalSyncRoomMessageEvent| {
            let recorder = recorder.clone();
            async move {
                let now = Instant::now();
                recorder
                    .at
                    .lock()
                    .unwrap()
                    .entry(event.content.body().to_owned())
                    .or_insert(now);
                recorder.news.notify_waiters();
            }
        });
        seen
    }

    async fn wait_for(&self, body: &str) -> Instant {
        let deadline = Instant::now() + WAIT;
        loop {
            let news = self.news.notified();
            if let Some(at) = self.at.lock().unwrap().get(body) {
                return *at;
            }
            assert!(Instant::now() < deadline, "{body:?} was never seen");
            let _ = tokio::time::timeout(Duration::from_millis(100), news).await;
        }
    }
}

/// p50 and p99 of `samples`.
fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn relays(world: &World, rounds: usize) {
    // A case room with Anna, and a plain encrypted room of Anna and Bram for baselines.
    let eva = world.employee(900_001, "Eva", "eva_b");
    eva.report("Meting.").await;
    let case_room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&case_room, "Meting.", WAIT).await;
    let bram_user = world.synapse.register("bram", "bram-password", false).await;
    let bram = MatrixPeer::login(&world.synapse, &bram_user).await;
    let plain = world
        .anna
        .create_encrypted_room("baseline", &[&bram_user.user_id])
        .await;
    bram.join(&plain).await;
    world
        .anna
        .wait_for_joined(&plain, &bram_user.user_id, WAIT)
        .await;
    warm_up(world, &eva, &bram, &case_room, &plain).await;
    let anna_sees = Seen::watch(world.anna.client());
    let bram_sees = Seen::watch(bram.client());

    let (mut direct_tm, mut relay_tm) = (Vec::new(), Vec::new());
    let (mut direct_mt, mut relay_mt) = (Vec::new(), Vec::new());
    // Each timed message starts from rest: every client (and the bot) parked in its long
    // poll, as when a person writes. Back-to-back sends measure the clients' own pauses
    // between syncs instead (the test peers sync again about a second after they send).
    let rest = || tokio::time::sleep(Duration::from_millis(1500));
    for i in 0..rounds {
        // Telegram → Matrix, against Bram → Anna.
        rest().await;
        let t = Instant::now();
        bram.send_text(&plain, &format!("B-{i}")).await;
        direct_tm.push(anna_sees.wait_for(&format!("B-{i}")).await - t);
        rest().await;
        let t = Instant::now();
        eva.say(&format!("T-{i}"));
        relay_tm.push(anna_sees.wait_for(&format!("T-{i}")).await - t);
        // Matrix → Telegram, against Anna → Bram.
        rest().await;
        let t = Instant::now();
        world.anna.send_text(&plain, &format!("A-{i}")).await;
        direct_mt.push(bram_sees.wait_for(&format!("A-{i}")).await - t);
        rest().await;
        let t = Instant::now();
        world.anna.send_text(&case_room, &format!("M-{i}")).await;
        eva.wait_for(&format!("Anna: M-{i}")).await;
        relay_mt.push(t.elapsed());
    }
    let standin = standin_round_trip(world, eva.chat_id(), rounds).await;
    let (d50, d99) = percentiles(&mut direct_tm);
    let (r50, r99) = percentiles(&mut relay_tm);
    println!("relay Telegram -> Matrix ({rounds} messages):");
    println!(
        "  direct client send -> seen: p50 {:.1} ms, p99 {:.1} ms",
        ms(d50),
        ms(d99)
    );
    println!(
        "  employee -> counsellor:     p50 {:.1} ms, p99 {:.1} ms; ratio p50 {:.2}, p99 {:.2} (goal p99 <= 1.2)",
        ms(r50),
        ms(r99),
        ms(r50) / ms(d50),
        ms(r99) / ms(d99)
    );
    let (d50, d99) = percentiles(&mut direct_mt);
    let (r50, r99) = percentiles(&mut relay_mt);
    let (s50, _) = standin;
    println!("relay Matrix -> Telegram ({rounds} messages):");
    println!(
        "  direct client send -> seen: p50 {:.1} ms, p99 {:.1} ms; the stand-in's own round trip p50 {:.1} ms",
        ms(d50),
        ms(d99),
        ms(s50)
    );
    println!(
        "  counsellor -> phone:        p50 {:.1} ms, p99 {:.1} ms; beyond the direct client p50 {:+.1} ms, p99 {:+.1} ms (goal <= 20 ms)",
        ms(r50),
        ms(r99),
        ms(r50) - ms(d50),
        ms(r99) - ms(d99)
    );
}

/// A few messages each way first, so that keys are shared and connections are open.
async fn warm_up(
    world: &World,
    eva: &Employee,
    bram: &MatrixPeer,
    case_room: &OwnedRoomId,
    plain: &OwnedRoomId,
) {
    for i in 0..3 {
        bram.send_text(plain, &format!("warm-b-{i}")).await;
        world
            .anna
            .wait_for_text(plain, &format!("warm-b-{i}"), WAIT)
            .await;
        world.anna.send_text(plain, &format!("warm-a-{i}")).await;
        bram.wait_for_text(plain, &format!("warm-a-{i}"), WAIT)
            .await;
        eva.say(&format!("warm-t-{i}"));
        world
            .anna
            .wait_for_text(case_room, &format!("warm-t-{i}"), WAIT)
            .await;
        world
            .anna
            .send_text(case_room, &format!("warm-m-{i}"))
            .await;
        eva.wait_for(&format!("Anna: warm-m-{i}")).await;
    }
}

/// A Bot API call straight to the stand-in (sendMessage to a chat that has talked with
/// the bot), as a client would make it.
async fn standin_round_trip(world: &World, chat: i64, rounds: usize) -> (Duration, Duration) {
    let http = util::synapse::loopback_http_client();
    let url = format!(
        "{}/bot{}/sendMessage",
        world.standin.api_url().trim_end_matches('/'),
        util::world::BOT_TOKEN
    );
    let mut times = Vec::new();
    for i in 0..rounds {
        let t = Instant::now();
        let sent = http
            .post(&url)
            .json(&serde_json::json!({"chat_id": chat, "text": format!("s-{i}")}))
            .send()
            .await
            .expect("the stand-in answers");
        let status = sent.status();
        assert!(
            status.is_success(),
            "sendMessage: {status}: {}",
            sent.text().await.unwrap_or_default()
        );
        times.push(t.elapsed());
    }
    percentiles(&mut times)
}

/// Many chats press a button at the same moment; the time until each one's next
/// question reaches the stand-in, and the order of every chat's questions.
async fn burst(world: &World, chats: u64) {
    let crowd: Vec<Employee> = (0..chats)
        .map(|n| world.employee(910_000 + n, "Collega", &format!("b{n}")))
        .collect();
    for e in &crowd {
        e.say("/start");
    }
    all_have(&crowd, "Welkom").await;
    let pressed = Instant::now();
    all_press(&crowd, "Verder").await;
    all_have(&crowd, "Eerst dit").await;
    let calls = world.standin.calls();
    let mut latencies = Vec::new();
    let mut in_order = 0;
    for e in &crowd {
        let chat = e.chat_id().to_string();
        let answered = calls
            .iter()
            .find(|c| {
                c.method == "sendMessage"
                    && c.params.get("chat_id") == Some(&chat)
                    && c.params
                        .get("text")
                        .is_some_and(|t| t.contains("Eerst dit"))
            })
            .expect("the next question was sent");
        latencies.push(answered.received_at.saturating_duration_since(pressed));
        if asked_once_in_order(e, &["Welkom", "Eerst dit"]).is_ok() {
            in_order += 1;
        }
    }
    let (p50, p99) = percentiles(&mut latencies);
    println!("burst ({chats} chats pressing at once):");
    println!(
        "  press -> next question: p50 {:.0} ms, p99 {:.0} ms; {in_order} of {chats} chats got each question once, in order",
        ms(p50),
        ms(p99)
    );
}

/// Resident memory of the bot with `count` more employees in the middle of an intake.
async fn intakes_in_progress(world: &World, count: u64) {
    let before = world.bot.rss_kib().expect("the bot's memory");
    let crowd: Vec<Employee> = (0..count)
        .map(|n| world.employee(1_000_000 + n, "Medewerker", &format!("i{n}")))
        .collect();
    let started = Instant::now();
    for e in &crowd {
        e.say("/start");
    }
    all_have(&crowd, "Welkom").await;
    all_press(&crowd, "Verder").await;
    all_have(&crowd, "Eerst dit").await;
    let took = started.elapsed();
    let after = world.bot.rss_kib().expect("the bot's memory");
    let per = (after.saturating_sub(before)) as f64 / count as f64;
    println!("intakes in progress ({count} employees at the safety question):");
    println!(
        "  resident memory {:.1} MiB (was {:.1} MiB): {per:.1} KiB per intake, so {:.0} MiB for 10 000 (goal < 200 MB); took {took:.1?}",
        after as f64 / 1024.0,
        before as f64 / 1024.0,
        (before as f64 + per * 10_000.0) / 1024.0,
    );
}

/// From starting the process to its first `getUpdates`, with `cases` more cases in the
/// data folder (written with the store's API while the bot is stopped).
async fn cold_start(world: &mut World, cases: u32) {
    world.bot.kill();
    {
        let master =
            MasterKey::read_file(&world.dir.path().join("master.key")).expect("the master key");
        let store = Store::open(&world.data_dir(), &master).expect("the data folder");
        let now = "2026-11-23T09:00:00Z".parse().expect("a time");
        for n in 0..cases {
            let mut id = [9u8; 16];
            id[..4].copy_from_slice(&n.to_be_bytes());
            let case = Case::new(
                CaseId(id),
                Token::parse("VP-AAAA-BBBB").expect("a token"),
                ReporterAddress::Telegram {
                    chat_id: 5_000_000 + i64::from(n),
                },
                Lang::new("nl"),
                now,
            );
            store
                .commit(Commit {
                    before: None,
                    effects: &Effects {
                        case: CaseChange::Save(Box::new(case)),
                        ..Effects::default()
                    },
                    shared: None,
                    ack: Ack::None,
                })
                .expect("a case");
        }
        store.flush_blocking().expect("on disk");
    }
    let polls_before = world.standin.calls_of("getUpdates").len();
    let started = Instant::now();
    world.bot.start();
    let first_poll = loop {
        let polls = world.standin.calls_of("getUpdates");
        if let Some(call) = polls.get(polls_before) {
            break call.received_at;
        }
        assert!(started.elapsed() < WAIT, "no getUpdates after the restart");
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let took = first_poll.saturating_duration_since(started);
    println!("cold start ({cases} more cases in the data folder):");
    println!(
        "  process start -> first getUpdates: {:.0} ms (goal < 1000 ms)",
        ms(took)
    );
}
