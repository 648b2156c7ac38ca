#!/usr/bin/env bash
# Fixtures made from the official template (not run in CI: needs LibreOffice).
#
#   scripts/make-template-fixtures.sh [OUT_DIR]
#
# 1. `cargo run -p xxgk-read --example fill_template` fills the blank official template
#    (crates/xxgk-read/tests/fixtures/template/official-template-2021.docx) with known numbers,
#    a title, the six part headings with a sentence each, the agency and a date
#    (crates/xxgk-read/tests/support/fill_template.rs says which numbers): filled-2021.docx, and
#    filled-2021.truth.json (flat cell key → number, or null for a blank cell).
# 2. LibreOffice converts filled-2021.docx to filled-2021.html, .pdf, .doc and .txt
#    (`soffice --headless --convert-to html|pdf|doc|txt:Text`).
#
# OUT_DIR defaults to crates/xxgk-read/tests/fixtures/template. The files are committed; the
# DOCX, HTML, PDF and DOC readers' tests read them against the truth.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=${1:-crates/xxgk-read/tests/fixtures/template}
mkdir -p "$OUT"

cargo run -q -p xxgk-read --example fill_template -- "$OUT"

if ! command -v soffice >/dev/null; then
    echo "soffice (LibreOffice) not found: only filled-2021.docx and its truth were written" >&2
    exit 1
fi
# A private LibreOffice profile, so a running LibreOffice or another user's profile is not used.
PROFILE=$(mktemp -d "${TMPDIR:-/tmp}/xxgk-lo-profile.XXXXXX")
trap 'rm -rf -- "$PROFILE"' EXIT
for fmt in html pdf doc txt:Text; do
    soffice -env:UserInstallation="file://$PROFILE" --headless --convert-to "$fmt" \
        --outdir "$OUT" "$OUT/filled-2021.docx" >/dev/null
done
ls -l "$OUT"
