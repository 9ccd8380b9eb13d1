//! `confidant rotate-key` as an administrator meets it when the machine fails: the real
//! binary killed (SIGKILL) at moments spread over a whole rotation of a real data folder,
//! then run again. After every kill the store is whole: the old store, one the bot
//! refuses (saying to run the rotation again), or the new store whose key is not yet in
//! the key file's place (run again, it is put there); at the end every case opens with
//! the new key alone, which has taken the key file's place.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use confidant::crypto::MasterKey;
use confidant::store::{Store, StoreError};

use crate::util::cases::{contents, fill};
use crate::util::command::confidant_cli;
use crate::util::example_config::AdminFolder;

#[test]
fn a_rotation_killed_at_any_moment_leaves_a_whole_store_and_finishes_when_run_again() {
    let admin = AdminFolder::new();
    let (key, config, data) = (&admin.key, &admin.config, admin.data());
    let new_key = admin.dir.path().join("master.key.new");
    let (ok, _, err) = confidant_cli(&["keygen", "--out", new_key.to_str().unwrap()]);
    assert!(ok, "{err}");
    let old = admin.master();
    let new = MasterKey::read_file(&new_key).unwrap();
    let expected = fill(&data, &old);
    // The key file is the service's (the tests run as root, as `sudo` would).
    use std::os::unix::fs::MetadataExt;
    let as_root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    if as_root {
        std::os::unix::fs::chown(key, Some(65534), Some(65534)).unwrap();
    }

    // Kills later and later; each run goes on where the last one was stopped.
    let mut kills = 0;
    let mut stopped_midway = 0;
    let mut delay = Duration::from_millis(5);
    let finished = loop {
        assert!(kills < 400, "the rotation never finished");
        let mut child = Command::new(crate::util::checkout::confidant_binary())
            .args(["rotate-key", "--config"])
            .arg(config)
            .arg("--new-key")
            .arg(&new_key)
            .env_remove("CONFIDANT_MASTER_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while started.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        if child.try_wait().unwrap().is_some() {
            break child.wait_with_output().unwrap();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        delay += Duration::from_millis(5);
        // Whole after the kill: the old store as it was, or one refused until the
        // rotation is run again.
        match Store::open(&data, &old) {
            Ok(store) => assert_eq!(contents(&store), expected),
            Err(StoreError::RotationInterrupted) => {
                stopped_midway += 1;
                if stopped_midway == 1 {
                    // What the administrator reads (the bot says the same at start).
                    let (ok, _, err) =
                        confidant_cli(&["check-store", "--config", config.to_str().unwrap()]);
                    assert!(
                        !ok && err.contains("run `confidant rotate-key` again"),
                        "{err}"
                    );
                }
            }
            // Rotated, the new key not yet in the key file's place: whole with the new
            // key (and run again, the key is put in place).
            Err(StoreError::WrongMasterKey) => {
                let store = Store::open(&data, &new).unwrap();
                assert_eq!(contents(&store), expected);
            }
            Err(other) => panic!("after kill {kills}: {other}"),
        }
    };
    let out = String::from_utf8_lossy(&finished.stdout);
    assert!(
        finished.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&finished.stderr)
    );
    assert!(
        stopped_midway >= 3,
        "only {stopped_midway} of {kills} kills landed during the rotation"
    );
    println!("{kills} kills, {stopped_midway} during the rotation");
    assert!(out.contains("the new key is now"), "{out}");

    // The new key took the key file's place; the old one opens nothing.
    assert!(!new_key.exists());
    let meta = std::fs::metadata(key).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o600);
    if as_root {
        assert_eq!(
            (meta.uid(), meta.gid()),
            (65534, 65534),
            "owned as the old key was"
        );
    }
    let installed = MasterKey::read_file(key).unwrap();
    let store = Store::open(&data, &installed).unwrap();
    assert_eq!(contents(&store), expected);
    drop(store);
    assert!(matches!(
        Store::open(&data, &old).err(),
        Some(StoreError::WrongMasterKey)
    ));
    // And a report, through the same config, opens it.
    let (ok, _, err) = confidant_cli(&[
        "report",
        "--config",
        config.to_str().unwrap(),
        "--year",
        "2026",
        "--out",
        "-",
    ]);
    assert!(ok, "{err}");
}

#[test]
fn a_key_that_is_no_new_key_is_refused_before_anything_is_done() {
    let admin = AdminFolder::new();
    let (key, config) = (&admin.key, admin.config());
    fill(&admin.data(), &admin.master());
    // The key in use is not a new key.
    let (ok, _, err) = confidant_cli(&[
        "rotate-key",
        "--config",
        config,
        "--new-key",
        key.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("the key in use"), "{err}");
    // A new key file others may read is refused before anything is done.
    let loose = admin.dir.path().join("loose.key");
    let (ok, _, err) = confidant_cli(&["keygen", "--out", loose.to_str().unwrap()]);
    assert!(ok, "{err}");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (ok, _, err) = confidant_cli(&[
        "rotate-key",
        "--config",
        config,
        "--new-key",
        loose.to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("chmod 600"), "{err}");
    let (ok, out, err) = confidant_cli(&["check-store", "--config", config]);
    assert!(ok, "{out}{err}");
}
