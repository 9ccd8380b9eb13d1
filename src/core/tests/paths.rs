//! Every path through the shipped intake, in every language: each option of each question
//! (and each skip) is chosen once in a run that goes on to a submitted case, and the
//! answer shows in the reporter's summary in the reporter's language.
//! The set-up has units and both kinds of counsellor, so no question is passed over.

use super::support::*;
use crate::core::dialog::{Action, Answer, StepKind};
use crate::core::text_keys;
use crate::core::*;
use crate::i18n::Args;

/// What to answer at one step: the option id (or `~skip`) under test, if this is its step.
struct Pick<'a> {
    step: &'a str,
    choice: &'a str,
}

/// Runs one intake to submission, answering `pick` at its step and a default elsewhere.
/// Returns the case and the summary text the reporter saw.
fn run(lang: &str, pick: &Pick<'_>, chat: i64) -> (Case, String) {
    let mut w = world();
    let me = telegram(chat);
    w.say(&me, "/start");
    if lang != "nl" {
        w.choose(&me, "language");
        w.choose(&me, &format!("~lang:{lang}"));
    }
    let mut summary = String::new();
    for _ in 0..60 {
        let case = w.case_of(&me).expect("case").clone();
        let Some(at) = case.dialog.clone() else {
            assert_eq!(case.status, Status::Open, "ended without submitting");
            return (case, summary);
        };
        let dialog = &w.core.dialogs.by_id[&at.dialog];
        let step = dialog
            .steps
            .iter()
            .find(|s| s.id == at.step)
            .expect("step")
            .clone();
        // The advice path's steps are reached by asking advice at the welcome.
        if step.id == "welcome" && pick.step.starts_with("advice-") {
            w.choose(&me, "advice");
            continue;
        }
        if step.id == pick.step {
            w.choose(&me, pick.choice);
            if step.kind == StepKind::Multi && pick.choice != "~skip" {
                w.choose(&me, "~done");
            }
            continue;
        }
        let options = w
            .core
            .settings
            .dialog_facts()
            .options_of(&step)
            .into_owned();
        match step.kind {
            StepKind::Text => {
                w.say(&me, "Bram");
            }
            StepKind::Story => {
                w.say(&me, "Het verhaal.");
                w.choose(&me, "~done");
            }
            StepKind::Multi => {
                w.choose(&me, &options[0].id);
                w.choose(&me, "~done");
            }
            StepKind::Summary => {
                summary = w.texts_to(&me).pop().expect("summary");
                w.choose(&me, "send");
            }
            _ => {
                let first = options
                    .iter()
                    .find(|o| !matches!(o.action, Some(Action::Language | Action::Refer)))
                    .expect("an option");
                w.choose(&me, &first.id);
            }
        }
    }
    panic!("the intake did not end");
}

#[test]
fn every_option_of_every_question_leads_to_a_submitted_case_in_every_language() {
    let w = world();
    let facts = w.core.settings.dialog_facts();
    let intake = w.core.dialogs.by_id["intake"].clone();
    let catalog = w.core.catalog.clone();
    let mut runs = 0;
    for lang in catalog.languages() {
        for step in intake.steps.iter().filter(|s| s.waits()) {
            let mut choices: Vec<String> = facts
                .options_of(step)
                .iter()
                .filter(|o| o.action.is_none())
                .map(|o| o.id.clone())
                .collect();
            if step.skippable {
                choices.push("~skip".into());
            }
            for choice in &choices {
                // Someone accused is referred, not given a case (`roles.rs`).
                if (step.id.as_str(), choice.as_str()) == ("welcome", "accused") {
                    continue;
                }
                runs += 1;
                let pick = Pick {
                    step: &step.id,
                    choice,
                };
                let (case, summary) = run(lang.as_str(), &pick, runs);
                assert_eq!(case.lang, lang);
                let answer = case.answers.get(step.answer_name());
                let Some(label_key) = &step.summary else {
                    continue;
                };
                let label = catalog.render(&lang, label_key, &Args::new());
                let options = facts.options_of(step);
                let option = options.iter().find(|o| &o.id == choice);
                let shown = match (answer, option) {
                    (Some(Answer::Skipped), _) => {
                        catalog.render(&lang, text_keys::DIALOG_SKIPPED, &Args::new())
                    }
                    (Some(Answer::Choice(_) | Answer::Choices(_)), Some(option))
                        if option.literal_label =>
                    {
                        option.label.clone()
                    }
                    (Some(Answer::Choice(_) | Answer::Choices(_)), Some(option)) => {
                        catalog.render(&lang, &option.label, &Args::new())
                    }
                    (other, _) => {
                        panic!("{lang} {}:{choice}: unexpected answer {other:?}", step.id)
                    }
                };
                assert!(
                    summary.contains(&label) && summary.contains(&shown),
                    "{lang} {}:{choice}: summary lacks `{label}` / `{shown}`:\n{summary}",
                    step.id
                );
            }
        }
    }
    assert!(runs > 80, "only {runs} runs");
}

/// The test set-up plus units, so that every question of the shipped intake is asked.
fn world() -> World {
    let mut w = World::new();
    w.core.settings.units = vec!["Noord".into(), "Zuid".into()];
    w
}
