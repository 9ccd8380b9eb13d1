//! The 48-hour promise through the core, on virtual time: reminders at the right
//! moments, stopped by contact, escalation at the deadline, the whistleblower clocks,
//! absences, and the daily digest.

use super::support::*;
use crate::core::clocks::Promise;
use crate::core::dialog::Answer;
use crate::core::time::SignedDuration;
use crate::core::*;

const HOUR: SignedDuration = SignedDuration::from_hours(1);

fn reminders(w: &World, case: CaseId) -> Vec<RoomPost> {
    w.room_posts(case)
        .into_iter()
        .filter(|p| p.text.starts_with("Herinnering"))
        .collect()
}

fn invites(w: &World) -> Vec<(CaseId, String)> {
    w.sent
        .iter()
        .filter_map(|o| match o {
            Output::Invite { case, user, .. } => Some((*case, user.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn reminders_come_24_4_and_1_hours_before_and_mention_the_counsellor() {
    let mut w = World::new();
    let me = telegram(60);
    let case = w.submit_case(&me, "verhaal");
    w.advance(HOUR * 23);
    assert!(reminders(&w, case.id).is_empty(), "nothing before 24h left");
    w.advance(HOUR);
    let sent = reminders(&w, case.id);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].mentions, vec![ANNA.to_string()]);
    assert!(
        sent[0].text.contains(ANNA) && sent[0].text.contains("24 uur"),
        "{}",
        sent[0].text
    );
    w.advance(HOUR * 20);
    assert_eq!(reminders(&w, case.id).len(), 2);
    assert!(reminders(&w, case.id)[1].text.contains("4 uur"));
    w.advance(HOUR * 3);
    assert_eq!(reminders(&w, case.id).len(), 3);
    assert!(invites(&w).is_empty(), "no escalation before the deadline");
}

#[test]
fn contact_stops_the_clock_and_nothing_more_is_sent() {
    let mut w = World::new();
    let me = telegram(61);
    let case = w.submit_case(&me, "verhaal");
    w.advance(HOUR * 30);
    assert_eq!(reminders(&w, case.id).len(), 1);
    w.counsellor_says(case.id, ANNA, "Hoi, ik ben Anna.");
    let after = w.cases[&case.id].clone();
    assert!(after.clocks[&Promise::FirstContact].met_at.is_some());
    assert!(after.timers.is_empty(), "{:?}", after.timers);
    w.advance(HOUR * 100);
    assert_eq!(reminders(&w, case.id).len(), 1);
    assert!(invites(&w).is_empty());
    assert!(!w.cases[&case.id].deadline_missed);
}

#[test]
fn contacted_by_other_means_stops_the_clock_too() {
    let mut w = World::new();
    let me = telegram(62);
    let case = w.submit_case(&me, "verhaal");
    let before = w.texts_to(&me).len();
    w.counsellor_says(case.id, ANNA, "!contacted");
    assert_eq!(w.texts_to(&me).len(), before, "a command is never relayed");
    w.advance(HOUR * 100);
    assert!(reminders(&w, case.id).is_empty());
    assert!(invites(&w).is_empty());
}

#[test]
fn a_missed_deadline_escalates_tells_the_reporter_and_is_counted() {
    let mut w = World::new();
    let me = telegram(63);
    let case = w.submit_case(&me, "verhaal");
    w.advance(HOUR * 48);
    assert_eq!(invites(&w), vec![(case.id, CARLA.to_string())]);
    let mut posts = w.room_posts(case.id);
    // The coordinator, who cannot read what came before, gets the intake again.
    let summary = posts.pop().unwrap();
    assert!(
        summary.text.contains("antwoorden uit het intakegesprek")
            && summary.mentions == vec![CARLA.to_string()],
        "{summary:?}"
    );
    let escalated = posts.pop().unwrap();
    assert!(
        escalated.mentions.contains(&CARLA.to_string()),
        "{escalated:?}"
    );
    assert!(
        escalated.text.contains("termijn is gemist"),
        "{}",
        escalated.text
    );
    assert!(w.texts_to(&me).last().unwrap().contains("Het spijt ons"));
    let missed = w.cases[&case.id].clone();
    assert!(missed.deadline_missed && missed.escalated);
    let record = &w.registrations[&missed.registration.unwrap()];
    assert_eq!(record.promise_kept, Some(false));
    assert!(record.escalated);
    // Late contact still counts as contact, but the promise stays broken.
    w.counsellor_says(case.id, ANNA, "Sorry voor de vertraging.");
    assert_eq!(
        w.registrations[&missed.registration.unwrap()].promise_kept,
        Some(false)
    );
    w.advance(HOUR * 100);
    assert_eq!(invites(&w).len(), 1, "escalated once");
}

#[test]
fn downtime_gives_one_late_reminder_not_a_burst() {
    let mut w = World::new();
    let me = telegram(64);
    let case = w.submit_case(&me, "verhaal");
    // The bot was down from before the first reminder until 3 hours before the deadline:
    // the scheduler then finds one due timer.
    w.now += HOUR * 45;
    let due: Vec<TimerKind> = w.cases[&case.id]
        .timers
        .iter()
        .filter(|(_, at)| **at <= w.now)
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(due, vec![TimerKind::FirstContactReminder]);
    w.input(Input::Timer {
        case: case.id,
        kind: TimerKind::FirstContactReminder,
    });
    assert_eq!(reminders(&w, case.id).len(), 1);
    assert!(reminders(&w, case.id)[0].text.contains("3 uur"));
    // Firing the same timer again (a crash before the ack) changes nothing.
    let again = w.input(Input::Timer {
        case: case.id,
        kind: TimerKind::FirstContactReminder,
    });
    assert!(again.outputs.is_empty());
    assert_eq!(
        w.cases[&case.id].timers[&TimerKind::FirstContactReminder],
        case.submitted_at.unwrap() + HOUR * 47,
        "the next is the 1-hour reminder"
    );
}

#[test]
fn integrity_reports_run_the_whistleblower_clocks() {
    let mut w = World::new();
    let me = telegram(65);
    let case = w.submit_with(&me, |c| {
        c.answers
            .set("category", Answer::Choice("integrity".into()))
    });
    assert!(case.clocks.contains_key(&Promise::IntegrityAcknowledge));
    w.counsellor_says(case.id, ANNA, "!contacted");
    let acknowledged = w.cases[&case.id].clone();
    assert!(
        acknowledged.clocks[&Promise::IntegrityAcknowledge]
            .met_at
            .is_some()
    );
    let feedback = &acknowledged.clocks[&Promise::IntegrityFeedback];
    assert_eq!(feedback.due, w.now + SignedDuration::from_hours(91 * 24));
    w.advance(SignedDuration::from_hours(90 * 24));
    let reminder = reminders(&w, case.id).pop().expect("a feedback reminder");
    assert!(
        reminder.text.contains("terugkoppeling"),
        "{}",
        reminder.text
    );
    w.counsellor_says(case.id, ANNA, "!feedback");
    w.advance(SignedDuration::from_hours(10 * 24));
    assert!(invites(&w).is_empty());
}

#[test]
fn an_away_counsellor_s_case_is_escalated_early() {
    let mut w = World::new();
    let me = telegram(66);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!away until 2026-12-20");
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("afwezig tot")
    );
    w.advance(HOUR * 24);
    assert_eq!(invites(&w), vec![(case.id, CARLA.to_string())]);
    assert!(w.texts_to(&me).last().unwrap().contains("Carla"));
    // New cases route around her meanwhile.
    let other = w.submit_case(&telegram(67), "ander verhaal");
    assert_eq!(other.counsellor.as_deref(), Some(BRAM));
    w.counsellor_says(case.id, ANNA, "!back");
    let third = w.submit_case(&telegram(68), "derde");
    assert_eq!(
        third.counsellor.as_deref(),
        Some(ANNA),
        "back, and least loaded again"
    );
}
