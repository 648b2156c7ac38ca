//! The workbook of `xxgk check --format xlsx`, for supervisors (rust_xlsxwriter): a library, so
//! that the command line and the report list export of `xxgk serve` write the same workbook.
//!
//! * 汇总: one row per input (文件, 机关, 年度, 格式, 错误数, 警告数, 提示数, 是否可读), then a 合计
//!   row. The counts are of every finding, whatever `--min-severity` lists.
//! * 问题清单: one row per listed finding (文件, 机关, 年度, 规则, 严重程度, 说明, 单元格, 应为, 实为,
//!   行, 位置), by report in input order; cross-year findings of a report written out before its
//!   previous year's report arrived come at the end. 单元格 holds the canonical flat ids;
//!   应为/实为 are numbers where they are plain numbers; 行 is the first line the finding points
//!   to. Beyond Excel's row limit the list continues on 问题清单2, 问题清单3, …
//! * 规则统计: the totals (reports, unreadable, with errors — unreadable included —, with warnings), then one row per
//!   rule (规则, 类别, 严重程度, 标题, 问题数, 涉及报告数), most frequent first.
//!
//! Every sheet: header row bold and frozen, autofilter over the table, column widths for CJK
//! text. Finding rows go into the worksheet as the reports come (rust_xlsxwriter keeps the
//! workbook in memory until it is saved); the summary rows are kept and written at the end.

use std::collections::{BTreeMap, BTreeSet};

use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError};
use xxgk_model::{Finding, ReportKind, RuleDef, Severity, Span};

/// Excel's rows per sheet, header included.
const MAX_ROWS: usize = 1_048_576;
/// Excel's characters per cell.
const MAX_CHARS: usize = 32_767;

pub const SUMMARY_SHEET: &str = "汇总";
pub const FINDINGS_SHEET: &str = "问题清单";
pub const RULES_SHEET: &str = "规则统计";

pub const SUMMARY_HEADER: [&str; 8] = [
    "文件",
    "机关",
    "年度",
    "格式",
    "错误数",
    "警告数",
    "提示数",
    "是否可读",
];
const SUMMARY_WIDTHS: [f64; 8] = [40.0, 30.0, 8.0, 18.0, 8.0, 8.0, 8.0, 10.0];

pub const FINDINGS_HEADER: [&str; 11] = [
    "文件",
    "机关",
    "年度",
    "规则",
    "严重程度",
    "说明",
    "单元格",
    "应为",
    "实为",
    "行",
    "位置",
];
const FINDINGS_WIDTHS: [f64; 11] = [
    40.0, 30.0, 8.0, 24.0, 10.0, 90.0, 40.0, 12.0, 12.0, 8.0, 16.0,
];

pub const RULES_HEADER: [&str; 6] = ["规则", "类别", "严重程度", "标题", "问题数", "涉及报告数"];
const RULES_WIDTHS: [f64; 6] = [24.0, 8.0, 10.0, 50.0, 10.0, 12.0];

/// One input of the summary sheet.
struct ReportRow {
    name: String,
    agency: Option<String>,
    year: Option<i32>,
    format: Option<&'static str>,
    /// Errors, warnings, infos.
    counts: [u64; 3],
    readable: bool,
    /// The distinct rules of its findings.
    rules: BTreeSet<String>,
}

/// One input of the workbook: what was read of it and its findings.
#[derive(Debug, Clone)]
pub struct CheckEntry<'a> {
    /// The input's name (the file).
    pub name: &'a str,
    /// The agency the report names, when read.
    pub agency: Option<&'a str>,
    pub year: Option<i32>,
    /// The format it was read in; `None` when it could not be read.
    pub kind: Option<ReportKind>,
    /// Every finding (those below the listed severity are counted, not listed).
    pub findings: &'a [Finding],
}

/// Where the rule sheet finds a rule: its stage (读取 or 校验) and its definition, if known.
pub type RuleLookup<'a> = &'a dyn Fn(&str) -> (&'static str, Option<&'static RuleDef>);

/// The report's format in words.
pub fn kind_label(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Standard(xxgk_model::catalogue::Format::F2021) => "2021 年格式",
        ReportKind::Standard(xxgk_model::catalogue::Format::F2019) => "2019 年试行格式",
        ReportKind::Pre2019 => "2019 年以前的旧年报",
    }
}

/// Where a finding points: the first span with a page (a PDF's page and line on it), else the
/// first span with a line.
pub fn place_of(f: &Finding) -> Option<Span> {
    f.spans
        .iter()
        .find(|s| s.page.is_some())
        .or_else(|| f.spans.iter().find(|s| s.line > 0))
        .copied()
}

/// The line a finding points to, if any.
pub fn line_of(f: &Finding) -> Option<u32> {
    place_of(f).map(|s| s.line).filter(|&l| l > 0)
}

/// The workbook being filled: the findings sheets as the entries come, the summary at the end.
pub struct Workbook {
    min: Severity,
    bold: Format,
    reports: Vec<ReportRow>,
    /// The findings sheets (more than one beyond Excel's row limit) and the last row written.
    findings: Vec<Worksheet>,
    row: RowNum,
    /// The first error of rust_xlsxwriter, reported when the workbook is saved.
    error: Option<XlsxError>,
    /// Findings per rule, listed or not.
    findings_per_rule: BTreeMap<String, usize>,
}

/// The totals of the rule sheet.
struct Totals {
    total: usize,
    unreadable: usize,
    with_errors: usize,
    with_warnings: usize,
    /// (rule, findings, reports), most findings first, then by rule.
    per_rule: Vec<(String, usize, usize)>,
}

impl Workbook {
    /// An empty workbook listing findings of severity `min` and above.
    pub fn new(min: Severity) -> Workbook {
        Workbook {
            min,
            bold: Format::new().set_bold(),
            reports: Vec::new(),
            findings: Vec::new(),
            row: 0,
            error: None,
            findings_per_rule: BTreeMap::new(),
        }
    }

    /// The next input, in input order.
    pub fn entry(&mut self, entry: &CheckEntry) {
        let at = self.reports.len();
        self.reports.push(ReportRow {
            name: entry.name.to_owned(),
            agency: entry.agency.map(str::to_owned),
            year: entry.year,
            format: entry.kind.map(kind_label),
            counts: [0; 3],
            readable: entry.kind.is_some(),
            rules: BTreeSet::new(),
        });
        self.add_findings(at, entry.findings);
    }

    /// Findings of the input added `index`-th (from 0) before (late cross-year findings):
    /// counted in its summary row, listed at the end of the findings.
    pub fn late(&mut self, index: usize, findings: &[Finding]) {
        if index < self.reports.len() {
            self.add_findings(index, findings);
        }
    }

    fn add_findings(&mut self, at: usize, findings: &[Finding]) {
        for f in findings {
            let Some(report) = self.reports.get_mut(at) else {
                return;
            };
            let i = match f.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            };
            report.counts[i] += 1;
            report.rules.insert(f.rule.to_owned());
            *self.findings_per_rule.entry(f.rule.to_owned()).or_default() += 1;
            if f.severity <= self.min && self.error.is_none() {
                if let Err(e) = self.finding_row(at, f) {
                    self.error = Some(e);
                }
            }
        }
    }

    /// The sheet for the next finding row, opening a new one at the start and at Excel's limit.
    fn next_row(&mut self) -> Result<(&mut Worksheet, RowNum), XlsxError> {
        let full = usize::try_from(self.row).map_or(true, |r| r + 1 >= MAX_ROWS);
        if self.findings.is_empty() || full {
            let name = match self.findings.len() {
                0 => FINDINGS_SHEET.to_string(),
                n => format!("{FINDINGS_SHEET}{}", n + 1),
            };
            let ws = sheet(&name, &FINDINGS_HEADER, &FINDINGS_WIDTHS, &self.bold)?;
            self.findings.push(ws);
            self.row = 0;
        }
        self.row += 1;
        let row = self.row;
        match self.findings.last_mut() {
            Some(ws) => Ok((ws, row)),
            None => Err(XlsxError::ParameterError("no findings sheet".into())),
        }
    }

    fn finding_row(&mut self, at: usize, f: &Finding) -> Result<(), XlsxError> {
        let Some(report) = self.reports.get(at) else {
            return Ok(());
        };
        let (name, agency, year) = (cell_text(&report.name), report.agency.clone(), report.year);
        let (ws, row) = self.next_row()?;
        ws.write_string(row, 0, name)?;
        if let Some(a) = agency {
            ws.write_string(row, 1, cell_text(&a))?;
        }
        if let Some(y) = year {
            ws.write_number(row, 2, f64::from(y))?;
        }
        ws.write_string(row, 3, f.rule)?;
        ws.write_string(row, 4, f.severity.label())?;
        ws.write_string(row, 5, cell_text(&f.message))?;
        let cells: Vec<String> = f.cells.iter().map(ToString::to_string).collect();
        if !cells.is_empty() {
            ws.write_string(row, 6, cell_text(&cells.join(" ")))?;
        }
        for (c, value) in [(7, &f.expected), (8, &f.found)] {
            match value.as_deref().map(|v| (v, plain_number(v))) {
                Some((_, Some(x))) => {
                    ws.write_number(row, c, x)?;
                }
                Some((v, None)) => {
                    ws.write_string(row, c, cell_text(v))?;
                }
                None => {}
            }
        }
        if let Some(line) = line_of(f) {
            ws.write_number(row, 9, f64::from(line))?;
        }
        let place = place(&f.spans);
        if !place.is_empty() {
            ws.write_string(row, 10, cell_text(&place))?;
        }
        Ok(())
    }

    /// The workbook as the bytes of an .xlsx file; `rules` names the rules of the rule sheet.
    pub fn save(&mut self, rules: RuleLookup) -> Result<Vec<u8>, XlsxError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.findings.is_empty() {
            // A findings sheet with its header even when nothing is listed.
            let ws = sheet(
                FINDINGS_SHEET,
                &FINDINGS_HEADER,
                &FINDINGS_WIDTHS,
                &self.bold,
            )?;
            self.findings.push(ws);
            self.row = 0;
        }
        let mut book = rust_xlsxwriter::Workbook::new();
        book.push_worksheet(self.summary_sheet()?);
        let sheets = std::mem::take(&mut self.findings);
        let count = sheets.len();
        for (n, mut ws) in sheets.into_iter().enumerate() {
            // Every sheet but the last is full.
            let last = if n + 1 == count {
                self.row
            } else {
                RowNum::try_from(MAX_ROWS - 1).unwrap_or(RowNum::MAX)
            };
            filter(&mut ws, last, FINDINGS_HEADER.len())?;
            book.push_worksheet(ws);
        }
        let summary = self.summary();
        book.push_worksheet(rules_sheet(&summary, rules, &self.bold)?);
        book.save_to_buffer()
    }

    /// The totals of the rule sheet, from every finding counted.
    fn summary(&self) -> Totals {
        let mut t = Totals {
            total: self.reports.len(),
            unreadable: self.reports.iter().filter(|r| !r.readable).count(),
            // An input that could not be read has an error (its finding) and counts here.
            with_errors: self.reports.iter().filter(|r| r.counts[0] > 0).count(),
            with_warnings: self
                .reports
                .iter()
                .filter(|r| r.readable && r.counts[1] > 0)
                .count(),
            per_rule: Vec::new(),
        };
        let mut reports: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &self.reports {
            for rule in &r.rules {
                *reports.entry(rule).or_default() += 1;
            }
        }
        let mut per_rule: Vec<(String, usize, usize)> = self
            .findings_per_rule
            .iter()
            .map(|(rule, n)| {
                (
                    rule.clone(),
                    *n,
                    reports.get(rule.as_str()).copied().unwrap_or(0),
                )
            })
            .collect();
        per_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        t.per_rule = per_rule;
        t
    }

    fn summary_sheet(&self) -> Result<Worksheet, XlsxError> {
        let bold = &self.bold;
        let mut ws = sheet(SUMMARY_SHEET, &SUMMARY_HEADER, &SUMMARY_WIDTHS, bold)?;
        let mut row: RowNum = 0;
        for r in &self.reports {
            row += 1;
            ws.write_string(row, 0, cell_text(&r.name))?;
            if let Some(a) = &r.agency {
                ws.write_string(row, 1, cell_text(a))?;
            }
            if let Some(y) = r.year {
                ws.write_number(row, 2, f64::from(y))?;
            }
            if let Some(f) = r.format {
                ws.write_string(row, 3, f)?;
            }
            for (k, n) in r.counts.iter().enumerate() {
                ws.write_number(row, col(4 + k), *n as f64)?;
            }
            ws.write_string(row, 7, if r.readable { "是" } else { "否" })?;
        }
        filter(&mut ws, row, SUMMARY_HEADER.len())?;
        // The totals, after a blank row (outside the filter).
        let total = row + 2;
        let readable = self.reports.iter().filter(|r| r.readable).count();
        ws.write_string_with_format(total, 0, "合计", bold)?;
        ws.write_string(
            total,
            1,
            format!("{} 份报告，{} 份可读", self.reports.len(), readable),
        )?;
        for k in 0..3 {
            let sum: u64 = self.reports.iter().map(|r| r.counts[k]).sum();
            ws.write_number_with_format(total, col(4 + k), sum as f64, bold)?;
        }
        ws.write_number(total, 7, readable as f64)?;
        Ok(ws)
    }
}

/// The rule counts and the totals.
fn rules_sheet(
    summary: &Totals,
    lookup: RuleLookup,
    bold: &Format,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(RULES_SHEET)?;
    for (c, w) in RULES_WIDTHS.iter().enumerate() {
        ws.set_column_width(col(c), *w)?;
    }
    let totals = [
        ("报告数", summary.total),
        ("无法读取数", summary.unreadable),
        ("有错误的报告数", summary.with_errors),
        ("有警告的报告数", summary.with_warnings),
    ];
    let mut row: RowNum = 0;
    for (label, n) in totals {
        ws.write_string_with_format(row, 0, label, bold)?;
        ws.write_number(row, 1, n as f64)?;
        row += 1;
    }
    let header = row + 1;
    for (c, h) in RULES_HEADER.iter().enumerate() {
        ws.write_string_with_format(header, col(c), *h, bold)?;
    }
    ws.set_freeze_panes(header + 1, 0)?;
    row = header;
    for (rule, findings, reports) in &summary.per_rule {
        row += 1;
        ws.write_string(row, 0, rule)?;
        let (stage, def) = lookup(rule);
        ws.write_string(row, 1, stage)?;
        if let Some(def) = def {
            ws.write_string(row, 2, def.severity.label())?;
            ws.write_string(row, 3, def.title)?;
        }
        ws.write_number(row, 4, *findings as f64)?;
        ws.write_number(row, 5, *reports as f64)?;
    }
    ws.autofilter(header, 0, row, col(RULES_HEADER.len() - 1))?;
    Ok(ws)
}

/// A sheet with its name, bold frozen header and column widths.
fn sheet(
    name: &str,
    header: &[&str],
    widths: &[f64],
    bold: &Format,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, bold)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// The autofilter over the header and `last_row` data rows.
fn filter(ws: &mut Worksheet, last_row: RowNum, columns: usize) -> Result<(), XlsxError> {
    ws.autofilter(0, 0, last_row, col(columns.saturating_sub(1)))?;
    Ok(())
}

fn col(c: usize) -> ColNum {
    ColNum::try_from(c).unwrap_or(ColNum::MAX)
}

/// Text cut to what a cell holds.
fn cell_text(s: &str) -> String {
    if s.len() <= MAX_CHARS || s.chars().count() <= MAX_CHARS {
        return s.to_string();
    }
    s.chars().take(MAX_CHARS - 1).chain(['…']).collect()
}

/// A number written as the checks write numbers ("61", "-3", "96175.6"), or `None` for any other
/// text ("≤ 5", "< 80%", a file name).
fn plain_number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || int.len() > 15 || frac.is_some_and(|f| !all_digits(f) || f.len() > 6) {
        return None;
    }
    s.parse().ok()
}

/// "第3页第53行", several joined by "、".
fn place(spans: &[Span]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in spans {
        let p = match (s.page, s.line) {
            (Some(page), 0) => format!("第{page}页"),
            (Some(page), line) => format!("第{page}页第{line}行"),
            (None, 0) => continue,
            (None, line) => format!("第{line}行"),
        };
        if !parts.contains(&p) {
            parts.push(p);
        }
    }
    parts.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_only() {
        assert_eq!(plain_number("61"), Some(61.0));
        assert_eq!(plain_number("-3"), Some(-3.0));
        assert_eq!(plain_number("96175.6"), Some(96175.6));
        for s in [
            "≤ 5", "< 80%", "", "-", "1.", ".5", "1e5", "2024.txt", "数字", "1,000",
        ] {
            assert_eq!(plain_number(s), None, "{s}");
        }
    }

    #[test]
    fn places_name_pages_and_lines() {
        let mut on_page = Span::line(53);
        on_page.page = Some(3);
        assert_eq!(
            place(&[Span::line(7), on_page, Span::line(7)]),
            "第7行、第3页第53行"
        );
        assert_eq!(place(&[Span::line(0)]), "");
    }

    #[test]
    fn long_text_is_cut_to_a_cell() {
        let long = "字".repeat(MAX_CHARS + 10);
        assert_eq!(cell_text(&long).chars().count(), MAX_CHARS);
        assert_eq!(cell_text("短"), "短");
    }
}
