#!/bin/bash
# Soak (not in CI): chainit init as PID 1 of a PID namespace for MINUTES
# with SOAK_SERVICES services (default 200) that write numbered lines to
# their loggers and die at random; a third have a health check that fails
# now and then, a third notify readiness; four clients send s6-svc
# commands at random all along. Afterwards: the init's RSS, fd count and
# thread count against what they were after the first minute, zombies, log
# lines lost or doubled, and whether every service is in the state the last
# command for it asked for. Prints a Markdown table; exits 1 on a failure.
# The memory bar is on RssAnon (the heap): RSS also grows as code pages of
# the binary are first touched.
# Usage: scripts/soak.sh [MINUTES]   (default 30)
set -u
cd "$(dirname "$0")/.."
minutes=${1:-30}
n=${SOAK_SERVICES:-200}
bin=$(scripts/static-build.sh) || exit 1
top=$(mktemp -d /tmp/chainit-soak.XXXXXX)
trap 'rm -rf "$top"' EXIT
root=$top/root
mkdir -p "$root/etc/services.d" "$top/logs" "$top/run"

for i in $(seq -w 1 "$n"); do
  d=$root/etc/services.d/s$i
  mkdir -p "$d/log"
  # Each instance numbers its lines from 0, tagged with its pid and start
  # time: a gap inside an instance is a lost line, a repeat a doubled one.
  cat > "$d/run" <<EOF
#!/bin/sh
id="\$\$-\$(date +%s%N)"
k=0
if [ -e notification-fd ]; then echo >&3; fi
life=\$(( \$(od -An -N2 -tu2 /dev/urandom) % 40 + 5 ))
while [ \$k -lt \$life ]; do
  echo "s$i \$id \$k"
  k=\$((k + 1))
  sleep 0.5
done
exit \$(( \$(od -An -N1 -tu1 /dev/urandom) % 4 ))
EOF
  printf '#!/bin/sh\nexec s6-log n5 s20000 %s/s%s\n' "$top/logs" "$i" > "$d/log/run"
  chmod 755 "$d/run" "$d/log/run"
  case $((10#$i % 3)) in
    0) printf '#!/bin/sh\n[ $(( $(od -An -N1 -tu1 /dev/urandom) %% 5 )) -ne 0 ]\n' > "$d/health-check"
       chmod 755 "$d/health-check"
       echo 2000 > "$d/health-interval"
       echo "200 5000" > "$d/restart-backoff" ;;
    1) echo 3 > "$d/notification-fd" ;;
  esac
done

# The driver runs as the CMD: it samples the init, runs the clients, and
# leaves what it saw in $top.
cat > "$top/driver" <<EOF
#!/bin/sh
R=\$CHAINIT_RUN_DIR
# fds: the fewest of five looks 0.1 s apart, as a service being started
# holds its exec-report pipe for a moment.
fds() { for k in 1 2 3 4 5; do ls /proc/1/fd | wc -l; sleep 0.1; done | sort -n | head -1; }
sample() { echo "\$(awk '/^VmRSS/ {print \$2}' /proc/1/status) \$(awk '/^RssAnon/ {print \$2}' /proc/1/status) \$(fds) \$(awk '/^Threads/ {print \$2}' /proc/1/status) \$(awk '/^VmData/ {print \$2}' /proc/1/status)"; }
sleep 60
sample > $top/after-1min
client() {
  end=\$((\$(date +%s) + $minutes * 60 - 70))
  while [ \$(date +%s) -lt \$end ]; do
    i=\$(printf '%0${#n}d' \$(( \$(od -An -N2 -tu2 /dev/urandom) % $n + 1 )))
    case \$(( \$(od -An -N1 -tu1 /dev/urandom) % 4 )) in
      0) c=-u ;; 1) c=-d ;; 2) c=-r ;; 3) c=-u ;;
    esac
    # When, which service, what: merged and sorted afterwards, the last
    # line for a service is the last command it got.
    s6-svc \$c \$R/service/s\$i && echo "\$(date +%s%N) s\$i \$c" >> $top/commands.\$1
    sleep 0.\$(( \$(od -An -N1 -tu1 /dev/urandom) % 9 + 1 ))
  done
}
client 1 & c1=\$!; client 2 & c2=\$!; client 3 & c3=\$!; client 4 & c4=\$!
# Every 5 minutes, to tell a plateau from a leak.
( while :; do sample >> $top/trace; sleep 300; done ) & tracer=\$!
wait \$c1 \$c2 \$c3 \$c4
kill \$tracer
sleep 8
sample > $top/at-end
# A zombie seen twice, a second apart (one just dead is fine).
ps -e -o pid=,stat= | awk '\$2 ~ /^Z/ {print \$1}' | sort > $top/z1; sleep 1
ps -e -o pid=,stat= | awk '\$2 ~ /^Z/ {print \$1}' | sort > $top/z2
comm -12 $top/z1 $top/z2 | wc -l > $top/zombies
for d in \$R/service/s*; do echo "\$(basename \$d) \$(s6-svstat -o wantedup,up \$d)"; done > $top/states
EOF
chmod 755 "$top/driver"

echo "soak: $n services for $minutes minutes"
timeout -s KILL $((minutes * 60 + 300)) unshare --pid --fork --mount-proc \
  env -i PATH="$(dirname "$bin"):/usr/bin:/bin" S6_VERBOSITY=1 \
  "$bin" init --root "$root" --run-dir "$top/run" -- "$top/driver" > "$top/console" 2>&1
echo "soak: the init exited $?"

python3 - "$top" <<'EOF'
import collections, glob, os, sys
top = sys.argv[1]
def nums(f):
    return [int(x) for x in open(os.path.join(top, f)).read().split()]
rss0, anon0, fds0, thr0, data0 = nums("after-1min")
rss1, anon1, fds1, thr1, data1 = nums("at-end")
trace = [l.split() for l in open(os.path.join(top, "trace")) if l.strip()]
zombies = nums("zombies")[0]
lost = doubled = lines = 0
for d in glob.glob(os.path.join(top, "logs", "s*")):
    seen = collections.defaultdict(list)
    for f in sorted(glob.glob(os.path.join(d, "@*")) + [os.path.join(d, "current")]):
        if not os.path.exists(f):
            continue
        for line in open(f, errors="replace"):
            p = line.split()
            if len(p) == 3:
                seen[p[1]].append(int(p[2]))
                lines += 1
    for inst, ks in seen.items():
        c = collections.Counter(ks)
        doubled += sum(v - 1 for v in c.values() if v > 1)
        # Lines between the first and last seen: a missing one is lost
        # (n5 keeps 5 archives: an instance whose start was rotated away
        # is judged from its first kept line).
        lost += len(set(range(min(ks), max(ks) + 1)) - set(ks))
# The last command each service got, across the four clients.
sent = []
for f in glob.glob(os.path.join(top, "commands.*")):
    for line in open(f):
        t, svc, c = line.split()
        sent.append((int(t), svc, c))
# Replayed in order: -u wants it up, -d down, -r restarts it if it is up
# and changes nothing else (as s6-svc -r).
wanted = {}
for _, svc, c in sorted(sent):
    if c in ("-u", "-d"):
        wanted[svc] = "true" if c == "-u" else "false"
states = {}
for line in open(os.path.join(top, "states")):
    p = line.split()
    if len(p) == 3:
        states[p[0]] = p[1]
wrong = sum(1 for svc, w in wanted.items() if svc in states and states[svc] != w)
# The heap is what a leak grows (RssAnon); RSS also counts the binary's
# code pages, paged in as rarer paths first run.
ok = (anon1 <= anon0 * 1.1 + 64 and fds1 <= fds0 and thr1 == thr0 and zombies == 0
      and lost == 0 and doubled == 0 and wrong == 0)
print("| measure | after 1 minute | at the end |")
print("|---|---|---|")
print(f"| init RSS | {rss0} kB | {rss1} kB |")
print(f"| init RssAnon (heap and stack) | {anon0} kB | {anon1} kB |")
print(f"| init VmData (heap mapped) | {data0} kB | {data1} kB |")
print(f"| init fds | {fds0} | {fds1} |")
print(f"| init threads | {thr0} | {thr1} |")
print(f"| zombies | | {zombies} |")
print(f"| log lines checked / lost / doubled | | {lines} / {lost} / {doubled} |")
print(f"| services not in the state their last command asked for | | {wrong} |")
print()
print("RssAnon / VmData every 5 minutes (kB):", ", ".join(f"{t[1]}/{t[4]}" for t in trace))
print("soak:", "passed" if ok else "FAILED")
sys.exit(0 if ok else 1)
EOF
