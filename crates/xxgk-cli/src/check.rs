//! `xxgk check`: read every input and check it (`xxgk_check::check`), check the reports across
//! years (`xxgk_check::check_series`), and list the findings in input order.
//!
//! Inputs are read and checked in parallel (rayon). The cross-year rules need every report at
//! once, so all reports are held in memory until the series is checked and the output printed: a
//! report takes some tens of KB (cells, sections, findings), so 10,000 reports take a few hundred
//! MB. The bytes of a file are dropped as soon as it is read.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use rayon::prelude::*;
use xxgk_model::{Finding, Format, Report, ReportKind, Severity};

use crate::cli::{CheckArgs, CheckFormat};
use crate::inputs::{self, Input};

/// The rule of a finding that says an input could not be read at all.
pub const UNREADABLE: &str = "READ-UNREADABLE";

/// The columns of the CSV output, in order.
pub const CSV_HEADER: [&str; 10] = [
    "source", "agency", "year", "rule", "severity", "message", "cells", "expected", "found", "line",
];

/// One input with its findings.
struct Entry {
    name: String,
    /// `None` when the input could not be read.
    report: Option<Report>,
    /// The reader's findings, then the checks', then the cross-year checks' (or the one
    /// `READ-UNREADABLE` finding).
    findings: Vec<Finding>,
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let inputs = inputs::expand(&args.files);
    let mut entries: Vec<Entry> = inputs.par_iter().map(process).collect();

    // Cross-year rules: every report read, findings attached to the later report of a pair.
    let index: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.report.is_some())
        .map(|(i, _)| i)
        .collect();
    let series = {
        let reports: Vec<&Report> = entries.iter().filter_map(|e| e.report.as_ref()).collect();
        xxgk_check::check_series(&reports)
    };
    for (i, finding) in series {
        if let Some(entry) = index.get(i).and_then(|&at| entries.get_mut(at)) {
            entry.findings.push(finding);
        }
    }

    let summary = Summary::of(&entries);
    let min = args.min_severity.severity();
    let result = (|| -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        match args.format {
            CheckFormat::Text => {
                let palette = Palette::detect();
                for entry in &entries {
                    out.write_all(text_block(entry, min, palette).as_bytes())?;
                }
                out.write_all(summary.text().as_bytes())?;
            }
            CheckFormat::Json => {
                for entry in &entries {
                    let mut line =
                        serde_json::to_vec(&json_object(entry, min)).map_err(io::Error::other)?;
                    line.push(b'\n');
                    out.write_all(&line)?;
                }
            }
            CheckFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(CSV_HEADER)?;
                for entry in &entries {
                    csv_rows(&mut w, entry, min)?;
                }
                w.flush()?;
            }
        }
        out.flush()
    })();
    match result {
        Ok(()) => {}
        // The reader of our output went away (`xxgk check … | head`): stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(anyhow::Error::new(e).context("无法写出结果")),
    }

    if summary.read == 0 {
        eprintln!("xxgk: 没有任何输入能够读取");
        return Ok(ExitCode::from(2));
    }
    Ok(if summary.with_errors > 0 || summary.unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Read and check one input. Never panics on bad input: a failure becomes a finding.
fn process(input: &Input) -> Entry {
    let name = input.name();
    let unreadable = |name: String, message: String| Entry {
        name,
        report: None,
        findings: vec![Finding::new(UNREADABLE, Severity::Error, message)],
    };
    let bytes = match inputs::read_bytes(input) {
        Ok(b) => b,
        Err(message) => return unreadable(name, message),
    };
    let report = match xxgk_read::read(&bytes, Some(&name)) {
        Ok(r) => r,
        Err(e) => return unreadable(name, e.to_string()),
    };
    drop(bytes);
    let mut findings = report.findings.clone();
    findings.extend(xxgk_check::check(&report));
    Entry {
        name,
        report: Some(report),
        findings,
    }
}

/// Counts over every finding (whatever `--min-severity` prints).
struct Summary {
    read: usize,
    unreadable: usize,
    with_errors: usize,
    with_warnings: usize,
    /// (rule, count), most frequent first, then by rule.
    per_rule: Vec<(&'static str, usize)>,
}

impl Summary {
    fn of(entries: &[Entry]) -> Summary {
        let mut per_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut s = Summary {
            read: 0,
            unreadable: 0,
            with_errors: 0,
            with_warnings: 0,
            per_rule: Vec::new(),
        };
        for entry in entries {
            for f in &entry.findings {
                *per_rule.entry(f.rule).or_default() += 1;
            }
            if entry.report.is_none() {
                s.unreadable += 1;
                continue;
            }
            s.read += 1;
            let has = |sev: Severity| entry.findings.iter().any(|f| f.severity == sev);
            s.with_errors += usize::from(has(Severity::Error));
            s.with_warnings += usize::from(has(Severity::Warning));
        }
        let mut per_rule: Vec<_> = per_rule.into_iter().collect();
        per_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        s.per_rule = per_rule;
        s
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "汇总");
        let _ = writeln!(out, "  读取报告数：{}", self.read);
        let _ = writeln!(out, "  无法读取数：{}", self.unreadable);
        let _ = writeln!(out, "  有错误的报告数：{}", self.with_errors);
        let _ = writeln!(out, "  有警告的报告数：{}", self.with_warnings);
        if self.per_rule.is_empty() {
            let _ = writeln!(out, "  各规则问题数：无");
            return out;
        }
        let _ = writeln!(out, "  各规则问题数：");
        let width = self
            .per_rule
            .iter()
            .map(|(rule, _)| rule.len())
            .max()
            .unwrap_or(0);
        for (rule, count) in &self.per_rule {
            let title = crate::rules::rule_def(rule).map_or("", |r| r.title);
            let row = format!("    {rule:<width$}  {count:>6}  {title}");
            let _ = writeln!(out, "{}", row.trim_end());
        }
        out
    }
}

/// ANSI colours for the severities, or none.
#[derive(Debug, Clone, Copy)]
struct Palette {
    on: bool,
}

impl Palette {
    /// Colours only on a terminal, and never when `NO_COLOR` is set.
    fn detect() -> Palette {
        Palette {
            on: io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(self, severity: Severity, text: &str) -> String {
        if !self.on {
            return text.to_string();
        }
        let code = match severity {
            Severity::Error => "31",
            Severity::Warning => "33",
            Severity::Info => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

/// The report's format in words.
fn kind_label(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Standard(Format::F2021) => "2021 年格式",
        ReportKind::Standard(Format::F2019) => "2019 年试行格式",
        ReportKind::Pre2019 => "2019 年以前的旧年报",
    }
}

/// The first line number a finding points to.
fn line_of(f: &Finding) -> Option<u32> {
    f.spans.iter().map(|s| s.line).find(|&l| l > 0)
}

/// One finding as a line of text (without indentation or newline):
/// "[RULE] 第N行: message (应为 X，实为 Y)".
fn finding_line(f: &Finding) -> String {
    let mut s = format!("[{}] ", f.rule);
    if let Some(line) = line_of(f) {
        let _ = write!(s, "第{line}行: ");
    }
    s.push_str(&f.message);
    match (&f.expected, &f.found) {
        (Some(e), Some(x)) => {
            let _ = write!(s, " (应为 {e}，实为 {x})");
        }
        (Some(e), None) => {
            let _ = write!(s, " (应为 {e})");
        }
        (None, Some(x)) => {
            let _ = write!(s, " (实为 {x})");
        }
        (None, None) => {}
    }
    s
}

/// One report as Chinese text: a header line, then the findings grouped by severity.
fn text_block(entry: &Entry, min: Severity, palette: Palette) -> String {
    let mut out = String::new();
    match &entry.report {
        Some(report) => {
            let agency = report.meta.agency.as_deref().unwrap_or("（机关不详）");
            let year = report
                .meta
                .year
                .map_or_else(|| "（年度不详）".to_string(), |y| format!("{y}年"));
            let _ = writeln!(
                out,
                "{} — {agency} {year} {}",
                entry.name,
                kind_label(report.kind)
            );
        }
        None => {
            let _ = writeln!(out, "{} — 无法读取", entry.name);
        }
    }
    if entry.findings.is_empty() {
        let _ = writeln!(out, "  没有发现问题");
    } else if !entry.findings.iter().any(|f| f.severity <= min) {
        let _ = writeln!(
            out,
            "  没有{}及以上级别的问题（共 {} 个较低级别的问题未列出）",
            min.label(),
            entry.findings.len()
        );
    }
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        if severity > min {
            break;
        }
        let group: Vec<&Finding> = entry
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let heading = format!("{}（{} 个）", severity.label(), group.len());
        let _ = writeln!(out, "  {}", palette.paint(severity, &heading));
        for f in group {
            let _ = writeln!(out, "    {}", palette.paint(severity, &finding_line(f)));
        }
    }
    out.push('\n');
    out
}

/// One report as a JSON object: source, agency, year, format, findings (filtered).
fn json_object(entry: &Entry, min: Severity) -> serde_json::Value {
    let report = entry.report.as_ref();
    let findings: Vec<serde_json::Value> = entry
        .findings
        .iter()
        .filter(|f| f.severity <= min)
        .map(Finding::to_json)
        .collect();
    serde_json::json!({
        "source": entry.name,
        "agency": report.and_then(|r| r.meta.agency.as_deref()),
        "year": report.and_then(|r| r.meta.year),
        "format": report.map(|r| r.kind.id()),
        "findings": findings,
    })
}

/// One CSV row per (printed) finding.
fn csv_rows<W: Write>(w: &mut csv::Writer<W>, entry: &Entry, min: Severity) -> csv::Result<()> {
    let report = entry.report.as_ref();
    let agency = report.and_then(|r| r.meta.agency.as_deref()).unwrap_or("");
    let year = report
        .and_then(|r| r.meta.year)
        .map(|y| y.to_string())
        .unwrap_or_default();
    for f in entry.findings.iter().filter(|f| f.severity <= min) {
        let cells: Vec<String> = f.cells.iter().map(|c| c.to_string()).collect();
        let line = line_of(f).map(|l| l.to_string()).unwrap_or_default();
        w.write_record([
            entry.name.as_str(),
            agency,
            &year,
            f.rule,
            f.severity.label(),
            &f.message,
            &cells.join(" "),
            f.expected.as_deref().unwrap_or(""),
            f.found.as_deref().unwrap_or(""),
            &line,
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::{CellId, Span};

    #[test]
    fn a_finding_line_has_rule_line_and_numbers() {
        let f = Finding::new("T3-ROW-TOTAL", Severity::Error, "总计不等于各列之和")
            .at(Span::line(53))
            .cells(CellId::parse("requests.new_received.total"))
            .expected_found(61, 62);
        assert_eq!(
            finding_line(&f),
            "[T3-ROW-TOTAL] 第53行: 总计不等于各列之和 (应为 61，实为 62)"
        );
        let g = Finding::new("DATE-PUBLISHED-MISSING", Severity::Warning, "没有发布日期");
        assert_eq!(finding_line(&g), "[DATE-PUBLISHED-MISSING] 没有发布日期");
    }

    #[test]
    fn an_unreadable_entry_prints_in_text_and_json() {
        let entry = Entry {
            name: "x.bin".into(),
            report: None,
            findings: vec![Finding::new(UNREADABLE, Severity::Error, "文件为空")],
        };
        let text = text_block(&entry, Severity::Info, Palette { on: false });
        assert_eq!(
            text,
            "x.bin — 无法读取\n  错误（1 个）\n    [READ-UNREADABLE] 文件为空\n\n"
        );
        let json = json_object(&entry, Severity::Info);
        assert_eq!(json["agency"], serde_json::Value::Null);
        assert_eq!(json["findings"][0]["rule"], UNREADABLE);
        assert_eq!(json["findings"][0]["severity"], "error");
        let summary = Summary::of(&[entry]);
        assert_eq!((summary.read, summary.unreadable), (0, 1));
        assert_eq!(summary.per_rule, vec![(UNREADABLE, 1)]);
    }

    #[test]
    fn colours_wrap_the_text() {
        let p = Palette { on: true };
        assert_eq!(p.paint(Severity::Error, "x"), "\x1b[31mx\x1b[0m");
        assert_eq!(Palette { on: false }.paint(Severity::Info, "x"), "x");
    }
}
