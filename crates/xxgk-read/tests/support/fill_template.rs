//! Fill the blank official template (`official-template-2021.docx`) with known numbers and a
//! report's text: the filled copy is read back by the DOCX reader test and converted by
//! `scripts/make-template-fixtures.sh` into the HTML, PDF, DOC and text fixtures.
//!
//! The template's XML is edited in place (runs of the value cells and of the placeholder
//! paragraphs replaced, everything else kept byte for byte), so the filled document keeps the
//! template's exact merged-cell structure. Value cells are found by their row's label (equal to
//! the catalogue's printed label) and are the row's last cells; table 四's value cells are the
//! 15 cells of its last row.
//!
//! Shared by `tests/docx.rs` and `examples/fill_template.rs` (included with `#[path]`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use quick_xml::events::Event;
use quick_xml::Reader;
use xxgk_model::catalogue::{self, Format, TableId};

/// The blank official template, committed beside the fixtures.
pub const TEMPLATE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/template/official-template-2021.docx"
);

/// The title written over the template's title.
pub const TITLE: &str = "XX市XX局2024年政府信息公开工作年度报告";

/// The printed value of every cell of the three 2021 tables (flat key → text, `None` blank).
///
/// Hand-chosen so that every cell differs from every other (a cell read into the wrong place
/// cannot go unnoticed):
/// - table 二: row i (0-based, catalogue order), column j → `10·(i+1) + j + 1` (11, 12, 13,
///   21, … 51), except `active.rules.repealed` = 0 (a printed zero), `active.normative_documents.
///   repealed` blank and `active.fees.amount` = 12.34 (万元);
/// - table 三: row i (0..25, printed order of the 2021 table), column j (0..7) →
///   `100 + 10·i + j` (100 … 346), except `requests.denied_state_secret.natural_person` = 0 and
///   two blanks (`requests.granted.legal_service_organization`,
///   `requests.unprocessed_duplicate.other_organization`);
/// - table 四: the k-th of the 15 printed cells → `500 + k` (500 … 514), except
///   `appeals.review.pending` blank.
///
/// The identities of the tables do not hold with these numbers (a check reports them); the
/// reader must return exactly what is printed.
pub fn known_values() -> BTreeMap<String, Option<String>> {
    let mut m = BTreeMap::new();
    let active = catalogue::table(Format::F2021, TableId::Active);
    for (i, row) in active.rows.iter().enumerate() {
        for (j, col) in row.columns.iter().enumerate() {
            let v = 10 * (i + 1) + j + 1;
            m.insert(
                format!("active.{}.{}", row.key, col.key),
                Some(v.to_string()),
            );
        }
    }
    m.insert("active.rules.repealed".into(), Some("0".into()));
    m.insert("active.normative_documents.repealed".into(), None);
    m.insert("active.fees.amount".into(), Some("12.34".into()));
    let requests = catalogue::table(Format::F2021, TableId::Requests).rows_for(false);
    for (i, row) in requests.iter().enumerate() {
        for (j, col) in row.columns.iter().enumerate() {
            let v = 100 + 10 * i + j;
            m.insert(
                format!("requests.{}.{}", row.key, col.key),
                Some(v.to_string()),
            );
        }
    }
    m.insert(
        "requests.denied_state_secret.natural_person".into(),
        Some("0".into()),
    );
    m.insert("requests.granted.legal_service_organization".into(), None);
    m.insert(
        "requests.unprocessed_duplicate.other_organization".into(),
        None,
    );
    let appeals = catalogue::table(Format::F2021, TableId::Appeals);
    for (k, (row, col)) in appeals.cells().enumerate() {
        m.insert(
            format!("appeals.{}.{}", row.key, col.key),
            Some((500 + k).to_string()),
        );
    }
    m.insert("appeals.review.pending".into(), None);
    m
}

/// The values as the truth JSON of the fixtures: flat key → number or `null`, keys sorted.
pub fn truth_json(values: &BTreeMap<String, Option<String>>) -> String {
    let mut s = String::from("{\n");
    let n = values.len();
    for (i, (k, v)) in values.iter().enumerate() {
        let v = v.as_deref().unwrap_or("null");
        s.push_str(&format!("  \"{k}\": {v}"));
        s.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    s.push_str("}\n");
    s
}

/// The text of the report around the tables: what replaces the template's placeholders.
fn body_text(template_text: &str, previous: Option<&str>) -> Option<&'static str> {
    const PART1: &str = "2024年，XX市XX局认真贯彻落实《中华人民共和国政府信息公开条例》，\
                         持续推进政务公开工作，政府信息公开工作平稳有序开展。";
    const PART5: &str = "存在的主要问题是公开内容不够全面、解读形式较为单一。下一步，\
                         本机关将加强业务培训，完善工作制度。";
    const PART6: &str = "本机关本年度未收取信息处理费。";
    match template_text {
        "政府信息公开工作年度报告格式模板" => Some(TITLE),
        "（文字描述）" if previous == Some("一、总体情况") => Some(PART1),
        "（文字描述）" => Some(PART5),
        t if t.starts_with("（文字描述，") => Some(PART6),
        "" => match previous {
            Some("二、主动公开政府信息情况") => {
                Some("本年度主动公开政府信息情况如下。")
            }
            Some("三、收到和处理政府信息公开申请情况") => {
                Some("本年度收到和处理政府信息公开申请情况如下。")
            }
            Some("四、政府信息公开行政复议、行政诉讼情况") => {
                Some("本年度政府信息公开行政复议、行政诉讼情况如下。")
            }
            _ => None,
        },
        _ => None,
    }
}

/// Paragraphs added after the title and at the end of the document.
const PREAMBLE: &str = "本报告根据《中华人民共和国政府信息公开条例》要求编制。\
                        本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。";
const CLOSING: [&str; 2] = ["XX市XX局", "2025年1月20日"];

#[derive(Debug, Default)]
struct Cell {
    text: String,
    /// Byte ranges of the runs (`w:r`) in the cell.
    runs: Vec<(usize, usize)>,
    /// Where the first paragraph of the cell ends (the start of its `</w:p>`).
    first_p_end: Option<usize>,
}

#[derive(Debug, Default)]
struct Para {
    text: String,
    runs: Vec<(usize, usize)>,
    /// The start of `</w:p>`, or the range of an empty `<w:p/>`.
    end: usize,
    empty_element: Option<(usize, usize)>,
    /// The end of the paragraph (after `</w:p>`).
    after: usize,
}

/// What the template holds, with byte positions for the edits.
#[derive(Debug, Default)]
struct Scan {
    /// Top-level paragraphs in order.
    paras: Vec<Para>,
    /// Tables (top-level) → rows → cells.
    tables: Vec<Vec<Vec<Cell>>>,
    sect_pr: Option<usize>,
}

fn scan(xml: &str) -> Result<Scan, String> {
    let mut r = Reader::from_str(xml);
    let mut out = Scan::default();
    let mut tbl_depth = 0usize;
    let mut para: Option<Para> = None;
    let mut cell: Option<Cell> = None;
    let mut row: Option<Vec<Cell>> = None;
    let mut run_start: Option<usize> = None;
    let mut in_t = false;
    let mut in_body = false;
    loop {
        let start = r.buffer_position() as usize;
        let ev = r.read_event().map_err(|e| e.to_string())?;
        let end = r.buffer_position() as usize;
        match ev {
            Event::Start(e) => match e.name().as_ref() {
                "w:body" => in_body = true,
                "w:tbl" => {
                    tbl_depth += 1;
                    if tbl_depth == 1 {
                        out.tables.push(Vec::new());
                    }
                }
                "w:tr" if tbl_depth == 1 => row = Some(Vec::new()),
                "w:tc" if tbl_depth == 1 => cell = Some(Cell::default()),
                "w:p" if tbl_depth == 0 && in_body => para = Some(Para::default()),
                "w:r" => run_start = Some(start),
                "w:t" => in_t = true,
                "w:sectPr" if in_body && tbl_depth == 0 => out.sect_pr = Some(start),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:p" if tbl_depth == 0 && in_body => out.paras.push(Para {
                    end: start,
                    empty_element: Some((start, end)),
                    after: end,
                    ..Para::default()
                }),
                "w:sectPr" if in_body && tbl_depth == 0 => out.sect_pr = Some(start),
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:tbl" => tbl_depth = tbl_depth.saturating_sub(1),
                "w:tr" if tbl_depth == 1 => {
                    if let (Some(row), Some(t)) = (row.take(), out.tables.last_mut()) {
                        t.push(row);
                    }
                }
                "w:tc" if tbl_depth == 1 => {
                    if let (Some(c), Some(row)) = (cell.take(), row.as_mut()) {
                        row.push(c);
                    }
                }
                "w:p" => {
                    if let Some(mut p) = para.take() {
                        p.end = start;
                        p.after = end;
                        out.paras.push(p);
                    } else if let Some(c) = cell.as_mut() {
                        if c.first_p_end.is_none() {
                            c.first_p_end = Some(start);
                        }
                    }
                }
                "w:r" => {
                    if let Some(s) = run_start.take() {
                        if let Some(p) = para.as_mut() {
                            p.runs.push((s, end));
                        } else if let Some(c) = cell.as_mut() {
                            c.runs.push((s, end));
                        }
                    }
                }
                "w:t" => in_t = false,
                _ => {}
            },
            Event::Text(t) if in_t => {
                let s = t.xml10_content();
                if let Some(p) = para.as_mut() {
                    p.text.push_str(&s);
                } else if let Some(c) = cell.as_mut() {
                    c.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn run(text: &str, size: Option<u32>) -> String {
    let rpr = match size {
        Some(sz) => format!(
            "<w:rPr><w:rFonts w:hint=\"eastAsia\" w:ascii=\"宋体\" w:hAnsi=\"宋体\" \
             w:eastAsia=\"宋体\"/><w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/></w:rPr>"
        ),
        None => String::new(),
    };
    format!(
        "<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        quick_xml::escape::escape(text)
    )
}

fn paragraph(text: &str) -> String {
    format!("<w:p>{}</w:p>", run(text, None))
}

fn replace_runs(
    edits: &mut Vec<(usize, usize, String)>,
    runs: &[(usize, usize)],
    at: usize,
    text: &str,
    size: Option<u32>,
) {
    for &(s, e) in runs {
        edits.push((s, e, String::new()));
    }
    if !text.is_empty() {
        edits.push((at, at, run(text, size)));
    }
}

/// The template's `word/document.xml` with `values` written into the value cells and the
/// report's text into the placeholders.
pub fn fill_document_xml(
    xml: &str,
    values: &BTreeMap<String, Option<String>>,
) -> Result<String, String> {
    let scan = scan(xml)?;
    // (start, end, replacement), non-overlapping.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();

    // Paragraphs.
    let mut previous: Option<&str> = None;
    let mut title_after = None;
    for p in &scan.paras {
        let text = p.text.trim();
        if let Some(new) = body_text(text, previous) {
            if new == TITLE {
                title_after = Some(p.after);
            }
            match p.empty_element {
                Some((s, e)) => edits.push((s, e, paragraph(new))),
                None => replace_runs(&mut edits, &p.runs, p.end, new, None),
            }
        }
        if !text.is_empty() {
            previous = Some(text);
        } else if previous.is_some_and(|t| body_text("", Some(t)).is_some()) {
            // Only the first empty paragraph after a heading gets the sentence.
            previous = Some("");
        }
    }
    let title_after = title_after.ok_or("template title not found")?;
    edits.push((title_after, title_after, paragraph(PREAMBLE)));
    let sect = scan.sect_pr.ok_or("w:sectPr not found")?;
    let closing: String = CLOSING.iter().map(|t| paragraph(t)).collect();
    edits.push((sect, sect, closing));

    // Tables.
    if scan.tables.len() != 3 {
        return Err(format!("expected 3 tables, found {}", scan.tables.len()));
    }
    let mut written = 0usize;
    for (t, rows) in TableId::ALL.iter().zip(&scan.tables) {
        let def = catalogue::table(Format::F2021, *t);
        for row in rows {
            let targets: Vec<(String, &Cell)> = if *t == TableId::Appeals {
                if row.len() != catalogue::APPEALS_WIDTH || row.iter().any(|c| !c.text.is_empty()) {
                    continue;
                }
                def.cells()
                    .zip(row)
                    .map(|((r, c), cell)| (format!("appeals.{}.{}", r.key, c.key), cell))
                    .collect()
            } else {
                let Some(rd) = def
                    .rows_for(false)
                    .into_iter()
                    .find(|rd| row.iter().any(|c| c.text.trim() == rd.printed_label()))
                else {
                    continue;
                };
                let n = rd.columns.len();
                if row.len() < n + 1 {
                    return Err(format!("row {} has {} cells", rd.key, row.len()));
                }
                rd.columns
                    .iter()
                    .zip(&row[row.len() - n..])
                    .map(|(c, cell)| (format!("{}.{}.{}", t.key(), rd.key, c.key), cell))
                    .collect()
            };
            for (key, cell) in targets {
                let v = values
                    .get(&key)
                    .ok_or_else(|| format!("no value for {key}"))?;
                let at = cell.first_p_end.ok_or("cell without paragraph")?;
                replace_runs(
                    &mut edits,
                    &cell.runs,
                    at,
                    v.as_deref().unwrap_or(""),
                    Some(20),
                );
                written += 1;
            }
        }
    }
    if written != values.len() {
        return Err(format!("wrote {written} cells of {}", values.len()));
    }

    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = String::with_capacity(xml.len() + 16 * 1024);
    let mut pos = 0;
    for (s, e, text) in edits {
        if s < pos {
            return Err(format!("overlapping edits at {s}"));
        }
        out.push_str(&xml[pos..s]);
        out.push_str(&text);
        pos = e;
    }
    out.push_str(&xml[pos..]);
    Ok(out)
}

/// The template DOCX with `values` and the report's text filled in. Every other part of the
/// package is copied unchanged.
pub fn fill_docx(
    template: &[u8],
    values: &BTreeMap<String, Option<String>>,
) -> Result<Vec<u8>, String> {
    fill_docx_with(template, |xml| fill_document_xml(xml, values))
}

/// The template DOCX with its `word/document.xml` replaced by `edit(xml)`.
pub fn fill_docx_with(
    template: &[u8],
    edit: impl FnOnce(&str) -> Result<String, String>,
) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(template)).map_err(|e| e.to_string())?;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut edit = Some(edit);
    for i in 0..zip.len() {
        let name = zip
            .by_index(i)
            .map_err(|e| e.to_string())?
            .name()
            .to_string();
        if name == "word/document.xml" {
            let mut xml = String::new();
            zip.by_index(i)
                .map_err(|e| e.to_string())?
                .read_to_string(&mut xml)
                .map_err(|e| e.to_string())?;
            let f = edit.take().ok_or("two document parts")?;
            let filled = f(&xml)?;
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(zip::DateTime::default());
            w.start_file(name, opts).map_err(|e| e.to_string())?;
            w.write_all(filled.as_bytes()).map_err(|e| e.to_string())?;
        } else {
            let f = zip.by_index_raw(i).map_err(|e| e.to_string())?;
            w.raw_copy_file(f).map_err(|e| e.to_string())?;
        }
    }
    let out = w.finish().map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}
