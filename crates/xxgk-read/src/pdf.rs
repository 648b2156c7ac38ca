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

/// Read a report from the bytes of a PDF file.
pub fn read(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    let document = extract(bytes)?;
    doc::read_document(document, source)
}

/// The lines of a PDF: paragraphs and the grid rows of its tables.
pub fn extract(bytes: &[u8]) -> Result<Document, ReadError> {
    let pages = pages(bytes)?;
    let mut document = Document::new();
    let glyphs: usize = pages.iter().map(|p| p.glyphs.len()).sum();
    if glyphs == 0 {
        let images: usize = pages.iter().map(|p| p.images).sum();
        return Err(if images > 0 || pages.is_empty() {
            ReadError::ScannedPdf
        } else {
            ReadError::Empty
        });
    }
    for (i, page) in pages.iter().enumerate() {
        layout::page(page, i as u32 + 1, &mut document);
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
    if pages.iter().any(|p| p.truncated) {
        document.finding(Finding::new(
            "READ-PDF-LIMIT",
            Severity::Warning,
            "PDF 页面内容过多，超出读取上限的部分未读出",
        ));
    }
    Ok(document)
}

/// The glyphs and rules of every page.
pub fn pages(bytes: &[u8]) -> Result<Vec<PageContent>, ReadError> {
    if bytes.len() > MAX_FILE {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE,
        });
    }
    let doc = load(bytes)?;
    // lopdf decrypts with the empty user password when it can; what stays encrypted needs one.
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(ReadError::Encrypted);
    }
    let result = panic::catch_unwind(AssertUnwindSafe(|| interpret(&doc)));
    result.map_err(|_| ReadError::Damaged {
        reason: "页面内容无法解析".to_string(),
    })
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
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(lopdf::Error::Decryption(_))) => Err(ReadError::Encrypted),
        Ok(Err(e)) => Err(ReadError::Damaged {
            reason: damage_reason(&e),
        }),
        Err(_) => Err(ReadError::Damaged {
            reason: "文件结构无法解析".to_string(),
        }),
    }
}

fn damage_reason(e: &lopdf::Error) -> String {
    match e {
        lopdf::Error::Parse(_) => "文件结构无法解析".to_string(),
        lopdf::Error::Xref(_) | lopdf::Error::MissingXrefEntry => {
            "交叉引用表缺失或错误（文件可能不完整）".to_string()
        }
        _ => format!("无法解析（{e}）"),
    }
}

/// lopdf decompresses object streams while loading, without a limit: do it first, bounded.
/// An object stream that decompresses beyond [`MAX_STREAM`] is dropped.
fn bound_object_streams(
    id: lopdf::ObjectId,
    object: &mut Object,
) -> Option<(lopdf::ObjectId, Object)> {
    if let Object::Stream(s) = object {
        if s.dict.has_type(b"ObjStm") && s.dict.get(b"Filter").is_ok() {
            // Only plain Flate is decoded here; anything else is left to lopdf.
            let flate_only = matches!(s.filters().as_deref(), Ok([b"FlateDecode"]))
                && s.dict.get(b"DecodeParms").is_err();
            if flate_only {
                let data = inflate(&s.content, MAX_STREAM)?;
                s.dict.remove(b"Filter");
                s.set_content(data);
            }
        }
    }
    Some((id, object.clone()))
}

/// Flate-decode at most `cap` bytes; `None` beyond. A stream damaged near its end keeps what
/// was decoded before the damage.
fn inflate(data: &[u8], cap: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(cap));
    let mut dec = flate2::read::ZlibDecoder::new(data).take(cap as u64 + 1);
    if dec.read_to_end(&mut out).is_err() && out.is_empty() {
        // Some writers omit the zlib header: try raw deflate.
        let mut raw = flate2::read::DeflateDecoder::new(data).take(cap as u64 + 1);
        out.clear();
        let _ = raw.read_to_end(&mut out);
    }
    (out.len() <= cap).then_some(out)
}

/// The decoded data of a stream, at most `cap` bytes.
pub(crate) fn stream_data(s: &Stream, cap: usize) -> Option<Vec<u8>> {
    match s.filters() {
        Err(_) => (s.content.len() <= cap).then(|| s.content.clone()),
        Ok(f) if f.is_empty() => (s.content.len() <= cap).then(|| s.content.clone()),
        Ok(f) if f == [b"FlateDecode"] && s.dict.get(b"DecodeParms").is_err() => {
            inflate(&s.content, cap)
        }
        Ok(_) => s.decompressed_content().ok().filter(|d| d.len() <= cap),
    }
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
    let mut out = Vec::new();
    for (_, id) in doc.get_pages().into_iter().take(MAX_PAGES) {
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
        for cid in doc.get_page_contents(id) {
            if let Some(s) = doc.objects.get(&cid).and_then(|o| o.as_stream().ok()) {
                if let Some(d) = stream_data(s, MAX_STREAM.saturating_sub(data.len())) {
                    data.extend_from_slice(&d);
                    data.push(b'\n');
                }
            }
        }
        let mut it = content::Interpreter::new(doc, &mut fonts, media, rotate);
        it.run(&data, resources, 0);
        out.push(it.finish());
    }
    out
}
