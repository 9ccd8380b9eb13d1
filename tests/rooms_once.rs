//! Exactly one case room per case, whatever the moment of a crash: the bot is killed at
//! the very moment Synapse answers its `createRoom` (the room exists, the bot never learns
//! it), restarted, and the case still has one room; a room made twice anyway (as two
//! attempts a homeserver works on at once can make) is told it is not in use and left, and
//! nothing written there reaches anyone.

use std::time::Duration;

use matrix_sdk::ruma::RoomId;
use serde_json::{Value, json};

use crate::util::world::{WAIT, World, WorldOptions};

/// The rooms on the server created by the bot with this name.
async fn rooms_named(world: &World, name: &str) -> Vec<Value> {
    world
        .synapse
        .rooms(&world.admin_user)
        .await
        .into_iter()
        .filter(|room| {
            room["name"].as_str() == Some(name)
                && room["creator"].as_str() == Some(world.bot_user.user_id.as_str())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_at_create_rooms_answer_leaves_one_room() {
    let mut world = World::start_with_options(WorldOptions {
        proxy: true,
        ..WorldOptions::default()
    })
    .await;
    let pid = world.bot.pid().expect("running");
    let proxy = world.proxy.as_ref().expect("a proxy");
    proxy.kill_at_answer("/createRoom", pid);

    let eva = world.employee(900_101, "Eva", "eva_r");
    eva.say("/start");
    eva.answer_until_story().await;
    eva.say("Mijn leidinggevende schreeuwt tegen mij.");
    eva.finish_story().await;
    eva.wait_for("Dit is wat u hebt verteld").await;
    eva.press("Ja, versturen").await;

    // Synapse made the room; the bot died before it read so.
    let deadline = tokio::time::Instant::now() + WAIT;
    while world.proxy.as_ref().expect("a proxy").sprung() == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot never asked for a room"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        world
            .bot
            .wait_for_exit(Duration::from_secs(10))
            .await
            .is_some(),
        "killed at the answer"
    );
    world.bot.start();

    let token = eva.wait_for("Uw meldingscode is").await.text;
    let token = token
        .split_whitespace()
        .find(|w| w.starts_with("VP-"))
        .map(|t| t.trim_end_matches('.').to_owned())
        .expect("a token");
    let room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&room, "schreeuwt", WAIT).await;
    world
        .bot
        .wait_for_log("found again by its alias", WAIT)
        .await;
    // The case goes on in that room.
    world.anna.send_text(&room, "Ik neem contact op.").await;
    eva.wait_for("Ik neem contact op.").await;

    let rooms = rooms_named(&world, &token).await;
    assert_eq!(rooms.len(), 1, "one room for the case: {rooms:#?}");
    assert_eq!(rooms[0]["room_id"].as_str(), Some(room.as_str()));
    assert_eq!(
        world.anna.joined_rooms().await.len(),
        1,
        "Anna is in one room"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_room_made_twice_is_set_aside_and_nothing_written_there_is_passed_on() {
    let world = World::start().await;
    let (eva, room) = world
        .open_case(900_102, "eva_d", "Er worden grappen over mij gemaakt.")
        .await;
    let token = world.anna.room_name(&room).await.expect("a named room");

    // The twin the homeserver made for the same creation: the bot's account, the same
    // name, the same marker, no alias (the first room has it).
    let state = world
        .synapse
        .room_state(&world.admin_user, room.as_str())
        .await;
    let alias = state
        .iter()
        .find(|event| event["type"] == "m.room.canonical_alias")
        .and_then(|event| event["content"]["alias"].as_str())
        .expect("the case room has its alias")
        .to_owned();
    let key = alias
        .trim_start_matches('#')
        .split(':')
        .next()
        .expect("a local part");
    assert!(
        state
            .iter()
            .any(|event| event["type"] == "org.confidant.room" && event["content"]["key"] == key),
        "the case room carries the marker"
    );
    let twin = create_twin(&world, &token, key).await;

    // Anna is invited, and the invite (or her membership, if her client joined in time)
    // is withdrawn with the notice as the reason; the bot leaves.
    let anna = world.anna_user.user_id.as_str();
    let removal = wait_for_member_event(&world, &twin, anna, |event| {
        event["content"]["membership"] == "leave"
    })
    .await;
    let reason = removal["content"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains(&token)
            && (reason.contains("tweede keer") || reason.contains("second time")),
        "the reason tells where to go: {removal}"
    );
    let bot = world.bot_user.user_id.as_str();
    wait_for_member_event(&world, &twin, bot, |event| {
        event["content"]["membership"] == "leave"
    })
    .await;
    world
        .bot
        .wait_for_log("a room made twice for one creation was found", WAIT)
        .await;
    assert!(
        !world.anna.joined_rooms().await.contains(&twin),
        "the twin left Anna's list"
    );

    // The case room still works, and nothing else reached the employee.
    world
        .anna
        .send_text(&room, "Bericht in de goede kamer")
        .await;
    eva.wait_for("Bericht in de goede kamer").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let texts: Vec<String> = eva.received().into_iter().map(|m| m.text).collect();
    let since_intake: Vec<&String> = texts
        .iter()
        .skip_while(|t| !t.contains("Uw meldingscode is"))
        .skip(1)
        .collect();
    assert_eq!(
        since_intake,
        ["Anna: Bericht in de goede kamer"],
        "{texts:?}"
    );
}

/// Waits until a membership event of `user` in `room` matches.
async fn wait_for_member_event(
    world: &World,
    room: &RoomId,
    user: &str,
    matches: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        // The room's events (its current state goes once no local user is left in it).
        let state = world
            .synapse
            .room_events(&world.admin_user, room.as_str(), 100)
            .await;
        if let Some(event) = state.iter().find(|event| {
            event["type"] == "m.room.member" && event["state_key"] == user && matches(event)
        }) {
            return event.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{user}'s membership in the twin never changed as expected: {state:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Creates, as the bot's account, a room like the case room (as a duplicate creation
/// would), inviting Anna.
async fn create_twin(world: &World, name: &str, key: &str) -> matrix_sdk::ruma::OwnedRoomId {
    let body = json!({
        "name": name,
        "preset": "private_chat",
        "invite": [world.anna_user.user_id.as_str()],
        "initial_state": [
            { "type": "m.room.encryption", "state_key": "",
              "content": { "algorithm": "m.megolm.v1.aes-sha2" } },
            { "type": "org.confidant.room", "state_key": "", "content": { "key": key } },
        ],
    });
    let response: Value = crate::util::synapse::loopback_http_client()
        .post(format!(
            "{}/_matrix/client/v3/createRoom",
            world.synapse.base_url()
        ))
        .bearer_auth(&world.bot_user.access_token)
        .json(&body)
        .send()
        .await
        .expect("createRoom answers")
        .json()
        .await
        .expect("JSON");
    let room_id = response["room_id"].as_str().expect("a room id");
    <&RoomId>::try_from(room_id).expect("a room id").to_owned()
}
