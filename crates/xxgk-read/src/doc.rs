//! Structured documents (HTML, DOCX, PDF, DOC/WPS) → the lines of the common pipeline.
//!
//! Each structured reader turns its file into a [`Document`]: paragraphs as lines of text, and
//! every table row as one *grid row* line, cells joined by tabs — the layout a Word text export
//! prints and [`crate::rows`] already reads. The grid follows the table's true columns:
//! - a cell that spans several columns (`colspan`, `gridSpan`) prints its text once, in its first
//!   column, and the columns it covers as empty fields;
//! - a cell continued down several rows (`rowspan`, `vMerge`) prints its text in its first row
//!   and an empty field in the rows below;
//! - a blank cell is an empty field (never `0`).
//!
//! Every line carries an [`Origin`] (the line of the HTML source, the paragraph of a DOCX, the
//! page and line of a PDF), and [`read_document`] maps the report's spans back to them, so
//! provenance points into the original file, not into the intermediate text.

use xxgk_model::{Finding, OcrCell, Report, Span};

use crate::{decode, ReadError};

/// Where a line of a [`Document`] came from in the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    /// 1-based line of the source (HTML), paragraph (DOCX, DOC) or line on the page (PDF).
    pub line: u32,
    /// 1-based page, where the format has pages.
    pub page: Option<u32>,
}

impl Origin {
    pub fn line(line: u32) -> Origin {
        Origin { line, page: None }
    }

    pub fn page_line(page: u32, line: u32) -> Origin {
        Origin {
            line,
            page: Some(page),
        }
    }
}

/// A structured file as lines of text, each with its origin, plus what the reader noticed on
/// the way (a table printed as an image, a scan without text layer …).
#[derive(Debug, Clone, Default)]
pub struct Document {
    lines: Vec<String>,
    origins: Vec<Origin>,
    findings: Vec<Finding>,
    /// Cells read by OCR: (0-based line, field, provenance), in line order.
    ocr: Vec<(usize, u32, OcrCell)>,
}

impl Document {
    pub fn new() -> Document {
        Document::default()
    }

    /// A paragraph of text. Line breaks inside it become separate lines of the same origin.
    pub fn paragraph(&mut self, text: &str, origin: Origin) {
        for l in text.split('\n') {
            self.push(decode::normalize_line(l), origin);
        }
    }

    /// One grid row of a table (see the module documentation). Tabs and line breaks inside a
    /// cell are printed as spaces, so the row stays one line.
    pub fn table_row<S: AsRef<str>>(&mut self, cells: &[S], origin: Origin) {
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                line.push('\t');
            }
            let text = c.as_ref().trim();
            if text.contains(['\t', '\n', '\r']) {
                let flat: String = text
                    .chars()
                    .map(|ch| {
                        if matches!(ch, '\t' | '\n' | '\r') {
                            ' '
                        } else {
                            ch
                        }
                    })
                    .collect();
                line.push_str(&decode::normalize_line(&flat));
            } else {
                line.push_str(&decode::normalize_line(text));
            }
        }
        // A row of one field is a tab row only with a leading or trailing tab.
        if cells.len() == 1 {
            line.push('\t');
        }
        self.push(line, origin);
    }

    /// A grid row read by OCR: [`Document::table_row`], and the provenance of the fields
    /// `ocr` names (field index, where it was on its image), which the cells read from them
    /// carry.
    pub fn table_row_ocr<S: AsRef<str>>(
        &mut self,
        cells: &[S],
        origin: Origin,
        ocr: &[(u32, OcrCell)],
    ) {
        self.table_row(cells, origin);
        let line = self.lines.len() - 1;
        self.ocr.extend(ocr.iter().map(|(f, o)| (line, *f, *o)));
    }

    /// This document with `inserts` put in: each `(n, other)` places the lines of `other`
    /// after the first `n` lines of this one (in the order given for equal `n`), every one of
    /// them with the origin `at` (the place in this file that `other` stands for: an image's
    /// line). Findings and OCR provenance come along.
    pub fn splice(self, inserts: Vec<(usize, Document, Origin)>) -> Document {
        let mut inserts = inserts;
        inserts.sort_by_key(|(n, _, _)| *n);
        let mut out = Document::new();
        let mut pending = inserts.into_iter().peekable();
        let mut own_ocr = self.ocr.into_iter().peekable();
        let total = self.lines.len();
        let put = |out: &mut Document, other: Document, at: Origin| {
            let base = out.lines.len();
            out.lines.extend(other.lines);
            out.origins
                .extend(std::iter::repeat_n(at, out.lines.len() - base));
            out.findings.extend(other.findings);
            out.ocr
                .extend(other.ocr.into_iter().map(|(l, f, o)| (base + l, f, o)));
        };
        let mut lines = self.lines.into_iter().zip(self.origins).enumerate();
        for i in 0..=total {
            while let Some((_, other, at)) = pending.next_if(|(n, _, _)| *n <= i) {
                put(&mut out, other, at);
            }
            if let Some((k, (line, origin))) = lines.next() {
                while let Some((_, f, o)) = own_ocr.next_if(|(l, _, _)| *l == k) {
                    out.ocr.push((out.lines.len(), f, o));
                }
                out.push(line, origin);
            }
        }
        out.findings.extend(self.findings);
        out
    }

    /// An empty line: ends a table, or separates blocks.
    pub fn blank(&mut self, origin: Origin) {
        self.push(String::new(), origin);
    }

    /// Append line `from` to line `into` (a paragraph a page break cut in two) and leave
    /// `from` empty, so that every other line keeps its number.
    pub fn continue_line(&mut self, into: usize, from: usize) {
        if into >= from || from >= self.lines.len() {
            return;
        }
        let tail = std::mem::take(&mut self.lines[from]);
        let line = &mut self.lines[into];
        if let (Some(a), Some(b)) = (line.chars().last(), tail.chars().next()) {
            if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                line.push(' ');
            }
        }
        line.push_str(&tail);
    }

    /// A finding of the reader itself (for example `READ-TABLE-IMAGE`).
    pub fn finding(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// The findings of the reader that made the document (a bound reached, …).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }

    fn push(&mut self, line: String, origin: Origin) {
        self.lines.push(line);
        self.origins.push(origin);
    }

    /// The origin of 1-based line `line` of the document.
    pub fn origin(&self, line: u32) -> Option<Origin> {
        (line as usize)
            .checked_sub(1)
            .and_then(|i| self.origins.get(i))
            .copied()
    }
}

/// Read a report from a structured document: the common pipeline over its lines, then every
/// span mapped back to the original file. Character columns of the intermediate text mean
/// nothing in the original and are dropped; a cell keeps its index in the printed row.
pub fn read_document(doc: Document, source: Option<&str>) -> Result<Report, ReadError> {
    read_document_with(doc, source, &mut |_| Vec::new()).map(|(report, _)| report)
}

/// [`read_document`], and the findings `also` makes of the report before its spans are mapped
/// back to the file (a check), mapped like the report's own. A finding that points at a part's
/// heading or at a line counted from it lands on the right page of a PDF this way: after the
/// mapping a part's line is a line on some page, and lines counted from it mean nothing.
pub fn read_document_with(
    doc: Document,
    source: Option<&str>,
    also: &mut dyn FnMut(&Report) -> Vec<Finding>,
) -> Result<(Report, Vec<Finding>), ReadError> {
    if doc.is_empty() {
        return Err(ReadError::Empty);
    }
    let mut report = crate::read_lines(&doc.lines, source)?;
    // Cells read from an OCR'd grid row carry where they were on the image.
    if !doc.ocr.is_empty() {
        for cell in report.cells.values_mut() {
            let line = (cell.span.line as usize).wrapping_sub(1);
            if let Some(field) = cell.printed_column {
                cell.ocr = doc
                    .ocr
                    .iter()
                    .find(|(l, f, _)| *l == line && *f == field)
                    .map(|(_, _, o)| *o);
            }
        }
    }
    // The document's own findings are the reader's: `also` sees them (a check does not repeat
    // a reader's finding).
    let at = report.findings.len();
    report.findings.extend(doc.findings.iter().cloned());
    let mut more = also(&report);
    let map = |s: Span| match doc.origin(s.line) {
        Some(o) => Span {
            line: o.line,
            column: None,
            page: o.page,
        },
        None => s,
    };
    // The document's findings keep their spans (they are the file's already).
    let own: Vec<Finding> = report.findings.split_off(at);
    report.map_spans(map);
    report.findings.extend(own);
    for f in &mut more {
        for s in &mut f.spans {
            *s = map(*s);
        }
    }
    Ok((report, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines spliced in take the origin of the place they stand for, keep their OCR
    /// provenance (on their new line numbers) and their findings; the document's own lines and
    /// provenance move down unchanged.
    #[test]
    fn splice_puts_lines_in_place_with_their_provenance() {
        let o = |n| OcrCell {
            page: n,
            bbox: [1, 2, 3, 4],
            confidence: 90,
        };
        let mut d = Document::new();
        d.paragraph("a", Origin::line(1));
        d.table_row_ocr(&["x", "1"], Origin::line(2), &[(1, o(9))]);
        d.paragraph("c", Origin::line(3));
        let mut img = Document::new();
        img.table_row_ocr(&["规章", "5"], Origin::page_line(1, 1), &[(1, o(1))]);
        img.table_row(&["规范性文件", "6"], Origin::page_line(1, 2));
        let out = d.splice(vec![(2, img, Origin::line(7))]);
        assert_eq!(out.lines(), ["a", "x\t1", "规章\t5", "规范性文件\t6", "c"]);
        assert_eq!(out.origin(3), Some(Origin::line(7)));
        assert_eq!(out.origin(4), Some(Origin::line(7)));
        assert_eq!(out.origin(5), Some(Origin::line(3)));
        assert_eq!(out.ocr, vec![(1, 1, o(9)), (2, 1, o(1))]);
    }

    #[test]
    fn grid_rows_read_with_origins() {
        let mut d = Document::new();
        d.paragraph(
            "某某局2024年政府信息公开工作年度报告",
            Origin::page_line(1, 1),
        );
        d.paragraph("二、主动公开政府信息情况", Origin::page_line(1, 3));
        d.table_row(
            &["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            Origin::page_line(2, 10),
        );
        d.table_row(&["规章", "1", "0", "5"], Origin::page_line(2, 11));
        d.table_row(&["行政规范性文件", "2", "", "7"], Origin::page_line(2, 12));
        d.blank(Origin::page_line(2, 13));
        let r = read_document(d, Some("x.pdf")).unwrap();
        let c = r.get("active.rules.in_force").unwrap();
        assert_eq!(
            c.value,
            xxgk_model::Value::Number(xxgk_model::Number::Int(5))
        );
        assert_eq!(c.span.page, Some(2));
        assert_eq!(c.span.line, 11);
        assert_eq!(c.span.column, None);
        let blank = r.get("active.normative_documents.repealed").unwrap();
        assert_eq!(blank.value, xxgk_model::Value::Blank);
        assert_eq!(r.meta.title.as_ref().map(|t| t.span.page), Some(Some(1)));
    }

    #[test]
    fn cells_with_breaks_stay_on_one_line() {
        let mut d = Document::new();
        d.table_row(&["行政\n许可", "3"], Origin::line(7));
        assert_eq!(d.lines(), &["行政 许可\t3".to_string()]);
    }

    #[test]
    fn empty_document_is_refused() {
        let mut d = Document::new();
        d.blank(Origin::line(1));
        assert!(matches!(read_document(d, None), Err(ReadError::Empty)));
    }
}
