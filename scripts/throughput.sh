#!/usr/bin/env bash
# Throughput of `xxgk extract` and of `xxgk check` (read + check + across years) on generated
# reports: reports per second, CPU use and peak memory, on one core (RAYON_NUM_THREADS=1) and on
# two (RAYON_NUM_THREADS=2).
#
#   scripts/throughput.sh [DIR] [COUNT]
#
# DIR: where the reports are generated (default: a temporary directory, removed at the end; an
# existing DIR that already holds COUNT reports is reused). COUNT: number of reports (10000).
# Reports are written by `cargo run --release -p xxgk-write --example gen_corpus` (6–30 KB each,
# the four text layouts in turn) and read in batches of BATCH files (env, default 2500) per
# `xxgk extract` process, output to /dev/null. `xxgk check` gets all reports in one process
# (CHECK_BATCH, default all, so that the cross-year rules see every year), output to /dev/null.
# Wall time, CPU share and peak RSS come from /usr/bin/time -v (GNU time; falls back to bash's
# clock without them when it is missing). Check's exit status 1 (some report has an error) is
# expected: generated reports carry blank cells and random agencies whose years do not chain.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
COUNT=${2:-10000}
BATCH=${BATCH:-2500}
CHECK_BATCH=${CHECK_BATCH:-$COUNT}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/xxgk

if [ $# -ge 1 ] && [ -n "$1" ]; then
    DIR=$1
    CLEANUP=0
else
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/xxgk-throughput.XXXXXX")
    CLEANUP=1
fi
cleanup() {
    if [ "$CLEANUP" = 1 ]; then rm -rf -- "$DIR"; fi
    rm -f -- "${LIST:-}" "${TIMELOG:-}"
}
trap cleanup EXIT

echo "== build (release)"
cargo build --release -p xxgk-cli || exit 1
[ -x "$BIN" ] || { echo "missing $BIN" >&2; exit 1; }

have=$(find "$DIR" -maxdepth 1 -name '*.txt' 2>/dev/null | wc -l)
if [ "$have" -lt "$COUNT" ]; then
    echo "== generate $COUNT reports into $DIR"
    cargo run --release -q -p xxgk-write --example gen_corpus -- "$DIR" "$COUNT" || exit 1
else
    echo "== reuse $have reports in $DIR"
fi

LIST=$(mktemp)
TIMELOG=$(mktemp)
find "$DIR" -maxdepth 1 -name '*.txt' -print0 | sort -z | head -z -n "$COUNT" >"$LIST"
N=$(tr -cd '\0' <"$LIST" | wc -c)
BYTES=$(xargs -0 cat <"$LIST" | wc -c)
echo "reports: $N, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), batches of $BATCH files"

# Warm the page cache so that both runs read from memory.
xargs -0 cat <"$LIST" >/dev/null

run() {
    local command=$1 threads=$2 batch=$3 start end status wall rss cpu
    start=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        RAYON_NUM_THREADS=$threads /usr/bin/time -v -o "$TIMELOG" \
            xargs -0 -s 2000000 -n "$batch" "$BIN" "$command" <"$LIST" >/dev/null 2>"$TIMELOG.err"
        status=$?
        rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TIMELOG")
        cpu=$(awk -F': ' '/Percent of CPU/ { print $2 }' "$TIMELOG")
        LAST_CPU_S=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$TIMELOG")
    else
        RAYON_NUM_THREADS=$threads xargs -0 -s 2000000 -n "$batch" "$BIN" "$command" <"$LIST" \
            >/dev/null 2>"$TIMELOG.err"
        status=$?
        rss=""
        cpu=""
        LAST_CPU_S=""
    fi
    end=$(date +%s.%N)
    wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    LAST_WALL=$wall
    awk -v c="$command" -v n="$N" -v w="$wall" -v b="$BYTES" -v t="$threads" -v r="$rss" -v p="$cpu" -v u="$LAST_CPU_S" -v st="$status" 'BEGIN {
        printf "%-7s RAYON_NUM_THREADS=%s: %d reports in %.2f s = %.0f reports/s, %.1f MB/s", c, t, n, w, n / w, b / 1e6 / w
        if (p != "") printf ", CPU %s (%s s)", p, u
        if (r != "") printf ", peak RSS %.1f MB", r / 1024
        # xargs exits 123 when a command exits 1-125: for check that is "some report has an error".
        if (st != 0 && !(c == "check" && st == 123)) printf "  (exit status %s, see stderr)", st
        printf "\n"
    }'
    if [ "$status" -ne 0 ] && [ "$command" != check ]; then head -n 5 "$TIMELOG.err" >&2; fi
    rm -f -- "$TIMELOG.err"
}

echo "== extract (batches of $BATCH files)"
run extract 1 "$BATCH"
run extract 2 "$BATCH"
EXTRACT_WALL=$LAST_WALL
EXTRACT_CPU=$LAST_CPU_S
echo "== check (batches of $CHECK_BATCH files)"
run check 1 "$CHECK_BATCH"
run check 2 "$CHECK_BATCH"
awk -v e="$EXTRACT_WALL" -v c="$LAST_WALL" -v ec="$EXTRACT_CPU" -v cc="$LAST_CPU_S" 'BEGIN {
    printf "check vs extract (two threads): wall time %+.0f%%", (c / e - 1) * 100
    if (ec != "" && ec > 0) printf ", CPU time %+.0f%% (the figure to trust on a busy machine)", (cc / ec - 1) * 100
    printf "\n"
}'
if [ -x /usr/bin/time ]; then
    echo "== the summary of one check run (last 25 lines)"
    xargs -0 -s 2000000 -n "$CHECK_BATCH" "$BIN" check <"$LIST" 2>/dev/null | tail -n 25
fi
