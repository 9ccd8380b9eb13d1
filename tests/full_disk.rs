//! A full disk: the data folder on a small tmpfs that fills up while an employee and a
//! counsellor write, and is then freed. Nothing acknowledged may be lost or doubled, the
//! bot must come back by itself (or exit, as systemd would then restart it), and the log
//! must stay quiet meanwhile. Needs root (to mount the tmpfs), as CI runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::util::world::{WAIT, World};

/// Unmounts the tmpfs however the test ends.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Moves `dir`'s contents onto a fresh tmpfs of `size` mounted at `dir`.
fn onto_tmpfs(dir: &Path, size: &str) -> Mounted {
    let aside = dir.with_extension("on-disk");
    std::fs::rename(dir, &aside).unwrap();
    std::fs::create_dir(dir).unwrap();
    let mounted = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size},mode=0700"),
            "tmpfs",
        ])
        .arg(dir)
        .status()
        .expect("mount runs");
    assert!(
        mounted.success(),
        "mounting a tmpfs needs root (CI runs as root)"
    );
    let guard = Mounted(dir.to_owned());
    let copied = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", aside.display()))
        .arg(dir)
        .status()
        .unwrap();
    assert!(copied.success());
    guard
}

/// Fills the file system of `dir` to the last byte; returns the filler's path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let small = [0u8; 512];
    while file.write_all(&small).is_ok() {}
    while file.write_all(&[0u8]).is_ok() {}
    let _ = file.sync_all();
    path
}

fn lines_between(log: &str, from: usize, to: usize) -> usize {
    log.get(from..to).map_or(0, |s| s.lines().count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_loses_nothing_and_the_bot_recovers_when_space_returns() {
    let mut world = World::start().await;
    let eva = world.employee(900_301, "Eva", "eva_disk");
    eva.report("Ik word gepest op het werk.").await;
    let anna = &world.anna;
    let room = anna.join_next_room(WAIT).await;
    anna.wait_for_text(&room, "gepest op het werk", WAIT).await;

    world.bot.kill();
    let data = world.data_dir();
    let _tmpfs = onto_tmpfs(&data, "96m");
    world.bot.start();
    world.bot.wait_until_running().await;
    anna.send_text(&room, "Voor het volraken.").await;
    eva.wait_for("Anna: Voor het volraken.").await;

    let filler = fill(&data);
    let quiet_from = world.bot.log_text().len();
    eva.say("Tijdens vol een.");
    // Enough to need new space in sled's files, not only in what it set aside.
    let long: Vec<String> = (0..40)
        .map(|i| {
            let words = "woorden die ruimte vragen ".repeat(130);
            format!("LANG{i:02} {}", words.trim_end())
        })
        .collect();
    for text in &long {
        eva.say(text);
    }
    eva.say("Tijdens vol twee.");
    anna.send_text(&room, "Antwoord tijdens vol.").await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let log = world.bot.log_text();
    let lines = lines_between(&log, quiet_from, log.len());
    assert!(
        lines <= 6 * 10,
        "{lines} log lines in 6 s of a full disk:\n{}",
        &log[quiet_from..]
    );

    assert!(
        log[quiet_from..].contains("the data folder cannot be written"),
        "the store met the full disk: {}",
        &log[quiet_from..]
    );
    std::fs::remove_file(&filler).unwrap();
    // As systemd would: a bot that chose to exit is started again.
    if let Some(status) = world.bot.wait_for_exit(Duration::from_secs(20)).await {
        assert_eq!(
            status.code(),
            Some(confidant::app::EXIT_STORE_REOPEN),
            "an exit to reopen the store says so: {status}"
        );
        world.bot.start();
        world.bot.wait_until_running().await;
    }
    anna.wait_for_text(&room, "Tijdens vol twee.", WAIT).await;
    eva.wait_for("Anna: Antwoord tijdens vol.").await;
    tokio::time::sleep(Duration::from_secs(3)).await;

    let bodies: Vec<String> = anna
        .messages(&room)
        .await
        .into_iter()
        .filter_map(|e| e.body)
        .collect();
    let count = |text: &str| bodies.iter().filter(|b| b.as_str() == text).count();
    assert_eq!(count("Tijdens vol een."), 1, "{bodies:#?}");
    assert_eq!(count("Tijdens vol twee."), 1, "{bodies:#?}");
    let first = bodies.iter().position(|b| b == "Tijdens vol een.").unwrap();
    let second = bodies
        .iter()
        .position(|b| b == "Tijdens vol twee.")
        .unwrap();
    assert!(first < second, "in order");
    let mut at = first;
    for text in &long {
        assert_eq!(count(text), 1, "{} arrived once", &text[..6]);
        let here = bodies.iter().position(|b| b == text).unwrap();
        assert!(here > at, "{} in order", &text[..6]);
        at = here;
    }
    let heard = eva
        .received()
        .into_iter()
        .filter(|m| m.text == "Anna: Antwoord tijdens vol.")
        .count();
    assert_eq!(heard, 1, "the counsellor's answer arrived once");
    // Everything stopped before the tmpfs goes.
    world.bot.kill();
}
