//! Checks across years (rules.md §4.1 #7, §4.2 #9, §4.3 #12–14, §4.4 #17; §5 D3, D7, D9, D10):
//! one agency's reports of consecutive years, compared pairwise (year N − 1 → year N).
//!
//! A report takes part through its [`SeriesFacts`]: the little the rules read of it (agency,
//! year, format, the numbers of its tables with their spans, the text of parts 一 and 五).
//! [`Series`] keeps them compact — the cells as a few bytes each, the texts in a [`Spill`] (a
//! temporary file in `xxgk check`) — so that a batch of 100,000 reports fits in little memory. [`Series`] receives the
//! facts one report at a time, in input order, and returns at once the findings each report
//! completes:
//! * reports are keyed by agency (the expanded name, `meta.agency`, else the name as printed)
//!   and year; the first report of a key represents it. A later report of the same key gets one
//!   `CROSS-DUPLICATE` (naming the first) and takes no further part, so that each pair of years
//!   is compared once however many copies of a report the inputs hold;
//! * when a key's representative arrives, it is compared with the representative of the year
//!   before (findings for the new report) and of the year after (findings for that later
//!   report, which may have arrived before it).
//!
//! Findings belong to the later report and point to its cells and spans.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::sync::OnceLock;

use xxgk_model::catalogue::{self, Format, TableId, APPEAL_COLUMNS, APPLICANT_COLUMNS};
use xxgk_model::{CellId, Finding, Number, Report, ReportKind, Span, Value};

use crate::emit::{
    cell_id, cell_name, column_name, exact, finding, part_name, push_span, row_name, show, Exact,
};

/// The parts whose text is compared with last year's (一 总体情况, 五 问题及改进).
const COMPARED_PARTS: [u8; 2] = [1, 5];
/// The length of the character shingles.
const SHINGLE: usize = 5;
/// Texts with fewer shingles than this are too short to compare.
const MIN_SHINGLES: usize = 20;
/// CROSS-COPIED-TEXT fires from this Jaccard similarity (percent) on.
const COPIED_PERCENT: usize = 80;
/// CROSS-SAME-TABLES needs at least this many non-zero cells.
const MIN_NONZERO_CELLS: usize = 3;
/// A fee exactly this many times last year's was entered in 元 in one of the years.
const YUAN_PER_WAN: Exact = 10_000;

/// Every cell identifier of the catalogue (both formats), sorted: a cell of [`SeriesFacts`] is
/// stored as its index here (two bytes instead of forty).
fn all_cells() -> &'static [CellId] {
    static CELLS: OnceLock<Vec<CellId>> = OnceLock::new();
    CELLS.get_or_init(|| {
        let mut ids: Vec<CellId> = Format::ALL
            .iter()
            .flat_map(|f| catalogue::tables(*f))
            .flat_map(|def| {
                def.printed_rows().into_iter().flat_map(move |row| {
                    row.columns.iter().map(move |col| CellId {
                        table: def.id,
                        row: row.key,
                        column: col.key,
                    })
                })
            })
            .collect();
        ids.sort();
        ids.dedup();
        ids
    })
}

/// The index of a cell identifier in [`all_cells`].
fn slot(id: &CellId) -> Option<u16> {
    all_cells()
        .binary_search(id)
        .ok()
        .and_then(|i| u16::try_from(i).ok())
}

/// What the cross-year rules need of one report. Built with [`SeriesFacts::of`].
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesFacts {
    source: Option<String>,
    agency: Option<String>,
    year: Option<i32>,
    kind: ReportKind,
    /// Every cell by its index in [`all_cells`], in the order of their identifiers: its number
    /// (`None` for a blank or text cell, which only lends its span to a finding) and span.
    cells: Box<[(u16, Option<Number>, Span)]>,
    /// Cells the catalogue does not list, should a reader produce one (normally none).
    others: Vec<(CellId, Option<Number>, Span)>,
    /// Parts 一 and 五 as (part, line of the heading, the characters the similarity compares:
    /// the text without whitespace and digits, see [`shingle_chars`]).
    parts: Vec<(u8, u32, Box<str>)>,
}

impl SeriesFacts {
    /// The facts of a report.
    pub fn of(r: &Report) -> SeriesFacts {
        let mut cells = Vec::new();
        let mut others = Vec::new();
        // Both the report's map and the catalogue's list are in identifier order: walk them
        // together instead of searching the list for every cell.
        let all = all_cells();
        let mut at = 0;
        for (id, c) in &r.cells {
            let n = match c.value {
                Value::Number(n) => Some(n),
                Value::Blank | Value::Text(_) => None,
            };
            while all.get(at).is_some_and(|known| known < id) {
                at += 1;
            }
            match u16::try_from(at) {
                Ok(k) if all.get(at) == Some(id) => cells.push((k, n, c.span)),
                _ => others.push((*id, n, c.span)),
            }
        }
        let parts = COMPARED_PARTS
            .iter()
            .filter_map(|&n| crate::structure::section(r, n))
            // Only the compared characters: filtering them again changes nothing.
            .map(|s| {
                let text: String = s.text.chars().filter(|c| compared(*c)).collect();
                (s.part, s.line, text.into_boxed_str())
            })
            .collect();
        SeriesFacts {
            source: r.source.clone(),
            agency: r
                .meta
                .agency
                .as_deref()
                .or(r.meta.agency_printed.as_deref())
                .map(str::to_string),
            year: r.meta.year,
            kind: r.kind,
            cells: cells.into_boxed_slice(),
            others,
            parts,
        }
    }

    /// The file the report was read from, if known.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The agency the report belongs to (expanded name, else as printed).
    pub fn agency(&self) -> Option<&str> {
        self.agency.as_deref()
    }

    /// The report's year.
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// The report's kind (format, or pre-2019).
    pub fn kind(&self) -> ReportKind {
        self.kind
    }

    fn format(&self) -> Option<Format> {
        self.kind.format()
    }

    fn cell(&self, id: &CellId) -> Option<(Option<Number>, Span)> {
        match slot(id) {
            Some(k) => self
                .cells
                .binary_search_by_key(&k, |(s, ..)| *s)
                .ok()
                .and_then(|i| self.cells.get(i))
                .map(|(_, n, span)| (*n, *span)),
            None => self
                .others
                .iter()
                .find(|(other, ..)| other == id)
                .map(|(_, n, span)| (*n, *span)),
        }
    }

    /// The number in a cell (`None` when absent, blank or text).
    fn num(&self, id: &CellId) -> Option<Exact> {
        self.cell(id).and_then(|(n, _)| n).map(exact)
    }

    /// The compared characters of part `n`, with the heading's line.
    fn part(&self, n: u8) -> Option<(u32, &str)> {
        self.parts
            .iter()
            .find(|(p, ..)| *p == n)
            .map(|(_, line, text)| (*line, &**text))
    }

    /// The numbers of the tables (`nonzero`: only those that are not 0), in a fixed order.
    fn numbers(&self, nonzero: bool) -> Vec<(CellId, Exact)> {
        let known = self
            .cells
            .iter()
            .filter_map(|(k, n, _)| Some((*all_cells().get(usize::from(*k))?, exact((*n)?))));
        let others = self
            .others
            .iter()
            .filter_map(|(id, n, _)| Some((*id, exact((*n)?))));
        known
            .chain(others)
            .filter(|(_, v)| !nonzero || *v != 0)
            .collect()
    }
}

/// Add cells to a finding with their spans in `report` (see [`crate::emit::with_cells`]).
fn with_cells(mut f: Finding, report: &SeriesFacts, ids: &[CellId]) -> Finding {
    for id in ids {
        if !f.cells.contains(id) {
            f.cells.push(*id);
        }
        if let Some((_, span)) = report.cell(id) {
            push_span(&mut f, span);
        }
    }
    f
}

/// Where [`Series`] keeps the compared part texts of the reports it holds: a temporary file in
/// `xxgk check` ([`Series::with_spill`]), memory otherwise. Texts are appended and read back only
/// when a pair of years is compared.
pub trait Spill: Read + Write + Seek + Send {}
impl<T: Read + Write + Seek + Send> Spill for T {}

/// Where a kept report's part text is.
#[derive(Debug)]
enum PartText {
    /// In the spill, at this offset, this many bytes.
    Spilled { offset: u64, len: u32 },
    /// Kept in memory (the spill could not be written).
    Inline(Box<str>),
}

/// What [`Series`] keeps of a report: the facts with the cells encoded as bytes (a few per cell
/// instead of forty-eight) and the part texts in the spill. Expanded back into [`SeriesFacts`]
/// only when a pair of years is compared.
#[derive(Debug)]
struct Kept {
    id: usize,
    source: Option<Box<str>>,
    kind: ReportKind,
    cells: Box<[u8]>,
    others: Box<[(CellId, Option<Number>, Span)]>,
    parts: Box<[(u8, u32, PartText)]>,
}

impl Kept {
    /// Heap and inline bytes of this entry (the spilled texts not counted).
    fn bytes(&self) -> usize {
        std::mem::size_of::<Kept>()
            + self.source.as_deref().map_or(0, str::len)
            + self.cells.len()
            + std::mem::size_of_val(&*self.others)
            + std::mem::size_of_val(&*self.parts)
            + self
                .parts
                .iter()
                .map(|(.., t)| match t {
                    PartText::Inline(s) => s.len(),
                    PartText::Spilled { .. } => 0,
                })
                .sum::<usize>()
    }
}

/// Append a number to `out` as a LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Read a LEB128 varint at `*at`, advancing it (`None` at a truncated or overlong one).
fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// The cells of [`SeriesFacts`] as bytes: per cell a tag (value kind, column and page present),
/// the slot's distance from the previous cell's, the line's difference from the previous cell's,
/// column, page, then the number.
fn encode_cells(cells: &[(u16, Option<Number>, Span)]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(cells.len() * 6);
    let (mut slot, mut line) = (0u16, 0i64);
    for (k, n, span) in cells {
        let kind = match n {
            None => 0u8,
            Some(Number::Int(_)) => 1,
            Some(Number::Decimal { .. }) => 2,
        };
        let tag = kind | u8::from(span.column.is_some()) << 2 | u8::from(span.page.is_some()) << 3;
        out.push(tag);
        put_varint(&mut out, u64::from(k.wrapping_sub(slot)));
        put_varint(&mut out, zigzag(i64::from(span.line) - line));
        if let Some(c) = span.column {
            put_varint(&mut out, u64::from(c));
        }
        if let Some(p) = span.page {
            put_varint(&mut out, u64::from(p));
        }
        match n {
            None => {}
            Some(Number::Int(i)) => put_varint(&mut out, zigzag(*i)),
            Some(Number::Decimal { mantissa, scale }) => {
                put_varint(&mut out, zigzag(*mantissa));
                out.push(*scale);
            }
        }
        slot = *k;
        line = i64::from(span.line);
    }
    out.into_boxed_slice()
}

/// The cells [`encode_cells`] wrote (`None` if the bytes are not its output).
fn decode_cells(bytes: &[u8]) -> Option<Vec<(u16, Option<Number>, Span)>> {
    let mut cells = Vec::new();
    let (mut at, mut slot, mut line) = (0usize, 0u16, 0i64);
    while at < bytes.len() {
        let tag = bytes[at];
        at += 1;
        slot = slot.wrapping_add(u16::try_from(get_varint(bytes, &mut at)?).ok()?);
        line += unzigzag(get_varint(bytes, &mut at)?);
        let column = if tag & 4 != 0 {
            Some(u32::try_from(get_varint(bytes, &mut at)?).ok()?)
        } else {
            None
        };
        let page = if tag & 8 != 0 {
            Some(u32::try_from(get_varint(bytes, &mut at)?).ok()?)
        } else {
            None
        };
        let n = match tag & 3 {
            0 => None,
            1 => Some(Number::Int(unzigzag(get_varint(bytes, &mut at)?))),
            2 => {
                let mantissa = unzigzag(get_varint(bytes, &mut at)?);
                let scale = *bytes.get(at)?;
                at += 1;
                Some(Number::Decimal { mantissa, scale })
            }
            _ => return None,
        };
        let span = Span {
            line: u32::try_from(line).ok()?,
            column,
            page,
        };
        cells.push((slot, n, span));
    }
    Some(cells)
}

/// The cross-year rules over a batch of reports, fed one report at a time in input order.
///
/// Of each report it keeps only compact facts: agency, year, kind, source, the cells as a few
/// bytes each, and where its parts 一 and 五 are in the [`Spill`] (never the texts themselves),
/// so that its memory grows by about a kilobyte and a half per report whatever the reports'
/// length.
pub struct Series {
    /// The representative of each (agency, year).
    first: HashMap<(String, i32), Kept>,
    /// The compared texts of the representatives.
    spill: Box<dyn Spill>,
    /// The spill's length (where the next text goes).
    spill_len: u64,
    /// Texts the spill failed to write (kept in memory instead) or to read back (not compared).
    spill_errors: usize,
}

impl std::fmt::Debug for Series {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Series")
            .field("first", &self.first)
            .field("spill_len", &self.spill_len)
            .field("spill_errors", &self.spill_errors)
            .finish_non_exhaustive()
    }
}

impl Default for Series {
    fn default() -> Series {
        Series::with_spill(Box::new(Cursor::new(Vec::new())))
    }
}

impl Series {
    /// An empty batch; the part texts are kept in memory (one buffer).
    pub fn new() -> Series {
        Series::default()
    }

    /// An empty batch whose part texts go to `spill` (e.g. an anonymous temporary file), read
    /// back only when two years are compared: memory stays small however many reports come.
    pub fn with_spill(spill: Box<dyn Spill>) -> Series {
        Series {
            first: HashMap::new(),
            spill,
            spill_len: 0,
            spill_errors: 0,
        }
    }

    /// Add the next report, under the caller's `id` (e.g. its position among the inputs).
    /// Returns the findings this report completes, each with the id of the report it belongs
    /// to: this one, or a report of the next year added before. A report without agency or year
    /// takes no part.
    pub fn add(&mut self, id: usize, facts: SeriesFacts) -> Vec<(usize, Finding)> {
        let (Some(agency), Some(year)) = (facts.agency.clone(), facts.year) else {
            return Vec::new();
        };
        let key = (agency, year);
        if self.first.contains_key(&key) {
            let first = self.expand(&key.0, year);
            return first
                .map(|first| vec![(id, duplicate(&first, &facts, &key.0, year))])
                .unwrap_or_default();
        }
        let mut out = Vec::new();
        if let Some(prev) = self.expand(&key.0, year - 1) {
            let mut found = Vec::new();
            pair(&prev, &facts, year - 1, &mut found);
            out.extend(found.into_iter().map(|f| (id, f)));
        }
        if let Some(next) = self.expand(&key.0, year + 1) {
            let next_id = self.first.get(&(key.0.clone(), year + 1)).map(|k| k.id);
            let mut found = Vec::new();
            pair(&facts, &next, year, &mut found);
            if let Some(next_id) = next_id {
                out.extend(found.into_iter().map(|f| (next_id, f)));
            }
        }
        let kept = self.keep(id, facts);
        self.first.insert(key, kept);
        out
    }

    /// The reports kept (one per agency and year).
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// Whether no report is kept.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// Texts the spill could not write (kept in memory) or read back (their pair of years was
    /// compared without them).
    pub fn spill_errors(&self) -> usize {
        self.spill_errors
    }

    /// The bytes the kept facts take in memory (keys included, the spill not).
    pub fn kept_bytes(&self) -> usize {
        self.first
            .iter()
            .map(|((agency, _), kept)| {
                std::mem::size_of::<(String, i32)>() + agency.len() + kept.bytes()
            })
            .sum()
    }

    /// The compact form of `facts`: cells encoded, part texts appended to the spill.
    fn keep(&mut self, id: usize, facts: SeriesFacts) -> Kept {
        let parts = facts
            .parts
            .into_iter()
            .map(|(part, line, text)| {
                let offset = self.spill_len;
                let written = u32::try_from(text.len()).ok().filter(|_| {
                    self.spill.seek(SeekFrom::Start(offset)).is_ok()
                        && self.spill.write_all(text.as_bytes()).is_ok()
                });
                let text = match written {
                    Some(len) => {
                        self.spill_len += u64::from(len);
                        PartText::Spilled { offset, len }
                    }
                    None => {
                        self.spill_errors += 1;
                        PartText::Inline(text)
                    }
                };
                (part, line, text)
            })
            .collect();
        Kept {
            id,
            source: facts.source.map(String::into_boxed_str),
            kind: facts.kind,
            cells: encode_cells(&facts.cells),
            others: facts.others.into_boxed_slice(),
            parts,
        }
    }

    /// The facts of the kept report of (`agency`, `year`), if any, with its texts read back.
    fn expand(&mut self, agency: &str, year: i32) -> Option<SeriesFacts> {
        let kept = self.first.get(&(agency.to_string(), year))?;
        let mut parts = Vec::with_capacity(kept.parts.len());
        for (part, line, text) in kept.parts.iter() {
            let text = match text {
                PartText::Inline(s) => Some(s.clone()),
                PartText::Spilled { offset, len } => {
                    let mut buf = vec![0u8; *len as usize];
                    let read = self.spill.seek(SeekFrom::Start(*offset)).is_ok()
                        && self.spill.read_exact(&mut buf).is_ok();
                    read.then(|| String::from_utf8(buf).ok())
                        .flatten()
                        .map(String::into_boxed_str)
                }
            };
            match text {
                Some(t) => parts.push((*part, *line, t)),
                None => self.spill_errors += 1,
            }
        }
        Some(SeriesFacts {
            source: kept.source.as_deref().map(str::to_string),
            agency: Some(agency.to_string()),
            year: Some(year),
            kind: kept.kind,
            // Encoded by `keep` from valid cells: decoding cannot fail.
            cells: decode_cells(&kept.cells)
                .unwrap_or_default()
                .into_boxed_slice(),
            others: kept.others.to_vec(),
            parts,
        })
    }
}

/// Run the cross-year checks over reports given at once; see [`crate::check_series`].
pub(crate) fn check(reports: &[&Report]) -> Vec<(usize, Finding)> {
    let mut series = Series::new();
    let mut out: Vec<(usize, Finding)> = reports
        .iter()
        .enumerate()
        .flat_map(|(i, r)| series.add(i, SeriesFacts::of(r)))
        .collect();
    out.sort_by_key(|(i, _)| *i);
    out
}

/// CROSS-DUPLICATE: `later` is of the same agency and year as `first`.
fn duplicate(first: &SeriesFacts, later: &SeriesFacts, agency: &str, year: i32) -> Finding {
    let name = |f: &SeriesFacts| f.source().unwrap_or("（来源不详）").to_string();
    let same = first.numbers(false) == later.numbers(false);
    finding(
        "CROSS-DUPLICATE",
        format!(
            "与“{}”是同一机关（{agency}）同一年度（{year} 年）的报告，两份报告的表格数字{}；跨年度核对只使用先读到的“{}”",
            name(first),
            if same { "相同" } else { "不同，请核实哪一份是正式版本" },
            name(first)
        ),
    )
    .expected_found(name(first), name(later))
}

/// Compare `prev` (year `py`) with `cur`.
fn pair(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    let (Some(pf), Some(cf)) = (prev.format(), cur.format()) else {
        return;
    };
    carry_over(prev, cur, py, out);
    pending(prev, cur, py, out);
    if pf == Format::F2021 && cf == Format::F2021 {
        stock(prev, cur, py, out);
        fee_unit(prev, cur, py, out);
    }
    if pf == Format::F2019 && cf == Format::F2019 {
        items_2019(prev, cur, py, out);
    }
    copied_text(prev, cur, py, out);
    same_tables(prev, cur, py, out);
}

/// CROSS-CARRY-OVER: 二 (N) = 四 (N − 1), per column.
fn carry_over(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    let t = TableId::Requests;
    for col in APPLICANT_COLUMNS {
        let now = cell_id(t, "carried_over", col.key);
        let before = cell_id(t, "carried_forward", col.key);
        let (Some(n), Some(b)) = (cur.num(&now), prev.num(&before)) else {
            continue;
        };
        if n == b {
            continue;
        }
        let f = finding(
            "CROSS-CARRY-OVER",
            format!(
                "{}“{}”列：本年“{}”为 {}，但 {py} 年度报告“{}”为 {}",
                t.short_name(),
                column_name(t, col),
                crate::emit::row_name_of(cur.format(), t, now.row),
                show(n),
                crate::emit::row_name_of(prev.format(), t, before.row),
                show(b)
            ),
        )
        .expected_found(show(b), show(n));
        out.push(with_cells(f, cur, &[now]));
    }
}

/// CROSS-PENDING: last year's 尚未审结, for reference.
fn pending(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    let t = TableId::Appeals;
    let Some(pending_col) = APPEAL_COLUMNS.iter().find(|c| c.key == "pending") else {
        return;
    };
    let Some(total_col) = APPEAL_COLUMNS.last() else {
        return;
    };
    let mut parts = Vec::new();
    let mut cells = Vec::new();
    for row in catalogue::APPEALS_2021.rows {
        let id = cell_id(t, row.key, pending_col.key);
        if let Some(v) = prev.num(&id).filter(|v| *v > 0) {
            let now = cell_id(t, row.key, total_col.key);
            let this_year = cur.num(&now).map_or_else(|| "未填".to_string(), show);
            parts.push(format!(
                "“{}”{} {}（本年“{}”为 {this_year}）",
                row_name(row),
                pending_col.label,
                show(v),
                total_col.label
            ));
            cells.push(now);
        }
    }
    if parts.is_empty() {
        return;
    }
    let f = finding(
        "CROSS-PENDING",
        format!(
            "{py} 年度报告{}有尚未审结的案件：{}。是否在本年重复统计没有统一规定，请对照核实",
            t.short_name(),
            parts.join("；")
        ),
    );
    out.push(with_cells(f, cur, &cells));
}

/// CROSS-STOCK and CROSS-REPEALED-BOUND (2021 format, both years).
fn stock(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    let t = TableId::Active;
    let def = catalogue::table(Format::F2021, t);
    for key in ["rules", "normative_documents"] {
        let Some(row) = def.row(key) else { continue };
        let label = |c: &str| {
            row.columns
                .iter()
                .find(|d| d.key == c)
                .map_or("", |d| d.label)
        };
        let issued = cell_id(t, row.key, "issued");
        let repealed = cell_id(t, row.key, "repealed");
        let in_force = cell_id(t, row.key, "in_force");
        let (Some(p), Some(i), Some(r)) =
            (prev.num(&in_force), cur.num(&issued), cur.num(&repealed))
        else {
            continue;
        };
        if r > p + i {
            let f = finding(
                "CROSS-REPEALED-BOUND",
                format!(
                    "{}“{}”行：{}（{}）大于 {py} 年度{}（{}）与{}（{}）之和 {}",
                    t.short_name(),
                    row_name(row),
                    label("repealed"),
                    show(r),
                    label("in_force"),
                    show(p),
                    label("issued"),
                    show(i),
                    show(p + i)
                ),
            )
            .expected_found(format!("≤ {}", show(p + i)), show(r));
            out.push(with_cells(f, cur, &[repealed, issued]));
        }
        let Some(n) = cur.num(&in_force) else {
            continue;
        };
        let expected = p + i - r;
        if n != expected {
            let delta = n - expected;
            let sign = if delta > 0 { "+" } else { "" };
            let f = finding(
                "CROSS-STOCK",
                format!(
                    "{}“{}”行：{}为 {}，按 {py} 年度{} {} + {} {} − {} {} 推算约为 {}，相差 {sign}{}",
                    t.short_name(),
                    row_name(row),
                    label("in_force"),
                    show(n),
                    label("in_force"),
                    show(p),
                    label("issued"),
                    show(i),
                    label("repealed"),
                    show(r),
                    show(expected),
                    show(delta)
                ),
            )
            .expected_found(show(expected), show(n));
            out.push(with_cells(f, cur, &[in_force, issued, repealed]));
        }
    }
}

/// CROSS-FEE-UNIT: 本年收费金额 exactly 10,000 times last year's, or the reverse.
fn fee_unit(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    let id = cell_id(TableId::Active, "fees", "amount");
    let (Some(p), Some(n)) = (prev.num(&id), cur.num(&id)) else {
        return;
    };
    if p == 0 || n == 0 || (n != p * YUAN_PER_WAN && p != n * YUAN_PER_WAN) {
        return;
    }
    let f = finding(
        "CROSS-FEE-UNIT",
        format!(
            "{}为 {}，恰为 {py} 年度（{}）的 {} 倍，很可能其中一年按元填写",
            cell_name(cur.format(), &id),
            show(n),
            show(p),
            if n > p { "10000" } else { "1/10000" }
        ),
    )
    .expected_found(show(p), show(n));
    out.push(with_cells(f, cur, &[id]));
}

/// CROSS-2019-ITEMS: 上一年项目数量 (N) = 上一年项目数量 (N − 1) + 本年增/减 (N − 1).
fn items_2019(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    let t = TableId::Active;
    let def = catalogue::table(Format::F2019, t);
    for row in def.rows {
        let (Some(items), Some(change)) = (
            row.columns.iter().find(|c| c.key == "previous_items"),
            row.columns.iter().find(|c| c.key == "change"),
        ) else {
            continue;
        };
        let id_items = cell_id(t, row.key, items.key);
        let id_change = cell_id(t, row.key, change.key);
        let (Some(now), Some(before), Some(delta)) = (
            cur.num(&id_items),
            prev.num(&id_items),
            prev.num(&id_change),
        ) else {
            continue;
        };
        let expected = before + delta;
        if now != expected {
            let f = finding(
                "CROSS-2019-ITEMS",
                format!(
                    "{}“{}”行：{}为 {}，但 {py} 年度报告的{} {} 加{} {} 为 {}",
                    t.short_name(),
                    row_name(row),
                    items.label,
                    show(now),
                    items.label,
                    show(before),
                    change.label,
                    show(delta),
                    show(expected)
                ),
            )
            .expected_found(show(expected), show(now));
            out.push(with_cells(f, cur, &[id_items]));
        }
    }
}

/// The characters of a text that the similarity compares: no whitespace, no digits (a text
/// copied with its years and numbers changed is still a copy).
fn shingle_chars(s: &str) -> Vec<char> {
    s.chars().filter(|c| compared(*c)).collect()
}

/// Whether the similarity compares a character (see [`shingle_chars`]).
fn compared(c: char) -> bool {
    !c.is_whitespace() && !c.is_ascii_digit() && !('０'..='９').contains(&c)
}

/// The Jaccard similarity (percent) of two texts' character shingles, if both are long enough.
pub(crate) fn similarity(a: &str, b: &str) -> Option<usize> {
    let (ca, cb) = (shingle_chars(a), shingle_chars(b));
    let sa: HashSet<&[char]> = ca.windows(SHINGLE).collect();
    let sb: HashSet<&[char]> = cb.windows(SHINGLE).collect();
    if sa.len() < MIN_SHINGLES || sb.len() < MIN_SHINGLES {
        return None;
    }
    let inter = sa.intersection(&sb).count();
    let union = sa.len() + sb.len() - inter;
    (union > 0).then(|| inter * 100 / union)
}

/// CROSS-COPIED-TEXT: parts 一 and 五 nearly identical to last year's.
fn copied_text(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    for part in COMPARED_PARTS {
        let (Some((_, p)), Some((line, c))) = (prev.part(part), cur.part(part)) else {
            continue;
        };
        // The stored texts are filtered already; filtering again changes nothing.
        let Some(share) = similarity(p, c) else {
            continue;
        };
        if share >= COPIED_PERCENT {
            let mut f = finding(
                "CROSS-COPIED-TEXT",
                format!(
                    "{}与 {py} 年度报告的同一部分高度雷同：去掉空白和数字后，{SHINGLE} 字片段的相似度为 {share}%",
                    part_name(part)
                ),
            )
            .expected_found(format!("< {COPIED_PERCENT}%"), format!("{share}%"));
            push_span(&mut f, Span::line(line));
            out.push(f);
        }
    }
}

/// CROSS-SAME-TABLES: every non-zero number equal to last year's.
fn same_tables(prev: &SeriesFacts, cur: &SeriesFacts, py: i32, out: &mut Vec<Finding>) {
    if prev.format() != cur.format() {
        return;
    }
    let now = cur.numbers(true);
    if now.len() < MIN_NONZERO_CELLS || now != prev.numbers(true) {
        return;
    }
    let ids: Vec<CellId> = now.iter().map(|(id, _)| *id).collect();
    let f = finding(
        "CROSS-SAME-TABLES",
        format!(
            "三张表中全部 {} 个非零数字与 {py} 年度报告完全相同，可能照搬往年数据",
            now.len()
        ),
    )
    .expected_found("与上年度不同的本年数据", "与上年度完全相同");
    out.push(with_cells(f, cur, &ids));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{consistent, set};
    use xxgk_model::{Cell, Located};

    #[test]
    fn facts_keep_the_numbers_with_their_spans() {
        let mut r = consistent(Format::F2021);
        set(&mut r, "requests.granted.natural_person", Value::Blank);
        set(&mut r, "requests.granted.total", Value::Text("/".into()));
        let odd = CellId {
            table: TableId::Requests,
            row: "not_in_the_catalogue",
            column: "total",
        };
        r.cells.insert(
            odd,
            Cell {
                value: Value::int(7),
                span: Span::line(99),
                printed_column: None,
                located: Located::Label,
                ocr: None,
            },
        );
        let facts = SeriesFacts::of(&r);
        let numbers = r
            .cells
            .values()
            .filter(|c| matches!(c.value, Value::Number(_)))
            .count();
        assert_eq!(facts.numbers(false).len(), numbers);
        let id = |k: &str| CellId::parse(k).expect("catalogue key");
        assert_eq!(facts.num(&id("requests.granted.natural_person")), None);
        assert_eq!(facts.num(&id("requests.granted.total")), None);
        // A blank cell keeps its span (a finding may point to it), not a number.
        let blank = id("requests.granted.natural_person");
        assert_eq!(facts.cell(&blank), Some((None, r.cells[&blank].span)));
        let carried = id("requests.carried_over.total");
        assert_eq!(
            facts.cell(&carried).map(|(_, span)| span),
            Some(r.cells[&carried].span)
        );
        assert_eq!(facts.num(&odd), Some(exact(Number::Int(7))));
        assert_eq!(facts.others.len(), 1);
        assert_eq!(facts.agency(), r.meta.agency.as_deref());
        assert!(facts.part(1).is_some() && facts.part(5).is_some() && facts.part(2).is_none());
    }

    #[test]
    fn encoded_cells_decode_to_the_same_cells() {
        let span = |line, column, page| Span { line, column, page };
        let cells = vec![
            (0, Some(Number::Int(0)), span(0, None, None)),
            (
                1,
                Some(Number::Int(i64::MAX)),
                span(u32::MAX, Some(u32::MAX), Some(7)),
            ),
            (2, Some(Number::Int(i64::MIN)), span(3, Some(0), None)),
            (
                300,
                Some(Number::Decimal {
                    mantissa: -12_345,
                    scale: 2,
                }),
                span(2, None, Some(u32::MAX)),
            ),
            (
                301,
                Some(Number::Decimal {
                    mantissa: i64::MIN,
                    scale: 255,
                }),
                span(2, Some(40), Some(1)),
            ),
            (u16::MAX, None, span(1, Some(5), None)),
        ];
        let bytes = encode_cells(&cells);
        assert_eq!(decode_cells(&bytes), Some(cells));
        // A small cell takes a few bytes (tag, slot step, line step, column, value).
        assert_eq!(
            encode_cells(&[(3, Some(Number::Int(12)), span(40, Some(3), None))]).len(),
            5
        );
        assert_eq!(decode_cells(&[0x01, 0x80]), None, "truncated varint");
    }

    /// The kept facts do not hold the part texts: a report whose parts 一 and 五 are 50,000
    /// characters long costs the series exactly what one with short parts costs, and the
    /// copied text is still found (read back from the spill).
    #[test]
    fn kept_facts_do_not_grow_with_the_part_texts() {
        let long = "本机关认真贯彻落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开。"
            .repeat(1_300);
        assert!(long.chars().count() > 50_000);
        let short =
            "本机关认真贯彻落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开。";
        let kept = |text: &str| {
            let mut r = consistent(Format::F2021);
            crate::testutil::set_text(&mut r, 1, text);
            crate::testutil::set_text(&mut r, 5, text);
            let mut series = Series::new();
            assert!(series.add(0, SeriesFacts::of(&r)).is_empty());
            series.kept_bytes()
        };
        let small = kept(short);
        assert_eq!(kept(&long), small);
        // Cells take a few bytes each, not the 48 of a decoded cell.
        let cells = consistent(Format::F2021).cells.len();
        assert!(small < 200 + cells * 8, "{small} bytes for {cells} cells");

        let mut prev = consistent(Format::F2021);
        let mut cur = prev.clone();
        prev.meta.year = Some(2023);
        for r in [&mut prev, &mut cur] {
            crate::testutil::set_text(r, 1, &long);
        }
        let mut series = Series::with_spill(Box::new(Cursor::new(Vec::new())));
        assert!(series.add(0, SeriesFacts::of(&prev)).is_empty());
        let out = series.add(1, SeriesFacts::of(&cur));
        assert!(
            out.iter()
                .any(|(i, f)| *i == 1 && f.rule == "CROSS-COPIED-TEXT"),
            "{out:#?}"
        );
        assert_eq!(series.spill_errors(), 0);
    }

    /// A spill that cannot be written keeps the texts in memory: nothing is lost.
    #[test]
    fn a_failing_spill_keeps_the_texts_in_memory() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("broken"))
            }
        }
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("broken"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        impl Seek for Broken {
            fn seek(&mut self, _: SeekFrom) -> std::io::Result<u64> {
                Ok(0)
            }
        }
        let mut prev = consistent(Format::F2021);
        let cur = prev.clone();
        prev.meta.year = Some(2023);
        let mut series = Series::with_spill(Box::new(Broken));
        assert!(series.add(0, SeriesFacts::of(&prev)).is_empty());
        assert_eq!(series.spill_errors(), 2, "parts 一 and 五 not written");
        let out = series.add(1, SeriesFacts::of(&cur));
        assert!(
            out.iter().any(|(_, f)| f.rule == "CROSS-COPIED-TEXT"),
            "{out:#?}"
        );
        assert_eq!(series.spill_errors(), 4);
    }

    #[test]
    fn similarity_ignores_digits_and_whitespace() {
        let a = "2023年，我局认真贯彻落实政府信息公开条例，扎实推进政务公开工作，全年主动公开信息12条，持续提升公开质量和实效。";
        let b = "2024 年，我局认真贯彻落实政府信息公开条例，扎实推进政务公开工作，全年主动公开信息 57 条，持续提升公开质量和实效。";
        assert_eq!(similarity(a, b), Some(100));
        assert!(similarity("短", "短").is_none());
        let c = "本年度重点围绕营商环境优化开展专项公开，新增惠企政策专栏，组织线上培训三次，群众满意度明显提高。";
        assert!(similarity(a, c).is_some_and(|s| s < 20));
    }
}
