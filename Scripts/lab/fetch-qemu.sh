#!/usr/bin/env bash
# Usage: fetch-qemu.sh [CACHE_DIR]
#
# Provides QEMU 11 (Debian trixie-backports, package qemu-system-arm) for the GICv5 guest lab
# and prints the absolute path of a qemu-system-aarch64 wrapper as the last line of stdout
# (progress goes to stderr). Next to the wrapper, qemu-system-aarch64.version names the package
# as name=version.
#
# QEMU 11 is the first QEMU with a GICv5 (`-M virt,gic-version=x-5`, TCG, EL1 only); the host
# system (bookworm) has 7.2 and must not get packages from newer suites. So it lives in a
# trixie root made with debootstrap under CACHE_DIR/trixie-root, where apt installs
# qemu-system-arm from trixie-backports inside the chroot. Nothing outside CACHE_DIR changes.
# The wrapper runs the root's QEMU with the root's dynamic loader and libraries (no chroot at
# run time, so image files anywhere can be loaded) and its firmware directory (-L).
#
# A second run finds the cached root and prints the wrapper at once. Needs root (debootstrap,
# chroot) for the first run only.
#
# CACHE_DIR defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/swift-kvm-gic/qemu.
set -euo pipefail
. "$(dirname "$0")/children.sh"

cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/swift-kvm-gic/qemu}
mirror=http://deb.debian.org/debian
package=qemu-system-arm
min_version=1:11

log() { echo "fetch-qemu: $*" >&2; }

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
root=$cache/trixie-root
wrapper=$cache/qemu-system-aarch64

if [[ -x $wrapper && -f $wrapper.version && -x $root/usr/bin/qemu-system-aarch64 ]]; then
  log "cached: $(cat "$wrapper.version")"
  echo "$wrapper"; exit 0
fi

command -v debootstrap >/dev/null || { log "debootstrap is missing (install-host-packages.sh installs it)"; exit 1; }
(( EUID == 0 )) || { log "the first run needs root (debootstrap, chroot)"; exit 1; }

work=$cache/.root.tmp
mounted=
cleanup() {
  if [[ -n $mounted ]]; then umount "$work/proc" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$work"

log "debootstrap trixie (minbase) into $work"
child debootstrap --variant=minbase trixie "$work" "$mirror" >&2
echo "deb $mirror trixie-backports main" > "$work/etc/apt/sources.list.d/backports.list"
mount -t proc proc "$work/proc" && mounted=1
log "installing $package from trixie-backports"
child chroot "$work" apt-get -q update >&2
DEBIAN_FRONTEND=noninteractive child chroot "$work" apt-get -q install -y --no-install-recommends \
  -t trixie-backports "$package" >&2
version=$(chroot "$work" dpkg-query -W -f='${Version}' "$package")
dpkg --compare-versions "$version" ge "$min_version" || { log "$package $version is older than $min_version"; exit 1; }
chroot "$work" apt-get -q clean >&2
umount "$work/proc"; mounted=

rm -rf "$root"
mv "$work" "$root"
loader=$(cd "$root" && ls lib64/ld-linux-x86-64.so.2)
cat > "$wrapper.tmp" <<EOF
#!/bin/sh
# QEMU $version from the trixie root beside this file (Scripts/lab/fetch-qemu.sh).
exec "$root/$loader" --library-path "$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu" \\
  "$root/usr/bin/qemu-system-aarch64" -L "$root/usr/share/qemu" "\$@"
EOF
chmod +x "$wrapper.tmp"
echo "$package=$version" > "$wrapper.version"
mv "$wrapper.tmp" "$wrapper"
log "QEMU $version: $wrapper"
echo "$wrapper"
