//! The binary's own commands: `keygen` and `check-config`, as an administrator meets them.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn confidant(args: &[&str]) -> (bool, String) {
    let out = Command::new(crate::util::checkout::confidant_binary())
        .args(args)
        .env_remove("CONFIDANT_MASTER_KEY")
        .output()
        .expect("runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn keygen_writes_a_private_key_file_and_refuses_to_overwrite_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("master.key");
    let key_arg = key.to_str().unwrap();
    let (ok, out) = confidant(&["keygen", "--out", key_arg]);
    assert!(ok, "{out}");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let first = std::fs::read_to_string(&key).unwrap();
    assert_eq!(first.trim().len(), 64);
    let (ok, out) = confidant(&["keygen", "--out", key_arg]);
    assert!(!ok && out.contains("refusing to overwrite"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        first,
        "the key is untouched"
    );
}

fn example_config(dir: &Path) -> String {
    crate::util::example_config::with_secrets(dir)
}

#[test]
fn check_config_accepts_the_example_and_names_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    confidant(&[
        "keygen",
        "--out",
        dir.path().join("master.key").to_str().unwrap(),
    ]);
    let good = dir.path().join("good.toml");
    std::fs::write(&good, example_config(dir.path())).unwrap();
    let (ok, out) = confidant(&["check-config", "--config", good.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains("OK") && out.contains("languages: en, nl"),
        "{out}"
    );

    let bad = dir.path().join("bad.toml");
    let text = example_config(dir.path()).replace("gender = \"male\"", "gender = \"unknown\"");
    std::fs::write(&bad, &text).unwrap();
    // The line is found rather than fixed, so new settings above it do not break this.
    let line = text
        .lines()
        .position(|l| l.contains("gender = \"unknown\""))
        .expect("the edited line")
        + 1;
    let (ok, out) = confidant(&["check-config", "--config", bad.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("bad.toml:{line} (`gender = \"unknown\"`)"))
            && out.contains("expected one of"),
        "names the file, line and setting: {out}"
    );

    // Problems in values that parse are all reported together.
    let text = example_config(dir.path())
        .replace("first_contact = \"48h\"", "first_contact = \"-3h\"")
        .replace("matrix_id = \"@bram:example.org\"", "matrix_id = \"bram\"");
    std::fs::write(&bad, text).unwrap();
    let (ok, out) = confidant(&["check-config", "--config", bad.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("deadlines.first_contact: `-3h` is not a positive duration"),
        "{out}"
    );
    assert!(
        out.contains("counsellor[1].matrix_id: `bram` is not a Matrix user id"),
        "{out}"
    );
    assert!(out.contains("2 problem(s) found"), "{out}");
    assert!(!out.contains("panicked"), "{out}");

    let (ok, out) = confidant(&["check-config", "--config", "/nonexistent/config.toml"]);
    assert!(!ok && out.contains("cannot read the config file"), "{out}");
}

#[test]
fn run_with_a_broken_config_explains_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, "[organisation]\nname = \"x\"\n").unwrap();
    let (ok, out) = confidant(&["run", "--config", path.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("missing field") && !out.contains("panicked"),
        "{out}"
    );
}

/// As the README's Debian steps have it: the secrets in `secrets.env` beside the config,
/// read by the unit's `EnvironmentFile=`; `check-config` reads them the same way and says
/// where each secret comes from. The Matrix password may go after the first login.
#[test]
fn check_config_reads_the_units_environment_file_and_names_each_secrets_source() {
    let dir = tempfile::tempdir().unwrap();
    confidant(&[
        "keygen",
        "--out",
        dir.path().join("master.key").to_str().unwrap(),
    ]);
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        crate::util::example_config::without_secrets(dir.path()),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let (ok, out) = confidant(&["check-config", "--config", config]);
    assert!(!ok, "secrets missing: {out}");
    assert!(out.contains("telegram.token: not set"), "{out}");

    std::fs::write(
        dir.path().join("secrets.env"),
        "# as the unit reads it\nCONFIDANT_TELEGRAM_TOKEN=123456789:AAtest\nCONFIDANT_MATRIX_STORE_PASSPHRASE=\"a passphrase\"\n",
    )
    .unwrap();
    let (ok, out) = confidant(&["check-config", "--config", config]);
    assert!(ok, "{out}");
    assert!(out.contains("secrets.env first"), "{out}");
    assert!(
        out.contains("telegram.token: from CONFIDANT_TELEGRAM_TOKEN in"),
        "{out}"
    );
    assert!(
        out.contains("matrix.store_passphrase: from CONFIDANT_MATRIX_STORE_PASSPHRASE in"),
        "{out}"
    );
    assert!(
        out.contains("matrix.password: not set (needed only until"),
        "{out}"
    );
    assert!(
        out.contains("storage.master_key_file: from the config file"),
        "{out}"
    );

    // Named explicitly, from anywhere.
    let elsewhere = dir.path().join("other.env");
    std::fs::rename(dir.path().join("secrets.env"), &elsewhere).unwrap();
    let (ok, out) = confidant(&[
        "check-config",
        "--config",
        config,
        "--env-file",
        elsewhere.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
}

#[test]
fn check_config_lists_every_mistake_in_the_file_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let text = crate::util::example_config::with_secrets(dir.path())
        // The table's own line: the comments above it name `[[organisation]]` blocks.
        .replace("\n[organisation]\n", "\n[organisation]\nnaem = \"typo\"\n")
        .replace("[matrix]", "[matrix]\nhomeserver = \"typo\"")
        .replace("[storage]", "[storage]\ndata_folder = \"typo\"");
    std::fs::write(&config, text).unwrap();
    let (ok, out) = confidant(&["check-config", "--config", config.to_str().unwrap()]);
    assert!(!ok);
    for typo in ["naem", "homeserver", "data_folder"] {
        assert!(
            out.contains(&format!("unknown field `{typo}`")),
            "{typo}: {out}"
        );
    }
    assert!(out.contains("3 problem(s) found"), "{out}");
}

#[test]
fn keygen_makes_a_missing_folder_private_and_says_a_failure_once() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("etc/confidant/master.key");
    let (ok, out) = confidant(&["keygen", "--out", key.to_str().unwrap()]);
    assert!(ok, "{out}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(key.parent().unwrap()), 0o700);
    assert_eq!(mode(&key), 0o600);

    // A folder it cannot make (a file is in the way; as root too): the OS's reason once,
    // and what to do.
    let in_the_way = dir.path().join("a-file");
    std::fs::write(&in_the_way, b"").unwrap();
    let (ok, out) = confidant(&[
        "keygen",
        "--out",
        in_the_way.join("sub/master.key").to_str().unwrap(),
    ]);
    assert!(!ok, "{out}");
    assert!(out.contains("install -d -m 0700"), "{out}");
    assert_eq!(out.matches("Not a directory").count(), 1, "{out}");
}
