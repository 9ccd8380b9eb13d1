//! Where a counsellor's verification of the bot meets the operator who vouches for the
//! bot's side. When a counsellor verifies the bot from Element (emoji comparison), the
//! bot cannot look at the emoji itself: it puts them on this desk, a folder in the data
//! folder (`verification/`, mode 0700, files 0600), and waits. The operator, told the
//! counsellor's emoji or numbers (by phone, in person), types them into
//! `confidant verify confirm ID ...`; only when they match what the bot computed is the
//! bot's side confirmed. A mismatch, `confidant verify reject ID`, or no answer within
//! the protocol's ten minutes cancels the verification. Nothing is ever confirmed blindly.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A verification waiting for the operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    /// Short, for typing: from a hash of the verification's flow id.
    pub id: String,
    /// The counsellor (a Matrix id from the roster; requests from anyone else are
    /// refused before they reach the desk).
    pub counsellor: String,
    /// The seven emoji, as symbol and English name, in order.
    pub emoji: Vec<(String, String)>,
    /// The three numbers of the decimal comparison.
    pub decimals: [u16; 3],
}

/// What the operator decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Confirmed,
    Rejected,
}

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("the verification desk ({path}) cannot be used: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no verification with id {0} is waiting (see `confidant verify list`)")]
    Unknown(String),
    #[error(
        "what you typed does not match the bot's side: do NOT trust this verification; it was cancelled"
    )]
    Mismatch,
    #[error("type the three numbers or the seven emoji names the counsellor sees")]
    Nothing,
}

pub struct Desk {
    dir: PathBuf,
}

const CONFIRMED: &str = "confirmed";
const REJECTED: &str = "rejected";

impl Desk {
    pub fn new(data_dir: &Path) -> Desk {
        Desk {
            dir: data_dir.join("verification"),
        }
    }

    /// The short id of a verification flow.
    pub fn id_of(flow_id: &str) -> String {
        hex::encode(&Sha256::digest(flow_id.as_bytes())[..4])
    }

    fn io(&self, source: std::io::Error) -> DeskError {
        DeskError::Io {
            path: self.dir.clone(),
            source,
        }
    }

    fn file(&self, id: &str, suffix: &str) -> PathBuf {
        self.dir.join(format!("{id}.{suffix}"))
    }

    /// Puts a verification on the desk for the operator.
    pub fn post(&self, waiting: &Waiting) -> Result<(), DeskError> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(|e| self.io(e))?;
        self.clear(&waiting.id);
        let json = serde_json::to_vec_pretty(waiting).expect("a waiting verification serialises");
        write_private(&self.file(&waiting.id, "json"), &json).map_err(|e| self.io(e))
    }

    /// The verifications waiting, for `confidant verify list`.
    pub fn waiting(&self) -> Result<Vec<Waiting>, DeskError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io(e)),
        };
        let mut found = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json")
                && let Ok(bytes) = fs::read(&path)
                && let Ok(waiting) = serde_json::from_slice::<Waiting>(&bytes)
            {
                found.push(waiting);
            }
        }
        found.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(found)
    }

    /// The operator typed what the counsellor sees: the three numbers, or the seven
    /// emoji names. A match confirms; anything else rejects (and says so).
    pub fn confirm(&self, id: &str, typed: &[String]) -> Result<(), DeskError> {
        let waiting = self.find(id)?;
        if typed.is_empty() {
            return Err(DeskError::Nothing);
        }
        let matches = matches_numbers(&waiting, typed) || matches_emoji(&waiting, typed);
        let (decision, result) = if matches {
            (CONFIRMED, Ok(()))
        } else {
            (REJECTED, Err(DeskError::Mismatch))
        };
        write_private(&self.file(id, decision), b"").map_err(|e| self.io(e))?;
        result
    }

    /// The operator refuses the verification.
    pub fn reject(&self, id: &str) -> Result<(), DeskError> {
        self.find(id)?;
        write_private(&self.file(id, REJECTED), b"").map_err(|e| self.io(e))
    }

    /// The operator's decision on `id`, if there is one yet.
    pub fn decision(&self, id: &str) -> Option<Decision> {
        if self.file(id, REJECTED).exists() {
            Some(Decision::Rejected)
        } else if self.file(id, CONFIRMED).exists() {
            Some(Decision::Confirmed)
        } else {
            None
        }
    }

    /// Takes a verification off the desk (done, cancelled, timed out).
    pub fn clear(&self, id: &str) {
        for suffix in ["json", CONFIRMED, REJECTED] {
            let _ = fs::remove_file(self.file(id, suffix));
        }
    }

    fn find(&self, id: &str) -> Result<Waiting, DeskError> {
        self.waiting()?
            .into_iter()
            .find(|w| w.id == id.trim())
            .ok_or_else(|| DeskError::Unknown(id.to_owned()))
    }
}

fn matches_numbers(waiting: &Waiting, typed: &[String]) -> bool {
    let numbers: Vec<u16> = typed
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_ascii_digit()))
        .filter(|t| !t.is_empty())
        .filter_map(|t| t.parse().ok())
        .collect();
    numbers == waiting.decimals
}

fn matches_emoji(waiting: &Waiting, typed: &[String]) -> bool {
    let words: Vec<String> = typed
        .iter()
        .flat_map(|t| t.split(',').map(str::to_owned).collect::<Vec<_>>())
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    words.len() == waiting.emoji.len()
        && words
            .iter()
            .zip(&waiting.emoji)
            .all(|(word, (symbol, name))| *word == name.to_lowercase() || word == symbol)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::{Decision, Desk, DeskError, Waiting};

    fn waiting() -> Waiting {
        Waiting {
            id: Desk::id_of("flow-1"),
            counsellor: "@anna:example.org".into(),
            emoji: ["Dog", "Cat", "Lion", "Horse", "Unicorn", "Pig", "Elephant"]
                .iter()
                .map(|n| ("?".to_owned(), (*n).to_owned()))
                .collect(),
            decimals: [1234, 5678, 4321],
        }
    }

    fn typed(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn matching_numbers_confirm_and_the_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path());
        let w = waiting();
        desk.post(&w).unwrap();
        assert_eq!(desk.waiting().unwrap(), vec![w.clone()]);
        assert_eq!(desk.decision(&w.id), None);
        desk.confirm(&w.id, &typed(&["1234", "5678", "4321"]))
            .unwrap();
        assert_eq!(desk.decision(&w.id), Some(Decision::Confirmed));
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |p: std::path::PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(dir.path().join("verification")), 0o700);
        assert_eq!(
            mode(dir.path().join(format!("verification/{}.json", w.id))),
            0o600
        );
        desk.clear(&w.id);
        assert!(desk.waiting().unwrap().is_empty());
        assert_eq!(desk.decision(&w.id), None);
    }

    #[test]
    fn emoji_names_confirm_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path());
        let w = waiting();
        desk.post(&w).unwrap();
        desk.confirm(
            &w.id,
            &typed(&[
                "dog,", "cat,", "LION,", "horse,", "unicorn,", "pig,", "elephant",
            ]),
        )
        .unwrap();
        assert_eq!(desk.decision(&w.id), Some(Decision::Confirmed));
    }

    #[test]
    fn a_mismatch_rejects_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path());
        let w = waiting();
        desk.post(&w).unwrap();
        let result = desk.confirm(&w.id, &typed(&["1234", "5678", "4322"]));
        assert!(matches!(result, Err(DeskError::Mismatch)));
        assert_eq!(desk.decision(&w.id), Some(Decision::Rejected));
    }

    #[test]
    fn an_unknown_id_or_nothing_typed_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(dir.path());
        let w = waiting();
        assert!(matches!(
            desk.confirm("nope", &typed(&["1"])),
            Err(DeskError::Unknown(_))
        ));
        desk.post(&w).unwrap();
        assert!(matches!(desk.confirm(&w.id, &[]), Err(DeskError::Nothing)));
        assert_eq!(desk.decision(&w.id), None);
    }
}
