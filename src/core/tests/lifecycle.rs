//! The privacy lifecycle through the core, on virtual time: consent, disclosure
//! questions, closing and aftercare, retention, withdrawal and wiping.

use super::support::*;
use crate::core::dialog::Answer;
use crate::core::time::SignedDuration;
use crate::core::*;

const DAY: SignedDuration = SignedDuration::from_hours(24);

fn set_consent(w: &mut World, me: &ReporterAddress, option: &str) {
    w.say(me, "/consent");
    w.choose(me, option);
}

#[test]
fn forget_asks_first_then_erases_and_tells_the_room() {
    let mut w = World::new();
    let me = telegram(50);
    let case = w.submit_case(&me, "Het gebeurde in het magazijn.");
    w.say(&me, "/forget");
    w.choose(&me, "keep");
    assert!(w.cases.contains_key(&case.id), "keeping keeps");
    w.say(&me, "/forget");
    let effects = w.choose(&me, "erase");
    assert!(matches!(effects.case, CaseChange::Erase(_)));
    assert!(!w.cases.contains_key(&case.id));
    let last = w.texts_to(&me).pop().unwrap();
    assert!(
        last.contains("gewist") && last.contains("Geschiedenis wissen"),
        "{last}"
    );
    let notice = w.room_posts(case.id).pop().unwrap();
    assert!(notice.text.contains("ingetrokken"), "{}", notice.text);
    assert_eq!(notice.mentions, vec![ANNA.to_string()]);
    // The anonymous count stays, as withdrawn.
    let record = &w.registrations[&case.registration.unwrap()];
    assert_eq!(record.outcome.as_deref(), Some("withdrawn"));
    // A later message starts afresh; nothing of the old case answers it.
    w.say(&me, "hallo");
    assert_ne!(w.case_of(&me).unwrap().id, case.id);
}

#[test]
fn consent_can_be_changed_later_and_the_counsellor_sees_it() {
    let mut w = World::new();
    let me = telegram(51);
    let case = w.submit_case(&me, "verhaal");
    set_consent(&mut w, &me, "dossier");
    assert_eq!(w.cases[&case.id].answers.choice("consent"), Some("dossier"));
    let notice = w.room_posts(case.id).pop().unwrap();
    assert!(notice.text.contains("Dossier bewaren"), "{}", notice.text);
    set_consent(&mut w, &me, "tally");
    assert_eq!(w.cases[&case.id].answers.choice("consent"), Some("tally"));
    // The question is over: words go to the counsellor again.
    w.say(&me, "nog iets");
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("nog iets")
    );
}

#[test]
fn a_share_request_is_asked_and_answered_nothing_shared() {
    let mut w = World::new();
    let me = telegram(52);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!share-request");
    assert!(w.texts_to(&me).last().unwrap().contains("HR"));
    w.choose(&me, "anonymous");
    assert_eq!(w.cases[&case.id].answers.choice("share"), Some("anonymous"));
    let notice = w.room_posts(case.id).pop().unwrap();
    assert!(notice.text.contains("Ja, maar anoniem"), "{}", notice.text);
}

#[test]
fn a_tally_case_loses_its_words_at_close_and_is_erased_after_goodbye() {
    let mut w = World::new();
    let me = telegram(53);
    let case = w.submit_case(&me, "Het woord van de melder.");
    w.counsellor_says(case.id, ANNA, "Dag, ik ben Anna.");
    w.counsellor_says(case.id, ANNA, "!close nonsense");
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("listening-ear")
    );
    let effects = w.counsellor_says(case.id, ANNA, "!close advice");
    assert!(
        effects.drop_transcript,
        "no consent for a dossier: words go at close"
    );
    let closed = w.cases[&case.id].clone();
    assert_eq!(closed.status, Status::Closed);
    assert!(closed.purged);
    assert!(
        !closed
            .answers
            .0
            .values()
            .any(|a| matches!(a, Answer::Story(_) | Answer::Text(_))),
        "{:?}",
        closed.answers
    );
    assert_eq!(
        closed.answers.choice("category"),
        case.answers.choice("category")
    );
    assert!(w.texts_to(&me).last().unwrap().contains("14 dagen"));
    w.choose(&me, "no-thanks");
    assert!(!w.cases.contains_key(&case.id), "nothing left to wait for");
    let record = &w.registrations[&case.registration.unwrap()];
    assert_eq!(record.outcome.as_deref(), Some("advice"));
    assert_eq!(record.promise_kept, Some(true));
}

#[test]
fn an_unanswered_closing_question_does_not_keep_a_case_for_ever() {
    let mut w = World::new();
    let me = telegram(54);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!close listening-ear");
    w.advance(DAY * 6);
    assert!(w.cases.contains_key(&case.id));
    w.advance(DAY * 2);
    assert!(!w.cases.contains_key(&case.id));
}

#[test]
fn a_dossier_is_kept_thirty_days_and_aftercare_comes_after_fourteen() {
    let mut w = World::new();
    let me = telegram(55);
    let case = w.submit_case(&me, "Het woord van de melder.");
    set_consent(&mut w, &me, "dossier");
    let effects = w.counsellor_says(case.id, ANNA, "!close advice");
    assert!(!effects.drop_transcript);
    w.choose(&me, "check-in");
    w.advance(DAY * 13);
    assert!(!w.texts_to(&me).last().unwrap().contains("Hoe gaat het"));
    w.advance(DAY * 2);
    assert!(
        w.texts_to(&me).last().unwrap().contains("Hoe gaat het"),
        "day 14"
    );
    w.choose(&me, "fine");
    assert!(
        !w.cases[&case.id].purged,
        "the dossier is kept until day 30"
    );
    w.advance(DAY * 14);
    assert!(w.cases.contains_key(&case.id));
    w.advance(DAY * 2);
    assert!(!w.cases.contains_key(&case.id), "erased after 30 days");
}

#[test]
fn aftercare_can_reopen_the_case() {
    let mut w = World::new();
    let me = telegram(56);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!close advice");
    w.choose(&me, "check-in");
    w.advance(DAY * 14);
    w.choose(&me, "talk");
    let reopened = w.cases[&case.id].clone();
    assert_eq!(reopened.status, Status::Open);
    assert!(reopened.timers.is_empty(), "{:?}", reopened.timers);
    let notice = w.room_posts(case.id).pop().unwrap();
    assert!(notice.text.contains("weer praten"), "{}", notice.text);
    w.say(&me, "Het is weer begonnen.");
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("weer begonnen")
    );
}

#[test]
fn aftercare_never_comes_after_forget() {
    let mut w = World::new();
    let me = telegram(57);
    let case = w.submit_case(&me, "verhaal");
    set_consent(&mut w, &me, "dossier");
    w.counsellor_says(case.id, ANNA, "!close advice");
    w.choose(&me, "check-in");
    w.say(&me, "/forget");
    w.choose(&me, "erase");
    let sent = w.texts_to(&me).len();
    w.advance(DAY * 40);
    assert_eq!(w.texts_to(&me).len(), sent, "silence after /forget");
    assert!(!w.cases.contains_key(&case.id));
}

#[test]
fn wipe_asks_the_store_to_delete_this_chats_messages() {
    let mut w = World::new();
    let me = telegram(58);
    w.say(&me, "/wipe");
    assert!(w.texts_to(&me).last().unwrap().contains("geen berichten"));
    w.submit_case(&me, "verhaal");
    let effects = w.say(&me, "/wipe");
    assert!(
        effects
            .outputs
            .iter()
            .any(|o| matches!(o, Output::WipeReporterChat { to } if *to == me))
    );
    assert!(w.texts_to(&me).last().unwrap().contains("48 uur"));
}
