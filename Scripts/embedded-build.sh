#!/usr/bin/env bash
# The Embedded Swift check of the core: compiles CKVM, GICVocabulary, KVM, VGIC, GICModel,
# GICv5Model, GICSnapshot, CheckedVGIC, Conformance and KVMSimulation for aarch64-none-none-elf and links the
# lab's conformance runner with them (KVMSimulation is checked, not linked).
# One definition of the flags lives in Scripts/lab/build-runner.sh; this name is kept because
# it is what the check is for.
#
# Usage: Scripts/embedded-build.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exec Scripts/lab/build-runner.sh "${1:-.build-embedded}"
