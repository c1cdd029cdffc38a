# `podman run -it`: the CMD (a shell) gets the terminal, ^C reaches it and
# not the init, which goes on and exits with the shell's code. `script`
# provides the terminal this suite runs without.

T=$WORK/term
rootfs "$T"
(sleep 2; printf '\003'; sleep 1.5; printf 'exit 7\r') |
  timeout 30 script -qec "podman run -it --rm --rootfs $T /init sh -c 'trap \"echo got INT\" INT; tty; sleep 1 & wait; sleep 1.5; echo after; exec sh'" /dev/null \
  > "$WORK/term.out"
code=${PIPESTATUS[1]}
out=$(tr -d '\r' < "$WORK/term.out")
echo "$out" | grep -q '^/dev/pts/' && ok "-it: the CMD has a terminal" || fail "-it: no terminal" "$out"
echo "$out" | grep -q 'got INT' && ok "  ^C reaches the CMD" || fail "  ^C did not reach the CMD" "$out"
echo "$out" | grep -q '^after' && ok "  the init survives it" || fail "  nothing after ^C" "$out"
expect "  the shell's exit code is the container's" 7 "$code" "$out"
