//! PDF with a text layer: positioned text → rows and columns.
//!
//! `lopdf` reads the file's objects (cross-reference tables and streams, object streams, Flate,
//! the standard security handler with an empty user password). The rest is here:
//! - [`content`] interprets each page's content streams into glyphs (character, x range,
//!   baseline, size) and axis-aligned rules (stroked lines and rectangle edges, thin fills);
//! - [`font`] and [`cmap`] turn codes into text and widths (ToUnicode maps, the predefined
//!   GB CMaps, simple encodings with Differences);
//! - [`layout`] finds ruled tables (the grid of their rules, merged cells where a rule is
//!   missing), puts each glyph into its cell, and prints every grid row with
//!   [`Document::table_row`]; text outside the tables becomes lines of paragraphs.
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.

mod cmap;
mod content;
mod font;
mod layout;

use std::io::Read as _;
use std::panic::{self, AssertUnwindSafe};

use lopdf::{Dictionary, Object, Stream};
use xxgk_model::{Finding, Report, Severity};

use crate::doc::{self, Document};
use crate::ReadError;

pub use content::{Glyph, PageContent, Seg};

/// Largest PDF file read.
pub const MAX_FILE: usize = 64 << 20;
/// Largest decompressed stream (content stream, CMap, object stream).
pub(crate) const MAX_STREAM: usize = 32 << 20;
/// Most pages read.
pub const MAX_PAGES: usize = 1000;
/// Most data decompressed from one file's streams all together (object streams, content
/// streams, forms, fonts, CMaps): a file of many streams each under [`MAX_STREAM`] stops here.
pub(crate) const MAX_INFLATED: usize = 128 << 20;
/// Largest decoded cross-reference stream (lopdf decodes them while loading, without a limit).
const MAX_XREF_STREAM: usize = 32 << 20;

thread_local! {
    /// Bytes decompressed so far for the file being read on this thread (see [`MAX_INFLATED`]).
    static INFLATED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// The file's decompression budget: [`MAX_INFLATED`], less for a small file (see
    /// [`Budget::for_file`]).
    static INFLATE_CAP: std::cell::Cell<usize> = const { std::cell::Cell::new(MAX_INFLATED) };
    /// What is left of the file's work budget (see [`Work`]), for the file read on this thread.
    static LEFT: std::cell::Cell<Budget> = const { std::cell::Cell::new(Budget::UNLIMITED) };
}

/// The kinds of work whose total over a whole file is bounded: a small file can make any of
/// them repeat (1,000 pages sharing one content stream, a form drawn 100,000 times, 1,000 fonts
/// sharing one ToUnicode map), so the per-page and per-stream limits alone do not bound it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Work {
    /// Bytes of content streams interpreted (a form's content again at each `Do`).
    Lexed,
    /// Operators interpreted.
    Ops,
    /// Glyphs kept (all the pages' glyphs are held until the layout).
    Glyphs,
    /// Path segments kept.
    Segs,
    /// Entries of the fonts' ToUnicode maps and width tables.
    FontEntries,
    /// Pairs of rules compared to find the pages' tables.
    RulePairs,
}

/// The file-wide limits of each [`Work`], or what is left of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    lexed: usize,
    ops: usize,
    glyphs: usize,
    segs: usize,
    font_entries: usize,
    rule_pairs: usize,
}

impl Budget {
    /// No file being read (a unit test of the interpreter alone).
    const UNLIMITED: Budget = Budget {
        lexed: usize::MAX,
        ops: usize::MAX,
        glyphs: usize::MAX,
        segs: usize::MAX,
        font_entries: usize::MAX,
        rule_pairs: usize::MAX,
    };

    /// The budget of a file of `len` bytes: proportional to its size (reading stays linear in
    /// the input: about 0.1 s per MB of file at most, in a release build, for each kind), between
    /// a floor that no real report comes near (its pages, tables and fonts fit many times over;
    /// the 412 KB report of Huai'an has about 0.15 MB of content streams and 3,000 characters)
    /// and a ceiling that keeps any file within 300 MB.
    pub(crate) fn for_file(len: usize) -> Budget {
        let scaled = |per_byte: usize, floor: usize, ceiling: usize| {
            len.saturating_mul(per_byte).clamp(floor, ceiling)
        };
        Budget {
            lexed: scaled(8, 4 << 20, 256 << 20),
            ops: scaled(2, 1_000_000, 32_000_000),
            glyphs: scaled(1, 200_000, 2_000_000),
            segs: scaled(1, 100_000, 1_000_000),
            font_entries: scaled(1, 100_000, 1_500_000),
            rule_pairs: scaled(64, 20_000_000, 1_000_000_000),
        }
    }

    /// The decompression budget of a file of `len` bytes (see [`MAX_INFLATED`]).
    fn inflate_cap(len: usize) -> usize {
        len.saturating_mul(16).clamp(16 << 20, MAX_INFLATED)
    }

    fn slot(&mut self, work: Work) -> &mut usize {
        match work {
            Work::Lexed => &mut self.lexed,
            Work::Ops => &mut self.ops,
            Work::Glyphs => &mut self.glyphs,
            Work::Segs => &mut self.segs,
            Work::FontEntries => &mut self.font_entries,
            Work::RulePairs => &mut self.rule_pairs,
        }
    }
}

/// What is left of the file's budget of `work`.
pub(crate) fn left(work: Work) -> usize {
    let mut b = LEFT.get();
    *b.slot(work)
}

/// Take `n` units of `work` from the file's budget: `false` (and nothing taken) when fewer
/// than `n` are left.
pub(crate) fn take(work: Work, n: usize) -> bool {
    let mut b = LEFT.get();
    let slot = b.slot(work);
    if *slot < n {
        return false;
    }
    *slot -= n;
    LEFT.set(b);
    true
}

/// What is left of the file's decompression budget.
fn inflate_budget() -> usize {
    INFLATE_CAP.get().saturating_sub(INFLATED.get())
}

fn spend(n: usize) {
    INFLATED.set(INFLATED.get().saturating_add(n));
}

/// Read a report from the bytes of a PDF file.
pub fn read(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    read_with(bytes, source, &mut |_| Vec::new()).map(|(report, _)| report)
}

/// [`read`], and the findings `also` makes of the report, with their pages
/// (see [`doc::read_document_with`]).
pub fn read_with(
    bytes: &[u8],
    source: Option<&str>,
    also: &mut dyn FnMut(&Report) -> Vec<Finding>,
) -> Result<(Report, Vec<Finding>), ReadError> {
    let (document, repaired) = extract_with(bytes)?;
    match doc::read_document_with(document, source, also) {
        // What is left of a damaged file is not recognisable: say the file is damaged.
        Err(ReadError::NotAReport | ReadError::Empty) if repaired => Err(ReadError::Damaged {
            kind: "PDF",
            reason: DAMAGED_XREF.to_string(),
        }),
        r => r,
    }
}

const DAMAGED_XREF: &str = "交叉引用表缺失或错误（文件可能不完整）";

/// The lines of a PDF: paragraphs and the grid rows of its tables.
pub fn extract(bytes: &[u8]) -> Result<Document, ReadError> {
    extract_with(bytes).map(|(d, _)| d)
}

/// [`extract`], and whether the file's cross-reference table had to be rebuilt.
fn extract_with(bytes: &[u8]) -> Result<(Document, bool), ReadError> {
    let pages = pages(bytes)?;
    let repaired = pages.iter().any(|p| p.repaired);
    let mut document = Document::new();
    let glyphs: usize = pages.iter().map(|p| p.glyphs.len()).sum();
    if pages.is_empty() {
        return Err(ReadError::Damaged {
            kind: "PDF",
            reason: "没有可读的页面".to_string(),
        });
    }
    if glyphs == 0 {
        let images: usize = pages.iter().map(|p| p.images).sum();
        return Err(if images > 0 {
            ReadError::ScannedPdf
        } else if pages.iter().any(|p| p.truncated) {
            // Nothing read because the content is beyond the limits: not an empty file.
            ReadError::PdfContentTooLarge {
                limit: MAX_STREAM >> 20,
            }
        } else if repaired {
            ReadError::Damaged {
                kind: "PDF",
                reason: DAMAGED_XREF.to_string(),
            }
        } else {
            ReadError::PdfNoText
        });
    }
    // The layout's share of the file's budget (its rule pairs), on this thread.
    LEFT.set(Budget::for_file(bytes.len()));
    let mut last_full = None;
    for (i, page) in pages.iter().enumerate() {
        let edges = layout::page(page, i as u32 + 1, &mut document);
        // A paragraph the page break cut: the last line of the page before is full, this
        // page's first line starts at the left edge.
        if let (Some(into), Some(from)) = (last_full, edges.first_continued) {
            document.continue_line(into, from);
        }
        last_full = edges.last_full;
    }
    let unmapped: usize = pages.iter().map(|p| p.unmapped).sum();
    if unmapped > 0 {
        document.finding(Finding::new(
            "READ-PDF-UNMAPPED",
            Severity::Warning,
            format!("PDF 中有 {unmapped} 个字符的字体没有给出对应文字（缺少 ToUnicode），这些字符未读出"),
        ));
    }
    let image_pages: Vec<String> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.glyphs.is_empty() && p.images > 0)
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !image_pages.is_empty() {
        document.finding(Finding::new(
            "READ-PDF-IMAGE-PAGE",
            Severity::Warning,
            format!(
                "第 {} 页是图片（扫描件），没有文字层，其内容未读出",
                image_pages.join("、")
            ),
        ));
    }
    if pages.iter().any(|p| p.repaired) {
        document.finding(Finding::new(
            "READ-PDF-REPAIRED",
            Severity::Warning,
            "PDF 文件已损坏（交叉引用表缺失或错误，文件可能不完整），已按文件中的对象重建后读取，内容可能不全",
        ));
    }
    let not_read: usize = pages.iter().map(|p| p.pages_not_read).sum();
    if not_read > 0 {
        document.finding(Finding::new(
            "READ-PDF-LIMIT",
            Severity::Warning,
            format!(
                "PDF 共 {} 页，超出读取上限（{MAX_PAGES} 页），第 {} 页起的 {not_read} 页未读出",
                MAX_PAGES + not_read,
                MAX_PAGES + 1
            ),
        ));
    }
    if pages.iter().any(|p| p.truncated) {
        document.finding(Finding::new(
            "READ-PDF-LIMIT",
            Severity::Warning,
            "PDF 页面内容过多，超出读取上限的部分未读出",
        ));
    }
    Ok((document, repaired))
}

/// Deepest nesting of arrays and dictionaries accepted (lopdf's parser recurses on them).
const MAX_NESTING: usize = 1024;
/// Stack of the thread that parses a file: room for [`MAX_NESTING`] levels of lopdf's
/// recursive parser (about 16 KB a level in a debug build, 3 KB in a release build).
const PARSE_STACK: usize = 64 << 20;

/// The glyphs and rules of every page.
pub fn pages(bytes: &[u8]) -> Result<Vec<PageContent>, ReadError> {
    if bytes.len() > MAX_FILE {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE,
        });
    }
    if !nesting_ok(bytes) {
        return Err(ReadError::Damaged {
            kind: "PDF",
            reason: "对象嵌套过深".to_string(),
        });
    }
    // Parse, interpret and drop the objects on a thread with a known, large stack: lopdf's
    // parser and the objects' drop recurse on nested arrays and dictionaries.
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("xxgk-pdf".to_string())
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || parse_pages(bytes))
        {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(ReadError::Damaged {
                    kind: "PDF",
                    reason: "文件结构无法解析".to_string(),
                })
            }),
            // No thread to be had: parse here (the nesting is bounded all the same).
            Err(_) => parse_pages(bytes),
        }
    })
}

/// Whether no run of nested arrays or dictionaries is deeper than [`MAX_NESTING`], wherever the
/// parser might start (an offset of the cross-reference table may point anywhere, so literal
/// strings and comments are not skipped). A byte that cannot be part of PDF syntax outside a
/// string (binary stream data) ends any run, so compressed data never looks deep.
fn nesting_ok(b: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'[' => depth += 1,
            b'<' if b.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b'<' => {
                // A hex string: hex digits and whitespace up to '>'.
                i += 1;
                while i < b.len() && (b[i].is_ascii_hexdigit() || b[i].is_ascii_whitespace()) {
                    i += 1;
                }
                if b.get(i) != Some(&b'>') {
                    depth = 0;
                    continue;
                }
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' => {
                depth = depth.saturating_sub(1);
                if b.get(i + 1) == Some(&b'>') {
                    i += 1;
                }
            }
            0x80..=0xFF => depth = 0,
            _ if c.is_ascii_control() && !c.is_ascii_whitespace() && c != 0 => depth = 0,
            _ => {}
        }
        if depth > MAX_NESTING {
            return false;
        }
        i += 1;
    }
    true
}

fn parse_pages(bytes: &[u8]) -> Result<Vec<PageContent>, ReadError> {
    INFLATED.set(0);
    INFLATE_CAP.set(Budget::inflate_cap(bytes.len()));
    LEFT.set(Budget::for_file(bytes.len()));
    let count = objects_bound(bytes);
    let limit = max_objects(bytes.len());
    if count > limit {
        return Err(ReadError::PdfTooManyObjects { count, limit });
    }
    let count = direct_objects(bytes);
    if count > MAX_DIRECT_OBJECTS {
        return Err(ReadError::PdfTooManyObjects {
            count,
            limit: MAX_DIRECT_OBJECTS,
        });
    }
    // A cross-reference stream that decodes beyond the limit is not given to lopdf: the table
    // is rebuilt from the objects instead, as for a damaged file.
    let loaded = if xref_stream_bomb(bytes) {
        Err(ReadError::Damaged {
            kind: "PDF",
            reason: DAMAGED_XREF.to_string(),
        })
    } else {
        load(bytes)
    };
    let (doc, repaired) = match loaded {
        Ok(doc) if !doc.get_pages().is_empty() => (doc, false),
        Ok(doc) => match repair(bytes).map(|b| load(&b)) {
            Some(Ok(fixed)) if !fixed.get_pages().is_empty() => (fixed, true),
            _ => (doc, false),
        },
        Err(ReadError::Damaged { reason, .. }) => match repair(bytes).map(|b| load(&b)) {
            Some(Ok(fixed)) if !fixed.get_pages().is_empty() => (fixed, true),
            _ => {
                return Err(ReadError::Damaged {
                    kind: "PDF",
                    reason,
                })
            }
        },
        Err(e) => return Err(e),
    };
    // lopdf decrypts with the empty user password when it can; what stays encrypted needs one.
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(ReadError::Encrypted { kind: "PDF" });
    }
    let result = panic::catch_unwind(AssertUnwindSafe(|| interpret(&doc)));
    let mut pages = result.map_err(|_| ReadError::Damaged {
        kind: "PDF",
        reason: "页面内容无法解析".to_string(),
    })?;
    if repaired {
        if let Some(first) = pages.first_mut() {
            first.repaired = true;
        }
    }
    Ok(pages)
}

/// Most objects lopdf is given to parse in a file of `len` bytes. Its parser costs each object
/// it loads the object's offset (it counts the lines before it: 50,000 objects in 1 MB took
/// 2.6 s, quadratic), about `objects × len / 2` bytes scanned at some 10 GB/s: at most 10,000
/// objects (half a second for a 1 MB file, far more than a report's few hundred to few
/// thousand), more in a file small enough that they cost no more.
fn max_objects(len: usize) -> usize {
    const SCANNED: usize = 10_000_000_000;
    (SCANNED / len.max(1)).max(10_000)
}

/// Most direct objects (numbers, names, strings, references, arrays, dictionaries) outside
/// streams: lopdf holds each in some 250–400 bytes (an array of 400,000 names and references in
/// 2.6 MB took 156 MB), so 600,000 keep a file within the 300 MB budget. A report's PDF has a
/// few tens of thousands (its fonts' width arrays the largest part).
const MAX_DIRECT_OBJECTS: usize = 600_000;

/// About how many direct objects lopdf would make of the file: the tokens outside stream data
/// (a literal string counted as one, comments and bytes beyond ASCII skipped). Linear.
fn direct_objects(b: &[u8]) -> usize {
    let mut n = 0usize;
    let mut i = 0;
    let mut in_token = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b's' if b[i..].starts_with(b"stream")
                && matches!(b.get(i + 6), Some(b'\r' | b'\n'))
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) =>
            {
                // Stream data, up to "endstream" (or the end).
                n += 1;
                let from = i + 6;
                i = b[from..]
                    .windows(9)
                    .position(|w| w == b"endstream")
                    .map_or(b.len(), |k| from + k + 9);
                in_token = false;
                continue;
            }
            b'%' => {
                while i < b.len() && !matches!(b[i], b'\r' | b'\n') {
                    i += 1;
                }
                in_token = false;
                continue;
            }
            b'(' => {
                // A literal string (balanced parentheses, escapes skipped): one object.
                n += 1;
                let mut depth = 0usize;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                in_token = false;
            }
            b'[' | b']' | b'<' | b'>' | b'{' | b'}' | b'/' => {
                n += 1;
                in_token = c == b'/';
            }
            _ if c.is_ascii_whitespace() || c >= 0x80 || c.is_ascii_control() => in_token = false,
            _ => {
                if !in_token {
                    n += 1;
                }
                in_token = true;
            }
        }
        i += 1;
    }
    n
}

/// An upper bound of the objects lopdf would parse from the file: the most of the `N G obj`
/// headers, the entries of classic cross-reference tables (an entry may point anywhere, many
/// at the same object), and the in-use entries of cross-reference streams (see
/// [`xref_stream_entries`]). Linear in the file.
fn objects_bound(b: &[u8]) -> usize {
    let mut headers = 0usize;
    let mut entries = 0usize;
    for i in 1..b.len().saturating_sub(3) {
        match b[i] {
            // "… obj" not followed by a letter or digit ("endobj" has a letter before).
            b'o' if b[i - 1].is_ascii_whitespace()
                && &b[i..i + 3] == b"obj"
                && !b.get(i + 3).is_some_and(u8::is_ascii_alphanumeric) =>
            {
                headers += 1
            }
            // "nnnnnnnnnn ggggg n": an in-use entry of a table.
            b'n' if i >= 17
                && b[i - 1] == b' '
                && b[i - 7] == b' '
                && b[i - 17..i - 7].iter().all(u8::is_ascii_digit)
                && b[i - 6..i - 1].iter().all(u8::is_ascii_digit) =>
            {
                entries += 1
            }
            _ => {}
        }
    }
    headers.max(entries).max(xref_stream_entries(b))
}

/// The in-use entries (type 1) of the file's Flate cross-reference streams, counted while
/// decoding them into a sink (at most [`MAX_XREF_STREAM`] bytes each).
fn xref_stream_entries(bytes: &[u8]) -> usize {
    struct Count {
        widths: [usize; 3],
        at: usize,
        kind: u64,
        in_use: usize,
    }
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let row: usize = self.widths.iter().sum();
            for &x in buf {
                if self.at < self.widths[0] {
                    self.kind = self.kind << 8 | u64::from(x);
                }
                self.at += 1;
                if self.at == row {
                    // A missing type field means type 1.
                    if self.widths[0] == 0 || self.kind == 1 {
                        self.in_use += 1;
                    }
                    self.at = 0;
                    self.kind = 0;
                }
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut total = 0usize;
    let mut i = 0;
    while let Some(k) = find(&bytes[i..], b"/XRef") {
        let at = i + k + 5;
        i = at;
        if bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        // The dictionary around the name: from the "<<" before it to "stream".
        let from = at.saturating_sub(4096);
        let window = &bytes[from..bytes.len().min(at + 4096)];
        let Some(s) = find(&window[at - from..], b"stream").map(|s| s + at - from) else {
            continue;
        };
        let dict = &window[..s];
        let Some(open) = dict.windows(2).rposition(|w| w == b"<<") else {
            continue;
        };
        let dict = &dict[open..];
        let Some(w) = find(dict, b"/W").map(|p| &dict[p + 2..]) else {
            continue;
        };
        let nums: Vec<usize> = w
            .iter()
            .skip_while(|c| c.is_ascii_whitespace() || **c == b'[')
            .take_while(|c| **c != b']')
            .copied()
            .collect::<Vec<u8>>()
            .split(u8::is_ascii_whitespace)
            .filter_map(|t| std::str::from_utf8(t).ok()?.parse().ok())
            .collect();
        let Ok(widths) = <[usize; 3]>::try_from(nums.as_slice()) else {
            continue;
        };
        if widths.iter().sum::<usize>() == 0 || widths.iter().any(|w| *w > 8) {
            continue;
        }
        if find(dict, b"FlateDecode").is_none() {
            continue;
        }
        let mut start = from + s + 6;
        for eol in [b'\r', b'\n'] {
            if bytes.get(start) == Some(&eol) {
                start += 1;
            }
        }
        let data = &bytes[start.min(bytes.len())..];
        let mut dec = flate2::read::ZlibDecoder::new(data).take(MAX_XREF_STREAM as u64);
        let mut count = Count {
            widths,
            at: 0,
            kind: 0,
            in_use: 0,
        };
        let _ = std::io::copy(&mut dec, &mut count);
        total = total.saturating_add(count.in_use);
    }
    total
}

/// Whether a Flate cross-reference stream of the file decodes beyond [`MAX_XREF_STREAM`], or all
/// of them together beyond [`MAX_INFLATED`], or one is LZW-coded (unbounded in lopdf). One
/// pass over the file; each stream is decoded into a sink, never kept.
fn xref_stream_bomb(bytes: &[u8]) -> bool {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut total = 0u64;
    let mut i = 0;
    while let Some(k) = find(&bytes[i..], b"/XRef") {
        let at = i + k + 5;
        i = at;
        if bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
            continue; // "/XRefStm"
        }
        let window = &bytes[at..bytes.len().min(at + 4096)];
        let Some(s) = find(window, b"stream") else {
            continue;
        };
        let dict = &window[..s];
        if find(dict, b"LZWDecode").is_some() {
            return true;
        }
        if find(dict, b"FlateDecode").is_none() {
            continue;
        }
        let mut start = at + s + 6;
        for eol in [b'\r', b'\n'] {
            if bytes.get(start) == Some(&eol) {
                start += 1;
            }
        }
        let data = &bytes[start.min(bytes.len())..];
        let mut dec = flate2::read::ZlibDecoder::new(data).take(MAX_XREF_STREAM as u64 + 1);
        let n = std::io::copy(&mut dec, &mut std::io::sink()).unwrap_or(0);
        total += n;
        if n > MAX_XREF_STREAM as u64 || total > MAX_INFLATED as u64 {
            return true;
        }
    }
    false
}

/// Largest object number accepted when rebuilding a cross-reference table.
const MAX_OBJECT_NUMBER: u64 = 4_000_000;

/// A damaged file (cross-reference table missing or wrong, file cut short) with a new
/// cross-reference table appended, built from the `N G obj` headers found in the file; the
/// catalog is found among the objects after loading. `None` when no object is found or the
/// file is encrypted (its trailer's keys would be lost).
fn repair(bytes: &[u8]) -> Option<Vec<u8>> {
    let start = bytes.windows(5).position(|w| w == b"%PDF-")?;
    let body = &bytes[start..];
    if body.windows(8).any(|w| w == b"/Encrypt") {
        return None;
    }
    let mut found: std::collections::BTreeMap<u64, (usize, u64)> = Default::default();
    let mut i = 0;
    while let Some(k) = body[i..].windows(3).position(|w| w == b"obj") {
        let at = i + k;
        i = at + 3;
        if body.get(at + 3).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        // Backwards: whitespace, generation digits, whitespace, number digits, line start.
        let mut j = at;
        let ws = |j: &mut usize| {
            let e = *j;
            while *j > 0 && body[*j - 1].is_ascii_whitespace() {
                *j -= 1;
            }
            *j < e
        };
        let digits = |j: &mut usize| -> Option<u64> {
            let e = *j;
            while *j > 0 && body[*j - 1].is_ascii_digit() && e - *j < 10 {
                *j -= 1;
            }
            std::str::from_utf8(&body[*j..e]).ok()?.parse().ok()
        };
        if !ws(&mut j) {
            continue;
        }
        let Some(gen) = digits(&mut j) else { continue };
        if !ws(&mut j) {
            continue;
        }
        let Some(num) = digits(&mut j) else { continue };
        if j > 0 && !body[j - 1].is_ascii_whitespace() {
            continue;
        }
        if num == 0 || num > MAX_OBJECT_NUMBER || gen > 65535 {
            continue;
        }
        // Later definitions (incremental updates) replace earlier ones.
        found.insert(num, (j, gen));
    }
    let max = *found.keys().next_back()?;
    let mut out = body.to_vec();
    out.extend_from_slice(b"\n");
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f\r\n");
    for (num, (offset, gen)) in &found {
        out.extend_from_slice(format!("{num} 1\n{offset:010} {gen:05} n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} >>\nstartxref\n{xref_at}\n%%EOF\n",
            max + 1
        )
        .as_bytes(),
    );
    Some(out)
}

fn load(bytes: &[u8]) -> Result<lopdf::Document, ReadError> {
    // lopdf panics on some damaged files (for example an unreadable object stream of an
    // encrypted file): such a panic is a damaged file, not a crash.
    let loaded = panic::catch_unwind(AssertUnwindSafe(|| {
        lopdf::Reader {
            buffer: bytes,
            document: lopdf::Document::new(),
        }
        .read(Some(bound_object_streams))
    }));
    match loaded {
        Ok(Ok(mut doc)) => {
            if doc.catalog().is_err() {
                // A rebuilt table has no trailer keys: find the catalog among the objects.
                let root = doc.objects.iter().find_map(|(id, o)| {
                    o.as_dict()
                        .ok()
                        .filter(|d| d.has_type(b"Catalog"))
                        .map(|_| *id)
                });
                if let Some(root) = root {
                    doc.trailer.set("Root", Object::Reference(root));
                }
            }
            Ok(doc)
        }
        Ok(Err(lopdf::Error::Decryption(_))) => Err(ReadError::Encrypted { kind: "PDF" }),
        Ok(Err(e)) => Err(ReadError::Damaged {
            kind: "PDF",
            reason: damage_reason(&e),
        }),
        Err(_) => Err(ReadError::Damaged {
            kind: "PDF",
            reason: "文件结构无法解析".to_string(),
        }),
    }
}

fn damage_reason(e: &lopdf::Error) -> String {
    match e {
        lopdf::Error::Xref(_)
        | lopdf::Error::MissingXrefEntry
        | lopdf::Error::IO(_)
        | lopdf::Error::InvalidOffset(_) => "交叉引用表缺失或错误（文件可能不完整）".to_string(),
        lopdf::Error::Parse(_) => "文件头或文件结构无法解析".to_string(),
        _ => "文件结构无法解析".to_string(),
    }
}

/// lopdf decompresses and parses object streams while loading, without limits: decompress
/// them first, bounded; an object stream beyond [`MAX_STREAM`] or nested too deep is dropped.
/// (In an encrypted file they are still encrypted here, and left to lopdf.)
fn bound_object_streams(
    id: lopdf::ObjectId,
    object: &mut Object,
) -> Option<(lopdf::ObjectId, Object)> {
    if let Object::Stream(s) = object {
        if s.dict.has_type(b"ObjStm") && s.dict.get(b"Filter").is_ok() {
            // Decoded only when it decodes cleanly (an encrypted one does not: left to lopdf).
            let decoded = match s.filters() {
                Ok(f) if f == [b"FlateDecode"] && s.dict.get(b"DecodeParms").is_err() => {
                    let cap = MAX_STREAM.min(inflate_budget());
                    let mut out = Vec::new();
                    let mut dec =
                        flate2::read::ZlibDecoder::new(s.content.as_slice()).take(cap as u64 + 1);
                    let read = dec.read_to_end(&mut out).ok().map(|_| out);
                    match read {
                        // What was decoded is spent, kept or not: 100 object streams of 30 MB
                        // each decoded up to the budget left and dropped took 3.9 s.
                        Some(out) if out.len() > cap => {
                            spend(out.len());
                            return None;
                        }
                        Some(out) => {
                            spend(out.len());
                            Some(out)
                        }
                        None => None,
                    }
                }
                _ => stream_data(s, MAX_STREAM),
            };
            if let Some(data) = decoded {
                if data.len() > MAX_STREAM || !nesting_ok(&data) {
                    return None;
                }
                s.dict.remove(b"Filter");
                s.dict.remove(b"DecodeParms");
                s.set_content(data);
            }
        }
    }
    Some((id, object.clone()))
}

/// Flate-decode at most `cap` bytes; `None` beyond. A stream damaged near its end keeps what
/// was decoded before the damage. What is decoded is spent from the file's budget, kept or
/// not (1,000 pages sharing a bomb decoded it up to the cap once per page).
fn inflate(data: &[u8], cap: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(cap));
    let mut dec = flate2::read::ZlibDecoder::new(data).take(cap as u64 + 1);
    if dec.read_to_end(&mut out).is_err() && out.is_empty() {
        // Some writers omit the zlib header: try raw deflate.
        let mut raw = flate2::read::DeflateDecoder::new(data).take(cap as u64 + 1);
        out.clear();
        let _ = raw.read_to_end(&mut out);
    }
    spend(out.len());
    (out.len() <= cap).then_some(out)
}

/// Why [`stream_data_checked`] gave no data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Beyond the cap (or the file's decompression budget): not damaged, too large.
    TooLarge,
    /// The data cannot be decoded.
    Damaged,
}

/// The decoded data of a stream, at most `cap` bytes.
pub(crate) fn stream_data(s: &Stream, cap: usize) -> Option<Vec<u8>> {
    stream_data_checked(s, cap).ok()
}

/// Most bytes one input byte of a filter lopdf decodes can become: Flate ~1,032, LZW (12-bit
/// codes for strings up to 4,096 bytes) ~2,731, ASCII85 ("z" for four zeros) 4.
fn expansion(filter: &[u8]) -> Option<u64> {
    match filter {
        b"FlateDecode" => Some(1100),
        b"LZWDecode" => Some(3000),
        b"ASCII85Decode" => Some(4),
        _ => None,
    }
}

/// The decoded data of a stream, at most `cap` bytes and within the file's decompression
/// budget ([`MAX_INFLATED`]), which it spends. Every path is bounded: a plain Flate chain is
/// inflated here through a limit; any other chain is given to lopdf only when what it can
/// produce (the first Flate stage measured, the others at their largest expansion) is within
/// the cap.
pub(crate) fn stream_data_checked(s: &Stream, cap: usize) -> Result<Vec<u8>, Refused> {
    let cap = cap.min(inflate_budget());
    // Data stored without a filter is spent from the budget too: a stream read again and
    // again (a form drawn at each `Do`, a map shared by many fonts) costs each time.
    let plain = |c: &Vec<u8>| {
        if c.len() <= cap {
            spend(c.len());
            Ok(c.clone())
        } else {
            Err(Refused::TooLarge)
        }
    };
    let filters = match s.filters() {
        Err(_) => return plain(&s.content),
        Ok(f) if f.is_empty() => return plain(&s.content),
        Ok(f) => f,
    };
    let params = s.dict.get(b"DecodeParms").is_ok();
    // The leading stages decoded here, each bounded: Flate without parameters (through a
    // limit), ASCIIHex (half its input) and RunLength (bounded while it is expanded; lopdf
    // decodes neither of the last two).
    let mut data = std::borrow::Cow::Borrowed(s.content.as_slice());
    let mut done = 0;
    for f in &filters {
        data = match *f {
            b"FlateDecode" if !params => inflate(&data, cap).ok_or(Refused::TooLarge)?.into(),
            b"ASCIIHexDecode" => {
                let d = ascii_hex(&data).ok_or(Refused::Damaged)?;
                spend(d.len());
                d.into()
            }
            b"RunLengthDecode" => {
                let d = run_length(&data, cap)?;
                spend(d.len());
                d.into()
            }
            _ => break,
        };
        done += 1;
    }
    if done == filters.len() {
        return Ok(data.into_owned());
    }
    // The rest of the chain is lopdf's, given the data only when what it can produce (the first
    // Flate stage measured, the others at their largest expansion) is within the cap.
    let rest = &filters[done..];
    let mut bound = data.len() as u64;
    for (i, f) in rest.iter().enumerate() {
        if i == 0 && *f == b"FlateDecode" {
            bound = inflate(&data, cap).ok_or(Refused::TooLarge)?.len() as u64;
        } else {
            bound = bound.saturating_mul(expansion(f).ok_or(Refused::Damaged)?);
        }
    }
    if bound > cap as u64 {
        return Err(Refused::TooLarge);
    }
    let d = if done == 0 {
        s.decompressed_content()
    } else {
        let mut dict = s.dict.clone();
        dict.set(
            "Filter",
            Object::Array(rest.iter().map(|f| Object::Name(f.to_vec())).collect()),
        );
        Stream::new(dict, data.into_owned()).decompressed_content()
    }
    .map_err(|_| Refused::Damaged)?;
    spend(d.len());
    if d.len() > cap {
        return Err(Refused::TooLarge);
    }
    Ok(d)
}

/// ASCIIHexDecode: pairs of hexadecimal digits, white space ignored, '>' ends the data; a last
/// lone digit is followed by 0 (ISO 32000-1, 7.4.2). `None` for any other byte.
fn ascii_hex(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high: Option<u8> = None;
    for &b in data {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            b'>' => break,
            b' ' | b'\t' | b'\r' | b'\n' | 0x0C | 0 => continue,
            _ => return None,
        };
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    Some(out)
}

/// RunLengthDecode (ISO 32000-1, 7.4.5): a length byte n, then n + 1 bytes to copy (n < 128) or
/// one byte to repeat 257 − n times (n > 128); 128 ends the data. At most `cap` bytes: one
/// input byte can become 64, so the cap is kept while expanding.
fn run_length(data: &[u8], cap: usize) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::with_capacity(data.len().min(cap));
    let mut i = 0;
    while let Some(&n) = data.get(i) {
        i = match n {
            128 => break,
            0..=127 => {
                let len = usize::from(n) + 1;
                let run = data.get(i + 1..i + 1 + len).ok_or(Refused::Damaged)?;
                if out.len() + len > cap {
                    return Err(Refused::TooLarge);
                }
                out.extend_from_slice(run);
                i + 1 + len
            }
            _ => {
                let len = 257 - usize::from(n);
                let &b = data.get(i + 1).ok_or(Refused::Damaged)?;
                if out.len() + len > cap {
                    return Err(Refused::TooLarge);
                }
                out.resize(out.len() + len, b);
                i + 2
            }
        };
    }
    Ok(out)
}

/// Follow references (a bounded number of times).
pub(crate) fn resolve<'a>(doc: &'a lopdf::Document, mut o: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match o {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(next) => o = next,
                None => return &Object::Null,
            },
            _ => return o,
        }
    }
    &Object::Null
}

pub(crate) fn number(doc: &lopdf::Document, o: &Object) -> Option<f32> {
    match resolve(doc, o) {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r).filter(|v| v.is_finite()),
        _ => None,
    }
}

pub(crate) fn name_of<'a>(doc: &'a lopdf::Document, o: &'a Object) -> Option<&'a [u8]> {
    match resolve(doc, o) {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

/// A page attribute, inherited from the page tree when the page does not have it.
fn inherited<'a>(doc: &'a lopdf::Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return Some(resolve(doc, v));
        }
        node = node
            .get(b"Parent")
            .ok()
            .and_then(|p| resolve(doc, p).as_dict().ok())?;
    }
    None
}

fn interpret(doc: &lopdf::Document) -> Vec<PageContent> {
    let mut fonts = content::FontCache::new();
    let mut out: Vec<PageContent> = Vec::new();
    let all = doc.get_pages();
    let not_read = all.len().saturating_sub(MAX_PAGES);
    for (_, id) in all.into_iter().take(MAX_PAGES) {
        let Ok(page) = doc.get_dictionary(id) else {
            continue;
        };
        let bx = |key: &[u8]| -> Option<[f32; 4]> {
            let a = inherited(doc, page, key)?.as_array().ok()?;
            let v: Vec<f32> = a.iter().filter_map(|o| number(doc, o)).collect();
            let [x0, y0, x1, y1] = <[f32; 4]>::try_from(v.as_slice()).ok()?;
            Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)])
        };
        let media = bx(b"CropBox")
            .or_else(|| bx(b"MediaBox"))
            .unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let rotate = inherited(doc, page, b"Rotate")
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0);
        let resources = inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok());
        let mut data = Vec::new();
        // Nothing more can be interpreted in this file: the page's streams are not decoded.
        let spent = left(Work::Lexed) == 0;
        let mut too_large = spent;
        for cid in doc.get_page_contents(id).into_iter().filter(|_| !spent) {
            if let Some(s) = doc.objects.get(&cid).and_then(|o| o.as_stream().ok()) {
                match stream_data_checked(s, MAX_STREAM.saturating_sub(data.len())) {
                    Ok(d) => {
                        data.extend_from_slice(&d);
                        data.push(b'\n');
                    }
                    // Beyond the limit, not damaged: the page is cut short, and says so.
                    Err(Refused::TooLarge) => too_large = true,
                    Err(Refused::Damaged) => {}
                }
            }
        }
        let mut it = content::Interpreter::new(doc, &mut fonts, media, rotate);
        it.run(&data, resources, 0);
        let mut page = it.finish();
        page.truncated |= too_large;
        out.push(page);
    }
    if let Some(first) = out.first_mut() {
        first.pages_not_read = not_read;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Object, Stream};

    /// Every path of stream decoding is bounded: the file's budget is spent and enforced, and a
    /// chain lopdf would decode is refused from its largest possible output before it decodes.
    #[test]
    fn decompression_is_bounded_per_stream_and_per_file() {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&[b' '; 1000]).expect("compress");
        let flate = Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            z.finish().expect("z"),
        );
        INFLATED.set(0);
        assert_eq!(
            stream_data_checked(&flate, MAX_STREAM).map(|d| d.len()),
            Ok(1000)
        );
        assert_eq!(INFLATED.get(), 1000);
        assert_eq!(stream_data_checked(&flate, 999), Err(Refused::TooLarge));
        // What was decoded to find it too large is spent too (1,000 pages sharing a bomb).
        assert_eq!(INFLATED.get(), 2000);
        // The file's budget nearly spent: refused, whatever the stream's own cap.
        INFLATED.set(MAX_INFLATED - 10);
        assert_eq!(
            stream_data_checked(&flate, MAX_STREAM),
            Err(Refused::TooLarge)
        );
        // LZW (unbounded in lopdf): 20 KB could become 60 MB, beyond the cap: not decoded.
        INFLATED.set(0);
        let lzw = Stream::new(dictionary! { "Filter" => "LZWDecode" }, vec![0x80; 20_000]);
        assert_eq!(
            stream_data_checked(&lzw, MAX_STREAM),
            Err(Refused::TooLarge)
        );
        assert_eq!(INFLATED.get(), 0);
        // An unknown filter is damage, not size.
        let odd = Stream::new(dictionary! { "Filter" => "NoSuchDecode" }, vec![1; 10]);
        assert_eq!(stream_data_checked(&odd, MAX_STREAM), Err(Refused::Damaged));
        INFLATED.set(0);
    }

    #[test]
    fn ascii_hex_and_run_length_decode_as_the_standard_says() {
        assert_eq!(
            ascii_hex(b"48 65 6C\n6c6F>ignored"),
            Some(b"Hello".to_vec())
        );
        // A last lone digit is followed by 0.
        assert_eq!(ascii_hex(b"4>"), Some(vec![0x40]));
        assert_eq!(ascii_hex(b""), Some(vec![]));
        assert_eq!(ascii_hex(b"4G"), None);
        // 2: copy three bytes; 254: repeat the next byte 3 times; 128: the end.
        assert_eq!(
            run_length(&[2, b'a', b'b', b'c', 254, b'x', 128, 9], 100),
            Ok(b"abcxxx".to_vec())
        );
        assert_eq!(run_length(&[129, b'z'], 200), Ok(vec![b'z'; 128]));
        assert_eq!(run_length(&[129, b'z'], 127), Err(Refused::TooLarge));
        assert_eq!(run_length(&[5, b'a'], 100), Err(Refused::Damaged));
        assert_eq!(run_length(&[200], 100), Err(Refused::Damaged));
    }

    /// Streams coded with ASCIIHex or RunLength, alone or before Flate (with and without
    /// parameters, the rest of the chain then lopdf's), decode to their data; a bomb of
    /// RunLength is refused at the cap.
    #[test]
    fn chains_with_ascii_hex_and_run_length_decode() {
        use std::io::Write as _;
        let text = b"BT /F1 12 Tf 72 800 Td (Report 2024) Tj ET".to_vec();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&text).expect("compress");
        let zipped = z.finish().expect("z");
        let hex = |d: &[u8]| -> Vec<u8> {
            let mut h: Vec<u8> = d
                .iter()
                .flat_map(|b| format!("{b:02X} ").into_bytes())
                .collect();
            h.push(b'>');
            h
        };
        let name = |n: &str| Object::Name(n.as_bytes().to_vec());
        INFLATED.set(0);
        for (filters, content, params) in [
            (vec!["ASCIIHexDecode"], hex(&text), false),
            (vec!["ASCIIHexDecode", "FlateDecode"], hex(&zipped), false),
            (vec!["ASCIIHexDecode", "FlateDecode"], hex(&zipped), true),
            (
                vec!["RunLengthDecode"],
                {
                    let mut r = vec![(text.len() - 1) as u8];
                    r.extend_from_slice(&text);
                    r.push(128);
                    r
                },
                false,
            ),
        ] {
            let mut dict = dictionary! {
                "Filter" => Object::Array(filters.iter().map(|f| name(f)).collect()),
            };
            if params {
                dict.set("DecodeParms", dictionary! { "Predictor" => 1 });
            }
            let stream = Stream::new(dict, content);
            assert_eq!(
                stream_data_checked(&stream, MAX_STREAM),
                Ok(text.clone()),
                "{filters:?} params {params}"
            );
        }
        let bomb = Stream::new(
            dictionary! { "Filter" => "RunLengthDecode" },
            [129u8, 0].repeat(10_000),
        );
        assert_eq!(stream_data_checked(&bomb, 1 << 20), Err(Refused::TooLarge));
        INFLATED.set(0);
    }

    /// A page whose content stream is ASCIIHex over Flate reads as the same page stored plainly
    /// (before, such a page read as nothing).
    #[test]
    fn a_page_coded_in_ascii_hex_reads() {
        use std::io::Write as _;
        let content = b"BT /F1 12 Tf 72 800 Td (Report 2024) Tj ET";
        let mut doc = make_doc(content, false);
        let mut coded = 0;
        for (_, o) in doc.objects.iter_mut() {
            if let Object::Stream(st) = o {
                if st.content == content {
                    let mut z =
                        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
                    z.write_all(content).expect("compress");
                    let hexed: Vec<u8> = z
                        .finish()
                        .expect("z")
                        .iter()
                        .flat_map(|b| format!("{b:02x}").into_bytes())
                        .chain(*b">")
                        .collect();
                    st.dict.set(
                        "Filter",
                        vec![
                            Object::Name(b"ASCIIHexDecode".to_vec()),
                            Object::Name(b"FlateDecode".to_vec()),
                        ],
                    );
                    st.set_content(hexed);
                    coded += 1;
                }
            }
        }
        assert_eq!(coded, 1);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("a PDF is written");
        let doc = extract(&bytes).expect("text is read");
        assert_eq!(doc.lines()[0], "Report 2024");
    }

    /// A cross-reference stream inflating beyond its limit is found before lopdf sees it.
    #[test]
    fn xref_stream_bombs_are_found_before_loading() {
        let mut zeros = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut zeros, &vec![0u8; MAX_XREF_STREAM + 1]).expect("z");
        let bomb = zeros.finish().expect("z");
        let file = |data: &[u8], ty: &str| {
            [
                format!("%PDF-1.5\n1 0 obj\n<< /Type /{ty} /Filter /FlateDecode >>\nstream\r\n")
                    .as_bytes(),
                data,
                b"\nendstream\nendobj\n",
            ]
            .concat()
        };
        assert!(xref_stream_bomb(&file(&bomb, "XRef")));
        // The same data in another stream is not a cross-reference stream.
        assert!(!xref_stream_bomb(&file(&bomb, "ObjStm")));
        assert!(!xref_stream_bomb(&file(&bomb[..100], "XRef")));
    }

    /// A one-page PDF with `content`, font F1 (Helvetica, WinAnsi) and image Im0.
    fn make_pdf(content: &[u8], compress: bool) -> Vec<u8> {
        let mut doc = make_doc(content, compress);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("a PDF is written");
        out
    }

    fn make_doc(content: &[u8], compress: bool) -> lopdf::Document {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let image_id = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => 1,
                "Height" => 1,
                "ColorSpace" => "DeviceGray",
                "BitsPerComponent" => 8,
            },
            vec![0],
        ));
        let mut stream = Stream::new(dictionary! {}, content.to_vec());
        if compress {
            let _ = stream.compress();
        }
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font_id },
                "XObject" => dictionary! { "Im0" => image_id },
            },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
        });
        doc.trailer.set("Root", catalog_id);
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(b"0123456789abcdef".to_vec()),
                Object::string_literal(b"0123456789abcdef".to_vec()),
            ],
        );
        doc
    }

    /// `content` in a PDF encrypted (RC4, 128 bits) with `user` as user password.
    fn encrypted_pdf(content: &[u8], user: &str) -> Vec<u8> {
        let mut doc = make_doc(content, true);
        let version = lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: user,
            key_length: 128,
            permissions: lopdf::Permissions::PRINTABLE,
        };
        let state = lopdf::EncryptionState::try_from(version).expect("encryption state");
        doc.encrypt(&state).expect("encrypted");
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("a PDF is written");
        out
    }

    #[test]
    fn encrypted_with_an_empty_user_password_reads_else_is_refused() {
        let content = b"BT /F1 12 Tf 72 800 Td (Report 2024) Tj ET";
        let open = encrypted_pdf(content, "");
        assert!(open.windows(8).any(|w| w == b"/Encrypt"));
        let doc = extract(&open).expect("empty user password: permissions only");
        assert_eq!(doc.lines(), &["Report 2024"]);
        let locked = encrypted_pdf(content, "secret");
        let err = read(&locked, None).expect_err("a password is needed");
        assert!(matches!(err, ReadError::Encrypted { kind: "PDF" }), "{err}");
        assert_eq!(
            err.to_string(),
            "PDF 文件已加密，无法读取（请先取消密码保护）"
        );
    }

    fn huaian() -> Option<Vec<u8>> {
        let path = format!(
            "{}/../../../shared/corpus/real/huaian-city-2024.pdf",
            env!("CARGO_MANIFEST_DIR")
        );
        match std::fs::read(&path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("skipping {path}: {e}");
                None
            }
        }
    }

    #[test]
    fn a_page_of_images_without_text_is_a_scan() {
        let pdf = make_pdf(b"q 595 0 0 842 0 0 cm /Im0 Do Q", true);
        let err = read(&pdf, None).expect_err("a scan has nothing to read");
        assert!(matches!(err, ReadError::ScannedPdf), "{err}");
        assert!(err.to_string().contains("扫描件，无文字层"));
        // Through the dispatch by content, too.
        assert!(matches!(
            crate::read(&pdf, None),
            Err(ReadError::ScannedPdf)
        ));
    }

    #[test]
    fn a_page_without_anything_says_so() {
        let pdf = make_pdf(b"", false);
        let err = read(&pdf, None).expect_err("nothing to read");
        assert!(matches!(err, ReadError::PdfNoText), "{err:?}");
        // Not "文件为空": the file has pages; they print nothing readable.
        assert!(err.to_string().contains("没有读出任何文字"), "{err}");
    }

    #[test]
    fn text_and_a_ruled_table_of_a_simple_font() {
        // Helvetica has no widths here: half an em each. Lines of a 2 × 2 table at the top.
        let content = b"BT /F1 12 Tf 72 800 Td (Report 2024) Tj ET \
            0.5 w 72 700 m 372 700 l S 72 680 m 372 680 l S 72 660 m 372 660 l S \
            72 660 m 72 700 l S 222 660 m 222 700 l S 372 660 m 372 700 l S \
            BT /F1 10 Tf 80 686 Td (Label) Tj 150 0 Td [(4)-20(2)] TJ 0 -20 TD (B) Tj \
            -150 0 Td (Other \\(x\\)) Tj ET";
        let doc = extract(&make_pdf(content, true)).expect("text is read");
        assert_eq!(
            doc.lines(),
            &["Report 2024", "Label\t42", "Other (x)\tB", ""]
        );
        assert_eq!(doc.origin(2), Some(doc::Origin::page_line(1, 2)));
    }

    #[test]
    fn truncated_files_are_repaired_or_damaged_never_invented() {
        let Some(bytes) = huaian() else { return };
        let has = |r: &Report, rule: &str| r.findings.iter().any(|f| f.rule == rule);
        // Only the end cut off (startxref, %%EOF): every object is there.
        let r = read(&bytes[..bytes.len() - 40], None).expect("rebuilt cross-reference table");
        assert!(has(&r, "READ-PDF-REPAIRED"));
        assert_eq!(r.cells.len(), 200);
        assert_eq!(
            r.get("active.punishment.decisions").map(|c| &c.value),
            Some(&xxgk_model::Value::Number(xxgk_model::Number::Int(3985758)))
        );
        // Half the file: the pages before the tables; the tables are missing, and said so.
        match read(&bytes[..bytes.len() / 2], None) {
            Ok(r) => {
                assert!(has(&r, "READ-PDF-REPAIRED"));
                assert!(has(&r, "READ-TABLE-MISSING"));
                assert!(r.cells.is_empty());
            }
            Err(e) => assert!(matches!(e, ReadError::Damaged { .. }), "{e}"),
        }
        // The first 2,000 bytes: nothing to read.
        let err = read(&bytes[..2000], None).expect_err("nothing left");
        assert!(matches!(err, ReadError::Damaged { .. }), "{err}");
        assert!(err.to_string().starts_with("PDF 文件已损坏："), "{err}");
    }

    #[test]
    fn garbage_is_damaged() {
        for bytes in [
            &b"%PDF-1.7\n%garbage\n1 0 obj << /Type /Catalog"[..],
            b"%PDF-1.4\n1 0 obj\n<< /Type /Page /Contents 2 0 R >>\nendobj\ntrailer\n",
            b"%PDF-",
        ] {
            let err = read(bytes, None).expect_err("nothing to read");
            assert!(matches!(err, ReadError::Damaged { .. }), "{err}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_before_the_recursive_parser() {
        let deep = |open: &[u8], n: usize| {
            let mut b = b"%PDF-1.4\n1 0 obj\n".to_vec();
            for _ in 0..n {
                b.extend_from_slice(open);
            }
            b.extend_from_slice(b"\nendobj\n");
            b
        };
        for open in [&b"["[..], b"<< /A ", b"[ (x) 1 /N <41> "] {
            let err = read(&deep(open, 100_000), None).expect_err("too deep");
            assert!(matches!(err, ReadError::Damaged { .. }), "{err}");
            assert!(err.to_string().contains("嵌套过深"), "{err}");
            // Just under the limit, lopdf's parser runs (on its own thread) and fails cleanly.
            let err = read(&deep(open, MAX_NESTING - 4), None).expect_err("no xref, no catalog");
            assert!(matches!(err, ReadError::Damaged { .. }), "{err}");
        }
        // Binary data (bytes no PDF syntax has) ends a run: compressed streams never look deep.
        let mut binary = Vec::new();
        for _ in 0..10_000 {
            binary.extend_from_slice(b"[[[\xFF");
        }
        assert!(nesting_ok(&binary));
        assert!(!nesting_ok(&b"[".repeat(MAX_NESTING + 1)));
        assert!(nesting_ok(&b"[]".repeat(100_000)));
        // Inside a string or a comment is no safer: the parser may be sent there.
        assert!(!nesting_ok(&b"(((((([[[[[[[[[".repeat(MAX_NESTING)));
        assert!(!nesting_ok(
            &[&b"% "[..], &b"<<".repeat(MAX_NESTING + 1)].concat()
        ));
    }

    #[test]
    fn too_large_files_are_refused_before_parsing() {
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX_FILE + 1, b' ');
        assert!(matches!(read(&big, None), Err(ReadError::TooLarge { .. })));
    }

    #[test]
    fn huaian_lines_are_the_printed_grid() {
        let Some(bytes) = huaian() else { return };
        let doc = extract(&bytes).expect("the real PDF reads");
        let lines = doc.lines();
        // Checked by hand against the printed PDF (page 4): the vertical label of table 三
        // is the text of its rowspan cell, in its first row; values in the seven columns.
        assert!(lines.contains(
            &"三、本年度办理结果\t（一）予以公开\t\t1288\t21\t0\t0\t50\t3\t1362".to_string()
        ));
        assert!(lines.contains(&"行政处罚\t3985758".to_string()));
        assert!(lines.contains(&"行政事业性收费\t96171.6".to_string()));
        // A label wrapped over three lines inside its cell (page 5).
        assert!(lines.contains(
            &"\t\t2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t6\t0\t0\t0\t0\t0\t6"
                .to_string()
        ));
        // Table 四: 15 values in one row.
        assert!(
            lines.contains(&"72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20".to_string())
        );
        let p4 = (1..=lines.len() as u32)
            .filter(|&l| doc.origin(l).and_then(|o| o.page) == Some(4))
            .count();
        assert!(p4 > 20, "page 4 has the table 三 rows: {p4}");
    }
}
