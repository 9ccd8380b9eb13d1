//! `!inform-hr`: HR gets one message, in the very words the employee saw and confirmed,
//! and only after a yes; every other way through the question sends HR nothing.

use super::support::*;
use crate::core::*;

fn hr_notices(w: &World) -> Vec<(String, String)> {
    w.sent
        .iter()
        .filter_map(|o| match o {
            Output::HrNotice { room_id, text } => Some((room_id.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

fn room_texts(w: &World, case: CaseId) -> Vec<String> {
    w.room_posts(case).into_iter().map(|p| p.text).collect()
}

#[test]
fn nothing_goes_to_hr_without_a_yes() {
    let mut w = World::new();
    let me = telegram(701);
    let case = w.submit_case(&me, "verhaal");
    // No.
    w.counsellor_says(case.id, ANNA, "!inform-hr");
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .contains("zonder uw ja krijgt HR niets")
    );
    w.choose(&me, "not");
    assert!(hr_notices(&w).is_empty());
    assert!(room_texts(&w, case.id).last().unwrap().contains("Nee"));
    // Yes at first, then not at the confirmation.
    w.counsellor_says(case.id, ANNA, "!inform-hr");
    w.choose(&me, "anonymous");
    w.choose(&me, "cancel");
    assert!(hr_notices(&w).is_empty());
    // Asked, never answered (the employee writes something else instead).
    w.counsellor_says(case.id, ANNA, "!inform-hr");
    w.say(&me, "Ik denk er nog over na.");
    assert!(hr_notices(&w).is_empty());
}

#[test]
fn anonymously_hr_gets_the_date_and_unit_only_in_the_words_shown() {
    let mut w = World::new();
    let me = telegram(702);
    let case = w.submit_case(&me, "Mijn leidinggevende Kees schreeuwt.");
    w.counsellor_says(case.id, ANNA, "!inform-hr");
    w.choose(&me, "anonymous");
    let shown = w.texts_to(&me).last().unwrap().clone();
    w.choose(&me, "send");
    let sent = hr_notices(&w);
    assert_eq!(sent.len(), 1);
    let (room, words) = &sent[0];
    assert_eq!(room, HR_ROOM);
    assert!(
        shown.contains(words.as_str()),
        "shown:\n{shown}\nsent:\n{words}"
    );
    assert!(words.contains("23-11-2026"), "{words}");
    for never in ["Kees", "schreeuwt", &case.token.to_string(), "702", ANNA] {
        assert!(!words.contains(never), "{never} in {words}");
    }
    assert!(
        room_texts(&w, case.id)
            .iter()
            .any(|t| t.contains(words.as_str()))
    );
    // Once, not again.
    w.say(&me, "dank u");
    assert_eq!(hr_notices(&w).len(), 1);
}

#[test]
fn with_a_name_hr_gets_the_name_typed_and_nothing_more() {
    let mut w = World::new();
    let me = telegram(703);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!inform-hr");
    w.choose(&me, "with-name");
    w.say(&me, "Eva de Vries");
    let shown = w.texts_to(&me).last().unwrap().clone();
    assert!(shown.contains("Eva de Vries"), "{shown}");
    w.choose(&me, "send");
    let sent = hr_notices(&w);
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].1.starts_with("Eva de Vries heeft steun gekregen"),
        "{:?}",
        sent[0]
    );
    assert!(shown.contains(sent[0].1.as_str()));
}

#[test]
fn without_an_hr_room_nothing_is_asked() {
    let mut w = World::new();
    w.core.settings.hr_room = None;
    let me = telegram(704);
    let case = w.submit_case(&me, "verhaal");
    let before = w.texts_to(&me).len();
    w.counsellor_says(case.id, ANNA, "!inform-hr");
    assert_eq!(w.texts_to(&me).len(), before, "nothing asked");
    assert!(
        room_texts(&w, case.id)
            .last()
            .unwrap()
            .contains("geen HR-kamer")
    );
}
