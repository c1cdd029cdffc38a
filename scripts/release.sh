#!/bin/sh
# Release artifacts in dist/:
#   chainit-VERSION-ARCH                   the static binary, stripped
#   chainit-overlay-VERSION-ARCH.tar.xz    a drop-in for s6-overlay's tarballs:
#       extract at / for /init, /command/* and /usr/bin/{with-contenv,execlineb}
#   SHA256SUMS
#   man/man1/chainit*.1, completions/{chainit.bash,_chainit,chainit.fish}
#       generated from chainit's clap definitions (tools/gen-docs)
# and prints their sizes. Reproducible: fixed owner, order and times.
set -eu
cd "$(dirname "$0")/.."
bin=$(scripts/static-build.sh dist)
arch=$(uname -m)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out=dist
rm -rf "$out"
mkdir -p "$out"
cp "$bin" "$out/chainit-$version-$arch"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/command" "$stage/usr/bin"
cp "$bin" "$stage/command/chainit"
for name in $("$bin" commands); do
  ln -s chainit "$stage/command/$name"
done
ln -s command/chainit "$stage/init"
ln -s ../../command/chainit "$stage/usr/bin/with-contenv"
ln -s ../../command/chainit "$stage/usr/bin/execlineb"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
  -cf - init command usr | xz -9e > "$out/chainit-overlay-$version-$arch.tar.xz"
cargo run --quiet --manifest-path tools/gen-docs/Cargo.toml --target-dir target/tools -- "$out"
(cd "$out" && sha256sum "chainit-$version-$arch" "chainit-overlay-$version-$arch.tar.xz" > SHA256SUMS)
ls -l "$out" "$out/completions" "$out/man/man1"
