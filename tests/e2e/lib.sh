# Helpers for the end-to-end suite (sourced by scripts/e2e.sh): root file
# systems built from the freshly built binary and busybox, containers run
# with podman + runc, and checks that count failures instead of stopping.

E2E_FAILED=0
E2E_PASSED=0

# ok NAME: a passed check.
ok() {
  E2E_PASSED=$((E2E_PASSED + 1))
  echo "ok   $1"
}

# fail NAME DETAILS: a failed check (the suite goes on, and fails at the end).
fail() {
  E2E_FAILED=$((E2E_FAILED + 1))
  echo "FAIL $1"
  shift
  [ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/     /'
}

# expect NAME WANT GOT [DETAILS]: equal, or a failure showing both.
expect() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "wanted: $2" "got:    $3" "${4:-}"; fi
}

# now_ms: a monotonic-enough clock for durations.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# rootfs DIR: a minimal image: busybox applets in /bin, chainit at
# /command/chainit with every command it provides beside it (relative
# links), /init, and with-contenv and execlineb in /usr/bin: s6-overlay's
# layout.
rootfs() {
  rm -rf "$1"
  mkdir -p "$1"/bin "$1"/etc "$1"/run "$1"/tmp "$1"/proc "$1"/dev "$1"/sys "$1"/root "$1"/var
  cp /bin/busybox "$1/bin/busybox"
  for a in $("$1/bin/busybox" --list); do
    [ -e "$1/bin/$a" ] || ln -s busybox "$1/bin/$a"
  done
  ln -s bin "$1/sbin"
  mkdir -p "$1/usr"
  ln -s ../bin "$1/usr/bin"
  ln -s ../bin "$1/usr/sbin"
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nuser:x:1000:\n' > "$1/etc/group"
  mkdir -p "$1/command"
  cp "$CHAINIT" "$1/command/chainit"
  for n in $("$CHAINIT" commands); do
    ln -s chainit "$1/command/$n"
  done
  ln -s command/chainit "$1/init"
  ln -sf ../command/chainit "$1/bin/with-contenv"
  ln -sf ../command/chainit "$1/bin/execlineb"
}

# run_c ARGS...: podman run with the suite's defaults; its output.
run_c() {
  podman run --rm "$@" 2>&1
}

# file DIR REL TEXT [MODE]: writes a file of a rootfs (made executable with x).
file() {
  mkdir -p "$(dirname "$1/$2")"
  printf '%s' "$3" > "$1/$2"
  [ "${4:-}" != x ] || chmod 755 "$1/$2"
}
