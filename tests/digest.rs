//! The daily digest against a real Synapse: the counsellor gets a direct, encrypted chat
//! with the bot listing her cases due within a day, by token and never by content.
//! With `digest_hour = 0` every start is past the hour, so a start sends the digest to
//! whoever has not had today's: the bot's first start has no cases yet, the restart
//! after a report has one.

use crate::util::world::{WAIT, World};

const EXTRA: &str = "
[deadlines]
first_contact = \"23h\"
reminders = [\"4h\", \"1h\"]
digest_hour = 0
";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_digest_comes_in_a_direct_chat_with_tokens_only_once_a_day() {
    let mut world = World::start_with(EXTRA).await;
    let eva = world.employee(900_071, "Eva", "eva_digest");
    let token = eva.report("SCHREEUW-5521 mijn chef schreeuwt").await;
    let anna = &world.anna;
    let case_room = anna.join_next_room(WAIT).await;

    world.bot.restart();
    world.bot.wait_until_running().await;
    let anna = &world.anna;
    let invite = anna.wait_for_invite(WAIT).await;
    assert_ne!(
        invite.room_id, case_room,
        "the digest has a chat of its own"
    );
    let dm = invite.room_id;
    let digest = anna.wait_for_text(&dm, &token, WAIT).await;
    let text = digest.body.unwrap_or_default();
    assert!(text.contains("komende 24 uur (1)"), "{text}");
    assert!(!text.contains("SCHREEUW-5521"), "tokens only: {text}");
    assert!(anna.is_encrypted(&dm).await, "the direct chat is encrypted");

    // Another restart the same day: the employee's next message still arrives, and the
    // direct chat has no second digest.
    world.bot.restart();
    world.bot.wait_until_running().await;
    eva.say("NOG-7730 nog een bericht");
    let anna = &world.anna;
    anna.wait_for_text(&case_room, "NOG-7730", WAIT).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let digests = anna
        .messages(&dm)
        .await
        .into_iter()
        .filter(|e| e.body.as_deref().is_some_and(|b| b.contains(&token)))
        .count();
    assert_eq!(digests, 1, "one digest a day");
    let log = world.bot.log_text();
    assert!(!log.contains("SCHREEUW-5521") && !log.contains(anna.user_id().as_str()));
}
