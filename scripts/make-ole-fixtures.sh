#!/usr/bin/env bash
# Regenerate the DOC/WPS fixtures of crates/xxgk-read/tests/fixtures/template/ with LibreOffice.
#
#   filled-2021.doc   the filled official template (filled-2021.docx, made by
#                     scripts/make-template-fixtures.sh of the docx helper) saved as Word 97-2003;
#                     kept when present (the docx helper commits the same file), unless --force
#   filled-2021.wps   the same bytes under the .wps name: LibreOffice cannot write WPS, and a
#                     Word 97 file renamed .wps is what most county sites publish (WPS Office
#                     itself writes the same MS-DOC format into .wps since WPS 2005)
#   blank-2021.doc    the blank official template (../shared/corpus/template) as Word 97-2003
#
# Needs soffice (Debian: libreoffice-writer-nogui). Usage: scripts/make-ole-fixtures.sh [--force]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/crates/xxgk-read/tests/fixtures/template"
blank="$root/../shared/corpus/template/official-template-2021.docx"
force="${1:-}"
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

to_doc() { # SRC.docx DEST.doc
    cp "$1" "$tmp/in.docx"
    soffice --headless --convert-to doc:"MS Word 97" --outdir "$tmp" "$tmp/in.docx" >/dev/null
    mv "$tmp/in.doc" "$2"
}

if [[ ! -f "$dir/filled-2021.doc" || "$force" == "--force" ]]; then
    src="$dir/filled-2021.docx"
    [[ -f "$src" ]] || src="/work/fixtures/template/filled-2021.docx"
    to_doc "$src" "$dir/filled-2021.doc"
fi
cp "$dir/filled-2021.doc" "$dir/filled-2021.wps"
to_doc "$blank" "$dir/blank-2021.doc"
ls -l "$dir"/*.doc "$dir"/*.wps
