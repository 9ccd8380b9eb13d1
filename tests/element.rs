//! Element's everyday actions in a case room, against a real Synapse and the stand-in
//! (issue 14). The counsellor's client sends exactly the event shapes Element sends:
//! - an edit: `body` " * " + the new text as fallback, the new content in
//!   `m.new_content`, `m.relates_to` `rel_type: m.replace` (Matrix spec, "Event
//!   replacements"; element-web `EditMessageComposer.createEditContent`);
//! - a reply from a client that still writes fallbacks: `body` is the quote
//!   ("> <@sender> quoted"), a blank line, then the answer, and `m.relates_to` holds
//!   `m.in_reply_to` (Matrix spec, "Fallbacks for rich replies"; Element stopped
//!   sending them with MSC2781, older clients did not);
//! - a thread message: `rel_type: m.thread` with the root, `is_falling_back: true` and
//!   `m.in_reply_to` the latest event (Matrix spec, "Threading"; element-web
//!   `ThreadUtils`);
//! - a deletion: a redaction of the event (Element's "Remove").
//!
//! Each step asserts what the employee's chat on the stand-in holds, and that nothing
//! else reached it.

use std::time::Duration;

use serde_json::json;

use crate::util::world::{WAIT, World};

/// Waits until `peer` sees a message in `room` whose body holds every one of `needles`.
async fn wait_for_all(
    peer: &crate::util::counsellor::MatrixPeer,
    room: &matrix_sdk::ruma::RoomId,
    needles: &[&str],
) -> crate::util::room_event::RoomEvent {
    peer.wait_for_message(
        room,
        |e| {
            e.body
                .as_deref()
                .is_some_and(|b| needles.iter().all(|n| b.contains(n)))
        },
        WAIT,
    )
    .await
}

/// Waits until the stand-in's copy of message `id` in `chat` reads `text`.
async fn wait_for_edit(world: &World, chat: i64, id: i32, text: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = world
            .standin
            .sent_messages(chat)
            .into_iter()
            .find(|m| m.message_id == id);
        if now.as_ref().is_some_and(|m| m.text == text) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "message {id} never read {text:?}: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn edits_replies_deletions_threads_and_odd_messages_from_element() {
    let mut world = World::start().await;
    let (eva, room) = world
        .open_case(1401, "eva1401", "VERHAAL-1401 het gaat om mijn chef")
        .await;
    let anna = &world.anna;
    let chat = eva.chat_id();

    // An edit of a relayed message edits the employee's copy: no " * ", no second message.
    let original = anna.send_text(&room, "ORIG-1401 ik bel je morgne").await;
    let sent = eva.wait_for("ORIG-1401").await;
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": " * ORIG-1401 ik bel je morgen",
            "m.new_content": {"msgtype": "m.text", "body": "ORIG-1401 ik bel je morgen"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original},
        }),
    )
    .await;
    wait_for_edit(
        &world,
        chat,
        sent.message_id,
        "Anna: ORIG-1401 ik bel je morgen",
    )
    .await;
    // Telegram took it: Element shows it arrived (the bot's read receipt on Anna's event).
    let receipts_room = anna.client().get_room(&room).expect("the room");
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let receipts = receipts_room
            .load_event_receipts(
                matrix_sdk::ruma::events::receipt::ReceiptType::Read,
                matrix_sdk::ruma::events::receipt::ReceiptThread::Unthreaded,
                &original,
            )
            .await
            .expect("reading receipts");
        if receipts
            .iter()
            .any(|(user, _)| *user == world.bot_user.user_id)
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no read receipt from the bot"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A note, edited, and a reply whose fallback quotes it: the note never leaves.
    let note = anna
        .send_text(&room, "!note GEHEIM-1402 lijkt bang voor manager X")
        .await;
    anna.wait_for_text(&room, "Aantekening bewaard", WAIT).await;
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": " * !note GEHEIM-1402 lijkt bang voor manager Y",
            "m.new_content": {"msgtype": "m.text", "body": "!note GEHEIM-1402 lijkt bang voor manager Y"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": note},
        }),
    )
    .await;
    anna.wait_for_text(&room, "Aantekening bijgewerkt", WAIT)
        .await;
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": format!("> <{}> !note GEHEIM-1402 lijkt bang voor manager X\n\nANTWOORD-1403 dank je", anna.user_id()),
            "m.relates_to": {"m.in_reply_to": {"event_id": note}},
        }),
    )
    .await;
    let answer = eva.wait_for("ANTWOORD-1403").await;
    assert_eq!(answer.text, "Anna: ANTWOORD-1403 dank je");

    // A relayed message deleted after delivery goes from the employee's chat.
    let hasty = anna.send_text(&room, "WEG-1404 te vroeg verstuurd").await;
    let hasty_sent = eva.wait_for("WEG-1404").await;
    anna.redact(&room, &hasty).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while !world
        .standin
        .sent_messages(chat)
        .iter()
        .any(|m| m.message_id == hasty_sent.message_id && m.deleted)
    {
        assert!(tokio::time::Instant::now() < deadline, "not deleted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A command asked in a thread is answered in that thread.
    let root = anna.send_text(&room, "!help").await;
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": "!status",
            "m.relates_to": {
                "rel_type": "m.thread",
                "event_id": root,
                "is_falling_back": true,
                "m.in_reply_to": {"event_id": root},
            },
        }),
    )
    .await;
    let status = anna.wait_for_text(&room, "Melding VP-", WAIT).await;
    assert_eq!(
        status.raw["content"]["m.relates_to"]["rel_type"],
        "m.thread"
    );
    assert_eq!(
        status.raw["content"]["m.relates_to"]["event_id"],
        root.as_str()
    );

    // Something that cannot be passed on is said in the room, never silently dropped.
    anna.send_content(
        &room,
        json!({"msgtype": "m.location", "body": "Kantoor", "geo_uri": "geo:52.37,4.89"}),
    )
    .await;
    anna.wait_for_text(&room, "niet doorgegeven", WAIT).await;
    // So is a message without a body (a broken or unknown client).
    let not_passed_on = async || {
        anna.messages(&room)
            .await
            .iter()
            .filter(|e| {
                e.body
                    .as_deref()
                    .is_some_and(|b| b.contains("niet doorgegeven"))
            })
            .count()
    };
    let before = not_passed_on().await;
    anna.send_content(&room, json!({"msgtype": "m.text"})).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if not_passed_on().await > before {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "a body-less message went unnoticed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Formatting as Element sends it (markdown source in `body`, HTML in
    // `formatted_body`): bold and a list reach Telegram as formatting, not as "**".
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": "**OPMAAK-1408** twee dingen:\n\n- eerst bellen\n- dan mailen",
            "format": "org.matrix.custom.html",
            "formatted_body": "<p><strong>OPMAAK-1408</strong> twee dingen:</p>\n<ul>\n<li>eerst bellen</li>\n<li>dan mailen</li>\n</ul>\n",
        }),
    )
    .await;
    let formatted = eva.wait_for("OPMAAK-1408").await;
    assert_eq!(
        formatted.text,
        "Anna: OPMAAK-1408 twee dingen:\n• eerst bellen\n• dan mailen"
    );
    assert!(
        formatted
            .entities
            .iter()
            .any(|e| e.kind == "bold" && e.offset == 6 && e.length == 11),
        "{:?}",
        formatted.entities
    );
    // A mention pill of someone who is no counsellor here: nothing of them is passed on.
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": "Piet Jansen: PILL-1409 ik overleg even",
            "format": "org.matrix.custom.html",
            "formatted_body": "<a href=\"https://matrix.to/#/@piet:localhost\">Piet Jansen</a>: PILL-1409 ik overleg even",
        }),
    )
    .await;
    let pill = eva.wait_for("PILL-1409").await;
    assert_eq!(pill.text, "Anna: : PILL-1409 ik overleg even");
    // `/me` reads as an action.
    anna.send_content(
        &room,
        json!({"msgtype": "m.emote", "body": "zwaait EMOTE-1410"}),
    )
    .await;
    assert_eq!(
        eva.wait_for("EMOTE-1410").await.text,
        "Anna zwaait EMOTE-1410"
    );

    // The employee corrects a message on Telegram: the counsellor reads the correction,
    // and the employee is not told that "this kind of message cannot be passed on".
    let typed = world
        .standin
        .inject_text(&eva.user, "MAANDAG-1411 het was maandag")
        .expect("typing");
    let relayed = anna.wait_for_text(&room, "MAANDAG-1411", WAIT).await;
    world
        .standin
        .edit_text(&eva.user, typed, "MAANDAG-1411 het was dinsdag")
        .expect("editing");
    let correction = wait_for_all(anna, &room, &["paste een eerder bericht aan", "dinsdag"]).await;
    // It is an edit of the relay in the room (Element shows the message changed).
    assert_eq!(
        correction.raw["content"]["m.relates_to"]["rel_type"],
        "m.replace"
    );
    assert_eq!(
        correction.raw["content"]["m.relates_to"]["event_id"],
        relayed.event_id.as_ref().expect("an event id").as_str()
    );

    // Anna replies to the employee's question (as today's Element: no fallback): the
    // employee gets it as a reply to that question.
    let question = world
        .standin
        .inject_text(&eva.user, "VRAAG-1412 mag ik iets vragen?")
        .expect("typing");
    let in_room = anna.wait_for_text(&room, "VRAAG-1412", WAIT).await;
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": "ANTWOORD-1412 ja hoor",
            "m.relates_to": {"m.in_reply_to": {"event_id": in_room.event_id.expect("an event id")}},
        }),
    )
    .await;
    let reply = eva.wait_for("ANTWOORD-1412").await;
    assert_eq!(reply.text, "Anna: ANTWOORD-1412 ja hoor");
    assert_eq!(reply.reply_to_message_id, Some(question));

    // The employee's own formatting (Telegram entities) reaches the room as HTML.
    // (The stand-in makes an employee's entities itself from plain text, so the
    // formatted message comes as the update Telegram would deliver.)
    world
        .standin
        .inject_raw_update(json!({"message": {
            "message_id": 900_001,
            "date": 1_790_000_000,
            "chat": {"id": chat, "type": "private", "first_name": "Eva"},
            "from": {"id": chat, "is_bot": false, "first_name": "Eva"},
            "text": "VET-1413 dit is echt belangrijk",
            "entities": [{"type": "bold", "offset": 0, "length": 8}],
        }}))
        .expect("injected")
        .expect("a message update");
    let bold = anna.wait_for_text(&room, "VET-1413", WAIT).await;
    assert_eq!(bold.raw["content"]["format"], "org.matrix.custom.html");
    assert_eq!(
        bold.raw["content"]["formatted_body"],
        "<b>VET-1413</b> dit is echt belangrijk"
    );

    // Anna types: the employee sees "typing…", from nobody in particular.
    anna.client()
        .get_room(&room)
        .expect("the room")
        .typing_notice(true)
        .await
        .expect("typing");
    let deadline = tokio::time::Instant::now() + WAIT;
    while world.standin.chat_action(chat).as_deref() != Some("typing") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no typing indicator"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // An edit of a message not yet delivered: only the edited text ever arrives.
    world.standin.rate_limit_method("sendMessage", 1, 4);
    let draft = anna.send_text(&room, "ALT-1414 eerste versie").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    anna.send_content(
        &room,
        json!({
            "msgtype": "m.text",
            "body": " * ALT-1414 tweede versie",
            "m.new_content": {"msgtype": "m.text", "body": "ALT-1414 tweede versie"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": draft},
        }),
    )
    .await;
    let arrived = eva.wait_for("ALT-1414").await;
    wait_for_edit(
        &world,
        chat,
        arrived.message_id,
        "Anna: ALT-1414 tweede versie",
    )
    .await;

    // A message older than Telegram's 48 hours cannot be deleted: the room is told.
    let old = anna.send_text(&room, "OUD-1415 van lang geleden").await;
    eva.wait_for("OUD-1415").await;
    world.standin.advance_clock(Duration::from_secs(49 * 3600));
    anna.redact(&room, &old).await;
    anna.wait_for_text(&room, "niet worden aangepast", WAIT)
        .await;

    // A message deleted before it could be delivered is never delivered, across a
    // restart: Telegram makes the bot wait, the counsellor deletes it meanwhile.
    world.standin.rate_limit_method("sendMessage", 1, 8);
    let never = anna
        .send_text(&room, "NOOIT-1405 dit hoort hier niet")
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    anna.redact(&room, &never).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    world.bot.restart();
    world.bot.wait_until_running().await;
    anna.send_text(&room, "DAARNA-1406 nog een vraag").await;
    eva.wait_for("DAARNA-1406").await;

    // What reached the employee, all of it, ever (deleted messages included).
    let everything: Vec<String> = world
        .standin
        .sent_messages(chat)
        .into_iter()
        .flat_map(|m| {
            let mut texts = vec![m.text.clone()];
            texts.extend(m.history.iter().map(|v| v.text.clone()));
            texts
        })
        .collect();
    for forbidden in [
        "GEHEIM",
        "NOOIT-1405",
        " * ",
        "@anna",
        "Kantoor",
        "!status",
        "!note",
    ] {
        assert!(
            !everything.iter().any(|t| t.contains(forbidden)),
            "{forbidden:?} reached the employee: {everything:#?}"
        );
    }
}

const COORDINATOR: &str = r#"
[coordinator]
matrix_id = "@carla:{server}"
first_name = "Carla"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_summary_is_posted_on_request_and_for_a_coordinator_who_joins_late() {
    let world = World::start_with(COORDINATOR).await;
    let carla_user = world
        .synapse
        .register("carla", "carla-password", false)
        .await;
    let (_eva, room) = world
        .open_case(1407, "eva1407", "VERHAAL-1407 het gebeurt in de kantine")
        .await;
    let anna = &world.anna;
    anna.send_text(&room, "!summary").await;
    wait_for_all(
        anna,
        &room,
        &["antwoorden uit het intakegesprek", "VERHAAL-1407"],
    )
    .await;
    // Carla comes in at the escalation: she cannot decrypt what was said before, but
    // the intake comes again, readable on her device.
    let carla = crate::util::counsellor::MatrixPeer::login(&world.synapse, &carla_user).await;
    anna.send_text(&room, "!escalate ik wil overleg").await;
    let joined = carla.join_next_room(WAIT).await;
    assert_eq!(joined, room);
    wait_for_all(
        &carla,
        &room,
        &["antwoorden uit het intakegesprek", "VERHAAL-1407"],
    )
    .await;
    // And the dossier so far, on request, readable on her device too.
    carla.send_text(&room, "!history").await;
    wait_for_all(
        &carla,
        &room,
        &["berichten uit het dossier", "VERHAAL-1407"],
    )
    .await;
}
