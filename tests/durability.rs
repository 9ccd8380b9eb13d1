//! No message is lost and none is doubled: the bot is killed with SIGKILL while messages
//! flow both ways, restarted, and every message must arrive exactly once, in order.

use std::time::Duration;

use crate::util::counsellor::MatrixPeer;
use crate::util::employee::Employee;
use crate::util::world::{WAIT, World};
use matrix_sdk::ruma::RoomId;

const MESSAGES: usize = 24;
/// The bot goes down after these many messages each way, and comes back after the
/// second number; it is killed both while serving and while still starting up.
const KILLS: [(usize, usize); 4] = [(4, 7), (10, 11), (12, 13), (18, 21)];
/// After these restarts the test waits until the bot serves, so that the next kill
/// hits a bot busy with the backlog rather than one still starting.
const SETTLE_AFTER: [usize; 2] = [7, 13];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_message_arrives_exactly_once_and_in_order_across_sigkills() {
    let _turn = crate::util::heavy::HEAVY.lock().await;
    let mut world = World::start().await;
    let eva = world.employee(900_002, "Eva", "eva_k");
    eva.report("Er wordt over mij geroddeld.").await;
    let room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&room, "geroddeld", WAIT).await;

    for i in 0..MESSAGES {
        eva.say(&format!("E-{i:02}"));
        world.anna.send_text(&room, &format!("C-{i:02}")).await;
        // Vary the moment of the kill relative to the traffic.
        tokio::time::sleep(Duration::from_millis(20 + 13 * (i as u64 % 5))).await;
        for (down, up) in KILLS {
            if i == down {
                world.bot.kill();
            }
            if i == up {
                world.bot.start();
            }
        }
        if SETTLE_AFTER.contains(&i) {
            world.bot.wait_until_running().await;
        }
    }
    world.bot.wait_until_running().await;

    let expected_in_room: Vec<String> = (0..MESSAGES).map(|i| format!("E-{i:02}")).collect();
    let expected_on_phone: Vec<String> = (0..MESSAGES).map(|i| format!("Anna: C-{i:02}")).collect();
    wait_for_all_in_room(&world.anna, &room, &expected_in_room[MESSAGES - 1]).await;
    eva.wait_for(&expected_on_phone[MESSAGES - 1]).await;
    // Give a would-be duplicate time to show up before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let in_room: Vec<String> = world
        .anna
        .messages(&room)
        .await
        .into_iter()
        .filter_map(|e| e.body)
        .filter(|b| b.starts_with("E-"))
        .collect();
    assert_eq!(
        in_room, expected_in_room,
        "employee → counsellor: each exactly once, in order"
    );
    let on_phone: Vec<String> = relayed(&eva);
    assert_eq!(
        on_phone, expected_on_phone,
        "counsellor → employee: each exactly once, in order"
    );
}

fn relayed(eva: &Employee) -> Vec<String> {
    eva.received()
        .into_iter()
        .map(|m| m.text)
        .filter(|t| t.starts_with("Anna: C-"))
        .collect()
}

async fn wait_for_all_in_room(anna: &MatrixPeer, room: &RoomId, last: &str) {
    anna.wait_for_message(room, |e| e.body.as_deref() == Some(last), WAIT)
        .await;
}
