//! Backups as an administrator takes them: while the bot runs and a case is under way,
//! restored on another "machine" (another folder; the master key carried apart, the
//! Matrix password no longer in the config), where the same case goes on with nothing
//! lost or doubled; and the yearly report read from the running bot.

use std::path::Path;
use std::time::Duration;

use confidant::store::Store;

use crate::util::bot::BotProcess;
use crate::util::cases::{contents, fill};
use crate::util::command::confidant_cli;
use crate::util::data_folder::snapshot;
use crate::util::example_config::{AdminFolder, without_secrets};
use crate::util::tempdir::scratch_dir;
use crate::util::world::{WAIT, World};

/// How many of `texts` contain `needle`.
fn count(texts: &[String], needle: &str) -> usize {
    texts.iter().filter(|t| t.contains(needle)).count()
}

/// The world's config for another machine: its own data folder and key file, and no
/// Matrix password (the session comes from the backup).
fn config_elsewhere(world: &World, elsewhere: &Path) -> std::path::PathBuf {
    let key = elsewhere.join("master.key");
    std::fs::copy(world.dir.path().join("master.key"), &key).unwrap();
    let text = std::fs::read_to_string(world.dir.path().join("config.toml")).unwrap();
    let text: String = text
        .replace(
            &world.data_dir().display().to_string(),
            &elsewhere.join("data").display().to_string(),
        )
        .replace(
            &world.dir.path().join("master.key").display().to_string(),
            &key.display().to_string(),
        )
        .lines()
        .filter(|line| !line.starts_with("password ="))
        .map(|line| format!("{line}\n"))
        .collect();
    let path = elsewhere.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_taken_mid_conversation_goes_on_elsewhere_with_nothing_lost_or_doubled() {
    let mut world = World::start().await;
    let story = "Mijn leidinggevende scheldt me uit waar iedereen bij is";
    let (eva, room) = world.open_case(7301, "eva_backup", story).await;
    // A second case, so the report has a count it may show (with a threshold of 2).
    world
        .open_case(
            7302,
            "piet_backup",
            "Er worden grappen gemaakt over mijn geloof",
        )
        .await;
    world.anna.send_text(&room, "Hallo Eva, ik ben Anna.").await;
    eva.wait_for("Hallo Eva, ik ben Anna.").await;
    eva.say("Het gebeurde vandaag weer.");
    world
        .anna
        .wait_for_text(&room, "Het gebeurde vandaag weer.", WAIT)
        .await;
    // Let the deliveries' own records settle: the backup is a moment, and what the old
    // bot does after it is not in it.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let config = world.dir.path().join("config.toml");
    let config = config.to_str().unwrap();
    // The yearly report, from the running bot.
    let year = jiff::Zoned::now().year().to_string();
    let (ok, out, err) = confidant_cli(&[
        "report",
        "--config",
        config,
        "--year",
        &year,
        "--format",
        "json",
        "--threshold",
        "2",
        "--out",
        "-",
    ]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["contacts"]["count"], 2, "{report:#}");

    let kept = scratch_dir("backups");
    let backup = kept.path().join("confidant.backup");
    let (ok, out, err) = confidant_cli(&[
        "backup",
        "--config",
        config,
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("by the running bot"), "{out}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Unpacked, nothing in it is readable without the keys: not the story, not who
    // told it (read with the zip crate itself, not the bot's reader).
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&backup).unwrap()).unwrap();
    let mut entries = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        for secret in [story, "Het gebeurde vandaag weer", "eva_backup"] {
            assert!(
                !crate::util::data_folder::holds(&bytes, secret.as_bytes()),
                "{secret:?} readable in {:?}",
                entry.name()
            );
        }
        entries += 1;
    }
    assert!(entries > 10, "{entries} entries");
    // Never over an existing file.
    let (ok, _, err) = confidant_cli(&[
        "backup",
        "--config",
        config,
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("exists"), "{err}");
    // The machine is lost.
    world.bot.kill();

    let elsewhere = scratch_dir("elsewhere");
    let config2 = config_elsewhere(&world, elsewhere.path());
    let config2_text = config2.to_str().unwrap();
    let (ok, out, err) = confidant_cli(&[
        "restore",
        "--config",
        config2_text,
        "--from",
        backup.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("2 cases"), "{out}");
    // Once restored, never over it again.
    let (ok, _, err) = confidant_cli(&[
        "restore",
        "--config",
        config2_text,
        "--from",
        backup.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("exists"), "{err}");

    let mut bot = BotProcess::new(&config2, &elsewhere.path().join("confidant.log"));
    bot.start();
    bot.wait_until_running().await;
    eva.say("Ben je er nog?");
    world
        .anna
        .wait_for_text(&room, "Ben je er nog?", WAIT)
        .await;
    world.anna.send_text(&room, "Ja, ik ben er nog.").await;
    eva.wait_for("Ja, ik ben er nog.").await;
    // Time for anything doubled to arrive.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let in_room = world.anna.bodies(&room).await;
    for text in [story, "Het gebeurde vandaag weer.", "Ben je er nog?"] {
        assert_eq!(
            count(&in_room, text),
            1,
            "{text:?} in the room: {in_room:#?}"
        );
    }
    let on_phone: Vec<String> = eva.received().into_iter().map(|m| m.text).collect();
    for text in ["Hallo Eva, ik ben Anna.", "Ja, ik ben er nog."] {
        assert_eq!(
            count(&on_phone, text),
            1,
            "{text:?} on the phone: {on_phone:#?}"
        );
    }
    let log = bot.log_text();
    assert!(
        !log.contains("logged in to Matrix with a new device"),
        "the restored bot is the same device: {log}"
    );
}

/// Another machine: the example config pointing at a folder of its own, and `key` (the
/// master key, carried there apart from the backup).
fn machine_with(key: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(key, dir.path().join("master.key")).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, without_secrets(dir.path())).unwrap();
    (dir, config)
}

fn restore(config: &Path, backup: &Path) -> (bool, String, String) {
    confidant_cli(&[
        "restore",
        "--config",
        config.to_str().unwrap(),
        "--from",
        backup.to_str().unwrap(),
    ])
}

#[test]
fn with_the_bot_stopped_a_backup_only_reads_the_folder_and_restores_elsewhere() {
    let here = AdminFolder::new();
    let expected = fill(&here.data(), &here.master());
    let before = snapshot(&here.data());
    let backup = here.dir.path().join("stopped.backup");
    let (ok, out, err) = confidant_cli(&[
        "backup",
        "--config",
        here.config(),
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("with the bot stopped"), "{out}");
    assert!(out.contains("250 case key files"), "{out}");
    assert!(
        snapshot(&here.data()) == before,
        "the backup wrote into the data folder"
    );

    // Another key does not open it, and nothing is written then.
    let stranger = AdminFolder::new();
    let (ok, _, err) = restore(&stranger.config, &backup);
    assert!(!ok && err.contains("does not match"), "{err}");
    assert!(!stranger.data().exists());
    // A backup cut short is refused, not half restored.
    let (there, config) = machine_with(&here.key);
    let bytes = std::fs::read(&backup).unwrap();
    let cut = here.dir.path().join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (ok, _, err) = restore(&config, &cut);
    assert!(!ok && err.contains("cut short"), "{err}");
    assert!(!there.path().join("data").join("sled").exists());
    // The whole one restores every case.
    let (ok, out, err) = restore(&config, &backup);
    assert!(ok, "{err}");
    assert!(out.contains("250 cases"), "{out}");
    let store = Store::open(&there.path().join("data"), &here.master()).unwrap();
    assert_eq!(contents(&store), expected);
}
