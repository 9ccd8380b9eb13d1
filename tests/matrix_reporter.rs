//! An employee with their own Matrix account: a direct chat with the bot runs the same
//! intake (numbered options, answered with their words), the conversation is relayed
//! both ways, and the employee's Matrix id reaches neither the case room nor the log.

use crate::util::matrix_employee::{bot_says, report_from_matrix};
use crate::util::world::{WAIT, World};

const STORY: &str = "MATRIXVERHAAL-5120 mijn teamleider kleineert mij";
const ANSWER: &str = "ANNA-ANTWOORD-7734 dank voor je vertrouwen";
const FOLLOW_UP: &str = "MATRIXVERVOLG-2208 het gebeurde vandaag weer";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_employee_reports_from_matrix_and_stays_anonymous() {
    let world = World::start().await;
    let bot = world.bot_user.user_id.clone();
    let (sanne, dm) = world.matrix_employee("sanne").await;

    report_from_matrix(&sanne, &dm, &world.bot_user.user_id, STORY).await;

    let anna = &world.anna;
    let room = anna.join_next_room(WAIT).await;
    anna.wait_for_text(&room, STORY, WAIT).await;
    anna.send_text(&room, ANSWER).await;
    bot_says(&sanne, &dm, &bot, &format!("Anna: {ANSWER}")).await;
    sanne.send_text(&dm, FOLLOW_UP).await;
    anna.wait_for_message(&room, |e| e.body.as_deref() == Some(FOLLOW_UP), WAIT)
        .await;

    let sanne_id = sanne.user_id().to_string();
    for event in anna.messages(&room).await {
        assert_ne!(
            event.sender.as_deref().map(|s| s.as_str()),
            Some(sanne_id.as_str())
        );
        assert!(
            !event.raw.to_string().contains("sanne"),
            "the employee's Matrix id in the case room: {}",
            event.raw
        );
    }
    let log = world.bot.log_text();
    assert!(log.contains("a Matrix invite was answered"), "{log}");
    for secret in ["sanne", dm.as_str(), "MATRIXVERHAAL", "MATRIXVERVOLG"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}
