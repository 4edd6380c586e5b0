#!/usr/bin/env bash
# Usage: boot.sh <kernel-image> <initramfs> [timeout-seconds (default 120)] [scenario-filter] [qemu]
#
# Boots an arm64 kernel + initramfs in QEMU's emulated arm64 "virt" machine with EL2
# (virtualization=on) and a GICv3, so the guest kernel runs KVM with a real vgic and the
# initramfs' /init can drive /dev/kvm. The serial console streams to stdout (CRs removed);
# /init ends the run by powering the machine off. A scenario filter (no whitespace) is put
# after "--" on the kernel command line, which the kernel hands to /init as argv[1]. The last
# argument names the QEMU to run (default: the host's qemu-system-aarch64; fetch-qemu.sh prints
# QEMU 11's).
#
# Exit status: QEMU's own (0 after a power-off); 124 if the timeout expired (QEMU is
# killed); 3 if the guest kernel panicked (with panic=-1 and -no-reboot a panic also makes
# QEMU exit 0, e.g. when /init crashes or exits). The wall time goes to stderr. On SIGINT,
# SIGTERM or SIGHUP it ends QEMU and exits 128 + the signal (children.sh).
set -euo pipefail
. "$(dirname "$0")/children.sh"

kernel=${1:?usage: boot.sh <kernel-image> <initramfs> [timeout-seconds]}
initrd=${2:?usage: boot.sh <kernel-image> <initramfs> [timeout-seconds]}
limit=${3:-120}
filter=${4:-}
qemu=${5:-qemu-system-aarch64}
if [[ $filter =~ [[:space:]\"] ]]; then echo "boot: a scenario filter has no whitespace or quotes: $filter" >&2; exit 2; fi
init_args=${filter:+ -- $filter}
for f in "$kernel" "$initrd"; do [[ -f $f ]] || { echo "boot: no such file: $f" >&2; exit 2; }; done

# Copies the serial output through line by line, remembering whether the kernel panicked.
serial() {
  local line panicked=0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    printf '%s\n' "$line"
    if [[ $line == *"Kernel panic - not syncing"* ]]; then panicked=1; fi
  done
  return $((panicked ? 3 : 0))
}

# QEMU's serial output reaches serial() through a FIFO rather than a pipeline, so both run as
# children.sh children: a signal to this script ends QEMU at once instead of after the boot.
fifo_dir=$(mktemp -d)
trap 'rm -rf "$fifo_dir"' EXIT
mkfifo "$fifo_dir/serial"
serial <"$fifo_dir/serial" &
serial_pid=$!
lab_children+=("$serial_pid")

start=$EPOCHREALTIME
set +e
# -nic none: otherwise QEMU wants efi-virtio.rom for the default NIC.
# stdin is /dev/null so QEMU never puts a terminal into raw mode. --foreground keeps timeout
# and QEMU in this script's process group (plain timeout makes a group of its own), the group
# kvm-gic ends on Ctrl-C.
child timeout --foreground -k 5 "$limit" "$qemu" \
  -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1024 \
  -nographic -no-reboot -nic none \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyAMA0 rdinit=/init quiet panic=-1$init_args" </dev/null >"$fifo_dir/serial"
qemu_status=$?
wait "$serial_pid"
serial_status=$?
set -e
elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

if (( qemu_status == 124 || qemu_status == 137 )); then
  echo "boot: timed out after ${limit} s, QEMU killed" >&2; exit 124
fi
echo "boot: QEMU exited with ${qemu_status} after ${elapsed} s" >&2
(( qemu_status != 0 )) && exit "$qemu_status"
if (( serial_status == 3 )); then echo "boot: guest kernel panicked" >&2; exit 3; fi
exit 0
