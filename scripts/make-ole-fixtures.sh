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
# and in crates/xxgk-read/tests/fixtures/ole/:
#   tracked-changes.doc  a paragraph with a tracked deletion ("56" deleted before "78") and one
#                     with hidden text, from the flat ODT below
#   hostile-values.doc.gz  the example report with every hostile value of issue 12 item 6 in its
#                     own cell of table 三 (examples/hostile_values_docx.rs writes the DOCX),
#                     gzipped (57 KB → 9 KB)
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

ole="$root/crates/xxgk-read/tests/fixtures/ole"
mkdir -p "$ole"
cat > "$tmp/tracked-changes.fodt" <<'FODT'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style>
 </office:automatic-styles>
 <office:body>
  <office:text>
   <text:tracked-changes>
    <text:changed-region text:id="ct1">
     <text:deletion><office:change-info><dc:creator>x</dc:creator><dc:date>2024-01-01T00:00:00</dc:date></office:change-info><text:p>56</text:p></text:deletion>
    </text:changed-region>
   </text:tracked-changes>
   <text:p>规章数量<text:change text:change-id="ct1"/>78件</text:p>
   <text:p>可见<text:span text:style-name="T1">隐藏</text:span>文字</text:p>
  </office:text>
 </office:body>
</office:document>
FODT
soffice --headless --convert-to doc:"MS Word 97" --outdir "$ole" "$tmp/tracked-changes.fodt" >/dev/null
(cd "$root" && cargo run -q -p xxgk-read --example hostile_values_docx -- "$tmp/hostile-values.docx")
soffice --headless --convert-to doc:"MS Word 97" --outdir "$tmp" "$tmp/hostile-values.docx" >/dev/null
gzip -9 -n -c "$tmp/hostile-values.doc" > "$ole/hostile-values.doc.gz"
ls -l "$dir"/*.doc "$dir"/*.wps "$ole"/*.doc "$ole"/*.gz
