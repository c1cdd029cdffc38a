#!/bin/sh
# Builds the static binary (glibc static-pie: the same file runs in scratch,
# busybox and distro images) and prints its path. The flag goes to the
# target only: with an explicit --target, cargo keeps RUSTFLAGS off the
# host-side build scripts and proc-macros, which cannot be static. A plain
# `cargo build` stays an ordinary build for any host.
# Usage: scripts/static-build.sh [PROFILE]   (default: release)
set -eu
cd "$(dirname "$0")/.."
profile=${1:-release}
triple=$(uname -m)-unknown-linux-gnu
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
  cargo build --profile "$profile" --target "$triple" --quiet
echo "$(pwd)/target/$triple/$profile/chainit"
