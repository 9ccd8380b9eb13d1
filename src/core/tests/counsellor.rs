//! Counsellor messages in a case room, through the core.

use super::support::*;
use crate::core::io::{Refusal, Undelivered, UndeliveredTo};
use crate::core::*;

#[test]
fn counsellor_text_reaches_every_linked_chat_and_counts_as_contact() {
    let mut w = World::new();
    let me = telegram(20);
    let case = w.submit_case(&me, "verhaal");
    w.input(Input::Counsellor {
        case: case.id,
        sender: ANNA.into(),
        text: "Hoi, ik ben Anna.".into(),
        meta: Default::default(),
    });
    assert_eq!(w.texts_to(&me).last().unwrap(), "Anna: Hoi, ik ben Anna.");
    let case = w.cases[&case.id].clone();
    assert_eq!(case.first_contact_at, Some(w.now));
    assert!(matches!(
        w.transcript[&case.id].last().unwrap().author,
        Author::Counsellor(_)
    ));
}

#[test]
fn bang_commands_are_never_relayed() {
    let mut w = World::new();
    let me = telegram(21);
    let case = w.submit_case(&me, "verhaal");
    let before = w.texts_to(&me).len();
    w.input(Input::Counsellor {
        case: case.id,
        sender: ANNA.into(),
        text: "!help".into(),
        meta: Default::default(),
    });
    w.input(Input::Counsellor {
        case: case.id,
        sender: ANNA.into(),
        text: "!nonsense secret words".into(),
        meta: Default::default(),
    });
    assert_eq!(
        w.texts_to(&me).len(),
        before,
        "nothing went to the reporter"
    );
    let posts = w.room_posts(case.id);
    assert!(posts[posts.len() - 2].text.contains("!help"));
    assert!(
        posts
            .last()
            .unwrap()
            .text
            .contains("!nonsense is geen opdracht")
    );
    assert!(w.cases[&case.id].first_contact_at.is_none());
}

#[test]
fn strangers_in_a_case_room_are_not_relayed() {
    let mut w = World::new();
    let me = telegram(22);
    let case = w.submit_case(&me, "verhaal");
    let before = w.texts_to(&me).len();
    w.input(Input::Counsellor {
        case: case.id,
        sender: "@mallory:example.org".into(),
        text: "hello".into(),
        meta: Default::default(),
    });
    assert_eq!(w.texts_to(&me).len(), before);
    assert!(
        w.room_posts(case.id)
            .last()
            .unwrap()
            .text
            .contains("niet doorgegeven")
    );
}

#[test]
fn long_counsellor_messages_are_split_not_lost() {
    let mut w = World::new();
    let me = telegram(23);
    let case = w.submit_case(&me, "verhaal");
    let long = "woord ".repeat(1500);
    let before = w.texts_to(&me).len();
    w.input(Input::Counsellor {
        case: case.id,
        sender: ANNA.into(),
        text: long.clone(),
        meta: Default::default(),
    });
    let parts = &w.texts_to(&me)[before..];
    assert!(parts.len() >= 3, "{}", parts.len());
    assert_eq!(parts.concat(), format!("Anna: {long}"));
}

#[test]
fn an_undeliverable_message_is_reported_in_the_room() {
    let mut w = World::new();
    let me = telegram(24);
    let case = w.submit_case(&me, "verhaal");
    w.input(Input::Undeliverable {
        case: case.id,
        undelivered: Undelivered {
            to: UndeliveredTo::Reporter,
            why: Refusal::Unreachable,
            excerpt: Some("Hallo".into()),
        },
    });
    let post = w.room_posts(case.id).pop().unwrap();
    assert!(
        post.text.contains("niet bij de melder worden afgeleverd")
            && post.text.contains("geblokkeerd")
            && post.text.contains("\"Hallo\""),
        "{}",
        post.text
    );
    assert_eq!(post.mentions, vec![ANNA.to_string()]);
}
