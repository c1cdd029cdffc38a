#!/bin/bash
# `podman stop` of a container whose CMD is `sleep 1000`, with chainit as
# /init, with `podman run --init` (catatonit) and with tini, side by side:
# medians of 7, interleaved, from the stop command to its return (podman's
# own overhead included, the same for all three). Needs podman + runc.
# Usage: bench/podman_stop.sh CHAINIT_BINARY
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d /tmp/chainit-podman-stop.XXXXXX)
trap 'podman rm -af -t 0 > /dev/null 2>&1; rm -rf "$work"' EXIT
if [ -z "${CONTAINERS_CONF:-}" ]; then
  # Limits no higher than this host's hard ones: runc's setrlimit fails otherwise.
  n=$(ulimit -Hn); if [ "$n" = unlimited ] || [ "$n" -gt 4096 ]; then n=4096; fi
  p=$(ulimit -Hu); if [ "$p" = unlimited ] || [ "$p" -gt 4096 ]; then p=4096; fi
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n' "$n" "$n" "$p" "$p" > "$work/containers.conf"
  export CONTAINERS_CONF=$work/containers.conf
fi
r=$work/root
mkdir -p "$r/bin" "$r/proc" "$r/dev" "$r/sys" "$r/run" "$r/tmp" "$r/etc"
cp /bin/busybox "$r/bin/"
ln -s busybox "$r/bin/sleep"; ln -s busybox "$r/bin/sh"
cp "$bin" "$r/init"
cp "$(command -v tini-static)" "$r/tini"
one() {
  id=$(podman run -d "$@" 2> "$work/err") || { cat "$work/err" >&2; exit 1; }
  sleep 0.5
  t=$(date +%s%N)
  podman stop -t 10 "$id" > /dev/null
  echo $(( ($(date +%s%N) - t) / 1000000 ))
  podman rm -f "$id" > /dev/null 2>&1
}
c=""; k=""; t=""
for _ in 1 2 3 4 5 6 7; do
  c="$c $(one --rootfs "$r" /init sleep 1000)"
  k="$k $(one --init --rootfs "$r" sleep 1000)"
  t="$t $(one --rootfs "$r" /tini -- sleep 1000)"
done
median() { printf '%s\n' $1 | sort -n | sed -n 4p; }
echo "| CMD \`sleep 1000\` | chainit | podman --init (catatonit) | tini |"
echo "|---|---|---|---|"
echo "| \`podman stop -t 10\` | $(median "$c") ms | $(median "$k") ms | $(median "$t") ms |"
