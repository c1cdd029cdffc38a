# Kubernetes on one machine: every pod spec of docs/kubernetes.md played
# with `podman kube play`, against an image built (podman build, FROM
# scratch, no registry) with an API service: busybox httpd, a health
# check, sd_notify-free readiness through the check. The probes' commands
# are run as the kubelet would (podman exec: podman schedules probes with
# systemd timers, which this machine has not); `podman kube down` stops it.

K=$WORK/kube
rootfs "$K"
mkdir -p "$K/srv/www"
echo "hello from the api" > "$K/srv/www/index.html"
file "$K" etc/services.d/api/run '#!/bin/sh
exec httpd -f -p 8080 -h /srv/www
' x
file "$K" etc/services.d/api/health-check '#!/bin/sh
exec wget -q -O /dev/null http://127.0.0.1:8080/
' x
file "$K" etc/services.d/api/health-interval '300'
file "$K" etc/services.d/api/essential ''
file "$K" etc/services.d/api/restart-limit '5 60000'
# Non-root pods mount an emptyDir on /run; root ones need nothing.
chmod 1777 "$K/run"
tar -C "$K" -cf "$WORK/kube.tar" .
printf 'FROM scratch\nADD kube.tar /\n' > "$WORK/Containerfile"
if podman build -q --isolation=chroot -t localhost/my-api:latest -f "$WORK/Containerfile" "$WORK" > /dev/null 2>&1; then
  ok "podman build FROM scratch: localhost/my-api:latest"
else
  fail "podman build" "$(podman build --isolation=chroot -t localhost/my-api:latest -f "$WORK/Containerfile" "$WORK" 2>&1 | tail -5)"
fi

# The YAML blocks of the doc, one file each.
awk -v dir="$WORK" '
  /^```yaml/ { n++; f = dir "/pod" n ".yaml"; on = 1; next }
  /^```/ { on = 0; next }
  on { print > f }
' docs/kubernetes.md
pods=$(ls "$WORK"/pod*.yaml 2>/dev/null | wc -l)
[ "$pods" -ge 4 ] && ok "docs/kubernetes.md has $pods pod specs" || fail "pod specs in docs/kubernetes.md: $pods"

for y in "$WORK"/pod*.yaml; do
  name=$(sed -n 's/^  name: //p' "$y" | head -1)
  play=$(podman kube play "$y" 2>&1) || { fail "kube play $name" "$play"; continue; }
  ctr="$name-$(sed -n 's/^  - name: //p' "$y" | head -1)"
  # Up, and ready: the readiness probe's command, run the kubelet's way.
  ready=1
  for _ in $(seq 1 50); do
    if podman exec "$ctr" /command/chainit status --ready > /dev/null 2>&1; then ready=0; break; fi
    sleep 0.1
  done
  expect "$name: readiness probe (chainit status --ready) passes" 0 "$ready" "$(podman logs "$ctr" 2>&1 | tail -5)"
  podman exec "$ctr" /command/chainit status --live > /dev/null 2>&1
  expect "$name: liveness probe (chainit status --live) passes" 0 $?
  body=$(podman exec "$ctr" wget -q -O - http://127.0.0.1:8080/ 2>&1)
  expect "$name: the api answers" "hello from the api" "$body"
  if grep -q "shareProcessNamespace: true" "$y"; then
    pid=$(podman exec "$ctr" sh -c 'pidof init || pidof chainit' 2>&1)
    one=$(podman exec "$ctr" cat /proc/1/comm 2>&1)
    [ "$one" != init ] && [ "$one" != chainit ] && ok "$name: PID 1 is the pod's ($one); chainit is $pid, a subreaper" \
      || fail "$name: PID 1 is $one"
  fi
  if grep -q "runAsUser: 1000" "$y"; then
    u=$(podman exec "$ctr" sh -c 'id -u' 2>&1)
    expect "$name: runs as 1000" 1000 "$u"
    n=$(podman logs "$ctr" 2>&1 | grep -c warning)
    expect "$name: non-root with a read-only root: no warning" 0 "$n" "$(podman logs "$ctr" 2>&1)"
  fi
  t=$(now_ms)
  down=$(podman kube down "$y" 2>&1); code=$?
  took=$(( $(now_ms) - t ))
  expect "$name: podman kube down" 0 "$code" "$down"
  [ "$took" -lt 8000 ] && ok "$name: stopped in $took ms" || fail "$name: stop took $took ms"
done
