//! Cases written straight into a real data folder through the store (no bot, no
//! network), and read back: for tests of what is done to a folder as a whole.

use std::path::Path;

use confidant::core::{Author, Case, CaseChange, CaseId, Effects, ReporterAddress, Token};
use confidant::core::{Timestamp, TranscriptEntry};
use confidant::crypto::MasterKey;
use confidant::i18n::Lang;
use confidant::store::{Ack, Commit, Store};

/// Enough cases that a rotation takes a while on a real disk.
pub const CASES: u8 = 250;

/// `CASES` cases, each with its key file and a transcript line; returns what each holds.
pub fn fill(data: &Path, master: &MasterKey) -> Vec<(CaseId, Vec<String>)> {
    let store = Store::open(data, master).unwrap();
    let now: Timestamp = "2026-11-23T09:00:00Z".parse().unwrap();
    let mut rng = rand::thread_rng();
    let mut expected = Vec::new();
    for n in 0..CASES {
        let mut case = Case::new(
            CaseId::random(&mut rng),
            Token::random(&mut rng),
            ReporterAddress::Telegram {
                chat_id: 10_000 + i64::from(n),
            },
            Lang::new("nl"),
            now,
        );
        case.transcript_len = 1;
        let line = format!("verhaal {n}");
        let effects = Effects {
            case: CaseChange::Save(Box::new(case.clone())),
            transcript: vec![TranscriptEntry {
                seq: 0,
                at: now,
                author: Author::Reporter,
                text: line.clone(),
            }],
            ..Effects::default()
        };
        commit(&store, &effects);
        expected.push((case.id, vec![line]));
    }
    store.flush_blocking().unwrap();
    expected.sort();
    expected
}

/// Every case's transcript lines, by case.
pub fn contents(store: &Store) -> Vec<(CaseId, Vec<String>)> {
    let mut out: Vec<_> = store
        .case_ids()
        .unwrap()
        .into_iter()
        .map(|id| {
            let lines = store.transcript(id).unwrap();
            (id, lines.into_iter().map(|l| l.text).collect())
        })
        .collect();
    out.sort();
    out
}

/// Writes `effects` (of no input: nothing to acknowledge) as the engine would.
pub fn commit(store: &Store, effects: &Effects) {
    store
        .commit(Commit {
            before: None,
            effects,
            shared: None,
            ack: Ack::None,
        })
        .unwrap();
}
