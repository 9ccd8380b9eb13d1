//! confidant: anonymous reporting chatbot and messaging gateway for confidential counsellors.

pub mod app;
pub mod channels;
pub mod config;
pub mod core;
pub mod crypto;
pub mod i18n;
pub mod store;
