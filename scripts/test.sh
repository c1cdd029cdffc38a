#!/bin/sh
# The test command: installs the reference implementation the differential
# tests compare against (Debian's execline), then runs the whole suite.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x /usr/lib/execline/bin/execlineb ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq execline >/dev/null
fi
CHAINIT_REQUIRE_REFERENCE=1 cargo test
