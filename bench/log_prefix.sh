#!/bin/sh
# CHAINIT_LOG_PREFIX throughput: a service copies 100 MB of 80-byte lines to
# its stdout, which is the container's (a pipe read by `cat > /dev/null`,
# as a container engine reads it), with and without the prefix. The time is
# the producer's own, from before its first write to after its last.
# Medians of 9, interleaved. Usage: bench/log_prefix.sh CHAINIT_BINARY
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(mktemp -d /dev/shm/chainit-prefix.XXXXXX)
trap 'rm -rf "$top"' EXIT
python3 -c "open('$top/lines','wb').write((b'x'*79+b'\n')*(100_000_000//80))"
mkdir -p "$top/root/etc/services.d/gen"
cat > "$top/root/etc/services.d/gen/run" <<EOS
#!/bin/sh
date +%s%N > $top/t0
cat $top/lines
date +%s%N > $top/t1
touch $top/done
exec sleep 100
EOS
chmod +x "$top/root/etc/services.d/gen/run"
one() {
  rm -f "$top/done"
  CHAINIT_LOG_PREFIX=$1 unshare --pid --fork --mount-proc "$bin" init --root "$top/root" \
    --run-dir "$top/root/run" -- sh -c "while [ ! -e $top/done ]; do sleep 0.01; done" \
    2>/dev/null | cat > /dev/null
  echo $(( ($(cat "$top/t1") - $(cat "$top/t0")) / 1000 ))
}
plain=""; prefixed=""
for _ in 1 2 3 4 5 6 7 8 9; do
  plain="$plain $(one 0)"; prefixed="$prefixed $(one 1)"
done
median() { printf '%s\n' $1 | sort -n | sed -n 5p; }
p=$(median "$plain"); q=$(median "$prefixed")
awk -v p="$p" -v q="$q" 'BEGIN {
  printf "| case | unprefixed | prefixed | throughput ratio | target | met |\n|---|---|---|---|---|---|\n"
  r = p / q
  printf "| 100 MB of 80-byte lines through one service | %.1f ms (%.0f MB/s) | %.1f ms (%.0f MB/s) | %.2fx | >= 0.8x | %s |\n", \
    p / 1000, 100e6 / p, q / 1000, 100e6 / q, r, (r >= 0.8 ? "yes" : "no")
}'
