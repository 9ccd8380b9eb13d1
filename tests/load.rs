//! The bot under a crowd, against the real binary, the stand-in and a real Synapse:
//! a thousand chats acting at the same moment each get their questions once and in
//! order; three hundred reports submitted at once against Synapse's default rate limits
//! become exactly three hundred case rooms, each with the counsellor invited, and a stop
//! in the middle of that is prompt and loses nothing.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::crowd::{LONG, all_have_button, all_have_text, all_press, asked_once_in_order};
use crate::util::employee::{Employee, SKIPPED_QUESTIONS};
use crate::util::synapse::RateLimits;
use crate::util::world::{World, WorldOptions};

const CHATS: u64 = 1000;

/// The first questions of the Dutch intake, answered by these buttons in turn.
const STEPS: [(&str, &str); 4] = [
    ("Welkom", "Verder"),
    ("Eerst dit", "Nee"),
    ("Waar gaat het over?", "Pesten"),
    ("Speelt het nu nog?", ""),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_chats_at_once_each_get_their_questions_once_and_in_order() {
    let _turn = crate::util::heavy::HEAVY.lock().await;
    let world = World::start().await;
    let chats: Vec<Employee> = (0..CHATS)
        .map(|n| world.employee(800_000 + n, "Collega", &format!("c{n}")))
        .collect();

    let started = Instant::now();
    for chat in &chats {
        chat.say("/start");
    }
    for (question, button) in STEPS {
        all_have_text(&chats, question).await;
        if !button.is_empty() {
            // Everyone presses at the same moment.
            all_press(&chats, button).await;
        }
    }
    eprintln!(
        "{CHATS} chats through {} questions in {:.1?}",
        STEPS.len(),
        started.elapsed()
    );

    // Give a late duplicate the time to show.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let questions: Vec<&str> = STEPS.iter().map(|(question, _)| *question).collect();
    for chat in &chats {
        if let Err(problem) = asked_once_in_order(chat, &questions) {
            panic!("{problem}");
        }
    }
}

const REPORTS: u64 = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_reports_at_once_make_exactly_three_hundred_rooms_under_default_limits() {
    let _turn = crate::util::heavy::HEAVY.lock().await;
    let mut world = World::start_with_options(WorldOptions {
        rate_limits: RateLimits::SynapseDefaults,
        // Room for every case, so each one has her invited.
        anna_cap: REPORTS as u32,
        ..WorldOptions::default()
    })
    .await;
    // Anna's own joins would be rate-limited too; she only needs to be invited here.
    world.anna.set_auto_join(false);
    let employees: Vec<Employee> = (0..REPORTS)
        .map(|n| world.employee(810_000 + n, "Melder", &format!("r{n}")))
        .collect();
    let started = Instant::now();
    walk_to_the_summary(&employees).await;
    eprintln!(
        "{REPORTS} intakes walked to the summary in {:.1?}",
        started.elapsed()
    );

    // Everyone submits at the same moment.
    all_press(&employees, "Ja, versturen").await;
    all_have_text(&employees, "Uw meldingscode is").await;
    let tokens: Vec<String> = employees
        .iter()
        .map(|e| {
            let done = e
                .received()
                .into_iter()
                .find(|m| m.text.contains("Uw meldingscode is"))
                .expect("the token message");
            token_in(&done.text)
        })
        .collect();

    // Synapse lets the bot make ten rooms, then one a minute: the bot says what to do.
    world
        .bot
        .wait_for_log("override_ratelimit", Duration::from_secs(120))
        .await;
    // Stopped while rooms are queued and the homeserver throttles: prompt.
    let (took, status) = world
        .bot
        .terminate(Duration::from_secs(10))
        .await
        .expect("the bot stopped after SIGTERM");
    assert!(
        took <= Duration::from_secs(5),
        "SIGTERM took {took:?} ({status})"
    );
    // The administrator follows the advice; the bot goes on where it stopped.
    world
        .synapse
        .exempt_from_rate_limits(&world.admin_user, world.bot_user.user_id.as_str())
        .await;
    world.bot.start();

    let restarted = Instant::now();
    let rooms = wait_for_case_rooms(&world, REPORTS as usize).await;
    eprintln!(
        "{REPORTS} case rooms {:.1?} after the restart",
        restarted.elapsed()
    );
    let names: HashSet<&str> = rooms.iter().filter_map(|r| r["name"].as_str()).collect();
    let expected: HashSet<&str> = tokens.iter().map(String::as_str).collect();
    assert_eq!(rooms.len(), REPORTS as usize, "exactly one room per case");
    assert_eq!(names, expected, "one room for each token, none twice");
    let anna = world.anna_user.user_id.as_str();
    for room in &rooms {
        let room_id = room["room_id"].as_str().expect("a room id");
        let state = world.synapse.room_state(&world.admin_user, room_id).await;
        let anna_membership: Vec<&str> = state
            .iter()
            .filter(|e| e["type"] == "m.room.member" && e["state_key"] == anna)
            .filter_map(|e| e["content"]["membership"].as_str())
            .collect();
        assert_eq!(
            anna_membership,
            ["invite"],
            "Anna invited to {room_id} once; its state: {state:#?}"
        );
    }
    // Nothing lost: every room got its summary from the bot (encrypted, so counted).
    for room in &rooms {
        let room_id = room["room_id"].as_str().expect("a room id");
        wait_for_bot_event(&world, room_id).await;
    }
}

/// Runs everyone's intake up to the summary, where "send" waits to be pressed, in step.
async fn walk_to_the_summary(crowd: &[Employee]) {
    for employee in crowd {
        employee.say("/start");
    }
    let mut steps = vec![
        ("Welkom", "Verder"),
        ("Eerst dit", "Nee"),
        ("Waar gaat het over?", "Pesten"),
    ];
    steps.extend(SKIPPED_QUESTIONS.iter().map(|q| (*q, "Overslaan")));
    for (question, button) in steps {
        all_have_text(crowd, question).await;
        all_press(crowd, button).await;
    }
    all_have_text(crowd, "in uw eigen woorden").await;
    for employee in crowd {
        employee.say("Mijn leidinggevende schreeuwt tegen mij.");
    }
    all_have_button(crowd, "Klaar").await;
    all_press(crowd, "Klaar").await;
    all_have_text(crowd, "dossier over uw melding").await;
    all_press(crowd, "Nee, alleen tellen").await;
    all_have_text(crowd, "Dit is wat u hebt verteld").await;
}

fn token_in(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with("VP-"))
        .map(|t| t.trim_end_matches('.').to_owned())
        .expect("a token")
}

/// The bot's case rooms as Synapse lists them, once there are `count` of them (and
/// a little longer, so that a late duplicate would show).
async fn wait_for_case_rooms(world: &World, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + LONG;
    loop {
        let rooms = case_rooms(world).await;
        if rooms.len() >= count {
            tokio::time::sleep(Duration::from_secs(2)).await;
            return case_rooms(world).await;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {count} case rooms after {LONG:?}",
            rooms.len()
        );
        // Listing every room costs the homeserver, which is busy making them.
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// The rooms the bot made and named with a token.
async fn case_rooms(world: &World) -> Vec<Value> {
    let bot = world.bot_user.user_id.as_str();
    world
        .synapse
        .rooms(&world.admin_user)
        .await
        .into_iter()
        .filter(|r| r["creator"] == bot && r["name"].as_str().is_some_and(|n| n.starts_with("VP-")))
        .collect()
}

/// Waits until the bot has posted in `room_id`.
async fn wait_for_bot_event(world: &World, room_id: &str) {
    let bot = world.bot_user.user_id.as_str();
    let deadline = Instant::now() + LONG;
    loop {
        let posted = world
            .synapse
            .room_events(&world.admin_user, room_id, 50)
            .await
            .iter()
            .any(|e| e["sender"] == bot && e["type"] == "m.room.encrypted");
        if posted {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the bot posted nothing in {room_id}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
