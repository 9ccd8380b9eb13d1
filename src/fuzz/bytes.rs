//! Byte mutations of a real file: flips, overwrites with interesting values, inserted
//! and removed runs, truncation, and splices of the file into itself. Most inputs stay
//! close enough to the format to get past its first checks.

use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Edit {
    Flip { at: usize, bit: u8 },
    Set { at: usize, value: u8 },
    Insert { at: usize, run: Vec<u8> },
    Remove { at: usize, len: usize },
    Copy { from: usize, to: usize, len: usize },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(vec![0u8, 1, 0x7f, 0x80, 0xff, b'<', b'(', b'%', b'/']);
    prop_oneof![
        4 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Edit::Flip { at, bit }),
        3 => (any::<usize>(), prop_oneof![any::<u8>(), interesting]).prop_map(|(at, value)| Edit::Set { at, value }),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..64)).prop_map(|(at, run)| Edit::Insert { at, run }),
        2 => (any::<usize>(), 1usize..256).prop_map(|(at, len)| Edit::Remove { at, len }),
        1 => (any::<usize>(), any::<usize>(), 1usize..512).prop_map(|(from, to, len)| Edit::Copy { from, to, len }),
        1 => any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: Vec<Edit>) -> Vec<u8> {
    for edit in edits {
        if bytes.is_empty() {
            break;
        }
        let at = |i: usize| i % bytes.len();
        match edit {
            Edit::Flip { at: i, bit } => {
                let i = at(i);
                bytes[i] ^= 1 << bit;
            }
            Edit::Set { at: i, value } => {
                let i = at(i);
                bytes[i] = value;
            }
            Edit::Insert { at: i, run } => {
                let i = at(i);
                bytes.splice(i..i, run);
            }
            Edit::Remove { at: i, len } => {
                let i = at(i);
                let end = (i + len).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Copy { from, to, len } => {
                let (from, to) = (at(from), at(to));
                let end = (from + len).min(bytes.len());
                let run: Vec<u8> = bytes[from..end].to_vec();
                bytes.splice(to..to, run);
            }
            Edit::Truncate { at: i } => {
                let i = at(i);
                bytes.truncate(i.max(1));
            }
        }
    }
    bytes
}

/// `seed`, mutated by one to eight edits (or, now and then, left as it is).
pub fn mutated(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(edit(), 0..8).prop_map(move |edits| apply(seed.clone(), edits))
}

/// A text, mutated as bytes and read back lossily (targets that take `&str`).
pub fn mutated_text(seed: &str) -> impl Strategy<Value = String> {
    mutated(seed.as_bytes().to_vec()).prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}
