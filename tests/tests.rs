//! The integration tests: one binary with a module per topic (as ripgrep
//! does), sharing the helpers in `util`.

mod util;

mod attachments;
mod backup;
mod bad_input;
mod cli;
mod commands;
mod digest;
mod durability;
mod element;
mod exactly_once;
mod failures;
mod full_disk;
mod inform_hr;
mod lifecycle;
mod load;
mod matrix_reporter;
mod my_data;
mod operations;
mod organisations;
mod pacing;
mod privacy;
mod relay;
mod report;
mod resume;
mod rooms_once;
mod rotate_key;
mod synapse_harness;
mod trust;
mod watchdog;
