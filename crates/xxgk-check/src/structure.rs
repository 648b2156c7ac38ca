//! Structure and format (rules.md §1.2, §4.6; §5 D4, D5, D14): the six parts, their order and
//! numbering, the three tables, the table format for the report's year, and the items parts 一
//! and 六 must contain.
//!
//! Reports from before the 2019 regulation (`ReportKind::Pre2019`) had another structure and are
//! not checked here.

use xxgk_model::catalogue::{
    self, Format, TableId, CHINESE_NUMERALS, GOVERNMENT_SUFFIX, LABELS_ONLY_2019, LABELS_ONLY_2021,
    PART1_ACCOUNTABILITY_KEYWORDS, PART6_FEE_KEYWORDS, PART6_KEY_POINTS_KEYWORDS,
    PART6_PROPOSAL_KEYWORDS,
};
use xxgk_model::{CellId, Finding, Report, ReportKind, Section, Span};

use crate::emit::{
    cell_name, finding, ordered_cells, part_marker, part_name, push_span, row_def, with_cells,
    Cells,
};
use crate::tables::prints_single_other;

/// Run the structure checks of one report.
pub(crate) fn check(cells: &Cells, out: &mut Vec<Finding>) {
    let report = cells.report;
    let ReportKind::Standard(format) = report.kind else {
        return;
    };
    parts(report, out);
    tables_present(report, out);
    format_for_year(report, cells, format, out);
    if format == Format::F2021 && prints_single_other(report) {
        let ids: Vec<CellId> = ordered_cells(report, cells, TableId::Requests)
            .into_iter()
            .filter(|(id, ..)| id.row == catalogue::ROW_OTHER_SINGLE.key)
            .map(|(id, ..)| id)
            .collect();
        let group = catalogue::ROW_OTHER_SINGLE.printed_label();
        let sub_rows: Vec<String> = catalogue::REQUESTS_2021
            .rows
            .iter()
            .filter(|r| r.group == Some(group.as_str()))
            .map(|r| r.printed_label())
            .collect();
        let f = finding(
            "FORMAT-SELF-MODIFIED",
            format!(
                "表三只印了一行“{group}”，{}格式应分为 {} 行：{}",
                Format::F2021.instrument(),
                sub_rows.len(),
                sub_rows.join("；")
            ),
        )
        .expected_found(format!("{} 行", sub_rows.len()), "1 行");
        out.push(with_cells(f, report, &ids));
    }
    contents(report, out);
}

/// The text of a part without whitespace.
pub(crate) fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The section of part `n`, if found.
pub(crate) fn section(report: &Report, n: u8) -> Option<&Section> {
    report.sections.iter().find(|s| s.part == n)
}

/// STRUCT-PARTS, STRUCT-ORDER, STRUCT-NUMBERING.
fn parts(report: &Report, out: &mut Vec<Finding>) {
    let missing: Vec<u8> = (1..=6u8)
        .filter(|n| !report.sections.iter().any(|s| s.part == *n))
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|n| part_name(*n)).collect();
        out.push(
            finding(
                "STRUCT-PARTS",
                format!(
                    "未找到{}（也可能是标题措辞与格式差异过大而未能识别）",
                    names.join("、")
                ),
            )
            .expected_found("六个部分", format!("缺少 {} 个部分", missing.len())),
        );
    }

    let order: Vec<u8> = report.sections.iter().map(|s| s.part).collect();
    if let Some(i) = order.windows(2).position(|w| w[0] >= w[1]) {
        let printed: Vec<&str> = order
            .iter()
            .filter_map(|n| {
                CHINESE_NUMERALS
                    .get(usize::from(n.saturating_sub(1)))
                    .copied()
            })
            .collect();
        let mut f = finding(
            "STRUCT-ORDER",
            format!(
                "各部分的顺序为“{}”，应按一至六的顺序排列",
                printed.join("、")
            ),
        )
        .expected_found("一、二、三、四、五、六", printed.join("、"));
        if let Some(s) = report.sections.get(i + 1) {
            push_span(&mut f, Span::line(s.line));
        }
        out.push(f);
    }

    for s in &report.sections {
        let Some(expected) = part_marker(s.part) else {
            continue;
        };
        if s.marker.trim() != expected {
            let printed = if s.marker.trim().is_empty() {
                "未编号".to_string()
            } else {
                format!("编号为“{}”", s.marker.trim())
            };
            let mut f = finding(
                "STRUCT-NUMBERING",
                format!(
                    "第{}部分的标题“{}{}”{printed}，应为“{expected}”",
                    expected.trim_end_matches('、'),
                    s.marker.trim(),
                    s.heading
                ),
            )
            .expected_found(expected, s.marker.trim());
            push_span(&mut f, Span::line(s.line));
            out.push(f);
        }
    }
}

/// STRUCT-TABLE-MISSING, unless the reader already reported the missing table (its
/// READ-TABLE-MISSING finding names the table's cells).
fn tables_present(report: &Report, out: &mut Vec<Finding>) {
    for table in TableId::ALL {
        if report.cells.keys().any(|id| id.table == table) {
            continue;
        }
        let reported = report
            .findings
            .iter()
            .any(|f| f.rule == "READ-TABLE-MISSING" && f.cells.iter().any(|c| c.table == table));
        if reported {
            continue;
        }
        let mut f = finding(
            "STRUCT-TABLE-MISSING",
            format!(
                "未读到{}（{}）的任何数据：表格缺失，或以图片形式发布而无法读取",
                table.short_name(),
                table.title()
            ),
        );
        if let Some(s) = section(report, table.part()) {
            push_span(&mut f, Span::line(s.line));
        }
        out.push(f);
    }
}

/// FORMAT-YEAR: the tables' format is not the one of the report's year.
fn format_for_year(report: &Report, cells: &Cells, format: Format, out: &mut Vec<Finding>) {
    let Some(year) = report.meta.year else { return };
    let Some(expected) = Format::for_year(year) else {
        return;
    };
    if report.cells.is_empty() {
        return;
    }
    if expected == format {
        other_format_labels(report, year, expected, out);
        return;
    }
    let only = match format {
        Format::F2019 => LABELS_ONLY_2019,
        Format::F2021 => LABELS_ONLY_2021,
    };
    // The first printed cell whose row or column label only the report's format has.
    let fmt = Some(format);
    let evidence = ordered_cells(report, cells, TableId::Active)
        .into_iter()
        .find(|(id, _, col)| {
            let col = col.map(|c| c.label);
            let row = row_def(fmt, id.table, id.row).map(|r| r.label);
            col.is_some_and(|l| only.contains(&l)) || row.is_some_and(|l| only.contains(&l))
        })
        .map(|(id, ..)| id);
    let example = evidence
        .map(|id| format!("（如{}）", cell_name(fmt, &id)))
        .unwrap_or_default();
    let mut f = finding(
        "FORMAT-YEAR",
        format!(
            "{year} 年度报告应使用{}格式，但表格使用的是{}格式{example}",
            expected.instrument(),
            format.instrument()
        ),
    )
    .expected_found(expected.id(), format.id());
    if let Some(id) = evidence {
        f = with_cells(f, report, &[id]);
    } else if let Some(t) = report.tables.first() {
        push_span(&mut f, t.start);
    }
    out.push(f);
}

/// PART1-ACCOUNTABILITY and PART6-*: items parts 一 and 六 must contain.
/// A table of the right format that prints a label only the other format has (one
/// "本年新制作数量" header, a "政府集中采购" row in a 2021+ report): the reader decides the format
/// by what most of table 二 prints, so the cells are read, but the table is partly the old one.
/// Looked for in part 二's lines, as whole printed cells (a tab-, pipe- or space-separated
/// field equal to the label, or the label followed by a bracketed unit).
fn other_format_labels(report: &Report, year: i32, expected: Format, out: &mut Vec<Finding>) {
    let (other, labels) = match expected {
        Format::F2021 => (Format::F2019, LABELS_ONLY_2019),
        Format::F2019 => (Format::F2021, LABELS_ONLY_2021),
    };
    let Some(s) = section(report, TableId::Active.part()) else {
        return;
    };
    let lines: Vec<&str> = s.text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    for (k, line) in lines.iter().enumerate() {
        let label = line
            .split(|c: char| c == '\t' || c == '|' || c.is_whitespace())
            .find_map(|field| {
                labels.iter().find(|l| {
                    field
                        .strip_prefix(**l)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['（', '(']))
                })
            });
        let Some(label) = label else { continue };
        let back = u32::try_from(last - k).unwrap_or(u32::MAX);
        let mut f = finding(
            "FORMAT-YEAR",
            format!(
                "{year} 年度报告应使用{}格式，但表二印有{}格式的栏目“{label}”",
                expected.instrument(),
                other.instrument()
            ),
        )
        .expected_found(expected.id(), format!("{}（{label}）", other.id()));
        push_span(&mut f, Span::line(s.end_line.saturating_sub(back)));
        out.push(f);
        return;
    }
}

fn contents(report: &Report, out: &mut Vec<Finding>) {
    let government = report
        .meta
        .agency
        .as_deref()
        .is_some_and(|a| a.ends_with(GOVERNMENT_SUFFIX));
    if government {
        if let Some(s) = section(report, 1) {
            missing_item(
                s,
                &compact(&s.text),
                "PART1-ACCOUNTABILITY",
                "工作考核、社会评议和责任追究结果情况",
                PART1_ACCOUNTABILITY_KEYWORDS,
                out,
            );
        }
    }

    let from_2021 = match report.meta.year {
        Some(y) => y >= 2021,
        None => report.format() == Some(Format::F2021),
    };
    if !from_2021 {
        return;
    }
    let Some(s) = section(report, 6) else { return };
    let text = compact(&s.text);
    if !crate::fees::mentions_fees(&text) {
        missing_item(
            s,
            &text,
            "PART6-FEES",
            "信息处理费收取情况",
            PART6_FEE_KEYWORDS,
            out,
        );
    }
    missing_item(
        s,
        &text,
        "PART6-KEY-POINTS",
        "落实上级年度政务公开工作要点情况",
        PART6_KEY_POINTS_KEYWORDS,
        out,
    );
    missing_item(
        s,
        &text,
        "PART6-PROPOSALS",
        "人大代表建议和政协提案办理结果公开情况",
        PART6_PROPOSAL_KEYWORDS,
        out,
    );
}

/// `text`: the part's text without whitespace ([`compact`]).
fn missing_item(
    s: &Section,
    text: &str,
    rule: &'static str,
    item: &str,
    keywords: &[&str],
    out: &mut Vec<Finding>,
) {
    if keywords.iter().any(|k| text.contains(k)) {
        return;
    }
    let words: Vec<String> = keywords.iter().map(|k| format!("“{k}”")).collect();
    let mut f = finding(
        rule,
        format!(
            "{}没有说明{item}（未出现{}）",
            part_name(s.part),
            words.join("")
        ),
    )
    .expected_found(item, "未说明");
    push_span(&mut f, Span::line(s.line));
    out.push(f);
}
