//! Nobody learns who reported: the data folder holds no plaintext and no chat id, and the
//! bot's log holds neither message text nor the employee's Telegram identity.

use crate::util::data_folder::{files_under, holds};
use crate::util::world::{WAIT, World};

const STORY: &str = "GEHEIM-7731 mijn chef intimideert mij";
const ANSWER: &str = "ANTWOORD-5519 dank voor je bericht";
const FOLLOW_UP: &str = "VERVOLG-2290 het gebeurde weer";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn neither_the_data_folder_nor_the_log_reveals_content_or_identity() {
    let mut world = World::start().await;
    let eva = world.employee(900_003, "Evangelina", "evangelina_tg");
    eva.report(STORY).await;
    let room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&room, "GEHEIM-7731", WAIT).await;
    world.anna.send_text(&room, ANSWER).await;
    eva.wait_for(ANSWER).await;
    eva.say(FOLLOW_UP);
    world
        .anna
        .wait_for_message(&room, |e| e.body.as_deref() == Some(FOLLOW_UP), WAIT)
        .await;
    // Stop the bot so nothing is held back in memory: what is on disk is what a thief gets.
    world.bot.kill();

    let secrets = [
        "GEHEIM-7731",
        "ANTWOORD-5519",
        "VERVOLG-2290",
        "900003",
        "evangelina_tg",
        "Evangelina",
    ];
    let files = files_under(&world.data_dir());
    assert!(files.len() > 5, "the data folder was written: {files:?}");
    for file in &files {
        let bytes = std::fs::read(file).expect("readable file");
        for secret in secrets {
            assert!(
                !holds(&bytes, secret.as_bytes()),
                "{} contains {secret:?}",
                file.display()
            );
        }
    }
    let log = world.bot.log_text();
    assert!(
        log.contains("case opened"),
        "the log is being written: {log}"
    );
    for secret in secrets {
        assert!(!log.contains(secret), "the log contains {secret:?}:\n{log}");
    }
}
