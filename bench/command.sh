#!/bin/sh
# The /command programs side by side: a cont-init-style script that makes
# 20 directories, writes a file in each with s6-echo and chowns it, run by
# chainit's execlineb (every step a builtin) and by the real execline 2.9.9 /
# s6-portable-utils 2.3.1.2 that s6-overlay 3.2.3.2 ships, built from source
# (../shared/reference/s6-overlay: ./build.sh && ./assemble.sh gives
# /tmp/s6o/root/command). Replaces its section of bench/RESULTS.md.
# Needs: hyperfine, a release build, that reference (S6O_COMMAND to move it).
set -eu
cd "$(dirname "$0")/.."
REF=${S6O_COMMAND:-/tmp/s6o/root/command}
[ -x "$REF/s6-echo" ] || { echo "no reference at $REF: build it first (see the header)" >&2; exit 1; }
BIN=$(scripts/static-build.sh)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN" install "$WORK/bin" >/dev/null
{
  echo "foreground { s6-rmrf $WORK/tree }"
  i=1; while [ $i -le 20 ]; do
    echo "foreground { s6-mkdir -p $WORK/tree/d$i }"
    echo "foreground { redirfd -w 1 $WORK/tree/d$i/f s6-echo value $i }"
    echo "foreground { s6-chown -u 0 -g 0 $WORK/tree/d$i/f }"
    i=$((i+1))
  done
  echo "exit 0"
} > "$WORK/contin.el"
hyperfine -N --warmup 5 --min-runs 40 --export-json "$WORK/h.json" \
  -n chainit "env PATH=$WORK/bin:/usr/bin:/bin $WORK/bin/execlineb -P $WORK/contin.el" \
  -n reference "env PATH=$REF:/usr/bin:/bin $REF/execlineb -P $WORK/contin.el" >/dev/null
python3 - "$WORK/h.json" <<'PY' > "$WORK/section.md"
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
c, e = res["chainit"]["median"], res["reference"]["median"]
print("## s6-overlay's /command programs against the real ones\n")
print("Produced by `bench/command.sh` (hyperfine, medians; the reference is execline 2.9.9.2 and")
print("s6-portable-utils 2.3.1.2 as s6-overlay 3.2.3.2 builds them, from source).\n")
print("| case | chainit | reference | ratio | target | met |")
print("|---|---|---|---|---|---|")
r = c / e
print(f"| (h) cont-init-style script: 20 × s6-mkdir, s6-echo into a file, s6-chown | {c*1000:.2f} ms | {e*1000:.2f} ms | {r:.3f}x | <= 0.2x | {'yes' if r <= 0.2 else 'no'} |")
PY
python3 - bench/RESULTS.md "$WORK/section.md" <<'PY'
import sys
path, section = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
head = "## s6-overlay's /command programs against the real ones"
if head in text:
    start = text.index(head)
    nxt = text.find("\n## ", start + 1)
    text = text[:start] + section + (text[nxt + 1:] if nxt >= 0 else "")
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
cat "$WORK/section.md"
