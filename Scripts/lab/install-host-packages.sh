#!/usr/bin/env bash
# Installs the Debian (bookworm, amd64) host packages the real-kernel lab and the tests need:
#   qemu-system-arm        qemu-system-aarch64: an emulated arm64 machine with EL2 + GICv3
#   qemu-user              qemu-aarch64: runs static arm64 programs directly (quick checks)
#   gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, linux-libc-dev-arm64-cross
#                          static arm64 glibc + uAPI headers for the /init programs
#   cpio, gzip             pack the initramfs
#   debian-archive-keyring verifies the private kernel apt lists (fetch-kernel.sh)
#   device-tree-compiler   dtc: the reference the devicetree tests of `swift test` compare blobs with
#   debootstrap            the trixie root fetch-qemu.sh installs QEMU 11 into (GICv5 guest lab)
# Only packages that are missing are installed, with one `apt-get update` first; when
# everything is present it prints nothing and changes nothing.
#
# No `dpkg --add-architecture arm64`: fetch-kernel.sh reads arm64 kernel packages through a
# private apt configuration (its own sources list, lists and cache, APT::Architecture=arm64),
# so the host's apt and dpkg configuration is never changed.
set -euo pipefail

packages=(qemu-system-arm qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
          linux-libc-dev-arm64-cross cpio gzip debian-archive-keyring device-tree-compiler debootstrap)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$p")
done
(( ${#missing[@]} == 0 )) && exit 0

sudo=()
if (( EUID != 0 )); then
  command -v sudo >/dev/null || { echo "need root to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >&2
exec "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
