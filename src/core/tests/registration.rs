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

#[test]
fn time_is_registered_in_the_month_it_was_spent() {
    // Starts 2026-11-23 (Amsterdam); the last `!time` falls on 1 December, local time,
    // while in UTC it is still 30 November.
    let mut w = World::new();
    let case = w.submit_case(&telegram(42), "verhaal");
    w.counsellor_says(case.id, ANNA, "!time 45m");
    w.now = "2026-11-30T23:30:00Z".parse().unwrap();
    w.counsellor_says(case.id, ANNA, "!time 1h");
    let id = w.cases[&case.id].registration.unwrap();
    let record = w.registrations[&id].clone();
    assert_eq!(record.minutes, 105);
    assert_eq!(record.minutes_in("2026-11"), 45);
    assert_eq!(record.minutes_in("2026-12"), 60);
    assert_eq!(record.minutes_in("2027-01"), 0);
}

#[test]
fn time_kept_before_months_were_counted_stays_in_the_month_the_case_came_in() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(43), "verhaal");
    // A case as stored by an older version: minutes, no months.
    let mut old = w.cases[&case.id].clone();
    old.minutes_spent = 90;
    old.minutes_by_month.clear();
    let record = crate::core::registration::Registration::of(&old, &w.core.settings.timezone)
        .expect("submitted");
    assert_eq!(record.minutes_in("2026-11"), 90);
    // A record written before months were kept reads the same way.
    let mut older = record.clone();
    older.minutes_by_month.clear();
    assert_eq!(older.minutes_in("2026-11"), 90);
    assert_eq!(older.minutes_in("2026-12"), 0);
}
