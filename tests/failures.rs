//! One bad item never stops the service: a story too long for one event, a message a
//! network refuses for good, an invite that cannot go out, a case whose key file is
//! damaged, an absurd command argument. Each is handled where it happened, the people
//! concerned are told, and everything behind it goes on.

use std::time::Duration;

use crate::util::counsellor::MatrixPeer;
use crate::util::world::{WAIT, World, WorldOptions};

/// A deadline short enough to pass during the test, and the coordinator.
const COORDINATOR: &str = r#"
[deadlines]
first_contact = "15s"
reminders = ["5s"]

[coordinator]
matrix_id = "@carla:{server}"
first_name = "Carla"
"#;

/// Every body of the room joined, in timeline order.
async fn room_text(peer: &MatrixPeer, room: &matrix_sdk::ruma::RoomId) -> String {
    peer.messages(room)
        .await
        .into_iter()
        .filter_map(|e| e.body)
        .collect::<Vec<_>>()
        .concat()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_story_of_sixty_thousand_characters_arrives_whole_and_the_coordinator_is_invited() {
    let world = World::start_with(COORDINATOR).await;
    let carla_user = world
        .synapse
        .register("carla", "carla-password", false)
        .await;
    let carla = MatrixPeer::login(&world.synapse, &carla_user).await;
    let eva = world.employee(900_201, "Eva", "eva_long");
    eva.say("/start");
    eva.answer_until_story().await;
    // 16 messages under Telegram's limit: about 62,000 characters in all.
    let parts: Vec<String> = (0..16)
        .map(|i| {
            let filler = format!("zin {i} over wat er gebeurde. ").repeat(135);
            format!("DEEL{i:02}BEGIN {filler} DEEL{i:02}EINDE")
        })
        .collect();
    assert!(parts.iter().map(|p| p.chars().count()).sum::<usize>() >= 60_000);
    for part in &parts {
        assert!(part.chars().count() < 4000);
        eva.say(part);
    }
    eva.finish_story().await;
    eva.wait_for("Dit is wat u hebt verteld").await;
    eva.press("Ja, versturen").await;
    eva.wait_for("Uw meldingscode is").await;

    let anna = &world.anna;
    let room = anna.join_next_room(WAIT).await;
    anna.wait_for_text(&room, "DEEL15EINDE", WAIT).await;
    let text = room_text(anna, &room).await;
    let mut from = 0;
    for i in 0..16 {
        for marker in [format!("DEEL{i:02}BEGIN"), format!("DEEL{i:02}EINDE")] {
            let at = text[from..]
                .find(&marker)
                .unwrap_or_else(|| panic!("{marker} missing or out of order"));
            from += at + marker.len();
        }
    }

    // The next message is relayed, and at the deadline Carla is really invited; the
    // employee hears of it only after.
    eva.say("Is er al iemand?");
    anna.wait_for_text(&room, "Is er al iemand?", WAIT).await;
    let invite = carla.wait_for_invite(WAIT).await;
    assert_eq!(invite.room_id, room);
    eva.wait_for("Het spijt ons").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_message_is_set_aside_with_a_notice_and_the_next_one_is_delivered() {
    let world = World::start().await;
    let (eva, room) = world
        .open_case(900_202, "eva_refused", "Mijn leidinggevende schreeuwt.")
        .await;
    let anna = &world.anna;

    // Telegram refuses two messages for good, each for its own reason.
    world.standin.refuse_method(
        "sendMessage",
        1,
        400,
        "Bad Request: PHOTO_INVALID_DIMENSIONS",
    );
    anna.send_text(&room, "Eerste bericht GEWEIGERD-1").await;
    anna.wait_for_text(&room, "niet bij de melder worden afgeleverd", WAIT)
        .await;
    world
        .standin
        .refuse_method("sendMessage", 1, 413, "Request Entity Too Large");
    anna.send_text(&room, "Tweede bericht GEWEIGERD-2").await;
    anna.wait_for_text(&room, "te groot", WAIT).await;
    anna.send_text(&room, "Derde bericht komt aan.").await;
    eva.wait_for("Anna: Derde bericht komt aan.").await;

    let text = room_text(anna, &room).await;
    assert!(
        text.contains("Eerste bericht GEWEIGERD-1\"")
            && text.contains("Tweede bericht GEWEIGERD-2\""),
        "the notices say which message: {text}"
    );
    let heard: Vec<String> = eva.received().into_iter().map(|m| m.text).collect();
    assert!(!heard.iter().any(|t| t.contains("GEWEIGERD")), "{heard:#?}");
    // Each was tried once: a refusal is not retried.
    let tries = world
        .standin
        .calls_of("sendMessage")
        .iter()
        .filter(|c| c.outcome.as_ref().is_some_and(|o| o.status >= 400))
        .count();
    assert_eq!(tries, 2);
    anna.send_text(&room, "!status").await;
    anna.wait_for_text(&room, "Niet afgeleverd: 2", WAIT).await;
    let log = world.bot.log_text();
    assert!(log.contains("set aside as a dead letter"), "{log}");
    assert!(!log.contains("GEWEIGERD"), "no content in the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invite_that_cannot_go_out_is_told_in_the_room_and_the_employee_is_not_misled() {
    // The coordinator's account does not exist.
    let world = World::start_with(
        r#"
[deadlines]
first_contact = "8s"
reminders = ["4s"]

[coordinator]
matrix_id = "@niemand:{server}"
first_name = "Niemand"
"#,
    )
    .await;
    let (eva, room) = world
        .open_case(900_203, "eva_invite", "Er wordt over mij geroddeld.")
        .await;
    let anna = &world.anna;
    anna.wait_for_text(&room, "kon niet worden uitgenodigd", WAIT)
        .await;
    // Later messages still flow both ways.
    anna.send_text(&room, "Ik ben er, Eva.").await;
    eva.wait_for("Anna: Ik ben er, Eva.").await;
    let heard: Vec<String> = eva.received().into_iter().map(|m| m.text).collect();
    assert!(
        !heard.iter().any(|t| t.contains("Het spijt ons")),
        "the employee is not told someone was alerted who was not: {heard:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_case_with_a_damaged_key_is_reported_never_replaced_and_others_go_on() {
    let mut world = World::start().await;
    let (eva, room) = world
        .open_case(900_204, "eva_damaged", "Ik word buitengesloten.")
        .await;
    let anna = &world.anna;

    world.bot.kill();
    let keys = world.data_dir().join("keys");
    let key_file = std::fs::read_dir(&keys)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "key"))
        .expect("the case's key file");
    let mut bytes = std::fs::read(&key_file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&key_file, bytes).unwrap();
    world.bot.start();
    world.bot.wait_until_running().await;

    let before = eva.received().len();
    eva.say("Is er nieuws?");
    eva.wait_for("kan op dit moment niet worden geopend").await;
    anna.wait_for_text(&room, "kan op dit moment niet worden geopend", WAIT)
        .await;
    eva.say("Hallo?");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let since: Vec<String> = eva.received()[before..]
        .iter()
        .map(|m| m.text.clone())
        .collect();
    assert!(
        !since.iter().any(|t| t.starts_with("Welkom")),
        "no fresh intake for a chat whose case cannot be opened: {since:#?}"
    );

    // Another employee's report goes through as always.
    let jan = world.employee(900_205, "Jan", "jan_ok");
    jan.report("Mijn collega intimideert mij.").await;
    let second = anna.join_next_room(WAIT).await;
    anna.wait_for_text(&second, "intimideert", WAIT).await;
    anna.send_text(&second, "Hallo Jan.").await;
    jan.wait_for("Anna: Hallo Jan.").await;
    let log = world.bot.log_text();
    assert!(log.contains("a case cannot be opened"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_absurd_time_is_answered_and_the_bot_relays_on_after_a_restart() {
    let mut world = World::start().await;
    let eva = world.employee(900_206, "Eva", "eva_time");
    eva.report("Ik word gepest.").await;
    let room = world.anna.join_next_room(WAIT).await;
    world
        .anna
        .send_text(&room, "!time 200000000000000000m")
        .await;
    world
        .anna
        .wait_for_text(&room, "Gebruik: !time", WAIT)
        .await;
    world.anna.send_text(&room, "Hallo Eva.").await;
    eva.wait_for("Anna: Hallo Eva.").await;
    world.bot.restart();
    world.bot.wait_until_running().await;
    world.anna.send_text(&room, "Nog steeds hier.").await;
    eva.wait_for("Anna: Nog steeds hier.").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_update_that_does_not_read_is_set_aside_and_those_around_it_are_handled() {
    let world = World::start().await;
    let (eva, room) = world
        .open_case(900_207, "eva_raw", "Er wordt over mij gepraat.")
        .await;
    let anna = &world.anna;

    eva.say("Eerste goede bericht.");
    // A message teloxide cannot read: its date is not a number.
    let bad = serde_json::json!({"message": {
        "message_id": 999_999, "date": "gisteren",
        "chat": {"id": eva.chat_id(), "type": "private", "first_name": "Eva"},
        "from": {"id": eva.chat_id(), "is_bot": false, "first_name": "Eva"},
        "text": "ONLEESBAAR-7731"}});
    let bad_id = world
        .standin
        .inject_raw_update(bad)
        .expect("injected")
        .expect("not filtered");
    eva.say("Tweede goede bericht.");
    anna.wait_for_text(&room, "Tweede goede bericht.", WAIT)
        .await;
    let text = room_text(anna, &room).await;
    let first = text.find("Eerste goede bericht.").expect("first relayed");
    let second = text.find("Tweede goede bericht.").expect("second relayed");
    assert!(first < second && !text.contains("ONLEESBAAR"));
    eva.wait_for("apart gezet").await;
    assert!(
        world.standin.confirmed_offset().is_some_and(|o| o > bad_id),
        "confirmed past the bad update"
    );
    let log = world.bot.log_text();
    assert!(log.contains("set aside and confirmed"), "{log}");
    assert!(!log.contains("ONLEESBAAR"), "no content in the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_damaged_outbox_entry_and_timer_are_set_aside_on_start_and_all_else_works() {
    use confidant::crypto::MasterKey;
    use confidant::store::Store;

    let mut world = World::start().await;
    world.bot.kill();
    let check = |repair: bool| {
        let config = world.dir.path().join("config.toml");
        let mut args = vec!["check-store", "--config", config.to_str().unwrap()];
        if repair {
            args.push("--repair");
        }
        let out = std::process::Command::new(crate::util::checkout::confidant_binary())
            .args(&args)
            .output()
            .expect("runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    {
        let master = MasterKey::read_file(&world.dir.path().join("master.key")).unwrap();
        let store = Store::open(&world.data_dir(), &master).unwrap();
        // An outbox entry for some destination whose value is not sealed at all.
        let mut key = vec![0xab; 32];
        key.extend_from_slice(&7u64.to_be_bytes());
        store
            .insert_raw_for_tests("outbox", &key, b"not an entry")
            .unwrap();
        // A timer due long ago whose key stops short of a case id.
        let mut timer = (1u64 << 63).to_be_bytes().to_vec();
        timer.extend_from_slice(b"kort");
        store.insert_raw_for_tests("timers", &timer, b"").unwrap();
    }
    let (clean, out) = check(false);
    assert!(!clean, "damage found: {out}");
    assert!(
        out.contains("outbox entries: 1 (1 damaged)") && out.contains("(1 damaged)"),
        "{out}"
    );

    world.bot.start();
    world.bot.wait_until_running().await;
    world
        .bot
        .wait_for_log("an outbox entry does not open; set aside", WAIT)
        .await;
    world
        .bot
        .wait_for_log("a timer does not decode; set aside", WAIT)
        .await;
    let eva = world.employee(900_208, "Eva", "eva_store");
    eva.report("Ik word genegeerd.").await;
    let room = world.anna.join_next_room(WAIT).await;
    world.anna.send_text(&room, "Hallo Eva.").await;
    eva.wait_for("Anna: Hallo Eva.").await;

    world.bot.kill();
    let (clean, out) = check(false);
    assert!(clean, "{out}");
    assert!(out.contains("set aside: 2"), "{out}");
    assert!(
        out.contains("outbox") && out.contains("timer"),
        "the items are listed by source: {out}"
    );
}

/// What the bot may hold at its peak while refusing the bomb: its own working set in a
/// debug build (about 60–90 MiB here) and the file on the wire, far from the gigabyte.
const BOMB_PEAK_KIB: u64 = 200 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_zip_bomb_is_refused_with_an_answer_in_bounded_memory_and_later_messages_flow() {
    let world = World::start().await;
    let (eva, room) = world
        .open_case(900_209, "eva_bomb", "Mijn manager kleineert mij.")
        .await;
    let anna = &world.anna;

    let bomb = crate::util::bomb::docx_bomb(1 << 30);
    assert!(bomb.len() < 8 << 20, "a few MB on the wire: {}", bomb.len());
    eva.send_document(bomb, "verslag.docx");
    eva.wait_for("niet veilig verwerken").await;
    let peak = world.bot.peak_rss_kib().expect("the bot runs");
    assert!(
        peak < BOMB_PEAK_KIB,
        "peak resident memory {peak} KiB, bound {BOMB_PEAK_KIB} KiB"
    );
    eva.say("Na het bestand.");
    anna.wait_for_text(&room, "Na het bestand.", WAIT).await;
    let text = room_text(anna, &room).await;
    assert!(
        !text.contains("verslag"),
        "nothing of the file reached the room"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_counsellor_file_that_cannot_be_fetched_never_holds_up_the_room() {
    let world = World::start().await;
    let (eva, room) = world
        .open_case(900_210, "eva_media", "Ik word uitgelachen.")
        .await;
    let anna = &world.anna;
    // A file on a homeserver that does not exist, with no size.
    let joined = anna.client().get_room(&room).expect("joined");
    joined
        .send_raw(
            "m.room.message",
            serde_json::json!({
                "msgtype": "m.file",
                "body": "verslag.pdf",
                "url": "mxc://nowhere.invalid/abcdef",
            }),
        )
        .await
        .expect("sent");
    anna.send_text(&room, "Na het bestand.").await;
    eva.wait_for("Anna: Na het bestand.").await;
    anna.wait_for_message(
        &room,
        |e| {
            e.body.as_deref().is_some_and(|b| {
                b.contains("kon niet van de server worden opgehaald")
                    || b.contains("kon niet worden verwerkt")
            })
        },
        WAIT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_the_homeserver_down_sigterm_ends_the_bot_promptly_and_the_log_names_nobody() {
    let mut world = World::start().await;
    let (eva, room) = world
        .open_case(900_211, "eva_outage", "Mijn collega bedreigt mij.")
        .await;
    let anna = &world.anna;
    // A refusal and a dead letter, then an outage with messages waiting.
    world.standin.refuse_method(
        "sendMessage",
        1,
        403,
        "Forbidden: bot was blocked by the user",
    );
    anna.send_text(&room, "Hallo Eva.").await;
    anna.wait_for_text(&room, "niet bij de melder worden afgeleverd", WAIT)
        .await;
    world.synapse.signal(libc::SIGKILL);
    eva.say("Tijdens de storing.");
    world.bot.wait_for_log("Matrix sync failed", WAIT).await;
    tokio::time::sleep(Duration::from_secs(4)).await;

    let (took, _status) = world
        .bot
        .terminate(Duration::from_secs(5))
        .await
        .expect("the bot exits within 5 s of SIGTERM with the homeserver down");
    assert!(took <= Duration::from_secs(5), "{took:?}");

    let log = world.bot.log_text();
    let chat = eva.chat_id().to_string();
    for (what, id) in [
        ("the case room's id", room.as_str()),
        ("the counsellor's id", anna.user_id().as_str()),
        ("the bot's id", world.bot_user.user_id.as_str()),
        ("the employee's chat id", chat.as_str()),
        ("the bot token", crate::util::world::BOT_TOKEN),
        ("a room id", ":localhost"),
    ] {
        assert!(!log.contains(id), "{what} is in the log:\n{log}");
    }
    assert!(
        !log.contains("Hallo Eva") && !log.contains("storing"),
        "content in the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_matrix_file_is_read_no_further_than_the_limit_whatever_its_event_claims() {
    let world = World::start_with("\n[limits]\nmax_file_bytes = 1048576\n").await;
    let (eva, room) = world
        .open_case(900_212, "eva_claims", "Er wordt over mij geroddeld.")
        .await;
    let anna = &world.anna;

    // 40 MB on the homeserver; the event says 10 bytes.
    let upload = anna
        .client()
        .media()
        .upload(&mime::APPLICATION_PDF, vec![b'%'; 40 << 20], None)
        .await
        .expect("uploaded");
    let before = world.bot.peak_rss_kib().expect("running");
    let joined = anna.client().get_room(&room).expect("joined");
    joined
        .send_raw(
            "m.room.message",
            serde_json::json!({
                "msgtype": "m.file",
                "body": "klein.pdf",
                "url": upload.content_uri,
                "info": {"size": 10, "mimetype": "application/pdf"},
            }),
        )
        .await
        .expect("sent");
    anna.wait_for_text(&room, "niet naar de melder gestuurd", WAIT)
        .await;
    let after = world.bot.peak_rss_kib().expect("running");
    assert!(
        after.saturating_sub(before) < 20 * 1024,
        "the bot's peak memory grew by {} KiB for a file it should have stopped reading at 1 MiB",
        after - before
    );
    anna.send_text(&room, "Daarna gewoon verder.").await;
    eva.wait_for("Anna: Daarna gewoon verder.").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_case_room_the_homeserver_refuses_becomes_dead_letters_and_the_employee_is_told() {
    let world = World::start().await;
    let (eva, room) = world
        .open_case(900_213, "eva_forbidden", "Mijn collega negeert mij.")
        .await;
    // An administrator deletes the case room: the bot is put out, and Synapse refuses
    // whatever it posts there (M_FORBIDDEN).
    world
        .synapse
        .admin(
            &world.admin_user,
            reqwest::Method::DELETE,
            &format!("v1/rooms/{room}"),
            Some(serde_json::json!({"block": false, "purge": false})),
        )
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    eva.say("Is er iemand?");
    eva.wait_for("kon niet worden doorgegeven").await;
    world
        .bot
        .wait_for_log("set aside as a dead letter", WAIT)
        .await;
    // The employee's chat goes on: commands still answer.
    eva.say("/help");
    eva.wait_for("/status").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_file_the_homeserver_finds_too_large_is_set_aside_and_the_employee_told() {
    let world = World::start_with_options(WorldOptions {
        synapse_extra: "max_upload_size: 1M\n",
        ..WorldOptions::default()
    })
    .await;
    let (eva, room) = world
        .open_case(900_214, "eva_too_large", "Ik stuur een foto.")
        .await;
    // A HEIC picture (passed on as it is: its metadata cannot be removed) of 2 MB.
    let mut heic = vec![0, 0, 0, 0x18];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.resize(2 << 20, 0);
    eva.send_document(heic, "foto.heic");
    eva.wait_for("te groot").await;
    world
        .bot
        .wait_for_log("set aside as a dead letter", WAIT)
        .await;
    eva.say("En nu gewoon tekst.");
    world
        .anna
        .wait_for_text(&room, "En nu gewoon tekst.", WAIT)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_panic_while_handling_an_update_never_becomes_a_crash_loop() {
    let mut world = World::start_with_options(WorldOptions {
        env: vec![("CONFIDANT_TEST_PANIC".into(), "PANIEK-4410".into())],
        ..WorldOptions::default()
    })
    .await;
    let (eva, room) = world
        .open_case(900_215, "eva_panic", "Ik voel me niet veilig.")
        .await;
    let pid = world.bot.pid();
    eva.say("Dit bericht PANIEK-4410 laat de bot struikelen.");
    eva.wait_for("apart gezet").await;
    eva.say("Daarna gaat alles door.");
    world
        .anna
        .wait_for_text(&room, "Daarna gaat alles door.", WAIT)
        .await;
    assert_eq!(world.bot.pid(), pid, "the same process, never restarted");
    assert!(
        world
            .bot
            .wait_for_exit(Duration::from_millis(100))
            .await
            .is_none(),
        "still running"
    );
    let log = world.bot.log_text();
    assert!(log.contains("a panic (its message is not logged"), "{log}");
    assert!(!log.contains("struikelen"), "no content in the log");
}
