//! Locale completeness: every text the code or a dialog uses exists in every language, and
//! no language carries a text nobody uses. Languages are whatever folders `locales/` holds.

use std::collections::BTreeSet;
use std::path::Path;

use crate::core::dialog::{Dialogs, load_dir, text_keys_of, validate};
use crate::core::text_keys;
use crate::i18n::{Catalog, Lang};

/// Every id used by Rust code (`text_keys.rs`) and by any dialog file.
fn used_ids(dialogs: &Dialogs) -> BTreeSet<String> {
    let mut used: BTreeSet<String> = text_keys::ALL
        .iter()
        .flat_map(|group| group.iter().map(|k| (*k).to_owned()))
        .collect();
    for dialog in dialogs.by_id.values() {
        used.extend(text_keys_of(dialog).into_iter().map(|(_, key)| key));
    }
    used
}

/// One line per gap: `<lang>: missing <id>` or `<lang>: unused <id>`.
fn gaps(locales: &Path, dialogs: &Path) -> Vec<String> {
    let catalog = Catalog::load(locales, Lang::new("nl")).expect("locales load");
    let dialogs = load_dir(dialogs).expect("dialogs load");
    let used = used_ids(&dialogs);
    let mut gaps = Vec::new();
    for lang in catalog.languages() {
        let present = catalog.message_ids(&lang);
        gaps.extend(
            used.difference(&present)
                .map(|id| format!("{lang}: missing {id}")),
        );
        gaps.extend(
            present
                .difference(&used)
                .map(|id| format!("{lang}: unused {id}")),
        );
    }
    gaps
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch copy of the shipped locales and dialogs, to break on purpose.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["locales/nl", "locales/en", "dialogs"] {
        let from = root().join(sub);
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).expect("mkdir");
        for entry in std::fs::read_dir(&from).expect("read") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

#[test]
fn every_used_text_exists_in_every_language_and_none_is_unused() {
    let gaps = gaps(&root().join("locales"), &root().join("dialogs"));
    assert!(gaps.is_empty(), "{gaps:#?}");
}

#[test]
fn a_missing_and_an_unused_text_are_both_caught() {
    let dir = scratch();
    let en = dir.path().join("locales/en/intake.ftl");
    let text = std::fs::read_to_string(&en).expect("read");
    let text =
        text.replace("intake-since = Since when?\n", "") + "intake-leftover = Nobody asks this.\n";
    std::fs::write(&en, text).expect("write");
    let gaps = gaps(&dir.path().join("locales"), &dir.path().join("dialogs"));
    assert_eq!(
        gaps,
        vec!["en: missing intake-since", "en: unused intake-leftover"]
    );
}

#[test]
fn a_third_language_is_one_new_folder() {
    let dir = scratch();
    let de = dir.path().join("locales/de");
    std::fs::create_dir(&de).expect("mkdir");
    for entry in std::fs::read_dir(dir.path().join("locales/en")).expect("read") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, de.join(path.file_name().expect("name"))).expect("copy");
    }
    let catalog = Catalog::load(&dir.path().join("locales"), Lang::new("nl")).expect("load");
    assert!(catalog.has_language(&Lang::new("de")));
    assert!(gaps(&dir.path().join("locales"), &dir.path().join("dialogs")).is_empty());
    let dialogs = load_dir(&dir.path().join("dialogs")).expect("dialogs");
    let intake = &dialogs.by_id["intake"];
    assert!(validate(intake, &dialogs.file_of("intake"), &catalog).is_empty());

    // The new folder is held to the same standard: a gap in it stops start-up.
    let file = de.join("intake.ftl");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("intake-since = Since when?\n", "")).expect("write");
    let catalog = Catalog::load(&dir.path().join("locales"), Lang::new("nl")).expect("load");
    let problems: Vec<String> = validate(intake, &dialogs.file_of("intake"), &catalog)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .ends_with("intake.toml: step `since`: text `intake-since` is missing from locales/de"),
        "{problems:#?}"
    );
}
