#!/usr/bin/env bash
# Fuzzes the snapshot decoders and every consumer behind them (SnapshotTotality) with libFuzzer.
#   1. replays the committed seed corpus (Fuzz/corpus/snapshot) with the plain SnapshotFuzz build;
#   2. builds SnapshotFuzz with -sanitize=fuzzer into .build-fuzz (its own scratch folder);
#   3. fuzzes for SECONDS (default 60) over a fresh copy of the corpus in .build-fuzz/run,
#      never writing into the committed one, and prints libFuzzer's final stats.
# Exits non-zero on a crash (a broken promise traps), a timeout or running out of memory, and
# names the saved input; `swift run SnapshotFuzz FILE` replays it without the fuzzer runtime.
#
# Usage: Scripts/fuzz-snapshots.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: Scripts/fuzz-snapshots.sh [SECONDS]" >&2
    exit 2
fi
corpus=Fuzz/corpus/snapshot
scratch=.build-fuzz
run="$scratch/run"

echo "-- replaying $corpus (plain build)"
swift build --product SnapshotFuzz
"$(swift build --show-bin-path)/SnapshotFuzz" "$corpus"

# libFuzzer ships with the toolchain's clang runtimes; without it -sanitize=fuzzer cannot link.
toolchain_lib="$(dirname "$(readlink -f "$(command -v swift)")")/../lib"
if ! find -L "$toolchain_lib/clang" "$toolchain_lib/swift/clang" -name 'libclang_rt.fuzzer*.a' \
        ! -name '*no_main*' ! -name '*interceptors*' 2>/dev/null | grep -q .; then
    echo "fuzz-snapshots: no libFuzzer runtime (libclang_rt.fuzzer*.a) under $toolchain_lib;" \
        "this toolchain cannot build -sanitize=fuzzer" >&2
    exit 1
fi

echo "-- building the fuzzer ($scratch)"
swift build -c release --product SnapshotFuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DSNAPSHOT_LIBFUZZER
fuzzer="$scratch/release/SnapshotFuzz"

rm -rf "$run"
mkdir -p "$run/artifacts"
cp -R "$corpus" "$run/corpus"
log="$run/fuzz.log"

echo "-- fuzzing for ${seconds}s (log: $log)"
status=0
"$fuzzer" "$run/corpus" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$run/artifacts/" >"$log" 2>&1 || status=$?

if [ "$status" -ne 0 ]; then
    # From the first report line (the trap's message, libFuzzer's ERROR) to the end; else the tail.
    first="$(grep -n -m1 -E 'Fatal error|ERROR: libFuzzer|ERROR:' "$log" | cut -d: -f1 || true)"
    if [ -n "$first" ]; then tail -n "+$first" "$log"; else tail -n 60 "$log"; fi
    echo
    for input in "$run"/artifacts/*; do
        [ -e "$input" ] || continue
        echo "fuzz-snapshots: crashing input: $input (replay: swift run SnapshotFuzz $input)"
    done
    echo "fuzz-snapshots: libFuzzer exited with status $status" >&2
    exit 1
fi
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done |^stat::' "$log"
echo "fuzz-snapshots: no crash in ${seconds}s"
