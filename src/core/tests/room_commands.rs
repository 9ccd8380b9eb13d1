//! Counsellors' `!commands` in a case room: what each does, that none reaches the
//! reporter unless it says so, and who may use them.

use super::support::*;
use crate::core::time::SignedDuration;
use crate::core::*;

fn last_notice(w: &World, case: CaseId) -> String {
    w.room_posts(case).pop().expect("a notice").text
}

#[test]
fn status_shows_the_case_at_a_glance() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(100), "verhaal");
    w.now += SignedDuration::from_hours(5);
    w.counsellor_says(case.id, ANNA, "!status");
    let status = last_notice(&w, case.id);
    for expected in [
        case.token.as_str(),
        "Pesten",
        "0 dagen en 5 uur",
        "nog 43 uur",
        ANNA,
    ] {
        assert!(status.contains(expected), "{expected} in {status}");
    }
}

#[test]
fn notes_stay_in_the_transcript_and_never_reach_the_reporter() {
    let mut w = World::new();
    let me = telegram(101);
    let case = w.submit_case(&me, "verhaal");
    let before = w.texts_to(&me).len();
    w.counsellor_says(case.id, ANNA, "!note lijkt op eerdere melding in team B");
    w.counsellor_says(case.id, ANNA, "!note");
    assert_eq!(w.texts_to(&me).len(), before);
    assert!(last_notice(&w, case.id).starts_with("Gebruik: !note"));
    let note = w.transcript[&case.id].last().unwrap().clone();
    assert_eq!(note.author, Author::Note(ANNA.into()));
    assert_eq!(note.text, "lijkt op eerdere melding in team B");
}

#[test]
fn escalate_needs_a_reason_and_then_brings_in_the_coordinator() {
    let mut w = World::new();
    let me = telegram(102);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!escalate");
    assert!(last_notice(&w, case.id).starts_with("Gebruik: !escalate"));
    w.counsellor_says(case.id, ANNA, "!escalate ernstige bedreiging");
    assert!(invited(&w, case.id, CARLA));
    assert!(last_notice(&w, case.id).contains("antwoorden uit het intakegesprek"));
    let notice = w
        .room_posts(case.id)
        .into_iter()
        .rev()
        .nth(1)
        .expect("the escalation notice")
        .text;
    assert!(
        notice.contains("ernstige bedreiging") && notice.contains(CARLA),
        "{notice}"
    );
    assert!(w.texts_to(&me).last().unwrap().contains("Carla"));
    assert!(w.cases[&case.id].escalated);
    // The coordinator, now a member, may steer the case.
    w.counsellor_says(case.id, CARLA, "!status");
    assert!(last_notice(&w, case.id).contains(case.token.as_str()));
}

#[test]
fn handover_invites_the_new_counsellor_and_the_old_one_leaves_when_they_speak() {
    let mut w = World::new();
    let me = telegram(103);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!handover @nobody:example.org");
    assert!(
        last_notice(&w, case.id).contains(BRAM),
        "the usage names who can take it"
    );
    w.counsellor_says(case.id, ANNA, &format!("!handover {BRAM}"));
    assert!(invited(&w, case.id, BRAM));
    assert_eq!(w.cases[&case.id].counsellor.as_deref(), Some(BRAM));
    assert_eq!(w.shared.load_of(ANNA), 0);
    assert_eq!(w.shared.load_of(BRAM), 1);
    assert!(!w.sent.iter().any(|o| matches!(o, Output::Remove { .. })));
    w.counsellor_says(case.id, BRAM, "Hallo, ik neem het over van Anna.");
    assert!(w.sent.contains(&Output::Remove {
        case: case.id,
        user: ANNA.into()
    }));
    assert_eq!(
        w.texts_to(&me).last().unwrap(),
        "Bram: Hallo, ik neem het over van Anna."
    );
    // Anna, no longer a member, cannot steer or speak.
    let before = w.texts_to(&me).len();
    let refused = w.counsellor_says(case.id, ANNA, "nog één ding");
    assert!(refused.refused);
    assert_eq!(w.texts_to(&me).len(), before);
}

#[test]
fn time_adds_up_for_the_registration() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(104), "verhaal");
    w.counsellor_says(case.id, ANNA, "!time 45m");
    w.counsellor_says(case.id, ANNA, "!time 1h30m");
    w.counsellor_says(case.id, ANNA, "!time lang");
    assert!(last_notice(&w, case.id).starts_with("Gebruik: !time"));
    assert_eq!(w.cases[&case.id].minutes_spent, 135);
    let record = &w.registrations[&w.cases[&case.id].registration.unwrap()];
    assert_eq!(record.minutes, 135);
}

#[test]
fn close_needs_a_known_outcome_and_reopen_undoes_it() {
    let mut w = World::new();
    let me = telegram(105);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!close");
    assert!(last_notice(&w, case.id).contains("listening-ear, advice"));
    w.counsellor_says(case.id, ANNA, "!close mediation");
    assert_eq!(w.cases[&case.id].status, Status::Closed);
    assert_eq!(w.shared.load_of(ANNA), 0);
    assert!(w.texts_to(&me).last().unwrap().contains("afgesloten"));
    w.counsellor_says(case.id, ANNA, "!reopen");
    assert_eq!(w.cases[&case.id].status, Status::Open);
    assert_eq!(w.shared.load_of(ANNA), 1);
}

#[test]
fn strangers_and_outsiders_are_refused_and_it_is_noted() {
    let mut w = World::new();
    let me = telegram(106);
    let case = w.submit_case(&me, "verhaal");
    let before = w.texts_to(&me).len();
    let stranger = w.counsellor_says(case.id, "@mallory:example.org", "!close advice");
    assert!(stranger.refused);
    assert!(last_notice(&w, case.id).contains("niet doorgegeven"));
    let outsider = w.counsellor_says(case.id, BRAM, "!close advice");
    assert!(outsider.refused);
    assert!(last_notice(&w, case.id).contains("geen vertrouwenspersoon van deze melding"));
    assert_eq!(w.cases[&case.id].status, Status::Open);
    assert_eq!(w.texts_to(&me).len(), before);
}

#[test]
fn typos_get_the_nearest_command() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(107), "verhaal");
    w.counsellor_says(case.id, ANNA, "!stauts");
    assert!(last_notice(&w, case.id).contains("Bedoelt u !status?"));
    w.counsellor_says(case.id, ANNA, "!xyzzy");
    assert!(!last_notice(&w, case.id).contains("Bedoelt"));
}

fn invited(w: &World, case: CaseId, who: &str) -> bool {
    w.sent
        .iter()
        .any(|o| matches!(o, Output::Invite { case: c, user, .. } if *c == case && user == who))
}
