//! Checks of single cells (rules.md §4.1 #4, §4.3 #11 and #14, §4.4 #16; §5 D9, D15): negative
//! numbers, decimals in counts, text and blank cells, and 收费金额 entered in 元.
//!
//! Blank and text cells are reported once per table row, listing every such cell of the row.

use xxgk_model::catalogue::{ColumnDef, TableId, Unit, WAN_YUAN, YUAN};
use xxgk_model::{Cell, CellId, Finding, Number, Report, Value};

use crate::emit::{cell_name, exact, finding, show, with_cells, Cells};
use crate::tables::describe_cells;

/// The row of table 二 that holds 本年收费金额 (2021).
const FEES_ROW: &str = "fees";
/// An integer 收费金额 at least this large (in 万元: 10 亿元) was almost certainly entered in 元.
const FEE_YUAN_THRESHOLD: i64 = 100_000;

/// Run the cell checks of one report.
pub(crate) fn check(index: &Cells, out: &mut Vec<Finding>) {
    let report = index.report;
    let format = report.format();
    // Findings of single cells, reported in key order after the rows' findings.
    let mut by_cell: Vec<(CellId, Finding)> = Vec::new();
    for table in TableId::ALL {
        let cells = crate::emit::ordered_cells(report, index, table);
        let mut start = 0;
        while start < cells.len() {
            let row = cells[start].0.row;
            let end = cells[start..]
                .iter()
                .position(|(id, ..)| id.row != row)
                .map_or(cells.len(), |n| start + n);
            row_checks(report, &cells[start..end], out);
            start = end;
        }
        for (id, cell, col) in &cells {
            let Some(col) = col else { continue };
            if let Value::Number(n) = &cell.value {
                if n.is_negative() && col.unit != Unit::SignedCount {
                    let f = finding(
                        "VALUE-NEGATIVE",
                        format!("{}为 {n}，不能为负数", cell_name(format, id)),
                    )
                    .expected_found("≥ 0", n);
                    by_cell.push((*id, with_cells(f, report, &[*id])));
                }
                if matches!(n, Number::Decimal { .. }) && col.unit != Unit::Amount {
                    let f = finding(
                        "VALUE-NOT-INTEGER",
                        format!("{}为 {n}，件数应为整数", cell_name(format, id)),
                    )
                    .expected_found("整数", n);
                    by_cell.push((*id, with_cells(f, report, &[*id])));
                }
            }
            if id.table == TableId::Active && id.row == FEES_ROW && col.unit == Unit::Amount {
                if let Some(f) = fee_unit(report, id, cell) {
                    by_cell.push((*id, f));
                }
            }
        }
    }
    // Stable: a cell's own findings keep their order.
    by_cell.sort_by_key(|(id, _)| *id);
    out.extend(by_cell.into_iter().map(|(_, f)| f));
}

/// VALUE-BLANK and VALUE-TEXT for the cells of one printed row.
fn row_checks(
    report: &Report,
    row: &[(CellId, &Cell, Option<&'static ColumnDef>)],
    out: &mut Vec<Finding>,
) {
    let blanks: Vec<CellId> = row
        .iter()
        .filter(|(_, c, _)| c.value.is_blank())
        .map(|(id, ..)| *id)
        .collect();
    if !blanks.is_empty() {
        let f = finding(
            "VALUE-BLANK",
            format!(
                "{}；空白不等于 0，没有发生的事项应填 0",
                describe_cells(report, &blanks)
            ),
        )
        .expected_found("数字（没有发生的填 0）", "空白");
        out.push(with_cells(f, report, &blanks));
    }
    let texts: Vec<CellId> = row
        .iter()
        .filter(|(_, c, _)| matches!(c.value, Value::Text(_)))
        .map(|(id, ..)| *id)
        .collect();
    if !texts.is_empty() {
        let found: Vec<String> = texts
            .iter()
            .filter_map(|id| match report.value(id) {
                Some(Value::Text(t)) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let f = finding(
            "VALUE-TEXT",
            format!(
                "{}：不是数字，不按 0 计算；没有发生的事项应填 0",
                describe_cells(report, &texts)
            ),
        )
        .expected_found("数字（没有发生的填 0）", found.join("、"));
        out.push(with_cells(f, report, &texts));
    }
}

/// VALUE-FEE-UNIT: 本年收费金额 (万元) that reads as 元.
fn fee_unit(report: &Report, id: &CellId, cell: &Cell) -> Option<Finding> {
    let name = cell_name(report.format(), id);
    let message = match &cell.value {
        Value::Number(Number::Int(i)) if *i >= FEE_YUAN_THRESHOLD => {
            let as_wan = show(exact(Number::Int(*i)) / 10_000);
            Some((
                format!(
                    "{name}为 {i}，按{WAN_YUAN}计即超过 10 亿{YUAN}，很可能是按{YUAN}填写（折合 {as_wan} {WAN_YUAN}）"
                ),
                format!("{as_wan}（{WAN_YUAN}）"),
                i.to_string(),
            ))
        }
        Value::Text(t) if t.contains(YUAN) && !t.contains(WAN_YUAN) => Some((
            format!("{name}填写“{t}”，单位应为{WAN_YUAN}"),
            format!("以{WAN_YUAN}为单位的数字"),
            t.clone(),
        )),
        _ => None,
    };
    message.map(|(m, expected, found)| {
        let f = finding("VALUE-FEE-UNIT", m).expected_found(expected, found);
        with_cells(f, report, &[*id])
    })
}
