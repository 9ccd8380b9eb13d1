//! Who gets a new case: the reporter's preferences and exclusions, caps, absences, and
//! the honest fallback to the coordinator.

use super::support::*;
use crate::core::dialog::Answer;
use crate::core::settings::CounsellorKind;

fn choice(value: &str) -> Answer {
    Answer::Choice(value.into())
}

#[test]
fn the_least_loaded_counsellor_gets_the_case() {
    let mut w = World::new();
    let first = w.submit_case(&telegram(80), "een");
    let second = w.submit_case(&telegram(81), "twee");
    let third = w.submit_case(&telegram(82), "drie");
    assert_eq!(first.counsellor.as_deref(), Some(ANNA));
    assert_eq!(second.counsellor.as_deref(), Some(BRAM));
    assert_eq!(third.counsellor.as_deref(), Some(ANNA));
    assert_eq!(first.members, vec![ANNA.to_string()]);
}

#[test]
fn a_gender_preference_is_followed() {
    let mut w = World::new();
    let case = w.submit_with(&telegram(83), |c| {
        c.answers.set("counsellor-gender", choice("male"))
    });
    assert_eq!(case.counsellor.as_deref(), Some(BRAM));
    let case = w.submit_with(&telegram(84), |c| {
        c.answers.set("counsellor-gender", choice("no-preference"))
    });
    assert_eq!(case.counsellor.as_deref(), Some(ANNA));
}

#[test]
fn an_excluded_counsellor_is_never_chosen() {
    let mut w = World::new();
    let case = w.submit_with(&telegram(85), |c| {
        c.answers.set(
            "exclude",
            Answer::Text("Liever niet anna, zij kent hem.".into()),
        )
    });
    assert_eq!(case.counsellor.as_deref(), Some(BRAM));
    assert!(!case.members.contains(&ANNA.to_string()));
}

#[test]
fn no_one_fits_goes_to_the_coordinator_and_the_reporter_is_told() {
    let mut w = World::new();
    let me = telegram(86);
    // Anna is internal and female, Bram external and male.
    let case = w.submit_with(&me, |c| {
        c.answers.set("counsellor-kind", choice("internal"));
        c.answers.set("counsellor-gender", choice("male"));
    });
    assert_eq!(case.counsellor.as_deref(), Some(CARLA));
    let told = w.texts_to(&me);
    assert!(
        told.iter()
            .any(|t| t.contains("past op dit moment bij uw voorkeuren")),
        "{told:#?}"
    );
    assert!(
        w.room_posts(case.id)
            .iter()
            .any(|p| p.text.contains("coördinator"))
    );
}

#[test]
fn an_excluded_coordinator_gives_way_to_the_backup() {
    let mut w = World::new();
    let case = w.submit_with(&telegram(87), |c| {
        c.answers
            .set("exclude", Answer::Text("Anna, Bram en Carla".into()))
    });
    assert_eq!(case.counsellor.as_deref(), Some(DIRK));
}

#[test]
fn full_counsellors_are_passed_over() {
    let mut w = World::new();
    for c in &mut w.core.settings.roster.counsellors {
        c.max_open_cases = 1;
    }
    assert_eq!(
        w.submit_case(&telegram(88), "een").counsellor.as_deref(),
        Some(ANNA)
    );
    assert_eq!(
        w.submit_case(&telegram(89), "twee").counsellor.as_deref(),
        Some(BRAM)
    );
    assert_eq!(
        w.submit_case(&telegram(90), "drie").counsellor.as_deref(),
        Some(CARLA)
    );
}

#[test]
fn internal_or_external_is_followed() {
    let mut w = World::new();
    let case = w.submit_with(&telegram(91), |c| {
        c.answers.set("counsellor-kind", choice("external"))
    });
    assert_eq!(case.counsellor.as_deref(), Some(BRAM));
    w.core.settings.roster.counsellors[0].kind = CounsellorKind::External;
    let case = w.submit_with(&telegram(93), |c| {
        c.answers.set("counsellor-kind", choice("internal"))
    });
    assert_eq!(case.counsellor.as_deref(), Some(CARLA));
}

#[test]
fn a_counsellor_serving_the_reporters_unit_is_preferred_but_not_required() {
    let mut w = World::new();
    w.core.settings.units = vec!["Noord".into(), "Zuid".into()];
    w.core.settings.roster.counsellors[0].regions = vec!["Noord".into()];
    w.core.settings.roster.counsellors[1].regions = vec!["Zuid".into()];
    let from_south = |c: &mut crate::core::Case| c.answers.set("unit", choice("Zuid"));
    // Anna has fewer cases after this one goes to Bram, yet Zuid goes to Bram again.
    assert_eq!(
        w.submit_with(&telegram(94), from_south)
            .counsellor
            .as_deref(),
        Some(BRAM)
    );
    assert_eq!(
        w.submit_with(&telegram(95), from_south)
            .counsellor
            .as_deref(),
        Some(BRAM)
    );
    // Bram is full: someone else who fits beats the coordinator.
    w.core.settings.roster.counsellors[1].max_open_cases = 2;
    assert_eq!(
        w.submit_with(&telegram(96), from_south)
            .counsellor
            .as_deref(),
        Some(ANNA)
    );
}

#[test]
fn the_case_language_must_be_spoken() {
    let mut w = World::new();
    w.core.settings.roster.counsellors[0].languages = vec![crate::i18n::Lang::new("nl")];
    let case = w.submit_with(&telegram(92), |c| c.lang = crate::i18n::Lang::new("en"));
    assert_eq!(case.counsellor.as_deref(), Some(BRAM));
}
