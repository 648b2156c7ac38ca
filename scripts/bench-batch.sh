#!/usr/bin/env bash
# Issue 12, item 4: the speed of text reading against the decode floor, and the peak memory of a
# large `xxgk check` batch.
#
#   scripts/bench-batch.sh            # everything
#   SKIP_MEMORY=1 scripts/bench-batch.sh   # only the ratios (no 100,000-report check)
#   SKIP_BUILD=1 scripts/bench-batch.sh    # use the binaries already built
#   XXGK_BIN=/path/to/xxgk SKIP_BUILD=1 …  # measure another build of xxgk (e.g. before a change)
#
# Builds release once (xxgk, the gen_corpus example, ../shared/bench/decode-floor in
# target/decode-floor), then, on one core (`taskset -c 0`, RAYON_NUM_THREADS=1), on two sets of
# text files:
#   * the five seeds of ../shared/corpus replicated REPLICAS times (300; copies under new names);
#   * GENERATED reports (3,000) written by `xxgk-write --example gen_corpus` (6–30 KB each, the
#     four text layouts in turn; the same generator as scripts/throughput.sh);
# runs decode-floor (FLOOR_REPS = 20 runs back to back per measurement, divided: one run takes a
# few hundredths of a second), `xxgk extract` and `xxgk check` RUNS times each (3; best CPU time
# kept) and prints their CPU times (user + system of the child, from getrusage through python3, in
# microseconds) and the ratios extract / floor and check / floor. The seeds' copies are named so
# that they are read interleaved (r001_000, r001_001, …): read grouped, the same five files back
# to back, extract takes a quarter less CPU for the same instructions (the branch predictors
# learn the files), which is not what a batch of different reports gives. CPU time, not wall time: these machines are shared and wall time is noise.
# Then (unless SKIP_MEMORY=1) it generates MEMORY_COUNT reports (100,000; about 1.8 GB, in a
# temporary directory removed at the end), runs `xxgk check DIR` over all of them in one process
# (output to /dev/null) and prints its peak RSS. `uptime` is printed first and last.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
REPLICAS=${REPLICAS:-300}
GENERATED=${GENERATED:-3000}
MEMORY_COUNT=${MEMORY_COUNT:-100000}
RUNS=${RUNS:-3}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${XXGK_BIN:-$TARGET/release/xxgk}
GEN=$TARGET/release/examples/gen_corpus
FLOOR_DIR=$ROOT/../shared/bench/decode-floor
FLOOR=$TARGET/decode-floor/release/decode-floor
SEEDS=$ROOT/../shared/corpus/seeds

command -v taskset >/dev/null || { echo "taskset is missing (util-linux)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is missing" >&2; exit 1; }
[ -d "$SEEDS" ] || { echo "missing $SEEDS" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xxgk-bench-batch.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

echo "== $(uptime)"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "== build (release)"
    cargo build --release -q -p xxgk-cli || exit 1
    cargo build --release -q -p xxgk-write --example gen_corpus || exit 1
    cargo build --release -q --manifest-path "$FLOOR_DIR/Cargo.toml" --target-dir "$TARGET/decode-floor" || exit 1
fi
for b in "$BIN" "$GEN" "$FLOOR"; do [ -x "$b" ] || { echo "missing $b" >&2; exit 1; }; done

# CPU seconds (user + system) of one run of "$@" on core 0, one rayon thread; output discarded.
cpu_of() {
    # getrusage of the child: microseconds (/usr/bin/time prints hundredths, 4% of a 0.25 s run).
    # Less what the process's children had used before (a pyenv shim runs some before python).
    RAYON_NUM_THREADS=1 taskset -c 0 python3 -c '
import resource, subprocess, sys
cpu = lambda r: r.ru_utime + r.ru_stime
before = cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.4f" % (cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - before))' "$@"
}

# The best of RUNS CPU times of "$@".
best_of() {
    local best="" t
    for _ in $(seq "$RUNS"); do
        t=$(cpu_of "$@")
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    echo "$best"
}

FLOOR_REPS=${FLOOR_REPS:-20}
printf '#!/bin/sh\nfor _ in $(seq %s); do "%s" "$@"; done\n' "$FLOOR_REPS" "$FLOOR" >"$WORK/floor-reps.sh"
chmod +x "$WORK/floor-reps.sh"

measure() {
    local label=$1 dir=$2 n bytes floor extract check
    mapfile -t files < <(find "$dir" -maxdepth 1 -type f -name '*.txt' | sort)
    n=${#files[@]}
    bytes=$(cat "${files[@]}" | wc -c)
    cat "${files[@]}" >/dev/null # page cache
    # The floor takes a few hundredths of a second: it is timed over FLOOR_REPS back-to-back runs
    # and divided.
    floor=$(best_of "$WORK/floor-reps.sh" "${files[@]}")
    floor=$(awk -v t="$floor" -v r="$FLOOR_REPS" 'BEGIN { printf "%.4f", t / r }')
    extract=$(best_of "$BIN" extract --quiet "${files[@]}")
    check=$(best_of "$BIN" check "${files[@]}")
    awk -v l="$label" -v n="$n" -v b="$bytes" -v f="$floor" -v e="$extract" -v c="$check" 'BEGIN {
        printf "%s: %d files, %.1f MB, one core, CPU s (best of runs)\n", l, n, b / 1e6
        printf "  decode-floor  %7.3f s\n", f
        printf "  xxgk extract  %7.3f s  = %5.1f x floor  (%.0f reports/s)\n", e, (f > 0 ? e / f : 0), n / e
        printf "  xxgk check    %7.3f s  = %5.1f x floor  (%.0f reports/s)\n", c, (f > 0 ? c / f : 0), n / c
    }'
}

echo "== seeds x $REPLICAS"
mkdir -p "$WORK/seeds"
for i in $(seq -w 1 "$REPLICAS"); do
    for f in "$SEEDS"/*.txt; do cp "$f" "$WORK/seeds/r${i}_$(basename "$f")"; done
done
measure "seeds x $REPLICAS" "$WORK/seeds"
rm -rf -- "$WORK/seeds"

echo "== $GENERATED generated reports"
"$GEN" "$WORK/gen" "$GENERATED" >/dev/null || exit 1
measure "generated" "$WORK/gen"
rm -rf -- "$WORK/gen"

if [ "${SKIP_MEMORY:-0}" != 1 ]; then
    echo "== xxgk check on $MEMORY_COUNT generated reports, one batch"
    "$GEN" "$WORK/mem" "$MEMORY_COUNT" >/dev/null || exit 1
    echo "  $(du -sh "$WORK/mem" | cut -f1) on disk; $(df -h "$WORK" | awk 'NR == 2 { print $4 }') free"
    /usr/bin/time -v -o "$WORK/mem.log" "$BIN" check "$WORK/mem" >/dev/null 2>"$WORK/stderr"
    status=$?
    # Exit status 1 = some report has an error (generated reports carry blanks): expected.
    [ "$status" -le 1 ] || { echo "  xxgk check exited with $status:" >&2; tail -n 5 "$WORK/stderr" >&2; }
    awk -F': ' -v n="$MEMORY_COUNT" '
        /Maximum resident set size/ { rss = $2 }
        /Elapsed \(wall clock\)/ { wall = $2 }
        /User time|System time/ { cpu += $2 }
        END { printf "  %d reports: peak RSS %.1f MB, wall %s, CPU %.0f s\n", n, rss / 1024, wall, cpu }
    ' "$WORK/mem.log"
    rm -rf -- "$WORK/mem"
fi
echo "== $(uptime)"
