//! confidant: anonymous reporting chatbot and messaging gateway for confidential counsellors.

pub mod standin;
