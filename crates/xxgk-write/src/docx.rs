//! Render a report as a Word document (.docx, WordprocessingML).
//!
//! [`render_docx`] writes the title, the preamble, the six parts with their official headings
//! and narrative, tables 二, 三 and 四 with the merged cells of the official template
//! (国办公开办函〔2021〕30号 / the 2019 format: `w:gridSpan` for cells spanning columns,
//! `w:vMerge` for cells spanning rows), and the agency and date at the end. The tables come from
//! the same grids as the text layouts ([`crate::text`]), so every label is the catalogue's.
//!
//! The package is minimal and valid: `[Content_Types].xml`, the package and document
//! relationships, `word/document.xml` and `word/styles.xml` (宋体, A4). It is deterministic: the
//! same report gives the same bytes.
//!
//! Cells print what the report holds: a number as printed, [`Value::Blank`] and a cell the report
//! does not hold as an empty cell, [`Value::Text`] as its text.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use xxgk_model::catalogue::{self, PARTS};
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
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"360\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:jc w:val=\"center\"/><w:spacing w:before=\"240\" w:after=\"240\"/></w:pPr>\
<w:rPr><w:b/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/><w:outlineLvl w:val=\"0\"/></w:pPr>\
<w:rPr><w:rFonts w:eastAsia=\"黑体\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/><w:outlineLvl w:val=\"1\"/></w:pPr>\
<w:rPr><w:rFonts w:eastAsia=\"楷体\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Body\"><w:name w:val=\"Body Text First Indent\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/><w:jc w:val=\"both\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Cell\"><w:name w:val=\"Table Cell\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

/// The page: A4 with the margins of the official template (twentieths of a point).
const SECTION: &str = "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
<w:pgMar w:top=\"1440\" w:right=\"1800\" w:bottom=\"1440\" w:left=\"1800\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
<w:cols w:space=\"425\"/></w:sectPr>";

/// The text width of the page, in twips (11906 − 1800 − 1800, a little more for wide tables).
const TABLE_WIDTH: u32 = 9741;

fn package(document: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document),
        ("word/styles.xml", STYLES),
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
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
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
    let n = narrative::of_report(report, 0, 0);
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
    paragraph(&mut out, "Title", "", &crate::report_title(report));
    paras(&mut out, &n.preamble);
    let value = |v: Option<&Value>| match v {
        None | Some(Value::Blank) => String::new(),
        Some(Value::Text(t)) => t.clone(),
        Some(Value::Number(n)) => n.to_string(),
    };
    for part in &PARTS {
        let marker = catalogue::CHINESE_NUMERALS[usize::from(part.number.saturating_sub(1))];
        paragraph(
            &mut out,
            "Heading1",
            "",
            &format!("{marker}、{}", n.heading(part.number)),
        );
        paras(&mut out, n.part(part.number));
        let grid = match part.number {
            2 => grid::active_grid(report, format, &value),
            3 => grid::requests_grid(report, format, &value),
            4 => grid::appeals_grid(report, format, &value),
            _ => None,
        };
        if let Some(grid) = grid {
            table(&mut out, &grid, part.number);
        }
    }
    let right = "<w:jc w:val=\"right\"/>";
    if let Some(a) = &report.meta.agency_printed {
        paragraph(&mut out, "Normal", right, a);
    }
    if let Some(d) = &report.meta.published {
        let d = d.value;
        paragraph(
            &mut out,
            "Normal",
            right,
            &format!("{}年{}月{}日", d.year, d.month, d.day),
        );
    }
    out.push_str(SECTION);
    out.push_str("</w:body></w:document>");
    out
}

/// Column widths (twips) of the official tables: table 三 has its three label columns of the
/// template; the other tables share the width equally.
fn column_widths(part: u8, columns: usize) -> Vec<u32> {
    let columns = columns.max(1);
    if part == 3 && columns == 10 {
        return vec![754, 921, 3271, 685, 685, 685, 685, 685, 685, 685];
    }
    let each = TABLE_WIDTH / columns as u32;
    vec![each; columns]
}

/// Whether a grid cell starts a `w:tc` (a covered cell extends the one on its left).
fn starts_cell(c: &GCell) -> bool {
    !matches!(c.kind, Kind::Filler | Kind::LabelSpan)
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
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>\
         <w:insideH {border}/><w:insideV {border}/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
    );
    for w in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    for (r, row) in grid.rows.iter().enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/><w:jc w:val=\"center\"/></w:trPr>");
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
                Kind::Label { .. } | Kind::Caption | Kind::Note => "left",
                _ => "center",
            };
            let ppr = format!("<w:jc w:val=\"{align}\"/>");
            if continues {
                paragraph(out, "Cell", &ppr, "");
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
    use crate::gen::{random_report, GenOptions};
    use std::io::Read;

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
        assert!(doc.contains(&esc(&crate::report_title(&r))));
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
             <w:p><w:pPr><w:pStyle w:val=\"Cell\"/><w:jc w:val=\"left\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{}",
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
