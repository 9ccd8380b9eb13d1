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
    assert_eq!(config.service.first().settings.roster.counsellors.len(), 2);
    assert_eq!(
        config.service.first().settings.first_contact,
        jiff::SignedDuration::from_hours(48)
    );
    assert_eq!(
        config.service.first().settings.intake_expiry,
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
    let privacy = &config.service.first().settings.privacy;
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
    let reminders = &config.service.first().settings.reminders;
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
    let files = &config.service.first().settings.files;
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
    assert_eq!(config.service.first().settings.units, ["Noord", "Zuid"]);
    assert!(config.service.first().settings.roster.has_both_kinds());

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

/// The example config with its `[organisation]` table replaced by `blocks`.
fn several(dir: &Path, blocks: &str) -> std::path::PathBuf {
    example_with(dir, |t| {
        // The table's own line (the comments above it name `[[organisation]]` too).
        let start = t.find("\n[organisation]\n").unwrap() + 1;
        let end = t.find("[storage]").unwrap();
        format!("{}{blocks}\n{}", &t[..start], &t[end..])
    })
}

const TWO_ORGANISATIONS: &str = r#"
[[organisation]]
id = "acme"
name = "Acme BV"
code = "acme-Qx7fK2pLm9Zr4TwB"
units = ["Noord", "Zuid"]
counsellors = ["@anna:example.org"]
hr_room = "!hr-acme:example.org"
[organisation.numbers]
legal_advice = "0900-1111"
[organisation.privacy]
report_threshold = 3

[[organisation]]
id = "beta"
name = "Beta Zorg"
code = "beta-8HsN3vQw5YcJ1uEd"
default_language = "en"
counsellors = ["@anna:example.org", "@bram:example.org"]
[organisation.coordinator]
matrix_id = "@dora:example.org"
first_name = "Dora"
"#;

#[test]
fn several_organisations_resolve_each_with_its_own_roster_numbers_and_privacy() {
    let dir = tempfile::tempdir().unwrap();
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    let path = several(dir.path(), TWO_ORGANISATIONS);
    let config = load_with_env(&path, &env_with_secrets).unwrap_or_else(|p| panic!("{p}"));
    let service = &config.service;
    assert!(service.serves_several());
    let acme = service.by_id("acme").expect("acme");
    let beta = service.by_id("beta").expect("beta");
    let ids = |core: &crate::core::Core| -> Vec<String> {
        core.settings
            .roster
            .everyone()
            .map(|c| c.matrix_id.clone())
            .collect()
    };
    // Acme: Anna, and the shared [coordinator]; Beta: Anna, Bram and its own coordinator.
    assert_eq!(ids(acme), ["@anna:example.org", "@coordinator:example.org"]);
    assert_eq!(
        ids(beta),
        [
            "@anna:example.org",
            "@bram:example.org",
            "@dora:example.org"
        ]
    );
    assert_eq!(acme.settings.code.as_deref(), Some("acme-Qx7fK2pLm9Zr4TwB"));
    assert_eq!(acme.settings.units, ["Noord", "Zuid"]);
    assert!(beta.settings.units.is_empty());
    assert_eq!(acme.settings.privacy.report_threshold, 3);
    assert_eq!(beta.settings.privacy.report_threshold, 5);
    assert_eq!(beta.settings.default_lang.as_str(), "en");
    assert_eq!(
        acme.settings.hr_room.as_deref(),
        Some("!hr-acme:example.org")
    );
    assert_eq!(beta.settings.hr_room, None);
    // Acme's own number replaces the dialog's; Beta keeps the dialog's.
    let number = |core: &crate::core::Core| {
        core.dialogs
            .by_id
            .values()
            .find_map(|d| d.numbers.get("legal_advice").cloned())
    };
    assert_eq!(number(acme).as_deref(), Some("0900-1111"));
    assert_eq!(number(beta).as_deref(), Some("0900-8020"));
    // The Matrix side knows everyone once.
    assert_eq!(service.roster().everyone().count(), 4);
}

#[test]
fn several_organisations_need_ids_codes_and_known_counsellors() {
    let dir = tempfile::tempdir().unwrap();
    let path = several(
        dir.path(),
        r#"
[[organisation]]
name = "Acme BV"
code = "short"
counsellors = ["@nobody:example.org"]
[organisation.numbers]
fax = "1"

[[organisation]]
id = "Beta Zorg"
name = "Beta"
code = "beta-8HsN3vQw5YcJ1uEd"
counsellors = ["@bram:example.org", "@bram:example.org"]

[[organisation]]
id = "gamma"
name = "Gamma"
code = "beta-8HsN3vQw5YcJ1uEd"
counsellors = ["@bram:example.org"]
"#,
    );
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    for expected in [
        "organisation[0].id: is required when there are several organisations",
        "organisation[0].code: `short` must be 16 to 64 of A-Z, a-z, 0-9, _ and -",
        "organisation[0].counsellors: @nobody:example.org has no [[counsellor]] block",
        "organisation[0].numbers: `fax` is not a number the dialogs use",
        "organisation[1].id: `Beta Zorg` must be 1 to 32 of a-z, 0-9 and -",
        "organisation[1].counsellors: @bram:example.org is listed twice",
        "organisation.code: two organisations have the same code",
    ] {
        assert!(
            problems.contains(expected),
            "missing `{expected}` in:\n{problems}"
        );
    }
}

#[test]
fn a_counsellor_for_the_accused_is_kept_apart_from_the_organisations_own() {
    let dir = tempfile::tempdir().unwrap();
    crate::crypto::MasterKey::generate()
        .write_new(&dir.path().join("master.key"))
        .unwrap();
    // One organisation without a list: Bram serves the accused, so only Anna the others.
    let path = example_with(dir.path(), |t| {
        t.replacen(
            "units = []",
            "units = []\naccused_counsellor = \"@bram:example.org\"",
            1,
        )
    });
    let config = load_with_env(&path, &env_with_secrets).unwrap_or_else(|p| panic!("{p}"));
    let settings = &config.service.first().settings;
    let ids = |r: &crate::core::settings::Roster| -> Vec<String> {
        r.counsellors.iter().map(|c| c.matrix_id.clone()).collect()
    };
    assert_eq!(ids(&settings.roster), ["@anna:example.org"]);
    let accused = settings
        .accused_roster
        .as_ref()
        .expect("a roster for the accused");
    assert_eq!(ids(accused), ["@bram:example.org"]);
    assert_eq!(accused.coordinator, settings.roster.coordinator);

    // Several organisations: one that lists Bram for its reporters cannot give him the
    // accused too, and an unknown id is named.
    let path = several(
        dir.path(),
        &TWO_ORGANISATIONS
            .replacen(
                "hr_room = \"!hr-acme:example.org\"",
                "accused_counsellor = \"@nobody:example.org\"",
                1,
            )
            .replacen(
                "default_language = \"en\"",
                "accused_counsellor = \"@bram:example.org\"",
                1,
            ),
    );
    let problems = load_with_env(&path, &env_with_secrets)
        .err()
        .expect("problems")
        .to_string();
    for expected in [
        "organisation[0].accused_counsellor: @nobody:example.org has no [[counsellor]] block",
        "organisation[1].accused_counsellor: @bram:example.org also counsels this organisation's reporters",
    ] {
        assert!(
            problems.contains(expected),
            "missing `{expected}` in:\n{problems}"
        );
    }
}
