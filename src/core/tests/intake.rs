//! The intake through the core: every path a reporter can take.

use super::support::*;
use crate::core::dialog::Answer;
use crate::core::time::SignedDuration;
use crate::core::*;

#[test]
fn telegram_intake_runs_from_start_to_submitted_case() {
    let mut w = World::new();
    let me = telegram(1001);
    w.say(&me, "/start");
    let welcome = w.texts_to(&me).pop().unwrap();
    assert!(
        welcome.contains("vertrouwenspersonen van Thús Wonen: Anna, Bram"),
        "{welcome}"
    );
    assert!(
        welcome.contains("48 uur") && welcome.contains("112"),
        "{welcome}"
    );
    w.choose(&me, "continue");
    w.choose(&me, "no");
    let buttons = w.last_buttons(&me);
    assert_eq!(buttons.len(), 8, "seven categories and skip: {buttons:?}");
    w.choose(&me, "bullying");
    for _ in SKIPPED_BEFORE_STORY {
        w.choose(&me, "~skip");
    }
    w.say(&me, "Mijn leidinggevende scheldt me elke dag uit.");
    w.say(&me, "Collega's lachen mee.");
    assert!(w.texts_to(&me).last().unwrap().starts_with("Ontvangen"));
    w.choose(&me, "~done");
    w.choose(&me, "dossier");
    let summary = w.texts_to(&me).pop().unwrap();
    assert!(summary.contains("Onderwerp: Pesten"), "{summary}");
    assert!(
        summary.contains("elke dag uit.\nCollega's lachen mee."),
        "{summary}"
    );
    let effects = w.choose(&me, "send");

    let case = w.case_of(&me).unwrap().clone();
    assert_eq!(case.status, Status::Open);
    assert_eq!(case.counsellor.as_deref(), Some(ANNA));
    assert_eq!(case.answers.choice("category"), Some("bullying"));
    assert!(effects.outputs.iter().any(|o| matches!(o, Output::CreateRoom(r) if r.name == case.token.to_string() && r.invite == vec![ANNA.to_string()])));
    let done = w.texts_to(&me).pop().unwrap();
    assert!(done.contains(case.token.as_str()), "{done}");
    assert!(
        done.contains("25-11-2026 om 10:00"),
        "48 hours after 09:00 UTC, in Amsterdam time: {done}"
    );
    let posts = w.room_posts(case.id);
    assert_eq!(posts.len(), 1);
    assert!(posts[0].text.contains("Collega's lachen mee.") && posts[0].text.contains("Pesten"));
    assert_eq!(posts[0].mentions, vec![ANNA.to_string()]);
    assert!(!case.timers.contains_key(&TimerKind::IntakeExpiry));
}

#[test]
fn matrix_reporter_answers_with_numbers_and_words() {
    let mut w = World::new();
    let me = matrix("!dm:example.org");
    w.say(&me, "hallo");
    let welcome = w.texts_to(&me).pop().unwrap();
    assert!(
        welcome.contains("1. Verder") && welcome.contains("Antwoord met het nummer"),
        "{welcome}"
    );
    assert!(w.last_buttons(&me).is_empty(), "Matrix has no buttons");
    w.say(&me, "1");
    w.say(&me, "nee");
    w.say(&me, "pesten");
    assert_eq!(
        w.case_of(&me).unwrap().answers.choice("category"),
        Some("bullying")
    );
    for _ in SKIPPED_BEFORE_STORY {
        w.say(&me, "overslaan");
    }
    w.say(&me, "Het verhaal.");
    w.say(&me, "1");
    w.say(&me, "2");
    w.say(&me, "1.");
    assert_eq!(w.case_of(&me).unwrap().status, Status::Open);
}

#[test]
fn language_can_be_switched_at_the_start_and_sticks_to_the_case() {
    let mut w = World::new();
    let me = telegram(7);
    w.say(&me, "/start");
    w.choose(&me, "language");
    w.choose(&me, "~lang:en");
    let texts = w.texts_to(&me);
    assert!(texts.iter().any(|t| t == "The language is now English."));
    assert!(
        texts.last().unwrap().starts_with("Welcome."),
        "{:?}",
        texts.last()
    );
    w.choose(&me, "continue");
    w.choose(&me, "no");
    w.choose(&me, "~skip");
    for _ in SKIPPED_BEFORE_STORY {
        w.choose(&me, "~skip");
    }
    w.say(&me, "/done");
    w.choose(&me, "~skip");
    assert!(w.texts_to(&me).last().unwrap().contains("Topic: (skipped)"));
    w.say(&me, "/language");
    w.say(&me, "Nederlands");
    assert_eq!(w.case_of(&me).unwrap().lang.as_str(), "nl");
}

#[test]
fn correcting_an_answer_returns_to_the_summary() {
    let mut w = World::new();
    let me = telegram(8);
    w.say(&me, "/start");
    w.reach_story(&me, "bullying");
    w.say(&me, "verhaal");
    w.say(&me, "/done");
    w.choose(&me, "tally");
    w.choose(&me, "change");
    w.choose(&me, "~edit:category");
    w.choose(&me, "integrity");
    let summary = w.texts_to(&me).pop().unwrap();
    assert!(summary.contains("Onderwerp: Integriteit"), "{summary}");
    assert!(summary.contains("Uw verhaal: verhaal"));
}

#[test]
fn stop_during_intake_erases_everything() {
    let mut w = World::new();
    let me = telegram(9);
    w.say(&me, "/start");
    w.choose(&me, "continue");
    let id = w.case_of(&me).unwrap().id;
    w.say(&me, "/stop");
    assert!(w.case_of(&me).is_none());
    assert_eq!(w.erased, vec![id]);
    assert!(w.texts_to(&me).last().unwrap().starts_with("Gestopt"));
    w.say(&me, "/stop");
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .contains("niets om te stoppen")
    );
}

#[test]
fn old_buttons_and_unknown_commands_get_a_helpful_answer() {
    let mut w = World::new();
    let me = telegram(10);
    w.say(&me, "/start");
    w.choose(&me, "continue");
    let effects = w.press(&me, "welcome:continue");
    assert_eq!(
        effects.toast.as_deref(),
        Some("Deze knop hoort bij een eerdere vraag.")
    );
    let effects = w.press(&me, "nonsense");
    assert!(effects.toast.is_some());
    w.say(&me, "/strat");
    let reply = w.texts_to(&me).pop().unwrap();
    assert!(
        reply.contains("/strat ken ik niet") && reply.contains("Bedoelde u /start?"),
        "{reply}"
    );
    w.say(&me, "iets wat geen categorie is");
    let texts = w.texts_to(&me);
    assert!(texts[texts.len() - 2].starts_with("Dat begreep ik niet"));
}

#[test]
fn an_over_long_message_is_refused_and_not_kept() {
    let mut w = World::new();
    let me = telegram(11);
    w.say(&me, "/start");
    w.reach_story(&me, "other");
    let long = "x".repeat(4001);
    w.say(&me, &long);
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .contains("4001 tekens; het maximum is 4000")
    );
    assert_eq!(w.case_of(&me).unwrap().answers.get("story"), None);
}

#[test]
fn messages_before_start_open_the_welcome() {
    let mut w = World::new();
    let me = telegram(12);
    w.say(&me, "hallo?");
    assert!(w.texts_to(&me)[0].starts_with("Welkom."));
    assert_eq!(w.case_of(&me).unwrap().status, Status::Intake);
    let me2 = telegram(13);
    w.say(&me2, "/status");
    assert!(
        w.case_of(&me2).is_none(),
        "a status question creates no case"
    );
}

#[test]
fn unfinished_intake_expires_after_a_week_of_silence() {
    let mut w = World::new();
    let me = telegram(14);
    w.say(&me, "/start");
    let case = w.case_of(&me).unwrap().clone();
    let due = case.timers[&TimerKind::IntakeExpiry];
    w.now = due - SignedDuration::from_secs(1);
    w.input(Input::Timer {
        case: case.id,
        kind: TimerKind::IntakeExpiry,
    });
    assert!(w.case_of(&me).is_some(), "not yet due");
    w.now = due;
    w.input(Input::Timer {
        case: case.id,
        kind: TimerKind::IntakeExpiry,
    });
    assert!(w.case_of(&me).is_none());
    assert!(w.texts_to(&me).last().unwrap().contains("gewist"));
}

#[test]
fn open_case_relays_reporter_words_to_the_room() {
    let mut w = World::new();
    let me = telegram(15);
    let case = w.submit_case(&me, "verhaal");
    w.say(&me, "Is er al nieuws?");
    let posts = w.room_posts(case.id);
    assert_eq!(posts.last().unwrap().text, "Is er al nieuws?");
    assert_eq!(posts.last().unwrap().kind, RoomPostKind::Relay);
    let transcript = &w.transcript[&case.id];
    assert_eq!(transcript.last().unwrap().author, Author::Reporter);
    assert!(transcript.windows(2).all(|p| p[1].seq == p[0].seq + 1));
    w.say(&me, "/token");
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .contains(case.token.as_str())
    );
    assert!(matches!(
        w.case_of(&me).unwrap().answers.get("story"),
        Some(Answer::Story(_))
    ));
}
