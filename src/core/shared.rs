//! State that spans cases: how many open cases each counsellor holds. Kept apart from
//! case records (it holds no content) and passed to the core with every input.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// Open cases per counsellor Matrix id.
    pub open_cases: BTreeMap<String, u32>,
}

impl Shared {
    pub fn load_of(&self, matrix_id: &str) -> u32 {
        self.open_cases.get(matrix_id).copied().unwrap_or(0)
    }

    pub fn add_case(&mut self, matrix_id: &str) {
        *self.open_cases.entry(matrix_id.to_owned()).or_default() += 1;
    }
}
