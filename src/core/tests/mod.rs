//! Core tests, driven without any network through a small in-memory world that applies
//! effects the way the store does.

mod access;
mod assignment;
mod attachments;
mod counsellor;
mod deadlines;
mod digest;
mod edits;
mod inform_hr;
mod intake;
mod lifecycle;
mod locales;
mod organisations;
mod paths;
pub(crate) mod property;
mod registration;
mod resume;
mod roles;
mod room_commands;
mod room_guard;
mod set_up;
pub(crate) mod support;
mod validation;
