#!/usr/bin/env bash
# Hostile inputs through the release binary, with peak memory (issue 4's acceptance):
# a zip bomb (1 GiB of zeros) named .docx, a 200 MB file, a truncated PDF, random bytes named
# .docx, deeply nested HTML, plus one good report. Prints each file's message and the peak RSS.
#   bash scripts/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys, zipfile, zlib, os, random
d = sys.argv[1]
with zipfile.ZipFile(os.path.join(d, "bomb.docx"), "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("word/document.xml", "w", force_zip64=True) as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(1024):
            f.write(chunk)
with open(os.path.join(d, "big.txt"), "wb") as f:
    f.truncate(200 * 1024 * 1024)
pdf = open("crates/xxgk-read/tests/fixtures/template/filled-2021.pdf", "rb").read()
open(os.path.join(d, "truncated.pdf"), "wb").write(pdf[: len(pdf) // 2])
random.seed(4)
open(os.path.join(d, "random.docx"), "wb").write(bytes(random.getrandbits(8) for _ in range(100000)))
open(os.path.join(d, "nested.html"), "w").write("<html><body>" + "<div><table><tr><td>" * 50000)
PY
cp examples/example-2024.txt "$dir/good.txt"
ls -l "$dir"
set +e
/usr/bin/time -v target/release/xxgk check "$dir" 2> "$dir.time" | grep -E "^(==|  |读取|共)" | head -40
code=${PIPESTATUS[0]}
set -e
grep -E "Maximum resident|Elapsed" "$dir.time"; rm -f "$dir.time"
echo "exit code: $code"
