//! xxgk-read: bytes of a published report → [`Report`] with provenance.
//!
//! Pipeline: [`decode`] (encoding, normalized lines) → [`rows`] (each line layout — tab rows,
//! one cell per line, pipe tables, space-aligned columns — turned into rows of cells) →
//! [`tables`] (rows matched to the catalogue, values assigned) and, in parallel over the same
//! lines, [`sections`] (the six parts) and [`meta`] (title, agency, year, dates).
//!
//! Architecture invariant: the reader reports what is printed. A blank cell is `Blank`; a row it
//! cannot read is absent and produces a finding; a placement it is not sure of is never made.

pub mod decode;
pub mod displaced;
pub mod doc;
pub mod docx;
pub mod flat;
pub mod flatsolve;
pub mod flattened;
pub mod html;
pub mod input;
pub mod json;
pub mod labels;
pub mod listnum;
pub mod meta;
pub mod numerals;
pub mod ole;
pub mod pdf;
pub mod rows;
pub mod rules;
pub mod sections;
pub(crate) mod spaces;
pub mod tables;
pub mod units;

/// Test helper shared by the modules' corpus tests.
#[cfg(test)]
pub(crate) mod test_corpus {
    /// The normalized lines of `../shared/corpus/REL`. A missing corpus fails the test (a test
    /// that passes without its input tests nothing), unless `XXGK_ALLOW_NO_CORPUS=1` (then
    /// `None`, with a line on standard error), never with `CI=true`.
    pub fn corpus(rel: &str) -> Option<Vec<String>> {
        let path = format!(
            "{}/../../../shared/corpus/{rel}",
            env!("CARGO_MANIFEST_DIR")
        );
        match std::fs::read(&path) {
            Ok(bytes) => Some(crate::decode::decode(&bytes).unwrap().lines),
            Err(e) => {
                let set = |n: &str| std::env::var(n).is_ok_and(|v| !v.is_empty() && v != "0");
                let ci = std::env::var("CI").is_ok_and(|v| v == "true");
                if ci || !set("XXGK_ALLOW_NO_CORPUS") {
                    panic!(
                        "corpus file {path}: {e} (the corpus is the shared/ directory beside the \
                         clone, see README \"开发\"; XXGK_ALLOW_NO_CORPUS=1 skips)"
                    );
                }
                eprintln!("corpus skipped: {path}: {e}");
                None
            }
        }
    }
}

/// Every string made of one to `longest` of `pieces` (with repetition, in every order): the
/// inputs on which a fast path is compared with the code it short-cuts.
#[cfg(test)]
pub(crate) fn every_string_of(pieces: &[&str], longest: usize) -> Vec<String> {
    let mut all = Vec::new();
    let mut frontier = vec![String::new()];
    for _ in 0..longest {
        let next: Vec<String> = frontier
            .iter()
            .flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}")))
            .collect();
        all.extend(next.iter().cloned());
        frontier = next;
    }
    all
}

use xxgk_model::{Finding, Report, ReportKind, Severity};

#[cfg(test)]
mod title_tests {
    use super::is_report_title;

    #[test]
    fn a_notice_about_the_reports_is_not_a_report() {
        assert!(is_report_title("某局2024年政府信息公开工作年度报告"));
        assert!(is_report_title(
            "某局2024年政府信息公开工作年度报告（全文）"
        ));
        assert!(is_report_title("某局 2024 年政府信息公开年报"));
        assert!(!is_report_title(
            "某某县人民政府办公室关于做好2024年度政府信息公开工作年度报告编制和发布工作的通知"
        ));
        assert!(!is_report_title("关于报送政府信息公开工作年度报告的函"));
    }
}

/// Why a file could not be read at all. Messages are Chinese: they are shown to users.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("文件为空")]
    Empty,
    /// A PDF whose pages print no character and no image (its content streams draw nothing
    /// readable, or cannot be interpreted): not an empty file.
    #[error("PDF 的页面上没有读出任何文字或图片（内容流可能已损坏，或只有图形）")]
    PdfNoText,
    #[error("文件过大（{size} 字节，上限 {limit} 字节）")]
    TooLarge { size: usize, limit: usize },
    #[error("暂不支持读取 {kind} 文件")]
    Unsupported { kind: &'static str },
    #[error("不是文本文件（含二进制内容）")]
    Binary,
    #[error("无法识别文本编码（不是 UTF-8、UTF-16 或 GB18030/GBK）")]
    Encoding,
    #[error("无法识别为政府信息公开工作年度报告：既没有年度报告标题，也没有标准表格")]
    NotAReport,
    /// A document of another kind, told by its content (an Excel workbook, a presentation).
    #[error("不是年度报告（{kind}）")]
    OtherDocument { kind: &'static str },
    /// A PDF whose page content is beyond the reader's limits: nothing of it was read.
    #[error(
        "PDF 内容流过大：页面内容超过读取上限（每个内容流解压后 {limit} MB），未能读出任何文字"
    )]
    PdfContentTooLarge { limit: usize },
    /// A PDF with more objects than can be parsed within the reading budget (lopdf's parser
    /// costs each object its offset in the file: 50,000 objects in 1 MB took 2.6 s).
    #[error(
        "PDF 对象过多（约 {count} 个，这一大小的文件上限 {limit} 个），超出读取上限，未能读取"
    )]
    PdfTooManyObjects { count: usize, limit: usize },
    #[error("{kind} 文件已损坏：{reason}")]
    Damaged { kind: &'static str, reason: String },
    #[error("{kind} 文件已加密，无法读取（请先取消密码保护）")]
    Encrypted { kind: &'static str },
    #[error("不是 Word 文档（{found}），无法读取")]
    NotWord { found: &'static str },
    /// A part of a package is larger than allowed once decompressed (a zip bomb stops here).
    #[error("文件内容过大：{part} 解压后超过 {limit} 字节")]
    PartTooLarge { part: String, limit: usize },
    #[error("扫描件，无文字层（PDF 页面只有图片，需要先做文字识别）")]
    ScannedPdf,
    /// A scan or an image that the OCR adapter (crate `xxgk-ocr`) could not read.
    #[error("文字识别失败：{0}")]
    Ocr(String),
    /// An input file (TOML) or a report's JSON with errors, each at its line.
    #[error("{}", input::describe(.0))]
    Input(Vec<input::InputProblem>),
    #[error("HTML 嵌套过深（超过 {limit} 层），无法读取")]
    TooDeep { limit: usize },
}

/// The largest file any reader accepts (a DOCX or PDF with images; each reader has its own,
/// lower or equal bound, e.g. text 32 MB). Callers refuse a larger file before reading it.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The kinds of file the readers tell apart by their content (never by the file's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Text,
    Html,
    Docx,
    Pdf,
    /// An OLE compound file: Word .doc or WPS .wps (or something else, refused by its reader).
    Ole,
    /// A ZIP archive that is not a Word document.
    Zip,
    /// An Excel workbook (.xlsx): a ZIP archive with `xl/workbook.xml`.
    Xlsx,
    /// A PowerPoint presentation (.pptx): a ZIP archive with `ppt/presentation.xml`.
    Pptx,
    /// The editable input file of `xxgk new` (TOML; see [`input`]).
    Input,
    /// The JSON of schema.md, as `xxgk extract` prints it (see [`json`]).
    Json,
}

/// Tell the kind of a file from its first bytes.
pub fn sniff(bytes: &[u8]) -> FileKind {
    let start = {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let skip = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
        &b[skip..]
    };
    if start.starts_with(b"%PDF") || bytes.get(..1024).is_some_and(|h| find(h, b"%PDF-")) {
        FileKind::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") {
        // A DOCX names its main part in the central directory; the local headers come first.
        // The other Office packages have a [Content_Types].xml too: told apart first.
        if find(bytes, b"xl/workbook.xml") && !find(bytes, b"word/document.xml") {
            FileKind::Xlsx
        } else if find(bytes, b"ppt/presentation.xml") && !find(bytes, b"word/document.xml") {
            FileKind::Pptx
        } else if find(bytes, b"word/document.xml") || find(bytes, b"[Content_Types].xml") {
            FileKind::Docx
        } else {
            FileKind::Zip
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        FileKind::Ole
    } else if start.first() == Some(&b'<') && looks_like_html(start) {
        FileKind::Html
    } else if json::looks_like_json(bytes) {
        FileKind::Json
    } else if input::looks_like_input(bytes) {
        FileKind::Input
    } else {
        FileKind::Text
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    // Each place of the needle's first byte, then the rest (comparing every window of the
    // first kilobyte of each text file for "%PDF-" was 1.4% of reading it).
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(p) = hay[from..].iter().position(|&b| b == first) {
        let at = from + p;
        if hay[at + 1..].starts_with(rest) {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
mod find_tests {
    #[test]
    fn find_answers_as_comparing_every_window_does() {
        let hay = b"%PD%PDF%PDF-1.7 xx%PDF-%";
        for start in 0..hay.len() {
            for end in start..=hay.len() {
                for needle in [&b"%PDF-"[..], b"%", b"-", b"%PDF-%", b"x", b"", b"7 x"] {
                    let h = &hay[start..end];
                    let by_windows =
                        needle.is_empty() || h.windows(needle.len()).any(|w| w == needle);
                    assert_eq!(super::find(h, needle), by_windows, "{h:?} {needle:?}");
                }
            }
        }
    }
}

fn looks_like_html(start: &[u8]) -> bool {
    let head = &start[..start.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<table",
        b"<div",
        b"<p",
        b"<!--",
    ]
    .iter()
    .any(|tag| find(&lower, tag))
}

/// Read one report from the bytes of a file, whatever its kind (a published report, an input
/// file of `xxgk new`, or the JSON of `xxgk extract`). `source` names the file in the report.
pub fn read(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    match sniff(bytes) {
        FileKind::Text => read_text(bytes, source).map_err(|e| match e {
            // Binary content under a document's name: say it is a damaged document.
            ReadError::Binary | ReadError::Encoding => match named_kind(source) {
                Some(kind) => ReadError::Damaged {
                    kind,
                    reason: format!("内容不是 {kind} 格式（文件可能不完整，或扩展名与内容不符）"),
                },
                None => e,
            },
            e => e,
        }),
        FileKind::Html => html::read(bytes, source),
        FileKind::Docx => docx::read(bytes, source),
        FileKind::Pdf => pdf::read(bytes, source),
        FileKind::Ole => ole::read(bytes, source),
        FileKind::Zip => Err(ReadError::Unsupported { kind: "ZIP" }),
        FileKind::Xlsx => Err(ReadError::OtherDocument {
            kind: "Excel 工作簿",
        }),
        FileKind::Pptx => Err(ReadError::OtherDocument {
            kind: "PowerPoint 演示文稿",
        }),
        FileKind::Input => input::read_input_bytes(bytes, source),
        FileKind::Json => json::read_json(&input::decode_input(bytes)?, source),
    }
}

/// [`read`], and the findings `also` makes of the report (the checks), their spans in the
/// file's terms: for a PDF, `also` runs before the report's spans are mapped to pages, so that a
/// finding on a part's heading or on a line of its text names the right page and line. For the
/// other kinds, `also` runs on the report as read.
pub fn read_with(
    bytes: &[u8],
    source: Option<&str>,
    also: &mut dyn FnMut(&Report) -> Vec<Finding>,
) -> Result<(Report, Vec<Finding>), ReadError> {
    if !bytes.is_empty() && bytes.len() <= MAX_FILE_BYTES && sniff(bytes) == FileKind::Pdf {
        return pdf::read_with(bytes, source, also);
    }
    let report = read(bytes, source)?;
    let more = also(&report);
    Ok((report, more))
}

/// [`read_with`] with the findings merged: the report's `findings` are the reader's, then those
/// `check` made (how `xxgk check`, `xxgk render` and the server's uploads read a file).
pub fn read_checked(
    bytes: &[u8],
    source: Option<&str>,
    check: &mut dyn FnMut(&Report) -> Vec<Finding>,
) -> Result<Report, ReadError> {
    let (mut report, checked) = read_with(bytes, source, check)?;
    report.findings.extend(checked);
    Ok(report)
}

/// The document kind a file's name claims (used only to word an error; kinds are decided by
/// content).
fn named_kind(source: Option<&str>) -> Option<&'static str> {
    let ext = source?.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "docx" => Some("DOCX"),
        "pdf" => Some("PDF"),
        "doc" | "wps" => Some("DOC/WPS"),
        _ => None,
    }
}

/// Whether a title is a report's title: it ends with "报告" or "年报" (after a bracketed
/// addition such as "（全文）"). A 通知, 意见 or 方案 about the annual reports ends otherwise.
pub fn is_report_title(title: &str) -> bool {
    let mut t = title.trim();
    loop {
        t = t.trim_end_matches(|c: char| c.is_whitespace() || "。.:：".contains(c));
        let Some(open) = ["（", "(", "【", "["]
            .iter()
            .zip(["）", ")", "】", "]"])
            .find_map(|(o, c)| t.strip_suffix(c).and_then(|r| r.rfind(o)))
        else {
            break;
        };
        t = &t[..open];
    }
    t.ends_with("报告") || t.ends_with("年报")
}

/// Read one report from the bytes of a plain-text file (any of the text layouts).
pub fn read_text(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    let text = decode::decode(bytes)?;
    read_lines(&text.lines, source)
}

/// Read one report from already decoded, normalized lines (see [`decode::normalize_line`]).
/// A flattened page (see [`flattened`]) is read by its own segmentation and solver; every other
/// text by the line readers.
pub fn read_lines(lines: &[String], source: Option<&str>) -> Result<Report, ReadError> {
    if flattened::is_flattened(lines) {
        let (joined, parts, mut sections, meta, meta_findings) =
            flattened::sections_and_meta(lines);
        let (tables, regions) = flattened::read_tables(&joined, &parts, meta.year);
        flattened::strip_tables(&mut sections, &joined, &regions);
        return assemble(source, tables, sections, meta, meta_findings);
    }
    let (rows, beyond) = rows::split_bounded(lines);
    let mut tables = tables::read(&rows);
    drop(rows);
    displaced::read(lines, &mut tables);
    if let Some((line, n)) = beyond.dropped {
        tables.findings.push(
            Finding::new(
                "READ-LIMIT",
                Severity::Warning,
                format!(
                    "表格的数值单元格超过 {} 个，第 {line} 行起的 {n} 行数据未读取",
                    rows::MAX_TABLE_CELLS
                ),
            )
            .at(xxgk_model::Span::line(line)),
        );
    }
    let wide = beyond.wide;
    if let Some(first) = wide.first() {
        tables.findings.push(
            Finding::new(
                "READ-LIMIT",
                Severity::Warning,
                format!(
                    "{} 行的单元格超过 {} 个（第 {first} 行起），每行只读取前 {} 个",
                    wide.len(),
                    rows::MAX_FIELDS,
                    rows::MAX_FIELDS
                ),
            )
            .at(xxgk_model::Span::line(*first)),
        );
    }
    let sections = sections::split(lines);
    let (meta, meta_findings) = meta::read(lines, &sections);
    assemble(source, tables, sections, meta, meta_findings)
}

/// A report from what the readers found: refused when it has neither tables nor a report's
/// title nor three parts; the kind from the tables' format, else the year.
fn assemble(
    source: Option<&str>,
    tables: tables::TablesRead,
    sections: Vec<xxgk_model::Section>,
    meta: xxgk_model::Meta,
    meta_findings: Vec<Finding>,
) -> Result<Report, ReadError> {
    // A title counts when it is a report's: a 通知 about the annual reports is not one.
    let report_title = meta
        .title
        .as_ref()
        .is_some_and(|t| is_report_title(&t.value));
    let looks_like_report = report_title || sections.len() >= 3;
    if tables.cells.is_empty() && !looks_like_report {
        return Err(ReadError::NotAReport);
    }

    let mut tables = tables;
    tables::settle_odd_values(tables.format, &mut tables.cells, &mut tables.findings);
    let mut findings = tables.findings;
    let mut cells = tables.cells;
    units::read_units(tables.format, &mut cells, &mut findings);
    findings.extend(meta_findings);
    let kind = match tables.format {
        Some(f) => ReportKind::Standard(f),
        None => {
            let year = meta.year;
            match year.and_then(xxgk_model::Format::for_year) {
                // A 2019+ report whose tables were not found (READ-TABLE-MISSING says so for each):
                // it is still a standard report, of its year's format.
                Some(f) if year.is_some_and(|y| y >= 2019) => ReportKind::Standard(f),
                _ => {
                    // Its tables are not expected: no finding says they are missing.
                    findings.retain(|f| f.rule != "READ-TABLE-MISSING");
                    findings.push(Finding::new(
                        "READ-PRE-2019",
                        Severity::Info,
                        "2019 年《条例》修订前的年度报告：不含标准表格，未按标准格式读取",
                    ));
                    ReportKind::Pre2019
                }
            }
        }
    };

    // At most MAX_PER_RULE findings of one rule, then their count (hostile input).
    let findings = xxgk_model::finding::cap_per_rule(findings, xxgk_model::finding::MAX_PER_RULE);
    Ok(Report {
        source: source.map(str::to_string),
        kind,
        meta,
        sections,
        tables: tables.spans,
        cells,
        findings,
    })
}
