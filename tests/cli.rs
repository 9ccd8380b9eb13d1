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
