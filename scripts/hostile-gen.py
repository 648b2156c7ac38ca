#!/usr/bin/env python3
"""Generate the hostile inputs of issue 12 item 5 into a directory (nothing big is committed).

    python3 scripts/hostile-gen.py DIR [TOML_TEMPLATE]

Each file is named after its case; `scripts/hostile-bench.sh` runs them through the release
binary with /usr/bin/time. The same shapes (smaller) are regression tests in the crates.
"""
import os
import sys
import zlib

d = sys.argv[1]
toml_template = sys.argv[2] if len(sys.argv) > 2 else None
os.makedirs(d, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
report = open(os.path.join(here, "..", "examples", "example-2024.txt"), encoding="utf-8").read()
lines = report.split("\n")
row_at = next(i for i, l in enumerate(lines) if l.startswith("一、本年新收"))


def put(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def with_line(extra):
    """The example report with one more line inside table 三."""
    return "\n".join(lines[: row_at + 1] + [extra] + lines[row_at + 1:])


MB = 1 << 20
tabs = "\t" * MB
one_tab = "1\t" * (MB // 2)
# 1. One line of 1 MB of tabs (or "1\t" repeated): text, Markdown, HTML, TOML.
put("tabs.txt", with_line(tabs))
put("one-tab.txt", with_line(one_tab))
md = "\n".join("| " + " | ".join(l.split("\t")) + " |" if "\t" in l else l for l in lines)
put("tabs.md", md + "\n" + tabs + "\n")
put("one-tab.md", md + "\n|" + one_tab.replace("\t", "|") + "\n")
html_head = "<html><head><meta charset=utf-8></head><body>"
body = "".join("<p>%s</p>\n" % l for l in lines[:row_at])
put("tabs.html", html_head + body + "<p>" + tabs + "</p></body></html>")
put("one-tab.html", html_head + body + "<table><tr><td>" + one_tab + "</td></tr></table></body></html>")
if toml_template:
    t = open(toml_template, encoding="utf-8").read()
    put("tabs.toml", t + "\n" + tabs + "\n")
    put("one-tab.toml", t + "\n# " + one_tab + "\n")

# 2. HTML tables: 6,666 x 300 cells (20 MB) and 2,000 x 1,000.
def html_table(rows, cols, cell="1"):
    row = "<tr>" + ("<td>%s</td>" % cell) * cols + "</tr>\n"
    return html_head + body + "<table>" + row * rows + "</table></body></html>"


put("table-6666x300.html", html_table(6666, 300))
put("table-2000x1000.html", html_table(2000, 1000))

# 3. A 10 MB text of one table row repeated 40,000 times (and 17 MB for `xxgk check`).
row = "一、本年新收政府信息公开申请数量（含本年度新收到的全部申请，按申请人类别统计）\t46\t9\t0\t1\t3\t2\t61"
n10 = (10 * MB) // (len(row.encode()) + 1)
n17 = (17 * MB) // (len(row.encode()) + 1)
put("rows-10mb.txt", "\n".join(lines[: row_at + 1] + [row] * n10 + lines[row_at + 1:]))
put("rows-17mb.txt", "\n".join(lines[: row_at + 1] + [row] * n17 + lines[row_at + 1:]))
# The same rows printed one cell per line (a LibreOffice text export), 10 MB.
cells = "\n".join("\t" + c for c in row.split("\t")) + "\n"
put("cell-lines-10mb.txt", "\n".join(lines[: row_at + 1]) + "\n" + cells * ((10 * MB) // len(cells.encode())) + "\n".join(lines[row_at + 1:]))


# Word: a small file whose table of 900,000 / 1,000,000 cells inflates to ~50 MB of XML.
def docx(name, rows, cols):
    import zipfile
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    cell = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
    body = ("<w:p><w:r><w:t>某某县人民政府2024年政府信息公开工作年度报告</w:t></w:r></w:p><w:tbl>"
            + ("<w:tr>" + cell * cols + "</w:tr>") * rows + "</w:tbl>")
    types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
    with zipfile.ZipFile(os.path.join(d, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>%s</w:body></w:document>' % (w, body))


docx("table-3000x300.docx", 3000, 300)
docx("table-1000x1000.docx", 1000, 1000)

# Plain narrative, 30 MB (the text limit is 32 MB): one paragraph per line.
para = next(l for l in lines if len(l) > 100)
put("narrative-30mb.txt", "\n".join(lines + [para] * ((30 * MB) // (len(para.encode()) + 1))))

# 4./5. PDFs.
def pdf(objects, trailer_extra=b"", xref=True, damaged=False):
    """objects: list of bytes bodies (object i+1). A classic xref table unless xref=False."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    if xref:
        at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for o in offsets:
            out += b"%010d 00000 n \n" % o
        out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1, trailer_extra, at + (7 if damaged else 0))
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def zeros_deflated(n):
    c = zlib.compressobj(9)
    parts = [c.compress(b"\0" * MB) for _ in range(n // MB)]
    parts.append(c.flush())
    return b"".join(parts)


def page_pdf(content, content_extra=b"", damaged=False):
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content, content_extra),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ], damaged=damaged)


gb = zeros_deflated(1024 * MB)
put("content-1gb-damaged-xref.pdf", page_pdf(gb, b"/Filter /FlateDecode ", damaged=True))
put("content-1gb-predictor.pdf", page_pdf(gb, b"/Filter /FlateDecode /DecodeParms << /Predictor 1 >> ", damaged=True))
put("content-1gb-double.pdf", page_pdf(zlib.compress(gb, 9), b"/Filter [/FlateDecode /FlateDecode] ", damaged=True))
import random
random.seed(12)
good = b"BT /F1 10 Tf 72 700 Td (12345 abc) Tj ET 0 0 m 100 100 l S "
mangled = bytearray(good * (600 * 1024 // len(good)))
for _ in range(len(mangled) // 50):
    mangled[random.randrange(len(mangled))] = random.choice(b"()<>[]{}/%\\ \n0123456789TJj")
put("content-mangled-600k.pdf", page_pdf(bytes(mangled)))
put("content-open-parens-600k.pdf", page_pdf(b"(" * (600 * 1024)))
put("content-open-brackets-600k.pdf", page_pdf(b"[" * (600 * 1024)))
put("content-open-hex-600k.pdf", page_pdf(b"<" * (600 * 1024)))
for kb in (100, 200):
    put("glyphs-%dk-one-line.pdf" % kb,
        page_pdf(b"BT /F1 1 Tf 10 700 Td (" + b"1" * (kb * 1024) + b") Tj ET"))
# A cross-reference stream inflating to 4 GB.
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [] /Count 0 >>",
]
head = pdf(objs, xref=False)
xs = zeros_deflated(4096 * MB)
at = len(head)
xref_obj = b"3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n" % len(xs) + xs + b"\nendstream\nendobj\n"
put("xref-stream-4gb.pdf", head + xref_obj + b"startxref\n%d\n%%%%EOF\n" % at)

# 5b. Work that a small PDF makes repeat (found by generating them after the fuzz of issue 12
# item 5 could not be reproduced otherwise): pages sharing one content stream, forms drawn
# again and again or drawing themselves, fonts sharing a huge map, pages of 6,000 rules.
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def shared(name, content, n=1000, extra=b""):
    """n pages all showing content stream 3 (font 4)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (5 + i) for i in range(n)), n),
            stream(content, extra), FONT]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
             b"/Resources << /Font << /F1 4 0 R >> >> >>"] * n
    put(name, pdf(objs))


glyph_run = b"BT /F1 1 Tf 10 700 Td (" + b"1" * 200_000 + b") Tj ET"
shared("pages-1000-shared-glyphs.pdf", glyph_run)
shared("pages-1000-shared-glyphs-flate.pdf", zlib.compress(glyph_run, 9), extra=b"/Filter /FlateDecode ")
shared("pages-1000-shared-lines.pdf",
       b"BT /F1 8 Tf 10 800 Td 10 TL " + b"(1234567890 abcdefghij 1234567890) ' " * 6000 + b"ET")
shared("pages-1000-shared-ops.pdf", b"q Q " * 600_000)


def form_pdf(name, page_content, form_content, form_extra=b""):
    """One page drawing form X (object 6), which may draw itself."""
    res = b"/Resources << /XObject << /X 6 0 R >> /Font << /F1 5 0 R >> >>"
    put(name, pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + res + b" >>",
        stream(page_content), FONT,
        stream(form_content, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + res + b" " + form_extra),
    ]))


form_pdf("form-1mb-drawn-100k.pdf", b"/X Do\n" * 100_000, b"1 " * 500_000)
form_pdf("form-self-drawing.pdf", b"/X Do\n", b"1 " * 100_000 + b"/X Do " * 10)
form_pdf("form-self-drawing-flate.pdf", b"/X Do\n", zlib.compress(b"1 " * 1_000_000 + b"/X Do " * 10),
         b"/Filter /FlateDecode ")

# 1,000 fonts sharing a ToUnicode map of 197,376 entries and a width array of 60,000.
cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> "
        b"endcodespacerange 4 beginbfrange <0000> <FFFF> <4E00> <00> <FF> <0041> <000000> <00FFFF> <4E00> "
        b"<01000000> <0100FFFF> <4E00> endbfrange endcmap")
nf = 1000
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << %s >> >> >>"
        % b" ".join(b"/F%d %d 0 R" % (i, 6 + i) for i in range(nf)),
        stream(b"BT " + b"".join(b"/F%d 10 Tf 10 -1 Td <4E01> Tj " % i for i in range(nf)) + b"ET"),
        stream(cmap)]
objs += [b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 5 0 R "
         b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /W %d 0 R >>] >>" % (6 + nf)] * nf
objs.append(b"[0 [" + b"500 " * 60000 + b"] 0 65535 1000]")
put("fonts-1000-shared-map.pdf", pdf(objs))

# 5,990 distinct rules (under the per-page limit), on 1,000 pages, and with text on 100 pages;
# a grid of 1,437 rules and 20,000 glyphs on 100 pages.
h = b"".join(b"%.1f %.1f m 595 %.1f l S " % ((i // 1400) * 0.7, (i % 1400) * 0.6, (i % 1400) * 0.6) for i in range(3000))
v = b"".join(b"%.1f %.1f m %.1f 842 l S " % ((i % 990) * 0.6, (i // 990) * 0.7, (i % 990) * 0.6) for i in range(2990))
cells = b"BT /F1 2 Tf " + b"".join(b"1 0 0 1 %d %d Tm (1) Tj " % (4 + 4 * (i % 140), 4 + 4 * (i // 140)) for i in range(20000)) + b"ET"
shared("rules-6000-pages-1000.pdf", h + v)
shared("rules-6000-text-pages-100.pdf", h + v + cells, n=100)
grid = (b"".join(b"0 %d m 595 %d l S " % (i % 842, i % 842) for i in range(3000))
        + b"".join(b"%d 0 m %d 842 l S " % (i % 595, i % 595) for i in range(3000)))
text = b"BT /F1 2 Tf " + b"".join(b"1 0 0 1 %d %d Tm (12) Tj " % (i % 590, (i * 7) % 840) for i in range(20000)) + b"ET"
shared("rules-grid-text-pages-100.pdf", grid + text, n=100)

# 1,000 pages sharing one content stream that inflates to 1 GB (each page decoded it to the cap).
shared("pages-1000-shared-bomb.pdf", gb, extra=b"/Filter /FlateDecode ")
# 100 object streams of 30 MB each (damaged xref): each was decoded to the budget left, dropped.
objstm = zlib.compress(b"null " * (6 * MB), 9)
out = bytearray(b"%PDF-1.5\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n")
for k in range(100):
    out += (b"%d 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (3 + k, len(objstm)) + objstm + b"\nendstream\nendobj\n")
put("objstm-100x30mb-damaged-xref.pdf", bytes(out) + b"startxref\n999\n%%EOF\n")
# 50,000 tiny objects in 1 MB and 1.5 million in 30 MB, with and without a table (lopdf's parser
# costs each object its offset: quadratic).
for name, size in (("objects-1mb", MB), ("objects-30mb", 30 * MB)):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    objs += [b"null"] * (size // 42)
    full = pdf(objs)
    put(name + ".pdf", full)
    put(name + "-no-xref.pdf", full[:full.rfind(b"xref")])
# A page dictionary of 640,000 direct objects in 2.6 MB (lopdf held them in 156 MB).
put("dense-array-2mb.pdf", pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                               b"<< /Type /Page /Parent 2 0 R /X [" + b"/Type /Pages /Kids [1 0 R 1 0 R] " * 80000 + b"] >>"]))
