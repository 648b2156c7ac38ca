#!/usr/bin/env bash
# Batch-upload benchmark of `xxgk serve` (issue 10): a ZIP of COUNT generated text reports
# uploaded through the API into a fresh SQLite data directory; prints reports per second (from
# the upload request to the job's end) and the server's peak RSS (VmHWM of /proc/PID/status).
#
#   scripts/bench-upload.sh [DIR] [COUNT]
#
# DIR: where the reports are generated (default: a temporary directory, removed at the end; an
# existing DIR that already holds COUNT reports is reused). COUNT: number of reports (10000).
# Reports come from `cargo run --release -p xxgk-write --example gen_corpus` (6–30 KB each, the
# four text layouts in turn; varied agencies and years), zipped with `zip -q`. The server is
# the release binary on 127.0.0.1 and a free port, with its default workers (one per core);
# everything goes to the agency BENCH (`?agency=BENCH`). Needs curl, jq, zip.
# Targets (issue 10): at least 500 reports/s, peak RSS under 300 MB on the 2-core machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
COUNT=${2:-10000}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/xxgk

if [ $# -ge 1 ] && [ -n "$1" ]; then
    DIR=$1
    CLEANUP=0
else
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/xxgk-bench-upload.XXXXXX")
    CLEANUP=1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xxgk-bench-serve.XXXXXX")
SERVER=""
cleanup() {
    if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
        kill -INT "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf -- "$WORK"
    if [ "$CLEANUP" = 1 ]; then rm -rf -- "$DIR"; fi
}
trap cleanup EXIT

echo "== build (release)"
cargo build --release -q -p xxgk-cli
[ -x "$BIN" ] || { echo "missing $BIN" >&2; exit 1; }

mkdir -p "$DIR"
have=$(find "$DIR" -maxdepth 1 -name '*.txt' | wc -l)
if [ "$have" -lt "$COUNT" ]; then
    echo "== generate $COUNT reports into $DIR"
    cargo run --release -q -p xxgk-write --example gen_corpus -- "$DIR" "$COUNT"
else
    echo "== reuse $have reports in $DIR"
fi

echo "== zip"
ZIP=$WORK/reports.zip
mkdir -p "$WORK/tree/年报"
find "$DIR" -maxdepth 1 -name '*.txt' -print0 | sort -z | head -z -n "$COUNT" \
    | xargs -0 cp -t "$WORK/tree/年报/"
(cd "$WORK/tree" && zip -q -r "$ZIP" 年报)
N=$(find "$WORK/tree/年报" -name '*.txt' | wc -l)
echo "reports: $N, zip: $(du -k "$ZIP" | cut -f1) KB"

echo "== fresh data directory, agency, administrator, token"
DATA=$WORK/data
"$BIN" agency add BENCH 基准测试机构 --data "$DATA" >/dev/null
echo "bench-password-1234" | "$BIN" user add bench --role admin --data "$DATA" >/dev/null
TOKEN=$("$BIN" token create bench --data "$DATA" | grep -o 'xxgk_[0-9a-f]*' | head -n1)
[ -n "$TOKEN" ] || { echo "no token" >&2; exit 1; }

PORT=$((20000 + RANDOM % 20000))
"$BIN" serve --data "$DATA" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 100); do
    curl -s -o /dev/null "$URL/" && break
    sleep 0.1
done
echo "server: pid $SERVER, $URL, RSS at start $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) kB"

echo "== upload and wait for the job"
START=$(date +%s.%N)
ANSWER=$(curl -sS -X POST "$URL/api/v1/uploads?agency=BENCH" \
    -H "Authorization: Bearer $TOKEN" -H "X-Filename: reports.zip" \
    --data-binary @"$ZIP")
UPLOADED=$(date +%s.%N)
JOB=$(echo "$ANSWER" | jq -r '.job')
[ "$JOB" != null ] || { echo "upload refused: $ANSWER" >&2; exit 1; }
STATE=""
while :; do
    STATE=$(curl -sS "$URL/api/v1/jobs/$JOB?limit=0" -H "Authorization: Bearer $TOKEN" \
        | jq -r '"\(.status) \(.progress.done) \(.progress.total)"')
    case $STATE in done*|failed*) break ;; esac
    sleep 0.2
done
END=$(date +%s.%N)
SUMMARY=$(curl -sS "$URL/api/v1/jobs/$JOB?limit=0" -H "Authorization: Bearer $TOKEN" | jq -c '.summary')
HWM=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)

awk -v s="$START" -v u="$UPLOADED" -v e="$END" -v n="$N" -v hwm="$HWM" -v job="$STATE" -v sum="$SUMMARY" 'BEGIN {
    printf "job: %s %s\n", job, sum
    printf "upload request (unzip + store the files): %.2f s\n", u - s
    printf "upload to job done: %.2f s, %.0f reports/s\n", e - s, n / (e - s)
    printf "server peak RSS (VmHWM): %.0f MB\n", hwm / 1024
}'
echo "database: $(du -sh "$DATA" | cut -f1)"
