#!/bin/sh
# Side-by-side timings of chainit and execline 2.9.3 (its real execlineb, not
# Debian's wrapper script), in one hyperfine run per case. Writes
# bench/RESULTS.md. Needs: hyperfine, execline, s6, tini, a release build; /dev/shm.
set -eu
cd "$(dirname "$0")/.."
BIN=$(scripts/static-build.sh)
REF=/usr/lib/execline/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN" install "$WORK/bin" >/dev/null

# (b) a chain of 200 builtins
{ i=0; while [ $i -lt 200 ]; do printf 'export V%d x\n' $i; i=$((i+1)); done; echo 'exit 0'; } > "$WORK/chain200.el"
# (c) an s6-overlay-style run script
{
  i=0; while [ $i -lt 20 ]; do printf 'importas -D d%d V%d V%d\n' $i $i $i; i=$((i+1)); done
  echo 'fdmove -c 2 1'
  echo 'foreground { true }'
  echo 'foreground { true }'
  echo 'foreground { true }'
  echo 'if { true }'
  echo 'backtick -E HOST { printf chainit-demo }'
  echo 'exec true'
} > "$WORK/runscript.el"
# (d) forx over 1,000 items, each running a builtin
{ printf 'forx X {'; i=0; while [ $i -lt 1000 ]; do printf ' %d' $i; i=$((i+1)); done; echo ' }'; echo 'exit 0'; } > "$WORK/forx.el"
# (e) forstdin over 10,000 lines
i=0; while [ $i -lt 10000 ]; do echo "line $i"; i=$((i+1)); done > "$WORK/lines.txt"
echo "redirfd -r 0 $WORK/lines.txt forstdin X exit 0" > "$WORK/forstdin.el"
# (f) a pipeline of 5 stages
cat > "$WORK/pipeline.el" <<EOF2
pipeline { redirfd -r 0 $WORK/lines.txt cat }
pipeline { grep 1 }
pipeline { sort -r }
pipeline { head -n 500 }
wc -l
EOF2

# (g) an s6-overlay service run script: the container env, an envdir, limits
# and a privilege drop before the daemon. The reference side is s6 2.11's
# binaries and the with-contenv stand-in from tests/fixtures.
mkdir -p "$WORK/contenv" "$WORK/svcenv"
i=0; while [ $i -lt 30 ]; do printf 'value %d\n' $i > "$WORK/contenv/VAR$i"; i=$((i+1)); done
printf '8080\n' > "$WORK/svcenv/PORT"
for side in chainit reference; do
  if [ $side = chainit ]; then wc=with-contenv; else wc=$(pwd)/tests/fixtures/with-contenv; fi
  cat > "$WORK/service-$side.el" <<EOF2
$wc
s6-envdir $WORK/svcenv
s6-softlimit -o 1024
s6-setuidgid nobody
fdmove -c 2 1
exec true
EOF2
done
export CHAINIT_CONTAINER_ENV="$WORK/contenv"

run() { # name, chainit command, execline command
  hyperfine -N --warmup 10 --min-runs 100 --export-json "$WORK/$1.json" \
    -n chainit "$2" -n execline "$3" >/dev/null
}
export PATH="$REF:/usr/bin:/bin:/usr/sbin:/sbin"
run exit0 "$WORK/bin/execlineb -P -c 'exit 0'" "$REF/execlineb -P -c 'exit 0'"
run chain200 "$WORK/bin/execlineb -P $WORK/chain200.el" "$REF/execlineb -P $WORK/chain200.el"
run runscript "$WORK/bin/execlineb -P $WORK/runscript.el" "$REF/execlineb -P $WORK/runscript.el"
run service "$WORK/bin/execlineb -P $WORK/service-chainit.el" "$REF/execlineb -P $WORK/service-reference.el"
for case in forx forstdin pipeline; do
  hyperfine -N --warmup 2 --min-runs 10 --export-json "$WORK/$case.json" --output=null \
    -n chainit "$WORK/bin/execlineb -P $WORK/$case.el" \
    -n execline "$REF/execlineb -P $WORK/$case.el" >/dev/null
done

python3 - "$WORK" <<'PY' > bench/RESULTS.md
import json, sys, os, platform, subprocess
work = sys.argv[1]
rows = [("exit0", "(a) `execlineb -P -c 'exit 0'`", 0.6),
        ("chain200", "(b) chain of 200 `export` builtins", 0.02),
        ("runscript", "(c) s6-overlay-style run script (with `backtick`)", 0.3),
        ("forx", "(d) `forx` over 1,000 items, builtin body", 0.1),
        ("forstdin", "(e) `forstdin` over 10,000 lines, builtin body", 0.2),
        ("pipeline", "(f) `pipeline` of 5 stages", 1.0),
        ("service", "(g) service run script: with-contenv, s6-envdir, s6-softlimit, s6-setuidgid", 0.3)]
print("# Benchmark results\n")
print("Produced by `bench/run.sh` (hyperfine, one run per case with both")
print("implementations side by side; medians). execline 2.9.3 is Debian's package,")
print("timed through its real `/usr/lib/execline/bin/execlineb`.\n")
print(f"Machine: {os.cpu_count()} cores, kernel {platform.release()}.\n")
print("| case | chainit median | execline median | ratio | target | met |")
print("|---|---|---|---|---|---|")
for key, label, target in rows:
    res = {r["command"]: r for r in json.load(open(f"{work}/{key}.json"))["results"]}
    c, e = res["chainit"]["median"], res["execline"]["median"]
    ratio = c / e
    print(f"| {label} | {c*1000:.3f} ms | {e*1000:.3f} ms | {ratio:.3f}x | <= {target}x | {'yes' if ratio <= target else 'no'} |")
print()
print("Notes: (d) and (e) run `exit 0` per item. A child chain's leading steps that")
print("only touch its environment (export, importas, eltest, exit, ...) run in the")
print("parent on a copy of the environment, so these loops do not fork at all; a body")
print("that reaches any other program forks once at that point. (c) includes a")
print("`backtick` step since issue 3. (f) is dominated by the external stages.")
print("(g) compares with s6 2.11's helpers and a with-contenv written in execline as")
print("s6-overlay's is (tests/fixtures/with-contenv); its target is our own, set by")
print("(c)'s: the helpers are builtins, so the script costs one execve, of `true`.")
PY
cat bench/RESULTS.md

{
  echo
  echo "## chainit init against tini 0.19"
  echo
  echo "Produced by \`bench/init.py\` (interleaved runs, medians; both as subreapers)."
  echo
  python3 bench/init.py "$BIN"
  echo
  echo "(a) leaves placement to the scheduler, so it moves with where the harness and the"
  echo "init happen to run; (a+) is the same TERM after the container has been up 0.5 s"
  echo "rather than 20 ms, nearer a real \`docker stop\`. (a') pins the init and its CMD to"
  echo "one CPU with the harness, (a'') pins them to one CPU and sends the TERM from the"
  echo "other: these two measure the init's own path, the same for both inits. (b') is"
  echo "chainit's alone: tini exits at once and leaves the process running, s6-overlay"
  echo "waits out its grace time."
} >> bench/RESULTS.md

{
  echo
  echo "## Supervision against s6-svscan 2.11"
  echo
  echo "Produced by \`bench/supervise.py\`: chainit's s6-svscan (one process) and skarnet's (one"
  echo "s6-supervise per service) on the same scan directory on tmpfs (as /run is), every service"
  echo "with a notification-fd, medians of 3 boots, driven and observed with Debian's s6 clients."
  echo "\"execline\" runs skarnet's execlineb on both sides; \"execline, own\" gives each side its own."
  echo "The targets are the issue's, set for 100 services."
  echo
  python3 bench/supervise.py "$BIN" | grep -v '^exit'
} >> bench/RESULTS.md

{
  echo
  echo "## The s6-rc service graph against s6-svscan 2.11"
  echo
  echo "Produced by \`bench/graph.py\`: \`chainit init\` (as a subreaper) booting an"
  echo "etc/s6-overlay/s6-rc.d tree on tmpfs until its CMD runs, then TERM until every process is"
  echo "gone; skarnet's s6-svscan on the same longruns (s6-rc is not packaged in Debian, so the"
  echo "oneshots have no reference side). Medians of 5. The floor rows spawn the same 100 run"
  echo "scripts from a tiny C program (bench/spawn_floor.c) with no supervision at all."
  echo
  python3 bench/graph.py "$BIN"
} >> bench/RESULTS.md

{
  echo
  echo "## Service start at the floor: 100 services, supervisor as PID 1 (issue 15)"
  echo
  echo "Produced by \`bench/start.py\`: a fresh PID and mount namespace per boot, 100 services"
  echo "on tmpfs, each with a notification-fd; every daemon is \`upmark\` (writes a byte to a FIFO,"
  echo "a newline on fd 3, then waits), so \"up\" is the 100th daemon exec'd. \"restart\" is a daemon"
  echo "killed after 1.2 s up until its successor's byte; \"gone\" is TERM to the supervisor until"
  echo "the namespace is empty. Execline run scripts use chainit's execlineb under chainit and nitro,"
  echo "skarnet's execline 2.9.3 under s6; nitro is built from source (leahneukirchen/nitro) at"
  echo "\$NITRO. Medians of 5, interleaved. The floor spawns the daemon itself from C."
  echo
  if [ -x "${NITRO:-/tmp/nitro/nitro}" ]; then
    python3 bench/start.py "$BIN" "${NITRO:-/tmp/nitro/nitro}"
  else
    echo "(not run: no nitro binary; see ../shared/reference/nitro.md)"
  fi
} >> bench/RESULTS.md

{
  echo
  echo "## cont-init.d against s6-overlay 3.2.3.2 (issue 15)"
  echo
  echo "Produced by \`bench/cont_init.py\`: 20 execline cont-init.d scripts booted under the real"
  echo "s6-overlay /init and under chainit's in the same harness (../shared/reference/s6-overlay's"
  echo "boot.sh: fresh namespaces + chroot), timed from a first script to a last one, less what"
  echo "those two cost with no script between them. Medians of 7."
  echo
  if [ -x "${S6O:-/tmp/s6o}/boot.sh" ] && [ -x "${S6O:-/tmp/s6o}/root/init" ]; then
    python3 bench/cont_init.py "$BIN" "${S6O:-/tmp/s6o}"
  else
    echo "(not run: no s6-overlay reference build; see ../shared/reference/s6-overlay)"
  fi
} >> bench/RESULTS.md

{
  echo
  echo "## Console log prefixes (issue 16)"
  echo
  echo "Produced by \`bench/log_prefix.sh\`: a service copies 100 MB of 80-byte lines to its stdout,"
  echo "the container's (a pipe read by \`cat > /dev/null\`), with CHAINIT_LOG_PREFIX=1 and without;"
  echo "the producer's own time. Medians of 9, interleaved."
  echo
  sh bench/log_prefix.sh "$BIN"
} >> bench/RESULTS.md

{
  echo
  echo "## podman stop: chainit, catatonit, tini (issue 17)"
  echo
  echo "Produced by \`bench/podman_stop.sh\`: a container whose CMD is \`sleep 1000\`, stopped with"
  echo "\`podman stop -t 10\`, from the command to its return. Medians of 7, interleaved."
  echo
  if command -v podman > /dev/null && command -v tini-static > /dev/null; then
    bash bench/podman_stop.sh "$BIN"
  else
    echo "(not run: podman or tini-static missing; scripts/e2e.sh installs them)"
  fi
} >> bench/RESULTS.md
