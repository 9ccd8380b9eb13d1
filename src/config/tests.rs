//! Config loading: the example config resolves; mistakes are named with their place.

use std::path::Path;

use super::*;

fn example_with(dir: &Path, edit: impl Fn(String) -> String) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("deploy/config.example.toml")).unwrap();
    let text = text
        .replace(
            "/usr/share/confidant/dialogs",
            &root.join("dialogs").display().to_string(),
        )
        .replace(
            "/usr/share/confidant/locales",
            &root.join("locales").display().to_string(),
        )
        .replace(
            "/etc/confidant/master.key",
            &dir.join("master.key").display().to_string(),
        );
    let path = dir.join("config.toml");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

fn env_with_secrets(name: &str) -> Option<String> {
    match name {
        ENV_TELEGRAM_TOKEN => Some("123:abc".into()),
        ENV_MATRIX_PASSWORD | ENV_STORE_PASSPHRASE => Some("pw".into()),
        _ => None,
    }
}

#[test]
fn the_example_config_resolves_with_secrets_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    let config = load_with_env(&example_with(dir.path(), |t| t), &env_with_secrets)
        .unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(config.core.settings.roster.counsellors.len(), 2);
    assert_eq!(
        config.core.settings.first_contact,
        jiff::SignedDuration::from_hours(48)
    );
    assert_eq!(
        config.core.settings.intake_expiry,
        jiff::SignedDuration::from_hours(168)
    );
    assert_eq!(config.telegram.unwrap().token.expose(), "123:abc");
}

#[test]
fn every_problem_is_reported_with_its_setting() {
    let dir = tempfile::tempdir().unwrap();
    let path = example_with(dir.path(), |t| {
        t.replace(
            "user_id = \"@confidant:example.org\"",
            "user_id = \"confidant\"",
        )
        .replace("first_contact = \"48h\"", "first_contact = \"soon\"")
        .replace(
            "timezone = \"Europe/Amsterdam\"",
            "timezone = \"Mars/Olympus\"",
        )
        .replace("languages = [\"nl\"]", "languages = [\"fr\"]")
    });
    let problems = load_with_env(&path, &|_| None)
        .err()
        .expect("problems")
        .to_string();
    for expected in [
        "matrix.user_id: `confidant` is not a Matrix user id",
        "deadlines.first_contact: `soon` is not a positive duration",
        "organisation.timezone: `Mars/Olympus` is not a known time zone",
        "counsellor[1].languages: there is no locales/fr folder",
        "telegram.token: not set; put it in the config file or in the environment variable CONFIDANT_TELEGRAM_TOKEN",
        "matrix.password: not set",
        "storage.master_key_file:",
    ] {
        assert!(
            problems.contains(expected),
            "missing `{expected}` in:\n{problems}"
        );
    }
}

#[test]
fn unknown_settings_and_syntax_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = example_with(dir.path(), |t| {
        t.replace("device_name = \"confidant\"", "device_nmae = \"confidant\"")
    });
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    assert!(
        problems.contains("config.toml:") && problems.contains("device_nmae"),
        "{problems}"
    );
}

#[test]
fn a_broken_dialog_names_the_file_and_step() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dialogs = dir.path().join("dialogs");
    std::fs::create_dir(&dialogs).unwrap();
    let intake = std::fs::read_to_string(root.join("dialogs/intake.toml"))
        .unwrap()
        .replace("next = \"story\"", "next = \"stroy\"");
    std::fs::write(dialogs.join("intake.toml"), intake).unwrap();
    let path = example_with(dir.path(), |t| {
        t.replace(
            &root.join("dialogs").display().to_string(),
            &dialogs.display().to_string(),
        )
    });
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    assert!(
        problems.contains(
            "intake.toml: step `contact`: `next` names step `stroy`, which does not exist"
        ),
        "{problems}"
    );
    assert!(
        problems.contains("step `story`: this step cannot be reached"),
        "{problems}"
    );
}
