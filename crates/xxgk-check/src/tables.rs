//! The identities of the tables (rules.md §4.1–4.4): table 三's balance, outcome sums and row
//! totals, table 四's group totals, and the single-report bounds of table 二.
//!
//! An identity is evaluated only when every cell it involves is printed as a number. A cell that
//! the report does not print at all is skipped silently (the reader reports missing rows and
//! tables); a blank or text cell makes the identity [`UNVERIFIABLE`](crate::rules::RULES): it is
//! reported as such, listing the cells that block it, and never as a pass or a failure.

use xxgk_model::catalogue::{self, Format, RowDef, TableId, APPEAL_COLUMNS, APPLICANT_COLUMNS};
use xxgk_model::{CellId, Finding, Report, Value};

use crate::emit::{
    cell_id, column_name, column_name_of, finding, row_name, row_name_of, show, with_cells, Cells,
    Exact, Term,
};
use crate::rules;

/// Row keys of table 三 that the checks name.
const NEW_RECEIVED: &str = "new_received";
const CARRIED_OVER: &str = "carried_over";
const TOTAL: &str = "total";
const CARRIED_FORWARD: &str = "carried_forward";

/// The rows of table 三 as this report prints them: the format's rows, with the single
/// （六）其他处理 row in place of its three sub-rows when a 2021-format report prints it.
pub(crate) fn requests_rows(report: &Report) -> Vec<&'static RowDef> {
    let Some(format) = report.format() else {
        return Vec::new();
    };
    catalogue::table(format, TableId::Requests).rows_for(prints_single_other(report))
}

/// Whether the report prints the single （六）其他处理 row and none of its 2021 sub-rows.
pub(crate) fn prints_single_other(report: &Report) -> bool {
    let group = catalogue::ROW_OTHER_SINGLE.printed_label();
    let sub_rows: Vec<&str> = catalogue::REQUESTS_2021
        .rows
        .iter()
        .filter(|r| r.group == Some(group.as_str()))
        .map(|r| r.key)
        .collect();
    let mut single = false;
    for id in report
        .cells
        .keys()
        .filter(|id| id.table == TableId::Requests)
    {
        if id.row == catalogue::ROW_OTHER_SINGLE.key {
            single = true;
        } else if sub_rows.contains(&id.row) {
            return false;
        }
    }
    single
}

/// The outcome rows of table 三 (those under 三、本年度办理结果, without （七）总计).
pub(crate) fn outcome_rows(report: &Report) -> Vec<&'static RowDef> {
    requests_rows(report)
        .into_iter()
        .filter(|r| r.group.is_some() && r.key != TOTAL)
        .collect()
}

/// How an identity's cells read.
enum Eval {
    /// A cell is not printed at all.
    Absent,
    /// These cells are blank or text.
    Blocked(Vec<CellId>),
    /// Both sides' sums.
    Sums(Exact, Exact),
}

fn eval(cells: &Cells, lhs: &[CellId], rhs: &[CellId]) -> Eval {
    let mut blocked = Vec::new();
    let mut sums = [0 as Exact; 2];
    for (side, ids) in [lhs, rhs].into_iter().enumerate() {
        for id in ids {
            match cells.term(id) {
                Term::Absent => return Eval::Absent,
                Term::Unusable => blocked.push(*id),
                Term::Num(v) => sums[side] += v,
            }
        }
    }
    if blocked.is_empty() {
        Eval::Sums(sums[0], sums[1])
    } else {
        Eval::Blocked(blocked)
    }
}

/// Describe blank or text cells grouped by row: 表四“行政复议”的“结果维持”“总计”单元格空白.
pub(crate) fn describe_cells(report: &Report, ids: &[CellId]) -> String {
    let format = report.format();
    let mut groups: Vec<(TableId, &'static str, Vec<CellId>)> = Vec::new();
    for id in ids {
        match groups.last_mut() {
            Some((t, r, v)) if *t == id.table && *r == id.row => v.push(*id),
            _ => groups.push((id.table, id.row, vec![*id])),
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(table, row, cells)| {
            let head = format!(
                "{}“{}”{}",
                table.short_name(),
                row_name_of(format, *table, row),
                if *table == TableId::Appeals {
                    "的"
                } else {
                    "行的"
                }
            );
            let all_blank = cells
                .iter()
                .all(|id| matches!(report.value(id), Some(Value::Blank) | None));
            if all_blank {
                let cols: String = cells
                    .iter()
                    .map(|id| format!("“{}”", column_name_of(format, id)))
                    .collect();
                format!("{head}{cols}单元格空白")
            } else {
                let cols: Vec<String> = cells
                    .iter()
                    .map(|id| {
                        let what = match report.value(id) {
                            Some(Value::Text(t)) => format!("填写“{t}”"),
                            _ => "空白".to_string(),
                        };
                        format!("“{}”单元格{what}", column_name_of(format, id))
                    })
                    .collect();
                format!("{head}{}", cols.join("、"))
            }
        })
        .collect();
    parts.join("；")
}

/// The `UNVERIFIABLE` finding of an identity of `rule` over `scope`, blocked by `blocked`.
fn unverifiable(report: &Report, rule: &'static str, scope: &str, blocked: &[CellId]) -> Finding {
    let title = rules::rule_by_id(rule).map_or(rule, |r| r.title);
    let f = finding(
        "UNVERIFIABLE",
        format!(
            "{scope}：{title}（{rule}）无法核验：{}",
            describe_cells(report, blocked)
        ),
    );
    with_cells(f, report, blocked)
}

/// Evaluate `lhs == rhs`; on a violation call `violated(lhs_sum, rhs_sum)` for the message and
/// the expected/found values.
fn identity(
    cells: &Cells,
    out: &mut Vec<Finding>,
    rule: &'static str,
    scope: impl FnOnce() -> String,
    lhs: &[CellId],
    rhs: &[CellId],
    violated: impl FnOnce(Exact, Exact) -> (String, String, String),
) {
    let report = cells.report;
    match eval(cells, lhs, rhs) {
        Eval::Absent => {}
        Eval::Blocked(blocked) => out.push(unverifiable(report, rule, &scope(), &blocked)),
        Eval::Sums(l, r) if l == r => {}
        Eval::Sums(l, r) => {
            let (message, expected, found) = violated(l, r);
            let all: Vec<CellId> = lhs.iter().chain(rhs).copied().collect();
            let f =
                finding(rule, format!("{}：{message}", scope())).expected_found(expected, found);
            out.push(with_cells(f, report, &all));
        }
    }
}

/// The value of a cell for a message ("?" when it is not a number; only used after the
/// identity's cells were all found to be numbers).
fn v(cells: &Cells, id: &CellId) -> String {
    cells.num(id).map_or_else(|| "?".to_string(), show)
}

/// Run the table checks of one report.
pub(crate) fn check(cells: &Cells, out: &mut Vec<Finding>) {
    let format = cells.report.format();
    if format.is_none() {
        return;
    }
    requests(cells, format, out);
    appeals(cells, format, out);
    active(cells, format, out);
}

fn requests(cells: &Cells, format: Option<Format>, out: &mut Vec<Finding>) {
    let report = cells.report;
    let table = TableId::Requests;
    let rows = requests_rows(report);
    if rows.is_empty() || !report.cells.keys().any(|id| id.table == table) {
        return;
    }
    let outcomes = outcome_rows(report);
    let row = |key: &str| row_name_of(format, table, key);

    for col in APPLICANT_COLUMNS {
        let c = col.key;
        // Messages only: built when a finding is made.
        let scope = || format!("{}“{}”列", table.short_name(), column_name(table, col));
        let a = cell_id(table, NEW_RECEIVED, c);
        let b = cell_id(table, CARRIED_OVER, c);
        let t = cell_id(table, TOTAL, c);
        let d = cell_id(table, CARRIED_FORWARD, c);

        // T3-BALANCE: 一 + 二 = （七） + 四.
        identity(cells, out, "T3-BALANCE", scope, &[a, b], &[t, d], |l, r| {
            (
                format!(
                    "{}（{}）+ {}（{}）= {}，应等于{}（{}）+ {}（{}）= {}",
                    row(NEW_RECEIVED),
                    v(cells, &a),
                    row(CARRIED_OVER),
                    v(cells, &b),
                    show(l),
                    row(TOTAL),
                    v(cells, &t),
                    row(CARRIED_FORWARD),
                    v(cells, &d),
                    show(r)
                ),
                show(l),
                show(r),
            )
        });

        // T3-CARRIED-FORWARD-BOUND: 四 ≤ 一 + 二 (no finding when a cell is not a number: the
        // balance above already says so).
        if let (Some(av), Some(bv), Some(dv)) = (cells.num(&a), cells.num(&b), cells.num(&d)) {
            if dv > av + bv {
                let f = finding(
                    "T3-CARRIED-FORWARD-BOUND",
                    format!(
                        "{}：{}（{}）大于{}（{}）与{}（{}）之和 {}",
                        scope(),
                        row(CARRIED_FORWARD),
                        show(dv),
                        row(NEW_RECEIVED),
                        show(av),
                        row(CARRIED_OVER),
                        show(bv),
                        show(av + bv)
                    ),
                )
                .expected_found(format!("≤ {}", show(av + bv)), show(dv));
                out.push(with_cells(f, report, &[d, a, b]));
            }
        }

        // T3-OUTCOME-SUM: （七）总计 = Σ outcome rows.
        let parts: Vec<CellId> = outcomes.iter().map(|r| cell_id(table, r.key, c)).collect();
        identity(cells, out, "T3-OUTCOME-SUM", scope, &parts, &[t], |l, r| {
            (
                format!(
                    "各项办理结果（{}至{}）之和为 {}，但{}为 {}",
                    outcomes.first().map_or_else(String::new, |r| row_name(r)),
                    outcomes.last().map_or_else(String::new, |r| row_name(r)),
                    show(l),
                    row(TOTAL),
                    show(r)
                ),
                show(l),
                show(r),
            )
        });
    }

    // T3-ROW-TOTAL: every row's 总计 = the six applicant columns.
    let (total_col, applicant_cols) = match APPLICANT_COLUMNS.split_last() {
        Some((t, rest)) => (t, rest),
        None => return,
    };
    for r in &rows {
        let parts: Vec<CellId> = applicant_cols
            .iter()
            .map(|col| cell_id(table, r.key, col.key))
            .collect();
        let total = cell_id(table, r.key, total_col.key);
        let scope = || format!("{}“{}”行", table.short_name(), row_name(r));
        identity(
            cells,
            out,
            "T3-ROW-TOTAL",
            scope,
            &parts,
            &[total],
            |l, rv| {
                (
                    format!(
                        "六类申请人（{}）之和为 {}，但“{}”列为 {}",
                        applicant_cols
                            .iter()
                            .map(|c| format!(
                                "{} {}",
                                c.label,
                                v(cells, &cell_id(table, r.key, c.key))
                            ))
                            .collect::<Vec<_>>()
                            .join("、"),
                        show(l),
                        total_col.label,
                        show(rv)
                    ),
                    show(l),
                    show(rv),
                )
            },
        );
    }

    // T3-OTHER-SHARE: （六）3 其他 (or the single （六）) > 30% of （七）总计, with ≥ 10 handled.
    let other = outcomes
        .iter()
        .rev()
        .find(|r| r.key == "other_other" || r.key == catalogue::ROW_OTHER_SINGLE.key);
    if let Some(other) = other {
        let o = cell_id(table, other.key, total_col.key);
        let t = cell_id(table, TOTAL, total_col.key);
        if let (Some(ov), Some(tv)) = (cells.num(&o), cells.num(&t)) {
            if tv >= crate::emit::count(OTHER_SHARE_MIN_TOTAL)
                && ov * 100 > tv * OTHER_SHARE_MAX_PERCENT
            {
                let pct = ov * 100 / tv;
                let f = finding(
                    "T3-OTHER-SHARE",
                    format!(
                        "{}“{}”行“{}”列为 {}，占{}（{}）的 {}%，超过 {}%",
                        table.short_name(),
                        row_name(other),
                        total_col.label,
                        show(ov),
                        row(TOTAL),
                        show(tv),
                        pct,
                        OTHER_SHARE_MAX_PERCENT
                    ),
                )
                .expected_found(format!("≤ {OTHER_SHARE_MAX_PERCENT}%"), format!("{pct}%"));
                out.push(with_cells(f, report, &[o, t]));
            }
        }
    }
}

/// T3-OTHER-SHARE fires from this share of （七）总计 on …
const OTHER_SHARE_MAX_PERCENT: Exact = 30;
/// … when at least this many requests were handled.
const OTHER_SHARE_MIN_TOTAL: i64 = 10;

fn appeals(cells: &Cells, format: Option<Format>, out: &mut Vec<Finding>) {
    let table = TableId::Appeals;
    let Some(f) = format else { return };
    let Some((total_col, parts_cols)) = APPEAL_COLUMNS.split_last() else {
        return;
    };
    for r in catalogue::table(f, table).rows {
        let parts: Vec<CellId> = parts_cols
            .iter()
            .map(|c| cell_id(table, r.key, c.key))
            .collect();
        let total = cell_id(table, r.key, total_col.key);
        let scope = || format!("{}“{}”", table.short_name(), row_name(r));
        identity(
            cells,
            out,
            "T4-GROUP-TOTAL",
            scope,
            &parts,
            &[total],
            |l, rv| {
                (
                    format!(
                        "{} = {}，但“{}”为 {}",
                        parts_cols
                            .iter()
                            .map(|c| format!(
                                "{} {}",
                                c.label,
                                v(cells, &cell_id(table, r.key, c.key))
                            ))
                            .collect::<Vec<_>>()
                            .join(" + "),
                        show(l),
                        total_col.label,
                        show(rv)
                    ),
                    show(l),
                    show(rv),
                )
            },
        );
    }
}

fn active(cells: &Cells, format: Option<Format>, out: &mut Vec<Finding>) {
    let report = cells.report;
    let table = TableId::Active;
    let Some(fmt) = format else { return };
    let def = catalogue::table(fmt, table);
    for key in ["rules", "normative_documents"] {
        let Some(row) = def.row(key) else { continue };
        let col = |c: &str| row.columns.iter().find(|d| d.key == c);
        match fmt {
            Format::F2021 => {
                let (Some(issued), Some(repealed), Some(in_force)) =
                    (col("issued"), col("repealed"), col("in_force"))
                else {
                    continue;
                };
                let i = cell_id(table, row.key, issued.key);
                let r = cell_id(table, row.key, repealed.key);
                let n = cell_id(table, row.key, in_force.key);
                if let (Some(iv), Some(0), Some(nv)) = (cells.num(&i), cells.num(&r), cells.num(&n))
                {
                    if nv < iv {
                        let f = finding(
                            "T2-IN-FORCE-BOUND",
                            format!(
                                "{}“{}”行：{}为 0，{}（{}）却小于{}（{}）",
                                table.short_name(),
                                row_name(row),
                                repealed.label,
                                in_force.label,
                                show(nv),
                                issued.label,
                                show(iv)
                            ),
                        )
                        .expected_found(format!("≥ {}", show(iv)), show(nv));
                        out.push(with_cells(f, report, &[n, i, r]));
                    }
                }
            }
            Format::F2019 => {
                let (Some(new_published), Some(total_published)) =
                    (col("new_published"), col("total_published"))
                else {
                    continue;
                };
                let p = cell_id(table, row.key, new_published.key);
                let t = cell_id(table, row.key, total_published.key);
                if let (Some(pv), Some(tv)) = (cells.num(&p), cells.num(&t)) {
                    if pv > tv {
                        let f = finding(
                            "T2-PUBLISHED-BOUND",
                            format!(
                                "{}“{}”行：{}（{}）大于{}（{}）",
                                table.short_name(),
                                row_name(row),
                                new_published.label,
                                show(pv),
                                total_published.label,
                                show(tv)
                            ),
                        )
                        .expected_found(format!("≤ {}", show(tv)), show(pv));
                        out.push(with_cells(f, report, &[p, t]));
                    }
                }
            }
        }
    }
}
