//! `!inform-hr` end to end: HR's own encrypted room on a real Synapse, the real binary,
//! the Telegram stand-in. The employee declines once (HR gets nothing), then agrees to an
//! anonymous message: HR's room gets exactly the words the employee saw, once, and
//! nothing of the story or of who told it; the case room records both answers.

use std::time::Duration;

use crate::util::world::{WAIT, World};

#[tokio::test(flavor = "multi_thread")]
async fn hr_gets_one_message_in_the_words_agreed_and_only_after_a_yes() {
    let mut world = World::start().await;
    // HR's room (Anna stands in for HR here); the bot is named in the config first and
    // invited after, as an administrator would do it.
    let hr_room = world.anna.create_encrypted_room("HR", &[]).await;
    let config = world.dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap().replacen(
        "name = \"Testbedrijf\"",
        &format!("name = \"Testbedrijf\"\nhr_room = \"{hr_room}\""),
        1,
    );
    std::fs::write(&config, text).unwrap();
    world.bot.kill();
    world.bot.start();
    world.bot.wait_until_running().await;
    world.anna.invite(&hr_room, &world.bot_user.user_id).await;

    let story = "Mijn teamleider Kees kleineert me in elk overleg";
    let (eva, room) = world.open_case(7501, "eva_hr", story).await;
    // No: nothing goes.
    world.anna.send_text(&room, "!inform-hr").await;
    eva.press("Nee").await;
    world.anna.wait_for_text(&room, "Nee", WAIT).await;
    // Yes, anonymously, and the words confirmed.
    world.anna.send_text(&room, "!inform-hr").await;
    eva.press("Ja, anoniem (alleen datum en afdeling)").await;
    let shown = eva.wait_for("Dit krijgt HR, precies zo").await.text;
    eva.press("Ja, versturen").await;
    eva.wait_for("Verstuurd.").await;

    let in_hr = world
        .anna
        .wait_for_text(&hr_room, "heeft steun gekregen", WAIT)
        .await
        .body
        .unwrap();
    assert!(
        shown.contains(&in_hr),
        "shown:\n{shown}\nin HR's room:\n{in_hr}"
    );
    for never in ["Kees", "kleineert", "eva_hr", "VP-"] {
        assert!(!in_hr.contains(never), "{never} reached HR: {in_hr}");
    }
    world
        .anna
        .wait_for_text(&room, "kreeg HR precies dit", WAIT)
        .await;
    // Time for a second copy to show; there is none.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let from_bot: Vec<String> = world
        .anna
        .messages(&hr_room)
        .await
        .into_iter()
        .filter(|e| e.sender.as_deref() == Some(world.bot_user.user_id.as_ref()))
        .filter_map(|e| e.body)
        .collect();
    assert_eq!(
        from_bot,
        vec![in_hr],
        "exactly one message from the bot in HR's room"
    );
}
