//! `/resume TOKEN CODE`: another chat joins a case only with both codes, the code is
//! never kept in the clear, and guessing is slowed down per case and per chat.

use super::support::*;
use crate::core::time::SignedDuration;
use crate::core::*;

/// The code shown once at the end of the intake.
fn shown_code(w: &World, to: &ReporterAddress) -> String {
    let texts = w.texts_to(to);
    let done = texts
        .iter()
        .rev()
        .find(|t| t.contains("geheime code is"))
        .expect("the code is shown");
    done.split("geheime code is ")
        .nth(1)
        .and_then(|rest| rest.split(['.', ' ']).next())
        .expect("a code")
        .to_owned()
}

#[test]
fn the_right_codes_link_another_chat_and_the_first_chat_hears_of_it() {
    let mut w = World::new();
    let phone = telegram(120);
    let case = w.submit_case(&phone, "verhaal");
    let code = shown_code(&w, &phone);
    assert_eq!(code.len(), 9, "{code}");
    let stored = serde_json::to_string(&w.cases[&case.id]).unwrap();
    assert!(!stored.contains(&code), "the code is kept only as a hash");

    let laptop = matrix("!dm-laptop:example.org");
    w.say(
        &laptop,
        &format!(
            "/resume {} {}",
            case.token.as_str().to_lowercase(),
            code.to_lowercase()
        ),
    );
    assert!(w.texts_to(&laptop).last().unwrap().contains("nu gekoppeld"));
    assert!(w.texts_to(&phone).last().unwrap().contains("ander gesprek"));
    assert_eq!(
        w.cases[&case.id].reporters,
        vec![phone.clone(), laptop.clone()]
    );
    w.counsellor_says(case.id, ANNA, "Hallo op beide toestellen");
    assert_eq!(
        w.texts_to(&laptop).last().unwrap(),
        "Anna: Hallo op beide toestellen"
    );
    assert_eq!(
        w.texts_to(&phone).last().unwrap(),
        "Anna: Hallo op beide toestellen"
    );
    w.say(&laptop, "vanaf de laptop");
    assert!(
        w.room_posts(case.id)
            .last()
            .unwrap()
            .text
            .contains("vanaf de laptop")
    );
}

#[test]
fn wrong_codes_lock_the_case_for_a_while() {
    let mut w = World::new();
    let phone = telegram(121);
    let case = w.submit_case(&phone, "verhaal");
    let code = shown_code(&w, &phone);
    for n in 0..5 {
        let guesser = telegram(200 + n);
        w.say(&guesser, &format!("/resume {} AAAA-AAAA", case.token));
        assert!(w.texts_to(&guesser).last().unwrap().contains("ken ik niet"));
    }
    let late = telegram(300);
    w.say(&late, &format!("/resume {} {code}", case.token));
    assert!(
        w.texts_to(&late)
            .last()
            .unwrap()
            .contains("Te veel pogingen"),
        "even the right code waits out the lock"
    );
    assert_eq!(w.cases[&case.id].reporters, vec![phone.clone()]);
    w.now += SignedDuration::from_mins(16);
    w.say(&late, &format!("/resume {} {code}", case.token));
    assert!(w.texts_to(&late).last().unwrap().contains("nu gekoppeld"));
}

#[test]
fn one_chat_guessing_tokens_is_slowed_down() {
    let mut w = World::new();
    let guesser = telegram(122);
    for n in 0..5 {
        w.say(&guesser, &format!("/resume VP-AAAA-AAA{n} AAAA-AAAA"));
        assert!(w.texts_to(&guesser).last().unwrap().contains("ken ik niet"));
    }
    w.say(&guesser, "/resume VP-AAAA-AAA9 AAAA-AAAA");
    assert!(
        w.texts_to(&guesser)
            .last()
            .unwrap()
            .contains("Te veel pogingen")
    );
    assert!(
        w.shared.resume_attempts.keys().all(|k| !k.contains("122")),
        "no chat id in shared state"
    );
}

#[test]
fn an_incomplete_resume_shows_the_right_form() {
    let mut w = World::new();
    let me = telegram(123);
    w.say(&me, "/resume");
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .starts_with("Gebruik: /resume")
    );
    w.say(&me, "/resume VP-7KQ3-M9TD");
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .starts_with("Gebruik: /resume")
    );
}
