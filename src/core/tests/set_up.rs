//! Intake questions that depend on the organisation's set-up: internal or external only
//! when both kinds of counsellor exist, the unit question only when units are configured
//! (its options are the configured names, picked by button, number or word).

use super::support::*;
use crate::core::settings::CounsellorKind;
use crate::core::*;

/// Answers up to and including the question about others being affected.
fn reach_others_affected(w: &mut World, me: &ReporterAddress) {
    w.say(me, "/start");
    w.choose(me, "continue");
    w.choose(me, "no");
    w.choose(me, "bullying");
    for step in ["ongoing", "since", "relation", "others-affected"] {
        w.press(me, &format!("{step}:~skip"));
    }
}

fn at_step(w: &World, me: &ReporterAddress) -> String {
    w.case_of(me)
        .and_then(|c| c.dialog.as_ref())
        .map(|d| d.step.clone())
        .unwrap_or_default()
}

#[test]
fn internal_or_external_is_not_asked_when_all_counsellors_are_internal() {
    let mut w = World::new();
    w.core.settings.roster.counsellors[1].kind = CounsellorKind::Internal;
    let me = telegram(4001);
    reach_others_affected(&mut w, &me);
    w.press(&me, "wishes:~skip");
    w.press(&me, "counsellor-gender:~skip");
    assert_eq!(at_step(&w, &me), "exclude");
    let question = w.texts_to(&me).pop().unwrap();
    assert!(!question.contains("binnen de organisatie"), "{question}");

    // With both kinds on the roster the same answers lead to the question.
    let mut w = World::new();
    let me = telegram(4002);
    reach_others_affected(&mut w, &me);
    w.press(&me, "wishes:~skip");
    w.press(&me, "counsellor-gender:~skip");
    assert_eq!(at_step(&w, &me), "counsellor-kind");
}

#[test]
fn without_units_the_unit_question_is_passed_over() {
    let mut w = World::new();
    let me = telegram(4003);
    reach_others_affected(&mut w, &me);
    assert_eq!(at_step(&w, &me), "wishes");
    let case = w.submit_case(&telegram(4004), "verhaal");
    assert_eq!(case.answers.get("unit"), None);
}

#[test]
fn configured_units_are_offered_and_end_up_in_summary_assignment_and_registration() {
    let mut w = World::new();
    w.core.settings.units = vec!["Noord".into(), "Zuid & Oost".into()];
    w.core.settings.roster.counsellors[0].regions = vec!["Noord".into()];
    w.core.settings.roster.counsellors[1].regions = vec!["Zuid & Oost".into()];
    let me = telegram(4005);
    reach_others_affected(&mut w, &me);
    assert_eq!(at_step(&w, &me), "unit");
    let labels: Vec<String> = w.last_buttons(&me).into_iter().map(|b| b.label).collect();
    assert_eq!(labels, ["Noord", "Zuid & Oost", "Overslaan"]);
    w.choose(&me, "Zuid & Oost");
    assert_eq!(at_step(&w, &me), "wishes");
    for step in [
        "wishes",
        "counsellor-gender",
        "counsellor-kind",
        "exclude",
        "contact",
    ] {
        w.press(&me, &format!("{step}:~skip"));
    }
    w.say(&me, "verhaal");
    w.say(&me, "/done");
    w.choose(&me, "tally");
    let summary = w.texts_to(&me).pop().unwrap();
    assert!(
        summary.contains("Deel van de organisatie: Zuid & Oost"),
        "{summary}"
    );
    // The answer can be corrected from the summary like any other.
    w.choose(&me, "change");
    w.choose(&me, "~edit:unit");
    w.choose(&me, "Noord");
    let summary = w.texts_to(&me).pop().unwrap();
    assert!(
        summary.contains("Deel van de organisatie: Noord"),
        "{summary}"
    );
    w.choose(&me, "change");
    w.choose(&me, "~edit:unit");
    w.choose(&me, "Zuid & Oost");
    w.choose(&me, "send");

    let case = w.case_of(&me).unwrap().clone();
    assert_eq!(case.status, Status::Open);
    assert_eq!(
        case.counsellor.as_deref(),
        Some(BRAM),
        "Bram serves the unit"
    );
    let units: Vec<_> = w.registrations.values().map(|r| r.unit.clone()).collect();
    assert_eq!(units, [Some("Zuid & Oost".to_string())]);
}

#[test]
fn a_matrix_reporter_names_a_unit_by_number_or_by_word() {
    let mut w = World::new();
    w.core.settings.units = vec!["Noord".into(), "Zuid".into()];
    let by_number = matrix("!one:example.org");
    let by_word = matrix("!two:example.org");
    for (me, answer) in [(&by_number, "2"), (&by_word, "zuid")] {
        w.say(me, "hallo");
        w.say(me, "1");
        w.say(me, "nee");
        w.say(me, "pesten");
        for _ in 0..4 {
            w.say(me, "overslaan");
        }
        let question = w.texts_to(me).pop().unwrap();
        assert!(
            question.contains("1. Noord") && question.contains("2. Zuid"),
            "{question}"
        );
        w.say(me, answer);
        assert_eq!(w.case_of(me).unwrap().answers.choice("unit"), Some("Zuid"));
    }
}
