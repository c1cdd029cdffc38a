#!/bin/sh
# The byte-level fuzzers (tests/fuzz.rs and the `fuzz` unit tests: the
# script parser, envfile, the s6-log script compiler, supervise/status and
# TAI64N stamps, supervise/chainit, the s6-rc control requests and answers,
# the policy files) for longer than the default test run: ROUNDS rounds
# each (default 2,000,000). Deterministic generators, so a failure
# reproduces; libFuzzer (cargo-fuzz) needs crates that are not vendored here.
# Usage: scripts/fuzz.sh [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
export CHAINIT_FUZZ_ROUNDS="${1:-2000000}"
cargo test --release --lib fuzz
cargo test --release --test integration fuzz::
