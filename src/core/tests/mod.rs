//! Core tests, driven without any network through a small in-memory world that applies
//! effects the way the store does.

mod counsellor;
mod intake;
mod locales;
mod paths;
mod property;
mod support;
mod validation;
