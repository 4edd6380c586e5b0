#!/usr/bin/env bash
# Usage: Scripts/bench-instructions.sh [TURNS]        (default 20000)
#
# The deterministic Swift-vs-C overhead figure: user-space instructions per KVM_IRQ_LINE and
# per KVM_GET_DEVICE_ATTR, through the public Swift API (VGIC and the KVM layer) and through
# the lab's C baseline loops (CKVM_DEFINE_OVERHEAD_LOOPS), all against a null kernel
# (Benchmarks/kvm-gic-bench: NullKernel answers with cnull_ioctl, which does nothing).
#
# Counted by callgrind on this machine (x86 is fine: no kernel is involved): the release build
# of kvm-gic-bench runs under `valgrind --tool=callgrind --collect-atstart=no` and counts each
# measured loop alone (client requests around the loop dump one profile part per case). It
# runs twice, TURNS and 2*TURNS loop turns, and divides the difference by the calls the extra
# turns made, so setup and the collection switch cancel out exactly.
#
# Prints figures, never a verdict: exits 0 whatever the ratio; non-zero only when it could
# not measure (no valgrind, no callgrind.h, a failed build or run).
set -euo pipefail
cd "$(dirname "$0")/.."

turns=${1:-20000}
[[ $turns =~ ^[1-9][0-9]*$ ]] || { echo "usage: Scripts/bench-instructions.sh [TURNS > 0]" >&2; exit 64; }
command -v valgrind >/dev/null || { echo "bench-instructions: no valgrind (apt-get install valgrind)" >&2; exit 2; }
[[ -f /usr/include/valgrind/callgrind.h ]] || {
  echo "bench-instructions: no <valgrind/callgrind.h>: the benchmark could not switch counting on and off" >&2
  exit 2
}

swift build -c release --product kvm-gic-bench >&2
bin=$(swift build -c release --show-bin-path)/kvm-gic-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Valgrind 3.19 cannot read the DWARF 5 debug info the Swift toolchain writes; symbols are
# enough for callgrind, so it measures a copy without debug info (the code is the same).
cp "$bin" "$work/kvm-gic-bench"
strip --strip-debug "$work/kvm-gic-bench"

# measure TURNS: one callgrind run; writes "case calls request instructions" lines to stdout.
measure() {
  local n=$1
  valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$work/cg.$n" \
    "$work/kvm-gic-bench" "$n" >"$work/out.$n" 2>"$work/log.$n" || {
    echo "bench-instructions: the benchmark failed under callgrind:" >&2
    cat "$work/log.$n" >&2
    exit 1
  }
  local part label total
  declare -A counted=()
  for part in "$work/cg.$n".*; do
    label=$(sed -n 's/^desc: Trigger: Client Request: //p' "$part")
    total=$(sed -n 's/^totals: //p' "$part")
    [[ -n $label && -n $total ]] && counted[$label]=$total
  done
  local name calls request
  while read -r name calls request; do
    [[ -n ${counted[$name]:-} ]] || { echo "bench-instructions: callgrind counted no part for $name" >&2; exit 1; }
    echo "$name $calls $request ${counted[$name]}"
  done <"$work/out.$n"
}

measure "$turns" >"$work/single"
measure "$((2 * turns))" >"$work/double"

echo "instructions per call against a null kernel (callgrind Ir, release build)"
echo "machine: $(uname -m), $(swift --version 2>&1 | head -n 1 | sed 's/ (.*//'), $(valgrind --version), $turns and $((2 * turns)) loop turns"
join <(sort "$work/single") <(sort "$work/double") | awk -v order="$(cut -d' ' -f1 "$work/single" | tr '\n' ' ')" '
  # name calls request instructions (TURNS), then calls request instructions (2*TURNS)
  { request[$1] = $3; per[$1] = ($7 - $4) / ($5 - $2) }
  END {
    n = split(order, names, " ")
    printf "%-28s %-20s %s\n", "case", "request", "instructions/call"
    for (i = 1; i <= n; i++) printf "%-28s %-20s %.2f\n", names[i], request[names[i]], per[names[i]]
    split("irq_line get_device_attr", ops, " ")
    for (j = 1; j <= 2; j++) {
      c = per["c." ops[j]]
      if (c > 0) printf "Swift/C %-20s VGIC %.2f, KVM layer %.2f\n", ops[j], per["swift.vgic." ops[j]] / c, per["swift.kvm." ops[j]] / c
    }
  }'
