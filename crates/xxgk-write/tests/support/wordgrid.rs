//! The tables of a .docx as merged rectangles over their grid, read straight from
//! `word/document.xml` (zip + quick-xml), independently of xxgk's DOCX reader: every `w:tc` of
//! a top-level `w:tbl` with its `w:gridSpan` and `w:vMerge`, a `w:vMerge` continuation extending
//! the cell above it.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

/// One table cell as the grid merges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rect {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
    /// The cell's text, paragraphs joined, whitespace removed.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

struct Tc {
    span: usize,
    vmerge: VMerge,
    text: String,
}

/// The top-level tables of the document, each as its rectangles in row order, and its row count.
pub fn tables(docx: &[u8]) -> Vec<(usize, Vec<Rect>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("utf-8");
    let mut reader = Reader::from_str(&xml);
    // Rows of cells of the table being read; tables finished.
    let mut depth = 0usize;
    let mut rows: Vec<(usize, Vec<Tc>)> = Vec::new();
    let mut out = Vec::new();
    let mut in_t = false;
    loop {
        let ev = reader.read_event().expect("well-formed XML");
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            if depth > 0 || e.local_name().as_ref() == "tbl" {
                let name = e.local_name().as_ref().to_string();
                let val = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "val")
                    .map(|a| a.value.to_string());
                match name.as_str() {
                    "tbl" if !empty => {
                        depth += 1;
                        if depth == 1 {
                            rows.clear();
                        }
                    }
                    "tr" if depth == 1 && !empty => rows.push((0, Vec::new())),
                    "gridBefore" if depth == 1 => {
                        if let Some(r) = rows.last_mut() {
                            r.0 = val.and_then(|v| v.parse().ok()).unwrap_or(0);
                        }
                    }
                    "tc" if depth == 1 => {
                        if let Some(r) = rows.last_mut() {
                            r.1.push(Tc {
                                span: 1,
                                vmerge: VMerge::None,
                                text: String::new(),
                            });
                        }
                    }
                    "gridSpan" if depth == 1 => {
                        if let Some(tc) = rows.last_mut().and_then(|r| r.1.last_mut()) {
                            tc.span = val.and_then(|v| v.parse().ok()).unwrap_or(1);
                        }
                    }
                    "vMerge" if depth == 1 => {
                        if let Some(tc) = rows.last_mut().and_then(|r| r.1.last_mut()) {
                            tc.vmerge = if val.as_deref() == Some("restart") {
                                VMerge::Restart
                            } else {
                                VMerge::Continue
                            };
                        }
                    }
                    "t" if !empty => in_t = true,
                    _ => {}
                }
            }
            continue;
        }
        match ev {
            Event::End(e) => match e.local_name().as_ref() {
                "tbl" if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        out.push(resolve(std::mem::take(&mut rows)));
                    }
                }
                "t" => in_t = false,
                _ => {}
            },
            Event::Text(t) if in_t && depth == 1 => {
                let s = t.xml10_content();
                if let Some(tc) = rows.last_mut().and_then(|r| r.1.last_mut()) {
                    tc.text.extend(s.chars().filter(|c| !c.is_whitespace()));
                }
            }
            Event::GeneralRef(r) if in_t && depth == 1 => {
                let s = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    quick_xml::escape::resolve_xml_entity(&r.xml10_content()).map(str::to_string)
                };
                if let (Some(s), Some(tc)) = (s, rows.last_mut().and_then(|r| r.1.last_mut())) {
                    tc.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn resolve(rows: Vec<(usize, Vec<Tc>)>) -> (usize, Vec<Rect>) {
    let n = rows.len();
    let mut rects: Vec<Rect> = Vec::new();
    for (r, (before, cells)) in rows.into_iter().enumerate() {
        let mut col = before;
        for tc in cells {
            if tc.vmerge == VMerge::Continue {
                // Extend the rectangle above that starts at this column and ends on the row
                // above.
                if let Some(above) = rects
                    .iter_mut()
                    .rev()
                    .find(|x| x.col == col && x.row + x.rows == r)
                {
                    above.rows += 1;
                    above.text.push_str(&tc.text);
                }
            } else {
                rects.push(Rect {
                    row: r,
                    col,
                    rows: 1,
                    cols: tc.span,
                    text: tc.text,
                });
            }
            col += tc.span;
        }
    }
    rects.sort_by_key(|x| (x.row, x.col));
    (n, rects)
}
