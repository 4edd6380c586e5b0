#!/usr/bin/env bash
# The test command: everything a fresh Debian machine needs, then every check that runs here.
#   1. host packages (apt) the checks need;
#   2. the Embedded Swift build of the core for aarch64 (the lab runner's toolchain path);
#   3. `swift test`: vocabulary and model tests, KVM-layer tests on the syscall simulator;
#      tests that need a real arm64 KVM skip here with the reason, and run in the lab.
# Ends with the test runner's own summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== host packages"
Scripts/lab/install-host-packages.sh

echo "== Embedded Swift build of the core (aarch64-none-none-elf)"
Scripts/embedded-build.sh .build-embedded

echo "== swift test"
exec swift test
