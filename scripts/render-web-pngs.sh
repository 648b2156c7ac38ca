#!/bin/sh
# The table pages of the HTML and XLSX outputs as users see them, from the real seed report
# ../shared/corpus/seeds/001_*.txt rendered by `xxgk render`:
#
#   docs/render-html-desktop.png  the page's tables in headless Chromium, 1200 px wide
#   docs/render-html-phone.png    the same at a phone's width (390 px): tables scroll sideways
#                                 inside their container instead of squeezing their labels
#   docs/render-xlsx-N.png        page N of the workbook printed by LibreOffice Calc (A4, one
#                                 page wide, 60 dpi): 1 表二, 2 表三, 3 表四, 4 基本信息
#
# The HTML screenshots hide the report's paragraphs (a style added to a temporary copy of the
# page) so that one screenshot holds the three tables; the tables themselves are the page's.
#
# Needs: chromium, LibreOffice Calc (libreoffice-calc-nogui), poppler-utils, fonts-noto-cjk;
# ImageMagick (convert-im6) only to shrink the PNGs, skipped when absent.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed=$(ls ../shared/corpus/seeds/001_*.txt | head -n 1)
cargo run -q -p xxgk-cli -- render "$seed" --to html,xlsx -o "$tmp/seed" >/dev/null

shrink() {
    if command -v convert-im6.q16 >/dev/null 2>&1; then
        convert-im6.q16 "$1" -colors 64 -strip "$1"
    fi
}

sed 's|</head>|<style>article>p,article>h3{display:none}</style></head>|' \
    "$tmp/seed.html" >"$tmp/tables.html"
shot() { # name width height
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$tmp/chromium-$1" --window-size="$2,$3" \
        --screenshot="docs/render-html-$1.png" "file://$tmp/tables.html" 2>/dev/null
    shrink "docs/render-html-$1.png"
}
shot desktop 1200 1950
shot phone 390 2250

FONTCONFIG_FILE="$PWD/scripts/docx-fonts.conf" soffice --headless \
    -env:UserInstallation="file://$tmp/profile" --convert-to pdf --outdir "$tmp" "$tmp/seed.xlsx" >/dev/null
rm -f docs/render-xlsx-*.png
pdftoppm -r 60 -png "$tmp/seed.pdf" "$tmp/xlsx"
i=1
for f in "$tmp"/xlsx-*.png; do
    cp "$f" "docs/render-xlsx-$i.png"
    shrink "docs/render-xlsx-$i.png"
    i=$((i + 1))
done
ls -l docs/render-html-*.png docs/render-xlsx-*.png
