#!/usr/bin/env bash
# The one build the local demo and the tests share: every crate of the workspace (the
# bot, the Telegram stand-in, the counsellor console) with every target (tests and
# benchmarks too). Cargo resolves a dependency's features from what is being built, so
# building only the demo's programs would give some dependencies other features than
# the tests give them (the tests' own dependencies switch some on), and the dependency
# tree would be compiled twice. Building the same targets both ways, it is compiled once:
# demo.sh after test.sh (or the other way round) compiles nothing again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cargo build --locked --workspace --all-targets "$@"
