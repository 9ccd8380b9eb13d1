//! Every text a person reads comes from `locales/<language>/*.ftl` (Project Fluent).
//!
//! A language is a folder: adding a third language is adding a folder, nothing else.
//! The catalog is pure (no clock, no network), so the deterministic core renders with it.

mod args;
mod catalog;

pub use args::Args;
pub use catalog::{Catalog, LoadError};

/// A language code as used in folder names and stored in cases, e.g. `nl` or `en`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Lang(pub String);

impl Lang {
    pub fn new(code: impl Into<String>) -> Self {
        Lang(code.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
