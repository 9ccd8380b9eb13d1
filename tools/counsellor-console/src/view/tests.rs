//! The page's reading of events, on hand-made events: who is "bot", which lines are
//! notices, relayed text or own commands, and what is left out.

use std::collections::HashMap;

use matrix_sdk::deserialized_responses::{
    TimelineEvent, UnableToDecryptInfo, UnableToDecryptReason,
};
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedUserId, owned_user_id};
use serde_json::{Value, json};

use super::*;

fn raw(event: Value) -> Raw<AnySyncTimelineEvent> {
    Raw::from_json_string(event.to_string()).expect("valid JSON")
}

fn message(sender: &str, msgtype: &str, body: &str) -> TimelineEvent {
    TimelineEvent::from_plaintext(raw(json!({
        "type": "m.room.message",
        "event_id": "$m1",
        "sender": sender,
        "origin_server_ts": 1_700_000_000_000u64,
        "content": { "msgtype": msgtype, "body": body },
    })))
}

fn people() -> People {
    let other: OwnedUserId = owned_user_id!("@bram:localhost");
    People {
        me: owned_user_id!("@anna:localhost"),
        my_name: "Anna".to_owned(),
        bots: vec![owned_user_id!("@confidant:localhost")],
        names: HashMap::from([(other, "Bram".to_owned())]),
    }
}

fn shown(event: &TimelineEvent) -> MessageView {
    view(read(event).expect("shown"), &people())
}

#[test]
fn the_bots_notices_and_relayed_text_are_told_apart() {
    let notice = shown(&message("@confidant:localhost", "m.notice", "New report"));
    assert_eq!(
        (notice.who, notice.sender.as_str(), notice.kind),
        (Who::Bot, "bot", Kind::Notice)
    );
    let relayed = shown(&message(
        "@confidant:localhost",
        "m.text",
        "It happened again",
    ));
    assert_eq!((relayed.who, relayed.kind), (Who::Bot, Kind::Text));
    assert_eq!(relayed.text, "It happened again");
    assert_eq!(relayed.ts, 1_700_000_000_000);
    assert_eq!(relayed.id, "$m1");
}

#[test]
fn own_messages_carry_the_counsellors_name_and_commands_are_marked() {
    let answer = shown(&message("@anna:localhost", "m.text", "Hello, I am Anna"));
    assert_eq!(
        (answer.who, answer.sender.as_str(), answer.kind),
        (Who::Me, "Anna", Kind::Text)
    );
    let command = shown(&message("@anna:localhost", "m.text", "  !help"));
    assert_eq!(command.kind, Kind::Command);
    // Another member's "!" text is theirs to explain; it is not our command.
    let other = shown(&message("@bram:localhost", "m.text", "!help"));
    assert_eq!(
        (other.who, other.sender.as_str(), other.kind),
        (Who::Other, "Bram", Kind::Text)
    );
}

#[test]
fn unknown_members_are_named_by_localpart() {
    let line = shown(&message("@carla:localhost", "m.emote", "waves"));
    assert_eq!((line.sender.as_str(), line.kind), ("carla", Kind::Emote));
}

#[test]
fn undecryptable_events_say_so_without_content() {
    let event = TimelineEvent::from_utd(
        raw(json!({
            "type": "m.room.encrypted",
            "event_id": "$e1",
            "sender": "@confidant:localhost",
            "origin_server_ts": 1,
            "content": {
                "algorithm": "m.megolm.v1.aes-sha2",
                "ciphertext": "AwgA",
                "sender_key": "abc",
                "device_id": "BOT",
                "session_id": "s1",
            },
        })),
        UnableToDecryptInfo {
            session_id: Some("s1".to_owned()),
            reason: UnableToDecryptReason::MissingMegolmSession {
                withheld_code: None,
            },
        },
    );
    let line = shown(&event);
    assert_eq!((line.who, line.kind), (Who::Bot, Kind::Undecryptable));
    assert!(!line.text.contains("AwgA"));
}

#[test]
fn attachments_and_deleted_messages_get_a_placeholder() {
    let image = TimelineEvent::from_plaintext(raw(json!({
        "type": "m.room.message",
        "event_id": "$i1",
        "sender": "@anna:localhost",
        "origin_server_ts": 1,
        "content": { "msgtype": "m.image", "body": "photo.jpg", "url": "mxc://x/y" },
    })));
    let line = shown(&image);
    assert_eq!(line.kind, Kind::Unsupported);
    assert!(!line.text.contains("photo.jpg"));

    let deleted = TimelineEvent::from_plaintext(raw(json!({
        "type": "m.room.message",
        "event_id": "$d1",
        "sender": "@anna:localhost",
        "origin_server_ts": 1,
        "content": {},
        "unsigned": { "redacted_because": {
            "type": "m.room.redaction", "event_id": "$r1", "sender": "@anna:localhost",
            "origin_server_ts": 2, "redacts": "$d1", "content": { "redacts": "$d1" },
        }},
    })));
    assert_eq!(shown(&deleted).kind, Kind::Deleted);
}

#[test]
fn joins_are_shown_and_other_state_is_not() {
    let join = TimelineEvent::from_plaintext(raw(json!({
        "type": "m.room.member",
        "event_id": "$j1",
        "sender": "@anna:localhost",
        "state_key": "@anna:localhost",
        "origin_server_ts": 1,
        "content": { "membership": "join" },
    })));
    let line = shown(&join);
    assert_eq!(
        (line.kind, line.text.as_str()),
        (Kind::Membership, "Anna joined")
    );

    let invite = TimelineEvent::from_plaintext(raw(json!({
        "type": "m.room.member",
        "event_id": "$j2",
        "sender": "@confidant:localhost",
        "state_key": "@bram:localhost",
        "origin_server_ts": 1,
        "content": { "membership": "invite" },
    })));
    assert_eq!(shown(&invite).text, "Bram was invited");

    let topic = TimelineEvent::from_plaintext(raw(json!({
        "type": "m.room.topic",
        "event_id": "$t1",
        "sender": "@confidant:localhost",
        "state_key": "",
        "origin_server_ts": 1,
        "content": { "topic": "Report VP-7KQ3-M9TD" },
    })));
    assert_eq!(read(&topic), None);
}

#[test]
fn rooms_sort_by_name_with_unnamed_ones_last() {
    let room = |id: &str, name: &str| RoomView {
        room_id: id.to_owned(),
        name: name.to_owned(),
        encrypted: true,
        joined: true,
    };
    let mut rooms = vec![
        room("!c:localhost", "!c:localhost"),
        room("!b:localhost", "VP-ZZZZ-0000"),
        room("!a:localhost", "VP-7KQ3-M9TD"),
    ];
    sort_rooms(&mut rooms);
    let names: Vec<&str> = rooms.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["VP-7KQ3-M9TD", "VP-ZZZZ-0000", "!c:localhost"]);
}

#[test]
fn display_names_fall_back_to_the_localpart() {
    let anna = owned_user_id!("@anna:localhost");
    assert_eq!(display_name(&anna, Some("Anna".to_owned())), "Anna");
    assert_eq!(display_name(&anna, Some("  ".to_owned())), "anna");
    assert_eq!(display_name(&anna, None), "anna");
}
