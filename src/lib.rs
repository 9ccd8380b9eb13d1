//! confidant: anonymous reporting chatbot and messaging gateway for confidential counsellors.
//!
//! The deterministic [`core`] decides; [`store`] keeps state and the outbox, sealed with
//! [`crypto`]; [`channels`] translate to and from Telegram and Matrix; [`app`] runs it all.

pub mod app;
pub mod channels;
pub mod config;
pub mod core;
pub mod crypto;
#[cfg(test)]
mod fuzz;
pub mod i18n;
pub mod media;
pub mod poster;
pub mod report;
pub mod store;
pub mod watchdog;
