#!/usr/bin/env bash
# The project's test command (CI runs exactly this through .ci/run): makes sure
# the Synapse venv the integration tests need exists, then runs every test
# target and the doc tests with the locked dependencies. Extra arguments go to
# both cargo invocations, e.g. `deploy/local/test.sh -- --test-threads=1`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

deploy/local/synapse-venv.sh

# Integration tests mostly wait on Synapse and the bot (deadlines, retry pauses, rate
# limits), so four run at once even on two cores: the integration suite takes about
# 140-200 s on this 2-core machine (about 130 s with six at once, which loads the machine
# enough to stretch end-to-end encryption's key delivery in the pacing test).
export RUST_TEST_THREADS="${RUST_TEST_THREADS:-4}"

# The same build as the demo's (deploy/local/build.sh), so one serves both.
deploy/local/build.sh
# --all-targets leaves out doc tests, so they get their own (first, quick) run.
cargo test --locked --workspace --doc "$@"
# --no-fail-fast: report every failing test, not just the first failing binary.
cargo test --locked --workspace --no-fail-fast --all-targets "$@"

# The Debian package, from the same build: its files, modes, scripts and units.
deploy/debian/check-package.sh "$(deploy/debian/package.sh --from-test-build)"
