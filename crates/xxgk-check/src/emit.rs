//! What every check shares: building findings (severity from the catalogue, cells with their
//! spans), naming tables, rows, columns and parts in the catalogue's printed labels, and exact
//! arithmetic on printed numbers.

use xxgk_model::catalogue::{
    self, ColumnDef, Format, RowDef, TableId, APPLICANT_COLUMNS, CHINESE_NUMERALS, NOTE_PARTIAL,
    ORGANISATION_HEADER, OUTCOMES_GROUP, PARTS,
};
use xxgk_model::{Cell, CellId, Finding, Number, Report, Severity, Span, Value};

use crate::rules;

// ------------------------------------------------------------------------------- findings

/// A finding of `rule`, with the severity the catalogue gives the rule.
pub(crate) fn finding(rule: &'static str, message: impl Into<String>) -> Finding {
    let def = rules::rule_by_id(rule);
    debug_assert!(def.is_some(), "rule {rule} is not in the catalogue");
    Finding::new(rule, def.map_or(Severity::Error, |d| d.severity), message)
}

/// Add `ids` to the finding's cells and the spans of those the report prints to its spans.
pub(crate) fn with_cells(mut f: Finding, report: &Report, ids: &[CellId]) -> Finding {
    for id in ids {
        if !f.cells.contains(id) {
            f.cells.push(*id);
        }
        if let Some(cell) = report.cells.get(id) {
            push_span(&mut f, cell.span);
        }
    }
    f
}

/// Add a span unless the finding already has it.
pub(crate) fn push_span(f: &mut Finding, span: Span) {
    if !f.spans.contains(&span) {
        f.spans.push(span);
    }
}

// ------------------------------------------------------------------------------- names

/// The definition of a row: in the report's format first, then in the other format, then as
/// the single （六）其他处理 row.
pub(crate) fn row_def(
    format: Option<Format>,
    table: TableId,
    row: &str,
) -> Option<&'static RowDef> {
    catalogue::find_row(format, table, row)
}

/// The definition of a cell's column.
pub(crate) fn column_def(format: Option<Format>, id: &CellId) -> Option<&'static ColumnDef> {
    catalogue::find_cell(format, id.table, id.row, id.column).map(|(_, c)| c)
}

/// A row as printed: "一、本年新收政府信息公开申请数量", "（三）不予公开·1.属于国家秘密",
/// "行政诉讼·未经复议直接起诉", "行政规范性文件". The note of （二）部分公开 is left out.
pub(crate) fn row_name(row: &RowDef) -> String {
    let label = row.label.strip_suffix(NOTE_PARTIAL).unwrap_or(row.label);
    match row.group {
        Some(g) if g != OUTCOMES_GROUP => format!("{g}·{}{label}", row.marker),
        _ => format!("{}{label}", row.marker),
    }
}

/// A row by key, falling back to the key itself for a row no format defines.
pub(crate) fn row_name_of(format: Option<Format>, table: TableId, row: &str) -> String {
    row_def(format, table, row).map_or_else(|| row.to_string(), row_name)
}

/// A column as printed; the five organisation columns of table 三 under their header
/// ("法人或其他组织·商业企业").
pub(crate) fn column_name(table: TableId, col: &ColumnDef) -> String {
    let organisation = table == TableId::Requests
        && APPLICANT_COLUMNS
            .iter()
            .position(|c| c.key == col.key)
            .is_some_and(|i| (1..=5).contains(&i));
    if organisation {
        format!("{ORGANISATION_HEADER}·{}", col.label)
    } else {
        col.label.to_string()
    }
}

/// A column by key.
pub(crate) fn column_name_of(format: Option<Format>, id: &CellId) -> String {
    column_def(format, id).map_or_else(|| id.column.to_string(), |c| column_name(id.table, c))
}

/// A cell as users find it in the report: 表三“（一）予以公开”行“自然人”列, 表四“行政复议”的“总计”.
pub(crate) fn cell_name(format: Option<Format>, id: &CellId) -> String {
    let row = row_name_of(format, id.table, id.row);
    let col = column_name_of(format, id);
    match id.table {
        TableId::Appeals => format!("{}“{row}”的“{col}”", id.table.short_name()),
        _ => format!("{}“{row}”行“{col}”列", id.table.short_name()),
    }
}

/// "第五部分“存在的主要问题及改进情况”".
pub(crate) fn part_name(part: u8) -> String {
    let i = usize::from(part.saturating_sub(1));
    match (CHINESE_NUMERALS.get(i), PARTS.get(i)) {
        (Some(n), Some(p)) => format!("第{n}部分“{}”", p.heading),
        _ => format!("第{part}部分"),
    }
}

/// The marker a part's heading should print: "五、".
pub(crate) fn part_marker(part: u8) -> Option<String> {
    catalogue::part(part).map(catalogue::PartDef::marker)
}

/// The cells of a table in printed order (the report's format first), then any other cell of
/// the table the report holds, in key order; each with its column's definition.
pub(crate) fn ordered_cells<'r>(
    report: &'r Report,
    cells: &Cells<'r>,
    table: TableId,
) -> Vec<(CellId, &'r Cell, Option<&'static ColumnDef>)> {
    let mut out: Vec<(CellId, &'r Cell, Option<&'static ColumnDef>)> = Vec::new();
    let format = report.format();
    let rows: Vec<&'static RowDef> = match format {
        Some(f) => catalogue::table(f, table).printed_rows(),
        None => Vec::new(),
    };
    for row in rows {
        for col in row.columns {
            let id = CellId {
                table,
                row: row.key,
                column: col.key,
            };
            if let Some(cell) = cells.get(&id) {
                out.push((id, cell, Some(col)));
            }
        }
    }
    let in_table = report.cells.keys().filter(|id| id.table == table).count();
    if out.len() == in_table {
        return out;
    }
    for (id, cell) in report.cells.iter().filter(|(id, _)| id.table == table) {
        if !out.iter().any(|(seen, ..)| seen == id) {
            out.push((*id, cell, column_def(format, id)));
        }
    }
    out
}

/// The id of a cell of table `table`.
pub(crate) fn cell_id(table: TableId, row: &'static str, column: &'static str) -> CellId {
    CellId { table, row, column }
}

// ------------------------------------------------------------------------------- numbers

/// Printed numbers as exact integers of millionths (`Number::parse` keeps at most six decimals),
/// so that sums of decimals stay exact.
pub(crate) type Exact = i128;

const ONE: Exact = 1_000_000;

/// A printed number as an [`Exact`] value.
pub(crate) fn exact(n: Number) -> Exact {
    match n {
        Number::Int(i) => Exact::from(i) * ONE,
        Number::Decimal { mantissa, scale } => {
            let m = Exact::from(mantissa);
            if scale <= 6 {
                m * 10i128.pow(6 - u32::from(scale))
            } else {
                10i128
                    .checked_pow(u32::from(scale) - 6)
                    .map_or(0, |d| m / d)
            }
        }
    }
}

/// An [`Exact`] value as users read it: "154", "96171.6".
pub(crate) fn show(v: Exact) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let (int, frac) = (a / ONE.unsigned_abs(), a % ONE.unsigned_abs());
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:06}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    }
}

/// A whole count as an [`Exact`] value.
pub(crate) fn count(n: i64) -> Exact {
    Exact::from(n) * ONE
}

/// The report's cells by identifier, for the checks' many lookups (a `BTreeMap` lookup of a
/// [`CellId`] compares strings at every step; hashing one costs about as much as one step).
pub(crate) struct Cells<'r> {
    pub(crate) report: &'r Report,
    map: rustc_hash::FxHashMap<CellId, &'r Cell>,
}

impl<'r> Cells<'r> {
    pub(crate) fn new(report: &'r Report) -> Cells<'r> {
        let mut map = rustc_hash::FxHashMap::with_capacity_and_hasher(
            report.cells.len(),
            rustc_hash::FxBuildHasher,
        );
        map.extend(report.cells.iter().map(|(id, c)| (*id, c)));
        Cells { report, map }
    }

    pub(crate) fn get(&self, id: &CellId) -> Option<&'r Cell> {
        self.map.get(id).copied()
    }

    /// The value of a cell for an identity.
    pub(crate) fn term(&self, id: &CellId) -> Term {
        match self.get(id).map(|c| &c.value) {
            None => Term::Absent,
            Some(Value::Number(n)) => Term::Num(exact(*n)),
            Some(_) => Term::Unusable,
        }
    }

    /// The number a cell prints, if it prints one.
    pub(crate) fn num(&self, id: &CellId) -> Option<Exact> {
        match self.term(id) {
            Term::Num(v) => Some(v),
            _ => None,
        }
    }
}

/// What an identity needs of a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Term {
    /// The report does not print the cell (its row or table was not read: the reader said so).
    Absent,
    /// Blank or text: the identity cannot be evaluated.
    Unusable,
    Num(Exact),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_arithmetic_keeps_decimals() {
        let a = exact(Number::Decimal {
            mantissa: 961716,
            scale: 1,
        });
        let b = exact(Number::Int(4));
        assert_eq!(show(a + b), "96175.6");
        assert_eq!(show(count(-3)), "-3");
        assert_eq!(
            show(exact(Number::Decimal {
                mantissa: 5,
                scale: 2
            })),
            "0.05"
        );
    }

    #[test]
    fn names_use_the_catalogue_labels() {
        let f = Some(Format::F2021);
        let id = CellId::parse("requests.denied_state_secret.commercial_enterprise");
        let id = id.expect("catalogue key");
        assert_eq!(
            cell_name(f, &id),
            "表三“（三）不予公开·1.属于国家秘密”行“法人或其他组织·商业企业”列"
        );
        let id = CellId::parse("requests.partially_granted.total").expect("catalogue key");
        assert_eq!(cell_name(f, &id), "表三“（二）部分公开”行“总计”列");
        let id = CellId::parse("appeals.litigation_direct.total").expect("catalogue key");
        assert_eq!(cell_name(f, &id), "表四“行政诉讼·未经复议直接起诉”的“总计”");
        let id = CellId::parse("requests.other.total").expect("catalogue key");
        assert_eq!(cell_name(f, &id), "表三“（六）其他处理”行“总计”列");
        assert_eq!(part_name(5), "第五部分“存在的主要问题及改进情况”");
        assert_eq!(part_marker(5).as_deref(), Some("五、"));
        assert_eq!(part_marker(7), None);
    }
}
