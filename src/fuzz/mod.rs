//! Fuzz targets, on the stable toolchain: each is a proptest run over inputs built to
//! reach deep (mutated real files, real updates and events, commands with hostile
//! arguments), checking that nothing panics. `cargo test` runs a short round of each
//! (CONFIDANT_FUZZ_CASES, 300 by default); the long run is documented in the README:
//!
//! ```text
//! CONFIDANT_FUZZ_CASES=1000000 cargo test --release --lib fuzz:: -- --nocapture --test-threads=1
//! ```
//!
//! Each target prints how many inputs it ran. A panic fails the test with the smallest
//! input proptest finds.

mod bytes;
mod config;
mod dialog;
mod matrix;
mod media;
mod room_commands;
mod telegram;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// How many inputs each target runs.
fn cases() -> u32 {
    std::env::var("CONFIDANT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// Runs `target` on `cases()` inputs from `inputs`; panics (failing the test) on the
/// first input that makes it panic, after shrinking it.
fn fuzz<S: Strategy>(name: &str, inputs: S, target: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let cases = cases();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let result = runner.run(&inputs, |input| {
        target(input);
        Ok::<(), TestCaseError>(())
    });
    if let Err(e) = result {
        panic!("fuzz target {name} failed: {e}");
    }
    eprintln!(
        "fuzz {name}: {cases} inputs in {:.1} s, none panicked",
        started.elapsed().as_secs_f64()
    );
}
