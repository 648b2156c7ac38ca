#!/bin/sh
# PNGs of the table pages of what `xxgk render` writes, for docs/ (look at them after a layout
# change). Two seeds of ../shared/corpus: 001 (a 2020 report, 2019 format) and 004 (a 2024
# report, 2021 format), each rendered to PDF (pdftoppm) and to DOCX (converted to PDF by
# LibreOffice with the font substitutes of scripts/docx-fonts.conf):
#   render-pdf-table2.png            PDF, the page where table 二 starts (seed 004)
#   render-pdf-table3.png            PDF, the page where table 三 starts (seed 004)
#   render-pdf-table3-continued.png  PDF, table 三 continued, header rows repeated (seed 004)
#   render-pdf-seed001-table3.png    PDF, seed 001 table 三 (2019 format) continued
#   render-docx-title.png            DOCX, page 1: the title broken before its year (seed 004)
#   render-docx-table2.png           DOCX, table 二 (seed 004)
#   render-docx-table3-continued.png DOCX, table 三 continued, header rows repeated (seed 004)
#   render-docx-seed001-table3.png   DOCX, seed 001 table 三 continued
# Needs a built xxgk (cargo build -p xxgk-cli), poppler-utils, LibreOffice (soffice) and
# fonts-noto-cjk.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xxgk=${XXGK:-target/debug/xxgk}
seeds=../shared/corpus/seeds
for n in 001 004; do
    "$xxgk" render "$seeds/${n}_"*.txt --to pdf,docx --force -q -o "$tmp/s$n" 2>/dev/null
    FONTCONFIG_FILE="$PWD/scripts/docx-fonts.conf" soffice --headless \
        -env:UserInstallation="file://$tmp/profile" --convert-to pdf --outdir "$tmp/docx" \
        "$tmp/s$n.docx" >/dev/null
done

# The first page of $1 whose text contains $2 (after page $3, default 0).
page_with() {
    pages=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
    i=$((${3:-0} + 1))
    while [ "$i" -le "$pages" ]; do
        if pdftotext -f "$i" -l "$i" "$1" - | tr -d ' ' | grep -q "$2"; then
            echo "$i"
            return
        fi
        i=$((i + 1))
    done
    echo "$pages"
}

png() { # pdf page name
    pdftoppm -r 60 -png -f "$2" -l "$2" -singlefile "$1" "docs/$3"
}

pdf=$tmp/s004.pdf
docx=$tmp/docx/s004.pdf
png "$pdf" "$(page_with "$pdf" '第二十条第（一）项')" render-pdf-table2
t3=$(page_with "$pdf" '申请人情况')
png "$pdf" "$t3" render-pdf-table3
png "$pdf" "$(page_with "$pdf" '申请人情况' "$t3")" render-pdf-table3-continued
t3=$(page_with "$tmp/s001.pdf" '申请人情况')
png "$tmp/s001.pdf" "$(page_with "$tmp/s001.pdf" '申请人情况' "$t3")" render-pdf-seed001-table3
png "$docx" 1 render-docx-title
png "$docx" "$(page_with "$docx" '第二十条第（一）项')" render-docx-table2
t3=$(page_with "$docx" '申请人情况')
png "$docx" "$(page_with "$docx" '申请人情况' "$t3")" render-docx-table3-continued
t3=$(page_with "$tmp/docx/s001.pdf" '申请人情况')
png "$tmp/docx/s001.pdf" "$(page_with "$tmp/docx/s001.pdf" '申请人情况' "$t3")" render-docx-seed001-table3
ls -l docs/render-pdf-*.png docs/render-docx-*.png
