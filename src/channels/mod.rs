//! Channel adapters: each translates between one network and the core's inputs and
//! outputs, and nothing else.

pub mod matrix;
mod router;
pub mod telegram;

pub use router::Router;
