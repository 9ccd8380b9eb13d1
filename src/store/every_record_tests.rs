//! Every kind of record survives a master key rotation (killed at any step, then run
//! again) and a dump restored into a new folder: read back through the store's own API,
//! on real sled files.

use super::tests::{case, copy_dir, message, now, save};
use super::*;
use crate::core::registration::{Registration, RegistrationId};
use crate::core::{CaseChange, Effects};

/// A store with one of everything: cases with transcripts and key files, an outbox
/// entry sealed with a case key and one with the system key, one dead letter of each,
/// a registration, shared state, a secret, and an item set aside.
fn fill(store: &Store) {
    for n in 1..=3 {
        let c = case(n, now());
        save(store, None, &c, vec![message(&c, "case-sealed")], Ack::None);
    }
    let registration = Registration {
        organisation: None,
        supported: false,
        kind: Default::default(),
        year: 2026,
        month: 11,
        category: Some("bullying".into()),
        unit: None,
        wishes: vec!["listening".into()],
        outcome: None,
        minutes: 30,
        minutes_by_month: Default::default(),
        promise_kept: Some(true),
        escalated: false,
    };
    let mut shared = Shared::default();
    shared.open_cases.insert("@anna:example.org".into(), 3);
    let system_output = message(&case(9, now()), "system-sealed");
    let effects = Effects {
        case: CaseChange::Unchanged,
        registration: Some((RegistrationId([5; 16]), registration)),
        outputs: vec![system_output.clone(), system_output],
        ..Effects::default()
    };
    store
        .commit(Commit {
            before: None,
            effects: &effects,
            shared: Some(&shared),
            ack: Ack::None,
        })
        .unwrap();
    // One entry of each kind becomes a dead letter.
    for dest in store.outbox_destinations().unwrap() {
        let head = store.outbox_head(dest).unwrap().unwrap();
        if head.case.is_none() || head.case == Some(CaseId([1; 16])) {
            store.dead_letter(&head).unwrap();
        }
    }
    store.put_secret("matrix-session", b"a session").unwrap();
    store
        .quarantine(
            None,
            &Quarantined {
                at: now(),
                source: "telegram update".into(),
                reason: "test".into(),
                payload: b"payload".to_vec(),
            },
        )
        .unwrap();
    store.flush_blocking().unwrap();
}

/// Everything the store gives back, as text: equal before and after means nothing was
/// lost and everything still opens.
fn readable(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for id in store.case_ids().unwrap() {
        out.push(format!("{:?}", store.load_case(id).unwrap()));
        out.push(format!("{:?}", store.transcript(id).unwrap()));
    }
    for n in 1..=3 {
        let found = store
            .case_for_address(&case(n, now()).reporters[0])
            .unwrap();
        out.push(format!("lookup {n}: {:?}", found.map(|c| c.id)));
    }
    for dest in store.outbox_destinations().unwrap() {
        out.push(format!("{:?}", store.outbox_head(dest).unwrap()));
    }
    out.push(format!("dead letters: {}", store.dead_letter_count()));
    let mut dead = Vec::new();
    for item in store.tree(T::DeadLetters).iter() {
        let (key, value) = item.unwrap();
        dead.push(format!(
            "{:?}",
            store
                .open_entry(Destination(key[..32].try_into().unwrap()), &key, &value)
                .unwrap()
                .output
        ));
    }
    out.extend(dead);
    out.push(format!("{:?}", store.registrations().unwrap()));
    out.push(format!("{:?}", store.shared().unwrap()));
    out.push(format!("{:?}", store.get_secret("matrix-session").unwrap()));
    out.push(format!("{:?}", store.quarantined().unwrap()));
    out
}

#[test]
fn a_rotation_stopped_at_any_write_is_finished_by_running_it_again() {
    let pristine = tempfile::tempdir().unwrap();
    let old = MasterKey::generate();
    let new = MasterKey::generate();
    let before = {
        let store = Store::open(pristine.path(), &old).unwrap();
        fill(&store);
        readable(&store)
    };
    assert!(before.iter().any(|r| r.contains("system-sealed")));
    // How many writes a whole rotation makes.
    let total = {
        let copy = tempfile::tempdir().unwrap();
        copy_dir(pristine.path(), copy.path());
        let mut writes = 0;
        let done = rotation::rotate_until(copy.path(), &old, &new, &mut || {
            writes += 1;
            false
        })
        .unwrap();
        assert_eq!(done.key_files, 3);
        assert!(done.records >= 6, "{done:?}");
        writes
    };
    for stop_at in 0..total {
        let copy = tempfile::tempdir().unwrap();
        copy_dir(pristine.path(), copy.path());
        let mut writes = 0;
        let stopped = rotation::rotate_until(copy.path(), &old, &new, &mut || {
            writes += 1;
            writes > stop_at
        });
        assert!(matches!(stopped, Err(StoreError::RotationInterrupted)));
        match stop_at {
            // Stopped before its first write: the old store, as it was.
            0 => {
                let store = Store::open(copy.path(), &old).unwrap();
                assert_eq!(readable(&store), before);
            }
            // Begun: the bot refuses to start, with either key, and says what to do.
            _ => {
                for key in [&old, &new] {
                    let refused = Store::open(copy.path(), key).err().unwrap();
                    assert!(
                        matches!(refused, StoreError::RotationInterrupted),
                        "{refused}"
                    );
                }
                assert!(matches!(
                    rotate(copy.path(), &old, &MasterKey::generate()),
                    Err(StoreError::RotationToOtherKey)
                ));
            }
        }
        let finished = rotate(copy.path(), &old, &new).unwrap();
        assert!(
            !finished.already && finished.unreadable == 0,
            "{finished:?}"
        );
        let store = Store::open(copy.path(), &new).unwrap();
        assert_eq!(readable(&store), before, "stopped at write {stop_at}");
        drop(store);
        assert!(matches!(
            Store::open(copy.path(), &old).err().unwrap(),
            StoreError::WrongMasterKey
        ));
        assert!(rotate(copy.path(), &old, &new).unwrap().already);
    }
}

#[test]
fn after_a_rotation_the_old_key_opens_no_key_file_and_no_system_record() {
    let dir = tempfile::tempdir().unwrap();
    let old = MasterKey::generate();
    let new = MasterKey::generate();
    {
        let store = Store::open(dir.path(), &old).unwrap();
        fill(&store);
    }
    rotate(dir.path(), &old, &new).unwrap();
    let old_keys = DerivedKeys::from_master(&old);
    let ring = Keyring::open(&dir.path().join("keys"), old_keys.wrap).unwrap();
    let store = Store::open(dir.path(), &new).unwrap();
    for id in store.case_ids().unwrap() {
        assert!(ring.get(id).is_err(), "the old key unwraps a case key");
    }
    let sealed = rotation::system_sealed_for_tests(&store.db);
    assert!(sealed.len() >= 6, "{}", sealed.len());
    for rotation::SystemSealed {
        tree,
        key,
        offset,
        aad,
    } in sealed
    {
        let Some(value) = store.tree(tree).get(&key).unwrap() else {
            continue;
        };
        assert!(open(&old_keys.system, &aad, &value[offset..]).is_err());
        assert!(open(&store.system, &aad, &value[offset..]).is_ok());
    }
    // A second rotation keeps the same lookups.
    let newer = MasterKey::generate();
    let before = readable(&store);
    drop(store);
    rotate(dir.path(), &new, &newer).unwrap();
    assert_eq!(readable(&Store::open(dir.path(), &newer).unwrap()), before);
}

#[test]
fn a_dump_restored_elsewhere_reads_the_same_and_numbers_above_it() {
    let from = tempfile::tempdir().unwrap();
    let master = MasterKey::generate();
    // sled numbers on from far above its last number after every restart: a store that
    // has run for a while is far ahead of a new one.
    for _ in 0..3 {
        let store = Store::open(from.path(), &master).unwrap();
        store.next_id().unwrap();
        store.flush_blocking().unwrap();
    }
    let store = Store::open(from.path(), &master).unwrap();
    fill(&store);
    let dump = store.dump(true).unwrap();
    let before = readable(&store);
    let to = tempfile::tempdir().unwrap();
    restore_dump(to.path(), &dump).unwrap();
    let restored = Store::open(to.path(), &master).unwrap();
    assert_eq!(readable(&restored), before);
    // New entries never take an old one's place.
    assert!(restored.next_id().unwrap() >= dump.next_id);
    assert!(dump.next_id > 0);
    let c = case(1, now());
    let outbox_before = restored.outbox_len();
    save(
        &restored,
        Some(&c),
        &c,
        vec![message(&c, "after")],
        Ack::None,
    );
    assert_eq!(restored.outbox_len(), outbox_before + 1);
    assert!(matches!(
        restore_dump(to.path(), &dump),
        Err(StoreError::RestoreOver { .. })
    ));
    // A report's dump: the registrations, and no case, no key file, no secret.
    let report = tempfile::tempdir().unwrap();
    restore_dump(report.path(), &store.dump(false).unwrap()).unwrap();
    let copy = Store::open(report.path(), &master).unwrap();
    assert_eq!(
        copy.registrations().unwrap(),
        store.registrations().unwrap()
    );
    assert!(!copy.registrations().unwrap().is_empty());
    assert!(copy.case_ids().unwrap().is_empty());
    assert_eq!(copy.outbox_len(), 0);
    assert!(copy.get_secret("matrix-session").unwrap().is_none());
    assert!(!report.path().join("keys").read_dir().unwrap().any(|_| true));
}
