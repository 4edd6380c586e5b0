#!/usr/bin/env bash
# The test command: everything a fresh Debian machine needs, then every check there is.
#   1. host packages (apt) the checks need;
#   2. the Embedded Swift build of the core for aarch64 (the lab runner's toolchain path);
#   3. `swift test`: vocabulary tests, KVM-layer tests on the syscall simulator, lab plumbing;
#      tests that need a real arm64 KVM skip here with the reason and run in step 5;
#   4. a minute of libFuzzer on the snapshot decoders and consumers (Scripts/fuzz-snapshots.sh);
#   5. the real-kernel lab: the conformance scenarios on real arm64 KVM, on both Debian
#      kernels (6.12 and the newest 7.x), booted under QEMU (natively on an arm64 KVM host),
#      and the GICv5 guest lab on QEMU 11's TCG GICv5 (the `gicv5` step, no kernel).
# Ends with the conformance run's own `N passed, N failed, N skipped` line.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== host packages"
Scripts/lab/install-host-packages.sh

echo "== Embedded Swift build of the core (aarch64-none-none-elf)"
Scripts/embedded-build.sh .build-embedded

echo "== swift test"
swift test

echo "== fuzzing the snapshot decoders (60 s)"
Scripts/fuzz-snapshots.sh 60

echo "== conformance against real arm64 KVM (both kernels) and QEMU 11's GICv5"
exec swift run kvm-gic conformance --kernel all --report .build-lab/conformance.json --junit .build-lab/conformance.xml
