//! The 48-hour promise and the counsellors' commands against a real Synapse, the real
//! bot and the Telegram stand-in: a reminder that mentions the counsellor, escalation
//! at a (short) deadline that really invites the coordinator, each command, and the
//! refusals for a non-counsellor and for a counsellor who is not on the case.

use crate::util::counsellor::MatrixPeer;
use crate::util::world::{WAIT, World};

/// Deadlines in seconds, so the test sees them pass; the coordinator and a second
/// counsellor who will not be on the case.
const EXTRA: &str = r#"
[deadlines]
first_contact = "25s"
reminders = ["15s"]

[[counsellor]]
matrix_id = "@bram:{server}"
first_name = "Bram"
gender = "male"
languages = ["nl"]

[coordinator]
matrix_id = "@carla:{server}"
first_name = "Carla"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deadlines_escalation_and_every_command_in_a_real_room() {
    let world = World::start_with(EXTRA).await;
    let carla_user = world
        .synapse
        .register("carla", "carla-password", false)
        .await;
    let bram_user = world.synapse.register("bram", "bram-password", false).await;
    let mallory_user = world
        .synapse
        .register("mallory", "mallory-password", false)
        .await;
    let carla = MatrixPeer::login(&world.synapse, &carla_user).await;
    let bram = MatrixPeer::login(&world.synapse, &bram_user).await;
    let mallory = MatrixPeer::login(&world.synapse, &mallory_user).await;

    let eva = world.employee(900_051, "Eva", "eva_cmd");
    let token = eva.report("BEDREIGING-6120 mijn collega dreigt").await;
    let anna = &world.anna;
    let room = anna.join_next_room(WAIT).await;

    // The reminder mentions Anna; at the deadline the coordinator is invited.
    anna.wait_for_message(
        &room,
        |e| {
            e.body
                .as_deref()
                .is_some_and(|b| b.starts_with("Herinnering"))
                && e.mentions(anna.user_id().as_str())
        },
        WAIT,
    )
    .await;
    let invite = carla.wait_for_invite(WAIT).await;
    assert_eq!(invite.room_id, room);
    anna.wait_for_text(&room, "termijn is gemist", WAIT).await;
    eva.wait_for("Het spijt ons").await;

    anna.send_text(&room, "!status").await;
    anna.wait_for_text(&room, &format!("Melding {token}"), WAIT)
        .await;
    anna.send_text(&room, "!note NOTITIE-3391 eerder gezien")
        .await;
    anna.wait_for_text(&room, "Aantekening bewaard", WAIT).await;
    anna.send_text(&room, "!time 45m").await;
    anna.wait_for_text(&room, "45 minuten genoteerd", WAIT)
        .await;
    anna.send_text(&room, "!escalate").await;
    anna.wait_for_text(&room, "Gebruik: !escalate", WAIT).await;
    anna.send_text(&room, "!contacted").await;
    anna.wait_for_text(&room, "er is contact gelegd", WAIT)
        .await;

    // Nobody but the bot can bring anyone into the room: Anna's invitation of someone
    // who is no counsellor, or of a counsellor not on this case, is refused by the
    // homeserver (who gets in anyway is removed: tests/trust.rs).
    for peer in [&mallory, &bram] {
        let refused = anna
            .client()
            .get_room(&room)
            .expect("the case room")
            .invite_user_by_id(peer.user_id())
            .await;
        assert!(refused.is_err(), "Anna could invite {}", peer.user_id());
    }

    // Handover to Bram: he speaks, the employee hears him, Anna leaves the room.
    anna.send_text(&room, &format!("!handover {}", bram.user_id()))
        .await;
    anna.wait_for_text(&room, "neemt deze melding over", WAIT)
        .await;
    // Bram joins at the bot's invitation (he could not be invited by Anna).
    assert_eq!(bram.join_next_room(WAIT).await, room);
    bram.send_text(&room, "Hallo Eva, ik neem het over.").await;
    eva.wait_for("Bram: Hallo Eva, ik neem het over.").await;
    bram.wait_for_text(&room, "De overdracht is voltooid", WAIT)
        .await;
    bram.send_text(&room, "!close advice").await;
    eva.wait_for("afgesloten").await;

    let heard: Vec<String> = eva.received().iter().map(|m| m.text.clone()).collect();
    for secret in ["NOTITIE-3391", "!status", "!time", "!contacted", "!close"] {
        assert!(
            !heard.iter().any(|t| t.contains(secret)),
            "{secret} reached the employee: {heard:#?}"
        );
    }
    let log = world.bot.log_text();
    assert!(
        !log.contains("NOTITIE-3391") && !log.contains("mallory"),
        "{log}"
    );
}
