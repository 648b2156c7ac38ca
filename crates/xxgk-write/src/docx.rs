//! Render a report as a Word document (.docx, WordprocessingML).
//!
//! [`render_docx`] writes the title, the preamble, the six parts with their official headings
//! and narrative, tables 二, 三 and 四 with the merged cells of the official template
//! (国办公开办函〔2021〕30号 / the 2019 format: `w:gridSpan` for cells spanning columns,
//! `w:vMerge` for cells spanning rows), and the agency and date at the end. The tables come from
//! the same grids as the text layouts ([`crate::text`]), so every label is the catalogue's.
//! Header rows repeat on continued pages (`w:tblHeader`) and `w:keepNext` keeps headings, a
//! block of table 二, a group of table 三 and table 四 together (see [`keep_with_next`]).
//!
//! The typography is that of 党政机关公文格式 (GB/T 9704-2012), set by named styles in
//! `word/styles.xml` (Title, Heading1, Heading2, Normal, Body, Cell, Footer, the table style
//! OfficialTable) rather than on runs: A4 with margins 37/35/28/26 mm, title 方正小标宋简体 2号,
//! body 仿宋_GB2312 3号 at a fixed 28.95 pt line with a two-character indent, headings 黑体 /
//! 楷体_GB2312 3号, tables 仿宋_GB2312 五号 single-spaced, page numbers "— 1 —" (宋体 4号) in
//! odd/even footers at the outside edge. `word/fontTable.xml` names each official font's
//! fallback (`w:altName`). The package is deterministic: the same report gives the same bytes.
//!
//! Cells print what the report holds: a number as printed, [`Value::Blank`] and a cell the report
//! does not hold as an empty cell, [`Value::Text`] as its text.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use xxgk_model::catalogue::PARTS;
use xxgk_model::{Report, Value};

use crate::grid::{self, GCell, Grid, Kind};
use crate::narrative::{self, Para};
use crate::RenderOptions;

/// Render `report` as the bytes of a .docx file.
pub fn render_docx(report: &Report) -> Vec<u8> {
    render_docx_with(report, &RenderOptions::default())
}

/// Render `report` as the bytes of a .docx file, with `opts` (the "未通过校验" banner is a red
/// bold first paragraph).
pub fn render_docx_with(report: &Report, opts: &RenderOptions) -> Vec<u8> {
    let document = document_xml(report, opts);
    package(&document).expect("writing a ZIP to memory cannot fail")
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

/// The document's relationships; `rId4` (odd pages, the default) and `rId5` (even pages) are
/// the footers of [`SECTION`].
const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>\
</Relationships>";

/// Odd and even pages have their own footers (the page number at the outside edge).
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:evenAndOddHeaders/><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

/// The fonts of 党政机关公文格式 and, as `w:altName`, the font an application uses where the
/// official one is not installed (Word and WPS on Windows: 宋体, 仿宋, 楷体, 黑体; those are
/// declared in turn with their Latin names). `w:charset` 86 (GB2312) makes a substitute a
/// Chinese font; LibreOffice on Linux falls back through fontconfig to Noto Serif CJK SC /
/// Noto Sans CJK SC / AR PL UKai CN.
const FONT_TABLE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:font w:name=\"Times New Roman\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>\
<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/><w:family w:val=\"script\"/><w:pitch w:val=\"variable\"/></w:font>\
<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:panose1 w:val=\"02010609060101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:panose1 w:val=\"02010600030101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>\
<w:font w:name=\"仿宋\"><w:altName w:val=\"FangSong\"/><w:panose1 w:val=\"02010609060101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"楷体\"><w:altName w:val=\"KaiTi\"/><w:panose1 w:val=\"02010609060101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"SimSun\"><w:altName w:val=\"Noto Serif CJK SC\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>\
<w:font w:name=\"FangSong\"><w:altName w:val=\"Noto Serif CJK SC\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"KaiTi\"><w:altName w:val=\"AR PL UKai CN\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"SimHei\"><w:altName w:val=\"Noto Sans CJK SC\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
</w:fonts>";

/// The styles of 党政机关公文格式 (GB/T 9704-2012), sizes in half-points and lengths in twips:
/// body 仿宋_GB2312 3号 (16 pt) at a fixed 28.95 pt (579) line with a two-character first-line
/// indent; the title 方正小标宋简体 2号 (22 pt) centred; headings 黑体 (一级 "一、") and
/// 楷体_GB2312 (二级 "（一）") 3号; table cells 仿宋_GB2312 五号 (10.5 pt) single-spaced; the
/// footer 宋体 4号 (14 pt). Latin text and digits are in Times New Roman.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"Times New Roman\"/>\
<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:line=\"579\" w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"Times New Roman\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Body\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"0\" w:after=\"579\" w:line=\"700\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"9\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"方正小标宋简体\"/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Body\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:outlineLvl w:val=\"0\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"黑体\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Body\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:outlineLvl w:val=\"1\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"楷体_GB2312\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Body\"><w:name w:val=\"Body Text First Indent\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Cell\"><w:name w:val=\"Table Cell\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\" w:hint=\"eastAsia\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"OfficialTable\"><w:name w:val=\"Official Table\"/><w:basedOn w:val=\"TableNormal\"/><w:qFormat/>\
<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr>\
<w:tblPr><w:jc w:val=\"center\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>\
<w:tblCellMar><w:top w:w=\"15\" w:type=\"dxa\"/><w:left w:w=\"57\" w:type=\"dxa\"/><w:bottom w:w=\"15\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>\
<w:tcPr><w:vAlign w:val=\"center\"/></w:tcPr></w:style>\
</w:styles>";

/// A footer: the PAGE field between "— " and " —" (宋体 4号), at the outside edge one character
/// in (odd pages right, even pages left).
fn footer(jc: &str, ind: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:ind {ind}/><w:jc w:val=\"{jc}\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">\u{2014} </w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
         <w:r><w:t>1</w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         <w:r><w:t xml:space=\"preserve\"> \u{2014}</w:t></w:r></w:p></w:ftr>"
    )
}

/// The page: A4 (210 × 297 mm) with the margins of GB/T 9704-2012 — top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm (twips: mm × 1440 / 25.4, rounded) — and the two footers; the footer's bottom
/// 22 mm above the page's edge puts the page number about 7 mm under the text block.
const SECTION: &str = "<w:sectPr>\
<w:footerReference w:type=\"default\" r:id=\"rId4\"/><w:footerReference w:type=\"even\" r:id=\"rId5\"/>\
<w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" w:header=\"851\" w:footer=\"1247\" w:gutter=\"0\"/>\
<w:cols w:space=\"425\"/></w:sectPr>";

/// The width of the tables, in twips (the text width is 11906 − 1587 − 1474 = 8845).
const TABLE_WIDTH: u32 = 8844;

fn package(document: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let odd = footer("right", "w:rightChars=\"100\" w:right=\"280\"");
    let even = footer("left", "w:leftChars=\"100\" w:left=\"280\"");
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document),
        ("word/styles.xml", STYLES),
        ("word/settings.xml", SETTINGS),
        ("word/fontTable.xml", FONT_TABLE),
        ("word/footer1.xml", odd.as_str()),
        ("word/footer2.xml", even.as_str()),
    ] {
        w.start_file(name, opts)?;
        w.write_all(content.as_bytes())?;
    }
    Ok(w.finish()?.into_inner())
}

/// Escape text for XML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 does not allow are dropped.
            c if !crate::safe::xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The runs of `text`: line breaks become `w:br`, tabs `w:tab`.
fn runs(out: &mut String, text: &str, rpr: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    out.push_str(rpr);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
            }
        }
    }
    out.push_str("</w:r>");
}

fn paragraph(out: &mut String, style: &str, ppr: &str, text: &str) {
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{ppr}</w:pPr>"
    );
    runs(out, text, "");
    out.push_str("</w:p>");
}

fn paras(out: &mut String, paras: &[Para]) {
    for p in paras {
        match p {
            Para::Subheading(t) => paragraph(out, "Heading2", "", t),
            Para::Body(t) => paragraph(out, "Body", "", t),
        }
    }
}

fn document_xml(report: &Report, opts: &RenderOptions) -> String {
    let n = narrative::of_report(report);
    let format = crate::report_format(report);
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>",
    );
    if opts.unchecked {
        out.push_str("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/><w:jc w:val=\"center\"/></w:pPr>");
        runs(
            &mut out,
            crate::UNCHECKED_BANNER,
            "<w:rPr><w:b/><w:color w:val=\"FF0000\"/></w:rPr>",
        );
        out.push_str("</w:p>");
    }
    paragraph(
        &mut out,
        "Title",
        "",
        &title_lines(&crate::report_title(report)),
    );
    paras(&mut out, &n.preamble);
    let value = |v: Option<&Value>| match v {
        None | Some(Value::Blank) => String::new(),
        Some(Value::Text(t)) => t.clone(),
        Some(Value::Number(n)) => n.to_string(),
    };
    for part in &PARTS {
        let grid = grid::part_grid(report, format, part, &value);
        if !n.shows_part(part.number, grid.is_some()) {
            continue;
        }
        paragraph(&mut out, "Heading1", "", &n.heading_line(part.number));
        paras(&mut out, n.part(part.number));
        if let Some(grid) = grid {
            table(&mut out, &grid, part.number);
        }
        paras(&mut out, n.after_table(part.number));
    }
    // GB/T 9704-2012: the date four characters in from the right edge, the agency one blank
    // line under the text and centred over the date.
    let date = n.signature_date.clone();
    let date_indent = 400;
    if let Some(a) = &n.signature_agency {
        let indent = match &date {
            Some(d) => (date_indent + (width_hundredths(d) - width_hundredths(a)) / 2).max(0),
            None => date_indent,
        };
        let ppr = format!(
            "<w:spacing w:before=\"579\"/><w:ind w:rightChars=\"{indent}\" w:right=\"{}\"/><w:jc w:val=\"right\"/>",
            indent * 320 / 100
        );
        paragraph(&mut out, "Normal", &ppr, a);
    }
    if let Some(d) = &date {
        let ppr = format!(
            "<w:ind w:rightChars=\"{date_indent}\" w:right=\"{}\"/><w:jc w:val=\"right\"/>",
            date_indent * 320 / 100
        );
        paragraph(&mut out, "Normal", &ppr, d);
    }
    out.push_str(SECTION);
    out.push_str("</w:body></w:document>");
    out
}

/// The printed width of `text` in hundredths of a Chinese character (Latin letters and digits
/// in Times New Roman are about half a character wide).
fn width_hundredths(text: &str) -> i64 {
    text.chars()
        .map(|c| if c.is_ascii() { 50 } else { 100 })
        .sum()
}

/// The width of one Chinese character of the table text (五号, 10.5 pt), in twips.
const CELL_CHAR: u32 = 210;
/// The left plus right cell margins of the `OfficialTable` style, in twips.
const CELL_MARGINS: u32 = 2 * 57;

/// Column widths (twips) of the official tables. Table 三: 三、本年度办理结果 one character per
/// line (as the PDF prints it, instead of the template's "本年" / "度办" pairs); the group
/// column wide enough for "不予公开", "无法提供", "不予处理", "其他处理" on one line under
/// their marker (they are printed as two paragraphs, "（三）" above "不予公开"); the item column
/// takes the rest of the template's label width. The other tables share the width equally.
fn column_widths(part: u8, columns: usize) -> Vec<u32> {
    let columns = columns.max(1);
    if part == 3 && columns == 10 {
        let outcome = CELL_CHAR + CELL_MARGINS + 190;
        let group = 4 * CELL_CHAR + CELL_MARGINS + 46;
        let labels = TABLE_WIDTH - 7 * 660;
        let mut w = vec![outcome, group, labels - outcome - group];
        w.extend([660; 7]);
        return w;
    }
    let each = TABLE_WIDTH / columns as u32;
    vec![each; columns]
}

/// Whether a grid cell starts a `w:tc` (a covered cell extends the one on its left).
fn starts_cell(c: &GCell) -> bool {
    !matches!(c.kind, Kind::Filler | Kind::LabelSpan)
}

/// The header rows of the table of `part`, repeated by Word on every page the table continues
/// to (`w:tblHeader`): the three header rows of tables 三 and 四. Table 二 has none: each block
/// has its own caption and header, kept with the block.
fn header_rows(part: u8) -> usize {
    match part {
        3 | 4 => 3,
        _ => 0,
    }
}

/// Whether row `r` of the table of `part` is kept on the page of the next row (`w:keepNext` on
/// its paragraphs): in table 二 every row of a block but its last (a block never splits from its
/// caption and header); table 三's header rows (never alone at a page's foot) and the rows of
/// a group but its last (（三）…（六） stay beside all their sub-rows); all of table 四.
fn keep_with_next(grid: &Grid, part: u8, r: usize) -> bool {
    let Some(next) = grid.rows.get(r + 1) else {
        return false;
    };
    match part {
        2 => next.first().is_none_or(|c| c.kind != Kind::Caption),
        3 => r < header_rows(part) || next.get(1).is_some_and(|c| c.kind == Kind::Empty),
        _ => true,
    }
}

/// A group label of table 三 ("（三）不予公开", in the group column alone) as its marker and
/// the rest, printed as two paragraphs so that Word never breaks the rest mid-word.
fn group_label(part: u8, col: usize, span: usize, cell: &GCell) -> Option<(&str, &str)> {
    if part != 3 || col != 1 || span != 1 || !matches!(cell.kind, Kind::Label { .. }) {
        return None;
    }
    let close = cell.text.find('）')? + '）'.len_utf8();
    let (marker, rest) = cell.text.split_at(close);
    (cell.text.starts_with('（') && marker.chars().count() <= 5 && !rest.is_empty())
        .then_some((marker, rest))
}

/// The title with line breaks (`w:br`) where it does not fit one line of 2号 (20 characters):
/// before its year ("某某市某某区人民政府办公室" / "2024年政府信息公开工作年度报告"), never
/// mid-word (`linebreak::title_lines`); a title without such a break is left to Word.
fn title_lines(title: &str) -> String {
    let chars: Vec<char> = title.chars().collect();
    let widths: Vec<f32> = chars
        .iter()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .collect();
    match crate::pdf::linebreak::title_lines(&chars, &widths, 20.0) {
        Some(lines) => lines
            .into_iter()
            .map(|r| chars[r].iter().collect::<String>().trim().to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        None => title.to_string(),
    }
}

fn table(out: &mut String, grid: &Grid, part: u8) {
    let columns = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return;
    }
    let widths = column_widths(part, columns);
    let total: u32 = widths.iter().sum();
    let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"";
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"OfficialTable\"/><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>\
         <w:insideH {border}/><w:insideV {border}/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
    );
    for w in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    let header_rows = header_rows(part);
    for (r, row) in grid.rows.iter().enumerate() {
        let header = if r < header_rows {
            "<w:tblHeader/>"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<w:tr><w:trPr><w:cantSplit/>{header}<w:jc w:val=\"center\"/></w:trPr>"
        );
        let keep = if keep_with_next(grid, part, r) {
            "<w:keepNext/>"
        } else {
            ""
        };
        let mut i = 0;
        while i < row.len() {
            let cell = &row[i];
            let span = 1 + row[i + 1..].iter().take_while(|c| !starts_cell(c)).count();
            let width: u32 = widths.iter().skip(i).take(span).sum();
            // A cell continues the one above when it is an empty cell under a row-spanning
            // one; it starts a vertical merge when the cell below continues it.
            let continues = cell.kind == Kind::Empty;
            let restarts = !continues
                && grid
                    .rows
                    .get(r + 1)
                    .and_then(|below| below.get(i))
                    .is_some_and(|b| b.kind == Kind::Empty);
            let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
            if span > 1 {
                let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
            }
            if continues {
                out.push_str("<w:vMerge/>");
            } else if restarts {
                out.push_str("<w:vMerge w:val=\"restart\"/>");
            }
            out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
            let align = match cell.kind {
                // Table 二 of the template centres its row labels.
                Kind::Label { .. } if part == 2 => "center",
                Kind::Label { .. } | Kind::Caption | Kind::Note => "left",
                _ => "center",
            };
            let ppr = format!("{keep}<w:jc w:val=\"{align}\"/>");
            if continues {
                paragraph(out, "Cell", &ppr, "");
            } else if let Some((marker, rest)) = group_label(part, i, span, cell) {
                paragraph(out, "Cell", &ppr, marker);
                paragraph(out, "Cell", &ppr, rest);
            } else {
                paragraph(out, "Cell", &ppr, &cell.text);
            }
            out.push_str("</w:tc>");
            i += span;
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use xxgk_model::catalogue;
    use xxgk_testgen::{random_report, GenOptions};

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut s = String::new();
        z.by_name(name)
            .expect("part")
            .read_to_string(&mut s)
            .expect("utf-8");
        s
    }

    #[test]
    fn the_package_has_its_parts_and_is_deterministic() {
        let r = random_report(3, &GenOptions::default());
        let a = render_docx(&r);
        assert_eq!(a, render_docx(&r));
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
        ] {
            assert!(!part(&a, name).is_empty(), "{name}");
        }
        let doc = part(&a, "word/document.xml");
        let title = crate::report_title(&r);
        for line in title_lines(&title).split('\n') {
            assert!(doc.contains(&esc(line)), "{line}");
        }
        assert_eq!(doc.matches("<w:tbl>").count(), 3);
        for p in &PARTS {
            assert!(doc.contains(p.heading), "{}", p.heading);
        }
    }

    #[test]
    fn merged_cells_follow_the_official_template() {
        let r = random_report(
            5,
            &GenOptions {
                format: Some(catalogue::Format::F2021),
                ..GenOptions::default()
            },
        );
        let doc = part(&render_docx(&r), "word/document.xml");
        // The template (official-template-2021.docx): table 二 has 4 columns and 4 captions
        // spanning them; table 三 10 columns, the note over 3 columns and 3 rows, 申请人情况
        // over 7, 法人或其他组织 over 5; table 四 15 columns, 行政复议 over 5, 行政诉讼 over 10.
        let tables: Vec<&str> = doc.split("<w:tbl>").skip(1).collect();
        assert_eq!(tables.len(), 3);
        assert_eq!(tables[0].matches("<w:gridCol ").count(), 4);
        assert_eq!(tables[0].matches("<w:gridSpan w:val=\"4\"/>").count(), 4);
        assert_eq!(tables[1].matches("<w:gridCol ").count(), 10);
        assert!(tables[1].contains("<w:gridSpan w:val=\"7\"/>"));
        assert!(tables[1].contains("<w:gridSpan w:val=\"5\"/>"));
        // The note (restart) and its two continuations; 三、本年度办理结果 over 23 rows.
        let note = format!(
            "<w:gridSpan w:val=\"3\"/><w:vMerge w:val=\"restart\"/><w:vAlign w:val=\"center\"/></w:tcPr>\
             <w:p><w:pPr><w:pStyle w:val=\"Cell\"/><w:keepNext/><w:jc w:val=\"left\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{}",
            catalogue::NOTE_BALANCE
        );
        assert!(tables[1].contains(&note));
        assert_eq!(
            tables[1]
                .matches("<w:gridSpan w:val=\"3\"/><w:vMerge/>")
                .count(),
            2
        );
        // The note, 自然人 and 总计, 三、本年度办理结果, and the groups （三）…（六）.
        assert_eq!(
            tables[1].matches("<w:vMerge w:val=\"restart\"/>").count(),
            1 + 2 + 1 + 4
        );
        assert_eq!(tables[2].matches("<w:gridCol ").count(), 15);
        assert!(tables[2].contains("<w:gridSpan w:val=\"10\"/>"));
        // Every row of a table covers its whole grid.
        for (t, cols) in tables.iter().zip([4, 10, 15]) {
            for row in t.split("<w:tr>").skip(1) {
                let spans: usize = row
                    .split("<w:tc>")
                    .skip(1)
                    .map(|c| {
                        c.split("<w:gridSpan w:val=\"")
                            .nth(1)
                            .and_then(|s| s.split('"').next())
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(1)
                    })
                    .sum();
                assert_eq!(spans, cols);
            }
        }
    }

    /// The attributes of the first element `<tag …>` of `xml` (string checks; the parts are ours).
    fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
        let start = xml
            .find(&format!("<{tag} "))
            .unwrap_or_else(|| panic!("{tag}"));
        let end = xml[start..].find('>').expect("element end");
        &xml[start..start + end]
    }

    /// The `<w:style …>…</w:style>` of `id`.
    fn style<'a>(styles: &'a str, id: &str) -> &'a str {
        let start = styles
            .find(&format!("w:styleId=\"{id}\""))
            .unwrap_or_else(|| panic!("style {id}"));
        let end = styles[start..].find("</w:style>").expect("style end");
        &styles[start..start + end]
    }

    #[test]
    fn the_typography_is_that_of_gb_t_9704() {
        let r = random_report(11, &GenOptions::default());
        let bytes = render_docx(&r);
        let doc = part(&bytes, "word/document.xml");
        // A4 and the margins 37/35/28/26 mm in twips (1 mm = 1440 / 25.4 twips).
        assert_eq!(
            element(&doc, "w:pgSz"),
            "<w:pgSz w:w=\"11906\" w:h=\"16838\"/"
        );
        let mar = element(&doc, "w:pgMar");
        for (side, mm) in [
            ("top", 37.0),
            ("bottom", 35.0),
            ("left", 28.0),
            ("right", 26.0),
        ] {
            let twips = (mm * 1440.0_f64 / 25.4).round();
            assert!(
                mar.contains(&format!("w:{side}=\"{twips}\"")),
                "{side}: {mar}"
            );
        }
        // The styles: body 仿宋_GB2312 3号 (32 half-points) at an exact 28.95 pt line (579
        // twips), the first line indented two characters; title 方正小标宋简体 2号 centred;
        // headings 黑体 and 楷体_GB2312 3号; cells 五号 single-spaced; Latin in Times New Roman.
        let styles = part(&bytes, "word/styles.xml");
        let normal = style(&styles, "Normal");
        assert!(normal.contains("w:eastAsia=\"仿宋_GB2312\""));
        assert!(normal.contains("w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\""));
        assert!(normal.contains("<w:sz w:val=\"32\"/>"));
        assert!(normal.contains("w:line=\"579\" w:lineRule=\"exact\""));
        assert!(style(&styles, "Body").contains("w:firstLineChars=\"200\""));
        let title = style(&styles, "Title");
        assert!(title.contains("w:eastAsia=\"方正小标宋简体\""));
        assert!(title.contains("<w:sz w:val=\"44\"/>"));
        assert!(title.contains("<w:jc w:val=\"center\"/>"));
        for (id, font) in [("Heading1", "黑体"), ("Heading2", "楷体_GB2312")] {
            let h = style(&styles, id);
            assert!(h.contains(&format!("w:eastAsia=\"{font}\"")), "{id}");
            assert!(h.contains("<w:sz w:val=\"32\"/>"), "{id}");
        }
        let cell = style(&styles, "Cell");
        assert!(cell.contains("<w:sz w:val=\"21\"/>"));
        assert!(cell.contains("w:line=\"240\" w:lineRule=\"auto\""));
        assert!(styles.contains("w:type=\"table\" w:styleId=\"OfficialTable\""));
        assert_eq!(
            doc.matches("<w:tblStyle w:val=\"OfficialTable\"/>").count(),
            3
        );
        // Paragraphs name their style; runs carry no fonts of their own.
        assert!(!doc.contains("<w:rFonts"));
        assert!(doc.contains("<w:pStyle w:val=\"Heading1\"/>"));
        // Every official font is declared with a fallback.
        let fonts = part(&bytes, "word/fontTable.xml");
        for (font, alt) in [
            ("方正小标宋简体", "宋体"),
            ("仿宋_GB2312", "仿宋"),
            ("楷体_GB2312", "楷体"),
            ("黑体", "SimHei"),
            ("宋体", "SimSun"),
        ] {
            assert!(
                fonts.contains(&format!(
                    "<w:font w:name=\"{font}\"><w:altName w:val=\"{alt}\"/>"
                )),
                "{font}"
            );
        }
        // Page numbers "— 1 —": odd pages right, even pages left, in 宋体 4号.
        assert!(part(&bytes, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
        assert!(doc.contains("<w:footerReference w:type=\"default\" r:id=\"rId4\"/>"));
        assert!(doc.contains("<w:footerReference w:type=\"even\" r:id=\"rId5\"/>"));
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        assert!(rels.contains("Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\""));
        assert!(rels.contains("Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\""));
        for (name, jc) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
            let f = part(&bytes, name);
            assert!(f.contains(&format!("<w:jc w:val=\"{jc}\"/>")), "{name}");
            let dash = f.find("\u{2014} </w:t>").expect("leading dash");
            let field = f.find("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>");
            let trailing = f.find("> \u{2014}</w:t>").expect("trailing dash");
            assert!(field.is_some_and(|p| dash < p && p < trailing), "{name}");
            assert!(f.contains("<w:pStyle w:val=\"Footer\"/>"));
        }
        let footer_style = style(&styles, "Footer");
        assert!(footer_style.contains("w:eastAsia=\"宋体\""));
        assert!(footer_style.contains("<w:sz w:val=\"28\"/>"));
        // Every part is declared in [Content_Types].xml.
        let types = part(&bytes, "[Content_Types].xml");
        for name in ["settings", "fontTable", "footer1", "footer2"] {
            assert!(
                types.contains(&format!("PartName=\"/word/{name}.xml\"")),
                "{name}"
            );
        }
    }

    /// A row of a table as Word reads it: whether it repeats as a header (`w:tblHeader`), and
    /// its cells as paragraphs (kept with the next, text).
    #[derive(Debug, Default)]
    struct Row {
        header: bool,
        cells: Vec<Vec<(bool, String)>>,
    }

    /// The tables of `document.xml` and the paragraphs outside them (style, text), parsed.
    fn parse(doc: &str) -> (Vec<Vec<Row>>, Vec<(String, String)>) {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(doc);
        let (mut tables, mut body) = (Vec::new(), Vec::new());
        let mut rows: Vec<Row> = Vec::new();
        let mut in_table = false;
        let mut in_t = false;
        let (mut keep, mut style, mut text) = (false, String::new(), String::new());
        loop {
            let event = reader.read_event().expect("well-formed XML");
            match &event {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    "w:tbl" => in_table = true,
                    "w:tr" => rows.push(Row::default()),
                    "w:tblHeader" => rows.last_mut().expect("row").header = true,
                    "w:tc" => rows.last_mut().expect("row").cells.push(Vec::new()),
                    "w:p" => (keep, style, text) = (false, String::new(), String::new()),
                    "w:keepNext" => keep = true,
                    "w:pStyle" => {
                        let v = e.try_get_attribute("w:val").ok().flatten().expect("val");
                        style = v.value.to_string();
                    }
                    "w:br" => text.push('\n'),
                    "w:t" => in_t = matches!(event, Event::Start(_)),
                    _ => {}
                },
                Event::Text(t) if in_t => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if in_t => text.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    _ => "\"",
                }),
                Event::End(e) => match e.name().as_ref() {
                    "w:t" => in_t = false,
                    "w:p" if in_table => {
                        let cell = rows.last_mut().and_then(|r| r.cells.last_mut());
                        cell.expect("cell").push((keep, std::mem::take(&mut text)));
                    }
                    "w:p" => body.push((std::mem::take(&mut style), std::mem::take(&mut text))),
                    "w:tbl" => {
                        in_table = false;
                        tables.push(std::mem::take(&mut rows));
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        (tables, body)
    }

    /// The text of a cell: its paragraphs joined.
    fn cell_text(cell: &[(bool, String)]) -> String {
        cell.iter().map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn header_rows_repeat_and_blocks_and_headings_keep_with_what_follows() {
        let r = random_report(
            5,
            &GenOptions {
                format: Some(catalogue::Format::F2021),
                ..GenOptions::default()
            },
        );
        let bytes = render_docx(&r);
        let (tables, _) = parse(&part(&bytes, "word/document.xml"));
        assert_eq!(tables.len(), 3);
        let kept = |row: &Row| row.cells.iter().flatten().all(|(k, _)| *k);
        let loose = |row: &Row| row.cells.iter().flatten().all(|(k, _)| !*k);
        // Table 二: no repeated header (each block has its own); a block is kept together from
        // its caption to its last row, and may be split from the next block.
        let t2 = &tables[0];
        assert!(t2.iter().all(|row| !row.header));
        let captions: Vec<usize> = (0..t2.len())
            .filter(|&i| cell_text(&t2[i].cells[0]).starts_with("第二十条"))
            .collect();
        assert_eq!(captions.len(), 4, "the four blocks of the 2021 template");
        for (i, row) in t2.iter().enumerate() {
            let last_of_block = i + 1 == t2.len() || captions.contains(&(i + 1));
            if last_of_block {
                assert!(loose(row), "row {i} of table 二 ends a block");
            } else {
                assert!(kept(row), "row {i} of table 二 is kept with the next");
            }
        }
        // Tables 三 and 四: exactly the three header rows repeat, kept with the first data row.
        for t in &tables[1..] {
            let headers: Vec<bool> = t.iter().map(|row| row.header).collect();
            assert_eq!(&headers[..4], &[true, true, true, false]);
            assert!(headers[3..].iter().all(|h| !h));
            assert!(t[..3].iter().all(kept));
        }
        // Table 三 may break after its header, between rows and groups, never inside a group:
        // a sub-row "2." … is kept with the one above it.
        let t3 = &tables[1];
        // A sub-row's item label: "2.其他法律行政法规禁止公开".
        let item = |row: &Row| {
            row.cells
                .iter()
                .map(|c| cell_text(c))
                .find(|t| {
                    let c: Vec<char> = t.chars().take(3).collect();
                    c.len() == 3 && c[0].is_ascii_digit() && c[1] == '.' && !c[2].is_ascii()
                })
                .unwrap_or_default()
        };
        let mut groups = 0;
        for r in 3..t3.len() {
            let inside = t3.get(r + 1).is_some_and(|next| {
                let n = item(next);
                n.starts_with(|c: char| c.is_ascii_digit()) && !n.starts_with("1.")
            });
            groups += usize::from(inside);
            if inside {
                assert!(kept(&t3[r]), "table 三 row {r}: {}", item(&t3[r]));
            } else {
                assert!(loose(&t3[r]), "table 三 row {r}: {}", item(&t3[r]));
            }
        }
        assert_eq!(
            groups,
            7 + 2 + 4 + 2,
            "the sub-rows of （三）…（六） but their first"
        );
        assert!(
            tables[2][..tables[2].len() - 1].iter().all(kept),
            "table 四 is one block"
        );
        // The heading styles keep with the next paragraph.
        let styles = part(&bytes, "word/styles.xml");
        for id in ["Title", "Heading1", "Heading2"] {
            assert!(style(&styles, id).contains("<w:keepNext/>"), "{id}");
        }
        assert!(!style(&styles, "Body").contains("<w:keepNext/>"));
    }

    #[test]
    fn group_labels_never_wrap_mid_word() {
        let r = random_report(
            5,
            &GenOptions {
                format: Some(catalogue::Format::F2021),
                ..GenOptions::default()
            },
        );
        let (tables, _) = parse(&part(&render_docx(&r), "word/document.xml"));
        // The group labels of table 三 (the group column alone) are two paragraphs, the marker
        // over the words, and the words fit one line of the group column.
        let groups: Vec<Vec<String>> = tables[1]
            .iter()
            .filter_map(|row| row.cells.get(1))
            .map(|c| c.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>())
            .filter(|ps| ps.len() == 2)
            .collect();
        let want = [
            ["（三）", "不予公开"],
            ["（四）", "无法提供"],
            ["（五）", "不予处理"],
            ["（六）", "其他处理"],
        ];
        assert_eq!(groups, want.map(|g| g.map(String::from).to_vec()).to_vec());
        // 五号 is 10.5 pt = 210 twips a character; the cell margins are 57 twips each side.
        let widths = column_widths(3, 10);
        assert_eq!(widths.iter().sum::<u32>(), TABLE_WIDTH);
        assert!(widths[1] >= 4 * 210 + 2 * 57, "{widths:?}");
        // 三、本年度办理结果 one character per line: less than two characters wide.
        assert!(widths[0] >= 210 + 2 * 57 && widths[0] < 2 * 210 + 2 * 57);
        // "其他" and "总计" headers fit a value column.
        assert!(widths[3..].iter().all(|w| *w >= 2 * 210 + 2 * 57));
    }

    #[test]
    fn table_two_captions_left_labels_centred_as_in_the_template() {
        let r = random_report(5, &GenOptions::default());
        let doc = part(&render_docx(&r), "word/document.xml");
        let t2 = doc.split("<w:tbl>").nth(1).expect("table 二");
        let caption = catalogue::table(
            crate::report_format(&r),
            xxgk_model::catalogue::TableId::Active,
        )
        .rows
        .iter()
        .find_map(|row| row.block)
        .expect("a block caption");
        assert!(t2.contains(&format!(
            "<w:jc w:val=\"left\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{caption}"
        )));
        let label = catalogue::table(
            crate::report_format(&r),
            xxgk_model::catalogue::TableId::Active,
        )
        .rows[0]
            .printed_label();
        assert!(t2.contains(&format!(
            "<w:jc w:val=\"center\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{label}</w:t>"
        )));
    }

    #[test]
    fn the_title_breaks_before_its_year_never_mid_word() {
        assert_eq!(
            title_lines("某某市某某区人民政府办公室2024年政府信息公开工作年度报告"),
            "某某市某某区人民政府办公室\n2024年政府信息公开工作年度报告"
        );
        assert_eq!(
            title_lines("某某县某某局 2024 年政府信息公开工作年度报告"),
            "某某县某某局\n2024 年政府信息公开工作年度报告"
        );
        // One line of 2号 (20 characters) needs no break; a title without a year is Word's.
        assert_eq!(
            title_lines("某局2024年政府信息公开工作年度报告"),
            "某局2024年政府信息公开工作年度报告"
        );
        assert_eq!(title_lines(&"某".repeat(30)), "某".repeat(30));
        // In the document: one Title paragraph, the break a w:br.
        let mut r = random_report(5, &GenOptions::default());
        r.meta.title = Some(xxgk_model::Sourced {
            value: "某某市某某区人民政府办公室2024年政府信息公开工作年度报告".into(),
            span: xxgk_model::Span::line(1),
        });
        let (_, body) = parse(&part(&render_docx(&r), "word/document.xml"));
        let titles: Vec<&(String, String)> = body.iter().filter(|(s, _)| s == "Title").collect();
        assert_eq!(
            titles,
            [&(
                "Title".to_string(),
                "某某市某某区人民政府办公室\n2024年政府信息公开工作年度报告".to_string()
            )]
        );
    }

    #[test]
    fn the_agency_is_centred_over_the_date() {
        // "2024年1月5日": 3 characters and 6 digits = 6 characters wide; an agency of 10
        // characters is 2 characters less indented than the date's 4.
        assert_eq!(width_hundredths("2024年1月5日"), 600);
        assert_eq!(width_hundredths("某某市人民政府办公室"), 1000);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a&b<c>\"d\u{1}"), "a&amp;b&lt;c&gt;&quot;d");
        let mut s = String::new();
        runs(&mut s, "x\ty\nz", "");
        assert_eq!(
            s,
            "<w:r><w:t xml:space=\"preserve\">x</w:t><w:tab/><w:t xml:space=\"preserve\">y</w:t>\
             <w:br/><w:t xml:space=\"preserve\">z</w:t></w:r>"
        );
    }
}
