#!/usr/bin/env bash
# Usage: boot-gicv5.sh <qemu-system-aarch64> <dir> [timeout-seconds per run (default 20)]
#
# Boots every <dir>/*.elf (in name order) bare-metal on QEMU's GICv5 machine
# (-M virt,gic-version=x-5 -cpu max: TCG, EL1 only, no KVM) as the guest harness's runtime built
# for the UART transport expects, and streams the serial output. Each run is framed for the host:
#   @@RUN <name>        (the file name without .elf), then the run's serial lines,
#   @@STATUS <status>   QEMU's exit status (0 after the guest's PSCI SYSTEM_OFF; 124 on timeout).
# The ELF's segment lands at the RAM base and vCPU 0 starts at its entry; QEMU puts the devicetree
# elsewhere for an ELF kernel (Scripts/lab/README.md). On SIGINT, SIGTERM or SIGHUP it ends QEMU
# and exits 128 + the signal (children.sh).
set -euo pipefail
. "$(dirname "$0")/children.sh"

qemu=${1:?usage: boot-gicv5.sh <qemu> <dir> [timeout]}
dir=${2:?usage: boot-gicv5.sh <qemu> <dir> [timeout]}
limit=${3:-20}
[[ -x $qemu ]] || { echo "boot-gicv5: not executable: $qemu" >&2; exit 2; }

shopt -s nullglob
for elf in "$dir"/*.elf; do
  name=$(basename "$elf" .elf)
  echo "@@RUN $name"
  set +e
  # stdin is /dev/null so QEMU never puts a terminal into raw mode; --foreground keeps timeout
  # and QEMU in this script's process group, the group kvm-gic ends on Ctrl-C.
  child timeout --foreground -k 2 "$limit" "$qemu" -M virt,gic-version=x-5 -cpu max -m 128 \
    -display none -monitor none -serial stdio -nic none -no-reboot -kernel "$elf" </dev/null
  status=$?
  set -e
  echo "@@STATUS $status"
done
