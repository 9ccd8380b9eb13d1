//! Store tests on real sled files in a temporary folder.

use super::*;
use crate::core::io::{Author, Output, ReporterMessage, RoomPost, RoomPostKind};
use crate::core::{CaseChange, Effects, Status, TimerKind, Timestamp, Token};
use crate::i18n::Lang;

const MARKER: &str = "PLAINTEXT-MARKER-3141";

pub(super) fn case(n: u8, now: Timestamp) -> Case {
    let mut case = Case::new(
        CaseId([n; 16]),
        Token::parse("VP-AAAA-BBBB").unwrap(),
        ReporterAddress::Telegram {
            chat_id: 4242 + n as i64,
        },
        Lang::new("nl"),
        now,
    );
    case.answers.set(
        "story",
        crate::core::dialog::Answer::Text(format!("{MARKER} in the answers")),
    );
    case
}

pub(super) fn now() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

pub(super) fn message(case: &Case, text: &str) -> Output {
    Output::Reporter(ReporterMessage {
        to: case.reporters[0].clone(),
        text: text.into(),
        buttons: Vec::new(),
        source: None,
        html: None,
        reply_to: None,
    })
}

pub(super) fn save(
    store: &Store,
    before: Option<&Case>,
    case: &Case,
    outputs: Vec<Output>,
    ack: Ack,
) -> CommitReport {
    let mut case = case.clone();
    let seq = case.transcript_len;
    case.transcript_len += 1;
    let effects = Effects {
        case: CaseChange::Save(Box::new(case.clone())),
        transcript: vec![crate::core::TranscriptEntry {
            seq,
            at: now(),
            author: Author::Reporter,
            text: format!("{MARKER} transcript {seq}"),
        }],
        outputs,
        ..Effects::default()
    };
    store
        .commit(Commit {
            before,
            effects: &effects,
            shared: None,
            ack,
        })
        .unwrap()
}

/// A copy of the folder `from` (a store at rest) at `to`.
pub(super) fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every byte of every file under `dir`.
fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    walk(dir)
        .iter()
        .flat_map(|path| std::fs::read(path).unwrap())
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn cases_transcripts_and_offsets_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let c = case(1, now());
    {
        let store = Store::open(dir.path(), &master).unwrap();
        save(
            &store,
            None,
            &c,
            vec![message(&c, "hello")],
            Ack::TelegramOffset(77),
        );
        store.flush().await.unwrap();
    }
    let store = Store::open(dir.path(), &master).unwrap();
    let loaded = store.case_for_address(&c.reporters[0]).unwrap().unwrap();
    assert_eq!(loaded.answers, c.answers);
    assert_eq!(store.transcript(c.id).unwrap().len(), 1);
    assert_eq!(store.telegram_offset().unwrap(), 77);
    assert_eq!(store.outbox_len(), 1);
}

#[tokio::test]
async fn a_wrong_master_key_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
        save(&store, None, &case(1, now()), Vec::new(), Ack::None);
        store.flush().await.unwrap();
    }
    let err = Store::open(dir.path(), &MasterKey::generate())
        .err()
        .expect("refused");
    assert!(matches!(err, StoreError::WrongMasterKey), "{err}");
    assert!(err.to_string().contains("does not match this data folder"));
}

#[tokio::test]
async fn a_corrupted_record_gives_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let c = case(1, now());
    save(&store, None, &c, Vec::new(), Ack::None);
    let mut sealed = store.tree(T::Cases).get(c.id.0).unwrap().unwrap().to_vec();
    sealed[30] ^= 0x55;
    store.tree(T::Cases).insert(c.id.0, sealed).unwrap();
    let err = store.load_case(c.id).unwrap_err();
    assert!(
        matches!(&err, StoreError::CaseUnreadable { case, source }
            if *case == c.id && matches!(**source, StoreError::Sealed { what: "case", .. })),
        "{err}"
    );
    // A record moved to another case's place does not open either.
    let other = case(2, now());
    save(&store, None, &other, Vec::new(), Ack::None);
    let moved = store
        .tree(T::Transcript)
        .get(codec::case_seq(other.id, 0))
        .unwrap()
        .unwrap();
    store
        .tree(T::Transcript)
        .insert(codec::case_seq(other.id, 5), moved)
        .unwrap();
    assert!(store.transcript(other.id).is_err());
}

#[tokio::test]
async fn no_plaintext_reaches_the_files_and_erasure_shreds_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let store = Store::open(dir.path(), &master).unwrap();
    let c = case(1, now());
    save(
        &store,
        None,
        &c,
        vec![message(&c, &format!("{MARKER} outgoing"))],
        Ack::None,
    );
    store.flush().await.unwrap();
    let bytes = all_bytes(dir.path());
    assert!(
        !contains(&bytes, MARKER),
        "plaintext found in the data folder"
    );
    assert!(
        !contains(&bytes, "4243"),
        "chat id found in the data folder"
    );

    let loaded = store.load_case(c.id).unwrap().unwrap();
    let effects = Effects {
        case: CaseChange::Erase(Box::new(loaded.clone())),
        ..Effects::default()
    };
    let report = store
        .commit(Commit {
            before: Some(&loaded),
            effects: &effects,
            shared: None,
            ack: Ack::None,
        })
        .unwrap();
    store.flush().await.unwrap();
    store.destroy_case_key(report.erased.unwrap()).unwrap();
    assert!(store.load_case(c.id).unwrap().is_none());
    assert!(store.case_for_address(&c.reporters[0]).unwrap().is_none());
    assert_eq!(
        store.outbox_len(),
        0,
        "undelivered messages of the case are dropped"
    );
    assert!(
        std::fs::read_dir(dir.path().join("keys"))
            .unwrap()
            .next()
            .is_none(),
        "the key file is gone"
    );
    assert!(matches!(store.transcript(c.id), Err(StoreError::Key(_))));
}

#[tokio::test]
async fn an_orphan_key_is_swept_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    {
        let store = Store::open(dir.path(), &master).unwrap();
        store.keyring().get_or_create(CaseId([9; 16])).unwrap();
    }
    let store = Store::open(dir.path(), &master).unwrap();
    assert!(store.keyring().cases().unwrap().is_empty());
}

#[tokio::test]
async fn outbox_keeps_order_per_destination_and_forgets_only_completed_entries() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let a = case(1, now());
    let b = case(2, now());
    save(
        &store,
        None,
        &a,
        vec![message(&a, "a1"), message(&a, "a2")],
        Ack::None,
    );
    save(&store, None, &b, vec![message(&b, "b1")], Ack::None);
    let room = Output::Room(RoomPost {
        case: a.id,
        text: "room".into(),
        kind: RoomPostKind::Notice,
        mentions: Vec::new(),
        thread: None,
        from_message: None,
        html: None,
    });
    let a2 = store.load_case(a.id).unwrap().unwrap();
    save(
        &store,
        Some(&a2),
        &a2,
        vec![message(&a, "a3"), room],
        Ack::None,
    );
    let dests = store.outbox_destinations().unwrap();
    assert_eq!(dests.len(), 3);
    let da = store.destination(&message(&a, ""));
    let mut texts = Vec::new();
    while let Some(entry) = store.outbox_head(da).unwrap() {
        if let Output::Reporter(m) = &entry.output {
            texts.push(m.text.clone());
        }
        store.complete(&entry, Delivered::Nothing).unwrap();
    }
    assert_eq!(texts, ["a1", "a2", "a3"]);
    assert_eq!(store.outbox_destinations().unwrap().len(), 2);
}

#[tokio::test]
async fn timer_index_follows_the_case_and_yields_the_earliest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let mut a = case(1, now());
    a.timers.insert(
        TimerKind::IntakeExpiry,
        now() + jiff::SignedDuration::from_hours(5),
    );
    let mut b = case(2, now());
    b.timers.insert(
        TimerKind::IntakeExpiry,
        now() + jiff::SignedDuration::from_hours(2),
    );
    save(&store, None, &a, Vec::new(), Ack::None);
    save(&store, None, &b, Vec::new(), Ack::None);
    let first = store.next_timer().unwrap().unwrap();
    assert_eq!(
        (first.case, first.at),
        (b.id, now() + jiff::SignedDuration::from_hours(2))
    );
    let mut moved = b.clone();
    moved.timers.insert(
        TimerKind::IntakeExpiry,
        now() + jiff::SignedDuration::from_hours(9),
    );
    moved.status = Status::Intake;
    save(&store, Some(&b), &moved, Vec::new(), Ack::None);
    assert_eq!(
        store.timer_count(),
        2,
        "the old entry was replaced, not kept"
    );
    assert_eq!(store.next_timer().unwrap().unwrap().case, a.id);
}

#[test]
fn every_tree_is_opened_at_its_own_index() {
    for (i, t) in T::ALL.iter().enumerate() {
        assert_eq!(*t as usize, i, "{}", t.name());
    }
    assert_eq!(
        T::TelegramIds as usize,
        T::ALL.len() - 1,
        "a new tree must be added to T::ALL"
    );
}

#[tokio::test]
async fn files_are_sealed_at_rest_stored_with_their_record_and_erased_with_the_case() {
    use crate::core::files::{FileBytes, NewFile};
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let store = Store::open(dir.path(), &master).unwrap();
    let c = case(3, now());
    let picture = format!("{MARKER} inside a picture").into_bytes();
    let effects = Effects {
        case: CaseChange::Save(Box::new(c.clone())),
        files: vec![NewFile {
            seq: 0,
            bytes: FileBytes::new(picture.clone()),
        }],
        ..Effects::default()
    };
    store
        .commit(Commit {
            before: None,
            effects: &effects,
            shared: None,
            ack: Ack::TelegramOffset(5),
        })
        .unwrap();
    store.flush().await.unwrap();
    assert_eq!(
        store.load_file(c.id, 0).unwrap().bytes(),
        picture.as_slice()
    );
    assert!(
        !contains(&all_bytes(dir.path()), MARKER),
        "the file's bytes are in the data folder unsealed"
    );
    let erase = Effects {
        case: CaseChange::Erase(Box::new(c.clone())),
        ..Effects::default()
    };
    let report = store
        .commit(Commit {
            before: Some(&c),
            effects: &erase,
            shared: None,
            ack: Ack::None,
        })
        .unwrap();
    store.flush().await.unwrap();
    store.destroy_case_key(report.erased.unwrap()).unwrap();
    assert!(
        store.tree(T::Files).is_empty(),
        "the sealed file is removed too"
    );
    assert!(store.load_file(c.id, 0).is_err());
}

/// A reminder that fired is gone from the index in the same transaction that queues its
/// message and moves the case's next timer, so a crash at any point either repeats the
/// whole firing (nothing was written) or none of it (all was): never the message twice.
#[tokio::test]
async fn a_fired_timer_its_effects_and_its_ack_are_one_write() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    let reminder_at = now() + jiff::SignedDuration::from_hours(24);
    let deadline_at = now() + jiff::SignedDuration::from_hours(48);
    let mut before = case(3, now());
    before
        .timers
        .insert(TimerKind::FirstContactReminder, reminder_at);
    before
        .timers
        .insert(TimerKind::FirstContactDeadline, deadline_at);
    {
        let store = Store::open(dir.path(), &master).unwrap();
        save(&store, None, &before, Vec::new(), Ack::None);
        store.flush().await.unwrap();
        let due = store.next_timer().unwrap().unwrap();
        assert_eq!(due.kind, TimerKind::FirstContactReminder);
        let mut after = before.clone();
        after.timers.insert(
            TimerKind::FirstContactReminder,
            deadline_at - jiff::SignedDuration::from_hours(4),
        );
        let reminder = Output::Room(RoomPost {
            case: before.id,
            text: "Herinnering".into(),
            kind: RoomPostKind::Notice,
            mentions: Vec::new(),
            thread: None,
            from_message: None,
            html: None,
        });
        save(
            &store,
            Some(&before),
            &after,
            vec![reminder],
            Ack::Timer(due.key),
        );
        store.flush().await.unwrap();
    }
    let store = Store::open(dir.path(), &master).unwrap();
    assert_eq!(store.outbox_len(), 1, "the reminder is queued once");
    assert_eq!(
        store.timer_count(),
        2,
        "the fired entry went, the next one came"
    );
    let next = store.next_timer().unwrap().unwrap();
    assert_eq!(
        (next.kind, next.at),
        (
            TimerKind::FirstContactReminder,
            deadline_at - jiff::SignedDuration::from_hours(4)
        )
    );
}

#[tokio::test]
async fn handled_marks_are_pruned_after_they_can_no_longer_matter() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let a = case(1, now());
    save(
        &store,
        None,
        &a,
        Vec::new(),
        Ack::MatrixEvent("$event".into()),
    );
    let today = crate::core::Timestamp::now();
    assert_eq!(store.prune_handled(today, 30).unwrap(), 0);
    assert!(store.is_handled("$event").unwrap());
    let later = today + jiff::SignedDuration::from_hours(24 * 31);
    assert_eq!(store.prune_handled(later, 30).unwrap(), 1);
    assert!(!store.is_handled("$event").unwrap());
}

#[tokio::test]
async fn erasure_takes_dead_letters_and_what_was_set_aside_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let a = case(1, now());
    save(&store, None, &a, vec![message(&a, "weigering")], Ack::None);
    let dest = store.outbox_destinations().unwrap()[0];
    let entry = store.outbox_head(dest).unwrap().unwrap();
    store.note_failure(&entry, now()).unwrap();
    store.dead_letter(&entry).unwrap();
    store
        .quarantine(
            Some(a.id),
            &crate::store::Quarantined {
                at: now(),
                source: "input".into(),
                reason: "test".into(),
                payload: b"x".to_vec(),
            },
        )
        .unwrap();
    assert_eq!(
        (store.dead_letter_count(), store.quarantine_count()),
        (1, 1)
    );
    let effects = Effects {
        case: CaseChange::Erase(Box::new(a.clone())),
        ..Effects::default()
    };
    store
        .commit(Commit {
            before: Some(&a),
            effects: &effects,
            shared: None,
            ack: Ack::None,
        })
        .unwrap();
    assert_eq!(
        (store.dead_letter_count(), store.quarantine_count()),
        (0, 0)
    );
    assert!(store.attempts(&entry).unwrap().is_none());
}

#[tokio::test]
async fn a_damaged_database_file_is_refused_with_advice_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    {
        let store = Store::open(dir.path(), &master).unwrap();
        for n in 1..=20 {
            save(&store, None, &case(n, now()), Vec::new(), Ack::None);
        }
        store.flush_blocking().unwrap();
    }
    // One flipped byte in each of sled's files, past their headers.
    let mut damaged = 0;
    for entry in walk(&dir.path().join("sled")) {
        let mut bytes = std::fs::read(&entry).unwrap();
        // Past the header, inside what was written (the log is preallocated with zeros).
        let written = bytes.iter().rposition(|b| *b != 0).unwrap_or(0);
        if written > 64 {
            let at = written / 2;
            bytes[at] ^= 0x5a;
            std::fs::write(&entry, bytes).unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    let opened = std::panic::catch_unwind(|| Store::open(dir.path(), &master));
    let result = opened.expect("no panic on a damaged database");
    // sled opens it, having silently dropped the log after the damage; the store does not.
    let error = result
        .err()
        .expect("a store that lost durable commits is refused");
    let text = error.to_string();
    assert!(
        text.contains("damaged") && text.contains("backup"),
        "the error says what to do: {text}"
    );
}

#[tokio::test]
async fn an_intact_store_reopens_past_its_generation_check() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    for round in 1..=3u8 {
        let store = Store::open(dir.path(), &master).unwrap();
        save(&store, None, &case(round, now()), Vec::new(), Ack::None);
        store.flush_blocking().unwrap();
    }
    let store = Store::open(dir.path(), &master).unwrap();
    assert_eq!(store.case_ids().unwrap().len(), 3);
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_relayed_message_edited_or_deleted_before_it_was_sent_goes_as_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let master = crate::crypto::MasterKey::generate();
    let store = Store::open(dir.path(), &master).unwrap();
    let c = case(31, now());
    let to = c.reporters[0].clone();
    let relayed = |source: &str, text: &str| ReporterMessage {
        to: to.clone(),
        text: text.into(),
        buttons: Vec::new(),
        source: Some(source.into()),
        html: None,
        reply_to: None,
    };
    save(&store, None, &c, Vec::new(), Ack::None);
    let edited = Output::EditRelayed {
        to: to.clone(),
        source: "$a".into(),
        text: "Anna: nieuw".into(),
        correction: "Correctie van Anna: nieuw".into(),
    };
    let deleted = Output::DeleteRelayed {
        to: to.clone(),
        source: "$b".into(),
    };
    save(&store, Some(&c), &c, vec![edited, deleted], Ack::None);
    let a = store
        .as_it_stands(Some(c.id), &relayed("$a", "Anna: oud"))
        .unwrap();
    assert_eq!(a.map(|m| m.text), Some("Anna: nieuw".to_owned()));
    assert_eq!(
        store
            .as_it_stands(Some(c.id), &relayed("$b", "Anna: weg"))
            .unwrap(),
        None
    );
    let untouched = relayed("$c", "Anna: blijft");
    assert_eq!(
        store.as_it_stands(Some(c.id), &untouched).unwrap(),
        Some(untouched.clone())
    );
    // The marks are sealed with the case key: nothing of the edit is readable on disk,
    // and erasure takes them along.
    store.flush_blocking().unwrap();
    assert!(!contains(&all_bytes(dir.path()), "nieuw"));
    let effects = Effects {
        case: CaseChange::Erase(Box::new(c.clone())),
        ..Effects::default()
    };
    store
        .commit(Commit {
            before: Some(&c),
            effects: &effects,
            shared: None,
            ack: Ack::None,
        })
        .unwrap();
    assert!(
        store
            .tree(T::Meta)
            .scan_prefix(b"superseded:")
            .next()
            .is_none()
    );
}
