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

#[test]
fn privacy_settings_resolve_and_their_mistakes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    let config = load_with_env(&example_with(dir.path(), |t| t), &env_with_secrets)
        .unwrap_or_else(|p| panic!("{p}"));
    let privacy = &config.core.settings.privacy;
    assert_eq!(privacy.report_threshold, 5);
    assert_eq!(
        privacy.dossier_retention,
        jiff::SignedDuration::from_hours(720)
    );
    assert_eq!(privacy.tally_retention, jiff::SignedDuration::ZERO);
    assert_eq!(
        privacy.aftercare_after,
        jiff::SignedDuration::from_hours(336)
    );

    let path = example_with(dir.path(), |t| {
        t.replace("report_threshold = 5", "report_threshold = 1")
            .replace(
                "dossier_retention = \"30d\"",
                "dossier_retention = \"a month\"",
            )
            .replace("aftercare_after = \"14d\"", "aftercare_after = \"0s\"")
    });
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    for expected in [
        "privacy.report_threshold: must be at least 2",
        "privacy.dossier_retention: `a month` is not a positive duration",
        "privacy.aftercare_after: `0s` is not a positive duration",
    ] {
        assert!(
            problems.contains(expected),
            "missing `{expected}` in:\n{problems}"
        );
    }
}

#[test]
fn reminder_settings_resolve_and_their_mistakes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    let config = load_with_env(&example_with(dir.path(), |t| t), &env_with_secrets)
        .unwrap_or_else(|p| panic!("{p}"));
    let reminders = &config.core.settings.reminders;
    assert_eq!(
        reminders.before,
        vec![
            jiff::SignedDuration::from_hours(24),
            jiff::SignedDuration::from_hours(4),
            jiff::SignedDuration::from_hours(1)
        ]
    );
    assert_eq!(reminders.digest_hour, 8);
    let path = example_with(dir.path(), |t| {
        t.replace(
            "reminders = [\"24h\", \"4h\", \"1h\"]",
            "reminders = [\"24h\", \"later\", \"48h\"]",
        )
        .replace("digest_hour = 8", "digest_hour = 25")
    });
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    for expected in [
        "deadlines.reminders: `later` is not a positive duration",
        "deadlines.reminders: `48h` before the deadline can never fire",
        "deadlines.digest_hour: must be an hour of the day",
    ] {
        assert!(
            problems.contains(expected),
            "missing `{expected}` in:\n{problems}"
        );
    }
}

#[test]
fn file_limits_are_read_and_mistakes_named() {
    let dir = tempfile::tempdir().unwrap();
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    let path = example_with(dir.path(), |t| {
        t.replace("max_file_bytes = 20971520", "max_file_bytes = 1000")
            .replace(
                "file_types = [\"jpeg\", \"png\", \"webp\", \"heic\", \"pdf\", \"docx\", \"xlsx\", \"pptx\", \"ogg\", \"mp3\", \"m4a\"]",
                "file_types = [\"PDF\", \"jpeg\"]",
            )
    });
    let config = load_with_env(&path, &env_with_secrets).unwrap_or_else(|p| panic!("{p}"));
    let files = &config.core.settings.files;
    assert_eq!(files.max_bytes, 1000);
    use crate::core::files::Format;
    assert_eq!(files.types, vec![Format::Pdf, Format::Jpeg]);

    let path = example_with(dir.path(), |t| {
        t.replace("max_file_bytes = 20971520", "max_file_bytes = 50000000")
            .replace("\"m4a\"]", "\"exe\"]")
    });
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    for expected in [
        "limits.max_file_bytes: must be between 1 and 20971520",
        "limits.file_types: \"exe\" is not a file type the bot knows",
    ] {
        assert!(
            problems.contains(expected),
            "missing `{expected}` in:\n{problems}"
        );
    }
}

#[test]
fn units_resolve_and_their_mistakes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    let path = example_with(dir.path(), |t| {
        t.replace("units = []", "units = [\" Noord \", \"Zuid\"]")
            .replace("regions = []", "regions = [\"Zuid\"]")
    });
    let config = load_with_env(&path, &env_with_secrets).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(config.core.settings.units, ["Noord", "Zuid"]);
    assert!(config.core.settings.roster.has_both_kinds());

    let too_long = "x".repeat(49);
    let path = example_with(dir.path(), |t| {
        t.replace(
            "units = []",
            &format!("units = [\"Noord\", \"noord\", \"~a\", \"{too_long}\"]"),
        )
        .replace("regions = []", "regions = [\"West\"]")
    });
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    for expected in [
        "organisation.units: `noord` is listed twice".to_string(),
        "organisation.units: `~a` must be 1 to 48 bytes long and contain no `~`".to_string(),
        format!("organisation.units: `{too_long}` must be 1 to 48 bytes long"),
        "@anna:example.org serves region `West`, which is not in organisation.units".to_string(),
    ] {
        assert!(
            problems.contains(&expected),
            "missing `{expected}` in:\n{problems}"
        );
    }
}
