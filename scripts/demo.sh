#!/bin/sh
# The main job: build chainit, then boot the demo container root in
# scripts/demo/ with `chainit init` as a subreaper (no root, no container
# needed): stage 1, cont-init.d, the s6-rc.d oneshot and longrun, the
# supervised services.d clock and api (sd_notify readiness, a health check,
# restart backoff), the CMD, cont-finish.d, shutdown. It ends by
# itself with the CMD's exit code. Then a few execline examples.
set -eu
cd "$(dirname "$0")/.."
BIN=$(scripts/static-build.sh)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN" install "$WORK/bin" >/dev/null
ln -s "$BIN" "$WORK/bin/chainit"   # for the CMD's `chainit status`

echo "== chainit init --root scripts/demo -- scripts/demo/app/show-greeting"
status=0
env PATH="$WORK/bin:/usr/bin:/bin" DEMO_NAME="demo user" S6_KILL_GRACETIME=2000 S6_CMD_WAIT_FOR_SERVICES=1 \
  "$BIN" init --root scripts/demo --run-dir "$WORK/run" -- "$(pwd)/scripts/demo/app/show-greeting" || status=$?
echo "   (the container exited $status)"

for f in scripts/examples/*.el; do
  echo "== $f"
  case "$f" in
    *arguments.el) "$BIN" execlineb -S2 "$f" first second ;;
    *) "$BIN" execlineb -P "$f" ;;
  esac
  echo "   (exit $?)"
done
echo "== a syntax error, as chainit reports it"
printf 'foreground {\n  echo never closed\n' > "$WORK/bad.el"
"$BIN" execlineb -P "$WORK/bad.el" 2>&1 || echo "   (exit $?)"
