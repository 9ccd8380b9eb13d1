//! Case rooms trust only the counsellors (issue 13), against a real Synapse and the real
//! bot: closed power levels and outsiders removed before the next message, keys only
//! for cross-signed devices, the bot verified by a counsellor with the operator vouching
//! for its side, unreadable messages told and relayed once readable, erasure reaching
//! the bot's own Matrix store, exclusions at escalation, and `/resume` from a chat that
//! has its own case.

use std::time::Duration;

use matrix_sdk::RoomMemberships;
use matrix_sdk::ruma::{OwnedRoomId, RoomId};
use matrix_sdk_crypto::store::CryptoStore;
use serde_json::Value;

use crate::util::counsellor::{MatrixPeer, PeerOptions};
use crate::util::employee::{Employee, SKIPPED_QUESTIONS};
use crate::util::matrix_employee::{bot_says, report_from_matrix};
use crate::util::verify::{
    confidant_verify, start_emoji_verification, wait_for_desk, wait_until_done,
};
use crate::util::world::{WAIT, World, WorldOptions};

/// A short bound, so the notice about an unreadable message comes within the test.
const NOTICE_SOON: &str = "undecryptable_notice_after = \"4s\"";

/// Who is in `room` with `membership` ("join", "invite", "leave"), as the server says.
async fn members_with(world: &World, room: &RoomId, membership: &str) -> Vec<String> {
    world
        .synapse
        .room_state(&world.admin_user, room.as_str())
        .await
        .into_iter()
        .filter(|e| e["type"] == "m.room.member" && e["content"]["membership"] == membership)
        .filter_map(|e| e["state_key"].as_str().map(str::to_owned))
        .collect()
}

fn state_content(state: &[Value], kind: &str) -> Value {
    state
        .iter()
        .find(|e| e["type"] == kind)
        .map(|e| e["content"].clone())
        .unwrap_or_else(|| panic!("no {kind} in the room state"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_case_room_is_closed_and_an_outsider_who_got_in_is_removed_before_the_next_message() {
    let mut world = World::start().await;
    let (eva, room) = world
        .open_case(1301, "eva1301", "VERHAAL-1301 het gebeurde op de afdeling")
        .await;

    // Only the bot may invite, remove, ban, or change who reads the room.
    let state = world
        .synapse
        .room_state(&world.admin_user, room.as_str())
        .await;
    let levels = state_content(&state, "m.room.power_levels");
    for action in ["invite", "kick", "ban", "state_default"] {
        assert_eq!(levels[action], 100, "{action}: {levels}");
    }
    for event in [
        "m.room.power_levels",
        "m.room.encryption",
        "m.room.history_visibility",
        "m.room.name",
        "m.room.topic",
    ] {
        assert_eq!(levels["events"][event], 100, "{event}: {levels}");
    }
    // The bot created the room (creators stand above every level from room version
    // 12); Anna has no level of her own.
    assert!(levels["users"][world.anna_user.user_id.as_str()].is_null());

    // A counsellor cannot bring anyone in.
    let olaf_user = world.synapse.register("olaf", "olaf-password", false).await;
    let refused = world
        .anna
        .client()
        .get_room(&room)
        .expect("Anna's room")
        .invite_user_by_id(&olaf_user.user_id)
        .await;
    assert!(refused.is_err(), "Anna could invite an outsider");

    // Someone gets in anyway, while the bot is down: another session of the bot's own
    // account (a leaked password, an operator's client) invites Olaf, and he joins.
    world.bot.terminate(Duration::from_secs(10)).await;
    let stray = world.unsigned_session(&world.bot_user).await;
    stray.wait_for_joined(&room, stray.user_id(), WAIT).await;
    stray.invite(&room, &olaf_user.user_id).await;
    // It also opens the room the way rooms were made before they were closed by
    // construction (anyone may invite); the bot closes it again before it next posts.
    let mut opened = levels.clone();
    opened["invite"] = 0.into();
    opened["kick"] = 50.into();
    opened["ban"] = 50.into();
    stray
        .client()
        .get_room(&room)
        .expect("the stray session knows the room")
        .send_state_event_raw("m.room.power_levels", "", opened)
        .await
        .expect("opening the room's power levels");
    let olaf = MatrixPeer::login(&world.synapse, &olaf_user).await;
    olaf.wait_for_joined(&room, olaf.user_id(), WAIT).await;
    assert!(
        members_with(&world, &room, "join")
            .await
            .contains(&olaf_user.user_id.to_string())
    );

    // The employee writes; the bot comes back.
    const AFTER: &str = "NA-OLAF-1301 dit mag alleen Anna lezen";
    eva.say(AFTER);
    world.bot.start();
    world.bot.wait_until_running().await;
    world.anna.wait_for_text(&room, AFTER, WAIT).await;

    // Olaf was removed, with a notice, before the message was posted.
    assert!(
        !members_with(&world, &room, "join")
            .await
            .contains(&olaf_user.user_id.to_string())
    );
    let timeline = world.anna.messages(&room).await;
    let removed_at = timeline
        .iter()
        .position(|e| {
            e.event_type == "m.room.member"
                && e.state_key.as_deref() == Some(olaf_user.user_id.as_str())
                && e.raw["content"]["membership"] == "leave"
        })
        .expect("Olaf's removal in the timeline");
    let relayed_at = timeline
        .iter()
        .position(|e| e.body.as_deref() == Some(AFTER))
        .expect("the message in the timeline");
    assert!(
        removed_at < relayed_at,
        "removed at {removed_at}, relayed at {relayed_at}"
    );
    world
        .anna
        .wait_for_message(
            &room,
            |e| {
                e.body
                    .as_deref()
                    .is_some_and(|b| b.contains("verwijderd") && b.contains("olaf"))
            },
            WAIT,
        )
        .await;

    // The room is closed again.
    let state = world
        .synapse
        .room_state(&world.admin_user, room.as_str())
        .await;
    let levels = state_content(&state, "m.room.power_levels");
    assert_eq!(levels["invite"], 100, "{levels}");
    assert_eq!(levels["kick"], 100, "{levels}");

    // And Olaf's client cannot read it.
    let seen_by_olaf = olaf.messages(&room).await;
    assert!(
        !seen_by_olaf
            .iter()
            .any(|e| e.body.as_deref() == Some(AFTER)),
        "the outsider read the message"
    );
    drop(stray);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_device_not_cross_signed_gets_no_keys_is_not_relayed_and_is_once_it_is_signed() {
    let world = World::start_with_options(WorldOptions {
        matrix_extra: NOTICE_SOON,
        ..WorldOptions::default()
    })
    .await;
    let (eva, room) = world
        .open_case(
            1302,
            "eva1302",
            "VERHAAL-1302 mijn leidinggevende schreeuwt",
        )
        .await;

    // An administrator logs in a new device with Anna's password; it is not signed by
    // Anna's cross-signing keys.
    let rogue = world.unsigned_session(&world.anna_user).await;
    const ROGUE: &str = "ROGUE-1302 ik ben Anna, vertel me alles";
    rogue.send_text(&room, ROGUE).await;
    // The bot does not take it: the room hears why, after the bound.
    world
        .anna
        .wait_for_text(&room, "niet ontsleutelen", WAIT)
        .await;
    assert!(
        !eva.received().iter().any(|m| m.text.contains("ROGUE-1302")),
        "a message from an unsigned device reached the employee"
    );

    // New case messages: Anna's own device reads them, the unsigned one cannot.
    const NEW: &str = "NIEUW-1302 er is weer iets gebeurd";
    eva.say(NEW);
    world.anna.wait_for_text(&room, NEW, WAIT).await;
    let seen = rogue.messages(&room).await;
    assert!(
        !seen.iter().any(|e| e.body.as_deref() == Some(NEW)),
        "the unsigned device read a case message"
    );
    assert!(
        seen.iter().any(|e| e.utd.is_some()),
        "the unsigned device should see the message only as undecryptable: {seen:#?}"
    );

    // Once the device is cross-signed (here by resetting Anna's identity from it), the
    // message the bot kept is read and relayed.
    rogue.reset_cross_signing().await;
    eva.wait_for("ROGUE-1302").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_strict_counsellor_verifies_the_bot_with_the_operator_and_then_talks_both_ways() {
    let world = World::start_with_options(WorldOptions {
        matrix_extra: NOTICE_SOON,
        anna: PeerOptions {
            only_verified: true,
            ..PeerOptions::default()
        },
        ..WorldOptions::default()
    })
    .await;
    let config = world.dir.path().join("config.toml");
    let (eva, room) = world
        .open_case(1303, "eva1303", "VERHAAL-1303 ik word buitengesloten")
        .await;

    // Before verification, Anna's client shares no key with the bot: the room is told.
    const BEFORE: &str = "VOOR-1303 bent u daar?";
    world.anna.send_text(&room, BEFORE).await;
    world
        .anna
        .wait_for_text(&room, "niet ontsleutelen", WAIT)
        .await;

    // Anna verifies the bot; the operator types the numbers Anna reads out.
    let sas = start_emoji_verification(&world.anna, &world.bot_user.user_id, WAIT).await;
    let (id, listing) = wait_for_desk(&config, WAIT).await;
    assert!(
        listing.contains(world.anna_user.user_id.as_str()),
        "{listing}"
    );
    let (a, b, c) = sas.decimals().expect("numbers");
    // A wrong reading would cancel it; the right one confirms.
    let (ok, said) = confidant_verify(
        &config,
        &[
            "confirm",
            &id,
            &a.to_string(),
            &b.to_string(),
            &c.to_string(),
        ],
    );
    assert!(ok, "{said}");
    sas.confirm().await.expect("Anna confirms");
    wait_until_done(&sas, WAIT).await;
    let bot_device = world
        .anna
        .client()
        .encryption()
        .get_user_devices(&world.bot_user.user_id)
        .await
        .expect("devices")
        .devices()
        .next()
        .expect("the bot's device");
    assert!(bot_device.is_verified(), "Anna's client trusts the bot now");

    // Messages flow both ways with Element's strictest setting.
    const AFTER: &str = "NA-1303 ik ben Anna, wat is er gebeurd?";
    world.anna.send_text(&room, AFTER).await;
    eva.wait_for(AFTER).await;
    const BACK: &str = "TERUG-1303 dank u, het gaat over mijn team";
    eva.say(BACK);
    world.anna.wait_for_text(&room, BACK, WAIT).await;
    assert!(
        !eva.received().iter().any(|m| m.text.contains("VOOR-1303")),
        "a message the bot could not read was relayed anyway"
    );
}

/// How many room keys the bot's own crypto store holds for `room` (read with the SDK's
/// sqlite store, not the bot's code).
async fn room_keys(world: &World, rooms: &[&OwnedRoomId]) -> usize {
    let store = matrix_sdk_sqlite::SqliteCryptoStore::open(
        world.data_dir().join("matrix"),
        Some("test store passphrase"),
    )
    .await
    .expect("opening the bot's crypto store");
    store
        .get_inbound_group_sessions()
        .await
        .expect("reading room keys")
        .iter()
        .filter(|s| rooms.iter().any(|r| s.room_id() == r.as_ref() as &RoomId))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_forget_the_bot_has_left_both_rooms_and_its_store_has_no_key_for_them() {
    let mut world = World::start().await;
    let bot = world.bot_user.user_id.clone();
    let (sanne, dm) = world.matrix_employee("sanne").await;
    report_from_matrix(&sanne, &dm, &bot, "VERHAAL-1304 mijn collega bedreigt mij").await;
    let room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&room, "VERHAAL-1304", WAIT).await;
    world.anna.send_text(&room, "ANTWOORD-1304 ik ben er").await;
    bot_says(&sanne, &dm, &bot, "ANTWOORD-1304").await;
    // The bot holds keys for both rooms now (a sanity check for the end).
    assert!(room_keys(&world, &[&room, &dm]).await > 0);

    sanne.send_text(&dm, "/forget").await;
    bot_says(&sanne, &dm, &bot, "Ja, wis alles").await;
    sanne.send_text(&dm, "Ja, wis alles").await;
    bot_says(&sanne, &dm, &bot, "gewist").await;

    // The bot leaves the case room (after telling it) and the employee's chat.
    let left = |peer: &MatrixPeer, room: OwnedRoomId| {
        let bot = bot.clone();
        let client = peer.client().clone();
        async move {
            let deadline = tokio::time::Instant::now() + WAIT;
            loop {
                if let Some(r) = client.get_room(&room)
                    && let Ok(members) = r.members(RoomMemberships::JOIN).await
                    && !members.iter().any(|m| m.user_id() == bot)
                {
                    return;
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "the bot stayed in {room}"
                );
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
        }
    };
    left(&world.anna, room.clone()).await;
    left(&sanne, dm.clone()).await;
    // The room was told before the bot left it.
    let timeline = world.anna.messages(&room).await;
    let told = timeline
        .iter()
        .position(|e| e.body.as_deref().is_some_and(|b| b.contains("ingetrokken")))
        .expect("the withdrawal notice");
    let gone = timeline
        .iter()
        .position(|e| {
            e.event_type == "m.room.member"
                && e.state_key.as_deref() == Some(bot.as_str())
                && e.raw["content"]["membership"] == "leave"
        })
        .expect("the bot's leaving");
    assert!(told < gone, "told at {told}, left at {gone}");
    world.bot.terminate(Duration::from_secs(10)).await;
    assert_eq!(
        room_keys(&world, &[&room, &dm]).await,
        0,
        "room keys of the erased case's rooms are still in the bot's store"
    );
}

const COORDINATION: &str = r#"
[coordinator]
matrix_id = "@carla:{server}"
first_name = "Carla"

[backup]
matrix_id = "@dirk:{server}"
first_name = "Dirk"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn escalation_with_the_coordinator_excluded_invites_the_backup_never_the_coordinator() {
    let world = World::start_with(COORDINATION).await;
    let carla_user = world
        .synapse
        .register("carla", "carla-password", false)
        .await;
    let dirk_user = world.synapse.register("dirk", "dirk-password", false).await;
    let dirk = MatrixPeer::login(&world.synapse, &dirk_user).await;

    // Eva says she does not want Carla involved.
    let eva = world.employee(1305, "Eva", "eva1305");
    eva.say("/start");
    eva.press("Verder").await;
    eva.wait_for("Eerst dit").await;
    eva.press("Nee").await;
    eva.wait_for("Waar gaat het over?").await;
    eva.press("Pesten").await;
    for question in SKIPPED_QUESTIONS {
        eva.wait_for(question).await;
        if question.starts_with("Is er een vertrouwenspersoon die u liever niet") {
            eva.say("Liever niet Carla");
        } else {
            eva.press("Overslaan").await;
        }
    }
    eva.wait_for("in uw eigen woorden").await;
    eva.say("VERHAAL-1305 de coördinator is de vriend van mijn manager");
    eva.finish_story().await;
    eva.wait_for("Dit is wat u hebt verteld").await;
    eva.press("Ja, versturen").await;
    eva.wait_for("Uw meldingscode is").await;
    let room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&room, "VERHAAL-1305", WAIT).await;

    world
        .anna
        .send_text(&room, "!escalate ik heb hulp nodig")
        .await;
    let invite = dirk.wait_for_invite(WAIT).await;
    assert_eq!(invite.room_id, room);
    let mut everyone = Vec::new();
    for membership in ["invite", "join", "leave"] {
        everyone.extend(members_with(&world, &room, membership).await);
    }
    assert!(
        !everyone.contains(&carla_user.user_id.to_string()),
        "the excluded coordinator was brought in: {everyone:?}"
    );
    assert!(everyone.contains(&dirk_user.user_id.to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resume_from_a_chat_with_its_own_case_is_refused_and_nothing_is_misrouted() {
    let world = World::start().await;
    let eva = world.employee(1306, "Eva", "eva1306");
    let token = eva.report("VERHAAL-1306 het eerste verhaal").await;
    let code = eva.resume_code().await;
    let eva_room = world.anna.join_next_room(WAIT).await;
    let (piet, piet_room): (Employee, OwnedRoomId) = world
        .open_case(1307, "piet1307", "VERHAAL-1307 het tweede verhaal")
        .await;

    // Piet's chat has its own case: linking it to Eva's is refused.
    piet.say(&format!("/resume {token} {code}"));
    piet.wait_for("hoort al bij een eigen melding").await;

    // Anna's answer in Eva's room reaches Eva only; Piet's words reach his own room only.
    world
        .anna
        .send_text(&eva_room, "ANTWOORD-1306 voor Eva")
        .await;
    eva.wait_for("ANTWOORD-1306").await;
    piet.say("PIET-1307 nog een vraag");
    world
        .anna
        .wait_for_text(&piet_room, "PIET-1307", WAIT)
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !piet
            .received()
            .iter()
            .any(|m| m.text.contains("ANTWOORD-1306")),
        "Eva's counsellor reached Piet's chat"
    );
    assert!(
        !world
            .anna
            .messages(&eva_room)
            .await
            .iter()
            .any(|e| e.body.as_deref().is_some_and(|b| b.contains("PIET-1307"))),
        "Piet's words reached Eva's room"
    );
}

/// A direct chat with the bot as a client might make it: `is_direct`, no encryption.
async fn plain_direct_chat(
    peer: &MatrixPeer,
    bot: &matrix_sdk::ruma::UserId,
    preset: matrix_sdk::ruma::api::client::room::create_room::v3::RoomPreset,
) -> OwnedRoomId {
    use matrix_sdk::ruma::api::client::room::create_room::v3::Request;
    let mut request = Request::new();
    request.is_direct = true;
    request.preset = Some(preset);
    request.invite = vec![bot.to_owned()];
    let room = peer
        .client()
        .create_room(request)
        .await
        .expect("creating a plain direct chat");
    let id = room.room_id().to_owned();
    peer.wait_for_joined(&id, bot, WAIT).await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_intake_runs_in_plain_text_and_the_bot_turns_encryption_on_where_it_may() {
    use matrix_sdk::ruma::api::client::room::create_room::v3::RoomPreset;
    let world = World::start().await;
    let bot = world.bot_user.user_id.clone();
    let pia_user = world.synapse.register("pia", "pia-password", false).await;
    let pia = MatrixPeer::login(&world.synapse, &pia_user).await;

    // A private chat gives the bot no power to turn encryption on: it answers only with
    // how to start an encrypted chat, and asks nothing.
    let plain = plain_direct_chat(&pia, &bot, RoomPreset::PrivateChat).await;
    pia.send_text(&plain, "hallo, ik wil iets melden over mijn chef")
        .await;
    bot_says(&pia, &plain, &bot, "zonder versleuteling").await;
    assert!(!pia.is_encrypted(&plain).await);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let said: Vec<String> = pia
        .messages(&plain)
        .await
        .into_iter()
        .filter(|e| e.sender.as_deref() == Some(&*bot))
        .filter_map(|e| e.body)
        .collect();
    assert!(
        !said
            .iter()
            .any(|b| b.contains("Verder") || b.contains("Waar gaat het over")),
        "an intake ran in plain text: {said:?}"
    );

    // In a chat where both may change settings (Element's "Start chat" without
    // encryption), the bot turns encryption on, and the intake runs encrypted.
    let fixed = plain_direct_chat(&pia, &bot, RoomPreset::TrustedPrivateChat).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    // Pia's own client must see it too, or it would send in plain text.
    while !pia
        .client()
        .get_room(&fixed)
        .is_some_and(|r| r.encryption_state().is_encrypted())
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot did not turn encryption on"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    pia.send_text(&fixed, "hallo").await;
    bot_says(&pia, &fixed, &bot, "1. Verder").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_chat_accepted_before_the_registry_existed_is_still_an_employee_s_chat() {
    let mut world = World::start().await;
    let bot = world.bot_user.user_id.clone();
    let (pia, dm) = world.matrix_employee("pia").await;

    // As an older bot left it: the chat joined, but no registry of employees' chats.
    world.bot.terminate(Duration::from_secs(10)).await;
    {
        let master = confidant::crypto::MasterKey::read_file(&world.dir.path().join("master.key"))
            .expect("the master key");
        let store = confidant::store::Store::open(&world.data_dir(), &master).expect("the store");
        let name = format!(
            "direct-chat:{}",
            hex::encode(store.lookup_hash(dm.as_str().as_bytes()))
        );
        assert!(store.get_secret(&name).expect("readable").is_some());
        store.remove_secret(&name).expect("removing the record");
        store
            .remove_secret("direct-chat-registry-filled")
            .expect("removing the mark");
        store.flush().await.expect("flushing");
    }
    world.bot.start();
    world.bot.wait_until_running().await;
    pia.send_text(&dm, "hallo").await;
    bot_says(&pia, &dm, &bot, "1. Verder").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_message_written_after_an_unreadable_one_waits_for_it_and_they_arrive_in_order() {
    let world = World::start_with_options(WorldOptions {
        matrix_extra: "undecryptable_notice_after = \"40s\"",
        ..WorldOptions::default()
    })
    .await;
    let (eva, room) = world
        .open_case(1308, "eva1308", "VERHAAL-1308 het speelt al maanden")
        .await;
    // Anna on a second device that is not cross-signed yet: the bot cannot take its
    // message until it is.
    let second = world.unsigned_session(&world.anna_user).await;
    second
        .send_text(&room, "EERST-1308 vanaf mijn telefoon")
        .await;
    world
        .anna
        .send_text(&room, "DAARNA-1308 vanaf mijn laptop")
        .await;
    // The later message waits behind the earlier one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !eva.received()
            .iter()
            .any(|m| m.text.contains("DAARNA-1308")),
        "the later message overtook the earlier one"
    );
    // The phone is signed; both arrive, in the order they were written.
    second.reset_cross_signing().await;
    eva.wait_for("DAARNA-1308").await;
    let texts: Vec<String> = eva.received().into_iter().map(|m| m.text).collect();
    let first = texts.iter().position(|t| t.contains("EERST-1308"));
    let then = texts.iter().position(|t| t.contains("DAARNA-1308"));
    assert!(
        first.is_some() && first < then,
        "not in the order written: {texts:?}"
    );
}
