//! No message lost or doubled on Telegram's side, with the real binary against a stand-in
//! that numbers message ids per bot account (as Telegram does) while other chats are busy:
//! - Telegram takes a counsellor's message but its answer is lost; the employee writes;
//!   the bot is killed: after the restart the message is on the phone once.
//! - A send that never reached Telegram when the bot was killed: sent once after the
//!   restart, without the "may arrive twice" note, once a later send proves it was not
//!   taken.
//! - 50 SIGKILL/restart cycles while five employees and their counsellor write: nothing
//!   lost, doubled or reordered in either direction (the counts are printed).

use std::time::Duration;

use matrix_sdk::ruma::{OwnedRoomId, RoomId};
use telegram_standin::AnswerLoss;

use crate::util::counsellor::MatrixPeer;
use crate::util::employee::Employee;
use crate::util::world::{WAIT, World, WorldOptions};

/// The note a message sent again without certainty carries (Dutch and English).
fn has_note(text: &str) -> bool {
    text.contains("twee keer") || text.contains("twice")
}

/// What the employee's phone shows of the counsellor's relayed messages.
fn relayed(employee: &Employee, prefix: &str) -> Vec<String> {
    employee
        .received()
        .into_iter()
        .map(|m| m.text)
        .filter(|t| t.starts_with(prefix))
        .collect()
}

/// Three cases: Eva's, and two others to keep busy.
async fn three_cases(world: &World) -> [(Employee, OwnedRoomId); 3] {
    [
        world
            .open_case(900_201, "eva_x", "Er wordt over mij geroddeld.")
            .await,
        world
            .open_case(900_202, "piet_x", "Mijn collega scheldt mij uit.")
            .await,
        world
            .open_case(900_203, "sara_x", "Ik word buitengesloten.")
            .await,
    ]
}

/// Traffic in the other chats, both ways.
async fn keep_busy(world: &World, others: &[(Employee, OwnedRoomId)], round: &str) {
    for (employee, room) in others {
        employee.say(&format!("{round} van {}", employee.user.first_name));
        world
            .anna
            .send_text(room, &format!("{round} aan {}", employee.user.first_name))
            .await;
    }
}

/// Every message of the other chats arrived once, both ways.
async fn others_exactly_once(world: &World, others: &[(Employee, OwnedRoomId)], rounds: &[&str]) {
    for (employee, room) in others {
        let name = &employee.user.first_name;
        let last = format!("{} van {name}", rounds[rounds.len() - 1]);
        world.anna.wait_for_text(room, &last, WAIT).await;
        employee
            .wait_for(&format!("{} aan {name}", rounds[rounds.len() - 1]))
            .await;
        let on_phone = relayed(employee, "Anna: ");
        let expected: Vec<String> = rounds
            .iter()
            .map(|r| format!("Anna: {r} aan {name}"))
            .collect();
        assert_eq!(on_phone, expected, "{name}'s phone");
        let suffix = format!("van {name}");
        let in_room = bodies_in(&world.anna, room, |b| b.ends_with(&suffix)).await;
        let expected: Vec<String> = rounds.iter().map(|r| format!("{r} van {name}")).collect();
        assert_eq!(in_room, expected, "{name}'s room");
    }
}

/// The bodies of the room's messages that `keep` keeps, in order.
async fn bodies_in(anna: &MatrixPeer, room: &RoomId, keep: impl Fn(&str) -> bool) -> Vec<String> {
    anna.messages(room)
        .await
        .into_iter()
        .filter_map(|e| e.body)
        .filter(|b| keep(b))
        .collect()
}

async fn wait_for_on_phone(employee: &Employee, text: &str) {
    employee
        .standin
        .wait_for_sent(employee.chat_id(), WAIT, |sent| {
            sent.iter().any(|m| m.text.contains(text))
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_message_taken_whose_answer_was_lost_is_on_the_phone_once_after_a_kill() {
    let mut world = World::start().await;
    let [(eva, eva_room), piet, sara] = three_cases(&world).await;
    let others = [piet, sara];
    keep_busy(&world, &others, "Ronde 1").await;

    // Telegram takes the message; the answer never comes.
    world
        .standin
        .lose_answers_in(eva.chat_id(), "sendMessage", 1, AnswerLoss::Hang);
    world.anna.send_text(&eva_room, "Ik bel u morgen.").await;
    wait_for_on_phone(&eva, "Anna: Ik bel u morgen.").await;
    // The employee writes meanwhile (the bot reads it: its idea of the highest id rises),
    // and the other chats go on.
    eva.say("Goed, dank u.");
    keep_busy(&world, &others, "Ronde 2").await;
    world
        .anna
        .wait_for_text(&eva_room, "Goed, dank u.", WAIT)
        .await;

    world.bot.kill();
    keep_busy(&world, &others, "Ronde 3").await;
    world.bot.start();
    world.bot.wait_until_running().await;
    world.anna.send_text(&eva_room, "Tot morgen.").await;
    eva.wait_for("Anna: Tot morgen.").await;
    world.bot.wait_for_log("was found delivered", WAIT).await;

    assert_eq!(
        relayed(&eva, "Anna: "),
        ["Anna: Ik bel u morgen.", "Anna: Tot morgen."],
        "once, in order, without a note"
    );
    others_exactly_once(&world, &others, &["Ronde 1", "Ronde 2", "Ronde 3"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_send_that_never_reached_telegram_goes_once_without_a_note_after_a_kill() {
    let mut world = World::start().await;
    let [(eva, eva_room), piet, sara] = three_cases(&world).await;
    let others = [piet, sara];

    // The request never reaches Telegram, and the bot dies waiting.
    world
        .standin
        .lose_answers_in(eva.chat_id(), "sendMessage", 1, AnswerLoss::Stall);
    world.anna.send_text(&eva_room, "Hoe gaat het?").await;
    let eva_chat = eva.chat_id().to_string();
    world
        .standin
        .wait_for_calls(WAIT, |calls| {
            calls.iter().any(|c| {
                c.method == "sendMessage"
                    && c.params.get("chat_id") == Some(&eva_chat)
                    && c.outcome.is_none()
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    keep_busy(&world, &others, "Ronde 1").await;
    world.bot.kill();
    world.bot.start();
    world.bot.wait_until_running().await;
    // Other chats' sends after the restart prove where the search may stop.
    tokio::time::sleep(Duration::from_secs(3)).await;
    keep_busy(&world, &others, "Ronde 2").await;

    eva.wait_for("Anna: Hoe gaat het?").await;
    let on_phone = relayed(&eva, "Anna: ");
    assert_eq!(on_phone, ["Anna: Hoe gaat het?"], "once, without a note");
    others_exactly_once(&world, &others, &["Ronde 1", "Ronde 2"]).await;
}

/// Cycles of SIGKILL and restart, the number the issue asks for at least.
const CYCLES: usize = 50;
const EMPLOYEES: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_sigkills_with_five_chats_busy_lose_double_and_reorder_nothing() {
    // Alone: no other test world runs meanwhile (see `util::heavy`).
    let mut world = World::start_with_options(WorldOptions {
        alone: true,
        ..WorldOptions::default()
    })
    .await;
    let mut cases = Vec::new();
    for k in 0..EMPLOYEES {
        let story = format!("Melding nummer {k}: er wordt over mij geroddeld.");
        cases.push(
            world
                .open_case(900_300 + k as u64, &format!("emp_{k}"), &story)
                .await,
        );
    }

    let mut rng_state = 0x5eed_u64;
    let mut next = move |below: u64| {
        rng_state = rng_state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng_state >> 33) % below
    };
    for i in 0..CYCLES {
        for (k, (employee, room)) in cases.iter().enumerate() {
            employee.say(&format!("E{k}-{i:02}"));
            world.anna.send_text(room, &format!("C{k}-{i:02}")).await;
        }
        // The kill lands anywhere: while serving, while catching up, while starting.
        tokio::time::sleep(Duration::from_millis(100 + next(900))).await;
        world.bot.kill();
        world.bot.start();
        if next(4) == 0 {
            world.bot.wait_until_running().await;
        }
    }
    world.bot.wait_until_running().await;

    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (k, (employee, room)) in cases.iter().enumerate() {
        let last_in = format!("E{k}-{:02}", CYCLES - 1);
        let last_out = format!("Anna: C{k}-{:02}", CYCLES - 1);
        wait_for_room_text(&world.anna, room, &last_in).await;
        wait_for_on_phone(employee, &last_out).await;
    }
    // Time for a would-be duplicate to show.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (k, (employee, room)) in cases.iter().enumerate() {
        let expected_in: Vec<String> = (0..CYCLES).map(|i| format!("E{k}-{i:02}")).collect();
        let expected_out: Vec<String> = (0..CYCLES).map(|i| format!("C{k}-{i:02}")).collect();
        let prefix = format!("E{k}-");
        let in_room = bodies_in(&world.anna, room, |b| b.starts_with(&prefix)).await;
        let on_phone: Vec<String> = relayed(employee, &format!("Anna: C{k}-"));
        let noted = on_phone.iter().filter(|t| has_note(t)).count();
        let on_phone: Vec<String> = on_phone
            .iter()
            .map(|t| {
                t.trim_start_matches("Anna: ")
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect();
        let inbound = Counts::of(&expected_in, &in_room);
        let outbound = Counts::of(&expected_out, &on_phone);
        report.push(format!(
            "chat {k}: employee→room {inbound}; counsellor→phone {outbound}, {noted} with the resend note"
        ));
        if !inbound.clean() || !outbound.clean() {
            failures.push(k);
        }
    }
    let log = world.bot.log_text();
    report.push(format!(
        "messages found delivered by the probe after a kill: {}; proven not sent: {}",
        log.matches("was found delivered").count(),
        log.matches("proven not taken").count(),
    ));
    println!(
        "{CYCLES} SIGKILL cycles, {EMPLOYEES} chats:\n{}",
        report.join("\n")
    );
    assert!(failures.is_empty(), "{}", report.join("\n"));
}

async fn wait_for_room_text(anna: &MatrixPeer, room: &RoomId, text: &str) {
    anna.wait_for_message(room, |e| e.body.as_deref() == Some(text), WAIT * 2)
        .await;
}

/// Lost, duplicated and reordered messages of one direction of one chat.
struct Counts {
    lost: usize,
    duplicated: usize,
    reordered: usize,
    delivered: usize,
}

impl Counts {
    fn of(expected: &[String], got: &[String]) -> Counts {
        let lost = expected.iter().filter(|e| !got.contains(e)).count();
        let mut seen = std::collections::HashSet::new();
        let duplicated = got.iter().filter(|g| !seen.insert(*g)).count();
        // Reordered: adjacent first copies out of their expected order.
        let firsts: Vec<usize> = {
            let mut seen = std::collections::HashSet::new();
            got.iter()
                .filter(|g| seen.insert(*g))
                .filter_map(|g| expected.iter().position(|e| e == g))
                .collect()
        };
        let reordered = firsts.windows(2).filter(|w| w[0] > w[1]).count();
        Counts {
            lost,
            duplicated,
            reordered,
            delivered: got.len(),
        }
    }

    fn clean(&self) -> bool {
        self.lost == 0 && self.duplicated == 0 && self.reordered == 0
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} delivered, {} lost, {} duplicated, {} reordered",
            self.delivered, self.lost, self.duplicated, self.reordered
        )
    }
}
