//! Checks across years (rules.md §4.1 #7, §4.2 #9, §4.3 #12–14, §4.4 #17; §5 D7, D9, D10): one
//! agency's reports of consecutive years, compared pairwise (year N − 1 → year N).
//!
//! Reports are grouped by agency (the expanded name, `meta.agency`, else the name as printed)
//! and year; every report of year N is compared with every report of the same agency of year
//! N − 1. Findings belong to the later report and point to its cells and spans.

use std::collections::{HashMap, HashSet};

use xxgk_model::catalogue::{self, Format, TableId, APPEAL_COLUMNS, APPLICANT_COLUMNS};
use xxgk_model::{CellId, Finding, Report, Span, Value};

use crate::emit::{
    cell_id, cell_name, column_name, exact, finding, num, part_name, push_span, row_name, show,
    with_cells, Exact,
};
use crate::structure::section;

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

/// The agency a report belongs to.
fn agency(r: &Report) -> Option<&str> {
    r.meta
        .agency
        .as_deref()
        .or(r.meta.agency_printed.as_deref())
}

/// Run the cross-year checks; see [`crate::check_series`].
pub(crate) fn check(reports: &[&Report]) -> Vec<(usize, Finding)> {
    let mut by_key: HashMap<(&str, i32), Vec<usize>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let (Some(a), Some(y)) = (agency(r), r.meta.year) {
            by_key.entry((a, y)).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, cur) in reports.iter().enumerate() {
        let (Some(a), Some(y)) = (agency(cur), cur.meta.year) else {
            continue;
        };
        let Some(prevs) = by_key.get(&(a, y - 1)) else {
            continue;
        };
        for &j in prevs {
            let mut found = Vec::new();
            pair(reports[j], cur, y - 1, &mut found);
            out.extend(found.into_iter().map(|f| (i, f)));
        }
    }
    out
}

/// Compare `prev` (year `py`) with `cur`.
fn pair(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
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
fn carry_over(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
    let t = TableId::Requests;
    for col in APPLICANT_COLUMNS {
        let now = cell_id(t, "carried_over", col.key);
        let before = cell_id(t, "carried_forward", col.key);
        let (Some(n), Some(b)) = (num(cur, &now), num(prev, &before)) else {
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
fn pending(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
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
        if let Some(v) = num(prev, &id).filter(|v| *v > 0) {
            let now = cell_id(t, row.key, total_col.key);
            let this_year = num(cur, &now).map_or_else(|| "未填".to_string(), show);
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
fn stock(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
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
            (num(prev, &in_force), num(cur, &issued), num(cur, &repealed))
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
        let Some(n) = num(cur, &in_force) else {
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
fn fee_unit(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
    let id = cell_id(TableId::Active, "fees", "amount");
    let (Some(p), Some(n)) = (num(prev, &id), num(cur, &id)) else {
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
fn items_2019(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
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
            num(cur, &id_items),
            num(prev, &id_items),
            num(prev, &id_change),
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
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit() && !('０'..='９').contains(c))
        .collect()
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
fn copied_text(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
    for part in COMPARED_PARTS {
        let (Some(p), Some(c)) = (section(prev, part), section(cur, part)) else {
            continue;
        };
        let Some(share) = similarity(&p.text, &c.text) else {
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
            push_span(&mut f, Span::line(c.line));
            out.push(f);
        }
    }
}

/// The non-zero numbers of a report's tables.
fn nonzero(r: &Report) -> Vec<(CellId, Exact)> {
    r.cells
        .iter()
        .filter_map(|(id, c)| match &c.value {
            Value::Number(n) if exact(*n) != 0 => Some((*id, exact(*n))),
            _ => None,
        })
        .collect()
}

/// CROSS-SAME-TABLES: every non-zero number equal to last year's.
fn same_tables(prev: &Report, cur: &Report, py: i32, out: &mut Vec<Finding>) {
    if prev.format() != cur.format() {
        return;
    }
    let now = nonzero(cur);
    if now.len() < MIN_NONZERO_CELLS || now != nonzero(prev) {
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
