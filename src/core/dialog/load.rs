//! Reading `dialogs/*.toml` into memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::model::Dialog;

/// A dialog file that could not be read or parsed; names the file and, for syntax, the line.
#[derive(Debug, thiserror::Error)]
pub enum LoadProblem {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error(
        "{path}: the dialog's id is `{id}` but the file is named `{stem}.toml`; they must match"
    )]
    IdMismatch {
        path: PathBuf,
        id: String,
        stem: String,
    },
    #[error("{path}: no dialog files found (expected e.g. dialogs/intake.toml)")]
    Empty { path: PathBuf },
}

/// Every dialog by id, with the file it came from (for messages that name the file).
#[derive(Debug, Clone, Default)]
pub struct Dialogs {
    pub by_id: BTreeMap<String, Dialog>,
    pub files: BTreeMap<String, PathBuf>,
}

impl Dialogs {
    pub fn get(&self, id: &str) -> Option<&Dialog> {
        self.by_id.get(id)
    }

    pub fn file_of(&self, id: &str) -> PathBuf {
        self.files
            .get(id)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("{id}.toml")))
    }
}

/// Loads every `*.toml` in `dir`. All problems are returned, not just the first.
pub fn load_dir(dir: &Path) -> Result<Dialogs, Vec<LoadProblem>> {
    let entries = std::fs::read_dir(dir).map_err(|source| {
        vec![LoadProblem::Io {
            path: dir.to_owned(),
            source,
        }]
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(vec![LoadProblem::Empty {
            path: dir.to_owned(),
        }]);
    }
    let mut dialogs = Dialogs::default();
    let mut problems = Vec::new();
    for path in files {
        match load_file(&path) {
            Ok(dialog) => {
                dialogs.files.insert(dialog.id.clone(), path);
                dialogs.by_id.insert(dialog.id.clone(), dialog);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(dialogs)
    } else {
        Err(problems)
    }
}

fn load_file(path: &Path) -> Result<Dialog, LoadProblem> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadProblem::Io {
        path: path.to_owned(),
        source,
    })?;
    let dialog: Dialog = toml::from_str(&text).map_err(|e| LoadProblem::Syntax {
        path: path.to_owned(),
        message: describe_toml_error(&text, &e),
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if dialog.id != stem {
        return Err(LoadProblem::IdMismatch {
            path: path.to_owned(),
            id: dialog.id,
            stem,
        });
    }
    Ok(dialog)
}

/// toml's messages carry a byte span; turn it into "line N" people can find.
pub(crate) fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    match error.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {}", error.message())
        }
        None => error.message().to_owned(),
    }
}
