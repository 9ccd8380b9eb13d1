//! Running it for years, as an administrator does: the Matrix password is needed only
//! for the first login; without it and without a session, the bot says what to do.

use std::time::Duration;

use crate::util::world::{WAIT, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_matrix_password_is_needed_only_until_the_first_login() {
    let mut world = World::start().await;
    world
        .bot
        .terminate(Duration::from_secs(10))
        .await
        .expect("stops");
    let config = std::fs::read_to_string(&world.bot.config).unwrap();
    let without: String = config
        .lines()
        .filter(|line| !line.trim_start().starts_with("password"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(without, config, "the password line was there");
    std::fs::write(&world.bot.config, &without).unwrap();
    world.bot.start();
    world.bot.wait_until_running().await;
    let (eva, room) = world
        .open_case(900_401, "eva_o", "Mijn leidinggevende negeert mij.")
        .await;
    world.anna.send_text(&room, "Ik bel u.").await;
    eva.wait_for("Anna: Ik bel u.").await;

    // A fresh data folder has no session: it says what to do, and stops.
    world.bot.kill();
    std::fs::rename(world.data_dir(), world.dir.path().join("data-old")).unwrap();
    world.bot.start();
    let status = world
        .bot
        .wait_for_exit(WAIT)
        .await
        .expect("it stops by itself");
    assert!(!status.success());
    let log = world.bot.log_text();
    assert!(
        log.contains("set matrix.password (or CONFIDANT_MATRIX_PASSWORD) for this first start"),
        "{log}"
    );
}
