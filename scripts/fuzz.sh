#!/bin/sh
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer with AddressSanitizer) of
# every target in fuzz/: SECONDS each (default 600), FUZZ_JOBS at a time
# (default 1). A target fails on a panic, a crash, an input that takes over
# 10 s (a hang) or memory past 2 GiB. Each run starts from fuzz/seeds/TARGET
# and grows fuzz/corpus/TARGET (not committed); a failing input lands in
# fuzz/artifacts/TARGET: copy it to fuzz/regressions/TARGET, where the
# integration tests replay it. Installs cargo-fuzz if it is missing. The
# deterministic fuzzers of `cargo test` run longer with
# CHAINIT_FUZZ_ROUNDS=2000000 cargo test --release fuzz.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-600}
[ $# -gt 0 ] && shift
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked --quiet
# The sanitizer flags are nightly-only; the one toolchain here is stable.
export RUSTC_BOOTSTRAP=1
cd fuzz
cargo fuzz build 2>&1 | grep -v '^ *Compiling' || true
targets=${*:-$(cargo fuzz list)}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
run_one() {
  t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  if cargo fuzz run "$t" "corpus/$t" "seeds/$t" -- -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 > "$log/$t" 2>&1; then
    result=clean
  else
    result="FAILED (fuzz/artifacts/$t)"
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log/$t" | tail -1)
  echo "$t: ${runs:-?} runs in ${seconds} s, corpus $(ls "corpus/$t" | wc -l) inputs: $result"
  [ "$result" = clean ] || { tail -40 "$log/$t" >&2; return 1; }
}
failed=0
jobs=${FUZZ_JOBS:-1}
set -- $targets
while [ $# -gt 0 ]; do
  pids=
  for _ in $(seq "$jobs"); do
    [ $# -gt 0 ] || break
    run_one "$1" & pids="$pids $!"
    shift
  done
  for p in $pids; do wait "$p" || failed=1; done
done
exit $failed
