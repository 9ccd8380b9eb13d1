//! The answers a reporter gave in a dialog, by answer name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One answer. Option answers hold option ids, never rendered labels, so a language
/// switch re-renders them correctly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Skipped,
    Choice(String),
    Choices(Vec<String>),
    Text(String),
    Story(Vec<String>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Answer>);

impl Answers {
    pub fn get(&self, name: &str) -> Option<&Answer> {
        self.0.get(name)
    }

    /// The chosen option id of a single-choice answer, if one was chosen.
    pub fn choice(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
            Some(Answer::Choice(id)) => Some(id),
            _ => None,
        }
    }

    /// The chosen option ids of a multiple-choice answer (empty if none or skipped).
    pub fn choices(&self, name: &str) -> Vec<String> {
        match self.0.get(name) {
            Some(Answer::Choices(ids)) => ids.clone(),
            Some(Answer::Choice(id)) => vec![id.clone()],
            _ => Vec::new(),
        }
    }

    pub fn set(&mut self, name: &str, answer: Answer) {
        self.0.insert(name.to_owned(), answer);
    }

    pub fn remove(&mut self, name: &str) {
        self.0.remove(name);
    }
}
