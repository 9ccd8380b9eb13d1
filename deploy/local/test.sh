#!/usr/bin/env bash
# The project's test command (CI runs exactly this through .ci/run): makes sure
# the Synapse venv the integration tests need exists, then runs every test
# target and the doc tests with the locked dependencies. Extra arguments go to
# both cargo invocations, e.g. `deploy/local/test.sh -- --test-threads=1`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

deploy/local/synapse-venv.sh

# Integration tests mostly wait on Synapse and the bot (deadlines, retry pauses, rate
# limits), so six run at once even on two cores: on this 2-core machine the integration
# suite takes about 130 s (145 s with eight at once, 140-200 s with four).
export RUST_TEST_THREADS="${RUST_TEST_THREADS:-6}"

# --all-targets leaves out doc tests, so they get their own (first, quick) run.
cargo test --locked --doc "$@"
# --no-fail-fast: report every failing test, not just the first failing binary.
cargo test --locked --no-fail-fast --all-targets "$@"
