#!/bin/sh
# docs/render-docx-page1.png: page 1 (60 dpi) of a generated report written by
# xxgk_write::docx::render_docx_with (with the 未通过校验 banner), converted to PDF by LibreOffice
# with the font substitutes of scripts/docx-fonts.conf (the official fonts, else Noto CJK).
# Needs LibreOffice (soffice), poppler-utils and fonts-noto-cjk.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run -q -p xxgk-write --example docx -- 7 "$tmp/out.docx" unchecked
FONTCONFIG_FILE="$PWD/scripts/docx-fonts.conf" soffice --headless \
    -env:UserInstallation="file://$tmp/profile" --convert-to pdf --outdir "$tmp" "$tmp/out.docx" >/dev/null
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$tmp/out.pdf" docs/render-docx-page1
