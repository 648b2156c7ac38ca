//! HTML pages (the agency's 年报 web page): tables as a true grid, the article inside a portal page.
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.
//!
//! 1. **Encoding**: a BOM, else the `<meta charset>` / `http-equiv` declaration in the first
//!    4 KB (GBK and GB2312 are read as GB18030, their superset; a page declared GBK whose bytes are
//!    valid UTF-8 is UTF-8, a mislabelling common on portals), else the bytes (valid UTF-8, else
//!    GB18030), as for text files.
//! 2. **Parsing**: html5ever (through `scraper`'s tree) with a tree sink that records the source
//!    line of every element and text node as the parser creates it, so provenance is exact and
//!    costs nothing. Before parsing, a linear scan bounds the nesting depth: html5ever's tree
//!    builder is quadratic in the depth of open elements, so a page nested deeper than
//!    [`MAX_DEPTH`] is refused ([`ReadError::TooDeep`]).
//! 3. **Walking** the tree without recursion (an explicit task stack), as a browser shows it:
//!    `script`, `style`, `nav`, `aside`, forms controls, hidden elements and navigation-like blocks
//!    (class or id `nav`, `menu`, `breadcrumb`, `footer` …) are skipped; block elements and `<br>`
//!    end a line; whitespace collapses, a line break between two Chinese characters vanishes.
//!    A table becomes grid rows: `rowspan`/`colspan` are laid out as the HTML table model does;
//!    a spanned cell prints its text in its first row and column and empty fields elsewhere,
//!    except that a *label* or a *value* spanning columns prints one field (text in its first row,
//!    empty below), as Word's text export prints table 三's merged labels (and as a person sees a
//!    value in a cell a converter widened over a split column): the value columns stay
//!    exact and no padding stands between a label and its values, so a row with blank values
//!    never fits two ways. (The tab layout of `xxgk_write::text` prints the same, except that it
//!    pads the labels of table 三's outcome rows.) A cell's `<p>`
//!    and `<br>` pieces are joined with nothing between Chinese characters, else a space. A table
//!    inside a cell is read as its own rows after the row holding it; a row whose cell holds a
//!    whole article (a layout table) is read as flowing text. A table row with a cell printed as
//!    an image is not read (its values cannot be known).
//! 4. **The article**: the part headings ([`crate::sections`]) and the table rows whose labels
//!    name catalogue rows are the report's landmarks; the article is the smallest element that
//!    holds nine tenths of them, so a stray match in a menu does not widen it. Only the article's
//!    lines are read, plus the title when it sits just before the article (an `<h1>` above the
//!    `div#zoom`), else the page's `<title>`. Lines of portal tools inside the article
//!    ("【打印本页】【关闭窗口】") are dropped.
//! 5. **Images**: an image in part 二, 三 or 四 whose table was not read, or a table cell printed
//!    as an image, gives `READ-TABLE-IMAGE` (warning) naming the table, the image and its line;
//!    the missing cells are reported by the common pipeline (`READ-TABLE-MISSING`,
//!    `READ-ROW-MISSING`).

use std::borrow::Cow;
use std::cell::{Cell as StdCell, RefCell};

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink, Node};
use xxgk_model::catalogue::{self, TableId};
use xxgk_model::{Finding, Report, Severity, Span};

use crate::doc::{self, Document, Origin};
use crate::rows::{self, Class};
use crate::{decode, labels, sections, ReadError};

/// Deepest nesting of elements read (see the module documentation).
pub const MAX_DEPTH: usize = 512;
/// Most columns of one table (a report table has at most 15).
const MAX_COLUMNS: usize = 256;
/// Most grid slots of all tables of a page together.
const MAX_GRID_SLOTS: usize = 1 << 22;
/// Most elements of a page parsed: the rest of a bigger page is not read (html5ever's tree
/// costs a few hundred bytes an element; a report's page has a few thousand).
const MAX_ELEMENTS: usize = 300_000;
/// Most table cells (`<td>`, `<th>`) of a page parsed (a report's three tables have ~150).
const MAX_CELLS: usize = 200_000;
/// A cell with more text than this (in characters) holds an article: its row is a layout row.
const FLOW_CELL_CHARS: usize = 200;
/// Longest line that may be the title.
const MAX_TITLE_CHARS: usize = 80;
/// How many lines at the start of the article are searched for its own title.
const TITLE_SEARCH_ITEMS: usize = 12;
/// Bytes searched for a `<meta charset>` declaration.
const META_SCAN_BYTES: usize = 4096;
/// Most images offered to an image reader (OCR) per page.
const MAX_TABLE_IMAGES: usize = 20;
/// Images smaller than this (in pixels, by their attributes) are icons.
const MIN_IMAGE_PIXELS: u32 = 48;

/// Read a report from the bytes of a HTML file.
pub fn read(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    read_with_images(bytes, source, &mut |_| None)
}

/// An image of the article that stands where a table should be (see [`read_with_images`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageImage {
    /// The `src` (or `data-src`) attribute as written: a `data:` URI in full, or a path.
    pub src: String,
    /// Its line in the page's source.
    pub line: u32,
}

/// [`read`], with a reader for the images that stand where a table is missing (a part 二, 三 or
/// 四 whose table was not read, with an image in it): `images` is asked for the lines of each
/// (a table as grid rows, as [`Document::table_row`] prints them), and what it returns is read
/// in the image's place, its lines given the image's line. An image `images` cannot read
/// (`None`) keeps the `READ-TABLE-IMAGE` finding. The reader itself does no I/O: fetching or
/// decoding the image, and OCR, are the caller's (`xxgk_ocr`).
pub fn read_with_images(
    bytes: &[u8],
    source: Option<&str>,
    images: &mut dyn FnMut(&PageImage) -> Option<Document>,
) -> Result<Report, ReadError> {
    let (doc, found, page_agency) = article(bytes)?;
    if doc.is_empty() {
        return Err(ReadError::Empty);
    }
    let parts = if found.is_empty() {
        Vec::new()
    } else {
        sections::split(doc.lines())
    };
    let copy = (!found.is_empty()).then(|| doc.clone());
    let mut report = doc::read_document(doc, source)?;
    if let Some((name, line)) = page_agency {
        agency_from_page(&mut report, name, line);
    }
    let Some(doc) = copy else {
        return Ok(report);
    };
    // The images standing for a missing table, each asked once, in order.
    let mut asked: Vec<&ArticleImage> = Vec::new();
    for (t, imgs) in flagged_images(&report, &found, &parts) {
        if report.tables.iter().any(|s| s.table == t) {
            continue;
        }
        for img in imgs {
            if !asked.iter().any(|a| std::ptr::eq(*a, img)) {
                asked.push(img);
            }
        }
    }
    asked.sort_by_key(|a| a.doc_line);
    asked.truncate(MAX_TABLE_IMAGES);
    let mut inserts = Vec::new();
    let mut unread: Vec<ArticleImage> = found.clone();
    for img in asked {
        let page = PageImage {
            src: img.full_src.clone(),
            line: img.line,
        };
        if let Some(lines) = images(&page) {
            inserts.push((img.doc_line as usize, lines, Origin::line(img.line)));
            unread.retain(|u| {
                !(u.doc_line == img.doc_line && u.line == img.line && u.src == img.src)
            });
        }
    }
    if !inserts.is_empty() {
        let meta = report.meta.clone();
        let own: Vec<Finding> = report
            .findings
            .iter()
            .filter(|f| f.rule == crate::rules::AGENCY_FROM_PAGE)
            .cloned()
            .collect();
        report = doc::read_document(doc.splice(inserts), source)?;
        // The text around the images is the same: so is what was read of the page around it.
        if report.meta.agency.is_none() {
            report.meta.agency = meta.agency;
            report.meta.agency_printed = meta.agency_printed;
            report.findings.extend(own);
        }
    }
    image_findings(&mut report, &unread, &parts);
    Ok(report)
}

/// The lines the reader makes of a page (the article, tables as grid rows), for inspection.
pub fn document(bytes: &[u8]) -> Result<Document, ReadError> {
    article(bytes).map(|(doc, _, _)| doc)
}

type PageAgency = Option<(String, u32)>;

fn article(bytes: &[u8]) -> Result<(Document, Vec<ArticleImage>, PageAgency), ReadError> {
    let mut text = decode_html(bytes)?;
    if depth_exceeds(&text, MAX_DEPTH) {
        return Err(ReadError::TooDeep { limit: MAX_DEPTH });
    }
    // Bounded before parsing: the tree of a page of millions of cells would take gigabytes.
    let cut = element_limit(&text);
    if let Some(at) = cut {
        text.truncate(at);
    }
    let page = parse(&text);
    let items = Walker::new(&page).walk();
    let (mut doc, images) = select(&page, items);
    if cut.is_some() {
        doc.finding(Finding::new(
            "READ-LIMIT",
            Severity::Warning,
            format!(
                "网页的元素超过 {MAX_ELEMENTS} 个或表格单元格超过 {MAX_CELLS} 个，超出上限之后的内容未读取"
            ),
        ));
    }
    Ok((doc, images, page_agency(&page)))
}

/// The byte offset of the start tag beyond [`MAX_ELEMENTS`] elements or [`MAX_CELLS`] table
/// cells, if the page has more; one linear pass over the text.
fn element_limit(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let (mut elements, mut cells) = (0usize, 0usize);
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| c == b'<') {
        let at = i + k;
        i = at + 1;
        if !b.get(at + 1).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        elements += 1;
        let name = b.get(at + 1..at + 3).unwrap_or_default();
        let end = b.get(at + 3).is_none_or(|c| !c.is_ascii_alphanumeric());
        if end && (name.eq_ignore_ascii_case(b"td") || name.eq_ignore_ascii_case(b"th")) {
            cells += 1;
        }
        if elements > MAX_ELEMENTS || cells > MAX_CELLS {
            return Some(at);
        }
    }
    None
}

/// The agency the page names around its article: the last agency's name in the breadcrumb
/// trail (an element whose class or id says `crumb`, `position` or `location`, or a line
/// starting "当前位置"), else in the `<title>`'s segments; with its source line.
fn page_agency(page: &Page) -> PageAgency {
    let tree = &page.html.tree;
    let text_of = |n: ego_tree::NodeRef<'_, Node>| -> String {
        n.descendants()
            .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
            .collect::<String>()
    };
    let agency_in = |text: &str| -> Option<String> {
        text.split(|c: char| {
            matches!(
                c,
                '>' | '＞' | '》' | '»' | '→' | '/' | '_' | '|' | '｜' | '-' | '—' | '：' | ':'
            ) || c.is_whitespace()
        })
        .map(str::trim)
        .rfind(|seg| {
            let n = seg.chars().count();
            (3..=30).contains(&n)
                && catalogue::AGENCY_NAME_ENDS.iter().any(|e| seg.ends_with(e))
                && !seg.contains("首页")
        })
        .map(str::to_owned)
    };
    let crumb = |e: &scraper::node::Element| {
        let says = |v: &str| {
            let v = v.to_ascii_lowercase();
            v.contains("crumb") || v.contains("position") || v.contains("location")
        };
        e.attr("class").is_some_and(says) || e.attr("id").is_some_and(says)
    };
    let line = |id: NodeId| page.lines.get(&id).copied().unwrap_or(1);
    for n in tree.nodes().take(200_000) {
        if n.value().as_element().is_some_and(crumb) {
            if let Some(a) = agency_in(&text_of(n)) {
                return Some((a, line(n.id())));
            }
        }
        if let Some(t) = n.value().as_text() {
            let t = t.trim_start();
            if t.starts_with("当前位置")
                || t.starts_with("您的位置")
                || t.starts_with("您现在的位置")
            {
                let whole = n.parent().map(text_of).unwrap_or_else(|| t.to_string());
                if let Some(a) = agency_in(&whole) {
                    return Some((a, n.parent().map_or(1, |p| line(p.id()))));
                }
            }
        }
    }
    let title = tree
        .nodes()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "title"))?;
    agency_in(&collapse_ws(&text_of(title))).map(|a| (a, line(title.id())))
}

/// The agency of a report whose title names none, from the page around the article
/// ([`page_agency`]), with `READ-AGENCY-FROM-PAGE`; completed with its prefecture as a title's.
fn agency_from_page(report: &mut Report, name: String, line: u32) {
    if report.meta.agency.is_some() {
        return;
    }
    // The text the prefecture is looked for in: the preamble and the parts' text.
    let lines: Vec<String> = report
        .meta
        .preamble
        .iter()
        .cloned()
        .chain(report.sections.iter().map(|s| s.text.clone()))
        .collect();
    let agency = crate::meta::with_prefecture(&name, &lines)
        .map(|(full, _)| full)
        .unwrap_or_else(|| name.clone());
    report.findings.push(
        Finding::new(
            crate::rules::AGENCY_FROM_PAGE,
            Severity::Info,
            format!("报告正文没有写明机关名称，机关取自网页的标题或导航位置“{name}”"),
        )
        .at(Span::line(line)),
    );
    report.meta.agency_printed = Some(name);
    report.meta.agency = Some(agency);
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// Decode the bytes of a page (see the module documentation).
pub fn decode_html(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.len() > decode::MAX_TEXT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: decode::MAX_TEXT_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF");
    if !has_bom {
        if let Some(declared) = meta_charset(&bytes[..bytes.len().min(META_SCAN_BYTES)]) {
            if declared == encoding_rs::GBK
                || declared == encoding_rs::GB18030
                || declared == encoding_rs::BIG5
                || declared == encoding_rs::WINDOWS_1252
            {
                // A page declared in a legacy encoding whose bytes are valid UTF-8 with non-ASCII
                // text is UTF-8: GBK text is almost never valid UTF-8.
                if let Ok(s) = std::str::from_utf8(bytes) {
                    if !s.is_ascii() {
                        return Ok(s.to_string());
                    }
                }
                let enc = if declared == encoding_rs::GBK {
                    encoding_rs::GB18030
                } else {
                    declared
                };
                return decode::lossy_checked(enc, bytes, enc.name()).map(|(s, _)| s);
            }
            if declared != encoding_rs::UTF_8
                && declared != encoding_rs::UTF_16LE
                && declared != encoding_rs::UTF_16BE
            {
                return decode::lossy_checked(declared, bytes, declared.name()).map(|(s, _)| s);
            }
            // Declared UTF-8 (or UTF-16, which a meta tag cannot declare): the bytes decide.
        }
    }
    decode::decode_raw(bytes).map(|(s, _)| s.into_owned())
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv … content="…; charset=…">` declares.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let mut i = 0;
    while let Some(p) = find_ci(&head[i..], b"<meta") {
        let start = i + p + 5;
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(c) = find_ci(tag, b"charset") {
            let mut j = c + 7;
            let skip = |j: &mut usize| {
                while tag
                    .get(*j)
                    .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
                {
                    *j += 1;
                }
            };
            skip(&mut j);
            if tag.get(j) == Some(&b'=') {
                j += 1;
                skip(&mut j);
                let label_end = tag[j..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b)))
                    .map_or(tag.len(), |e| j + e);
                if let Some(enc) = encoding_rs::Encoding::for_label(&tag[j..label_end]) {
                    return Some(enc);
                }
            }
        }
        i = end.min(head.len());
        if i >= head.len() {
            break;
        }
    }
    None
}

/// Case-insensitive search of an ASCII needle.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0].to_ascii_lowercase();
    (0..=hay.len() - needle.len()).find(|&i| {
        hay[i].to_ascii_lowercase() == first
            && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

// ---------------------------------------------------------------------------------------------
// Nesting bound
// ---------------------------------------------------------------------------------------------

/// Elements that never nest: void elements and those whose end tag is implied by a sibling.
const NON_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc", "html", "head", "body",
    "frame", "keygen", "basefont", "bgsound", "image",
];
/// Formatting elements: the parser closes them at the end of a block, so they nest only within
/// one block.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
    "u", "span",
];
/// Elements whose content is raw text, scanned to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];
/// Start tags that end a block (and the nesting of formatting elements within it).
const BLOCK_BOUNDARIES: &[&str] = &["p", "div", "td", "th", "tr", "li", "table", "br"];

/// Does the nesting of elements in `html` exceed `limit`? A linear over-estimate: elements are
/// counted as opened by their start tag and closed by their end tag, except those that never
/// nest, and formatting elements count only within their block.
fn depth_exceeds(html: &str, limit: usize) -> bool {
    let b = html.as_bytes();
    let mut i = 0;
    let mut blocks: usize = 0;
    let mut formatting: usize = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'<') {
        i += p + 1;
        if b[i..].starts_with(b"!--") {
            match html[i..].find("-->") {
                Some(e) => i += e + 3,
                None => break,
            }
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(close);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &b[name_start..name_start + name_len];
        let is = |list: &[&str]| list.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name));
        i = name_start + name_len;
        if close {
            if is(FORMATTING) {
                formatting = formatting.saturating_sub(1);
            } else if !is(NON_NESTING) {
                blocks = blocks.saturating_sub(1);
            }
            continue;
        }
        let tag_end = b[i..].iter().position(|&c| c == b'>').map(|e| i + e);
        let self_closing = tag_end.is_some_and(|e| e > 0 && b[e - 1] == b'/');
        if is(BLOCK_BOUNDARIES) {
            formatting = 0;
        }
        if is(RAW_TEXT) {
            // Skip to the matching end tag.
            let Some(e) = tag_end else { break };
            let mut k = e + 1;
            let mut found = false;
            while let Some(q) = find_ci(&b[k..], b"</") {
                let at = k + q + 2;
                if b.get(at..at + name_len)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                {
                    i = at + name_len;
                    found = true;
                    break;
                }
                k = at;
            }
            if !found {
                break;
            }
            continue;
        }
        if self_closing {
            continue;
        }
        if is(FORMATTING) {
            formatting += 1;
        } else if !is(NON_NESTING) {
            blocks += 1;
        }
        if blocks + formatting > limit {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Parsing with source lines
// ---------------------------------------------------------------------------------------------

/// Node ids are small integers: FxHash, one multiplication instead of SipHash.
type NodeMap<V> = rustc_hash::FxHashMap<NodeId, V>;

/// A parsed page and the source line of its elements and text nodes.
struct Page {
    html: Html,
    lines: NodeMap<u32>,
}

fn parse(text: &str) -> Page {
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: StdCell::new(1),
        lines: RefCell::new(NodeMap::default()),
    };
    let (html, lines) = html5ever::driver::parse_document(sink, Default::default()).one(text);
    Page { html, lines }
}

/// `scraper`'s tree sink, recording the line at which the parser creates each element and the
/// line of the first non-blank text appended to each text node.
struct LineSink {
    inner: HtmlTreeSink,
    line: StdCell<u64>,
    lines: RefCell<NodeMap<u32>>,
}

impl LineSink {
    fn current(&self) -> u32 {
        u32::try_from(self.line.get()).unwrap_or(u32::MAX)
    }
}

impl TreeSink for LineSink {
    type Output = (Html, NodeMap<u32>);
    type Handle = NodeId;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.lines.into_inner())
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.lines.borrow_mut().insert(id, self.current());
        id
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let blank_text = match &child {
            NodeOrText::AppendText(t) => Some(t.trim().is_empty()),
            NodeOrText::AppendNode(_) => None,
        };
        self.inner.append(parent, child);
        if blank_text == Some(false) {
            let html = self.inner.0.borrow();
            if let Some(last) = html.tree.get(*parent).and_then(|p| p.last_child()) {
                self.lines
                    .borrow_mut()
                    .entry(last.id())
                    .or_insert(self.current());
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
}

// ---------------------------------------------------------------------------------------------
// Walking the tree
// ---------------------------------------------------------------------------------------------

/// What the walk finds, in document order.
#[derive(Debug, Clone)]
enum Item {
    Text {
        text: String,
        line: u32,
        node: NodeId,
    },
    Row {
        cells: Vec<String>,
        line: u32,
        node: NodeId,
    },
    TableEnd {
        line: u32,
        node: NodeId,
    },
    Image {
        src: String,
        line: u32,
        node: NodeId,
        /// A table cell printed as an image.
        in_cell: bool,
    },
}

impl Item {
    fn node(&self) -> NodeId {
        match self {
            Item::Text { node, .. }
            | Item::Row { node, .. }
            | Item::TableEnd { node, .. }
            | Item::Image { node, .. } => *node,
        }
    }
}

enum Task {
    Node(NodeId),
    /// The end of a block: the current line ends.
    Flush,
    Item(Item),
}

/// Elements whose content is never shown as the page's text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "select", "option", "button", "input", "textarea", "svg", "math", "canvas", "audio",
    "video", "map", "nav", "aside", "title", "link", "meta", "base",
];
/// Elements that end a line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "center",
    "address",
    "figure",
    "figcaption",
    "hr",
    "form",
    "fieldset",
    "legend",
    "header",
    "footer",
    "details",
    "summary",
    "body",
    "html",
    "caption",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
];
/// Class or id words of navigation-like blocks (matched as whole words of the attribute).
const NAV_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "submenu",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "footer",
    "sidebar",
    "copyright",
    "share",
    "bdsharebuttonbox",
    "dqwz",
    "mbx",
    "position",
    "location",
];

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.contains(&name)
}

/// The grid of one table row, before printing.
struct CellContent {
    text: String,
    tables: Vec<NodeId>,
    images: Vec<(String, u32, NodeId)>,
    flow: bool,
}

struct Walker<'a> {
    page: &'a Page,
    items: Vec<Item>,
    buf: String,
    buf_line: u32,
    buf_node: Option<NodeId>,
    last_line: u32,
    slots: usize,
}

impl<'a> Walker<'a> {
    fn new(page: &'a Page) -> Walker<'a> {
        Walker {
            page,
            items: Vec::new(),
            buf: String::new(),
            buf_line: 1,
            buf_node: None,
            last_line: 1,
            slots: 0,
        }
    }

    fn line_of(&self, id: NodeId) -> Option<u32> {
        self.page.lines.get(&id).copied()
    }

    fn walk(mut self) -> Vec<Item> {
        let root = self.page.html.tree.root().id();
        let mut stack = vec![Task::Node(root)];
        while let Some(task) = stack.pop() {
            match task {
                Task::Node(id) => self.node(id, &mut stack),
                Task::Flush => self.flush(),
                Task::Item(item) => {
                    self.flush();
                    self.items.push(item);
                }
            }
        }
        self.flush();
        self.items
    }

    fn push_children(&self, id: NodeId, stack: &mut Vec<Task>) {
        let Some(node) = self.page.html.tree.get(id) else {
            return;
        };
        let mut child = node.last_child();
        while let Some(c) = child {
            stack.push(Task::Node(c.id()));
            child = c.prev_sibling();
        }
    }

    fn node(&mut self, id: NodeId, stack: &mut Vec<Task>) {
        let Some(node) = self.page.html.tree.get(id) else {
            return;
        };
        match node.value() {
            Node::Document | Node::Fragment => self.push_children(id, stack),
            Node::Text(t) => {
                let line = self.line_of(id).unwrap_or(self.last_line);
                if self.buf.trim().is_empty() && !t.text.trim().is_empty() {
                    self.buf_line = line;
                    self.buf_node = Some(id);
                }
                self.buf.push_str(&t.text);
            }
            Node::Element(e) => {
                if let Some(l) = self.line_of(id) {
                    self.last_line = l;
                }
                let name = e.name();
                if is_one_of(name, SKIPPED) || hidden(e) {
                    return;
                }
                match name {
                    "br" => self.flush(),
                    "img" => {
                        if let Some(src) = image_src(e) {
                            self.flush();
                            self.items.push(Item::Image {
                                src,
                                line: self.last_line,
                                node: id,
                                in_cell: false,
                            });
                        }
                    }
                    "table" => {
                        self.flush();
                        self.table(id, stack);
                    }
                    _ => {
                        if name != "body" && name != "html" {
                            if navigation_like(e) {
                                self.flush();
                                return;
                            }
                            if (name == "header" || name == "footer") && !inside_article(node) {
                                self.flush();
                                return;
                            }
                        }
                        if is_one_of(name, BLOCKS) {
                            self.flush();
                            stack.push(Task::Flush);
                        }
                        self.push_children(id, stack);
                    }
                }
            }
            _ => {}
        }
    }

    fn flush(&mut self) {
        if let Some(node) = self.buf_node.take() {
            let text = collapse_ws(&self.buf);
            if !text.is_empty() {
                self.items.push(Item::Text {
                    text,
                    line: self.buf_line,
                    node,
                });
            }
        }
        self.buf.clear();
    }

    /// Lay out a table as grid rows (see the module documentation) and schedule them, with the
    /// tables nested in its cells after the rows holding them.
    fn table(&mut self, table: NodeId, stack: &mut Vec<Task>) {
        let tree = &self.page.html.tree;
        let Some(node) = tree.get(table) else { return };
        let table_line = self.line_of(table).unwrap_or(self.last_line);
        let mut tasks: Vec<Task> = Vec::new();
        // Rows, in document order, through thead/tbody/tfoot.
        let mut trs: Vec<NodeId> = Vec::new();
        for child in node.children() {
            let Some(e) = child.value().as_element() else {
                continue;
            };
            match e.name() {
                "tr" => trs.push(child.id()),
                "thead" | "tbody" | "tfoot" => trs.extend(
                    child
                        .children()
                        .filter(|c| c.value().as_element().is_some_and(|e| e.name() == "tr"))
                        .map(|c| c.id()),
                ),
                "caption" => {
                    tasks.push(Task::Flush);
                    tasks.push(Task::Node(child.id()));
                    tasks.push(Task::Flush);
                }
                _ => {}
            }
        }

        // The cells of each row with their spans.
        struct GridCell {
            content: CellContent,
            col: usize,
            colspan: usize,
            row: usize,
        }
        let n_rows = trs.len();
        let mut cells: Vec<GridCell> = Vec::new();
        // grid[r][c] = index of the cell covering the slot.
        let mut grid: Vec<Vec<Option<u32>>> = vec![Vec::new(); n_rows];
        let mut row_cells: Vec<Vec<(NodeId, usize)>> = vec![Vec::new(); n_rows];
        let mut portal_metadata = false;
        for (r, tr) in trs.iter().enumerate() {
            let Some(tr_node) = tree.get(*tr) else {
                continue;
            };
            let mut c = 0usize;
            for td in tr_node.children() {
                let Some(e) = td.value().as_element() else {
                    continue;
                };
                if e.name() != "td" && e.name() != "th" {
                    continue;
                }
                if hidden(e) {
                    continue;
                }
                let span = |attr: &str, default: usize| {
                    e.attr(attr)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(default)
                };
                let colspan = span("colspan", 1).clamp(1, MAX_COLUMNS);
                let rowspan = match span("rowspan", 1) {
                    0 => n_rows - r,
                    n => n.min(n_rows - r),
                };
                while grid[r].get(c).is_some_and(Option::is_some) {
                    c += 1;
                }
                if c >= MAX_COLUMNS {
                    break;
                }
                let colspan = colspan.min(MAX_COLUMNS - c);
                let content = self.cell_content(td.id());
                if is_portal_metadata(&content.text) {
                    portal_metadata = true;
                }
                let index = cells.len() as u32;
                for row in grid.iter_mut().skip(r).take(rowspan) {
                    if row.len() < c + colspan {
                        self.slots += c + colspan - row.len();
                        row.resize(c + colspan, None);
                    }
                    for slot in &mut row[c..c + colspan] {
                        *slot = Some(index);
                    }
                }
                if self.slots > MAX_GRID_SLOTS {
                    // A hostile page: stop laying out tables; what was read so far stays.
                    return;
                }
                row_cells[r].push((td.id(), cells.len()));
                cells.push(GridCell {
                    content,
                    col: c,
                    colspan,
                    row: r,
                });
                c += colspan;
            }
        }
        if portal_metadata {
            // The portal's 索引号/发布机构 table about the page, not the report.
            return;
        }

        let mut last_line = table_line;
        for (r, tr) in trs.iter().enumerate() {
            let line = self.line_of(*tr).unwrap_or(table_line);
            last_line = line;
            let own: &[(NodeId, usize)] = &row_cells[r];
            if own.iter().any(|(_, i)| cells[*i].content.flow) {
                // A layout row: its cells are read as flowing text.
                for (td, _) in own {
                    tasks.push(Task::Flush);
                    tasks.push(Task::Node(*td));
                    tasks.push(Task::Flush);
                }
                continue;
            }
            let mut fields: Vec<String> = Vec::new();
            let mut image_cell = false;
            for (c, slot) in grid[r].iter().enumerate() {
                let Some(i) = slot else {
                    fields.push(String::new());
                    continue;
                };
                let cell = &cells[*i as usize];
                let anchor_col = c == cell.col;
                // A label or a value spanning columns prints once (in every row it covers): a
                // converter splits a column where its widths disagree (LibreOffice's HTML export
                // of a Word table), and the reader sees the cells a person sees.
                let spanning = cell.colspan > 1
                    && matches!(
                        rows::classify(&cell.content.text),
                        Class::Label | Class::Value
                    );
                if !anchor_col && spanning {
                    continue;
                }
                if anchor_col && cell.row == r {
                    if cell.content.text.is_empty() && !cell.content.images.is_empty() {
                        image_cell = true;
                    }
                    fields.push(cell.content.text.clone());
                } else {
                    fields.push(String::new());
                }
            }
            for (_, i) in own {
                for (src, img_line, node) in &cells[*i].content.images {
                    if cells[*i].content.text.is_empty() {
                        tasks.push(Task::Item(Item::Image {
                            src: src.clone(),
                            line: *img_line,
                            node: *node,
                            in_cell: true,
                        }));
                    }
                }
            }
            if !image_cell && !fields.is_empty() {
                tasks.push(Task::Item(Item::Row {
                    cells: fields,
                    line,
                    node: *tr,
                }));
            }
            for (_, i) in own {
                for t in &cells[*i].content.tables {
                    tasks.push(Task::Node(*t));
                }
            }
        }
        tasks.push(Task::Item(Item::TableEnd {
            line: last_line,
            node: table,
        }));
        stack.extend(tasks.into_iter().rev());
    }

    /// The text of a cell as a browser shows it on one line, the tables nested in it and its
    /// images.
    fn cell_content(&self, td: NodeId) -> CellContent {
        let tree = &self.page.html.tree;
        let mut out = CellContent {
            text: String::new(),
            tables: Vec::new(),
            images: Vec::new(),
            flow: false,
        };
        let mut pieces: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut blocks = 0usize;
        // (node, is the end of a block)
        let mut stack: Vec<(NodeId, bool)> = Vec::new();
        let push_children = |id: NodeId, stack: &mut Vec<(NodeId, bool)>| {
            if let Some(n) = tree.get(id) {
                let mut child = n.last_child();
                while let Some(c) = child {
                    stack.push((c.id(), false));
                    child = c.prev_sibling();
                }
            }
        };
        let end_piece = |cur: &mut String, pieces: &mut Vec<String>| {
            let t = collapse_ws(cur);
            if !t.is_empty() {
                pieces.push(t);
            }
            cur.clear();
        };
        push_children(td, &mut stack);
        let mut last_line = self.line_of(td).unwrap_or(self.last_line);
        while let Some((id, end)) = stack.pop() {
            if end {
                end_piece(&mut cur, &mut pieces);
                continue;
            }
            let Some(node) = tree.get(id) else { continue };
            match node.value() {
                Node::Text(t) => cur.push_str(&t.text),
                Node::Element(e) => {
                    if let Some(l) = self.line_of(id) {
                        last_line = l;
                    }
                    let name = e.name();
                    if is_one_of(name, SKIPPED) || hidden(e) {
                        continue;
                    }
                    match name {
                        "table" => {
                            end_piece(&mut cur, &mut pieces);
                            out.tables.push(id);
                        }
                        "br" => end_piece(&mut cur, &mut pieces),
                        "img" => {
                            if let Some(src) = image_src(e) {
                                out.images.push((src, last_line, id));
                            }
                        }
                        _ if is_one_of(name, BLOCKS) => {
                            end_piece(&mut cur, &mut pieces);
                            blocks += 1;
                            stack.push((id, true));
                            push_children(id, &mut stack);
                        }
                        _ => push_children(id, &mut stack),
                    }
                }
                _ => {}
            }
        }
        end_piece(&mut cur, &mut pieces);
        let mut text = String::new();
        for p in &pieces {
            let wide_join =
                text.chars().last().is_some_and(is_wide) && p.chars().next().is_some_and(is_wide);
            if !text.is_empty() && !wide_join {
                text.push(' ');
            }
            text.push_str(p);
        }
        let chars = text.chars().count();
        out.flow = chars > FLOW_CELL_CHARS || (blocks >= 3 && chars > FLOW_CELL_CHARS / 3);
        out.text = text;
        out
    }
}

/// `display:none`, `visibility:hidden` or the `hidden` attribute.
fn hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let b = s.as_bytes();
        property_is(b, b"display", b"none") || property_is(b, b"visibility", b"hidden")
    })
}

/// Does a CSS declaration list set `property` to `value` (ASCII case-insensitive)?
fn property_is(style: &[u8], property: &[u8], value: &[u8]) -> bool {
    let mut i = 0;
    while let Some(p) = find_ci(&style[i..], property) {
        let mut j = i + p + property.len();
        let skip_ws = |j: &mut usize| {
            while style.get(*j).is_some_and(u8::is_ascii_whitespace) {
                *j += 1;
            }
        };
        skip_ws(&mut j);
        if style.get(j) == Some(&b':') {
            j += 1;
            skip_ws(&mut j);
            if style
                .get(j..j + value.len())
                .is_some_and(|v| v.eq_ignore_ascii_case(value))
            {
                return true;
            }
        }
        i = j.max(i + p + 1);
    }
    false
}

/// A class or id word of a navigation-like block.
fn navigation_like(e: &scraper::node::Element) -> bool {
    let words = |v: &str| {
        v.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| NAV_WORDS.iter().any(|n| n.eq_ignore_ascii_case(w)))
    };
    e.attr("class").is_some_and(words) || e.attr("id").is_some_and(words)
}

/// Is a header or footer element part of an article (kept) rather than of the page (skipped)?
fn inside_article(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "article" | "main"))
    })
}

/// The source of an image that may be a table (icons, by their declared size, are not).
fn image_src(e: &scraper::node::Element) -> Option<String> {
    let dim = |a: &str| {
        e.attr(a).and_then(|v| {
            v.trim()
                .trim_end_matches("px")
                .parse::<f32>()
                .ok()
                .map(|f| f as u32)
        })
    };
    if dim("width").is_some_and(|w| w < MIN_IMAGE_PIXELS)
        || dim("height").is_some_and(|h| h < MIN_IMAGE_PIXELS)
    {
        return None;
    }
    let src = e.attr("src").or_else(|| e.attr("data-src")).unwrap_or("");
    // An inline image's data is no name for a message.
    let src = if src.starts_with("data:") {
        "data:…"
    } else {
        src
    };
    Some(src.chars().take(200).collect())
}

/// The cell of a portal's page-metadata table (索引号 …).
fn is_portal_metadata(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '：'))
        .collect();
    t == "索引号"
}

/// Characters between which a line break shows as nothing: CJK and full-width forms.
fn is_wide(c: char) -> bool {
    c >= '\u{2E80}' || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…')
}

/// Collapse HTML whitespace: a run becomes one space, or nothing when it holds a line break
/// between two wide characters; the ends are trimmed. Non-breaking spaces are kept (the line
/// normalisation makes them spaces).
fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run: Option<bool> = None; // Some(has_newline) while in a whitespace run
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            let nl = matches!(c, '\n' | '\r');
            run = Some(run.unwrap_or(false) || nl);
            continue;
        }
        if let Some(nl) = run.take() {
            let prev_wide = out.chars().last().is_some_and(is_wide);
            let vanishes = nl && prev_wide && is_wide(c);
            if !out.is_empty() && !vanishes {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The article
// ---------------------------------------------------------------------------------------------

/// An image of the article: the document line it follows (0: before the first), its source and
/// line.
#[derive(Debug, Clone)]
struct ArticleImage {
    doc_line: u32,
    src: String,
    /// The source as written (a `data:` URI in full).
    full_src: String,
    line: u32,
    in_cell: bool,
}

/// The line an item prints in the document (rows tab-joined), for finding landmarks.
fn item_line(item: &Item) -> String {
    match item {
        Item::Text { text, .. } => decode::normalize_line(text),
        Item::Row { cells, .. } => decode::normalize_line(&cells.join("\t")),
        _ => String::new(),
    }
}

/// Does a table row name a catalogue row?
fn is_catalogue_row(cells: &[String]) -> bool {
    let Some(last_label) = cells
        .iter()
        .rposition(|c| rows::classify(c) == Class::Label)
    else {
        return false;
    };
    let label: Vec<&str> = cells[..=last_label]
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    labels::match_row(&label.join(" ")).is_some()
}

fn is_title_line(text: &str) -> bool {
    text.chars().count() <= MAX_TITLE_CHARS
        && catalogue::TITLE_KEYWORDS.iter().any(|k| text.contains(k))
        && !text.contains(['。', '，', '；', '>', '＞', '»', '›'])
        && !text.contains("位置")
}

/// Words of portal tools printed inside an article, longest first.
const TOOL_WORDS: &[&str] = &[
    "扫一扫在手机打开当前页",
    "打印本页",
    "打印此页",
    "关闭窗口",
    "关闭本页",
    "返回顶部",
    "相关链接",
    "我要纠错",
    "分享到",
    "收藏",
    "打印",
    "关闭",
    "返回",
    "分享",
    "字号",
    "字体",
    "默认",
    "大",
    "中",
    "小",
];

/// A line made of portal tool words only ("【打印本页】【关闭窗口】", "字号：大 中 小").
fn is_tool_line(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '【' | '】'
                        | '['
                        | ']'
                        | '('
                        | ')'
                        | '（'
                        | '）'
                        | ':'
                        | '：'
                        | '|'
                        | '｜'
                        | '/'
                        | '·'
                        | '•'
                        | '\u{a0}'
                )
        })
        .collect();
    if t.is_empty() {
        return false;
    }
    let mut rest = t.as_str();
    while !rest.is_empty() {
        match TOOL_WORDS.iter().find(|w| rest.starts_with(**w)) {
            Some(w) => rest = &rest[w.len()..],
            None => return false,
        }
    }
    true
}

/// Keep the article's items (see the module documentation) and build the document.
fn select(page: &Page, items: Vec<Item>) -> (Document, Vec<ArticleImage>) {
    let tree = &page.html.tree;
    let lines: Vec<String> = items.iter().map(item_line).collect();
    let mut keys: Vec<usize> = sections::split(&lines)
        .iter()
        .map(|s| (s.line as usize).saturating_sub(1))
        .filter(|i| *i < items.len())
        .collect();
    keys.extend(items.iter().enumerate().filter_map(|(i, it)| match it {
        Item::Row { cells, .. } if is_catalogue_row(cells) => Some(i),
        _ => None,
    }));
    keys.sort_unstable();
    keys.dedup();

    // The ancestors of a node, itself first.
    let chain = |id: NodeId| -> Vec<NodeId> {
        let mut v = vec![id];
        if let Some(n) = tree.get(id) {
            v.extend(n.ancestors().map(|a| a.id()));
        }
        v
    };
    let root: Option<NodeId> = if keys.is_empty() {
        None
    } else {
        let chains: Vec<Vec<NodeId>> = keys.iter().map(|k| chain(items[*k].node())).collect();
        let need = (chains.len() * 9).div_ceil(10);
        let median = &chains[chains.len() / 2];
        median
            .iter()
            .find(|a| chains.iter().filter(|c| c.contains(a)).count() >= need)
            .copied()
    };
    let inside = |it: &Item| match root {
        None => true,
        Some(r) => {
            let id = it.node();
            id == r
                || tree
                    .get(id)
                    .is_some_and(|n| n.ancestors().any(|a| a.id() == r))
        }
    };
    let first = items.iter().position(inside).unwrap_or(0);

    let mut doc = Document::new();
    let mut images = Vec::new();
    // The title: in the article's first lines, else the nearest title line before the article,
    // else the page's <title>.
    let own_title = items[first..]
        .iter()
        .filter(|it| inside(it))
        .filter_map(|it| match it {
            Item::Text { text, .. } => Some(text),
            _ => None,
        })
        .take(TITLE_SEARCH_ITEMS)
        .any(|t| is_title_line(t));
    if !own_title {
        // A title in a layout table is a row of one cell.
        let before = items[..first].iter().rev().find_map(|it| match it {
            Item::Text { text, line, .. } if is_title_line(text) => Some((text.clone(), *line)),
            Item::Row { cells, line, .. } => {
                let mut full = cells.iter().filter(|c| !c.trim().is_empty());
                match (full.next(), full.next()) {
                    (Some(c), None) if is_title_line(c) => Some((c.clone(), *line)),
                    _ => None,
                }
            }
            _ => None,
        });
        if let Some((t, line)) = before.or_else(|| head_title(page)) {
            doc.paragraph(&t, Origin::line(line));
        }
    }
    for it in items.iter().filter(|it| inside(it)) {
        match it {
            Item::Text { text, line, .. } => {
                if !is_tool_line(text) {
                    doc.paragraph(text, Origin::line(*line));
                }
            }
            Item::Row { cells, line, .. } => doc.table_row(cells, Origin::line(*line)),
            Item::TableEnd { line, .. } => doc.blank(Origin::line(*line)),
            Item::Image {
                src,
                line,
                in_cell,
                node,
            } => images.push(ArticleImage {
                doc_line: doc.lines().len() as u32,
                src: src.clone(),
                full_src: tree
                    .get(*node)
                    .and_then(|n| n.value().as_element())
                    .and_then(|e| e.attr("src").or_else(|| e.attr("data-src")))
                    .unwrap_or("")
                    .trim()
                    .to_owned(),
                line: *line,
                in_cell: *in_cell,
            }),
        }
    }
    (doc, images)
}

/// The page's `<title>`, cut before the site name ("…年度报告_某某区人民政府"), when it is a
/// report title.
fn head_title(page: &Page) -> Option<(String, u32)> {
    let tree = &page.html.tree;
    let node = tree
        .nodes()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "title"))?;
    let text: String = node
        .children()
        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
        .collect();
    let text = collapse_ws(&text);
    let cut = text
        .split(['_', '|', '｜'])
        .next()
        .unwrap_or_default()
        .split(" - ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    is_title_line(&cut).then(|| (cut, page.lines.get(&node.id()).copied().unwrap_or(1)))
}

// ---------------------------------------------------------------------------------------------
// Tables printed as images
// ---------------------------------------------------------------------------------------------

/// The table a part prints.
fn part_table(part: u8) -> Option<TableId> {
    match part {
        2 => Some(TableId::Active),
        3 => Some(TableId::Requests),
        4 => Some(TableId::Appeals),
        _ => None,
    }
}

/// The images that may stand for a table, by table: an image in part 二, 三 or 四 whose table
/// was not read (or a table cell printed as an image); images outside any part, one per missing
/// table, in order.
fn flagged_images<'a>(
    report: &Report,
    images: &'a [ArticleImage],
    parts: &[xxgk_model::Section],
) -> Vec<(TableId, Vec<&'a ArticleImage>)> {
    let missing: Vec<TableId> = TableId::ALL
        .into_iter()
        .filter(|t| !report.tables.iter().any(|s| s.table == *t))
        .collect();
    let part_of = |img: &ArticleImage| {
        parts
            .iter()
            .find(|s| s.line <= img.doc_line && img.doc_line <= s.end_line.max(s.line))
            .map(|s| s.part)
    };
    let mut by_table: Vec<(TableId, Vec<&ArticleImage>)> = Vec::new();
    let mut unplaced: Vec<&ArticleImage> = Vec::new();
    for img in images {
        match part_of(img) {
            Some(p) => {
                if let Some(t) = part_table(p) {
                    if missing.contains(&t) || img.in_cell {
                        match by_table.iter_mut().find(|(x, _)| *x == t) {
                            Some((_, v)) => v.push(img),
                            None => by_table.push((t, vec![img])),
                        }
                    }
                }
            }
            None => unplaced.push(img),
        }
    }
    // Images outside any part (the headings were not found): one per missing table, in order.
    let unexplained: Vec<TableId> = missing
        .iter()
        .copied()
        .filter(|t| !by_table.iter().any(|(x, _)| x == t))
        .collect();
    for (t, img) in unexplained.into_iter().zip(unplaced) {
        by_table.push((t, vec![img]));
    }
    by_table
}

fn image_findings(report: &mut Report, images: &[ArticleImage], parts: &[xxgk_model::Section]) {
    if images.is_empty() {
        return;
    }
    let mut by_table = flagged_images(report, images, parts);
    by_table.sort_by_key(|(t, _)| *t);
    for (t, imgs) in by_table {
        let Some(first) = imgs.first() else { continue };
        let more = if imgs.len() > 1 {
            format!("等 {} 张图片", imgs.len())
        } else {
            String::new()
        };
        report.findings.push(
            Finding::new(
                "READ-TABLE-IMAGE",
                Severity::Warning,
                format!(
                    "{}（{}）表格为图片，无法核验：第 {} 行的图片“{}”{more}",
                    t.short_name(),
                    t.title(),
                    first.line,
                    first.src
                ),
            )
            .at(Span::line(first.line)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An article without a title inside a portal page: the agency is the breadcrumb trail's
    /// last agency (READ-AGENCY-FROM-PAGE, as printed); without a trail, the `<title>`'s.
    #[test]
    fn the_agency_from_the_breadcrumbs_or_the_page_title() {
        let body = "<div id=\"zoom\"><p>一、总体情况</p><p>2022年，我区深入推进政务公开。</p>\
                    <p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>\
                    <p>四、政府信息公开行政复议、行政诉讼情况</p></div>";
        let page = format!(
            "<html><head><title>政府信息公开_洪泽区人民政府</title></head><body>\
             <div class=\"breadcrumb\">首页 &gt; 信息公开 &gt; 淮安市洪泽区教育局 &gt; 年度报告</div>{body}</body></html>"
        );
        let r = read(page.as_bytes(), Some("p.html")).expect("read");
        assert_eq!(r.meta.agency.as_deref(), Some("淮安市洪泽区教育局"));
        assert_eq!(r.meta.agency_printed.as_deref(), Some("淮安市洪泽区教育局"));
        let f: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.rule == crate::rules::AGENCY_FROM_PAGE)
            .collect();
        assert_eq!(f.len(), 1, "{:?}", r.findings);
        // No trail: the page title's agency, completed with the prefecture the text gives.
        let page = format!(
            "<html><head><title>政府信息公开_洪泽区人民政府</title></head><body>{}</body></html>",
            body.replace("我区", "淮安市洪泽区")
        );
        let r = read(page.as_bytes(), Some("p.html")).expect("read");
        assert_eq!(r.meta.agency.as_deref(), Some("淮安市洪泽区人民政府"));
        assert_eq!(r.meta.agency_printed.as_deref(), Some("洪泽区人民政府"));
        // A page that names no agency leaves it unknown.
        let page =
            format!("<html><head><title>政府信息公开</title></head><body>{body}</body></html>");
        let r = read(page.as_bytes(), Some("p.html")).expect("read");
        assert_eq!(r.meta.agency, None);
    }

    #[test]
    fn whitespace_collapses_as_a_browser_shows_it() {
        assert_eq!(collapse_ws("  a \n b  "), "a b");
        assert_eq!(collapse_ws("我局认真\n   贯彻"), "我局认真贯彻");
        assert_eq!(collapse_ws("2024 年"), "2024 年");
        assert_eq!(collapse_ws("\u{a0}"), "\u{a0}");
    }

    #[test]
    fn meta_charset_declarations() {
        assert_eq!(
            meta_charset(b"<head><meta charset=\"gb2312\">"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            meta_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=GBK\"><meta name=x>"
            ),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            meta_charset(b"<meta name=\"a\"><meta charset='utf-8'/>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(meta_charset(b"<meta name=\"charset\" content=\"x\">"), None);
    }

    #[test]
    fn declared_gbk_and_mislabelled_utf8() {
        let page = "<html><head><meta charset=\"gb2312\"></head><body><p>规章</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        assert!(decode_html(&gbk).unwrap().contains("规章"));
        // Declared GB2312, but the bytes are UTF-8.
        assert!(decode_html(page.as_bytes()).unwrap().contains("规章"));
        // Undeclared GBK is found by detection.
        let bare = "<p>行政许可</p>";
        let (gbk, _, _) = encoding_rs::GBK.encode(bare);
        assert!(decode_html(&gbk).unwrap().contains("行政许可"));
    }

    /// A page is cut before the start tag beyond MAX_CELLS table cells or MAX_ELEMENTS
    /// elements, found in one pass over the text (html5ever's tree of 2 million cells took
    /// over 1 GB).
    #[test]
    fn pages_are_cut_at_the_element_and_cell_limits() {
        let head = "<html><body><table>";
        let cells = format!("{head}{}", "<TD>1</td><th>2</th>".repeat(MAX_CELLS / 2));
        assert_eq!(element_limit(&cells), None);
        let more = format!("{cells}<td>3</td><p>x</p>");
        assert_eq!(element_limit(&more), Some(cells.len()));
        // <tdx>, <thead> are not cells; text and end tags are not elements.
        let not_cells = format!(
            "{head}{}",
            "<thead></thead><tdx>1</tdx>a < b".repeat(MAX_ELEMENTS / 2 - 2)
        );
        assert_eq!(element_limit(&not_cells), None);
        let elements = format!("<html>{}", "<p>1</p>".repeat(MAX_ELEMENTS - 1));
        assert_eq!(element_limit(&elements), None);
        let over = format!("{elements}<b>");
        assert_eq!(element_limit(&over), Some(elements.len()));
    }

    #[test]
    fn nesting_bound() {
        assert!(!depth_exceeds("<div><p>a<p>b</div>", 2));
        assert!(depth_exceeds(&"<div>".repeat(600), MAX_DEPTH));
        assert!(!depth_exceeds(&"<p><font>x".repeat(2000), MAX_DEPTH));
        assert!(depth_exceeds(&"<b>x".repeat(2000), MAX_DEPTH));
        // Comments and scripts do not count.
        assert!(!depth_exceeds(
            &format!(
                "<!--{}--><script>{}</script>",
                "<div>".repeat(600),
                "<div>".repeat(600)
            ),
            MAX_DEPTH
        ));
        assert!(!depth_exceeds(&"<div></div>".repeat(5000), MAX_DEPTH));
    }

    #[test]
    fn hidden_styles() {
        assert!(property_is(
            b"color:red; DISPLAY : None",
            b"display",
            b"none"
        ));
        assert!(!property_is(
            b"border: none; display:block",
            b"display",
            b"none"
        ));
        assert!(property_is(b"visibility:hidden", b"visibility", b"hidden"));
        assert!(!property_is(b"display", b"display", b"none"));
    }

    #[test]
    fn tool_lines() {
        assert!(is_tool_line("【打印本页】【关闭窗口】"));
        assert!(is_tool_line("字号：大 中 小"));
        assert!(!is_tool_line("（二）部分公开"));
        assert!(!is_tool_line(""));
    }
}
