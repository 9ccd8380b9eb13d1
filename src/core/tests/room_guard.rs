//! Issue 13 through the core: who may be in a case room, exclusions everywhere a
//! counsellor enters a case, `/resume` from a chat with its own case, unreadable
//! messages, and erasure reaching Matrix.

use super::support::*;
use crate::core::dialog::Answer;
use crate::core::time::SignedDuration;
use crate::core::*;

const HOUR: SignedDuration = SignedDuration::from_hours(1);

fn invites(w: &World, case: CaseId) -> Vec<String> {
    w.sent
        .iter()
        .filter_map(|o| match o {
            Output::Invite { case: c, user, .. } if *c == case => Some(user.clone()),
            _ => None,
        })
        .collect()
}

fn removals(w: &World, case: CaseId) -> Vec<String> {
    w.sent
        .iter()
        .filter_map(|o| match o {
            Output::Remove { case: c, user } if *c == case => Some(user.clone()),
            _ => None,
        })
        .collect()
}

fn excluding(words: &str) -> impl FnOnce(&mut Case) + '_ {
    move |c: &mut Case| c.answers.set("exclude", Answer::Text(words.into()))
}

#[test]
fn an_outsider_in_a_case_room_is_removed_with_a_notice_and_a_member_is_not() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(130), "verhaal");
    w.input(Input::RoomMember {
        case: case.id,
        user: ANNA.into(),
    });
    assert!(
        removals(&w, case.id).is_empty(),
        "the assigned counsellor stays"
    );
    w.input(Input::RoomMember {
        case: case.id,
        user: "@nosy:example.org".into(),
    });
    assert_eq!(removals(&w, case.id), vec!["@nosy:example.org".to_string()]);
    let notice = w.room_posts(case.id).pop().unwrap();
    assert!(
        notice.text.contains("@nosy:example.org") && notice.text.contains("verwijderd"),
        "{}",
        notice.text
    );
    // A coordinator brought in by escalation is a member, not an outsider.
    w.counsellor_says(case.id, ANNA, "!escalate zorgen");
    w.input(Input::RoomMember {
        case: case.id,
        user: CARLA.into(),
    });
    assert_eq!(removals(&w, case.id).len(), 1);
}

#[test]
fn escalation_with_the_coordinator_excluded_invites_the_backup_never_the_coordinator() {
    let mut w = World::new();
    let me = telegram(131);
    let case = w.submit_with(&me, excluding("Liever niet Carla"));
    assert_eq!(case.counsellor.as_deref(), Some(ANNA));
    w.advance(HOUR * 48);
    assert_eq!(invites(&w, case.id), vec![DIRK.to_string()]);
    assert!(!w.cases[&case.id].members.contains(&CARLA.to_string()));
}

#[test]
fn when_everyone_left_is_excluded_nobody_is_brought_in_and_everyone_is_told_honestly() {
    let mut w = World::new();
    w.start_bot();
    let me = telegram(132);
    let case = w.submit_with(&me, excluding("Carla en Dirk"));
    w.advance(HOUR * 48);
    assert!(
        invites(&w, case.id).is_empty(),
        "{:?}",
        invites(&w, case.id)
    );
    let told = w.texts_to(&me);
    assert!(
        told.last().unwrap().contains("niet wilde betrekken"),
        "{told:?}"
    );
    assert!(w.cases[&case.id].nobody_left);
    assert!(
        w.room_posts(case.id)
            .last()
            .unwrap()
            .text
            .contains("Niet geëscaleerd")
    );
    w.counsellor_says(case.id, ANNA, "!status");
    let status = w.room_posts(case.id).pop().unwrap().text;
    assert!(
        status.contains("Niemand meer in te schakelen: ja"),
        "{status}"
    );
    // The daily digest counts it, naming no case.
    w.advance(HOUR * 24);
    let digest = w
        .sent
        .iter()
        .filter_map(|o| match o {
            Output::CounsellorDm { text, .. } => Some(text.clone()),
            _ => None,
        })
        .find(|t| t.contains("zonder vertrouwenspersoon"));
    let digest = digest.expect("a digest line about it");
    assert!(!digest.contains(case.token.as_str()), "{digest}");
    // Closed, it is no longer flagged.
    w.counsellor_says(case.id, ANNA, "!close");
    assert!(w.shared.nobody_left.is_empty() || w.cases[&case.id].status == Status::Open);
}

#[test]
fn a_report_excluding_everyone_available_goes_to_nobody_and_says_so() {
    let mut w = World::new();
    let me = telegram(133);
    let case = w.submit_with(&me, excluding("Anna, Bram, Carla en Dirk"));
    assert_eq!(case.counsellor, None);
    assert!(case.members.is_empty());
    assert!(case.nobody_left);
    assert!(
        w.texts_to(&me)
            .iter()
            .any(|t| t.contains("Wij schakelen niemand in die u heeft uitgesloten")),
        "{:?}",
        w.texts_to(&me)
    );
    assert!(w.shared.nobody_left.contains(&hex::encode(case.id.0)));
}

#[test]
fn a_handover_to_an_excluded_counsellor_is_refused() {
    let mut w = World::new();
    let case = w.submit_with(&telegram(134), excluding("niet Bram"));
    w.counsellor_says(case.id, ANNA, &format!("!handover {BRAM}"));
    assert!(invites(&w, case.id).is_empty());
    assert_eq!(w.cases[&case.id].counsellor.as_deref(), Some(ANNA));
    assert!(
        w.room_posts(case.id)
            .pop()
            .unwrap()
            .text
            .contains("Niet overgedragen")
    );
}

#[test]
fn resume_from_a_chat_with_its_own_case_is_refused_and_nothing_moves() {
    let mut w = World::new();
    let phone = telegram(135);
    let mine = w.submit_case(&phone, "eerste");
    let code = w
        .texts_to(&phone)
        .iter()
        .rev()
        .find_map(|t| t.split("geheime code is ").nth(1).map(str::to_owned))
        .and_then(|rest| rest.split(['.', ' ']).next().map(str::to_owned))
        .expect("a code");
    let other_chat = telegram(136);
    let theirs = w.submit_case(&other_chat, "tweede");
    // The second chat tries to join the first case.
    w.say(
        &other_chat,
        &format!("/resume {} {}", mine.token.as_str(), code),
    );
    assert!(
        w.texts_to(&other_chat)
            .last()
            .unwrap()
            .contains("hoort al bij een eigen melding"),
        "{:?}",
        w.texts_to(&other_chat).last()
    );
    assert_eq!(w.cases[&mine.id].reporters, vec![phone.clone()]);
    assert_eq!(w.lookup[&other_chat], theirs.id);
    // Its words still go to its own case's room only.
    let before = w.room_posts(mine.id).len();
    w.say(&other_chat, "nog iets");
    assert_eq!(w.room_posts(mine.id).len(), before);
    assert!(
        w.room_posts(theirs.id)
            .last()
            .unwrap()
            .text
            .contains("nog iets")
    );
}

#[test]
fn an_unreadable_counsellor_message_gets_a_notice_naming_the_cause() {
    let mut w = World::new();
    let case = w.submit_case(&telegram(137), "verhaal");
    w.input(Input::CounsellorUndecryptable {
        case: case.id,
        sender: ANNA.into(),
    });
    let notice = w.room_posts(case.id).pop().unwrap();
    assert!(notice.text.contains("niet ontsleutelen"), "{}", notice.text);
    assert_eq!(notice.mentions, vec![ANNA.to_string()]);
}

#[test]
fn a_plain_text_matrix_chat_starts_no_intake() {
    let mut w = World::new();
    let chat = matrix("!plain:example.org");
    w.input(Input::Reporter {
        from: chat.clone(),
        event: ReporterEvent::Unencrypted,
    });
    assert!(w.case_of(&chat).is_none());
    assert!(
        w.texts_to(&chat)
            .last()
            .unwrap()
            .contains("zonder versleuteling")
    );
    w.input(Input::Reporter {
        from: chat.clone(),
        event: ReporterEvent::Undecryptable,
    });
    assert!(w.case_of(&chat).is_none());
}

#[test]
fn erasing_a_case_leaves_its_room_and_the_reporter_s_matrix_chat() {
    let mut w = World::new();
    let phone = telegram(139);
    let case = w.submit_case(&phone, "verhaal");
    // A Matrix chat linked to the case as `/resume` links one.
    let chat = matrix("!dm:example.org");
    w.cases
        .get_mut(&case.id)
        .unwrap()
        .reporters
        .push(chat.clone());
    w.lookup.insert(chat.clone(), case.id);
    w.say(&phone, "/forget");
    w.choose(&phone, "erase");
    assert!(w.erased.contains(&case.id), "{:?}", w.texts_to(&chat));
    let leaves: Vec<&Output> = w
        .sent
        .iter()
        .filter(|o| {
            matches!(
                o,
                Output::LeaveCaseRoom { .. } | Output::LeaveReporterChat { .. }
            )
        })
        .collect();
    assert_eq!(
        leaves,
        vec![
            &Output::LeaveCaseRoom {
                case: case.id,
                room_id: None
            },
            &Output::LeaveReporterChat { to: chat.clone() }
        ]
    );
    // A Telegram reporter's chat is not "left".
    assert!(
        !w.sent
            .iter()
            .any(|o| matches!(o, Output::LeaveReporterChat { to } if *to == phone))
    );
}

#[test]
fn a_case_that_had_nobody_is_assigned_at_a_reminder_once_someone_fits() {
    let mut w = World::new();
    for c in &mut w.core.settings.roster.counsellors {
        c.max_open_cases = 1;
    }
    let annas = w.submit_case(&telegram(140), "een");
    assert_eq!(annas.counsellor.as_deref(), Some(ANNA));
    let brams = w.submit_case(&telegram(141), "twee");
    assert_eq!(brams.counsellor.as_deref(), Some(BRAM));
    let me = telegram(142);
    let case = w.submit_with(&me, excluding("Carla en Dirk"));
    assert_eq!(case.counsellor, None);
    assert!(case.nobody_left);
    // Anna closes a case; at the first reminder the waiting report goes to her.
    w.counsellor_says(annas.id, ANNA, "!close advice");
    w.advance(HOUR * 24);
    let now = &w.cases[&case.id];
    assert_eq!(now.counsellor.as_deref(), Some(ANNA));
    assert!(now.members.contains(&ANNA.to_string()));
    assert!(!now.nobody_left);
    assert!(!w.shared.nobody_left.contains(&hex::encode(case.id.0)));
    let told: Vec<String> = w
        .sent
        .iter()
        .filter_map(|o| match o {
            Output::Invite {
                case: c,
                user,
                then,
                ..
            } if *c == case.id && user == ANNA => Some(then.clone()),
            _ => None,
        })
        .flatten()
        .filter_map(|o| match o {
            Output::Reporter(m) if m.to == me => Some(m.text),
            _ => None,
        })
        .collect();
    assert!(told.iter().any(|t| t.contains("Anna")), "{told:?}");
}
