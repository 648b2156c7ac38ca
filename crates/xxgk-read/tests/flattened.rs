//! Flattened pages: random valid reports (both formats, the single （六） row, large numbers,
//! decimals, negatives, placeholders and blanks) rendered as Word-export text, then flattened as a
//! crawler leaves a page — every line break and tab removed, the title line kept as an
//! archiver's header keeps it — and read back.
//!
//! Every cell read must be right. A cell of the report that is not read is allowed only where
//! this test itself exhibits a second reading (a cell for which its search, bounded at
//! [`NODES`] nodes and [`CUTS_CAP`] cuts per row, ends undecided is printed, not failed; one that
//! the search shows has no second reading fails): another cut of the same printed characters of its
//! row into the row's cells, differing in that cell, that meets every identity of the tables
//! with the other rows as generated (row totals; table 三's 一 + 二 = （七） + 四 and （七） = the
//! outcome rows, per column). The test's enumeration is its own, written plainly and separately
//! from the reader's solver.
//!
//! A blank cell is printed as the placeholder "—": a page that prints nothing for a blank cell
//! cannot be told from a missing digit (see `xxgk_read::flattened`).
//!
//! `PROPTEST_CASES` sets the number of cases (default small).

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use xxgk_model::catalogue::{self, ColumnDef, Format, RowDef, TableId, Unit};
use xxgk_model::{CellId, Report, Value};
use xxgk_testgen::{random_report, GenOptions, Scale};
use xxgk_write::text::{render_text, TextLayout, TextOptions};

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    format: Format,
    single_other: bool,
    scale: Option<Scale>,
    blanks: bool,
    placeholders: bool,
}

fn scale() -> impl Strategy<Value = Option<Scale>> {
    prop_oneof![
        Just(None),
        Just(Some(Scale::Quiet)),
        Just(Some(Scale::Small)),
        Just(Some(Scale::Large)),
    ]
}

prop_compose! {
    fn case()(
        seed in any::<u64>(),
        f2019 in prop::bool::weighted(0.35),
        single_other in prop::bool::weighted(0.25),
        scale in scale(),
        blanks in prop::bool::weighted(0.3),
        placeholders in prop::bool::weighted(0.2),
    ) -> Case {
        Case {
            seed,
            format: if f2019 { Format::F2019 } else { Format::F2021 },
            single_other,
            scale,
            blanks,
            placeholders,
        }
    }
}

/// The text of `report` as a crawler leaves it: the first line, then all the rest with no line
/// break and no tab.
fn flatten(text: &str) -> String {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let body: String = rest
        .chars()
        .filter(|c| !matches!(c, '\n' | '\r' | '\t'))
        .collect();
    format!("{first}\n{body}\n")
}

fn generate(case: &Case) -> Report {
    let opts = GenOptions {
        blank_probability: if case.blanks { 0.05 } else { 0.0 },
        text_probability: if case.placeholders { 0.03 } else { 0.0 },
        other_single_row: case.single_other,
        format: Some(case.format),
        scale: case.scale,
        ..GenOptions::default()
    };
    let mut report = random_report(case.seed, &opts);
    for c in report.cells.values_mut() {
        if c.value == Value::Blank {
            c.value = Value::Text("—".to_string());
        }
    }
    report
}

/// The printed rows of a report: (table, the row defs printed as one row, their cells' columns).
/// Table 四's three rows are printed as one row of fifteen cells.
fn printed_rows(report: &Report) -> Vec<Vec<(CellId, &'static ColumnDef)>> {
    let format = report.format().unwrap_or(Format::F2021);
    let mut out = Vec::new();
    for t in [TableId::Active, TableId::Requests] {
        let single = report
            .cells
            .keys()
            .any(|k| k.row == catalogue::ROW_OTHER_SINGLE.key);
        for row in catalogue::table(format, t).rows_for(single) {
            let cells: Vec<_> = row
                .columns
                .iter()
                .map(|c| (id(t, row, c), c))
                .filter(|(i, _)| report.cells.contains_key(i))
                .collect();
            if !cells.is_empty() {
                out.push(cells);
            }
        }
    }
    let appeals: Vec<_> = catalogue::APPEALS_2021
        .rows
        .iter()
        .flat_map(|r| {
            r.columns
                .iter()
                .map(move |c| (id(TableId::Appeals, r, c), c))
        })
        .collect();
    out.push(appeals);
    out
}

fn id(table: TableId, row: &'static RowDef, c: &'static ColumnDef) -> CellId {
    CellId {
        table,
        row: row.key,
        column: c.key,
    }
}

/// Whether `s` is a cell a column of `unit` may print: a placeholder, or a number without a
/// leading zero (a sign only for signed counts, decimals only for amounts).
fn printable(s: &str, unit: Unit) -> bool {
    if catalogue::PLACEHOLDERS.contains(&s) {
        return true;
    }
    let body = match s.strip_prefix('-') {
        Some(b) if unit == Unit::SignedCount && b != "0" => b,
        Some(_) => return false,
        None => s,
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) if unit == Unit::Amount => (i, Some(f)),
        Some(_) => return false,
        None => (body, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && int.len() <= 18
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn int(v: &Value) -> Option<i128> {
    v.as_int().map(i128::from)
}

/// The numbers of tables 三 and 四 as a grid (a blank or text cell: `None`), to test the
/// identities quickly.
#[derive(Clone)]
struct Grid {
    rows: Vec<&'static RowDef>,
    t3: Vec<[Option<i128>; 7]>,
    t4: [Option<i128>; 15],
}

impl Grid {
    fn new(report: &Report) -> Grid {
        let format = report.format().unwrap_or(Format::F2021);
        let single = report
            .cells
            .keys()
            .any(|x| x.row == catalogue::ROW_OTHER_SINGLE.key);
        let rows = catalogue::table(format, TableId::Requests).rows_for(single);
        let mut g = Grid {
            t3: vec![[None; 7]; rows.len()],
            rows,
            t4: [None; 15],
        };
        for (i, c) in &report.cells {
            g.set(*i, &c.value);
        }
        g
    }

    fn set(&mut self, id: CellId, v: &Value) {
        let v = int(v);
        match id.table {
            TableId::Requests => {
                let r = self.rows.iter().position(|r| r.key == id.row);
                let c = catalogue::APPLICANT_COLUMNS
                    .iter()
                    .position(|c| c.key == id.column);
                if let (Some(r), Some(c)) = (r, c) {
                    self.t3[r][c] = v;
                }
            }
            TableId::Appeals => {
                let r = catalogue::APPEALS_2021
                    .rows
                    .iter()
                    .position(|r| r.key == id.row);
                let c = catalogue::APPEAL_COLUMNS
                    .iter()
                    .position(|c| c.key == id.column);
                if let (Some(r), Some(c)) = (r, c) {
                    self.t4[r * 5 + c] = v;
                }
            }
            TableId::Active => {}
        }
    }

    /// Every identity of the tables (a blank or text term: not evaluated).
    fn holds(&self) -> bool {
        let sum_is = |parts: &[Option<i128>], total: Option<i128>| match (
            parts.iter().copied().collect::<Option<Vec<i128>>>(),
            total,
        ) {
            (Some(p), Some(t)) => p.iter().sum::<i128>() == t,
            _ => true,
        };
        if !self.t3.iter().all(|r| sum_is(&r[..6], r[6])) {
            return false;
        }
        if !(0..3).all(|g| sum_is(&self.t4[g * 5..g * 5 + 4], self.t4[g * 5 + 4])) {
            return false;
        }
        let at = |k: &str| self.rows.iter().position(|r| r.key == k);
        let outcomes: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.rows[i].group.is_some() && self.rows[i].key != "total")
            .collect();
        for c in 0..7 {
            let g = |k: &str| at(k).and_then(|i| self.t3[i][c]);
            if let (Some(a), Some(b), Some(t), Some(f)) = (
                g("new_received"),
                g("carried_over"),
                g("total"),
                g("carried_forward"),
            ) {
                if a + b != t + f {
                    return false;
                }
            }
            let parts: Vec<Option<i128>> = outcomes.iter().map(|&i| self.t3[i][c]).collect();
            if !sum_is(&parts, g("total")) {
                return false;
            }
        }
        true
    }
}

/// The cuts of a row's printed characters into its cells (each printable in its column) that
/// meet the row's own totals where they can be evaluated; at most `cap`.
/// Also whether the list is complete (neither capped nor cut short by the step bound).
fn cuts(
    report: &Report,
    row: &[(CellId, &'static ColumnDef)],
    cap: usize,
) -> (Vec<Vec<String>>, bool) {
    let printed: String = row
        .iter()
        .map(|(i, _)| report.cells[i].value.to_string())
        .collect();
    let mut out = Vec::new();
    let mut steps = 0u32;
    fn go(
        rest: &str,
        row: &[(CellId, &'static ColumnDef)],
        cut: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
        cap: usize,
        steps: &mut u32,
    ) {
        *steps += 1;
        if out.len() >= cap || *steps > 300_000 {
            return;
        }
        if cut.len() == row.len() {
            if rest.is_empty() && totals_hold(row, cut) {
                out.push(cut.clone());
            }
            return;
        }
        let unit = row[cut.len()].1.unit;
        for (i, _) in rest.char_indices().skip(1).chain([(rest.len(), ' ')]) {
            let piece = &rest[..i];
            if printable(piece, unit) {
                cut.push(piece.to_string());
                go(&rest[i..], row, cut, out, cap, steps);
                cut.pop();
            }
        }
    }
    go(&printed, row, &mut Vec::new(), &mut out, cap, &mut steps);
    let complete = out.len() < cap && steps <= 300_000;
    (out, complete)
}

/// A row's own totals: each group ending in a `total` column adds up (blank or text: skipped).
fn totals_hold(row: &[(CellId, &'static ColumnDef)], cut: &[String]) -> bool {
    let mut start = 0;
    for (k, (_, c)) in row.iter().enumerate() {
        if c.key == "total" {
            let parts: Option<Vec<i128>> = cut[start..k]
                .iter()
                .map(|t| int(&xxgk_read::rows::value(t)))
                .collect();
            if let (Some(p), Some(t)) = (parts, int(&xxgk_read::rows::value(&cut[k]))) {
                if p.iter().sum::<i128>() != t {
                    return false;
                }
            }
            start = k + 1;
        }
    }
    true
}

/// A printed row (its cells and their columns) with the cuts of its printed characters.
type OpenRow = (Vec<(CellId, &'static ColumnDef)>, Vec<Vec<String>>);

/// Whether another reading exists that meets every identity and differs from the report in
/// `cell`: a depth-first search over the `open` rows (the cell's row first, with its cuts that
/// differ in the cell; then the rows of 一 + 二 = （七） + 四; then the others, each trying its
/// generated cut first). Rows not yet assigned are unknown, and an identity with an unknown term
/// is not yet evaluated, so each step prunes what it can. Bounded in nodes.
fn second_reading(report: &Report, open: &[OpenRow], cell: CellId, complete: bool) -> Option<bool> {
    type Row = Vec<(CellId, &'static ColumnDef)>;
    let pos = open
        .iter()
        .position(|(r, _)| r.iter().any(|(i, _)| *i == cell))?;
    let k = open[pos]
        .0
        .iter()
        .position(|(i, _)| *i == cell)
        .unwrap_or(0);
    let expected = report.cells[&cell].value.to_string();
    let printed = |row: &Row| -> Vec<String> {
        row.iter()
            .map(|(i, _)| report.cells[i].value.to_string())
            .collect()
    };
    let key_rank = |r: &Row| match r[0].0.row {
        _ if r[0].0.table != TableId::Requests => 2,
        "total" | "new_received" | "carried_over" | "carried_forward" => 0,
        _ => 1,
    };
    let mut order: Vec<(Row, Vec<Vec<String>>)> = vec![(
        open[pos].0.clone(),
        open[pos]
            .1
            .iter()
            .filter(|c| c[k] != expected)
            .cloned()
            .collect(),
    )];
    let mut rest: Vec<(Row, Vec<Vec<String>>)> = open
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pos)
        .map(|(_, (r, cs))| {
            let p = printed(r);
            let mut all = vec![p.clone()];
            all.extend(cs.iter().filter(|c| **c != p).cloned());
            (r.clone(), all)
        })
        .collect();
    rest.sort_by_key(|(r, _)| key_rank(r));
    order.extend(rest);

    let mut grid = Grid::new(report);
    for (row, _) in &order {
        for (i, _) in row {
            grid.set(*i, &Value::Blank);
        }
    }
    let mut nodes = 0u32;
    fn go(k: usize, order: &[OpenRow], grid: &mut Grid, nodes: &mut u32) -> bool {
        let Some((row, cuts)) = order.get(k) else {
            return true;
        };
        for cut in cuts {
            *nodes += 1;
            if *nodes > NODES {
                return false;
            }
            for ((i, _), t) in row.iter().zip(cut) {
                grid.set(*i, &xxgk_read::rows::value(t));
            }
            if grid.holds() && go(k + 1, order, grid, nodes) {
                return true;
            }
        }
        for (i, _) in row {
            grid.set(*i, &Value::Blank);
        }
        false
    }
    let found = go(0, &order, &mut grid, &mut nodes);
    // Not found: exhaustive only when the search stayed within its bound and no row's cuts
    // were capped.
    let capped = !complete;
    if found {
        Some(true)
    } else if nodes > NODES || capped {
        None
    } else {
        Some(false)
    }
}

/// Cuts kept per row, and nodes of the search for a second reading.
const CUTS_CAP: usize = 60;
const NODES: u32 = 20_000;

fn check(case: &Case) -> Result<(), TestCaseError> {
    let report = generate(case);
    let opts = TextOptions {
        wrap_labels: false,
        full_width_digits: false,
        crlf: false,
        space_around_numbers: false,
        seed: case.seed,
    };
    let text = flatten(&render_text(&report, TextLayout::Tsv, &opts));
    let read = xxgk_read::read(text.as_bytes(), None)
        .map_err(|e| TestCaseError::fail(format!("read failed: {e}\n{case:?}\n{text}")))?;
    prop_assert!(
        read.findings.iter().any(|f| f.rule == "READ-FLAT"),
        "not read as flattened: {case:?}\n{text}"
    );
    let mut problems = Vec::new();
    for (i, c) in &read.cells {
        match report.cells.get(i) {
            Some(e) if e.value == c.value => {}
            e => problems.push(format!(
                "{i}: read {}, report has {:?}",
                c.value,
                e.map(|e| e.value.to_string())
            )),
        }
    }
    // The rows with a cell not read, each with the cuts of its printed characters.
    let mut complete = true;
    let open: Vec<OpenRow> = printed_rows(&report)
        .into_iter()
        .filter(|row| row.iter().any(|(i, _)| !read.cells.contains_key(i)))
        .map(|row| {
            let (c, full) = cuts(&report, &row, CUTS_CAP);
            complete &= full;
            (row, c)
        })
        .collect();
    for (row, _) in &open {
        for (i, _) in row {
            if read.cells.contains_key(i) {
                continue;
            }
            if !read.findings.iter().any(|f| f.cells.contains(i)) {
                problems.push(format!("{i}: absent and no finding names it"));
            }
            match second_reading(&report, &open, *i, complete) {
                Some(true) => {}
                Some(false) => problems.push(format!(
                    "{i}: absent, but no second reading exists (searched exhaustively)"
                )),
                // The test's own bounded search could not decide: reported, not failed.
                None => eprintln!("{i}: second reading not decided within the test's bound"),
            }
        }
    }
    prop_assert!(
        problems.is_empty(),
        "{}\n{case:?}\n{text}\nfindings: {:#?}",
        problems.join("\n"),
        read.findings
    );
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        max_shrink_iters: 16,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn flattened_reports_read_back_right(case in case()) {
        check(&case)?;
    }
}

/// A report whose own arithmetic is broken is not forced into consistency: a row whose cells
/// add up to 10 while its 总计 prints 9 keeps its digits' reading where they alone decide, the
/// other rows are still read, and `check` (xxgk-check, run by the CLI test) sees the defect.
#[test]
fn a_broken_row_is_not_forced_and_the_rest_is_read() {
    let case = Case {
        seed: 7,
        format: Format::F2021,
        single_other: false,
        scale: Some(Scale::Quiet),
        blanks: false,
        placeholders: false,
    };
    let mut report = generate(&case);
    // 予以公开: 1 2 3 4 0 0 | 9 (the cells add up to 10): seven cells of one digit each, so the
    // digits alone decide the cut, whatever the arithmetic.
    let granted = |c: &str| CellId {
        table: TableId::Requests,
        row: "granted",
        column: catalogue::APPLICANT_COLUMNS
            .iter()
            .find(|x| x.key == c)
            .unwrap()
            .key,
    };
    for (c, v) in [
        ("natural_person", 1),
        ("commercial_enterprise", 2),
        ("research_institution", 3),
        ("social_welfare_organization", 4),
        ("legal_service_organization", 0),
        ("other_organization", 0),
        ("total", 9),
    ] {
        report.cells.get_mut(&granted(c)).unwrap().value = Value::int(v);
    }
    let text = flatten(&render_text(
        &report,
        TextLayout::Tsv,
        &TextOptions {
            wrap_labels: false,
            full_width_digits: false,
            crlf: false,
            space_around_numbers: false,
            seed: 7,
        },
    ));
    let read = xxgk_read::read(text.as_bytes(), None).unwrap();
    assert_eq!(read.cells[&granted("total")].value, Value::int(9));
    assert_eq!(read.cells[&granted("natural_person")].value, Value::int(1));
    assert!(read
        .findings
        .iter()
        .any(|f| f.rule == "READ-FLAT-INCONSISTENT" && f.cells.contains(&granted("total"))));
    // No cell anywhere is read wrong.
    for (i, c) in &read.cells {
        assert_eq!(Some(&c.value), report.cells.get(i).map(|e| &e.value), "{i}");
    }
    // Every other row of table 三 whose digits are one digit per cell is read.
    let read_requests = read
        .cells
        .keys()
        .filter(|k| k.table == TableId::Requests)
        .count();
    assert!(
        read_requests >= 7 * 20,
        "{read_requests} cells of table 三 read"
    );
}

/// A hostile page: a 10,000-digit run in a row is refused with a finding, quickly.
#[test]
fn a_ten_thousand_digit_run_is_refused() {
    let digits = "1".repeat(10_000);
    let mut text = String::from("标题: 某局2022年政府信息公开工作年度报告\n");
    text.push_str("三、收到和处理政府信息公开申请情况");
    for (i, r) in catalogue::REQUESTS_2021.rows.iter().enumerate() {
        text.push_str(&r.printed_label());
        text.push_str(if i == 3 { &digits } else { "0000000" });
    }
    text.push('\n');
    let read = xxgk_read::read(text.as_bytes(), None).unwrap();
    let f = read
        .findings
        .iter()
        .find(|f| f.rule == "READ-FLAT-TOO-LONG")
        .expect("refused");
    assert!(f.cells.iter().any(|c| c.row == "partially_granted"));
    assert!(!read.cells.keys().any(|c| c.row == "partially_granted"));
    assert!(read.cells.keys().any(|c| c.row == "granted"));
}
