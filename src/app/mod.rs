//! The running program: the engine that turns inputs into stored state and outbox
//! entries, the delivery worker, the scheduler, and `run`, which wires them to the
//! channel adapters.

pub mod backup;
mod clock;
mod delivery;
mod disk_guard;
mod engine;
mod health;
mod health_http;
mod metrics;
pub mod poster;
mod private_files;
mod report;
mod rotate_key;
mod run;
mod scheduler;
mod status;
#[cfg(test)]
mod stress_tests;
pub mod verification_desk;

pub use clock::{Clock, SystemClock};
pub use delivery::{Deliverer, DeliveryError};
pub use disk_guard::EXIT_STORE_REOPEN;
pub use engine::{Engine, EngineError, Handled};
pub use health::Health;
pub use metrics::Metrics;
pub use private_files::private_files;
pub use report::{
    Format as ReportFormat, Period as ReportPeriod, ReportError, ReportOptions, check_store,
    write_report,
};
pub use rotate_key::{RotateError, RotateSummary, rotate_key};
pub use run::run;
pub use status::Snapshot;
