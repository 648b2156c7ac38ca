//! Word 2007+ .docx: paragraphs and tables from the package XML, merged cells resolved to the grid.
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.
//!
//! What is read, as Word shows the document with tracked changes accepted:
//! - `word/document.xml`, in document order: paragraphs (runs joined, `w:tab` → tab, `w:br` /
//!   `w:cr` → line break, `w:noBreakHyphen` → `-`, `w:sym` when it is a real character), text
//!   in content controls (`w:sdt`), hyperlinks, smart tags and simple fields (`w:fldSimple`);
//!   of a complex field only its result (between `separate` and `end`), never its code
//!   (`w:instrText`); inserted and moved-to text kept, deleted and moved-from text dropped
//!   (`w:del`, `w:delText`, `w:moveFrom`); of `mc:AlternateContent` only `mc:Choice`;
//! - text boxes (`w:txbxContent`): their paragraphs follow the paragraph that anchors them (or
//!   join the cell they sit in);
//! - tables: each `w:tr` is one grid row over the `w:tblGrid` columns — a label or a value with
//!   `w:gridSpan` prints one field (as the HTML reader does, so that no padding stands between a
//!   label and its values and a row with a blank value never fits two ways), an empty cell with
//!   `w:gridSpan` prints an empty field per covered column, a `w:vMerge` continuation
//!   (and an old `w:hMerge` continuation) prints an empty field, `w:gridBefore`/`w:gridAfter`
//!   print empty fields; a cell's paragraphs are joined (nothing between CJK characters, a space
//!   otherwise: "本年新" + "公开数量" → "本年新公开数量"); a table nested in a cell is read as
//!   its own rows, after the row that holds it;
//! - list numbers (`w:numPr` on the paragraph or its style) from `word/numbering.xml` and
//!   `word/styles.xml`, computed as Word does (counters per abstract list and level, `w:start`,
//!   `w:lvlOverride/w:startOverride`, deeper levels restarting) and printed before the text:
//!   "一、", "（一）", "1.";
//! - images (`w:drawing`, `w:pict`, `w:object` without a text box): where a standard table is
//!   missing and an image sits in its part, the finding `READ-TABLE-IMAGE` (warning).
//!
//! **Origins**: [`Origin::line`] is the 1-based number of the paragraph in the document body,
//! counting every `w:p` in document order, those in table cells and text boxes included; a table
//! row's origin is its first paragraph. DOCX has no fixed pages: `page` is `None`.
//!
//! **Limits** (hostile input): the file at most [`MAX_FILE_BYTES`], at most [`MAX_ENTRIES`]
//! ZIP entries, each part read at most [`MAX_PART_BYTES`] decompressed (read through a bound,
//! so a zip bomb stops there without allocating more), XML nesting at most [`MAX_DEPTH`], a row
//! at most [`MAX_COLUMNS`] fields. Every failure is a [`ReadError`] with a Chinese message.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use xxgk_model::catalogue::TableId;
use xxgk_model::{Finding, Report, Severity, Span};

use crate::doc::{self, Document, Origin};
use crate::rows::{self, Class};
use crate::ReadError;

/// The largest DOCX file read.
pub const MAX_FILE_BYTES: usize = 64 << 20;
/// The largest part read, decompressed.
pub const MAX_PART_BYTES: usize = 64 << 20;
/// The most ZIP entries a DOCX may have.
pub const MAX_ENTRIES: usize = 10_000;
/// The deepest XML nesting read.
pub const MAX_DEPTH: usize = 256;
/// The most fields of a table row (spans, `gridBefore` and `gridAfter` included).
pub const MAX_COLUMNS: usize = 512;

const KIND: &str = "DOCX";
const MAIN_PART: &str = "word/document.xml";
const NUMBERING_PART: &str = "word/numbering.xml";
const STYLES_PART: &str = "word/styles.xml";
const RELS_PART: &str = "word/_rels/document.xml.rels";
/// Most pictures offered to an image reader (OCR) per document.
const MAX_PICTURES: usize = 20;

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const NS_MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Read a report from the bytes of a DOCX file.
pub fn read(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    read_with_images(bytes, source, &mut |_, _| None)
}

/// [`read`], with a reader for the pictures (`word/media/…`) that stand where a table is
/// missing: when a standard table was not read and pictures sit in the body, `images` is asked
/// for the lines of each picture outside tables (its bytes as stored, and its paragraph; a
/// table as grid rows)
/// and what it returns is read in the picture's place, with the picture's paragraph as origin.
/// A picture `images` does not read (`None`) leaves the `READ-TABLE-IMAGE` finding. The
/// reader does no I/O: OCR is the caller's (`xxgk_ocr`).
pub fn read_with_images(
    bytes: &[u8],
    source: Option<&str>,
    images: &mut dyn FnMut(&[u8], u32) -> Option<Document>,
) -> Result<Report, ReadError> {
    let parsed = parse(bytes)?;
    let copy = (!parsed.pictures.is_empty()).then(|| parsed.doc.clone());
    let mut report = doc::read_document(parsed.doc, source)?;
    table_image_findings(&mut report, &parsed.images);
    let Some(doc) = copy else {
        return Ok(report);
    };
    // The pictures in the part of a table that is missing (anywhere, when the part's heading
    // was not found), at most [`MAX_PICTURES`].
    let missing: Vec<TableId> = tables_as_images(&report, &parsed.images)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let wanted: Vec<&Picture> = parsed
        .pictures
        .iter()
        .filter(|p| {
            missing
                .iter()
                .any(|t| part_range(&report, *t).is_none_or(|r| r.contains(&p.paragraph)))
        })
        .take(MAX_PICTURES)
        .collect();
    if wanted.is_empty() {
        return Ok(report);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(e, "ZIP 目录"))?;
    let rels = match read_part(&mut zip, RELS_PART)? {
        Some(r) => relationships(&xml_text(r, RELS_PART)?),
        None => Vec::new(),
    };
    let mut inserts = Vec::new();
    let mut read_at = Vec::new();
    for p in wanted {
        let Some((_, target)) = rels.iter().find(|(id, _)| *id == p.rel) else {
            continue;
        };
        let Some(part) = part_name(target) else {
            continue;
        };
        let Some(data) = read_part(&mut zip, &part)? else {
            continue;
        };
        if let Some(lines) = images(&data, p.paragraph) {
            inserts.push((p.doc_line, lines, Origin::line(p.paragraph)));
            read_at.push(p.paragraph);
        }
    }
    if inserts.is_empty() {
        return Ok(report);
    }
    let mut report = doc::read_document(doc.splice(inserts), source)?;
    let rest: Vec<u32> = parsed
        .images
        .iter()
        .copied()
        .filter(|n| !read_at.contains(n))
        .collect();
    table_image_findings(&mut report, &rest);
    Ok(report)
}

/// The part a relationship of the main part targets (`media/image1.png` →
/// `word/media/image1.png`; `/word/media/x.png` as is); external targets are not parts.
fn part_name(target: &str) -> Option<String> {
    if target.contains("://") {
        return None;
    }
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("word/{target}"),
    };
    // `..` segments resolved, never above the package's root.
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The (Id, Target) pairs of a relationships part.
fn relationships(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    out.push((id, target));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The lines a DOCX file gives the common pipeline (for tests and tools).
pub fn document(bytes: &[u8]) -> Result<Document, ReadError> {
    parse(bytes).map(|p| p.doc)
}

struct Parsed {
    doc: Document,
    /// Paragraph numbers of images that are not text boxes.
    images: Vec<u32>,
    /// The pictures outside tables, in order.
    pictures: Vec<Picture>,
}

/// A picture of the body outside tables: its paragraph, the document line it precedes and its
/// relationship id (`rId…`, naming a part such as `word/media/image1.png`).
#[derive(Debug, Clone)]
struct Picture {
    paragraph: u32,
    doc_line: usize,
    rel: String,
}

fn parse(bytes: &[u8]) -> Result<Parsed, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(e, "ZIP 目录"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(damaged(format!(
            "ZIP 条目过多（{} 个，上限 {MAX_ENTRIES} 个）",
            zip.len()
        )));
    }
    let main = read_part(&mut zip, MAIN_PART)?.ok_or_else(|| {
        damaged(format!(
            "缺少正文部分 {MAIN_PART}（不是 Word 文档，或文件不完整）"
        ))
    })?;
    let mut numbering = Numbering::default();
    if let Some(styles) = read_part(&mut zip, STYLES_PART)? {
        numbering.read_styles(&xml_text(styles, STYLES_PART)?)?;
    }
    if let Some(num) = read_part(&mut zip, NUMBERING_PART)? {
        numbering.read_numbering(&xml_text(num, NUMBERING_PART)?)?;
    }
    let xml = xml_text(main, MAIN_PART)?;
    Body::new(numbering).run(&xml)
}

fn damaged(reason: String) -> ReadError {
    ReadError::Damaged { kind: KIND, reason }
}

fn zip_error(e: zip::result::ZipError, what: &str) -> ReadError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
            ReadError::Encrypted { kind: "DOCX" }
        }
        ZipError::InvalidPassword => ReadError::Encrypted { kind: "DOCX" },
        // The zip crate's English reasons are not shown: users read Chinese.
        ZipError::UnsupportedArchive(_) => damaged(format!("{what}使用了不支持的压缩格式")),
        ZipError::Io(_) => damaged(format!("{what}无法读取（文件可能不完整）")),
        ZipError::InvalidArchive(_) => damaged(format!(
            "{what}无法解析（文件可能不完整，或不是 Word 文档）"
        )),
        ZipError::FileNotFound => damaged(format!("找不到{what}")),
        _ => damaged(format!("{what}无法读取")),
    }
}

/// The decompressed bytes of part `name` (matched exactly, else ignoring case), or `None`
/// when the package has no such part. Reads at most [`MAX_PART_BYTES`].
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, ReadError> {
    let index = match zip.index_for_name(name) {
        Some(i) => i,
        None => match zip
            .file_names()
            .position(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name))
        {
            Some(_) => {
                let found = zip
                    .file_names()
                    .find(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name))
                    .map(str::to_string);
                match found.and_then(|n| zip.index_for_name(&n)) {
                    Some(i) => i,
                    None => return Ok(None),
                }
            }
            None => return Ok(None),
        },
    };
    let file = zip.by_index(index).map_err(|e| zip_error(e, name))?;
    let too_large = || ReadError::PartTooLarge {
        part: name.to_string(),
        limit: MAX_PART_BYTES,
    };
    if file.size() > MAX_PART_BYTES as u64 {
        return Err(too_large());
    }
    // The declared size is a hint only: the bound below is what stops a lying header.
    let mut buf = Vec::with_capacity((file.size() as usize).min(1 << 20));
    file.take(MAX_PART_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|_| damaged(format!("{name} 无法解压（压缩数据已损坏）")))?;
    if buf.len() > MAX_PART_BYTES {
        return Err(too_large());
    }
    Ok(Some(buf))
}

/// The text of an XML part: UTF-8 (with or without BOM) or UTF-16 with BOM.
fn xml_text(bytes: Vec<u8>, name: &str) -> Result<String, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(&bytes);
        if bad {
            return Err(damaged(format!("{name} 的 UTF-16 编码有误")));
        }
        return Ok(text.into_owned());
    }
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut bytes = bytes;
    bytes.drain(..start);
    String::from_utf8(bytes).map_err(|_| damaged(format!("{name} 不是有效的 UTF-8 文本")))
}

fn xml_error(part: &str, _: impl std::fmt::Display) -> ReadError {
    damaged(format!("{part} 的 XML 结构有误"))
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// The prefixes the part's root element binds to the WordprocessingML and markup-compatibility
/// namespaces (`w` and `mc` unless declared otherwise).
#[derive(Debug, Clone)]
struct Prefixes {
    w: String,
    mc: String,
}

impl Default for Prefixes {
    fn default() -> Self {
        Prefixes {
            w: "w".into(),
            mc: "mc".into(),
        }
    }
}

impl Prefixes {
    fn from_root(e: &BytesStart) -> Prefixes {
        let mut p = Prefixes::default();
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(p) => p,
                    None => continue,
                },
                None => continue,
            };
            match a.value.as_ref() {
                NS_W | NS_W_STRICT => p.w = prefix.to_string(),
                NS_MC => p.mc = prefix.to_string(),
                _ => {}
            }
        }
        p
    }

    /// The local name of a WordprocessingML element, or `None`.
    fn w<'a>(&self, qname: &'a str) -> Option<&'a str> {
        split_name(qname, &self.w)
    }

    fn mc<'a>(&self, qname: &'a str) -> Option<&'a str> {
        split_name(qname, &self.mc)
    }
}

fn split_name<'a>(qname: &'a str, prefix: &str) -> Option<&'a str> {
    match qname.split_once(':') {
        Some((p, local)) if p == prefix => Some(local),
        None if prefix.is_empty() => Some(qname),
        _ => None,
    }
}

/// The value of the attribute with local name `local` (any prefix), unescaped.
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let key = a.key.as_ref();
        let l = key.rsplit(':').next().unwrap_or(key);
        (l == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.into_owned())
        })
    })
}

fn attr_num(e: &BytesStart, local: &str) -> Option<i64> {
    attr(e, local).and_then(|v| v.trim().parse().ok())
}

/// An on/off property (`<w:isLgl/>`, `<w:vanish w:val="0"/>`).
fn on_off(e: &BytesStart) -> bool {
    !matches!(
        attr(e, "val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

/// Resolve an entity reference of the text (`&amp;`, `&#x4E00;`).
fn entity(r: &quick_xml::events::BytesRef) -> Option<String> {
    if r.is_char_ref() {
        r.resolve_char_ref().ok().flatten().map(String::from)
    } else {
        let name = r.xml10_content();
        quick_xml::escape::resolve_xml_entity(&name).map(str::to_string)
    }
}

/// What a handler wants after the start of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    /// Skip the element's content and its end (read through quickly, not given to the handler).
    Skip,
    /// Stop reading the part here (a bound was reached); what was read so far stays.
    Stop,
}

/// Run `f` over the events of `xml`, with the nesting depth bounded; an empty element is given
/// as a start followed by an end.
fn walk(
    xml: &str,
    part: &str,
    mut f: impl FnMut(XmlEvent<'_, '_>) -> Result<Flow, ReadError>,
) -> Result<(), ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let ev = reader.read_event().map_err(|e| xml_error(part, e))?;
        match ev {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(damaged(format!("{part} 嵌套过深（超过 {MAX_DEPTH} 层）")));
                }
                match f(XmlEvent::Start(&e))? {
                    Flow::Skip => {
                        reader
                            .read_to_end(e.name())
                            .map_err(|err| xml_error(part, err))?;
                        depth -= 1;
                    }
                    Flow::Stop => break,
                    Flow::Continue => {}
                }
            }
            Event::Empty(e) => match f(XmlEvent::Start(&e))? {
                Flow::Continue => {
                    f(XmlEvent::End(e.name().as_ref()))?;
                }
                Flow::Stop => break,
                Flow::Skip => {}
            },
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                f(XmlEvent::End(e.name().as_ref()))?;
            }
            Event::Text(t) => {
                f(XmlEvent::Text(&t.xml10_content()))?;
            }
            Event::CData(t) => {
                f(XmlEvent::Text(&t.xml10_content()))?;
            }
            Event::GeneralRef(r) => {
                if let Some(s) = entity(&r) {
                    f(XmlEvent::Text(&s))?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

enum XmlEvent<'a, 'b> {
    Start(&'a BytesStart<'b>),
    End(&'a str),
    Text(&'a str),
}

// ---------------------------------------------------------------------------------------------
// Numbering
// ---------------------------------------------------------------------------------------------

/// Levels of Word lists.
const LEVELS: usize = 9;

#[derive(Debug, Clone, Default)]
struct Level {
    start: Option<i64>,
    fmt: Option<String>,
    text: Option<String>,
    /// `w:lvlRestart`: restart after this (1-based) level; 0 never.
    restart: Option<i64>,
    legal: bool,
    suffix: Option<String>,
}

impl Level {
    /// `other`'s properties where it has them, else this level's.
    fn merged(&self, other: &Level) -> Level {
        Level {
            start: other.start.or(self.start),
            fmt: other.fmt.clone().or_else(|| self.fmt.clone()),
            text: other.text.clone().or_else(|| self.text.clone()),
            restart: other.restart.or(self.restart),
            legal: other.legal || self.legal,
            suffix: other.suffix.clone().or_else(|| self.suffix.clone()),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct AbstractNum {
    levels: [Option<Level>; LEVELS],
    /// `w:numStyleLink`: the levels are those of this numbering style's list.
    style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: Option<i64>,
    start_override: [Option<i64>; LEVELS],
    level_override: [Option<Level>; LEVELS],
}

/// A style's list: `w:numPr` in its paragraph properties, and what it is based on.
#[derive(Debug, Clone, Default)]
struct StyleNum {
    num_id: Option<i64>,
    ilvl: Option<i64>,
    based_on: Option<String>,
}

/// The lists of a document and the counters of the paragraphs read so far.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<i64, AbstractNum>,
    nums: HashMap<i64, Num>,
    styles: HashMap<String, StyleNum>,
    /// Current value per abstract list and level (`None`: not started).
    counters: HashMap<i64, [Option<i64>; LEVELS]>,
    /// Lists whose start overrides have been applied.
    applied: HashSet<i64>,
}

fn level_index(v: Option<i64>) -> Option<usize> {
    v.and_then(|v| usize::try_from(v).ok())
        .filter(|v| *v < LEVELS)
}

impl Numbering {
    fn read_styles(&mut self, xml: &str) -> Result<(), ReadError> {
        let mut prefixes: Option<Prefixes> = None;
        let default = Prefixes::default();
        let mut style: Option<(String, StyleNum)> = None;
        let mut in_ppr = false;
        walk(xml, STYLES_PART, |ev| {
            match ev {
                XmlEvent::Start(e) => {
                    let p = prefixes.get_or_insert_with(|| Prefixes::from_root(e));
                    match p.w(e.name().as_ref()) {
                        Some("style") => {
                            style = attr(e, "styleId").map(|id| (id, StyleNum::default()));
                        }
                        Some("pPr") => in_ppr = true,
                        Some("basedOn") => {
                            if let Some((_, s)) = style.as_mut() {
                                s.based_on = attr(e, "val");
                            }
                        }
                        Some("numId") if in_ppr => {
                            if let Some((_, s)) = style.as_mut() {
                                s.num_id = attr_num(e, "val");
                            }
                        }
                        Some("ilvl") if in_ppr => {
                            if let Some((_, s)) = style.as_mut() {
                                s.ilvl = attr_num(e, "val");
                            }
                        }
                        _ => {}
                    }
                }
                XmlEvent::End(name) => {
                    let p = prefixes.as_ref().unwrap_or(&default);
                    match p.w(name) {
                        Some("style") => {
                            if let Some((id, s)) = style.take() {
                                self.styles.insert(id, s);
                            }
                        }
                        Some("pPr") => in_ppr = false,
                        _ => {}
                    }
                }
                XmlEvent::Text(_) => {}
            }
            Ok(Flow::Continue)
        })
    }

    fn read_numbering(&mut self, xml: &str) -> Result<(), ReadError> {
        let mut prefixes: Option<Prefixes> = None;
        let default = Prefixes::default();
        let mut abs: Option<(i64, AbstractNum)> = None;
        let mut num: Option<(i64, Num)> = None;
        let mut lvl: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        walk(xml, NUMBERING_PART, |ev| {
            match ev {
                XmlEvent::Start(e) => {
                    let p = prefixes.get_or_insert_with(|| Prefixes::from_root(e));
                    let qname = e.name();
                    let Some(local) = p.w(qname.as_ref()) else {
                        return Ok(Flow::Continue);
                    };
                    match local {
                        "abstractNum" => {
                            abs =
                                attr_num(e, "abstractNumId").map(|id| (id, AbstractNum::default()))
                        }
                        "num" => num = attr_num(e, "numId").map(|id| (id, Num::default())),
                        "abstractNumId" => {
                            if let Some((_, n)) = num.as_mut() {
                                n.abstract_id = attr_num(e, "val");
                            }
                        }
                        "lvlOverride" => override_level = level_index(attr_num(e, "ilvl")),
                        "startOverride" => {
                            if let (Some((_, n)), Some(l)) = (num.as_mut(), override_level) {
                                n.start_override[l] = attr_num(e, "val");
                            }
                        }
                        "lvl" => {
                            lvl = level_index(attr_num(e, "ilvl").or(Some(0)))
                                .map(|i| (i, Level::default()))
                        }
                        "start" => with_level(&mut lvl, |l| l.start = attr_num(e, "val")),
                        "numFmt" => with_level(&mut lvl, |l| l.fmt = attr(e, "val")),
                        "lvlText" => with_level(&mut lvl, |l| l.text = attr(e, "val")),
                        "lvlRestart" => with_level(&mut lvl, |l| l.restart = attr_num(e, "val")),
                        "isLgl" => with_level(&mut lvl, |l| l.legal = on_off(e)),
                        "suff" => with_level(&mut lvl, |l| l.suffix = attr(e, "val")),
                        "numStyleLink" => {
                            if let Some((_, a)) = abs.as_mut() {
                                a.style_link = attr(e, "val");
                            }
                        }
                        _ => {}
                    }
                }
                XmlEvent::End(name) => {
                    let p = prefixes.as_ref().unwrap_or(&default);
                    match p.w(name) {
                        Some("lvl") => {
                            if let Some((i, l)) = lvl.take() {
                                if let Some((_, n)) = num.as_mut() {
                                    n.level_override[i] = Some(l);
                                } else if let Some((_, a)) = abs.as_mut() {
                                    a.levels[i] = Some(l);
                                }
                            }
                        }
                        Some("lvlOverride") => override_level = None,
                        Some("abstractNum") => {
                            if let Some((id, a)) = abs.take() {
                                self.abstracts.insert(id, a);
                            }
                        }
                        Some("num") => {
                            if let Some((id, n)) = num.take() {
                                self.nums.insert(id, n);
                            }
                        }
                        _ => {}
                    }
                }
                XmlEvent::Text(_) => {}
            }
            Ok(Flow::Continue)
        })
    }

    /// The list (numId, level) of a paragraph: its own `w:numPr`, else its style's (through
    /// `w:basedOn`). `numId` 0 removes a style's numbering.
    fn list_of(
        &self,
        num_id: Option<i64>,
        ilvl: Option<i64>,
        style: Option<&str>,
    ) -> Option<(i64, usize)> {
        let mut num_id = num_id;
        let mut ilvl = ilvl;
        let mut style = style.map(str::to_string);
        let mut hops = 0;
        while let (Some(s), true) = (style.take(), num_id.is_none() || ilvl.is_none()) {
            hops += 1;
            if hops > 16 {
                break;
            }
            let Some(sn) = self.styles.get(&s) else {
                break;
            };
            if num_id.is_none() {
                num_id = sn.num_id;
            }
            if ilvl.is_none() && sn.num_id.is_some() {
                ilvl = sn.ilvl;
            }
            style = sn.based_on.clone();
        }
        let num_id = num_id.filter(|n| *n != 0)?;
        Some((num_id, level_index(ilvl.or(Some(0)))?))
    }

    /// The abstract list of `num_id`, following a numbering style link once.
    fn abstract_of(&self, num_id: i64) -> Option<(i64, &AbstractNum)> {
        let mut id = self.nums.get(&num_id)?.abstract_id?;
        for _ in 0..4 {
            let a = self.abstracts.get(&id)?;
            match &a.style_link {
                Some(link) if a.levels.iter().all(Option::is_none) => {
                    let linked = self.styles.get(link)?.num_id?;
                    id = self.nums.get(&linked)?.abstract_id?;
                }
                _ => return Some((id, a)),
            }
        }
        None
    }

    fn level(&self, num_id: i64, abs: &AbstractNum, i: usize) -> Level {
        let base = abs.levels[i].clone().unwrap_or_default();
        match self
            .nums
            .get(&num_id)
            .and_then(|n| n.level_override[i].as_ref())
        {
            Some(o) => base.merged(o),
            None => base,
        }
    }

    /// The number printed before a paragraph in list `num_id` at level `ilvl`, counting it.
    fn next(&mut self, num_id: i64, ilvl: usize) -> Option<String> {
        let (abs_id, abs) = self.abstract_of(num_id)?;
        let abs = abs.clone();
        let levels: Vec<Level> = (0..LEVELS).map(|i| self.level(num_id, &abs, i)).collect();
        let overrides = self.nums.get(&num_id).map(|n| n.start_override);
        let first_use = self.applied.insert(num_id);
        let counters = self.counters.entry(abs_id).or_insert([None; LEVELS]);
        if first_use {
            if let Some(o) = overrides {
                for (i, s) in o.iter().enumerate() {
                    if let Some(s) = s {
                        counters[i] = Some(s.saturating_sub(1));
                    }
                }
            }
        }
        let level = levels.get(ilvl)?;
        counters[ilvl] = Some(match counters[ilvl] {
            Some(v) => v.saturating_add(1),
            None => level.start.unwrap_or(0),
        });
        // Deeper levels restart unless they say otherwise.
        for (deeper, c) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = levels.get(deeper).and_then(|l| l.restart);
            match restart {
                Some(0) => {}
                Some(r) if r <= ilvl as i64 => {}
                _ => *c = None,
            }
        }
        let text = level.text.clone()?;
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            match (c, digit) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let i = d as usize - 1;
                    let Some(l) = levels.get(i) else { continue };
                    let value = counters[i].unwrap_or(l.start.unwrap_or(0));
                    let fmt = if level.legal {
                        "decimal"
                    } else {
                        l.fmt.as_deref().unwrap_or("decimal")
                    };
                    if let Some(s) = crate::listnum::format(value, fmt) {
                        out.push_str(&s);
                    }
                }
                _ => out.push(c),
            }
        }
        if level.fmt.as_deref() == Some("bullet") || out.trim().is_empty() {
            return None;
        }
        match level.suffix.as_deref() {
            Some("nothing") => {}
            Some("space") => out.push(' '),
            // A tab: nothing after closing punctuation ("一、", "1.", "（一）"), else a space.
            _ => {
                if !out.ends_with(['、', '.', '．', '）', ')', '：', ':', ' ']) {
                    out.push(' ');
                }
            }
        }
        Some(out)
    }
}

fn with_level(lvl: &mut Option<(usize, Level)>, f: impl FnOnce(&mut Level)) {
    if let Some((_, l)) = lvl.as_mut() {
        f(l);
    }
}

// ---------------------------------------------------------------------------------------------
// The document body
// ---------------------------------------------------------------------------------------------

/// A line of the output before it becomes a [`Document`] line.
#[derive(Debug)]
enum Item {
    Para(String, u32),
    Row(Vec<String>, u32),
    Blank(u32),
}

#[derive(Debug, Default)]
struct Para {
    text: String,
    ordinal: u32,
    num_id: Option<i64>,
    ilvl: Option<i64>,
    style: Option<String>,
    /// Paragraphs of text boxes anchored in this paragraph.
    boxed: Vec<String>,
}

#[derive(Debug, Default)]
struct Cell {
    paras: Vec<String>,
    span: usize,
    /// A `w:vMerge` or `w:hMerge` continuation: prints empty.
    continued: bool,
}

#[derive(Debug, Default)]
struct Row {
    fields: Vec<String>,
    before: usize,
    after: usize,
    /// Grid columns covered by a label or value printed as one field.
    collapsed: usize,
    ordinal: Option<u32>,
    /// Rows of tables nested in this row's cells, printed after it.
    nested: Vec<Item>,
}

#[derive(Debug, Default)]
struct Table {
    width: usize,
    items: Vec<Item>,
    row: Option<Row>,
    cell: Option<Cell>,
}

/// What an open element is, as far as the reader cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Body,
    P,
    PPr,
    NumPr,
    R,
    T,
    Tbl,
    TblGrid,
    Tr,
    Tc,
    TcPr,
    TxbxContent,
    /// `w:drawing`, `w:pict`, `w:object`.
    Graphic,
    Other,
}

/// A text container a paragraph ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Cell,
    TextBox,
}

struct Body {
    numbering: Numbering,
    prefixes: Option<Prefixes>,
    stack: Vec<Tag>,
    paras: Vec<Para>,
    tables: Vec<Table>,
    containers: Vec<Container>,
    /// Open complex fields: `true` while in the field code.
    fields: Vec<bool>,
    /// Fields nested deeper than the bound, counted only to match their ends.
    fields_overflow: usize,
    /// Open graphics: whether each holds a text box.
    graphics: Vec<bool>,
    ordinal: u32,
    items: Vec<Item>,
    images: Vec<u32>,
    /// The relationship of the last picture seen inside the open graphic.
    picture: Option<String>,
    /// Pictures outside tables: (paragraph, index of the item they precede, relationship).
    pictures: Vec<(u32, usize, String)>,
    /// Elements and table cells started so far, and whether the part was cut at
    /// [`MAX_ELEMENTS`] / [`MAX_CELLS`].
    elements: usize,
    cells: usize,
    cut: bool,
}

/// Nested complex fields kept track of.
const MAX_FIELDS: usize = 64;
/// Most elements of the main part read (a report has some tens of thousands; 64 MB of XML
/// inflated from a small file has millions): the rest is not read, with `READ-LIMIT`.
const MAX_ELEMENTS: usize = 1_000_000;
/// Most table cells (`w:tc`) of the main part read.
const MAX_CELLS: usize = 200_000;

impl Body {
    fn new(numbering: Numbering) -> Body {
        Body {
            numbering,
            prefixes: None,
            stack: Vec::new(),
            paras: Vec::new(),
            tables: Vec::new(),
            containers: Vec::new(),
            fields: Vec::new(),
            fields_overflow: 0,
            graphics: Vec::new(),
            ordinal: 0,
            items: Vec::new(),
            images: Vec::new(),
            picture: None,
            pictures: Vec::new(),
            elements: 0,
            cells: 0,
            cut: false,
        }
    }

    fn run(mut self, xml: &str) -> Result<Parsed, ReadError> {
        walk(xml, MAIN_PART, |ev| {
            Ok(match ev {
                XmlEvent::Start(e) => self.start(e),
                XmlEvent::End(name) => {
                    self.end(name);
                    Flow::Continue
                }
                XmlEvent::Text(t) => {
                    self.text(t);
                    Flow::Continue
                }
            })
        })?;
        // A document cut short: what is open is still printed.
        while !self.stack.is_empty() {
            let tag = self.stack.last().copied().unwrap_or(Tag::Other);
            self.close(tag);
        }
        let mut doc = Document::new();
        if self.cut {
            doc.finding(Finding::new(
                "READ-LIMIT",
                Severity::Warning,
                format!(
                    "Word 文档的元素超过 {MAX_ELEMENTS} 个或表格单元格超过 {MAX_CELLS} 个，超出上限之后的内容未读取"
                ),
            ));
        }
        let mut pictures = Vec::new();
        let mut pending = self.pictures.into_iter().peekable();
        for (k, item) in self.items.into_iter().enumerate() {
            while let Some((n, _, rel)) = pending.next_if(|p| p.1 <= k) {
                pictures.push(Picture {
                    paragraph: n,
                    doc_line: doc.lines().len(),
                    rel,
                });
            }
            match item {
                Item::Para(text, n) => doc.paragraph(&text, Origin::line(n)),
                Item::Row(fields, n) => doc.table_row(&fields, Origin::line(n)),
                Item::Blank(n) => doc.blank(Origin::line(n)),
            }
        }
        let end = doc.lines().len();
        pictures.extend(pending.map(|(n, _, rel)| Picture {
            paragraph: n,
            doc_line: end,
            rel,
        }));
        Ok(Parsed {
            doc,
            images: self.images,
            pictures,
        })
    }

    fn in_field_code(&self) -> bool {
        self.fields.iter().any(|c| *c)
    }

    fn parent(&self) -> Option<Tag> {
        self.stack.last().copied()
    }

    fn push_text(&mut self, s: &str) {
        if self.in_field_code() {
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(s);
        }
    }

    fn start(&mut self, e: &BytesStart) -> Flow {
        let prefixes = match &self.prefixes {
            Some(p) => p,
            None => {
                self.prefixes = Some(Prefixes::from_root(e));
                self.stack.push(Tag::Other);
                return Flow::Continue;
            }
        };
        let qname = e.name();
        let qname = qname.as_ref();
        let local = match prefixes.w(qname) {
            Some(l) => l,
            None => {
                if prefixes.mc(qname) == Some("Fallback") {
                    return Flow::Skip;
                }
                // The picture of a graphic: `a:blip r:embed`, `v:imagedata r:id`.
                let l = qname.rsplit(':').next().unwrap_or(qname);
                if !self.graphics.is_empty() && (l == "blip" || l == "imagedata") {
                    if let Some(rel) = attr(e, "embed").or_else(|| attr(e, "id")) {
                        self.picture = Some(rel);
                    }
                }
                self.stack.push(Tag::Other);
                return Flow::Continue;
            }
        };
        self.elements += 1;
        if local == "tc" {
            self.cells += 1;
        }
        if self.elements > MAX_ELEMENTS || self.cells > MAX_CELLS {
            self.cut = true;
            return Flow::Stop;
        }
        let parent = self.parent();
        let tag = match local {
            // Dropped with their content: deletions, field codes, revision marks' old
            // properties, content-control properties, ruby text.
            "del" | "moveFrom" | "delText" | "instrText" | "delInstrText" | "rPrChange"
            | "pPrChange" | "tblPrChange" | "tcPrChange" | "trPrChange" | "sectPrChange"
            | "tblGridChange" | "numberingChange" | "sdtPr" | "sdtEndPr" | "rt" | "rPr"
            | "sectPr" | "fldData" | "tblPr" => return Flow::Skip,
            "body" => Tag::Body,
            "p" => {
                self.ordinal = self.ordinal.saturating_add(1);
                let ordinal = self.ordinal;
                if let Some(t) = self.tables.last_mut() {
                    if let Some(r) = t.row.as_mut() {
                        r.ordinal.get_or_insert(ordinal);
                    }
                }
                self.paras.push(Para {
                    ordinal,
                    ..Para::default()
                });
                Tag::P
            }
            "pPr" => Tag::PPr,
            "numPr" => Tag::NumPr,
            "pStyle" if parent == Some(Tag::PPr) => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, "val");
                }
                Tag::Other
            }
            "ilvl" if parent == Some(Tag::NumPr) => {
                if let Some(p) = self.paras.last_mut() {
                    p.ilvl = attr_num(e, "val");
                }
                Tag::Other
            }
            "numId" if parent == Some(Tag::NumPr) => {
                if let Some(p) = self.paras.last_mut() {
                    p.num_id = attr_num(e, "val");
                }
                Tag::Other
            }
            "r" => Tag::R,
            "t" => Tag::T,
            "tab" | "ptab" if parent == Some(Tag::R) => {
                self.push_text("\t");
                Tag::Other
            }
            "br" | "cr" if parent == Some(Tag::R) => {
                self.push_text("\n");
                Tag::Other
            }
            "noBreakHyphen" if parent == Some(Tag::R) => {
                self.push_text("-");
                Tag::Other
            }
            "sym" if parent == Some(Tag::R) => {
                // A character of a symbol font: kept when it is a real character (fonts such
                // as Wingdings use the private-use area F0xx, which means nothing as text).
                if let Some(c) = attr(e, "char")
                    .and_then(|h| u32::from_str_radix(h.trim(), 16).ok())
                    .filter(|c| !(0xE000..=0xF8FF).contains(c))
                    .and_then(char::from_u32)
                {
                    self.push_text(c.encode_utf8(&mut [0; 4]));
                }
                Tag::Other
            }
            "fldChar" => {
                match attr(e, "fldCharType").as_deref() {
                    Some("begin") => {
                        if self.fields.len() < MAX_FIELDS {
                            self.fields.push(true);
                        } else {
                            self.fields_overflow += 1;
                        }
                    }
                    Some("separate") if self.fields_overflow == 0 => {
                        if let Some(f) = self.fields.last_mut() {
                            *f = false;
                        }
                    }
                    Some("end") => {
                        if self.fields_overflow > 0 {
                            self.fields_overflow -= 1;
                        } else {
                            self.fields.pop();
                        }
                    }
                    _ => {}
                }
                Tag::Other
            }
            "tbl" => {
                self.tables.push(Table::default());
                Tag::Tbl
            }
            "tblGrid" => Tag::TblGrid,
            "gridCol" if parent == Some(Tag::TblGrid) => {
                if let Some(t) = self.tables.last_mut() {
                    t.width = (t.width + 1).min(MAX_COLUMNS);
                }
                Tag::Other
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Row::default());
                }
                Tag::Tr
            }
            "gridBefore" | "gridAfter" => {
                let n = attr_num(e, "val")
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0)
                    .min(MAX_COLUMNS);
                if let Some(r) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    if local == "gridBefore" {
                        r.before = n;
                    } else {
                        r.after = n;
                    }
                }
                Tag::Other
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(Cell {
                        span: 1,
                        ..Cell::default()
                    });
                }
                self.containers.push(Container::Cell);
                Tag::Tc
            }
            "tcPr" => Tag::TcPr,
            "gridSpan" if parent == Some(Tag::TcPr) => {
                let n = attr_num(e, "val")
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLUMNS);
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = n;
                }
                Tag::Other
            }
            "vMerge" | "hMerge" if parent == Some(Tag::TcPr) => {
                // No value or "continue": the cell continues the one above (left).
                let cont = attr(e, "val").is_none_or(|v| v == "continue");
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.continued = cont;
                }
                Tag::Other
            }
            "txbxContent" => {
                self.containers.push(Container::TextBox);
                if let Some(g) = self.graphics.last_mut() {
                    *g = true;
                }
                Tag::TxbxContent
            }
            "drawing" | "pict" | "object" => {
                self.graphics.push(false);
                Tag::Graphic
            }
            _ => Tag::Other,
        };
        self.stack.push(tag);
        Flow::Continue
    }

    fn end(&mut self, _name: &str) {
        // The reader checks that end names match their starts, so the stack is the truth.
        if let Some(tag) = self.stack.last().copied() {
            self.close(tag);
        }
    }

    fn text(&mut self, t: &str) {
        if self.parent() == Some(Tag::T) {
            self.push_text(t);
        }
    }

    fn close(&mut self, tag: Tag) {
        self.stack.pop();
        match tag {
            Tag::P => self.close_paragraph(),
            Tag::Tc => {
                self.containers.pop();
                if let Some(t) = self.tables.last_mut() {
                    if let (Some(c), Some(r)) = (t.cell.take(), t.row.as_mut()) {
                        let text = if c.continued {
                            String::new()
                        } else {
                            join_cell(&c.paras)
                        };
                        // A label or a value spanning columns prints one field, as the HTML
                        // reader does: an empty field for a covered column would stand between
                        // a label and its values, and a row with a blank value would then fit
                        // two ways (表三's "（一）予以公开" over two label columns).
                        let covered = match rows::classify(&text) {
                            Class::Label | Class::Value => 0,
                            Class::Blank => c.span.saturating_sub(1),
                        };
                        if r.fields.len() + 1 + covered <= MAX_COLUMNS {
                            r.fields.push(text);
                            r.fields.extend((0..covered).map(|_| String::new()));
                            r.collapsed += c.span.saturating_sub(1) - covered;
                        }
                    }
                }
            }
            Tag::Tr => {
                let last = self.ordinal;
                if let Some(t) = self.tables.last_mut() {
                    if let Some(r) = t.row.take() {
                        let mut fields = vec![String::new(); r.before];
                        fields.extend(r.fields);
                        fields.extend((0..r.after).map(|_| String::new()));
                        // A short row is padded to the grid, less the columns printed as one
                        // field (padding them at the end would move the values).
                        let width = t.width.saturating_sub(r.collapsed);
                        if fields.len() < width {
                            fields.resize(width, String::new());
                        }
                        fields.truncate(MAX_COLUMNS);
                        let n = r.ordinal.unwrap_or(last);
                        t.items.push(Item::Row(fields, n));
                        t.items.extend(r.nested);
                    }
                }
            }
            Tag::Tbl => {
                let last = self.ordinal;
                if let Some(t) = self.tables.pop() {
                    let mut items = t.items;
                    items.push(Item::Blank(last));
                    match self.tables.last_mut() {
                        Some(outer) => match outer.row.as_mut() {
                            Some(r) => r.nested.extend(items),
                            None => outer.items.extend(items),
                        },
                        None => self.items.extend(items),
                    }
                }
            }
            Tag::TxbxContent => {
                self.containers.pop();
            }
            Tag::Graphic => self.close_graphic(),
            _ => {}
        }
    }

    /// A graphic without a text box is an image.
    fn close_graphic(&mut self) {
        let picture = self.picture.take();
        if self.graphics.pop() == Some(false) {
            self.images.push(self.ordinal.max(1));
            if let (Some(rel), true) = (picture, self.tables.is_empty()) {
                self.pictures
                    .push((self.ordinal.max(1), self.items.len(), rel));
            }
        }
    }

    fn close_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else {
            return;
        };
        let number = self
            .numbering
            .list_of(p.num_id, p.ilvl, p.style.as_deref())
            .and_then(|(id, lvl)| self.numbering.next(id, lvl));
        let mut text = match number {
            Some(n) => format!("{n}{}", p.text),
            None => p.text,
        };
        match self.containers.last() {
            Some(Container::TextBox) => {
                if let Some(host) = self.paras.last_mut() {
                    host.boxed.push(text);
                    host.boxed.extend(p.boxed);
                } else {
                    self.items.push(Item::Para(text, p.ordinal));
                }
            }
            Some(Container::Cell) => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.paras.push(std::mem::take(&mut text));
                    c.paras.extend(p.boxed);
                }
            }
            None => {
                self.items.push(Item::Para(text, p.ordinal));
                for b in p.boxed {
                    self.items.push(Item::Para(b, p.ordinal));
                }
            }
        }
    }
}

/// Join the paragraphs of a cell: nothing between CJK characters (a label wrapped by hand,
/// "本年新" / "公开数量"), a space between other characters (so "12" / "34" never becomes
/// "1234").
fn join_cell(paras: &[String]) -> String {
    let mut out = String::new();
    for p in paras {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let glue = match (out.chars().last(), p.chars().next()) {
            (Some(a), Some(b)) => !(is_cjk(a) || is_cjk(b)),
            _ => false,
        };
        if glue {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// CJK ideographs and full-width punctuation, where Chinese text has no spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

// ---------------------------------------------------------------------------------------------
// Tables printed as images
// ---------------------------------------------------------------------------------------------

/// `READ-TABLE-IMAGE` for each standard table that was not read while an image sits in its
/// part (or anywhere, when the part heading was not found).
fn table_image_findings(report: &mut Report, images: &[u32]) {
    for (table, line) in tables_as_images(report, images) {
        report.findings.push(
            Finding::new(
                "READ-TABLE-IMAGE",
                Severity::Warning,
                format!(
                    "表格为图片，无法核验：{}（{}）",
                    table.short_name(),
                    table.title()
                ),
            )
            .at(Span::line(line)),
        );
    }
}

/// The standard tables that were not read while an image sits in their part, each with the
/// paragraph of its first image.
fn tables_as_images(report: &Report, images: &[u32]) -> Vec<(TableId, u32)> {
    let mut out = Vec::new();
    if images.is_empty() || !matches!(report.kind, xxgk_model::ReportKind::Standard(_)) {
        return out;
    }
    for table in TableId::ALL {
        if report.cells.keys().any(|id| id.table == table) {
            continue;
        }
        let range = part_range(report, table);
        let image = images.iter().copied().find(|line| match &range {
            Some(r) => r.contains(line),
            None => true,
        });
        if let Some(line) = image {
            out.push((table, line));
        }
    }
    out
}

/// The paragraphs of the part that prints `table`: from its heading to the next heading
/// (empty paragraphs, such as one holding only an image, are not in a section's text).
fn part_range(report: &Report, table: TableId) -> Option<std::ops::Range<u32>> {
    report
        .sections
        .iter()
        .find(|s| s.part == table.part())
        .map(|s| {
            let next = report
                .sections
                .iter()
                .map(|n| n.line)
                .filter(|l| *l > s.line)
                .min()
                .unwrap_or(u32::MAX);
            s.line..next
        })
}

#[cfg(test)]
#[path = "docx_tests.rs"]
mod tests;
