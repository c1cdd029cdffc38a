# The Dockerfile recipes of docs/containers.md, each built with podman
# build (on a busybox base image, FROM scratch: no registry) with the
# release tarball from scripts/release.sh, then run.

B=$WORK/base
mkdir -p "$B/bin" "$B/etc" "$B/run" "$B/tmp" "$B/proc" "$B/dev" "$B/sys" "$B/root"
cp /bin/busybox "$B/bin/busybox"
for a in $("$B/bin/busybox" --list); do [ -e "$B/bin/$a" ] || ln -s busybox "$B/bin/$a"; done
ln -s bin "$B/sbin"; mkdir -p "$B/usr"; ln -s ../bin "$B/usr/sbin"
chmod 1777 "$B/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' > "$B/etc/passwd"
printf 'root:x:0:\nuser:x:1000:\n' > "$B/etc/group"
tar -C "$B" -cf "$WORK/base.tar" .
printf 'FROM scratch\nADD base.tar /\n' > "$WORK/Containerfile.base"
podman build -q --isolation=chroot -t localhost/base:latest -f "$WORK/Containerfile.base" "$WORK" > /dev/null 2>&1 \
  && ok "base image localhost/base:latest" || fail "base image"

scripts/release.sh > /dev/null || fail "scripts/release.sh"
tarball=$(ls dist/chainit-overlay-*-"$(uname -m)".tar.xz)
# The man pages and completions generated from the clap definitions.
grep -q '^\.TH chainit-init 1' dist/man/man1/chainit-init.1 &&
  grep -q 'chainit' dist/completions/chainit.bash && [ -s dist/completions/_chainit ] &&
  [ -s dist/completions/chainit.fish ] &&
  ok "release: man pages and completions" || fail "release: man pages and completions"

# A small service tree for the recipes that COPY root/.
C=$WORK/recipes
mkdir -p "$C/root/etc/services.d/app" "$C/root/etc/cont-init.d"
printf '#!/bin/sh\nexec sleep 100000\n' > "$C/root/etc/services.d/app/run"
printf '#!/bin/sh\necho cont-init ran\n' > "$C/root/etc/cont-init.d/10-hello"
chmod 755 "$C/root/etc/services.d/app/run" "$C/root/etc/cont-init.d/10-hello"
cp "$tarball" "$C/"

awk -v dir="$C" '
  /^```dockerfile/ { on = 1; f = ""; next }
  /^```/ { on = 0; next }
  on && f == "" && /^# recipe: / { f = dir "/Dockerfile." $3 }
  on && f != "" { print > f }
' docs/containers.md
for r in plain s6-overlay non-root; do
  [ -f "$C/Dockerfile.$r" ] || { fail "recipe $r is not in docs/containers.md"; continue; }
  v=$(basename "$tarball" | sed 's/chainit-overlay-\(.*\)-x86_64.tar.xz/\1/')
  if podman build -q --isolation=chroot --build-arg CHAINIT_VERSION="$v" -t "localhost/recipe-$r:latest" \
       -f "$C/Dockerfile.$r" "$C" > "$WORK/build.$r" 2>&1; then
    ok "recipe $r builds"
  else
    fail "recipe $r builds" "$(tail -5 "$WORK/build.$r")"
  fi
done

out=$(podman run --rm localhost/recipe-plain:latest 2>&1); code=$?
expect "recipe plain: the CMD's exit code" 3 "$code" "$out"
echo "$out" | grep -q "hello from the CMD" && ok "  and its output" || fail "  plain output" "$out"
out=$(podman run --rm localhost/recipe-s6-overlay:latest 2>&1); code=$?
expect "recipe s6-overlay: exit 0" 0 "$code" "$out"
echo "$out" | grep -q "cont-init ran" && echo "$out" | grep -q "the services are up" \
  && ok "  cont-init.d ran and the services came up" || fail "  s6-overlay recipe" "$out"
for ro in "" --read-only; do
  out=$(podman run --rm $ro localhost/recipe-non-root:latest 2>&1); code=$?
  expect "recipe non-root ${ro:-(read-write)}: exit 0" 0 "$code" "$out"
  echo "$out" | grep -q "^1000" && echo "$out" | grep -q "the services are up" \
    && ok "  runs as 1000 with its services up" || fail "  non-root recipe $ro" "$out"
  n=$(echo "$out" | grep -c warning)
  expect "  no warning" 0 "$n" "$out"
done
