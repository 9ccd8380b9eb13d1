//! `/resume` with the real bot: the employee's second phone joins the case with the two
//! codes from the end of the intake, found through the store's token index, and then
//! hears the counsellor too.

use crate::util::world::{WAIT, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_second_phone_joins_the_case_with_both_codes() {
    let world = World::start().await;
    let phone = world.employee(900_061, "Eva", "eva_phone");
    let token = phone.report("HERVAT-4410 het gaat om mijn afdeling").await;
    let code = phone.resume_code().await;
    let room = world.anna.join_next_room(WAIT).await;

    let tablet = world.employee(900_062, "Eva", "eva_tablet");
    tablet.say(&format!("/resume {token} WRONG-CODE"));
    tablet.wait_for("ken ik niet").await;
    tablet.say(&format!("/resume {token} {code}"));
    tablet.wait_for("nu gekoppeld").await;
    phone.wait_for("ander gesprek").await;

    world.anna.send_text(&room, "Goedemiddag Eva").await;
    tablet.wait_for("Anna: Goedemiddag Eva").await;
    phone.wait_for("Anna: Goedemiddag Eva").await;
    tablet.say("HERVAT-VERVOLG-5521 vanaf mijn tablet");
    world
        .anna
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("HERVAT-VERVOLG-5521 vanaf mijn tablet"),
            WAIT,
        )
        .await;
}
