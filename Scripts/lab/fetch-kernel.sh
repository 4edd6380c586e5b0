#!/usr/bin/env bash
# Usage: fetch-kernel.sh <6.12|latest> [CACHE_DIR]
#
# Fetches a real Debian arm64 kernel for the lab and prints the absolute path of its
# uncompressed arm64 Image as the last line of stdout (progress goes to stderr). Next to it,
# <Image>.version holds the kernel release (line 1, e.g. 6.12.117+deb12-arm64) and the
# package it came from as name=version (line 2).
#
#   6.12    bookworm's newest 6.12 kernel (meta package linux-image-6.12-arm64 in
#           bookworm, bookworm-updates, bookworm-security); Image at boot/vmlinuz-*
#           in linux-image-<abi>-arm64.
#   latest  the newest 7.x (or later) kernel among Debian sid and trixie-backports (meta
#           package linux-image-arm64); Image at usr/lib/modules/<abi>-arm64/vmlinuz in
#           linux-binary-<abi>-arm64 (linux-image-<abi>-arm64 is only a meta package there).
#
# Nothing is installed and the host's apt configuration is untouched: a private sources
# list, lists, cache and an empty dpkg status live under CACHE_DIR/apt/<kind>, read with
# APT::Architecture=arm64, and the package is unpacked with dpkg-deb -x. Works without root.
# Kernels are cached by exact package version, so a second run downloads no .deb (it still
# refreshes the small apt indexes; offline, apt keeps the previous lists and the cached
# kernel is still found).
#
# CACHE_DIR defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/swift-kvm-gic/kernels.
#
# On SIGINT, SIGTERM or SIGHUP it ends the apt download it is running and exits 128 + the
# signal (children.sh); a half-downloaded kernel is never cached.
set -euo pipefail
. "$(dirname "$0")/children.sh"

kind=${1:?usage: fetch-kernel.sh <6.12|latest> [CACHE_DIR]}
cache=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/swift-kvm-gic/kernels}
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

case $kind in
  6.12)   meta=linux-image-6.12-arm64; min_version=6.12; max_version=6.13
          suites=("$mirror bookworm" "$mirror bookworm-updates" "$security bookworm-security") ;;
  latest) meta=linux-image-arm64; min_version=7; max_version=
          suites=("$mirror sid" "$mirror trixie-backports") ;;
  *) echo "unknown kernel kind '$kind' (want 6.12 or latest)" >&2; exit 2 ;;
esac

log() { echo "fetch-kernel: $*" >&2; }

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
aptdir=$cache/apt/$kind
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/preferences.d"
: > "$aptdir/status"
for s in "${suites[@]}"; do
  echo "deb [arch=arm64 signed-by=$keyring] ${s% *} ${s#* } main"
done > "$aptdir/sources.list"

apt_opts=(-o "Dir::Etc::sourcelist=$aptdir/sources.list" -o Dir::Etc::sourceparts=-
          -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache"
          -o "Dir::State::status=$aptdir/status"
          -o Dir::Etc::preferences=/dev/null -o "Dir::Etc::preferencesparts=$aptdir/preferences.d"
          -o APT::Architecture=arm64 -o APT::Architectures=arm64
          -o Acquire::Languages=none -o APT::Sandbox::User="$(id -un)")

log "updating private apt lists for $kind (${suites[*]})"
# Offline, apt warns and keeps the previous lists, so a cached kernel is still found.
child apt-get "${apt_opts[@]}" -q update >&2

# Highest version of the meta package across all suites (pins ignored on purpose).
version=
while read -r v; do
  dpkg --compare-versions "$v" ge "$min_version" || continue
  [[ -z $max_version ]] || dpkg --compare-versions "$v" lt "$max_version" || continue
  if [[ -z $version ]] || dpkg --compare-versions "$v" gt "$version"; then version=$v; fi
done < <(apt-cache "${apt_opts[@]}" madison "$meta" | awk -F' *[|] *' '{print $2}')
[[ -n $version ]] || { log "no $meta >= $min_version found"; exit 1; }

# The meta package depends on linux-image-<abi>-arm64 (= version); <abi>-arm64 is the release.
depends=$(apt-cache "${apt_opts[@]}" show "$meta=$version" | sed -n 's/^Depends: //p' | head -1)
release=$(grep -oE 'linux-image-[^ ,]+-arm64 ' <<<"$depends " | head -1 | sed 's/^linux-image-//; s/ $//')
[[ -n $release ]] || { log "cannot find linux-image-*-arm64 in '$depends'"; exit 1; }
# 7.x splits the kernel into linux-binary-<release>; 6.x ships it in linux-image-<release>.
package=linux-image-$release
if apt-cache "${apt_opts[@]}" show "linux-binary-$release=$version" >/dev/null 2>&1; then
  package=linux-binary-$release
fi
log "resolved $meta $version -> $package (kernel $release)"

dest=$cache/$kind/${package}_$version
image=$dest/Image
if [[ -f $image && -f $image.version ]]; then
  log "cached: $image"
  echo "$image"; exit 0
fi

work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
log "downloading $package=$version"
cd "$work"
child apt-get "${apt_opts[@]}" -q download "$package=$version" >&2
cd - >/dev/null
dpkg-deb -x "$work"/*.deb "$work/root"
vmlinuz=
for f in "$work/root/boot/vmlinuz-$release" "$work/root/usr/lib/modules/$release/vmlinuz"; do
  if [[ -f $f ]]; then vmlinuz=$f; break; fi
done
[[ -n $vmlinuz ]] || { log "no vmlinuz for $release in $package"; exit 1; }

# QEMU's -kernel wants the raw arm64 Image ("ARM\x64" magic at offset 56); gunzip if needed.
if [[ $(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ') == 1f8b ]]; then
  gzip -dc "$vmlinuz" > "$work/Image"
else
  cp "$vmlinuz" "$work/Image"
fi
[[ $(dd if="$work/Image" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ') == 41524d64 ]] \
  || { log "$vmlinuz is not an arm64 Image"; exit 1; }
printf '%s\n%s=%s\n' "$release" "$package" "$version" > "$work/Image.version"

mkdir -p "$dest"
mv "$work/Image" "$image.tmp" && mv "$work/Image.version" "$image.version" && mv "$image.tmp" "$image"
log "kernel $release ($package $version): $image"
echo "$image"
