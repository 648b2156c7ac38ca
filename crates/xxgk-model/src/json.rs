//! The JSON of `schema.md`: fixed keys (`format`, `agency`, `year`, `published`, `tables`) plus
//! the keys xxgk adds (`source`, `title`, `period`, `contact`, `preamble` (the lines before the
//! first part, as printed), `government_level` (only when known), `sections`, `table_spans`,
//! `provenance`, `findings`): everything a writer prints, so that `extract | render` loses nothing. Tables are nested `{"requests": {"new_received": {"total": 3}}}` in printed order.

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::Value as Json;

use crate::catalogue::{self, RowDef, TableId};
use crate::report::{Cell, CellId, Date, Located, Number, Report, Span, Value};

/// The rows of `table` that `report` may hold, in printed order.
pub fn row_order(report: &Report, table: TableId) -> Vec<&'static RowDef> {
    let format = report.format().unwrap_or(catalogue::Format::F2021);
    catalogue::table(format, table).printed_rows()
}

/// The whole report as one JSON value (see [`ReportJson`] to write it without building one).
pub fn report_json(report: &Report) -> Json {
    serde_json::to_value(ReportJson(report)).unwrap_or(Json::Null)
}

/// The report as the JSON of schema.md, serialized directly (no intermediate [`Json`] tree):
/// `serde_json::to_writer(w, &ReportJson(&report))`. Same keys and order as [`report_json`].
pub struct ReportJson<'a>(pub &'a Report);

impl Serialize for ReportJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(None)?;
        head_entries(r, &mut m)?;
        m.serialize_entry("tables", &TablesJson(r))?;
        m.serialize_entry("sections", &SectionsJson(r))?;
        m.serialize_entry("table_spans", &TableSpansJson(r))?;
        m.serialize_entry("provenance", &ProvenanceJson(r))?;
        m.serialize_entry("findings", &FindingsJson(r))?;
        m.end()
    }
}

/// Every entry of [`ReportJson`] before `tables`.
struct HeadJson<'a>(&'a Report);

impl Serialize for HeadJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        head_entries(self.0, &mut m)?;
        m.end()
    }
}

/// The report as one line of JSON (no final newline) appended to `out`: byte for byte
/// `serde_json::to_writer(out, &ReportJson(report))`, faster. The tables and the provenance (most
/// of the line: small objects per row and per cell, keyed by the catalogue's keys) are written
/// directly, the rest through serde.
pub fn write_line(report: &Report, out: &mut Vec<u8>) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *out, &HeadJson(report))?;
    // The head is a non-empty object ("format" is always there): reopen it.
    out.pop();
    out.extend_from_slice(b",\"tables\":");
    write_tables(report, out)?;
    out.extend_from_slice(b",\"sections\":");
    write_sections(report, out);
    out.extend_from_slice(b",\"table_spans\":");
    serde_json::to_writer(&mut *out, &TableSpansJson(report))?;
    out.extend_from_slice(b",\"provenance\":");
    write_provenance(report, out)?;
    out.extend_from_slice(b",\"findings\":");
    serde_json::to_writer(&mut *out, &FindingsJson(report))?;
    out.push(b'}');
    Ok(())
}

/// The cells a report holds of one row, in one range of the map (ids order by table, row, then
/// column; a lookup per cell of the catalogue cost more than the rest of the writing).
fn held_cells<'a>(r: &'a Report, table: TableId, row: &'static str) -> Vec<(&'a CellId, &'a Cell)> {
    let mut held = Vec::new();
    held_cells_into(r, table, row, &mut held);
    held
}

/// [`held_cells`] into `held` (emptied first), so that a writer reuses one buffer for every row.
fn held_cells_into<'a>(
    r: &'a Report,
    table: TableId,
    row: &'static str,
    held: &mut Vec<(&'a CellId, &'a Cell)>,
) {
    let first = CellId {
        table,
        row,
        column: "",
    };
    held.clear();
    held.extend(
        r.cells
            .range(first..)
            .take_while(|(id, _)| id.table == table && id.row == row),
    );
}

/// [`TablesJson`] as serde_json writes it compactly.
fn write_tables(r: &Report, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let mut n = itoa::Buffer::new();
    let mut held = Vec::new();
    out.push(b'{');
    let mut tables = 0;
    for table in TableId::ALL {
        if !r.cells.keys().any(|k| k.table == table) {
            continue;
        }
        if tables > 0 {
            out.push(b',');
        }
        tables += 1;
        // Catalogue keys are written as they are (see the tests).
        out.push(b'"');
        out.extend_from_slice(table.key().as_bytes());
        out.extend_from_slice(b"\":{");
        let mut rows = 0;
        for row in row_order(r, table) {
            held_cells_into(r, table, row.key, &mut held);
            let mut cols = 0;
            for col in row.columns {
                let Some((_, cell)) = held.iter().find(|(id, _)| id.column == col.key) else {
                    continue;
                };
                if cols == 0 {
                    if rows > 0 {
                        out.push(b',');
                    }
                    rows += 1;
                    out.push(b'"');
                    out.extend_from_slice(row.key.as_bytes());
                    out.extend_from_slice(b"\":{");
                } else {
                    out.push(b',');
                }
                cols += 1;
                out.push(b'"');
                out.extend_from_slice(col.key.as_bytes());
                out.extend_from_slice(b"\":");
                match &cell.value {
                    Value::Number(Number::Int(i)) => out.extend_from_slice(n.format(*i).as_bytes()),
                    Value::Blank => out.extend_from_slice(b"null"),
                    v => serde_json::to_writer(&mut *out, &ValueJson(v))?,
                }
            }
            if cols > 0 {
                out.push(b'}');
            }
        }
        out.push(b'}');
    }
    out.push(b'}');
    Ok(())
}

/// [`ProvenanceJson`] as serde_json writes it compactly.
fn write_provenance(r: &Report, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let mut n = itoa::Buffer::new();
    out.push(b'{');
    for (i, (id, cell)) in r.cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // The catalogue's keys need no escaping (letters, digits and '_': see the tests).
        out.push(b'"');
        out.extend_from_slice(id.table.key().as_bytes());
        out.push(b'.');
        out.extend_from_slice(id.row.as_bytes());
        out.push(b'.');
        out.extend_from_slice(id.column.as_bytes());
        out.extend_from_slice(b"\":{\"line\":");
        out.extend_from_slice(n.format(cell.span.line).as_bytes());
        if let Some(c) = cell.span.column {
            out.extend_from_slice(b",\"column\":");
            out.extend_from_slice(n.format(c).as_bytes());
        }
        if let Some(p) = cell.span.page {
            out.extend_from_slice(b",\"page\":");
            out.extend_from_slice(n.format(p).as_bytes());
        }
        if let Some(c) = cell.printed_column {
            out.extend_from_slice(b",\"printed_column\":");
            out.extend_from_slice(n.format(c).as_bytes());
        }
        if cell.located == Located::Order {
            out.extend_from_slice(b",\"located\":\"order\"");
        }
        if let Some(o) = cell.ocr {
            out.extend_from_slice(b",\"ocr\":");
            serde_json::to_writer(
                &mut *out,
                &serde_json::json!({
                    "page": o.page,
                    "box": o.bbox,
                    "confidence": o.confidence,
                }),
            )?;
        }
        out.push(b'}');
    }
    out.push(b'}');
    Ok(())
}

/// Every entry of [`ReportJson`] before `provenance`, in order.
fn head_entries<M: SerializeMap>(r: &Report, m: &mut M) -> Result<(), M::Error> {
    {
        if let Some(src) = &r.source {
            m.serialize_entry("source", src)?;
        }
        m.serialize_entry("format", r.kind.id())?;
        m.serialize_entry("agency", &r.meta.agency)?;
        m.serialize_entry("year", &r.meta.year)?;
        m.serialize_entry(
            "published",
            &r.meta.published.as_ref().map(|d| d.value.to_string()),
        )?;
        m.serialize_entry("title", &r.meta.title.as_ref().map(|t| &t.value))?;
        m.serialize_entry("agency_printed", &r.meta.agency_printed)?;
        m.serialize_entry(
            "period",
            &r.meta.period.as_ref().map(|p| PeriodJson(p.value)),
        )?;
        m.serialize_entry("contact", &r.meta.contact.as_ref().map(|c| &c.value))?;
        m.serialize_entry("preamble", &r.meta.preamble)?;
        if let Some(g) = r.meta.government_level {
            m.serialize_entry("government_level", &g)?;
        }
    }
    Ok(())
}

struct PeriodJson((Date, Date));

impl Serialize for PeriodJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("start", &self.0 .0.to_string())?;
        m.serialize_entry("end", &self.0 .1.to_string())?;
        m.end()
    }
}

struct ValueJson<'a>(&'a Value);

impl Serialize for ValueJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Number(Number::Int(i)) => s.serialize_i64(*i),
            Value::Number(n) => s.serialize_f64(n.as_f64()),
            Value::Blank => s.serialize_none(),
            Value::Text(t) => s.serialize_str(t),
        }
    }
}

struct TablesJson<'a>(&'a Report);

impl Serialize for TablesJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(None)?;
        for table in TableId::ALL {
            if r.cells.keys().any(|k| k.table == table) {
                m.serialize_entry(table.key(), &TableJson(r, table))?;
            }
        }
        m.end()
    }
}

struct TableJson<'a>(&'a Report, TableId);

impl Serialize for TableJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, table) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        for row in row_order(r, table) {
            // The row's cells, then in the catalogue's column order.
            let held = held_cells(r, table, row.key);
            let cells: Vec<(&str, &Cell)> = row
                .columns
                .iter()
                .filter_map(|col| {
                    held.iter()
                        .find(|(id, _)| id.column == col.key)
                        .map(|(_, c)| (col.key, *c))
                })
                .collect();
            if !cells.is_empty() {
                m.serialize_entry(row.key, &RowJson(cells))?;
            }
        }
        m.end()
    }
}

struct RowJson<'a>(Vec<(&'static str, &'a Cell)>);

impl Serialize for RowJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, c) in &self.0 {
            m.serialize_entry(k, &ValueJson(&c.value))?;
        }
        m.end()
    }
}

struct SectionsJson<'a>(&'a Report);

/// [`SectionsJson`] as serde_json writes it compactly (the parts' texts are most of a report's
/// text: see [`write_str`]).
fn write_sections(r: &Report, out: &mut Vec<u8>) {
    let mut n = itoa::Buffer::new();
    out.push(b'[');
    for (i, sec) in r.sections.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"part\":");
        out.extend_from_slice(n.format(sec.part).as_bytes());
        out.extend_from_slice(b",\"key\":");
        write_str(
            out,
            catalogue::PARTS[(sec.part as usize).saturating_sub(1).min(5)].key,
        );
        out.extend_from_slice(b",\"marker\":");
        write_str(out, &sec.marker);
        out.extend_from_slice(b",\"heading\":");
        write_str(out, &sec.heading);
        out.extend_from_slice(b",\"line\":");
        out.extend_from_slice(n.format(sec.line).as_bytes());
        out.extend_from_slice(b",\"end_line\":");
        out.extend_from_slice(n.format(sec.end_line).as_bytes());
        out.extend_from_slice(b",\"text\":");
        write_str(out, &sec.text);
        out.push(b'}');
    }
    out.push(b']');
}

/// `s` as a JSON string, byte for byte as serde_json writes it (`\"`, `\\`, the short escapes
/// `\b \f \n \r \t`, `\u00xx` for the other control characters; everything else as it is).
/// Eight bytes are looked at together while none of them needs escaping (serde_json looks up
/// each byte in a table): Chinese text has none but line breaks.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `w` that is below 0x20, a '"' or a '\\' — and possibly of
    // bytes above (more significant than) one of those, where a borrow of the subtraction
    // reaches: the lowest bit set is always a byte that needs escaping.
    let special = |w: u64| {
        let below_space = w.wrapping_sub(ONES * 0x20) & !w;
        let q = w ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let b = w ^ (ONES * u64::from(b'\\'));
        let backslash = b.wrapping_sub(ONES) & !b;
        (below_space | quote | backslash) & HIGHS
    };
    let escape = |out: &mut Vec<u8>, b: u8| match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0C => out.extend_from_slice(b"\\f"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]);
        }
    };
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut start, mut i) = (0, 0);
    // Eight bytes at a time: the first byte to escape in a word is found from its mask.
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let mask = special(u64::from_le_bytes(word));
        if mask == 0 {
            i += 8;
            continue;
        }
        let j = i + (mask.trailing_zeros() / 8) as usize;
        out.extend_from_slice(&bytes[start..j]);
        escape(out, bytes[j]);
        i = j + 1;
        start = i;
    }
    // The last bytes, one by one.
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 || b == b'"' || b == b'\\' {
            out.extend_from_slice(&bytes[start..i]);
            escape(out, b);
            start = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

impl Serialize for SectionsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.sections.len()))?;
        for sec in &self.0.sections {
            seq.serialize_element(&SectionJson(sec))?;
        }
        seq.end()
    }
}

struct SectionJson<'a>(&'a crate::report::Section);

impl Serialize for SectionJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sec = self.0;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("part", &sec.part)?;
        m.serialize_entry(
            "key",
            catalogue::PARTS[(sec.part as usize).saturating_sub(1).min(5)].key,
        )?;
        m.serialize_entry("marker", &sec.marker)?;
        m.serialize_entry("heading", &sec.heading)?;
        m.serialize_entry("line", &sec.line)?;
        m.serialize_entry("end_line", &sec.end_line)?;
        m.serialize_entry("text", &sec.text)?;
        m.end()
    }
}

/// Where each table was located (`{"table": "requests", "start": {"line": …}, "end": …}`):
/// a writer leaves the lines of a located table out of the part's text.
struct TableSpansJson<'a>(&'a Report);

impl Serialize for TableSpansJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.tables.len()))?;
        for t in &self.0.tables {
            seq.serialize_element(&serde_json::json!({
                "table": t.table.key(),
                "start": t.start.to_json(),
                "end": t.end.to_json(),
            }))?;
        }
        seq.end()
    }
}

struct ProvenanceJson<'a>(&'a Report);

impl Serialize for ProvenanceJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.cells.len()))?;
        // The key "table.row.column" built in one buffer (as `CellId`'s `Display` prints it,
        // without the formatting machinery: this is the hottest loop of the output).
        let mut key = String::new();
        for (id, cell) in &self.0.cells {
            key.clear();
            key.push_str(id.table.key());
            key.push('.');
            key.push_str(id.row);
            key.push('.');
            key.push_str(id.column);
            m.serialize_entry(&key, &SpanJson(cell.span, cell))?;
        }
        m.end()
    }
}

struct SpanJson<'a>(Span, &'a Cell);

impl Serialize for SpanJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (span, cell) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("line", &span.line)?;
        if let Some(c) = span.column {
            m.serialize_entry("column", &c)?;
        }
        if let Some(p) = span.page {
            m.serialize_entry("page", &p)?;
        }
        if let Some(c) = cell.printed_column {
            m.serialize_entry("printed_column", &c)?;
        }
        if cell.located == Located::Order {
            m.serialize_entry("located", "order")?;
        }
        if let Some(o) = cell.ocr {
            m.serialize_entry(
                "ocr",
                &serde_json::json!({
                    "page": o.page,
                    "box": o.bbox,
                    "confidence": o.confidence,
                }),
            )?;
        }
        m.end()
    }
}

struct FindingsJson<'a>(&'a Report);

impl Serialize for FindingsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.findings.len()))?;
        for f in &self.0.findings {
            seq.serialize_element(&f.to_json())?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::finding::{Finding, Severity};
    use crate::report::{OcrCell, ReportKind};
    use std::collections::BTreeMap;

    fn cell(value: Value, span: Span, printed: Option<u32>, located: Located) -> Cell {
        Cell {
            value,
            span,
            printed_column: printed,
            located,
            ocr: None,
        }
    }

    /// A report with every kind of provenance (column, page, printed column, placed by order,
    /// OCR) and strings that need escaping.
    fn varied() -> Report {
        let f = catalogue::Format::F2021;
        let requests = catalogue::table(f, TableId::Requests);
        let mut cells = BTreeMap::new();
        for (i, row) in requests.rows.iter().enumerate().take(4) {
            for (j, col) in row.columns.iter().enumerate() {
                let id = CellId {
                    table: TableId::Requests,
                    row: row.key,
                    column: col.key,
                };
                let n = (i * 10 + j) as u32;
                let span = Span {
                    line: 100 + n,
                    column: (j % 2 == 0).then_some(n + 1),
                    page: (i == 1).then_some(3),
                };
                let mut c = cell(
                    Value::int(n as i64),
                    span,
                    (j != 3).then_some(j as u32),
                    if i == 2 {
                        Located::Order
                    } else {
                        Located::Label
                    },
                );
                if i == 3 {
                    c.ocr = Some(OcrCell {
                        page: 2,
                        bbox: [1, 2, 300, 40],
                        confidence: 87,
                    });
                    c.value = Value::Number(Number::parse("1.5").unwrap());
                }
                match (i, j) {
                    (0, 1) => c.value = Value::Blank,
                    (0, 2) => c.value = Value::Text("12万\"（见注）\\".to_string()),
                    (1, 0) => continue, // a row whose first column is not printed
                    _ => {}
                }
                cells.insert(id, c);
            }
        }
        let meta = crate::report::Meta {
            agency: Some("某市\"人民\"政府\\办公室\t\u{1}".to_string()),
            year: Some(2024),
            ..Default::default()
        };
        Report {
            source: Some("a/b\\c\n.txt".to_string()),
            kind: ReportKind::Standard(f),
            meta,
            sections: vec![
                crate::report::Section {
                    part: 1,
                    marker: "一、".to_string(),
                    heading: "总体\"情况\"".to_string(),
                    line: 3,
                    end_line: 9,
                    text: "第一行\n\t第二行\\\r\u{1}\u{1f}结束".to_string(),
                },
                crate::report::Section {
                    part: 6,
                    marker: String::new(),
                    heading: "其他需要报告的事项".to_string(),
                    line: 40,
                    end_line: 40,
                    text: String::new(),
                },
            ],
            tables: Vec::new(),
            cells,
            findings: vec![Finding::new(
                "READ-X",
                Severity::Warning,
                "说明\u{7f}\u{1f}",
            )],
        }
    }

    #[test]
    fn the_line_writer_writes_what_serde_writes() {
        for report in [varied(), {
            let mut r = varied();
            r.cells.clear();
            r.source = None;
            r
        }] {
            let mut fast = Vec::new();
            write_line(&report, &mut fast).unwrap();
            let serde = serde_json::to_vec(&ReportJson(&report)).unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(serde).unwrap()
            );
        }
    }

    /// Every byte that may need escaping, at every position of an eight-byte word and beside
    /// Chinese text, written as serde_json writes it.
    #[test]
    fn strings_are_written_as_serde_writes_them() {
        let mut cases: Vec<String> = vec![String::new(), "一".repeat(40)];
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '\u{7f}', '/', '\u{2028}', 'a', '中'])
            .collect();
        for c in &specials {
            for pad in 0..17 {
                cases.push(format!("{}{c}{}", "x".repeat(pad), "中".repeat(pad % 5)));
                cases.push(format!("{}{c}{c}", "二".repeat(pad)));
            }
        }
        // Strings of bytes next to those that need escaping ('#' after '"', ']' after '\\', '!'
        // after a control character: where a borrow could flag a byte), in every order.
        let alphabet = [
            '"', '#', '\\', ']', '\0', '\u{1}', '\u{21}', '中', 'a', '\n',
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let text: String = (0..len)
                .map(|k| alphabet[((seed >> (k * 2 % 60)) % alphabet.len() as u64) as usize])
                .collect();
            cases.push(text);
        }
        for s in cases {
            let mut fast = Vec::new();
            write_str(&mut fast, &s);
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                serde_json::to_string(&s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn cell_keys_need_no_escaping() {
        // `write_provenance` writes the keys of cell ids as they are.
        let plain = |k: &str| {
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        for format in catalogue::Format::ALL {
            for t in catalogue::tables(format) {
                assert!(plain(t.id.key()), "{}", t.id.key());
                for r in t.rows {
                    assert!(plain(r.key), "{}", r.key);
                    for c in r.columns {
                        assert!(plain(c.key), "{}", c.key);
                    }
                }
            }
        }
        for c in catalogue::ROW_OTHER_SINGLE.columns {
            assert!(plain(c.key), "{}", c.key);
        }
    }
}
