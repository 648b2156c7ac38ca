//! The hostile values of issue 12 item 6 and what each must become, shared by the tests of
//! every reader (`tests/hostile.rs`) and by the example that writes the .doc fixture
//! (`examples/hostile_values_docx.rs`).

use xxgk_model::{CellId, Report, TableId, Value};

/// What a hostile value must become.
#[derive(Debug, Clone, Copy)]
pub enum Want {
    /// The number it plainly is, no value finding.
    Number(i64),
    /// The printed text, with a finding of this rule naming the cell.
    Text(&'static str),
}

pub const TOO_LARGE: &str = "READ-VALUE-TOO-LARGE";
pub const NOT_NUMBER: &str = "READ-VALUE-NOT-NUMBER";
pub const GROUPED: &str = "READ-VALUE-GROUPED";

/// The hostile values of item 6, with what each must become (checked by hand: 18 digits is the
/// most a cell holds, six decimals the most precision).
pub const VALUES: &[(&str, Want)] = &[
    ("1234567890123456789", Want::Text(TOO_LARGE)),
    ("123456789012345678901234567890", Want::Text(TOO_LARGE)),
    ("1e308", Want::Text(TOO_LARGE)),
    ("1E5", Want::Text(NOT_NUMBER)),
    ("2.5e-3", Want::Text(NOT_NUMBER)),
    ("NaN", Want::Text(NOT_NUMBER)),
    ("nan", Want::Text(NOT_NUMBER)),
    ("inf", Want::Text(NOT_NUMBER)),
    ("-Infinity", Want::Text(NOT_NUMBER)),
    ("1 234", Want::Text(GROUPED)),
    ("1,234", Want::Text(GROUPED)),
    ("12 345 678", Want::Text(GROUPED)),
    ("１２３", Want::Number(123)),
    ("-0", Want::Number(0)),
    ("+5", Want::Number(5)),
    ("007", Want::Number(7)),
    ("3.", Want::Text(NOT_NUMBER)),
    (".5", Want::Text(NOT_NUMBER)),
    ("12万", Want::Text(NOT_NUMBER)),
    ("3亿", Want::Text(NOT_NUMBER)),
    ("50%", Want::Text(NOT_NUMBER)),
    ("1,23", Want::Text(NOT_NUMBER)),
    ("1.2.3", Want::Text(NOT_NUMBER)),
    ("0.1234567", Want::Text(TOO_LARGE)),
    ("1234567890123456789.5", Want::Text(TOO_LARGE)),
];

/// Every value of [`VALUES`] in its own cell of table 三 of `base`, in one report: value `i` in
/// row `i` (table 三 has 25 rows, one per value), in the applicant column `i mod 6` (so that the
/// three grouped values stand in three different columns: a grouping shared by a column would
/// make them numbers). Returns the report and, per value, its cell.
pub fn spread(base: &Report) -> (Report, Vec<(CellId, &'static str, Want)>) {
    let ids: Vec<CellId> = base
        .cells
        .keys()
        .filter(|id| id.table == TableId::Requests && id.column != "total")
        .copied()
        .collect();
    let mut rows: Vec<&'static str> = ids.iter().map(|id| id.row).collect();
    rows.dedup();
    let columns: Vec<&'static str> = ids
        .iter()
        .filter(|id| id.row == rows[0])
        .map(|id| id.column)
        .collect();
    assert!(rows.len() >= VALUES.len(), "{} rows", rows.len());
    assert_eq!(columns.len(), 6, "{columns:?}");
    let mut report = base.clone();
    let mut placed = Vec::new();
    for (i, (printed, want)) in VALUES.iter().enumerate() {
        let id = CellId {
            table: TableId::Requests,
            row: rows[i],
            column: columns[i % columns.len()],
        };
        report.cells.get_mut(&id).expect("the cell").value = Value::Text((*printed).to_string());
        placed.push((id, *printed, *want));
    }
    (report, placed)
}

/// The report read back from `spread`'s report (as `format`) keeps every value as printed with
/// its finding, or as the number it plainly is; no row vanished (each row's total is still the
/// one `base` printed).
pub fn check_spread(format: &str, base: &Report, read: &Report, placed: &[(CellId, &str, Want)]) {
    let mut bad = Vec::new();
    for (id, printed, want) in placed {
        let got = read.cells.get(id).map(|c| c.value.clone());
        let rules: Vec<&str> = read
            .findings
            .iter()
            .filter(|f| f.rule.starts_with("READ-VALUE-"))
            .filter(|f| f.cells.contains(id))
            .map(|f| f.rule)
            .collect();
        let total = CellId {
            column: "total",
            ..*id
        };
        if read.value(&total) != base.value(&total) {
            bad.push(format!(
                "“{printed}”: the row's total {:?} (printed {:?})",
                read.value(&total),
                base.value(&total)
            ));
        }
        match want {
            Want::Number(n) => {
                if got != Some(Value::int(*n)) || !rules.is_empty() {
                    bad.push(format!("“{printed}” in {id}: {got:?}, {rules:?}"));
                }
            }
            Want::Text(rule) => {
                let message_ok = read
                    .findings
                    .iter()
                    .filter(|f| f.rule == *rule && f.cells.contains(id))
                    .all(|f| f.message.contains(printed));
                if got != Some(Value::Text((*printed).to_string()))
                    || rules != [*rule]
                    || !message_ok
                {
                    bad.push(format!("“{printed}” in {id}: {got:?}, {rules:?}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{format}:\n{}", bad.join("\n"));
}
