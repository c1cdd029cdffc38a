#!/bin/sh
# Release artifacts in dist/:
#   chainit-VERSION-x86_64                   the static binary, stripped
#   chainit-overlay-VERSION-x86_64.tar.xz    a drop-in for s6-overlay's tarballs:
#       extract at / for /init, /command/* and /usr/bin/{with-contenv,execlineb}
#   SHA256SUMS
# and prints their sizes. Reproducible: fixed owner, order and times.
set -eu
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
bin=target/x86_64-unknown-linux-gnu/dist/chainit
out=dist
rm -rf "$out"
mkdir -p "$out"
cp "$bin" "$out/chainit-$version-x86_64"
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
  -cf - init command usr | xz -9e > "$out/chainit-overlay-$version-x86_64.tar.xz"
(cd "$out" && sha256sum "chainit-$version-x86_64" "chainit-overlay-$version-x86_64.tar.xz" > SHA256SUMS)
ls -l "$out"
