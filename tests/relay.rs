//! The backbone, end to end: an employee on Telegram (stand-in), the real bot binary, a
//! real Synapse, and a counsellor on her own Matrix client.

use std::time::Duration;

use crate::util::world::{WAIT, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_report_travels_to_an_encrypted_case_room_and_the_conversation_flows_both_ways() {
    let world = World::start().await;
    let eva = world.employee(900_001, "Eva", "eva_de_vries");
    let token = eva
        .report("Mijn teamleider maakt me elke dag belachelijk.")
        .await;
    assert!(confidant::core::Token::parse(&token).is_some(), "{token}");
    eva.wait_for("48").await;

    // The counsellor is invited to a room named by the token alone, encrypted.
    let invite = world.anna.wait_for_invite(WAIT).await;
    let room = invite.room_id.clone();
    world
        .anna
        .wait_for_joined(&room, world.anna.user_id(), WAIT)
        .await;
    assert!(
        world.anna.is_encrypted(&room).await,
        "the case room must be end-to-end encrypted"
    );
    assert_eq!(
        world.anna.room_name(&room).await.as_deref(),
        Some(token.as_str())
    );
    let summary = world.anna.wait_for_text(&room, "belachelijk", WAIT).await;
    assert!(summary.was_encrypted, "the summary must arrive encrypted");
    assert!(summary.body.as_deref().unwrap().contains("Pesten"));

    // Counsellor → employee → counsellor, in order.
    world
        .anna
        .send_text(
            &room,
            "Hallo, ik ben Anna. Wil je vertellen wat er gebeurde?",
        )
        .await;
    eva.wait_for("Anna: Hallo, ik ben Anna.").await;
    eva.say("Ja graag. Het begon in maart.");
    eva.say("Sindsdien elke week.");
    world
        .anna
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("Sindsdien elke week."),
            WAIT,
        )
        .await;
    let bodies: Vec<String> = world
        .anna
        .messages(&room)
        .await
        .into_iter()
        .filter_map(|e| e.body)
        .collect();
    let first = bodies
        .iter()
        .position(|b| b == "Ja graag. Het begon in maart.")
        .expect("first relayed");
    let second = bodies
        .iter()
        .position(|b| b == "Sindsdien elke week.")
        .expect("second relayed");
    assert!(first < second, "order kept: {bodies:?}");

    // Commands are answered in the room and never reach the employee.
    let before = eva.received().len();
    world.anna.send_text(&room, "!help").await;
    world.anna.wait_for_text(&room, "Opdrachten", WAIT).await;
    world.anna.send_text(&room, "Tot morgen.").await;
    eva.wait_for("Anna: Tot morgen.").await;
    let after: Vec<String> = eva
        .received()
        .into_iter()
        .skip(before)
        .map(|m| m.text)
        .collect();
    assert_eq!(
        after,
        vec!["Anna: Tot morgen.".to_string()],
        "only the plain message was relayed"
    );

    // Nothing in the room reveals who the employee is: check every event, state included.
    let events = world.anna.messages(&room).await;
    assert!(events.len() > 5);
    for event in &events {
        for secret in ["900001", "eva_de_vries", "Eva"] {
            assert!(
                !event.mentions(secret),
                "event {} reveals {secret:?}: {}",
                event.event_type,
                event.raw
            );
        }
    }
    for state in &invite.state {
        for secret in ["900001", "eva_de_vries"] {
            assert!(
                !state.to_string().contains(secret),
                "invite state reveals {secret}"
            );
        }
    }
    let _ = Duration::ZERO;
}
