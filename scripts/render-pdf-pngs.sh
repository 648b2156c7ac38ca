#!/bin/sh
# PNG renderings (80 dpi) of PDFs written by xxgk_write::render_pdf, for docs/:
#   render-page1.png            page 1 of a generated 2021-format report (with blank cells)
#   render-table2.png           the page where table 二 starts
#   render-table3.png           the page where table 三 starts
#   render-table3-continued.png table 三 continued (header repeated) and table 四
#   render-seed-page1.png       page 1 of seed 000 read and rendered again, with the
#                               未通过校验 banner (its blank cells fail the checks)
# Needs poppler-utils (pdftoppm, pdftotext) and a Chinese font (fonts-noto-cjk).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run -q -p xxgk-write --example pdf_peek -- 1 "$tmp/gen.pdf" 2021
seed=../shared/corpus/seeds/000_e9af0cc230bbb8d9.txt
cargo run -q -p xxgk-read --example render_pdf -- "$seed" "$tmp/seed.pdf" force

# The first page of $1 whose text contains $2.
page_with() {
    n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
    i=1
    while [ "$i" -le "$n" ]; do
        if pdftotext -f "$i" -l "$i" "$1" - | grep -q "$2"; then
            echo "$i"
            return
        fi
        i=$((i + 1))
    done
    echo 1
}

png() { # pdf page name
    pdftoppm -r 80 -png -f "$2" -l "$2" -singlefile "$1" "docs/$3"
}

png "$tmp/gen.pdf" 1 render-page1
png "$tmp/gen.pdf" "$(page_with "$tmp/gen.pdf" '二、主动公开政府信息情况')" render-table2
t3=$(page_with "$tmp/gen.pdf" '三、收到和处理政府信息公开申请情况')
png "$tmp/gen.pdf" "$t3" render-table3
png "$tmp/gen.pdf" $((t3 + 1)) render-table3-continued
png "$tmp/seed.pdf" 1 render-seed-page1
ls -l docs/render-*.png
