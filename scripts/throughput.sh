#!/usr/bin/env bash
# Throughput of `xxgk extract` on generated reports: reports per second and peak memory, on one
# core (RAYON_NUM_THREADS=1) and on two (RAYON_NUM_THREADS=2).
#
#   scripts/throughput.sh [DIR] [COUNT]
#
# DIR: where the reports are generated (default: a temporary directory, removed at the end; an
# existing DIR that already holds COUNT reports is reused). COUNT: number of reports (10000).
# Reports are written by `cargo run --release -p xxgk-write --example gen_corpus` (6–30 KB each,
# the four text layouts in turn) and read in batches of BATCH files (env, default 2500) per
# `xxgk extract` process, output to /dev/null. Wall time and peak RSS come from /usr/bin/time -v
# (GNU time; falls back to bash's clock without RSS when it is missing).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
COUNT=${2:-10000}
BATCH=${BATCH:-2500}
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
    local threads=$1 start end status wall rss
    start=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        RAYON_NUM_THREADS=$threads /usr/bin/time -v -o "$TIMELOG" \
            xargs -0 -n "$BATCH" "$BIN" extract <"$LIST" >/dev/null 2>"$TIMELOG.err"
        status=$?
        rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TIMELOG")
    else
        RAYON_NUM_THREADS=$threads xargs -0 -n "$BATCH" "$BIN" extract <"$LIST" >/dev/null \
            2>"$TIMELOG.err"
        status=$?
        rss=""
    fi
    end=$(date +%s.%N)
    wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    awk -v n="$N" -v w="$wall" -v b="$BYTES" -v t="$threads" -v r="$rss" -v st="$status" 'BEGIN {
        printf "RAYON_NUM_THREADS=%s: %d reports in %.2f s = %.0f reports/s, %.1f MB/s", t, n, w, n / w, b / 1e6 / w
        if (r != "") printf ", peak RSS %.1f MB", r / 1024
        if (st != 0) printf "  (exit status %s: some files were refused, see stderr)", st
        printf "\n"
    }'
    if [ "$status" -ne 0 ]; then head -n 5 "$TIMELOG.err" >&2; fi
    rm -f -- "$TIMELOG.err"
}

echo "== extract"
run 1
run 2
