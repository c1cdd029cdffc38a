#!/bin/sh
# The main job: build chainit and run every example script through it,
# showing each script's output and exit code.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$(pwd)/target/x86_64-unknown-linux-gnu/release/chainit
for f in scripts/examples/*.el; do
  echo "== $f"
  case "$f" in
    *arguments.el) "$BIN" execlineb -S2 "$f" first second ;;
    *) "$BIN" execlineb -P "$f" ;;
  esac
  echo "   (exit $?)"
done
echo "== a syntax error, as chainit reports it"
printf 'foreground {\n  echo never closed\n' > /tmp/chainit-demo-bad.el
"$BIN" execlineb -P /tmp/chainit-demo-bad.el 2>&1 || echo "   (exit $?)"
