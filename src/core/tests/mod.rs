//! Core tests, driven without any network through a small in-memory world that applies
//! effects the way the store does.

mod attachments;
mod counsellor;
mod intake;
mod property;
mod support;
