#!/bin/sh
# PNG renderings (80 dpi) of PDFs written by xxgk_write::render_pdf, for docs/:
#   render-page1.png            page 1 of a generated 2021-format report (with blank cells)
#   render-seed-page1.png       page 1 of seed 000 read and rendered again, with the
#                               未通过校验 banner (its blank cells fail the checks)
# The table pages: scripts/render-table-pngs.sh.
# Needs poppler-utils (pdftoppm, pdftotext) and a Chinese font (fonts-noto-cjk).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run -q -p xxgk-write --example pdf_peek -- 1 "$tmp/gen.pdf" 2021
seed=../shared/corpus/seeds/000_e9af0cc230bbb8d9.txt
cargo run -q -p xxgk-read --example render_pdf -- "$seed" "$tmp/seed.pdf" force

png() { # pdf page name
    pdftoppm -r 80 -png -f "$2" -l "$2" -singlefile "$1" "docs/$3"
}

png "$tmp/gen.pdf" 1 render-page1
png "$tmp/seed.pdf" 1 render-seed-page1
ls -l docs/render-*.png
