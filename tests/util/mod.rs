//! Helpers shared by the integration tests: a real Synapse homeserver and a
//! counsellor-side Matrix client that talks to it.

// Each topic module uses only part of these helpers.
#![allow(dead_code)]

pub mod bomb;
pub mod bot;
pub mod cases;
pub mod checkout;
pub mod command;
pub mod counsellor;
pub mod crowd;
pub mod data_folder;
pub mod employee;
pub mod example_config;
pub mod files;
#[path = "../../src/media/fixtures.rs"]
pub mod fixtures;
pub mod heavy;
pub mod matrix_employee;
pub mod process;
pub mod proxy;
pub mod qr;
pub mod room_event;
pub mod synapse;
mod synapse_config;
pub mod tempdir;
pub mod verify;
pub mod world;
