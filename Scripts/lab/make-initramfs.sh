#!/usr/bin/env bash
# Usage: make-initramfs.sh <init-binary> <out.cpio.gz>
#
# Packs a minimal initramfs for the lab kernel: /init (the given static arm64 program) and
# empty /dev, /proc, /sys mount points. The /init program mounts what it needs itself
# (devtmpfs on /dev gives it /dev/kvm). When a guest-initramfs.cpio lies beside <init-binary>
# (build-runner.sh makes one), it is packed as /guest/initramfs.cpio: the initramfs of the
# Linux guest the linux.* scenarios boot (its kernel, /guest/Image, is added by boot.sh). The
# archive is reproducible: entries sorted, owner root, fixed mtimes, device-independent cpio
# (newc) and a gzip without name or timestamp.
set -euo pipefail

init=${1:?usage: make-initramfs.sh <init-binary> <out.cpio.gz>}
out=${2:?usage: make-initramfs.sh <init-binary> <out.cpio.gz>}
[[ -f $init ]] || { echo "no such file: $init" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/dev" "$root/proc" "$root/sys"
install -m 0755 "$init" "$root/init"
chmod 0755 "$root" "$root/dev" "$root/proc" "$root/sys"
guest_initramfs=$(dirname "$init")/guest-initramfs.cpio
if [[ -f $guest_initramfs ]]; then
  mkdir -p "$root/guest"
  chmod 0755 "$root/guest"
  install -m 0644 "$guest_initramfs" "$root/guest/initramfs.cpio"
fi
find "$root" -exec touch -h -d @0 {} +

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort \
  | cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -9n) > "$out.tmp"
mv "$out.tmp" "$out"
