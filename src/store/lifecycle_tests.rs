//! The store's side of the privacy lifecycle, on real sled files: `/wipe` finds the
//! messages to delete, retention drops the transcript, and erasure keeps only the
//! anonymous registration, while the room notice still finds its room.

use super::tests::{case, now};
use super::*;
use crate::core::io::{Output, ReporterMessage, RoomPost, RoomPostKind, RoomSetup};
use crate::core::registration::{Registration, RegistrationId};
use crate::core::{CaseChange, Effects};

fn commit(store: &Store, before: Option<&Case>, effects: Effects) -> CommitReport {
    store
        .commit(Commit {
            before,
            effects: &effects,
            shared: None,
            ack: Ack::None,
        })
        .unwrap()
}

/// Delivers everything queued, as the networks would, answering room creation and
/// reporter messages the way Matrix and Telegram do.
fn deliver_all(store: &Store, room_id: &str, mut next_message_id: i32) -> Vec<Output> {
    let mut delivered = Vec::new();
    for dest in store.outbox_destinations().unwrap() {
        while let Some(entry) = store.outbox_head(dest).unwrap() {
            let done = match &entry.output {
                Output::CreateRoom(_) => Delivered::RoomCreated {
                    room_id: room_id.into(),
                },
                Output::Reporter(m) => {
                    next_message_id += 1;
                    Delivered::ReporterMessage(SentRecord {
                        to: m.to.clone(),
                        message_id: next_message_id,
                        source: None,
                        event_id: None,
                        employee: false,
                    })
                }
                _ => Delivered::Nothing,
            };
            store.complete(&entry, done).unwrap();
            delivered.push(entry.output.clone());
        }
    }
    delivered
}

fn record() -> Registration {
    Registration {
        organisation: None,
        supported: false,
        kind: Default::default(),
        year: 2026,
        month: 11,
        category: Some("bullying".into()),
        unit: None,
        wishes: vec![],
        outcome: Some("withdrawn".into()),
        minutes: 0,
        minutes_by_month: Default::default(),
        promise_kept: None,
        escalated: false,
    }
}

#[tokio::test]
async fn wipe_retention_and_erasure_leave_only_the_anonymous_count() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let store = Store::open(dir.path(), &master).unwrap();
    let c = case(7, now());
    let to = c.reporters[0].clone();
    let registration = RegistrationId([5; 16]);
    let hello = Output::Reporter(ReporterMessage {
        to: to.clone(),
        text: "hallo".into(),
        buttons: Vec::new(),
        source: None,
        html: None,
        reply_to: None,
    });
    let setup = Output::CreateRoom(RoomSetup {
        case: c.id,
        name: c.token.to_string(),
        topic: String::new(),
        invite: Vec::new(),
    });
    commit(
        &store,
        None,
        Effects {
            case: CaseChange::Save(Box::new(c.clone())),
            transcript: vec![crate::core::TranscriptEntry {
                seq: 0,
                at: now(),
                author: crate::core::Author::Reporter,
                text: "PLAINTEXT-MARKER-3141 story".into(),
            }],
            outputs: vec![setup, hello.clone(), hello],
            registration: Some((registration, record())),
            ..Effects::default()
        },
    );
    deliver_all(&store, "!room:example.org", 100);

    // /wipe: queued behind the chat's earlier messages, and those are on record.
    commit(
        &store,
        Some(&c),
        Effects {
            case: CaseChange::Save(Box::new(c.clone())),
            outputs: vec![Output::WipeReporterChat { to: to.clone() }],
            ..Effects::default()
        },
    );
    assert_eq!(store.messages_sent_to(c.id, &to).unwrap(), vec![101, 102]);
    let wiped = deliver_all(&store, "!room:example.org", 200);
    assert_eq!(wiped, vec![Output::WipeReporterChat { to: to.clone() }]);

    // Retention: the transcript goes, the case stays.
    assert_eq!(store.transcript(c.id).unwrap().len(), 1);
    commit(
        &store,
        Some(&c),
        Effects {
            case: CaseChange::Save(Box::new(c.clone())),
            drop_transcript: true,
            ..Effects::default()
        },
    );
    assert!(store.transcript(c.id).unwrap().is_empty());
    assert!(store.load_case(c.id).unwrap().is_some());

    // Erasure with a notice for the room: the notice still finds it.
    let notice = Output::Room(RoomPost {
        case: c.id,
        text: "withdrawn".into(),
        kind: RoomPostKind::Notice,
        mentions: Vec::new(),
        thread: None,
        from_message: None,
        html: None,
    });
    let report = commit(
        &store,
        Some(&c),
        Effects {
            case: CaseChange::Erase(Box::new(c.clone())),
            outputs: vec![notice],
            registration: Some((registration, record())),
            ..Effects::default()
        },
    );
    store.flush().await.unwrap();
    store.destroy_case_key(report.erased.unwrap()).unwrap();
    let after = deliver_all(&store, "!unused:example.org", 300);
    assert_eq!(
        after,
        vec![Output::RoomAfterErasure {
            case: c.id,
            room_id: "!room:example.org".into(),
            text: "withdrawn".into(),
        }]
    );
    assert!(store.load_case(c.id).unwrap().is_none());
    assert!(store.sent_messages(c.id).is_err(), "the key is gone");
    assert_eq!(store.registrations().unwrap(), vec![record()]);
    drop(store);

    // With the master key in hand, nothing of the case can be read any more.
    let store = Store::open(dir.path(), &master).unwrap();
    assert!(store.load_case(c.id).unwrap().is_none());
    assert!(store.transcript(c.id).map(|t| t.is_empty()).unwrap_or(true));
    assert!(store.room_of(c.id).unwrap_or(None).is_none());
    assert_eq!(store.registrations().unwrap(), vec![record()]);
}
