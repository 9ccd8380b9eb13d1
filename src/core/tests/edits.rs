//! Element's everyday actions through the core (issue 14): edits understood by their new
//! content, never relayed when they concern a note or a command; deletions following a
//! relayed message; answers in the thread a command was asked in; nothing dropped
//! without a word.

use super::support::*;
use crate::core::*;

fn edit(w: &mut World, case: CaseId, sender: &str, of: &str, text: &str) -> Effects {
    let event = w.next_event();
    w.input(Input::CounsellorEdit {
        case,
        sender: sender.into(),
        of: of.into(),
        text: text.into(),
        meta: io::RoomMessageMeta {
            event: Some(event),
            ..Default::default()
        },
    })
}

fn redact(w: &mut World, case: CaseId, sender: &str, of: &str) -> Effects {
    w.input(Input::CounsellorRedaction {
        case,
        sender: sender.into(),
        of: of.into(),
    })
}

fn to_reporter(fx: &Effects) -> Vec<&Output> {
    fx.outputs
        .iter()
        .filter(|o| {
            matches!(
                o,
                Output::Reporter(_) | Output::EditRelayed { .. } | Output::DeleteRelayed { .. }
            )
        })
        .collect()
}

#[test]
fn an_edit_of_a_relayed_message_follows_it_and_the_transcript_keeps_the_last_version() {
    let mut w = World::new();
    let me = telegram(150);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_event(case.id, ANNA, "Ik bel je morgne", "$hello", None);
    let relayed = w.sent.iter().rev().find_map(|o| match o {
        Output::Reporter(m) if m.to == me => Some(m.clone()),
        _ => None,
    });
    assert_eq!(relayed.unwrap().source.as_deref(), Some("$hello"));
    let fx = edit(&mut w, case.id, ANNA, "$hello", "Ik bel je morgen");
    assert_eq!(
        to_reporter(&fx),
        vec![&Output::EditRelayed {
            to: me.clone(),
            source: "$hello".into(),
            text: "Anna: Ik bel je morgen".into(),
            correction: "Correctie van Anna: Ik bel je morgen".into(),
        }]
    );
    let said: Vec<&str> = w.transcript[&case.id]
        .iter()
        .filter(|r| r.author == Author::Counsellor(ANNA.into()))
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(said, vec!["Ik bel je morgen"]);
}

#[test]
fn an_edit_of_a_note_updates_the_note_and_never_reaches_the_reporter() {
    let mut w = World::new();
    let me = telegram(151);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_event(
        case.id,
        ANNA,
        "!note lijkt bang voor manager X",
        "$note",
        None,
    );
    let before = w.texts_to(&me).len();
    let fx = edit(
        &mut w,
        case.id,
        ANNA,
        "$note",
        "!note lijkt bang voor manager Y",
    );
    assert!(to_reporter(&fx).is_empty(), "{fx:?}");
    assert_eq!(w.texts_to(&me).len(), before);
    let notes: Vec<&str> = w.transcript[&case.id]
        .iter()
        .filter(|r| matches!(r.author, Author::Note(_)))
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(notes, vec!["!note lijkt bang voor manager Y"]);
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("bijgewerkt")
    );
}

#[test]
fn edits_of_commands_and_edits_into_commands_are_neither_run_nor_relayed() {
    let mut w = World::new();
    let me = telegram(152);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_event(case.id, ANNA, "!status", "$status", None);
    let before = w.sent.len();
    let fx = edit(&mut w, case.id, ANNA, "$status", "!close advice");
    assert!(to_reporter(&fx).is_empty());
    assert_eq!(w.cases[&case.id].status, Status::Open, "not run");
    assert!(
        w.sent[before..]
            .iter()
            .all(|o| !matches!(o, Output::Reporter(_)))
    );
    // A relayed message edited into a command: not relayed, not run.
    w.counsellor_event(case.id, ANNA, "Hallo", "$hi", None);
    let fx = edit(&mut w, case.id, ANNA, "$hi", "!close advice");
    assert!(to_reporter(&fx).is_empty());
    assert_eq!(w.cases[&case.id].status, Status::Open);
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("niet uitgevoerd")
    );
}

#[test]
fn only_the_writer_s_own_edits_and_deletions_count() {
    let mut w = World::new();
    let me = telegram(153);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "!escalate hulp nodig");
    w.counsellor_event(case.id, ANNA, "Hallo", "$anna", None);
    let fx = edit(&mut w, case.id, CARLA, "$anna", "Iets anders");
    assert!(to_reporter(&fx).is_empty());
    let fx = redact(&mut w, case.id, CARLA, "$anna");
    assert!(to_reporter(&fx).is_empty());
}

#[test]
fn a_deletion_of_a_relayed_message_follows_it_and_of_anything_else_changes_nothing() {
    let mut w = World::new();
    let me = telegram(154);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_event(case.id, ANNA, "Te vroeg verstuurd", "$oops", None);
    let fx = redact(&mut w, case.id, ANNA, "$oops");
    assert_eq!(
        to_reporter(&fx),
        vec![&Output::DeleteRelayed {
            to: me.clone(),
            source: "$oops".into(),
        }]
    );
    w.counsellor_event(case.id, ANNA, "!note iets", "$note", None);
    let fx = redact(&mut w, case.id, ANNA, "$note");
    assert!(fx.outputs.is_empty());
}

#[test]
fn a_command_asked_in_a_thread_is_answered_in_it() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(155), "verhaal");
    w.counsellor_event(case.id, ANNA, "!status", "$ask", Some("$root"));
    let answer = w.room_posts(case.id).pop().unwrap();
    assert_eq!(answer.thread.as_deref(), Some("$root"));
    w.counsellor_says(case.id, ANNA, "!status");
    assert_eq!(w.room_posts(case.id).pop().unwrap().thread, None);
}

#[test]
fn what_cannot_be_passed_on_is_said_in_the_room() {
    let mut w = World::new();
    let me = telegram(156);
    let case = w.submit_case(&me, "verhaal");
    let before = w.texts_to(&me).len();
    w.input(Input::CounsellorUnsupported {
        case: case.id,
        sender: ANNA.into(),
        meta: Default::default(),
    });
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("niet doorgegeven")
    );
    w.counsellor_says(case.id, ANNA, "   ");
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("niet doorgegeven")
    );
    assert_eq!(w.texts_to(&me).len(), before);
}

#[test]
fn summary_posts_the_intake_again_without_the_reporter_hearing_of_it() {
    let mut w = World::new();
    let me = telegram(157);
    let case = w.submit_case(&me, "het verhaal van de melder");
    let before = w.texts_to(&me).len();
    w.counsellor_says(case.id, ANNA, "!summary");
    let summary = w.room_posts(case.id).pop().unwrap();
    assert!(
        summary.text.contains("antwoorden uit het intakegesprek")
            && summary.text.contains("het verhaal van de melder"),
        "{}",
        summary.text
    );
    assert_eq!(w.texts_to(&me).len(), before);
}

#[test]
fn an_employee_s_edit_reaches_the_room_as_a_correction_and_never_as_unsupported() {
    let mut w = World::new();
    let me = telegram(158);
    w.say(&me, "/start");
    w.input(Input::Reporter {
        from: me.clone(),
        event: ReporterEvent::Edited("hallo daar".into()),
    });
    let told = w.texts_to(&me).pop().unwrap();
    assert!(told.contains("eerste antwoord aan"), "{told}");
    let case = w.submit_case(&telegram(159), "verhaal");
    let other = telegram(159);
    w.input(Input::Reporter {
        from: other.clone(),
        event: ReporterEvent::Edited("het was dinsdag, niet maandag".into()),
    });
    let post = w.room_posts(case.id).pop().unwrap();
    assert_eq!(post.kind, RoomPostKind::Relay);
    assert!(
        post.text.contains("paste een eerder bericht aan") && post.text.contains("dinsdag"),
        "{}",
        post.text
    );
    assert!(
        !w.texts_to(&other)
            .pop()
            .unwrap()
            .contains("niet worden doorgegeven")
    );
}

#[test]
fn a_counsellor_typing_shows_typing_to_the_employee_and_an_outsider_typing_shows_nothing() {
    let mut w = World::new();
    let me = telegram(160);
    let case = w.submit_case(&me, "verhaal");
    let fx = w.input(Input::CounsellorTyping {
        case: case.id,
        typing: vec![ANNA.into()],
    });
    assert_eq!(fx.outputs, vec![Output::ReporterTyping { to: me.clone() }]);
    let fx = w.input(Input::CounsellorTyping {
        case: case.id,
        typing: vec!["@nosy:example.org".into()],
    });
    assert!(fx.outputs.is_empty());
}

#[test]
fn history_posts_the_last_entries_of_the_transcript_into_the_room_only() {
    let mut w = World::new();
    let me = telegram(161);
    let case = w.submit_case(&me, "verhaal");
    w.counsellor_says(case.id, ANNA, "Hallo, ik ben Anna");
    w.say(&me, "Dank u, ik wil praten");
    w.counsellor_says(case.id, ANNA, "!note lijkt opgelucht");
    let before = w.texts_to(&me).len();
    w.counsellor_says(case.id, ANNA, "!history 2");
    let history = w.room_posts(case.id).pop().unwrap().text;
    assert!(history.contains("de laatste 2 van"), "{history}");
    assert!(
        history.contains("Melder: Dank u, ik wil praten"),
        "{history}"
    );
    assert!(
        history.contains("Aantekening van Anna: lijkt opgelucht"),
        "{history}"
    );
    assert!(
        !history.contains("Hallo, ik ben Anna"),
        "only the last two: {history}"
    );
    assert_eq!(
        w.texts_to(&me).len(),
        before,
        "the reporter hears nothing of it"
    );
    w.counsellor_says(case.id, ANNA, "!history veel");
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .starts_with("Gebruik: !history")
    );
}
