#!/bin/bash
# End-to-end suite: chainit as PID 1 of real containers (podman + runc),
# images built from the freshly built binary. Installs what it needs
# (podman, runc, busybox-static, catatonit, tini), then runs every
# tests/e2e/NN-*.sh case file. Exits 1 if any check failed.
# Usage: scripts/e2e.sh [CASE-FILE-PATTERN]
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)

need=""
for p in podman:podman runc:runc busybox:busybox-static catatonit:catatonit tini-static:tini script:bsdutils; do
  command -v "${p%%:*}" > /dev/null || need="$need ${p#*:}"
done
if [ -n "$need" ]; then
  echo "e2e: installing$need"
  apt-get update -qq > /dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need > /dev/null || {
    echo "e2e: unable to install$need"; exit 1; }
fi

CHAINIT=$(scripts/static-build.sh) || exit 1
export CHAINIT

# runc (crun refuses hybrid cgroups), cgroupfs, and limits no higher than
# this host's hard ones (runc's setrlimit fails otherwise).
WORK=$(mktemp -d /tmp/chainit-e2e.XXXXXX)
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] && nofile=1048576
[ "$nproc" = unlimited ] && nproc=65536
[ "$nofile" -gt 4096 ] && nofile=4096
[ "$nproc" -gt 4096 ] && nproc=4096
cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
export CONTAINERS_CONF=$WORK/containers.conf
export WORK
cleanup() {
  podman rm -af -t 0 > /dev/null 2>&1
  podman pod rm -af -t 0 > /dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

. tests/e2e/lib.sh
start=$(now_ms)
for f in tests/e2e/[0-9]*.sh; do
  case "$f" in *"${1:-}"*) ;; *) continue ;; esac
  echo "== $f"
  . "$f"
done
echo "e2e: $E2E_PASSED passed, $E2E_FAILED failed in $(( ($(now_ms) - start) / 1000 )) s"
[ "$E2E_FAILED" -eq 0 ]
