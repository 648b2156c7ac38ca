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
        m.serialize_entry("tables", &TablesJson(r))?;
        m.serialize_entry("sections", &SectionsJson(r))?;
        m.serialize_entry("table_spans", &TableSpansJson(r))?;
        m.serialize_entry("provenance", &ProvenanceJson(r))?;
        m.serialize_entry("findings", &FindingsJson(r))?;
        m.end()
    }
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
            // The row's cells in one range of the map (ids order by row, then column), then in
            // the catalogue's column order; a lookup per cell cost more than the rest.
            let first = CellId {
                table,
                row: row.key,
                column: "",
            };
            let held: Vec<(&CellId, &Cell)> = r
                .cells
                .range(first..)
                .take_while(|(id, _)| id.table == table && id.row == row.key)
                .collect();
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
