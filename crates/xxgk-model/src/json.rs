//! The JSON of `schema.md`: fixed keys (`format`, `agency`, `year`, `published`, `tables`) plus
//! the keys xxgk adds (`source`, `title`, `period`, `contact`, `sections`, `provenance`,
//! `findings`). Tables are nested `{"requests": {"new_received": {"total": 3}}}` in printed order.

use serde_json::{Map, Value as Json};

use crate::catalogue::{self, RowDef, TableId};
use crate::report::{CellId, Located, Report};

/// The rows of `table` that `report` may hold, in printed order.
pub fn row_order(report: &Report, table: TableId) -> Vec<&'static RowDef> {
    let format = report.format().unwrap_or(catalogue::Format::F2021);
    catalogue::table(format, table).printed_rows()
}

/// The nested `tables` object.
pub fn tables_json(report: &Report) -> Json {
    let mut tables = Map::new();
    for table in TableId::ALL {
        let mut rows_json = Map::new();
        for row in row_order(report, table) {
            let mut cols = Map::new();
            for col in row.columns {
                let id = CellId {
                    table,
                    row: row.key,
                    column: col.key,
                };
                if let Some(cell) = report.cells.get(&id) {
                    cols.insert(col.key.to_string(), cell.value.to_json());
                }
            }
            if !cols.is_empty() {
                rows_json.insert(row.key.to_string(), Json::Object(cols));
            }
        }
        if !rows_json.is_empty() {
            tables.insert(table.key().to_string(), Json::Object(rows_json));
        }
    }
    Json::Object(tables)
}

/// The whole report as one JSON object.
pub fn report_json(report: &Report) -> Json {
    let mut m = Map::new();
    if let Some(s) = &report.source {
        m.insert("source".into(), s.clone().into());
    }
    m.insert("format".into(), report.kind.id().into());
    m.insert("agency".into(), report.meta.agency.clone().into());
    m.insert("year".into(), report.meta.year.into());
    m.insert(
        "published".into(),
        report
            .meta
            .published
            .as_ref()
            .map(|d| d.value.to_string())
            .into(),
    );
    m.insert(
        "title".into(),
        report.meta.title.as_ref().map(|t| t.value.clone()).into(),
    );
    m.insert(
        "agency_printed".into(),
        report.meta.agency_printed.clone().into(),
    );
    m.insert(
        "period".into(),
        match &report.meta.period {
            Some(p) => serde_json::json!({
                "start": p.value.0.to_string(),
                "end": p.value.1.to_string(),
            }),
            None => Json::Null,
        },
    );
    m.insert(
        "contact".into(),
        report.meta.contact.as_ref().map(|c| c.value.clone()).into(),
    );
    m.insert("tables".into(), tables_json(report));
    m.insert(
        "sections".into(),
        report
            .sections
            .iter()
            .map(|s| {
                serde_json::json!({
                    "part": s.part,
                    "key": catalogue::PARTS[(s.part as usize).saturating_sub(1).min(5)].key,
                    "marker": s.marker,
                    "heading": s.heading,
                    "line": s.line,
                    "end_line": s.end_line,
                    "text": s.text,
                })
            })
            .collect::<Vec<_>>()
            .into(),
    );
    let mut prov = Map::new();
    for (id, cell) in &report.cells {
        let mut p = match cell.span.to_json() {
            Json::Object(o) => o,
            _ => Map::new(),
        };
        if let Some(c) = cell.printed_column {
            p.insert("printed_column".into(), c.into());
        }
        if cell.located == Located::Order {
            p.insert("located".into(), "order".into());
        }
        prov.insert(id.to_string(), Json::Object(p));
    }
    m.insert("provenance".into(), Json::Object(prov));
    m.insert(
        "findings".into(),
        report
            .findings
            .iter()
            .map(|f| f.to_json())
            .collect::<Vec<_>>()
            .into(),
    );
    Json::Object(m)
}
