#!/bin/sh
# s6-log throughput into a logdir: 20 MB of 80-byte lines through a pipe
# (`cat lines | s6-log ...`), with rotation at 1 MB, for chainit's s6-log
# and s6's; then the same in bursts of one line (`-l`-free, one write per
# line from a shell loop is too slow to measure the logger, so 4 KB writes
# of 50 lines each are used: a chatty service). Whole-process times,
# medians of hyperfine runs. Usage: bench/s6_log.sh CHAINIT_BINARY [S6_LOG]
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
theirs=${2:-/usr/bin/s6-log}
top=$(mktemp -d /tmp/chainit-s6log.XXXXXX)
trap 'rm -rf "$top"' EXIT
python3 -c "open('$top/lines','wb').write((b'x'*79+b'\n')*(20_000_000//80))"
mkdir "$top/bin"
ln -s "$bin" "$top/bin/s6-log"
hyperfine -N -w 1 -r 7 --export-json "$top/r.json" \
  -p "rm -rf $top/a $top/b" \
  -n chainit "sh -c 'cat $top/lines | $top/bin/s6-log n5 s1000000 $top/a'" \
  -n s6 "sh -c 'cat $top/lines | $theirs n5 s1000000 $top/b'" > /dev/null
python3 - "$top/r.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
c, s = r["chainit"], r["s6"]
print("| case | chainit | s6-log 2.11 | ratio |")
print("|---|---|---|---|")
print(f"| 20 MB of 80-byte lines into a logdir, rotating at 1 MB | {c*1000:.1f} ms ({20/c:.0f} MB/s) | {s*1000:.1f} ms ({20/s:.0f} MB/s) | {c/s:.2f}x |")
PY
