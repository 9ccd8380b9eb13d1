//! `/mydata` end to end: a real Synapse, the Telegram stand-in and the real binary. The
//! employee gets one plain-text document in their chat, read back here as the phone
//! would (UTF-8 text) and checked against the conversation both sides saw; the private
//! note is not in it; the case room hears only that a copy was asked for.

use crate::util::world::{WAIT, World};

#[tokio::test(flavor = "multi_thread")]
async fn mydata_sends_the_employee_everything_kept_and_tells_the_room_only_that() {
    let world = World::start().await;
    let story = "Mijn collega maakt steeds opmerkingen over mijn afkomst";
    let (eva, room) = world.open_case(7401, "eva_mydata", story).await;
    world
        .anna
        .send_text(
            &room,
            "Dag Eva, wat vervelend. Wanneer gebeurde het laatst?",
        )
        .await;
    eva.wait_for("Wanneer gebeurde het laatst?").await;
    world
        .anna
        .send_text(&room, "!note collega is vaker genoemd, GEHEIM-4417")
        .await;
    eva.say("Vorige week dinsdag, bij de koffie.");
    world
        .anna
        .wait_for_text(&room, "Vorige week dinsdag", WAIT)
        .await;

    eva.say("/mydata");
    let (message, bytes) = eva
        .wait_for_file("Alles wat over uw melding is bewaard")
        .await;
    let document = String::from_utf8(bytes).expect("plain UTF-8 text");
    assert!(message.caption.is_some());
    // What both sides saw is in it, in the order they saw it.
    let mut at = 0;
    for line in [
        story,
        "Anna: Dag Eva, wat vervelend. Wanneer gebeurde het laatst?",
        "U: Vorige week dinsdag, bij de koffie.",
    ] {
        let found = document[at..]
            .find(line)
            .unwrap_or_else(|| panic!("{line:?} missing or out of order:\n{document}"));
        at += found;
    }
    assert!(document.contains("VP-"), "the report code: {document}");
    assert!(document.contains("Verstuurd:"), "{document}");
    assert!(document.contains("wordt gewist"), "{document}");
    // Never the private note, never an account id.
    assert!(!document.contains("GEHEIM-4417"), "{document}");
    assert!(
        !document.contains(world.anna_user.user_id.as_str()),
        "{document}"
    );

    let notice = world
        .anna
        .wait_for_text(&room, "kopie gevraagd", WAIT)
        .await;
    assert!(!notice.body.unwrap().contains("afkomst"));
    let bodies = world.anna.bodies(&room).await;
    assert!(
        bodies
            .iter()
            .all(|b| !b.contains("Wanneer dit wordt gewist")),
        "the document's content reached the room"
    );
}
