//! The report type: metadata, the six parts and the table cells, each with provenance.
//!
//! Architecture invariant: a [`Value`] is what the report prints. A blank cell is
//! [`Value::Blank`], never 0; text such as "/" is [`Value::Text`]; nothing here computes a value.

use std::collections::BTreeMap;
use std::fmt;

use crate::catalogue::{self, Format, TableId};
use crate::finding::Finding;

/// A number exactly as printed: an integer, or a decimal kept as mantissa and scale so that
/// "96171.6" stays 96171.6 and sums of amounts stay exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Number {
    Int(i64),
    Decimal { mantissa: i64, scale: u8 },
}

impl Number {
    pub fn as_int(self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(i),
            Number::Decimal { .. } => None,
        }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Decimal { mantissa, scale } => mantissa as f64 / 10f64.powi(scale as i32),
        }
    }

    pub fn is_negative(self) -> bool {
        match self {
            Number::Int(i) => i < 0,
            Number::Decimal { mantissa, .. } => mantissa < 0,
        }
    }

    /// Parse an ASCII number as printed in a table cell: optional sign, digits, optional
    /// thousands separators in groups of three, optional decimal part. Returns `None` for
    /// anything else (the caller keeps it as text).
    pub fn parse(s: &str) -> Option<Number> {
        // One pass over the bytes (a report's cells are classified several times each: this
        // was 5% of reading a text report as split/filter/chain).
        let b = s.as_bytes();
        let (neg, mut i) = match b.first()? {
            b'-' => (true, 1),
            b'+' => (false, 1),
            _ => (false, 0),
        };
        let int_start = i;
        let mut mantissa: i64 = 0;
        let mut count = 0u32;
        // Digits since the start or the last separator; whether a separator was seen.
        let mut group = 0usize;
        let mut grouped = false;
        while let Some(&c) = b.get(i) {
            match c {
                b'0'..=b'9' => {
                    count += 1;
                    if count > 18 {
                        return None;
                    }
                    mantissa = mantissa * 10 + i64::from(c - b'0');
                    group += 1;
                }
                b',' => {
                    // The first group has one to three digits, every later one three.
                    let ok = if grouped {
                        group == 3
                    } else {
                        (1..=3).contains(&group)
                    };
                    if !ok {
                        return None;
                    }
                    grouped = true;
                    group = 0;
                }
                b'.' => break,
                _ => return None,
            }
            i += 1;
        }
        if i == int_start || (grouped && group != 3) {
            return None;
        }
        let scale = if i < b.len() {
            // After the point: one to six digits, nothing else.
            let frac = &b[i + 1..];
            if frac.is_empty() || frac.len() > 6 {
                return None;
            }
            for &c in frac {
                if !c.is_ascii_digit() {
                    return None;
                }
                count += 1;
                if count > 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(c - b'0');
            }
            Some(frac.len() as u8)
        } else {
            None
        };
        let mantissa = if neg { -mantissa } else { mantissa };
        Some(match scale {
            None => Number::Int(mantissa),
            Some(scale) => Number::Decimal { mantissa, scale },
        })
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Decimal { mantissa, scale } => {
                let sign = if mantissa < 0 { "-" } else { "" };
                let m = mantissa.unsigned_abs();
                let p = 10u64.pow(scale as u32);
                write!(
                    f,
                    "{sign}{}.{:0width$}",
                    m / p,
                    m % p,
                    width = scale as usize
                )
            }
        }
    }
}

/// What a table cell prints.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Number(Number),
    /// Nothing printed (or only whitespace / &nbsp;). Serialized as `null`.
    Blank,
    /// Something printed that is not a number: "/", "-", "无", …
    Text(String),
}

impl Value {
    pub fn int(i: i64) -> Value {
        Value::Number(Number::Int(i))
    }

    pub fn as_number(&self) -> Option<Number> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_int)
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Value::Blank)
    }

    /// The JSON form of schema.md: a number, `null` or a string.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Number(Number::Int(i)) => serde_json::Value::from(*i),
            Value::Number(n) => serde_json::Number::from_f64(n.as_f64())
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Blank => serde_json::Value::Null,
            Value::Text(t) => serde_json::Value::String(t.clone()),
        }
    }

    /// Read the JSON form back. Returns `None` for JSON that no cell can hold (arrays, objects,
    /// booleans).
    pub fn from_json(v: &serde_json::Value) -> Option<Value> {
        match v {
            serde_json::Value::Null => Some(Value::Blank),
            serde_json::Value::String(s) => Some(Value::Text(s.clone())),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Some(Value::int(i))
                } else {
                    Number::parse(&n.to_string()).map(Value::Number)
                }
            }
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => n.fmt(f),
            Value::Blank => Ok(()),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// The canonical identifier of a cell: `TABLE.ROW.COLUMN`.
///
/// Ordered by table, then row key, then column key, as strings (the order of the JSON output's
/// maps). The comparison is written by hand: cells are kept in ordered maps, and comparing the
/// keys with `str::cmp` (a `memcmp` call per key) was the hottest comparison of reading. Equality
/// likewise: the same static key is recognised by its address.
#[derive(Debug, Clone, Copy, Eq)]
pub struct CellId {
    pub table: TableId,
    pub row: &'static str,
    pub column: &'static str,
}

impl Ord for CellId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.table
            .cmp(&other.table)
            .then_with(|| cmp_key(self.row, other.row))
            .then_with(|| cmp_key(self.column, other.column))
    }
}

/// As derived: the table, then the keys' texts (equal ids hash alike, whatever their addresses).
impl std::hash::Hash for CellId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.table.hash(state);
        self.row.hash(state);
        self.column.hash(state);
    }
}

impl PartialEq for CellId {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &str, b: &str| std::ptr::eq(a, b) || a == b;
        self.table == other.table && same(self.row, other.row) && same(self.column, other.column)
    }
}

impl PartialOrd for CellId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// `a.cmp(b)` for the catalogue's short keys: the same key (usually the same static string) is
/// recognised by its address, others by their first differing byte, without a library call.
fn cmp_key(a: &str, b: &str) -> std::cmp::Ordering {
    if std::ptr::eq(a, b) {
        return std::cmp::Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len().min(b.len());
    // Eight bytes at a time (big-endian words order as their bytes do), then byte by byte.
    let mut i = 0;
    while i + 8 <= n {
        let word = |s: &[u8]| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&s[i..i + 8]);
            u64::from_be_bytes(w)
        };
        let (x, y) = (word(a), word(b));
        if x != y {
            return x.cmp(&y);
        }
        i += 8;
    }
    for (x, y) in a[i..n].iter().zip(&b[i..n]) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

impl CellId {
    /// Every cell the catalogue defines: the tables of both formats, and table 三's single
    /// 其他处理 row; in catalogue order, an id the two formats share once per format.
    pub fn all() -> impl Iterator<Item = CellId> {
        Format::ALL
            .into_iter()
            .flat_map(catalogue::tables)
            .flat_map(|t| {
                let single = (t.id == TableId::Requests).then_some(&catalogue::ROW_OTHER_SINGLE);
                t.rows.iter().chain(single).flat_map(move |r| {
                    r.columns.iter().map(move |c| CellId {
                        table: t.id,
                        row: r.key,
                        column: c.key,
                    })
                })
            })
    }

    /// Resolve a flat key such as `requests.new_received.total` against the catalogue (either
    /// format). Returns `None` for a key no format defines.
    pub fn parse(flat: &str) -> Option<CellId> {
        let mut it = flat.splitn(3, '.');
        let table = TableId::from_key(it.next()?)?;
        let row = it.next()?;
        let column = it.next()?;
        let (row, column) = catalogue::find_cell(None, table, row, column)?;
        Some(CellId {
            table,
            row: row.key,
            column: column.key,
        })
    }
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.table.key(), self.row, self.column)
    }
}

/// Where something was read: 1-based line (of the decoded text), and where known the 1-based
/// character column and the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub line: u32,
    pub column: Option<u32>,
    pub page: Option<u32>,
}

impl Span {
    pub fn line(line: u32) -> Span {
        Span {
            line,
            column: None,
            page: None,
        }
    }

    pub fn to_json(self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("line".into(), self.line.into());
        if let Some(c) = self.column {
            m.insert("column".into(), c.into());
        }
        if let Some(p) = self.page {
            m.insert("page".into(), p.into());
        }
        serde_json::Value::Object(m)
    }
}

/// How the reader placed a cell's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    /// The row printed a label that the catalogue recognised.
    Label,
    /// The row printed no readable label; it was placed by its order between labelled rows,
    /// where exactly one placement is possible. Always accompanied by a finding.
    Order,
}

/// One table cell as read, with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub span: Span,
    /// The 0-based index of the cell within the printed row, where known.
    pub printed_column: Option<u32>,
    pub located: Located,
    /// Where the cell was on a page image, when it was read by OCR (`None` for a cell read
    /// from text).
    pub ocr: Option<OcrCell>,
}

/// The provenance of a cell read by OCR: the page (or image) it was on, its box on that image
/// in pixels and how sure the engine was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OcrCell {
    /// 1-based page of a scanned PDF, or the 1-based image of a page whose tables are images.
    pub page: u32,
    /// The cell's box inside its rulings: left, top, right, bottom (pixels of the page image,
    /// deskewed).
    pub bbox: [u32; 4],
    /// The engine's lowest word confidence in the cell, 0–100 (0: ink that no reading read).
    pub confidence: u8,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A metadata field with the place it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub span: Span,
}

/// Report-level facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// The title as printed, joined if wrapped over several lines.
    pub title: Option<Sourced<String>>,
    /// The agency as printed in the title.
    pub agency_printed: Option<String>,
    /// The agency with common abbreviations expanded (see the catalogue); equal to
    /// `agency_printed` when nothing was expanded.
    pub agency: Option<String>,
    /// The statistics year (the title's year).
    pub year: Option<i32>,
    /// The statistics period stated in the text.
    pub period: Option<Sourced<(Date, Date)>>,
    /// The publication date printed at the end of the report.
    pub published: Option<Sourced<Date>>,
    /// Contact details stated in the preamble (phone, address), as printed.
    pub contact: Option<Sourced<String>>,
    /// Whether this is the 本级政府 report (a people's government's report on its own level),
    /// when the input says so: an input file states it (`is_government_level`); a published
    /// report does not, and its readers leave `None` (the checks then go by the agency's name).
    pub government_level: Option<bool>,
    /// The lines printed between the title and the first part heading (the preamble: purpose,
    /// period, contact), as printed, one entry per line of the document; when no part heading
    /// is recognised, every line of the body. Converter artefacts are not kept. Writers print
    /// these instead of composing a preamble.
    pub preamble: Vec<String>,
}

/// One of the six parts as found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// 1–6, the statutory part this heading was recognised as.
    pub part: u8,
    /// The marker as printed: "五、", "5、", "（五）", "" …
    pub marker: String,
    /// The heading text after the marker, joined if wrapped.
    pub heading: String,
    /// First line of the heading.
    pub line: u32,
    /// Last line of the part's body (inclusive).
    pub end_line: u32,
    /// The body text (tables included as they appear in the text).
    pub text: String,
}

/// What kind of document was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// A report in one of the two standard formats.
    Standard(Format),
    /// A report from before the 2019 regulation, with none of the standard tables.
    Pre2019,
}

impl ReportKind {
    pub fn id(self) -> &'static str {
        match self {
            ReportKind::Standard(f) => f.id(),
            ReportKind::Pre2019 => "pre-2019",
        }
    }

    pub fn format(self) -> Option<Format> {
        match self {
            ReportKind::Standard(f) => Some(f),
            ReportKind::Pre2019 => None,
        }
    }
}

/// A table as located in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpan {
    pub table: TableId,
    pub start: Span,
    pub end: Span,
}

/// An annual report as read from one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The file it was read from (`-` for standard input), when known.
    pub source: Option<String>,
    pub kind: ReportKind,
    pub meta: Meta,
    pub sections: Vec<Section>,
    /// The tables located in the document.
    pub tables: Vec<TableSpan>,
    /// Every printed cell, keyed by identifier. A cell the report does not print is absent.
    pub cells: BTreeMap<CellId, Cell>,
    /// What the reader noticed: rows it could not read, guesses it refused, placements by order.
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn format(&self) -> Option<Format> {
        self.kind.format()
    }

    pub fn value(&self, id: &CellId) -> Option<&Value> {
        self.cells.get(id).map(|c| &c.value)
    }

    /// Look a cell up by flat key.
    pub fn get(&self, flat: &str) -> Option<&Cell> {
        CellId::parse(flat).and_then(|id| self.cells.get(&id))
    }

    /// Rewrite every span of the report (cells, metadata, tables, findings) and every section
    /// line with `f`. Structured readers use it to turn lines of their intermediate text into
    /// places in the original file (HTML line, DOCX paragraph, PDF page and line).
    pub fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        for c in self.cells.values_mut() {
            c.span = f(c.span);
        }
        if let Some(t) = &mut self.meta.title {
            t.span = f(t.span);
        }
        if let Some(p) = &mut self.meta.period {
            p.span = f(p.span);
        }
        if let Some(p) = &mut self.meta.published {
            p.span = f(p.span);
        }
        if let Some(c) = &mut self.meta.contact {
            c.span = f(c.span);
        }
        for t in &mut self.tables {
            t.start = f(t.start);
            t.end = f(t.end);
        }
        for s in &mut self.sections {
            s.line = f(Span::line(s.line)).line;
            s.end_line = f(Span::line(s.end_line)).line;
        }
        for x in &mut self.findings {
            for s in &mut x.spans {
                *s = f(*s);
            }
        }
    }

    /// The cells as flat keys, in key order.
    pub fn flat_cells(&self) -> BTreeMap<String, Value> {
        self.cells
            .iter()
            .map(|(k, c)| (k.to_string(), c.value.clone()))
            .collect()
    }
}

/// How two sets of flat cells ([`Report::flat_cells`]) differ: one line per cell whose value is
/// not the same, in key order, `key: a → b`, each side `(absent)`, `null`, `"text"` or the
/// number. Comparing a report with what a writer and a reader give back is the round trip every
/// writer is tested by.
pub fn cell_differences(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) -> Vec<String> {
    let show = |v: Option<&Value>| match v {
        None => "(absent)".to_string(),
        Some(Value::Blank) => "null".to_string(),
        Some(Value::Text(t)) => format!("{t:?}"),
        Some(Value::Number(n)) => n.to_string(),
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| format!("{k}: {} → {}", show(a.get(k)), show(b.get(k))))
        .collect()
}

#[cfg(test)]
mod tests {

    /// The split/filter parser that [`Number::parse`] replaced, kept as its specification.
    fn parse_reference(s: &str) -> Option<Number> {
        let (neg, body) = match s.as_bytes().first()? {
            b'-' | b'+' => (s.starts_with('-'), &s[1..]),
            _ => (false, s),
        };
        if body.is_empty() {
            return None;
        }
        let (int_part, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        if int_part.is_empty() {
            return None;
        }
        // Digits of the integer part, with thousands separators only in groups of three.
        if int_part.contains(',') {
            let mut groups = int_part.split(',');
            let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
            if !first_ok || !groups.all(|g| g.len() == 3) {
                return None;
            }
        }
        let digits = int_part.bytes().filter(|b| *b != b',');
        let frac_digits = frac.unwrap_or("");
        if frac.is_some_and(|f| f.is_empty() || f.len() > 6) {
            return None;
        }
        let mut mantissa: i64 = 0;
        let mut count = 0;
        for b in digits.chain(frac_digits.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            count += 1;
            if count > 18 {
                return None;
            }
            mantissa = mantissa * 10 + i64::from(b - b'0');
        }
        let mantissa = if neg { -mantissa } else { mantissa };
        Some(match frac {
            None => Number::Int(mantissa),
            Some(f) => Number::Decimal {
                mantissa,
                scale: f.len() as u8,
            },
        })
    }

    #[test]
    fn the_one_pass_parser_agrees_with_the_reference() {
        let alphabet = [
            "0", "1", "5", "9", ",", ".", "-", "+", " ", "a", "1,234", "000", "123", "9999", "一",
            "e",
        ];
        let mut seen = 0;
        // Every string of up to four pieces of the alphabet, and long digit runs.
        let mut stack: Vec<(String, usize)> = vec![(String::new(), 0)];
        while let Some((s, pieces)) = stack.pop() {
            assert_eq!(Number::parse(&s), parse_reference(&s), "{s:?}");
            seen += 1;
            if pieces < 4 {
                for a in alphabet {
                    stack.push((format!("{s}{a}"), pieces + 1));
                }
            }
        }
        // Longer strings: pieces drawn by a fixed linear congruential sequence.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            let mut s = String::new();
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            for _ in 0..(x >> 60) {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                s.push_str(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            assert_eq!(Number::parse(&s), parse_reference(&s), "{s:?}");
        }
        for n in 1..25 {
            for body in [
                "9".repeat(n),
                format!("1.{}", "5".repeat(n)),
                format!("{}.5", "7".repeat(n)),
            ] {
                for sign in ["", "-", "+"] {
                    let s = format!("{sign}{body}");
                    assert_eq!(Number::parse(&s), parse_reference(&s), "{s:?}");
                }
            }
        }
        assert!(seen > 50_000, "{seen}");
    }
    use super::*;

    #[test]
    fn all_cell_ids_are_the_catalogues_and_parse_back() {
        let ids: Vec<CellId> = CellId::all().collect();
        for id in &ids {
            assert_eq!(CellId::parse(&id.to_string()), Some(*id), "{id}");
        }
        let single = ids
            .iter()
            .filter(|id| id.row == catalogue::ROW_OTHER_SINGLE.key)
            .count();
        // Once for each format's table 三 (the 2019 table prints the row itself, too).
        assert!(
            single >= 2 * catalogue::ROW_OTHER_SINGLE.columns.len(),
            "{single}"
        );
        assert!(ids
            .iter()
            .all(|id| id.row != catalogue::ROW_OTHER_SINGLE.key || id.table == TableId::Requests));
        let per_format: usize = Format::ALL
            .iter()
            .flat_map(|f| catalogue::tables(*f))
            .map(|t| t.cells().count())
            .sum();
        assert_eq!(
            ids.len(),
            per_format + 2 * catalogue::ROW_OTHER_SINGLE.columns.len()
        );
    }

    #[test]
    fn cell_ids_are_ordered_as_their_keys_are() {
        // Every cell id of both formats, plus ids whose keys are equal strings at different
        // addresses and keys that are prefixes of others: the hand-written order is the order of
        // (table, row, column) compared as strings.
        let mut ids: Vec<CellId> = Vec::new();
        for format in [crate::Format::F2019, crate::Format::F2021] {
            for t in crate::catalogue::tables(format) {
                for r in t.rows {
                    for c in r.columns {
                        ids.push(CellId {
                            table: t.id,
                            row: r.key,
                            column: c.key,
                        });
                    }
                }
            }
        }
        let owned: &'static str = String::from("total").leak();
        ids.push(CellId {
            table: TableId::Requests,
            row: "total",
            column: owned,
        });
        ids.push(CellId {
            table: TableId::Requests,
            row: "tota",
            column: "total",
        });
        ids.push(CellId {
            table: TableId::Requests,
            row: "totalx",
            column: "",
        });
        for a in &ids {
            for b in &ids {
                let by_strings = (a.table, a.row, a.column).cmp(&(b.table, b.row, b.column));
                assert_eq!(a.cmp(b), by_strings, "{a:?} {b:?}");
                assert_eq!(a == b, by_strings.is_eq(), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn cell_differences_name_each_differing_cell() {
        let a: BTreeMap<String, Value> = [
            ("active.rules.issued".to_string(), Value::int(3)),
            ("requests.total.total".to_string(), Value::Blank),
            ("appeals.review.total".to_string(), Value::int(1)),
        ]
        .into();
        let mut b = a.clone();
        b.insert(
            "active.rules.issued".to_string(),
            Value::Text("/".to_string()),
        );
        b.remove("requests.total.total");
        assert_eq!(
            cell_differences(&a, &b),
            [
                "active.rules.issued: 3 → \"/\"",
                "requests.total.total: null → (absent)"
            ]
        );
        assert!(cell_differences(&a, &a).is_empty());
    }

    #[test]
    fn numbers_as_printed() {
        assert_eq!(Number::parse("0"), Some(Number::Int(0)));
        assert_eq!(Number::parse("3985758"), Some(Number::Int(3985758)));
        assert_eq!(Number::parse("-8"), Some(Number::Int(-8)));
        assert_eq!(Number::parse("+8"), Some(Number::Int(8)));
        assert_eq!(Number::parse("3,985,758"), Some(Number::Int(3985758)));
        assert_eq!(
            Number::parse("96171.6"),
            Some(Number::Decimal {
                mantissa: 961716,
                scale: 1
            })
        );
        assert_eq!(
            Number::parse("96171.6").map(|n| n.to_string()),
            Some("96171.6".into())
        );
        assert_eq!(
            Number::parse("0.05").map(|n| n.to_string()),
            Some("0.05".into())
        );
        for bad in [
            "", "-", ".5", "5.", "1,23", "12,3456", "1.2.3", "1e5", "一", "0x10", "1 2",
        ] {
            assert_eq!(Number::parse(bad), None, "{bad}");
        }
    }
}
