//! `xxgk check`: read every input and check it (`xxgk_check::check`), check the reports across
//! years (`xxgk_check::Series`), and list the findings in input order.
//!
//! Inputs are processed in chunks of [`CHUNK`]: each chunk is read and checked in parallel
//! (rayon), then, in input order, each report's [`SeriesFacts`] (the little the cross-year rules
//! need) is added to the [`Series`], which returns the cross-year findings it completes, and the
//! chunk's reports are written out. Only the facts stay in memory (one per agency and year, a
//! kilobyte or two each), not the reports; their texts of parts 一 and 五 go to an anonymous
//! temporary file. A cross-year finding whose later report was written out in an earlier chunk (its
//! previous year's report came later in the input) is written after all reports, in a
//! supplement. The xlsx workbook is written at the end, with such findings in their place.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use rayon::prelude::*;
use xxgk_check::{Series, SeriesFacts};
use xxgk_model::{Finding, ReportKind, Severity};

use crate::cli::{CheckArgs, CheckFormat};
use crate::csvout::{CsvHeaders, Encoded};
use crate::inputs::{self, Input};
use crate::progress::Progress;
use xxgk_write::check_xlsx::{CheckEntry, Workbook};

/// Inputs read and checked in parallel before their output is written.
const CHUNK: usize = 256;

/// The columns of the CSV output, in order.
pub const CSV_HEADER: [&str; 11] = [
    "source", "agency", "year", "rule", "severity", "message", "cells", "expected", "found",
    "line", "page",
];

/// The Chinese names of the CSV columns (`--headers zh`), in the order of [`CSV_HEADER`].
pub const CSV_HEADER_ZH: [&str; 11] = [
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
    "页",
];

/// What is known of a report that was read: agency, year, format.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub kind: ReportKind,
}

/// One input with its findings.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Position among the inputs.
    pub index: usize,
    pub name: String,
    /// `None` when the input could not be read.
    pub head: Option<Head>,
    /// The reader's findings, then the checks', then the cross-year checks' (or the one
    /// `READ-UNREADABLE` finding). In a supplement: the late cross-year findings only.
    pub findings: Vec<Finding>,
}

/// What one input gave: its entry and, when read, the facts for the cross-year rules.
struct Checked {
    entry: Entry,
    facts: Option<SeriesFacts>,
}

/// Where the output goes.
enum Destination {
    Stdout,
    File(PathBuf),
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let destination = match destination(args) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("xxgk: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    let inputs = inputs::expand(&args.files);
    let progress = Progress::new(inputs.len(), "检查");
    let min = args.min_severity.severity();

    let (mut sink, to_terminal): (Box<dyn Sink>, bool) = match (&destination, args.format) {
        (Destination::File(path), CheckFormat::Xlsx) => {
            (Box::new(XlsxSink::new(Some(path.clone()), min)), false)
        }
        (Destination::Stdout, CheckFormat::Xlsx) => (Box::new(XlsxSink::new(None, min)), false),
        (Destination::File(path), format) => {
            let file = match File::create(path) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!(
                        "xxgk: 无法创建输出文件 {}：{}",
                        path.display(),
                        inputs::write_message(&e, path)
                    );
                    return Ok(ExitCode::from(2));
                }
            };
            let out: Box<dyn Write> = Box::new(io::BufWriter::with_capacity(1 << 16, file));
            (stream_sink(format, out, min, false, args), false)
        }
        (Destination::Stdout, format) => {
            let terminal = io::stdout().is_terminal();
            let out: Box<dyn Write> =
                Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout().lock()));
            (stream_sink(format, out, min, terminal, args), terminal)
        }
    };

    // The cross-year texts of parts 一 and 五 go to an anonymous temporary file (removed by the
    // system when the process ends), so memory stays small however many reports come; memory
    // when no temporary file can be made.
    let mut series = match tempfile::tempfile() {
        Ok(file) => Series::with_spill(Box::new(file)),
        Err(_) => Series::new(),
    };
    let mut summary = Summary::default();
    // The name and head of every input, for late cross-year findings.
    let mut heads: Vec<(String, Option<Head>)> = Vec::with_capacity(inputs.len());
    let mut late: BTreeMap<usize, Vec<Finding>> = BTreeMap::new();

    let result = (|| -> io::Result<()> {
        for (c, chunk) in inputs.chunks(CHUNK).enumerate() {
            let base = c * CHUNK;
            let checked: Vec<Checked> = chunk
                .par_iter()
                .enumerate()
                .map(|(k, input)| {
                    let done = process(base + k, input);
                    progress.inc();
                    done
                })
                .collect();
            let mut entries: Vec<Entry> = Vec::with_capacity(checked.len());
            let mut cross: Vec<(usize, Finding)> = Vec::new();
            for Checked { entry, facts } in checked {
                if let Some(facts) = facts {
                    cross.extend(series.add(entry.index, facts));
                }
                heads.push((entry.name.clone(), entry.head.clone()));
                entries.push(entry);
            }
            for (owner, finding) in cross {
                match owner.checked_sub(base).and_then(|k| entries.get_mut(k)) {
                    Some(entry) => entry.findings.push(finding),
                    None => late.entry(owner).or_default().push(finding),
                }
            }
            for entry in &entries {
                summary.add(entry);
            }
            if to_terminal {
                progress.suspend(|| sink.entries(&entries))?;
            } else {
                sink.entries(&entries)?;
            }
        }
        progress.finish();
        // Every report is in: the cross-year facts are no longer needed (the xlsx workbook is
        // built next, and needs the room).
        if series.spill_errors() > 0 {
            eprintln!(
                "xxgk: 跨年度核对的临时文件读写失败 {} 次：相关部分的文字已留在内存中，或未能与上年度比对",
                series.spill_errors()
            );
        }
        drop(std::mem::take(&mut series));
        let supplement: Vec<Entry> = late
            .into_iter()
            .filter_map(|(index, findings)| {
                let (name, head) = heads.get(index)?.clone();
                Some(Entry {
                    index,
                    name,
                    head,
                    findings,
                })
            })
            .collect();
        drop(std::mem::take(&mut heads));
        for entry in &supplement {
            summary.add_late(entry);
        }
        sink.supplement(&supplement)?;
        sink.finish(&summary)
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
    Ok(if summary.with_errors() > 0 || summary.unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Where to write, or a Chinese message saying why the arguments do not allow it.
fn destination(args: &CheckArgs) -> std::result::Result<Destination, String> {
    let to_stdout = |p: &Path| p == Path::new("-");
    match (&args.output, args.format) {
        (None, CheckFormat::Xlsx) => Err(
            "--format xlsx 需要用 -o/--output 指定输出文件，例如 -o 问题.xlsx（工作簿是二进制文件，不写到终端）"
                .to_string(),
        ),
        (Some(p), CheckFormat::Xlsx) if to_stdout(p) && io::stdout().is_terminal() => Err(
            "标准输出是终端，不能写出二进制的 xlsx 工作簿；请用 -o 文件名.xlsx，或把标准输出重定向到文件"
                .to_string(),
        ),
        (Some(p), _) if to_stdout(p) => Ok(Destination::Stdout),
        (Some(p), _) => Ok(Destination::File(p.clone())),
        (None, _) => Ok(Destination::Stdout),
    }
}

/// Read and check one input. Never panics on bad input: a failure becomes a finding.
fn process(index: usize, input: &Input) -> Checked {
    let name = input.name();
    let unreadable = |name: String, message: String| Checked {
        entry: Entry {
            index,
            name,
            head: None,
            findings: vec![xxgk_read::rules::unreadable(message)],
        },
        facts: None,
    };
    let bytes = match inputs::read_bytes(input) {
        Ok(b) => b,
        Err(message) => return unreadable(name, message),
    };
    // The checks look at the reader's findings (not to repeat them): they run on the report as
    // read, before a PDF's lines are mapped to its pages (so that their findings name pages).
    let mut report = match xxgk_ocr::read_checked_dir(
        &bytes,
        Some(&name),
        &mut xxgk_check::check,
        crate::extract::ocr_engine(),
        input.dir(),
    ) {
        Ok(r) => r,
        Err(e) => return unreadable(name, e.to_string()),
    };
    drop(bytes);
    let findings = std::mem::take(&mut report.findings);
    let head = Head {
        agency: report.meta.agency.clone(),
        year: report.meta.year,
        kind: report.kind,
    };
    Checked {
        facts: Some(SeriesFacts::of(&report)),
        entry: Entry {
            index,
            name,
            head: Some(head),
            findings,
        },
    }
}

/// Where the entries go, in input order: a stream (text, JSON Lines, CSV) or a workbook.
trait Sink {
    /// The next reports, in input order.
    fn entries(&mut self, entries: &[Entry]) -> io::Result<()>;
    /// Cross-year findings of reports written out before (their previous year came later).
    fn supplement(&mut self, entries: &[Entry]) -> io::Result<()>;
    /// The end: the summary, then flush.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

fn stream_sink(
    format: CheckFormat,
    out: Box<dyn Write>,
    min: Severity,
    terminal: bool,
    args: &CheckArgs,
) -> Box<dyn Sink> {
    match format {
        CheckFormat::Json => Box::new(JsonSink { out, min }),
        CheckFormat::Csv => Box::new(CsvSink {
            out: csv::Writer::from_writer(Box::new(Encoded::new(out, args.encoding))),
            min,
            started: false,
            header: match args.headers {
                CsvHeaders::En => CSV_HEADER,
                CsvHeaders::Zh => CSV_HEADER_ZH,
            },
        }),
        CheckFormat::Text | CheckFormat::Xlsx => Box::new(TextSink {
            out,
            min,
            palette: Palette::detect(terminal),
        }),
    }
}

/// Chinese text: a block per report, the supplement, the summary.
struct TextSink {
    out: Box<dyn Write>,
    min: Severity,
    palette: Palette,
}

impl Sink for TextSink {
    fn entries(&mut self, entries: &[Entry]) -> io::Result<()> {
        for entry in entries {
            self.out
                .write_all(text_block(entry, self.min, self.palette).as_bytes())?;
        }
        // Show each chunk as soon as it is checked.
        self.out.flush()
    }

    fn supplement(&mut self, entries: &[Entry]) -> io::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        writeln!(
            self.out,
            "跨年度核对补充（以下报告的上一年度报告在输入中排在其后，读到后才能核对）\n"
        )?;
        for entry in entries {
            self.out
                .write_all(text_block(entry, self.min, self.palette).as_bytes())?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.out.write_all(summary.text().as_bytes())?;
        self.out.flush()
    }
}

/// JSON Lines: one object per report; a supplement line carries `"supplement": true`.
struct JsonSink {
    out: Box<dyn Write>,
    min: Severity,
}

impl JsonSink {
    fn write(&mut self, entries: &[Entry], supplement: bool) -> io::Result<()> {
        for entry in entries {
            let mut object = json_object(entry, self.min);
            if supplement {
                if let Some(map) = object.as_object_mut() {
                    map.insert("supplement".into(), serde_json::Value::Bool(true));
                }
            }
            let mut line = serde_json::to_vec(&object).map_err(io::Error::other)?;
            line.push(b'\n');
            self.out.write_all(&line)?;
        }
        self.out.flush()
    }
}

impl Sink for JsonSink {
    fn entries(&mut self, entries: &[Entry]) -> io::Result<()> {
        self.write(entries, false)
    }

    fn supplement(&mut self, entries: &[Entry]) -> io::Result<()> {
        self.write(entries, true)
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}

/// CSV: one row per finding (the supplement's rows follow the others).
struct CsvSink {
    out: csv::Writer<Box<dyn Write>>,
    min: Severity,
    started: bool,
    header: [&'static str; 11],
}

impl CsvSink {
    fn write(&mut self, entries: &[Entry]) -> io::Result<()> {
        if !self.started {
            self.out.write_record(self.header)?;
            self.started = true;
        }
        for entry in entries {
            csv_rows(&mut self.out, entry, self.min)?;
        }
        self.out.flush()
    }
}

impl Sink for CsvSink {
    fn entries(&mut self, entries: &[Entry]) -> io::Result<()> {
        self.write(entries)
    }

    fn supplement(&mut self, entries: &[Entry]) -> io::Result<()> {
        self.write(entries)
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        // The header even when there is no input at all.
        self.write(&[])
    }
}

/// The xlsx workbook, written at the end (to a file, or to standard output when it is not a
/// terminal).
struct XlsxSink {
    path: Option<PathBuf>,
    book: Workbook,
}

impl XlsxSink {
    fn new(path: Option<PathBuf>, min: Severity) -> XlsxSink {
        XlsxSink {
            path,
            book: Workbook::new(min),
        }
    }
}

impl Sink for XlsxSink {
    fn entries(&mut self, entries: &[Entry]) -> io::Result<()> {
        for entry in entries {
            let head = entry.head.as_ref();
            self.book.entry(&CheckEntry {
                name: &entry.name,
                agency: head.and_then(|h| h.agency.as_deref()),
                year: head.and_then(|h| h.year),
                kind: head.map(|h| h.kind),
                findings: &entry.findings,
            });
        }
        Ok(())
    }

    fn supplement(&mut self, entries: &[Entry]) -> io::Result<()> {
        for entry in entries {
            // Entries arrive in input order, one per input: the index is the row.
            self.book.late(entry.index, &entry.findings);
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        let bytes = self
            .book
            .save(&crate::rules::rule_stage)
            .map_err(|e| io::Error::other(format!("无法生成 xlsx 工作簿：{e}")))?;
        match &self.path {
            Some(path) => std::fs::write(path, bytes).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "无法写入 {}：{}",
                        path.display(),
                        inputs::write_message(&e, path)
                    ),
                )
            }),
            None => {
                let mut out = io::stdout().lock();
                out.write_all(&bytes)?;
                out.flush()
            }
        }
    }
}

/// What is known of one report for the summary.
#[derive(Debug, Clone, Default)]
struct Flags {
    readable: bool,
    error: bool,
    warning: bool,
    /// The distinct rules of its findings, sorted.
    rules: Vec<&'static str>,
}

/// Counts over every finding (whatever `--min-severity` prints).
#[derive(Debug, Default)]
pub struct Summary {
    pub read: usize,
    pub unreadable: usize,
    /// Per input, in input order.
    flags: Vec<Flags>,
    /// Findings per rule.
    findings: BTreeMap<&'static str, usize>,
    /// Reports per rule.
    reports: BTreeMap<&'static str, usize>,
}

impl Summary {
    /// Count a report (in input order).
    fn add(&mut self, entry: &Entry) {
        if entry.head.is_some() {
            self.read += 1;
        } else {
            self.unreadable += 1;
        }
        if self.flags.len() <= entry.index {
            self.flags.resize(entry.index + 1, Flags::default());
        }
        if let Some(flags) = self.flags.get_mut(entry.index) {
            flags.readable = entry.head.is_some();
        }
        self.add_findings(entry.index, &entry.findings);
    }

    /// Count late findings of a report counted before.
    fn add_late(&mut self, entry: &Entry) {
        self.add_findings(entry.index, &entry.findings);
    }

    fn add_findings(&mut self, index: usize, findings: &[Finding]) {
        let Some(flags) = self.flags.get_mut(index) else {
            return;
        };
        for f in findings {
            *self.findings.entry(f.rule).or_default() += 1;
            flags.error |= f.severity == Severity::Error;
            flags.warning |= f.severity == Severity::Warning;
            if let Err(at) = flags.rules.binary_search(&f.rule) {
                flags.rules.insert(at, f.rule);
                *self.reports.entry(f.rule).or_default() += 1;
            }
        }
    }

    /// Every input counted: the reports read and the inputs that could not be read.
    pub fn total(&self) -> usize {
        self.read + self.unreadable
    }

    /// Reports with an error, an input that could not be read included (its finding is an
    /// error, and it makes the exit code 1 as an error does).
    pub fn with_errors(&self) -> usize {
        self.flags.iter().filter(|f| f.error).count()
    }

    /// Readable reports with a warning.
    pub fn with_warnings(&self) -> usize {
        self.flags
            .iter()
            .filter(|f| f.readable && f.warning)
            .count()
    }

    /// (rule, findings, reports), most findings first, then by rule.
    pub fn per_rule(&self) -> Vec<(&'static str, usize, usize)> {
        let mut out: Vec<_> = self
            .findings
            .iter()
            .map(|(rule, n)| (*rule, *n, self.reports.get(rule).copied().unwrap_or(0)))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "汇总");
        let _ = writeln!(out, "  报告数：{}", self.total());
        let _ = writeln!(out, "  无法读取数：{}", self.unreadable);
        if self.unreadable > 0 {
            let _ = writeln!(
                out,
                "  有错误的报告数：{}（含无法读取的 {} 份）",
                self.with_errors(),
                self.unreadable
            );
        } else {
            let _ = writeln!(out, "  有错误的报告数：{}", self.with_errors());
        }
        let _ = writeln!(out, "  有警告的报告数：{}", self.with_warnings());
        let per_rule = self.per_rule();
        if per_rule.is_empty() {
            let _ = writeln!(out, "  各规则问题数：无");
            return out;
        }
        let _ = writeln!(out, "  各规则问题数：");
        let width = per_rule
            .iter()
            .map(|(rule, ..)| rule.len())
            .max()
            .unwrap_or(0);
        for (rule, count, _) in &per_rule {
            let title = crate::rules::rule_def(rule).map_or("", |r| r.title);
            let row = format!("    {rule:<width$}  {count:>6}  {title}");
            let _ = writeln!(out, "{}", row.trim_end());
        }
        out
    }
}

/// ANSI colours for the severities, or none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    on: bool,
}

impl Palette {
    /// Colours only on a terminal, and never when `NO_COLOR` is set.
    pub(crate) fn detect(terminal: bool) -> Palette {
        Palette {
            on: terminal && std::env::var_os("NO_COLOR").is_none(),
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

pub use xxgk_write::check_xlsx::{kind_label, line_of, place_of};

/// The place of a finding in words: "第5页第9行", "第5页", "第53行".
pub fn place_text(f: &Finding) -> Option<String> {
    let s = place_of(f)?;
    match (s.page, s.line) {
        (Some(page), 0) => Some(format!("第{page}页")),
        (Some(page), line) => Some(format!("第{page}页第{line}行")),
        (None, 0) => None,
        (None, line) => Some(format!("第{line}行")),
    }
}

/// One finding as a line of text (without indentation or newline):
/// "[RULE] 第N行: message (应为 X，实为 Y)".
fn finding_line(f: &Finding) -> String {
    let mut s = format!("[{}] ", f.rule);
    if let Some(place) = place_text(f) {
        let _ = write!(s, "{place}: ");
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
pub(crate) fn text_block(entry: &Entry, min: Severity, palette: Palette) -> String {
    let mut out = String::new();
    match &entry.head {
        Some(head) => {
            let agency = head.agency.as_deref().unwrap_or("（机关不详）");
            let year = head
                .year
                .map_or_else(|| "（年度不详）".to_string(), |y| format!("{y}年"));
            let _ = writeln!(
                out,
                "{} — {agency} {year} {}",
                entry.name,
                kind_label(head.kind)
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
    let head = entry.head.as_ref();
    let findings: Vec<serde_json::Value> = entry
        .findings
        .iter()
        .filter(|f| f.severity <= min)
        .map(Finding::to_json)
        .collect();
    serde_json::json!({
        "source": entry.name,
        "agency": head.and_then(|h| h.agency.as_deref()),
        "year": head.and_then(|h| h.year),
        "format": head.map(|h| h.kind.id()),
        "findings": findings,
    })
}

/// One CSV row per (printed) finding.
fn csv_rows<W: Write>(w: &mut csv::Writer<W>, entry: &Entry, min: Severity) -> csv::Result<()> {
    let head = entry.head.as_ref();
    let agency = head.and_then(|h| h.agency.as_deref()).unwrap_or("");
    let year = head
        .and_then(|h| h.year)
        .map(|y| y.to_string())
        .unwrap_or_default();
    for f in entry.findings.iter().filter(|f| f.severity <= min) {
        let cells: Vec<String> = f.cells.iter().map(|c| c.to_string()).collect();
        let line = line_of(f).map(|l| l.to_string()).unwrap_or_default();
        let page = place_of(f)
            .and_then(|s| s.page)
            .map(|p| p.to_string())
            .unwrap_or_default();
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
            &page,
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::{CellId, Format, Span};

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
        // A PDF's finding names the page: the first span that has one.
        let mut on_page = Span::line(9);
        on_page.page = Some(5);
        let p = Finding::new("TEXT-FEE-NOTICE", Severity::Warning, "没有说明收费通知")
            .at(Span::line(11))
            .at(on_page);
        assert_eq!(
            finding_line(&p),
            "[TEXT-FEE-NOTICE] 第5页第9行: 没有说明收费通知"
        );
        let g = Finding::new("DATE-PUBLISHED-MISSING", Severity::Warning, "没有发布日期");
        assert_eq!(finding_line(&g), "[DATE-PUBLISHED-MISSING] 没有发布日期");
    }

    #[test]
    fn an_unreadable_entry_prints_in_text_and_json() {
        let entry = Entry {
            index: 0,
            name: "x.bin".into(),
            head: None,
            findings: vec![xxgk_read::rules::unreadable("文件为空")],
        };
        let text = text_block(&entry, Severity::Info, Palette { on: false });
        assert_eq!(
            text,
            "x.bin — 无法读取\n  错误（1 个）\n    [READ-UNREADABLE] 文件为空\n\n"
        );
        let json = json_object(&entry, Severity::Info);
        assert_eq!(json["agency"], serde_json::Value::Null);
        assert_eq!(json["findings"][0]["rule"], xxgk_read::rules::UNREADABLE);
        assert_eq!(json["findings"][0]["severity"], "error");
        let mut summary = Summary::default();
        summary.add(&entry);
        assert_eq!((summary.read, summary.unreadable), (0, 1));
        assert_eq!(
            summary.per_rule(),
            vec![(xxgk_read::rules::UNREADABLE, 1, 1)]
        );
        // An unreadable input is a report with an error (as in the exit code).
        assert_eq!(summary.with_errors(), 1);
        assert!(
            summary.text().starts_with(
                "汇总\n  报告数：1\n  无法读取数：1\n  有错误的报告数：1（含无法读取的 1 份）\n"
            ),
            "{}",
            summary.text()
        );
    }

    #[test]
    fn late_findings_count_for_their_report_once() {
        let head = Head {
            agency: Some("某局".into()),
            year: Some(2024),
            kind: ReportKind::Standard(Format::F2021),
        };
        let warn = |rule: &'static str| Finding::new(rule, Severity::Warning, "x");
        let mut summary = Summary::default();
        for (index, findings) in [(0, vec![warn("CROSS-STOCK")]), (1, vec![])] {
            summary.add(&Entry {
                index,
                name: format!("{index}.txt"),
                head: Some(head.clone()),
                findings,
            });
        }
        assert_eq!((summary.with_errors(), summary.with_warnings()), (0, 1));
        summary.add_late(&Entry {
            index: 0,
            name: "0.txt".into(),
            head: Some(head.clone()),
            findings: vec![
                Finding::new("CROSS-CARRY-OVER", Severity::Error, "x"),
                warn("CROSS-STOCK"),
            ],
        });
        assert_eq!(
            (summary.read, summary.with_errors(), summary.with_warnings()),
            (2, 1, 1)
        );
        assert_eq!(
            summary.per_rule(),
            vec![("CROSS-STOCK", 2, 1), ("CROSS-CARRY-OVER", 1, 1)]
        );
    }

    #[test]
    fn colours_wrap_the_text() {
        let p = Palette { on: true };
        assert_eq!(p.paint(Severity::Error, "x"), "\x1b[31mx\x1b[0m");
        assert_eq!(Palette { on: false }.paint(Severity::Info, "x"), "x");
    }
}
