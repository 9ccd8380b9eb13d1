//! The dialog checks run by `check-config` and at start-up, each rule broken on purpose in
//! a copy of the shipped intake: the problem names the file, the step and what is wrong.

use std::path::Path;

use crate::core::dialog::{Dialog, validate};
use crate::i18n::{Catalog, Lang};

fn shipped() -> Dialog {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("dialogs/intake.toml")).expect("read");
    toml::from_str(&text).expect("parses")
}

fn problems(dialog: &Dialog) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&root.join("locales"), Lang::new("nl")).expect("locales");
    validate(dialog, Path::new("dialogs/intake.toml"), &catalog)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn step<'d>(dialog: &'d mut Dialog, id: &str) -> &'d mut crate::core::dialog::Step {
    dialog
        .steps
        .iter_mut()
        .find(|s| s.id == id)
        .expect("step exists")
}

#[test]
fn the_shipped_intake_has_no_problems() {
    assert_eq!(problems(&shipped()), Vec::<String>::new());
}

#[test]
fn a_loop_that_never_ends_is_refused() {
    let mut dialog = shipped();
    step(&mut dialog, "consent").next = Some("story".into());
    let found = problems(&dialog);
    for id in ["story", "consent"] {
        let wanted = format!(
            "dialogs/intake.toml: step `{id}`: no end can be reached from this step (the dialog would never finish)"
        );
        assert!(found.contains(&wanted), "{found:#?}");
    }
    assert!(
        found.contains(
            &"dialogs/intake.toml: step `confirm`: this step cannot be reached from `start`"
                .to_string()
        ),
        "{found:#?}"
    );
}

#[test]
fn a_choice_without_a_target_is_refused() {
    let mut dialog = shipped();
    step(&mut dialog, "ongoing").next = None;
    let found = problems(&dialog);
    assert!(
        found.contains(
            &"dialogs/intake.toml: step `ongoing`: option `yes` has no target: give it `next` or give the step `next`"
                .to_string()
        ),
        "{found:#?}"
    );
}

#[test]
fn a_text_missing_from_a_language_is_refused_for_each_language() {
    let mut dialog = shipped();
    step(&mut dialog, "since").options[0].label = "intake-since-yesterday".into();
    let found = problems(&dialog);
    assert_eq!(
        found,
        vec![
            "dialogs/intake.toml: step `since`: text `intake-since-yesterday` is missing from locales/en",
            "dialogs/intake.toml: step `since`: text `intake-since-yesterday` is missing from locales/nl",
        ]
    );
}

#[test]
fn options_from_the_configuration_only_suit_choices_and_a_passable_step_needs_next() {
    let mut dialog = shipped();
    let story = step(&mut dialog, "story");
    story.options_from = Some(crate::core::dialog::OptionSource::Units);
    let unit = step(&mut dialog, "unit");
    unit.next = None;
    let found = problems(&dialog);
    for wanted in [
        "dialogs/intake.toml: step `story`: only choice and multi steps can take `options_from`",
        "dialogs/intake.toml: step `unit`: a step that may be passed over (`when`, `options_from`) needs `next`",
    ] {
        assert!(found.contains(&wanted.to_string()), "{found:#?}");
    }
    let mut dialog = shipped();
    step(&mut dialog, "counsellor-kind").next = None;
    let found = problems(&dialog);
    assert!(
        found.contains(&"dialogs/intake.toml: step `counsellor-kind`: a step that may be passed over (`when`, `options_from`) needs `next`".to_string()),
        "{found:#?}"
    );
}
