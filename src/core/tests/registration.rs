//! Every submitted case has one anonymous registration record that follows the case and
//! outlives it, and holds nothing that leads back to the reporter.

use super::support::*;
use crate::core::*;

#[test]
fn an_abandoned_intake_is_not_registered() {
    let mut w = World::new();
    let me = telegram(40);
    w.say(&me, "/start");
    w.say(&me, "/stop");
    assert!(w.registrations.is_empty());
}

#[test]
fn a_submitted_case_is_registered_once_and_followed() {
    let mut w = World::new();
    let me = telegram(41);
    let case = w.submit_case(&me, "Mijn leidinggevende Kees schreeuwt elke dag.");
    assert_eq!(w.registrations.len(), 1);
    let id = case.registration.expect("the case knows its record");
    let record = w.registrations[&id].clone();
    assert_eq!((record.year, record.month), (2026, 11));
    assert_eq!(record.category.as_deref(), case.answers.choice("category"));
    assert_eq!(record.promise_kept, None);
    assert_eq!(record.outcome, None);

    w.input(Input::Counsellor {
        case: case.id,
        sender: ANNA.into(),
        text: "Hoi, ik ben Anna.".into(),
        meta: Default::default(),
    });
    assert_eq!(w.registrations.len(), 1, "updated, not added");
    assert_eq!(w.registrations[&id].promise_kept, Some(true));

    // Nothing in the record names the case, the reporter or what they said.
    let stored = serde_json::to_string(&w.registrations[&id]).unwrap();
    for secret in [
        case.token.to_string(),
        hex::encode(case.id.0),
        "Kees".to_owned(),
        "41".to_owned(),
        ANNA.to_owned(),
    ] {
        assert!(!stored.contains(&secret), "{secret} in {stored}");
    }
}
