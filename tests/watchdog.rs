//! A hang cannot go unnoticed: a loop made to stall (the test-only switch
//! `CONFIDANT_TEST_STALL`) stops the real bot with its name in the log and exit status 70,
//! so that systemd restarts it; restarted, it delivers what waited (nothing is lost); and a
//! healthy bot under a tight bound is never stopped.

use std::time::Duration;

use confidant::watchdog::{ENV_TEST_STALL, EXIT_STALLED};

use crate::util::world::{World, WorldOptions};

const TIGHT: &str = "[watchdog]\nstall_after = \"2s\"\n";
/// Long enough that a slow request of a busy test machine is not a stall.
const HEALTHY: &str = "[watchdog]\nstall_after = \"10s\"\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stalled_loop_stops_the_bot_by_name_and_a_healthy_one_never_does() {
    // The digest timer is armed at every start, so the scheduler has work at once.
    let mut world = World::start_with_options(WorldOptions {
        extra: TIGHT,
        env: vec![(ENV_TEST_STALL.into(), "scheduler".into())],
        ..WorldOptions::default()
    })
    .await;
    let eva = world.employee(700_001, "Eva", "eva_w");

    for part in ["scheduler", "Telegram poller", "Matrix sync", "delivery"] {
        if part != "scheduler" {
            world.bot.env = vec![(ENV_TEST_STALL.into(), part.into())];
            world.bot.start();
        }
        if part == "delivery" {
            // Something to deliver: the welcome.
            eva.say("/start");
        }
        let status = world
            .bot
            .wait_for_exit(Duration::from_secs(60))
            .await
            .unwrap_or_else(|| panic!("the stalled {part} did not stop the bot"));
        assert_eq!(status.code(), Some(EXIT_STALLED), "{part}: exit status");
        let log = world.bot.log_text();
        assert!(
            log.contains(&format!("the {part} has made no progress for")),
            "{part}: the log names the stalled part:\n{log}"
        );
    }

    // Restarted without the fault and with a bound a busy machine keeps: the welcome
    // that waited goes out, and a whole intake with relays both ways never trips it.
    world.bot.env.clear();
    let config = std::fs::read_to_string(&world.bot.config).unwrap();
    std::fs::write(&world.bot.config, config.replace(TIGHT, HEALTHY)).unwrap();
    world.bot.start();
    eva.wait_for("Welkom").await;
    let stalls_before = world.bot.log_text().matches("has made no progress").count();
    let bram = world.employee(700_002, "Bram", "bram_w");
    bram.report("Mijn collega scheldt mij uit.").await;
    let room = world.anna.join_next_room(crate::util::world::WAIT).await;
    world.anna.send_text(&room, "Dag, ik ben Anna.").await;
    bram.wait_for("Anna: Dag, ik ben Anna.").await;
    bram.say("Dank u.");
    world
        .anna
        .wait_for_text(&room, "Dank u.", crate::util::world::WAIT)
        .await;
    // Idle a while: waiting for work is no stall.
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert!(
        world.bot.wait_for_exit(Duration::ZERO).await.is_none(),
        "the healthy bot is still running"
    );
    assert_eq!(
        world.bot.log_text().matches("has made no progress").count(),
        stalls_before,
        "no stall reported while healthy"
    );
}
