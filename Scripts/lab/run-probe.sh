#!/usr/bin/env bash
# Usage: run-probe.sh [6.12|latest ...]   (default: 6.12 latest)
#
# The whole lab in one go, as a recipe check and baseline: installs the host packages,
# fetches each kernel, builds probe-init.c as a static arm64 /init, packs it and boots it
# under each kernel. Fails unless every boot ends with the probe's "probe: done (ok)".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kinds=("$@")
(( ${#kinds[@]} )) || kinds=(6.12 latest)

"$here/install-host-packages.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$work/probe-init" "$here/probe-init.c"
"$here/make-initramfs.sh" "$work/probe-init" "$work/probe.cpio.gz"

failed=0
for kind in "${kinds[@]}"; do
  image=$("$here/fetch-kernel.sh" "$kind" | tail -n 1)
  echo "== $kind: $(head -n 1 "$image.version")" >&2
  "$here/boot.sh" "$image" "$work/probe.cpio.gz" 120 | tee "$work/serial.log" || true
  grep -q '^probe: done (ok)' "$work/serial.log" || { echo "== $kind: probe FAILED" >&2; failed=1; }
done
exit "$failed"
