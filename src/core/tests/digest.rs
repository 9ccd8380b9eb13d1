//! The daily digest on virtual time: each counsellor's cases due within a day, by token
//! only, once a day; a digest missed while the bot was down goes out once at start.
//! The test world starts on Monday 23 November 2026 at 10:00 in Amsterdam; the digest
//! hour is 08:00.

use super::support::*;
use crate::core::time::SignedDuration;
use crate::core::*;

fn dms_to(w: &World, counsellor: &str) -> Vec<String> {
    w.sent
        .iter()
        .filter_map(|o| match o {
            Output::CounsellorDm { to, text } if to == counsellor => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn hours(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}

/// A world whose promise is 36 hours, so a case submitted on Monday at 10:00 is due on
/// Tuesday at 22:00: not in Monday's digest, in Tuesday's.
fn world() -> World {
    let mut w = World::new();
    w.core.settings.first_contact = hours(36);
    w
}

#[test]
fn each_counsellor_gets_their_cases_due_within_a_day_by_token_only() {
    let mut w = world();
    w.start_bot();
    let annas = w.submit_case(&telegram(5001), "Mijn chef schreeuwt elke dag.");
    let brams = w.submit_case(&telegram(5002), "Een collega intimideert mij.");
    assert_eq!(annas.counsellor.as_deref(), Some(ANNA));
    assert_eq!(brams.counsellor.as_deref(), Some(BRAM));
    w.advance(SignedDuration::ZERO);
    assert!(dms_to(&w, ANNA).is_empty(), "nothing due within a day yet");
    // Bram answers his case: it no longer waits, so it is in no digest.
    w.counsellor_says(brams.id, BRAM, "Goedemiddag, ik ben Bram.");

    w.advance(hours(22)); // Tuesday 08:00
    let digests = dms_to(&w, ANNA);
    assert_eq!(digests.len(), 1, "{digests:#?}");
    let digest = &digests[0];
    assert!(digest.contains(annas.token.as_str()), "{digest}");
    assert!(
        digest.contains("22:00"),
        "the deadline, in local time: {digest}"
    );
    assert!(!digest.contains(brams.token.as_str()), "{digest}");
    assert!(!digest.contains("schreeuwt"), "tokens only: {digest}");
    assert!(dms_to(&w, BRAM).is_empty(), "Bram has nothing waiting");
    for coordinator in [CARLA, DIRK] {
        assert!(dms_to(&w, coordinator).is_empty());
    }

    // A restart later that day sends nothing again.
    w.advance(hours(2));
    w.start_bot();
    w.advance(SignedDuration::ZERO);
    assert_eq!(dms_to(&w, ANNA).len(), 1);
}

#[test]
fn a_digest_missed_while_the_bot_was_down_goes_out_once_at_start() {
    let mut w = world();
    w.start_bot();
    let case = w.submit_case(&telegram(5003), "verhaal");
    w.advance(hours(12)); // Monday 22:00
    // Down from Monday night until Tuesday 10:30: the 08:00 digest never fired.
    w.now = w.now + hours(12) + SignedDuration::from_mins(30);
    assert!(dms_to(&w, ANNA).is_empty());
    w.start_bot();
    w.advance(SignedDuration::ZERO);
    let digests = dms_to(&w, ANNA);
    assert_eq!(digests.len(), 1, "sent once, at start");
    assert!(digests[0].contains(case.token.as_str()));
    w.start_bot();
    w.advance(hours(1));
    assert_eq!(
        dms_to(&w, ANNA).len(),
        1,
        "not again after a second restart"
    );
}

#[test]
fn a_start_before_the_digest_hour_waits_for_it() {
    let mut w = world();
    w.now = "2026-11-24T04:00:00Z".parse().unwrap(); // Tuesday 05:00 in Amsterdam
    w.core.settings.first_contact = hours(20);
    let case = w.submit_case(&telegram(5004), "verhaal");
    w.start_bot();
    w.advance(SignedDuration::ZERO);
    assert!(dms_to(&w, ANNA).is_empty(), "not before 08:00");
    w.advance(hours(2) + SignedDuration::from_mins(59));
    assert!(dms_to(&w, ANNA).is_empty(), "not before 08:00");
    w.advance(SignedDuration::from_mins(1));
    let digests = dms_to(&w, ANNA);
    assert_eq!(digests.len(), 1);
    assert!(digests[0].contains(case.token.as_str()));
}

#[test]
fn the_digest_lists_each_counsellor_s_cases_due_within_a_day_once_a_day() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(69), "verhaal");
    w.submit_case(&telegram(70), "verhaal twee");
    // 09:00 UTC = 10:00 in Amsterdam: today's 08:00 digest has passed; tomorrow's comes.
    let first = w.input(Input::Timer {
        case: CaseId::SYSTEM,
        kind: TimerKind::Digest,
    });
    let (kind, next) = first.system_timer.expect("re-armed");
    assert_eq!(kind, TimerKind::Digest);
    assert_eq!(next, "2026-11-24T07:00:00Z".parse().unwrap());
    let dms: Vec<&Output> = first.outputs.iter().collect();
    assert_eq!(dms.len(), 0, "nothing is due within 24 hours yet: {dms:?}");
    // The next morning but one, both deadlines (11:00 that day) are within 24 hours.
    w.now = next + SignedDuration::from_hours(24);
    let digest = w.input(Input::Timer {
        case: CaseId::SYSTEM,
        kind: TimerKind::Digest,
    });
    let texts: Vec<(String, String)> = digest
        .outputs
        .iter()
        .filter_map(|o| match o {
            Output::CounsellorDm { to, text } => Some((to.clone(), text.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    let anna = texts
        .iter()
        .find(|(to, _)| to == ANNA)
        .expect("Anna's digest");
    assert!(anna.1.contains(case.token.as_str()), "{}", anna.1);
    let again = w.input(Input::Timer {
        case: CaseId::SYSTEM,
        kind: TimerKind::Digest,
    });
    assert!(again.outputs.is_empty(), "once a day");
}
