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
pub mod doc;
pub mod docx;
pub mod flat;
pub mod html;
pub mod labels;
pub mod meta;
pub mod numerals;
pub mod ole;
pub mod pdf;
pub mod rows;
pub mod sections;
pub mod tables;

/// Test helper shared by the modules' corpus tests.
#[cfg(test)]
pub(crate) mod test_corpus {
    /// The normalized lines of `../shared/corpus/REL`, or `None` (with a note) when the corpus
    /// is not beside the clone.
    pub fn corpus(rel: &str) -> Option<Vec<String>> {
        let path = format!(
            "{}/../../../shared/corpus/{rel}",
            env!("CARGO_MANIFEST_DIR")
        );
        match std::fs::read(&path) {
            Ok(bytes) => Some(crate::decode::decode(&bytes).unwrap().lines),
            Err(e) => {
                eprintln!("skipping {path}: {e}");
                None
            }
        }
    }
}

use xxgk_model::{Finding, Report, ReportKind, Severity};

/// Why a file could not be read at all. Messages are Chinese: they are shown to users.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("文件为空")]
    Empty,
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
    #[error("HTML 嵌套过深（超过 {limit} 层），无法读取")]
    TooDeep { limit: usize },
}

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
        if find(bytes, b"word/document.xml") || find(bytes, b"[Content_Types].xml") {
            FileKind::Docx
        } else {
            FileKind::Zip
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        FileKind::Ole
    } else if start.first() == Some(&b'<') && looks_like_html(start) {
        FileKind::Html
    } else {
        FileKind::Text
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
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

/// Read one report from the bytes of a file, whatever its kind. `source` names the file in
/// the report.
pub fn read(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    match sniff(bytes) {
        FileKind::Text => read_text(bytes, source),
        FileKind::Html => html::read(bytes, source),
        FileKind::Docx => docx::read(bytes, source),
        FileKind::Pdf => pdf::read(bytes, source),
        FileKind::Ole => ole::read(bytes, source),
        FileKind::Zip => Err(ReadError::Unsupported { kind: "ZIP" }),
    }
}

/// Read one report from the bytes of a plain-text file (any of the text layouts).
pub fn read_text(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    let text = decode::decode(bytes)?;
    read_lines(&text.lines, source)
}

/// Read one report from already decoded, normalized lines (see [`decode::normalize_line`]).
pub fn read_lines(lines: &[String], source: Option<&str>) -> Result<Report, ReadError> {
    let rows = rows::split(lines);
    let tables = tables::read(&rows);
    let sections = sections::split(lines);
    let (meta, meta_findings) = meta::read(lines, &sections);

    let looks_like_report = meta.title.is_some() || sections.len() >= 3;
    if tables.cells.is_empty() && !looks_like_report {
        return Err(ReadError::NotAReport);
    }

    let mut findings = tables.findings;
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

    Ok(Report {
        source: source.map(str::to_string),
        kind,
        meta,
        sections,
        tables: tables.spans,
        cells: tables.cells,
        findings,
    })
}
