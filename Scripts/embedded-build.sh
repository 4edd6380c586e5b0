#!/usr/bin/env bash
# The Embedded Swift check of the core: compiles GICVocabulary, DeviceTree, GuestHarness, KVM, VGIC,
# GICDescription, GICModel, GICv5Model, GICSnapshot, CheckedVGIC, MinimalVMM, Conformance and KVMSimulation
# (against the CKVM headers) for aarch64-none-none-elf, then ConformanceRunner, and links the lab's
# conformance runner from them (DeviceTree, GICDescription and KVMSimulation are checked, not linked). These are the package's library targets plus the
# runner; the host-side tools (kvm-gic, LabHost, SnapshotTools, SnapshotFuzz) and the
# test-support targets are not part of the core.
# One definition of the flags lives in Scripts/lab/build-runner.sh; this name is kept because
# it is what the check is for.
#
# Usage: Scripts/embedded-build.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exec Scripts/lab/build-runner.sh "${1:-.build-embedded}"
