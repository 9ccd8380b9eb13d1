//! Withdrawal end to end, with the real bot, Synapse and the Telegram stand-in: `/wipe`
//! deletes the bot's messages in the employee's chat, `/forget` erases the case after a
//! confirmation and the counsellor is told; afterwards, even with the master key, the
//! data folder yields nothing of the case but its anonymous count.

use confidant::crypto::MasterKey;
use confidant::store::Store;

use crate::util::world::{WAIT, World};

const STORY: &str = "INTREKKEN-4471 de teamleider dreigt";
const ANSWER: &str = "ANNA-8812 fijn dat je het meldt";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wipe_and_forget_leave_nothing_but_the_anonymous_count() {
    let mut world = World::start().await;
    let eva = world.employee(900_041, "Eva", "eva_tg");
    eva.report(STORY).await;
    let room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&room, STORY, WAIT).await;
    world.anna.send_text(&room, ANSWER).await;
    eva.wait_for(ANSWER).await;

    // /wipe: everything the bot said so far disappears from the chat.
    let before: Vec<i32> = eva.received().iter().map(|m| m.message_id).collect();
    assert!(before.len() >= 4, "{before:?}");
    eva.say("/wipe");
    eva.wait_for("jonger dan 48 uur").await;
    let left: Vec<String> = eva.received().iter().map(|m| m.text.clone()).collect();
    assert_eq!(left.len(), 1, "only the answer to /wipe is left: {left:#?}");

    // /forget, confirmed.
    eva.say("/forget");
    eva.press("Ja, wis alles").await;
    eva.wait_for("Uw melding is gewist").await;
    world.anna.wait_for_text(&room, "ingetrokken", WAIT).await;
    world.bot.kill();

    let master =
        MasterKey::read_file(&world.dir.path().join("master.key")).expect("the master key");
    let store = Store::open(&world.data_dir(), &master).expect("the data folder opens");
    assert!(store.case_ids().unwrap().is_empty(), "no case is left");
    let keys: Vec<_> = std::fs::read_dir(world.data_dir().join("keys"))
        .unwrap()
        .collect();
    assert!(keys.is_empty(), "no case key is left: {keys:?}");
    let counts = store.registrations().unwrap();
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(counts[0].category.as_deref(), Some("bullying"));
    assert_eq!(counts[0].outcome.as_deref(), Some("withdrawn"));
    assert_eq!(counts[0].promise_kept, Some(true));
}
