#!/bin/sh
# The test command: installs the reference implementations the differential
# tests compare against (Debian's execline and s6) and the tools the tests
# drive (unshare and mount for private account databases, libfaketime for
# wall-clock jumps), then runs the suite.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x /usr/lib/execline/bin/execlineb ] || [ ! -x /usr/bin/s6-envdir ] ||
   ! command -v unshare >/dev/null || ! command -v mount >/dev/null ||
   ! command -v script >/dev/null || ! command -v ps >/dev/null ||
   ! ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq execline s6 util-linux mount procps bsdutils faketime >/dev/null
fi
CHAINIT_REQUIRE_REFERENCE=1 cargo test
