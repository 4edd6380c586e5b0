#!/usr/bin/env bash
# Compiles the core (CKVM, GICVocabulary, KVM) as Embedded Swift for aarch64-none-none-elf,
# module by module, the way the lab's conformance runner is built (recipe:
# ../shared/docs/real-kernel-lab.md). This is the check that the core stays free of
# Foundation, non-class existentials and reflection.
#
# Usage: Scripts/embedded-build.sh [OUT_DIR]     (default: .build-embedded)
# Prints the object files it produced; exits non-zero on any compile error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-$root/.build-embedded}
mkdir -p "$out"

Scripts/lab/install-host-packages.sh >&2

swiftc=$(command -v swiftc)
sysroot_include=/usr/aarch64-linux-gnu/include
common=(
  -target aarch64-none-none-elf -enable-experimental-feature Embedded -wmo -parse-as-library
  -Osize -swift-version 6 -I "$out" -I "$root/CKVM"
  -Xcc -isystem -Xcc "$sysroot_include"
  -Xcc -D__linux__ -Xcc -D__gnu_linux__ -Xcc -D__unix__
)

# compile MODULE SOURCE_DIR: one module, one object, one .swiftmodule.
compile() {
  local module=$1 dir=$2
  local sources
  mapfile -t sources < <(find "$dir" -name '*.swift' | LC_ALL=C sort)
  "$swiftc" "${common[@]}" -module-name "$module" \
    -emit-module -emit-module-path "$out/$module.swiftmodule" \
    -c "${sources[@]}" -o "$out/$module.o"
  echo "$out/$module.o"
}

compile GICVocabulary Sources/GICVocabulary
compile KVM Sources/KVM
for extra in "$@"; do :; done
