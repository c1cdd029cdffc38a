# Tini mode (no service tree): exit codes, signals, podman stop / kill /
# restart, orphans, and a CMD that ignores TERM with and without a grace.

R=$WORK/tini
rootfs "$R"

out=$(run_c --rootfs "$R" /init sh -c 'exit 0'); expect "exit 0" 0 $?
out=$(run_c --rootfs "$R" /init sh -c 'exit 3'); expect "exit 3" 3 $?
out=$(run_c --rootfs "$R" /init sh -c 'kill -TERM $$'); expect "CMD killed by TERM: 143" 143 $?
out=$(run_c --rootfs "$R" /init sh -c 'kill -KILL $$'); expect "CMD killed by KILL: 137" 137 $?
out=$(run_c --rootfs "$R" /init /nonexistent); expect "CMD not found: 127" 127 $? "$out"

# podman kill -s USR1 reaches the CMD through PID 1.
podman run -d --name e2e-kill --rootfs "$R" /init sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done' > /dev/null
sleep 0.5
podman kill -s USR1 e2e-kill > /dev/null
code=$(podman wait e2e-kill); podman rm -f e2e-kill > /dev/null 2>&1
expect "podman kill -s USR1 reaches the CMD" 42 "$code"

# podman stop: TERM forwarded, the CMD (sleep) dies at once.
podman run -d --name e2e-stop --rootfs "$R" /init sleep 1000 > /dev/null
sleep 0.3
t=$(now_ms); podman stop -t 10 e2e-stop > /dev/null; took=$(( $(now_ms) - t ))
code=$(podman inspect -f '{{.State.ExitCode}}' e2e-stop); podman rm -f e2e-stop > /dev/null 2>&1
expect "podman stop: exit 143" 143 "$code"
if [ "$took" -lt 3000 ]; then ok "podman stop took ${took} ms (< 3 s, -t 10)"; else fail "podman stop took ${took} ms"; fi

# podman restart: the container runs again.
podman run -d --name e2e-restart --rootfs "$R" /init sh -c 'date +%s%N >> /tmp/starts; sleep 1000' > /dev/null
sleep 0.3
podman restart -t 5 e2e-restart > /dev/null
sleep 0.3
n=$(podman exec e2e-restart sh -c 'wc -l < /tmp/starts' 2>&1 | tr -d ' ')
podman rm -f -t 0 e2e-restart > /dev/null 2>&1
expect "podman restart starts the CMD again" 2 "$n"

# 1,000 double-forked orphans are reaped: no zombie is left.
out=$(run_c --rootfs "$R" /init sh -c '
  i=0; while [ $i -lt 1000 ]; do (sh -c "exit 0" &) ; i=$((i+1)); done
  sleep 1; ps -o stat | grep -c "^Z"')
expect "1,000 orphans reaped, no zombie" 0 "$(echo "$out" | tail -1)" "$out"

# A CMD that ignores TERM: with a grace it is killed (137) soon after the
# stop; without one podman waits its -t and kills the whole container.
ignore='trap "" TERM; while :; do sleep 0.1; done'
podman run -d --name e2e-grace -e S6_KILL_GRACETIME=500 --rootfs "$R" /init sh -c "$ignore" > /dev/null
sleep 0.3
t=$(now_ms); podman stop -t 10 e2e-grace > /dev/null 2>&1; took=$(( $(now_ms) - t ))
code=$(podman inspect -f '{{.State.ExitCode}}' e2e-grace); podman rm -f e2e-grace > /dev/null 2>&1
expect "TERM-ignoring CMD with a 500 ms grace: 137" 137 "$code"
if [ "$took" -lt 3000 ]; then ok "  and stopped in ${took} ms"; else fail "grace stop took ${took} ms"; fi
podman run -d --name e2e-nograce --rootfs "$R" /init sh -c "$ignore" > /dev/null
sleep 0.3
t=$(now_ms); podman stop -t 2 e2e-nograce > /dev/null 2>&1; took=$(( $(now_ms) - t ))
podman rm -f e2e-nograce > /dev/null 2>&1
if [ "$took" -ge 1900 ]; then ok "without a grace the CMD is waited for (${took} ms, podman's -t 2)"; else fail "no-grace stop took only ${took} ms"; fi
