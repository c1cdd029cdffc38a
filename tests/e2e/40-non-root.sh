# chainit as a non-root PID 1 (--user 1000:1000): tini mode, and an
# s6-overlay-style tree with a service, with-contenv and a logger, its run
# dir on a tmpfs the user can write. Neither warns about anything.

U=$WORK/nonroot
rootfs "$U"
out=$(run_c --user 1000:1000 --rootfs "$U" /init sh -c 'id -u; exit 4'); code=$?
expect "non-root tini mode: exit code" 4 "$code" "$out"
expect "  the CMD runs as 1000, and nothing is warned about (/run not writable: tini mode needs none)" 1000 "$out"

# A non-root image makes its /run writable (podman copies the image's /run
# mode onto the tmpfs it mounts there).
chmod 1777 "$U/run"

file "$U" etc/cont-init.d/10-logdir '#!/bin/sh
mkdir -p /tmp/log
' x
file "$U" etc/services.d/app/run '#!/command/with-contenv sh
echo "app: user $(id -u), MODE=$MODE"
exec sleep 100000
' x
file "$U" etc/services.d/app/log/run '#!/bin/sh
exec s6-log n2 /tmp/log
' x
out=$(run_c --user 1000:1000 -e MODE=nonroot --tmpfs /run --tmpfs /tmp:rw,mode=1777 \
  --rootfs "$U" /init sh -c 'sleep 1; chainit status > /dev/null; echo status=$?; cat /tmp/log/current')
echo "$out" | grep -q "status=0" && ok "non-root s6 tree: every service up" || fail "non-root tree status" "$out"
echo "$out" | grep -q "app: user 1000, MODE=nonroot" && ok "  with-contenv and the logger work as 1000" || fail "non-root with-contenv/logger" "$out"
n=$(echo "$out" | grep -c "warning")
expect "  and the init warns about nothing" 0 "$n" "$out"
