#!/usr/bin/env bash
# Usage: build-runner.sh [OUT_DIR]        (default: .build-lab/runner)
#
# Builds the conformance runner as a static arm64 Linux program, OUT_DIR/init, for the lab's
# initramfs, and prints its absolute path as the last line of stdout.
#
# The core modules (GICVocabulary, DeviceTree, GuestHarness, KVM, VGIC, GICDescription, GICModel, GICv5Model,
# GICSnapshot, CheckedVGIC, MinimalVMM, Conformance, KVMSimulation) are compiled one by one as
# Embedded Swift for aarch64-none-none-elf with -emit-module, with the flags of
# Scripts/embedded-build.sh (kept identical on purpose: the two scripts must agree on what
# "the core compiles as Embedded Swift" means), then Sources/ConformanceRunner/main.swift as
# top-level code against them. The objects are linked with static arm64 glibc through the
# toolchain's lld (GNU ld fails: "copy relocation against non-copyable protected symbol"),
# plus the embedded stdlib's Unicode data tables.
#
# Module sources are every *.swift under Sources/<Module>/, recursively, so scenario files
# added in subfolders are picked up without touching this script.
#
# It also builds the payload of the linux.* scenarios' guest: Scripts/lab/guest-init.c as a static
# arm64 program, packed as the guest's initramfs OUT_DIR/guest-initramfs.cpio (uncompressed newc,
# /init plus empty /dev, /proc, /sys), which make-initramfs.sh puts into the lab's initramfs.
#
# On SIGINT, SIGTERM or SIGHUP it ends the compiler or linker it is running and exits 128 + the
# signal (children.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
. Scripts/lab/children.sh
root=$PWD
out=${1:-$root/.build-lab/runner}
mkdir -p "$out"
out=$(cd "$out" && pwd)

child Scripts/lab/install-host-packages.sh >&2

swiftc=$(command -v swiftc)
toolchain_bin=$(dirname "$swiftc")
sysroot_include=/usr/aarch64-linux-gnu/include
common=(
  -target aarch64-none-none-elf -enable-experimental-feature Embedded -wmo
  -Osize -swift-version 6 -I "$out" -I "$root/CKVM"
  -Xcc -isystem -Xcc "$sysroot_include"
  -Xcc -D__linux__ -Xcc -D__gnu_linux__ -Xcc -D__unix__
)

objects=()

# compile MODULE: Sources/MODULE/**/*.swift -> OUT/MODULE.o + OUT/MODULE.swiftmodule
compile() {
  local module=$1 sources
  mapfile -t sources < <(find "Sources/$module" -name '*.swift' | LC_ALL=C sort)
  (( ${#sources[@]} )) || { echo "build-runner: no sources in Sources/$module" >&2; exit 1; }
  echo "build-runner: $module (${#sources[@]} files)" >&2
  child "$swiftc" "${common[@]}" -parse-as-library -module-name "$module" \
    -emit-module -emit-module-path "$out/$module.swiftmodule" \
    -c "${sources[@]}" -o "$out/$module.o"
  objects+=("$out/$module.o")
}

compile GICVocabulary
# The devicetree writer and reader: part of the core (Embedded Swift), not used by the runner.
compile DeviceTree
unset 'objects[-1]'
compile GuestHarness
compile KVM
compile VGIC
# The guest's devicetree description of the GIC: part of the core, not used by the runner.
compile GICDescription
unset 'objects[-1]'
compile GICModel
compile GICv5Model
compile GICSnapshot
compile CheckedVGIC
compile MinimalVMM
compile Conformance
# The simulated kernel is part of the core (it must compile as Embedded Swift) but the runner
# does not use it: checked, not linked.
compile KVMSimulation
unset 'objects[-1]'

# The runner is top-level code (main.swift), the same file SwiftPM builds: no -parse-as-library.
echo "build-runner: ConformanceRunner" >&2
child "$swiftc" "${common[@]}" -module-name ConformanceRunner \
  -c Sources/ConformanceRunner/main.swift -o "$out/ConformanceRunner.o"
objects+=("$out/ConformanceRunner.o")

# String comparison and hashing in Embedded Swift normalise Unicode, whose data tables are a
# separate archive of the embedded stdlib (undefined _swift_stdlib_nfd_* without it).
unicode_tables=$(dirname "$toolchain_bin")/lib/swift/embedded/aarch64-none-none-elf/libswiftUnicodeDataTables.a
[[ -f $unicode_tables ]] || { echo "build-runner: missing $unicode_tables" >&2; exit 1; }
child aarch64-linux-gnu-gcc -static -fuse-ld=lld -B"$toolchain_bin" -o "$out/init.tmp" "${objects[@]}" "$unicode_tables"
mv "$out/init.tmp" "$out/init"

# The linux.* guest's initramfs: its /init (guest-init.c) and the mount points it uses.
echo "build-runner: guest-init" >&2
guest=$(mktemp -d)
trap 'rm -rf "$guest"' EXIT
mkdir -p "$guest/dev" "$guest/proc" "$guest/sys"
child aarch64-linux-gnu-gcc -static -Os -Wall -Wextra -Werror -s -o "$guest/init" Scripts/lab/guest-init.c
chmod 0755 "$guest" "$guest/dev" "$guest/proc" "$guest/sys" "$guest/init"
find "$guest" -exec touch -h -d @0 {} +
(cd "$guest" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet) > "$out/guest-initramfs.cpio.tmp"
mv "$out/guest-initramfs.cpio.tmp" "$out/guest-initramfs.cpio"
echo "$out/init"
