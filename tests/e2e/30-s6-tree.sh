# An s6-overlay-style image: cont-init.d, an s6-rc graph (a oneshot and a
# longrun with a logger), services.d with a logger, a health check. Booted
# detached; probed with `podman exec … chainit status` and `podman
# healthcheck run`; stopped with `podman stop`, every log line flushed.

S=$WORK/s6tree
rootfs "$S"
file "$S" etc/cont-init.d/10-prepare '#!/bin/sh
mkdir -p /var/log/web /var/log/db
echo prepared > /tmp/prepared
' x
RC=etc/s6-overlay/s6-rc.d
file "$S" $RC/user/type 'bundle'
file "$S" $RC/user/contents.d/db ''
file "$S" $RC/user/contents.d/store ''
file "$S" $RC/store/type 'oneshot'
file "$S" $RC/store/up 'mkdir -p /tmp/store'
file "$S" $RC/store/dependencies.d/base ''
file "$S" $RC/db/type 'longrun'
file "$S" $RC/db/run '#!/command/execlineb -P
fdmove -c 2 1
foreground { echo db: starting }
foreground { fdmove 1 3 echo }
exec sleep 100000
' x
file "$S" $RC/db/notification-fd '3'
file "$S" $RC/db/dependencies.d/store ''
file "$S" $RC/db/producer-for 'db-log'
file "$S" $RC/db-log/type 'longrun'
file "$S" $RC/db-log/consumer-for 'db'
file "$S" $RC/db-log/run '#!/bin/sh
exec s6-log n3 /var/log/db
' x
file "$S" $RC/db-log/pipeline-name 'db-pipeline'
file "$S" $RC/user/contents.d/db-pipeline ''
file "$S" etc/services.d/web/run '#!/command/with-contenv sh
echo "web: up as $GREETING"
trap "echo web: last words; exit 0" TERM
while :; do sleep 0.1; done
' x
file "$S" etc/services.d/web/log/run '#!/bin/sh
exec s6-log n3 /var/log/web
' x
file "$S" etc/services.d/web/health-check '#!/bin/sh
echo fine
' x
file "$S" etc/services.d/web/health-interval '200'

# Each boot starts from a clean /run, as a new container does.
fresh_run() { rm -rf "$S/run" && mkdir -p "$S/run"; }
fresh_run
id=$(podman run -d -e GREETING=hello -e S6_KILL_GRACETIME=3000 --rootfs "$S" /init sleep 100000 2>&1)
sleep 1.5
st=$(podman exec "$id" /command/chainit status 2>&1); code=$?
expect "podman exec chainit status: ready" 0 "$code" "$st"
for n in web db db-log store; do
  if echo "$st" | grep -Eq "^$n +up "; then ok "  $n is up"; else fail "  $n is not up" "$st"; fi
done
echo "$st" | grep -Eq '^web +up .* healthy ' && ok "  web is healthy" || fail "  web not healthy" "$st"
podman exec "$id" /command/chainit status --live > /dev/null; expect "chainit status --live" 0 $?
[ "$(cat "$S/tmp/prepared" 2>&1)" = prepared ] && ok "cont-init.d ran" || fail "cont-init.d did not run"
podman stop -t 10 "$id" > /dev/null 2>&1
code=$(podman inspect -f '{{.State.ExitCode}}' "$id")
logs=$(podman logs "$id" 2>&1)
podman rm -f "$id" > /dev/null 2>&1
expect "podman stop of the tree: halt, exit 0" 0 "$code" "$logs"
if grep -q "web: last words" "$S/var/log/web/current" 2>/dev/null; then
  ok "web's last line reached its log before the stop ended"
else
  fail "web's last words lost" "$(cat "$S/var/log/web/current" 2>&1)"
fi
grep -q "web: up as hello" "$S/var/log/web/current" && ok "with-contenv gave web the container's environment" || fail "with-contenv" "$(cat "$S/var/log/web/current")"
grep -q "db: starting" "$S/var/log/db/current" 2>/dev/null && ok "the s6-rc pipeline's logger has db's line" || fail "db log" "$(ls -R "$S/var/log" 2>&1)"

# podman's own health check, on chainit's readiness answer.
fresh_run
# (podman complains on stderr that it has no systemd to schedule checks with.)
id=$(podman run -d --health-cmd '/command/chainit status --ready' --rootfs "$S" /init sleep 100000 2>/dev/null)
sleep 1.5
hc=$(podman healthcheck run "$id" 2>&1); expect "podman healthcheck run (chainit status --ready)" 0 $? "$hc"
podman rm -f -t 0 "$id" > /dev/null 2>&1

# Read-only root, /run on a tmpfs: the tree runs as usual.
rm -rf "$S/var/log/web" "$S/var/log/db" "$S/tmp/prepared"
mkdir -p "$S/var/log/web" "$S/var/log/db"
fresh_run
out=$(run_c --read-only --tmpfs /run --tmpfs /tmp -v "$S/var/log:/var/log" --rootfs "$S" /init sh -c 'sleep 1; /command/chainit status > /dev/null; echo status=$?')
echo "$out" | grep -q "status=0" && ok "read-only root with a tmpfs /run: services up" || fail "read-only root, tmpfs /run" "$out"
# Read-only root and no writable /run (podman mounts tmpfs on /run and /tmp
# of a read-only container unless told not to): the CMD still runs, and
# the init says once what it cannot do.
P=$WORK/plain
[ -d "$P" ] || rootfs "$P"
out=$(run_c --read-only --read-only-tmpfs=false --rootfs "$P" /init sh -c 'echo the CMD ran')
echo "$out" | grep -q "the CMD ran" && ok "read-only root, no writable /run: the CMD runs (tini mode)" || fail "ro, no /run, tini" "$out"
fresh_run
out=$(run_c --read-only --read-only-tmpfs=false --rootfs "$S" /init sh -c 'echo the CMD ran')
echo "$out" | grep -q "the CMD ran" && ok "read-only root, no writable /run: the CMD runs (s6 tree)" || fail "ro, no /run, tree" "$out"
n=$(echo "$out" | grep -c "cannot be used")
expect "  and the run dir's problem is said once" 1 "$n" "$out"
