//! Every path through the shipped intake, in every language: each option of each question
//! (and each skip) is chosen once in a run that goes on to a submitted case, and the
//! answer shows in the reporter's summary in the reporter's language.

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
    let mut w = World::new();
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
        if step.id == pick.step {
            w.choose(&me, pick.choice);
            if step.kind == StepKind::Multi && pick.choice != "~skip" {
                w.choose(&me, "~done");
            }
            continue;
        }
        match step.kind {
            StepKind::Text => {
                w.say(&me, "Bram");
            }
            StepKind::Story => {
                w.say(&me, "Het verhaal.");
                w.choose(&me, "~done");
            }
            StepKind::Multi => {
                w.choose(&me, &step.options[0].id);
                w.choose(&me, "~done");
            }
            StepKind::Summary => {
                summary = w.texts_to(&me).pop().expect("summary");
                w.choose(&me, "send");
            }
            _ => {
                let first = step
                    .options
                    .iter()
                    .find(|o| o.action != Some(Action::Language))
                    .expect("an option");
                w.choose(&me, &first.id);
            }
        }
    }
    panic!("the intake did not end");
}

#[test]
fn every_option_of_every_question_leads_to_a_submitted_case_in_every_language() {
    let w = World::new();
    let intake = w.core.dialogs.by_id["intake"].clone();
    let catalog = w.core.catalog.clone();
    let mut runs = 0;
    for lang in catalog.languages() {
        for step in intake.steps.iter().filter(|s| s.waits()) {
            let mut choices: Vec<String> = step
                .options
                .iter()
                .filter(|o| o.action.is_none())
                .map(|o| o.id.clone())
                .collect();
            if step.skippable {
                choices.push("~skip".into());
            }
            for choice in &choices {
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
                let shown_key = match (answer, step.option(choice)) {
                    (Some(Answer::Skipped), _) => text_keys::DIALOG_SKIPPED,
                    (Some(Answer::Choice(_) | Answer::Choices(_)), Some(option)) => &option.label,
                    (other, _) => {
                        panic!("{lang} {}:{choice}: unexpected answer {other:?}", step.id)
                    }
                };
                let shown = catalog.render(&lang, shown_key, &Args::new());
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
