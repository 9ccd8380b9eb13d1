//! Several organisations in one bot (issue 17, part 1), through the core on virtual
//! time: a chat reaches its organisation only by its code, keeps nothing without one,
//! and each organisation's cases, rooms, digests and records stay with its own
//! counsellors.

use super::support::*;
use crate::core::settings::{Gender, Roster};
use crate::core::time::SignedDuration;
use crate::core::*;

const ACME_CODE: &str = "acme-Qx7fK2pLm9Zr4TwB";
const BETA_CODE: &str = "beta-8HsN3vQw5YcJ1uEd";

/// Acme: Anna, with Carla as coordinator. Beta: Bram, with Dirk. Nobody serves both.
fn world() -> World {
    let mut w = World::new();
    let mut acme = core();
    acme.settings.organisation = "Acme BV".into();
    acme.settings.organisation_id = Some("acme".into());
    acme.settings.code = Some(ACME_CODE.into());
    acme.settings.roster = Roster {
        counsellors: vec![counsellor(ANNA, "Anna", Gender::Female)],
        coordinator: Some(counsellor(CARLA, "Carla", Gender::Female)),
        backup: None,
    };
    let mut beta = core();
    beta.settings.organisation = "Beta Zorg".into();
    beta.settings.organisation_id = Some("beta".into());
    beta.settings.code = Some(BETA_CODE.into());
    beta.settings.default_lang = crate::i18n::Lang::new("en");
    beta.settings.roster = Roster {
        counsellors: vec![counsellor(BRAM, "Bram", Gender::Male)],
        coordinator: Some(counsellor(DIRK, "Dirk", Gender::Male)),
        backup: None,
    };
    w.service = Service::new(vec![acme, beta]);
    w
}

/// Runs the intake of a chat that has already named its organisation.
fn submit(w: &mut World, from: &ReporterAddress, story: &str) -> Case {
    submit_as(w, from, story, "tally")
}

/// As [`submit`], with the registration the reporter agrees to (`tally`, `dossier`).
fn submit_as(w: &mut World, from: &ReporterAddress, story: &str, consent: &str) -> Case {
    w.reach_story(from, "bullying");
    w.say(from, story);
    w.choose(from, "~done");
    w.choose(from, consent);
    w.choose(from, "send");
    w.case_of(from).expect("case").clone()
}

fn invited(w: &World, case: CaseId) -> Vec<String> {
    w.sent
        .iter()
        .filter_map(|o| match o {
            Output::CreateRoom(setup) if setup.case == case => Some(setup.invite.clone()),
            Output::Invite { case: c, user, .. } if *c == case => Some(vec![user.clone()]),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn without_a_known_code_the_bot_asks_for_it_keeps_nothing_and_names_no_organisation() {
    let mut w = world();
    let chat = telegram(7001);
    for first in [
        "/start",
        "Hallo, ik wil iets melden",
        "/start not-a-code-of-anyone-1234",
        "acme-Qx7fK2pLm9Zr4TwX",
        "/help",
        "/mydata",
    ] {
        let effects = w.say(&chat, first);
        assert!(
            matches!(effects.case, CaseChange::Unchanged),
            "{first:?} kept something"
        );
        let texts = w.texts_to(&chat);
        let last = texts.last().expect("an answer");
        assert!(last.contains("code"), "{first:?}: {last}");
        // In each organisation's language, and naming none of them.
        assert!(last.contains("Hallo") && last.contains("Hello"), "{last}");
        for name in ["Acme", "Beta", "Anna", "Bram"] {
            assert!(!last.contains(name), "{first:?} revealed {name}: {last}");
        }
    }
    assert!(w.cases.is_empty());
    assert!(w.sent.iter().all(|o| matches!(o, Output::Reporter(_))));
}

#[test]
fn each_code_leads_to_its_organisation_and_its_counsellors_only() {
    let mut w = world();
    let acme_chat = telegram(7101);
    let beta_chat = telegram(7102);
    let beta_matrix = matrix("!dm-beta:example.org");
    // A Telegram deep link, and the code typed as the first message (as on Matrix).
    w.say(&acme_chat, &format!("/start {ACME_CODE}"));
    w.say(&beta_chat, &format!("  {BETA_CODE} "));
    w.say(&beta_matrix, BETA_CODE);
    assert_eq!(
        w.case_of(&beta_matrix)
            .and_then(|c| c.organisation.as_deref()),
        Some("beta")
    );
    let acme_welcome = w.texts_to(&acme_chat).join("\n");
    let beta_welcome = w.texts_to(&beta_chat).join("\n");
    assert!(
        acme_welcome.contains("Acme BV") && acme_welcome.contains("Anna"),
        "{acme_welcome}"
    );
    assert!(!acme_welcome.contains("Beta") && !acme_welcome.contains("Bram"));
    assert!(
        beta_welcome.contains("Beta Zorg") && beta_welcome.contains("Bram"),
        "{beta_welcome}"
    );
    assert!(
        beta_welcome.contains("Welcome"),
        "Beta's language: {beta_welcome}"
    );
    assert!(!beta_welcome.contains("Acme") && !beta_welcome.contains("Anna"));

    let acme = submit(&mut w, &acme_chat, "Mijn chef schreeuwt.");
    let beta = submit(&mut w, &beta_chat, "A colleague threatens me.");
    assert_eq!(acme.organisation.as_deref(), Some("acme"));
    assert_eq!(beta.organisation.as_deref(), Some("beta"));
    assert_eq!(acme.counsellor.as_deref(), Some(ANNA));
    assert_eq!(beta.counsellor.as_deref(), Some(BRAM));
    assert_eq!(invited(&w, acme.id), [ANNA]);
    assert_eq!(invited(&w, beta.id), [BRAM]);

    // Another organisation's counsellor reaches nobody through a case not theirs.
    let before = w.texts_to(&acme_chat).len();
    w.counsellor_says(acme.id, BRAM, "Hallo, ik ben Bram.");
    assert_eq!(w.texts_to(&acme_chat).len(), before, "Bram was relayed");
    w.counsellor_says(acme.id, ANNA, "Hallo, ik ben Anna.");
    assert_eq!(w.texts_to(&acme_chat).len(), before + 1);

    // The coordinator at a missed deadline is the organisation's own.
    w.advance(SignedDuration::from_hours(49));
    assert!(!invited(&w, beta.id).contains(&CARLA.to_owned()));
    assert!(invited(&w, beta.id).contains(&DIRK.to_owned()));

    // Records name their organisation, for reports per organisation.
    let mut organisations: Vec<_> = w
        .registrations
        .values()
        .map(|r| r.organisation.clone())
        .collect();
    organisations.sort();
    assert_eq!(
        organisations,
        [Some("acme".to_owned()), Some("beta".to_owned())]
    );
}

#[test]
fn a_digest_lists_only_the_organisations_own_cases_to_its_own_counsellors() {
    let mut w = world();
    w.start_bot();
    let acme_chat = telegram(7201);
    let beta_chat = telegram(7202);
    w.say(&acme_chat, &format!("/start {ACME_CODE}"));
    w.say(&beta_chat, &format!("/start {BETA_CODE}"));
    let acme = submit(&mut w, &acme_chat, "verhaal");
    let beta = submit(&mut w, &beta_chat, "story");
    // Wednesday at the digest hour (08:00 in Amsterdam), both are due within a day.
    w.advance(SignedDuration::from_hours(46));
    let dms = |who: &str| -> String {
        w.sent
            .iter()
            .filter_map(|o| match o {
                Output::CounsellorDm { to, text } if to == who => Some(text.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let anna = dms(ANNA);
    let bram = dms(BRAM);
    assert!(anna.contains(acme.token.as_str()), "{anna}");
    assert!(!anna.contains(beta.token.as_str()), "{anna}");
    assert!(anna.contains("Acme BV") && !anna.contains("Beta"), "{anna}");
    assert!(bram.contains(beta.token.as_str()), "{bram}");
    assert!(!bram.contains(acme.token.as_str()), "{bram}");
}

#[test]
fn a_chat_whose_case_is_closed_may_start_anew_for_another_organisation() {
    let mut w = world();
    let chat = telegram(7301);
    w.say(&chat, &format!("/start {ACME_CODE}"));
    // A dossier is kept a while after closing, so the chat still has its case.
    let first = submit_as(&mut w, &chat, "verhaal", "dossier");
    w.counsellor_says(first.id, ANNA, "!close listening-ear");
    // The closing question is answered; the chat then follows another
    // organisation's link.
    w.choose(&chat, "no-thanks");
    let closed = w.case_of(&chat).expect("kept a while").clone();
    assert_eq!(
        (closed.status, closed.dialog.is_none()),
        (Status::Closed, true)
    );
    w.say(&chat, &format!("/start {BETA_CODE}"));
    let case = w.case_of(&chat).expect("a new case").clone();
    assert_ne!(case.id, first.id);
    assert_eq!(case.organisation.as_deref(), Some("beta"));
    assert_eq!(case.status, Status::Intake);
    // A code of the same organisation in an open intake only continues it.
    w.say(&chat, &format!("/start {BETA_CODE}"));
    assert_eq!(w.case_of(&chat).map(|c| c.id), Some(case.id));
}

#[test]
fn a_case_of_an_organisation_no_longer_configured_reaches_no_one() {
    let mut w = world();
    let chat = telegram(7401);
    w.say(&chat, &format!("/start {ACME_CODE}"));
    let case = submit(&mut w, &chat, "verhaal");
    let mut gone = case.clone();
    gone.organisation = Some("gamma".into());
    w.cases.insert(gone.id, gone);
    let sent = w.sent.len();
    w.counsellor_says(case.id, ANNA, "Hallo");
    w.say(&chat, "Is daar iemand?");
    assert_eq!(w.sent.len(), sent, "{:#?}", &w.sent[sent..]);
}

#[test]
fn an_unencrypted_first_message_is_answered_as_such_and_keeps_nothing() {
    let mut w = world();
    let chat = matrix("!plain:example.org");
    let effects = w.input(Input::Reporter {
        from: chat.clone(),
        event: ReporterEvent::Unencrypted,
    });
    assert!(matches!(effects.case, CaseChange::Unchanged));
    let answer = w.texts_to(&chat).join("\n");
    assert!(answer.contains("versleuteld"), "{answer}");
    assert!(!answer.contains("code"), "{answer}");
}
