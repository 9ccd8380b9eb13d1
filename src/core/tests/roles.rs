//! Who is writing changes the intake: a manager, colleague or witness asking advice gets
//! fewer, different questions and a counsellor as anyone else, and is counted as a
//! consultation; someone accused is told where to go, counted anonymously, and given no
//! case.

use super::support::*;
use crate::core::registration::ContactKind;
use crate::core::*;

/// Steps of the ordinary intake that an advice request does not ask, besides those
/// between the category and the story.
const ALSO_NOT_ASKED_FOR_ADVICE: &[&str] = &["safety"];

#[test]
fn advice_for_a_manager_asks_less_goes_to_a_counsellor_and_counts_as_a_consultation() {
    let mut w = World::new();
    let me = telegram(501);
    w.say(&me, "/start");
    w.choose(&me, "advice");
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .contains("advies over de situatie")
    );
    w.choose(&me, "bullying");
    for _ in 0..5 {
        let at_story = w
            .case_of(&me)
            .and_then(|c| c.dialog.as_ref())
            .is_some_and(|d| d.step == "advice-story");
        if at_story {
            break;
        }
        w.choose(&me, "~skip");
    }
    w.say(
        &me,
        "Een medewerker van mij wordt gepest; hoe pak ik dat aan?",
    );
    w.choose(&me, "~done");
    w.choose(&me, "tally");
    let summary = w.texts_to(&me).last().unwrap().clone();
    assert!(summary.contains("Uw vraag"), "{summary}");
    w.choose(&me, "send");
    let case = w.case_of(&me).expect("a case").clone();
    assert_eq!(case.status, Status::Open);
    assert!(case.counsellor.is_some(), "assigned as any case");
    for step in SKIPPED_BEFORE_STORY.iter().chain(ALSO_NOT_ASKED_FOR_ADVICE) {
        assert!(case.answers.get(step).is_none(), "asked {step}");
    }
    assert_eq!(case.answers.choice("category"), Some("bullying"));
    // The counsellor is told what it is.
    let room: Vec<String> = w.room_posts(case.id).into_iter().map(|p| p.text).collect();
    assert!(room.iter().any(|t| t.contains("adviesvraag")), "{room:#?}");
    let record = &w.registrations[&case.registration.unwrap()];
    assert_eq!(record.kind, ContactKind::Consultation);
    assert_eq!(record.category.as_deref(), Some("bullying"));
}

#[test]
fn someone_accused_is_referred_counted_and_given_no_case() {
    let mut w = World::new();
    let me = telegram(502);
    w.say(&me, "/start");
    w.choose(&me, "accused");
    let told = w.texts_to(&me).last().unwrap().clone();
    // The referral numbers come from the dialog file.
    let legal = &w.core.dialogs.by_id["intake"].numbers["legal_advice"];
    assert!(
        told.contains(legal.as_str()) && told.contains("bedrijfsarts"),
        "{told}"
    );
    // Going back is possible, and changes nothing.
    w.choose(&me, "back");
    assert_eq!(
        w.case_of(&me).unwrap().dialog.as_ref().unwrap().step,
        "welcome"
    );
    w.choose(&me, "accused");
    let sent_before = w.sent.len();
    w.choose(&me, "understood");
    assert!(w.case_of(&me).is_none(), "no case kept");
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .contains("niets over u bewaard")
    );
    // Nothing went to any room or counsellor (there is no room to leave).
    assert!(
        w.sent[sent_before..].iter().all(|o| matches!(
            o,
            Output::Reporter(_)
                | Output::RemoveButtons { .. }
                | Output::LeaveCaseRoom { room_id: None, .. }
        )),
        "{:?}",
        &w.sent[sent_before..]
    );
    assert_eq!(w.registrations.len(), 1);
    let record = w.registrations.values().next().unwrap();
    assert_eq!(record.kind, ContactKind::Accused);
    assert_eq!((record.year, record.month), (2026, 11));
    assert_eq!(record.category, None);
    assert_eq!(record.minutes, 0);
    // A new /start begins afresh.
    w.say(&me, "/start");
    assert!(w.case_of(&me).is_some());
    assert_eq!(w.registrations.len(), 1);
}

#[test]
fn each_path_summarises_only_its_own_questions() {
    // A report: the story as a story, once; no advice question.
    let mut w = World::new();
    let me = telegram(503);
    let case = w.submit_case(&me, "Het gebeurde gisteren weer.");
    let room = w.room_posts(case.id)[0].text.clone();
    assert_eq!(room.matches("Onderwerp:").count(), 1, "{room}");
    assert_eq!(
        room.matches("Het gebeurde gisteren weer.").count(),
        1,
        "{room}"
    );
    assert!(!room.contains("Uw vraag"), "{room}");
}

/// The world with Eline as the organisation's separate counsellor for the accused.
const ELINE: &str = "@eline:example.org";

fn with_accused_counsellor() -> World {
    let mut w = World::new();
    let settings = &mut w.core.settings;
    settings.accused_roster = Some(crate::core::settings::Roster {
        counsellors: vec![counsellor(
            ELINE,
            "Eline",
            crate::core::settings::Gender::Female,
        )],
        coordinator: settings.roster.coordinator.clone(),
        backup: settings.roster.backup.clone(),
    });
    w
}

#[test]
fn with_a_counsellor_for_the_accused_someone_accused_talks_with_them_and_no_one_else() {
    let mut w = with_accused_counsellor();
    let me = telegram(503);
    w.say(&me, "/start");
    w.choose(&me, "accused");
    let offered = w.texts_to(&me).last().unwrap().clone();
    assert!(offered.contains("aparte vertrouwenspersoon"), "{offered}");
    w.choose(&me, "talk");
    w.say(&me, "Ik word beschuldigd van iets wat ik niet heb gedaan.");
    w.choose(&me, "~done");
    w.choose(&me, "tally");
    let summary = w.texts_to(&me).last().unwrap().clone();
    assert!(summary.contains("Uw verhaal"), "{summary}");
    w.choose(&me, "send");
    let case = w.case_of(&me).expect("a case").clone();
    assert_eq!(case.status, Status::Open);
    assert_eq!(case.counsellor.as_deref(), Some(ELINE));
    let invited: Vec<String> = w
        .sent
        .iter()
        .filter_map(|o| match o {
            Output::CreateRoom(setup) if setup.case == case.id => Some(setup.invite.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(invited, [ELINE]);
    let room: Vec<String> = w.room_posts(case.id).into_iter().map(|p| p.text).collect();
    assert!(room.iter().any(|t| t.contains("beschuldigd")), "{room:#?}");
    // The reporters' counsellors cannot speak to them, nor take the case over.
    let before = w.texts_to(&me).len();
    w.counsellor_says(case.id, ANNA, "Hallo, met Anna.");
    assert_eq!(w.texts_to(&me).len(), before, "Anna reached the accused");
    w.counsellor_says(case.id, ELINE, "!handover @anna:example.org");
    assert!(!w.sent.iter().any(|o| matches!(
        o,
        Output::Invite { case: c, user, .. } if *c == case.id && user == ANNA
    )));
    w.counsellor_says(case.id, ELINE, "Goedemiddag, met Eline.");
    assert_eq!(w.texts_to(&me).len(), before + 1);
    // Counted as accused, with a real outcome once closed (not a referral).
    w.counsellor_says(case.id, ELINE, "!close listening-ear");
    let record = &w.registrations[&case.registration.unwrap()];
    assert_eq!(record.kind, ContactKind::Accused);
    assert!(record.supported);
    assert_eq!(record.outcome.as_deref(), Some("listening-ear"));
    assert_eq!(record.promise_kept, Some(true));

    // An employee reporting is never given Eline, whoever else is full or away.
    let other = telegram(504);
    let reported = w.submit_case(&other, "Mijn chef schreeuwt.");
    assert_ne!(reported.counsellor.as_deref(), Some(ELINE));
}

#[test]
fn with_a_counsellor_for_the_accused_the_referral_is_still_there_to_choose() {
    let mut w = with_accused_counsellor();
    let me = telegram(505);
    w.say(&me, "/start");
    w.choose(&me, "accused");
    w.choose(&me, "referral");
    let told = w.texts_to(&me).last().unwrap().clone();
    assert!(told.contains("bedrijfsarts"), "{told}");
    w.choose(&me, "understood");
    assert!(w.case_of(&me).is_none());
    let record = w.registrations.values().next().unwrap();
    assert_eq!(
        (record.kind, record.supported),
        (ContactKind::Accused, false)
    );
}
