//! The editable input file (TOML) → [`Report`].
//!
//! The format is written by `xxgk_write::input` (see there for the layout); this module reads it
//! back with every value's line, so that checks point at the line a person must fix.
//!
//! * `[meta]`: `agency`, `agency_printed`, `year` (required), `format` (`"2021"` / `"2019"`;
//!   default: the format of the year), `is_government_level`, `title`, `period` (two dates),
//!   `published`, `contact`, `preamble` (the text between the title and the first part, one
//!   paragraph per line: [`Meta::preamble`]). An empty string means "not stated".
//! * `[part1]` … `[part6]`: `heading` (default: the catalogue's), `paragraphs` (strings) and
//!   `[[partN.subsections]]` with `heading` and `paragraphs`. A part's text is its paragraphs,
//!   then each sub-heading followed by its paragraphs, one per line.
//! * `[tables.TABLE.ROW]` with `COLUMN = value`, the identifiers of schema.md. A value is a
//!   number (read from the characters written in the file, so 12.30 stays 12.30 — a TOML float
//!   is never converted through `f64`), `""` for a blank cell ([`Value::Blank`], never 0), or a
//!   string: a string holding a number is that number ("96171.6"), any other text is
//!   [`Value::Text`] ("/"). A cell left out is not printed by the report (a finding says so).
//!
//! Errors (syntax, unknown identifiers, wrong types) are collected, each with its line, and
//! returned together as [`ReadError::Input`]. A paragraph still holding the template's
//! [`TEXT_TO_BE_WRITTEN`] is an error finding (`READ-INPUT-PLACEHOLDER`), so that a template is
//! never rendered as it is.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use toml_edit::{Item, TableLike, Value as Toml};
use xxgk_model::catalogue::{
    self, Format, TableId, CHINESE_NUMERALS, PARTS, ROW_OTHER_SINGLE, TEXT_TO_BE_WRITTEN,
};
use xxgk_model::{
    Cell, CellId, Date, Finding, Located, Meta, Number, Report, ReportKind, Section, Severity,
    Sourced, Span, Value,
};

use crate::ReadError;

/// The largest input file read (a complete input file is about 25 KB).
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// At most this many problems are listed.
const MAX_PROBLEMS: usize = 30;

/// One problem of an input file, at a line (0 when the whole file is concerned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub line: u32,
    pub message: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}，第 {} 行", self.message, self.line)
        } else {
            f.write_str(&self.message)
        }
    }
}

/// The problems as one message: one per line.
pub fn describe(problems: &[InputProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    match lines.len() {
        0 => "输入文件有误".to_string(),
        1 => format!("输入文件有误：{}", lines[0]),
        n => format!("输入文件有 {n} 处错误：\n  {}", lines.join("\n  ")),
    }
}

/// Whether `bytes` look like an input file: the first line that is neither blank nor a comment
/// is a TOML table header `[meta]`, `[partN]` or `[tables.…]`. (A Markdown report's first line
/// "# 标题" is skipped as a comment, but its next line is prose.)
pub fn looks_like_input(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for line in bytes.split(|b| *b == b'\n').take(200) {
        let line = line.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        return line == b"[meta]" || line.starts_with(b"[part") || line.starts_with(b"[tables.");
    }
    false
}

/// The text of an input file: UTF-8 (a BOM is dropped); a file saved as GB18030/GBK by an
/// editor is accepted too (TOML asks for UTF-8, but Notepad may save the local encoding).
pub fn decode_input(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or(ReadError::Encoding)
}

/// Read an input file's bytes (see [`decode_input`]).
pub fn read_input_bytes(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    read_input(&decode_input(bytes)?, source)
}

/// Byte offsets → 1-based lines and character columns.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|s| *s <= offset) as u32
    }

    fn span(&self, range: &Range<usize>) -> Span {
        let line = self.line(range.start);
        let start = self
            .starts
            .get((line as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = self
            .text
            .get(start..range.start)
            .map(|s| s.chars().count() as u32 + 1);
        Span {
            line,
            column,
            page: None,
        }
    }

    fn raw(&self, range: &Range<usize>) -> Option<&'a str> {
        self.text.get(range.clone())
    }

    fn line_text(&self, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(0);
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("")
    }
}

struct Reader<'a> {
    lines: Lines<'a>,
    problems: Vec<InputProblem>,
}

impl Reader<'_> {
    fn problem(&mut self, at: Option<Range<usize>>, message: impl Into<String>) {
        if self.problems.len() < MAX_PROBLEMS {
            let line = at.map_or(0, |r| self.lines.line(r.start));
            self.problems.push(InputProblem {
                line,
                message: message.into(),
            });
        }
    }

    fn span_of(&self, item: &Item) -> Span {
        item.span().map_or(Span::line(0), |r| self.lines.span(&r))
    }

    /// A string value, or a problem.
    fn string(&mut self, item: &Item, what: &str) -> Option<(String, Span)> {
        match item.as_value() {
            Some(Toml::String(s)) => Some((s.value().clone(), self.span_of(item))),
            _ => {
                self.problem(item.span(), format!("{what}应当是用英文双引号括起的文字"));
                None
            }
        }
    }

    /// A string that may be empty ("not stated").
    fn opt_string(&mut self, item: &Item, what: &str) -> Option<Sourced<String>> {
        let (s, span) = self.string(item, what)?;
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(Sourced { value: s, span })
    }

    fn date(&mut self, value: &Toml, what: &str) -> Option<Option<Date>> {
        let parsed = match value {
            Toml::String(s) => {
                let s = s.value().trim();
                if s.is_empty() {
                    return Some(None);
                }
                parse_date(s)
            }
            Toml::Datetime(d) => {
                let d = d.value();
                match (d.date, d.time) {
                    (Some(day), None) => Date::new(i32::from(day.year), day.month, day.day),
                    _ => None,
                }
            }
            _ => None,
        };
        match parsed {
            Some(d) => Some(Some(d)),
            None => {
                self.problem(
                    value.span(),
                    format!("{what}不是有效的日期（应写成 \"2026-01-20\" 或 \"2026年1月20日\"）"),
                );
                None
            }
        }
    }
}

/// A date written "2026-01-20", "2026/1/20", "2026.1.20" or "2026年1月20日".
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim().trim_end_matches('日');
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str| -> Option<u32> {
        let p = p.trim();
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    if y < 1000 {
        return None;
    }
    Date::new(y as i32, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
}

/// A TOML syntax error in Chinese, with a hint for the usual mistakes.
fn syntax_problem(lines: &Lines, err: &toml_edit::TomlError) -> InputProblem {
    let (line, column) = match err.span() {
        Some(r) => {
            let s = lines.span(&r);
            (s.line, s.column.unwrap_or(1))
        }
        None => (0, 0),
    };
    let text = lines.line_text(line);
    let code = text.split('#').next().unwrap_or("");
    let message = err.message();
    // A paragraph broken by a line break inside its quotes: the string opened on this line or
    // the one before does not close on it.
    if let Some(open) = [line.saturating_sub(1), line]
        .into_iter()
        .filter(|&l| l > 0)
        .find(|&l| unclosed_string(lines.line_text(l)))
    {
        return InputProblem {
            line: open,
            message: "文字的引号没有在同一行内闭合：一段文字中间不能直接换行。要分成两段，\
                      请在第一段末尾加 \"，另起一行写 \"第二段…\"；同一段内换行写成 \\n"
                .to_string(),
        };
    }
    // `key = value` where the value is neither a number nor quoted text (`46x`); Chinese quotes
    // and full-width signs have their own hint below.
    let full_width = code.contains(['“', '”', '，', '＝']);
    if let Some((key, value)) = code.split_once('=').filter(|_| !full_width) {
        let (key, value) = (key.trim(), value.trim());
        let bare = !value.is_empty()
            && !value.starts_with(['"', '\'', '[', '{'])
            && !matches!(value, "true" | "false");
        if bare && value.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
            let what = match table_header_before(lines, line) {
                Some(row) if row.starts_with("tables.") => {
                    format!("单元格 {}.{key}", &row["tables.".len()..])
                }
                _ => key.to_string(),
            };
            return InputProblem {
                line,
                message: format!(
                    "{what} 的值“{value}”不是数字：数字只能由 0–9 和小数点组成，如 46 或 96171.6；\
                     要印文字请写在英文双引号中，如 \"/\""
                ),
            };
        }
        if bare && key == "year" {
            return InputProblem {
                line,
                message: format!(
                    "统计年度 year 应当是阿拉伯数字年份，如 year = 2025，不能写成 {value}"
                ),
            };
        }
        if bare {
            return InputProblem {
                line,
                message: format!(
                    "{key} 的值“{value}”没有加引号：文字要写在英文双引号中，如 {key} = \"{value}\""
                ),
            };
        }
    }
    let hint = if code.contains(['“', '”']) {
        "文字要用英文双引号 \"…\" 括起，不能用中文引号 “…”"
    } else if code.contains(['，', '＝']) {
        "等号和分隔段落的逗号要用英文半角符号 = 和 ,"
    } else if message.contains("duplicate") {
        "同一个键或同一个表写了两次"
    } else if message.contains("string") || message.contains("quote") {
        "引号不配对，或文字中的双引号、反斜杠没有写成 \\\" 和 \\\\"
    } else {
        "TOML 语法错误"
    };
    InputProblem {
        line,
        message: format!("{hint}（第 {column} 列；解析器说明：{message}）"),
    }
}

/// Whether a line opens a basic or literal string that it does not close (a multi-line string
/// `"""` is left alone). A `#` outside strings ends the line.
fn unclosed_string(line: &str) -> bool {
    let mut chars = line.trim_end_matches(['\n', '\r']).chars().peekable();
    let mut open: Option<char> = None;
    while let Some(c) = chars.next() {
        match open {
            None => match c {
                '#' => return false,
                '"' | '\'' => {
                    if chars.peek() == Some(&c) {
                        chars.next();
                        if chars.peek() == Some(&c) {
                            // A multi-line string: not this check's business.
                            return false;
                        }
                        // An empty string "".
                        continue;
                    }
                    open = Some(c);
                }
                _ => {}
            },
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => open = None,
            Some(_) => {}
        }
    }
    open.is_some()
}

/// The table header (`[tables.requests.carried_over]` → `tables.requests.carried_over`) that
/// line `line` is under.
fn table_header_before<'a>(lines: &Lines<'a>, line: u32) -> Option<&'a str> {
    (1..line).rev().find_map(|l| {
        let t = lines.line_text(l).split('#').next()?.trim();
        t.strip_prefix('[')?.strip_suffix(']').map(str::trim)
    })
}

/// Read an input file. `source` names the file in the report.
pub fn read_input(text: &str, source: Option<&str>) -> Result<Report, ReadError> {
    let lines = Lines::new(text);
    if text.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size: text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let doc = match toml_edit::Document::parse(text) {
        Ok(d) => d,
        Err(e) => return Err(ReadError::Input(vec![syntax_problem(&lines, &e)])),
    };
    let mut r = Reader {
        lines,
        problems: Vec::new(),
    };
    let root = doc.as_table();

    for (key, item) in root.iter() {
        if !matches!(key, "meta" | "tables") && part_number(key).is_none() {
            let at = root.key(key).and_then(|k| k.span()).or_else(|| item.span());
            r.problem(
                at,
                format!("未知的项“{key}”（可用的项：meta、part1…part6、tables）"),
            );
        }
    }

    let mut meta = Meta::default();
    let mut format = None;
    let mut kind_given = None;
    match root.get("meta").and_then(Item::as_table_like) {
        Some(m) => read_meta(&mut r, m, &mut meta, &mut kind_given),
        None => r.problem(None, "缺少 [meta]（机关名称、年度等基本信息）"),
    }
    if let Some(year) = meta.year {
        format = kind_given.or_else(|| Format::for_year(year));
        if format.is_none() {
            r.problem(
                root.get("meta")
                    .and_then(|m| m.get("year"))
                    .and_then(Item::span),
                format!("{year} 年度没有标准表格格式（标准格式自 2019 年度起使用）"),
            );
        }
    }

    let mut sections = Vec::new();
    let mut findings = Vec::new();
    for (key, item) in root.iter() {
        let Some(part) = part_number(key) else {
            continue;
        };
        match item.as_table_like() {
            Some(t) => {
                let at = root.key(key).and_then(|k| k.span()).or_else(|| item.span());
                if let Some(s) = read_part(&mut r, part, t, at, &mut findings) {
                    sections.push(s);
                }
            }
            None => r.problem(item.span(), format!("{key} 应当是一个表 [{key}]")),
        }
    }
    sections.sort_by_key(|s| s.part);

    let mut cells = BTreeMap::new();
    if let Some(tables) = root.get("tables") {
        match tables.as_table_like() {
            Some(t) => read_tables(&mut r, format, t, &mut cells),
            None => r.problem(
                tables.span(),
                "tables 应当是表（[tables.requests.new_received] 等）",
            ),
        }
    }

    if !r.problems.is_empty() {
        return Err(ReadError::Input(r.problems));
    }
    let Some(format) = format else {
        return Err(ReadError::Input(vec![InputProblem {
            line: 0,
            message: "缺少统计年度 year".to_string(),
        }]));
    };
    missing_cells(format, &cells, &mut findings);

    Ok(Report {
        source: source.map(str::to_string),
        kind: ReportKind::Standard(format),
        meta,
        sections,
        tables: Vec::new(),
        cells,
        findings,
    })
}

fn part_number(key: &str) -> Option<u8> {
    let n: u8 = key.strip_prefix("part")?.parse().ok()?;
    (1..=6).contains(&n).then_some(n)
}

fn read_meta(r: &mut Reader, m: &dyn TableLike, meta: &mut Meta, format: &mut Option<Format>) {
    let key_at = |k: &str| {
        m.get_key_value(k)
            .and_then(|(k, i)| k.span().or_else(|| i.span()))
    };
    for (key, item) in m.iter() {
        match key {
            "agency" => meta.agency = r.opt_string(item, "机关名称 agency").map(|s| s.value),
            "agency_printed" => {
                meta.agency_printed = r.opt_string(item, "agency_printed").map(|s| s.value)
            }
            "year" => match item.as_value() {
                Some(Toml::Integer(y)) if (1949..=2200).contains(y.value()) => {
                    meta.year = i32::try_from(*y.value()).ok();
                }
                Some(Toml::String(y)) => r.problem(
                    item.span(),
                    format!(
                        "统计年度 year 应当是不加引号的阿拉伯数字年份，如 year = 2025，不能写成 \"{}\"",
                        y.value()
                    ),
                ),
                _ => r.problem(item.span(), "统计年度 year 应当是年份数字，如 2025"),
            },
            "format" => {
                let Some((s, _)) = r.string(item, "表格格式 format") else {
                    continue;
                };
                match Format::from_id(s.trim()) {
                    Some(f) => *format = Some(f),
                    None => r.problem(
                        item.span(),
                        format!("表格格式 format 只能是 \"2021\" 或 \"2019\"，不能是 \"{s}\""),
                    ),
                }
            }
            "is_government_level" => match item.as_value() {
                Some(Toml::Boolean(b)) => meta.government_level = Some(*b.value()),
                _ => r.problem(
                    item.span(),
                    "is_government_level 只能写 true（本级人民政府报告）或 false（部门报告），不加引号",
                ),
            },
            "title" => meta.title = r.opt_string(item, "标题 title"),
            "contact" => meta.contact = r.opt_string(item, "联系方式 contact"),
            "preamble" => {
                if let Some((s, _)) = r.string(item, "标题后的文字 preamble") {
                    meta.preamble = s
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(String::from)
                        .collect();
                }
            }
            "published" => {
                if let Some(v) = item.as_value() {
                    if let Some(d) = r.date(v, "发布日期 published") {
                        let span = r.span_of(item);
                        meta.published = d.map(|value| Sourced { value, span });
                    }
                } else {
                    r.problem(item.span(), "发布日期 published 应当是日期，如 \"2026-01-20\"");
                }
            }
            "period" => {
                let span = r.span_of(item);
                match item.as_value().and_then(Toml::as_array) {
                    Some(a) if a.len() == 2 => {
                        let mut ds = a.iter().filter_map(|v| r.date(v, "统计期限 period 的日期"));
                        if let (Some(Some(s)), Some(Some(e))) = (ds.next(), ds.next()) {
                            meta.period = Some(Sourced {
                                value: (s, e),
                                span,
                            });
                        }
                    }
                    _ => r.problem(
                        item.span(),
                        "统计期限 period 应当写成 [\"2025-01-01\", \"2025-12-31\"]",
                    ),
                }
            }
            other => r.problem(
                key_at(other),
                format!(
                    "[meta] 中未知的项“{other}”（可用的项：agency、agency_printed、year、format、is_government_level、title、period、published、contact、preamble）"
                ),
            ),
        }
    }
    if meta.agency_printed.is_none() {
        // The agency as printed is the agency, unless the file says otherwise.
        meta.agency_printed = meta.agency.clone();
    }
    if meta.year.is_none() && !m.contains_key("year") {
        r.problem(None, "[meta] 缺少统计年度 year");
    }
}

/// The strings of a `paragraphs` array (whitespace-only ones dropped).
fn read_paragraphs(r: &mut Reader, item: &Item, out: &mut Vec<(String, Span)>) {
    match item.as_value().and_then(Toml::as_array) {
        Some(a) => {
            for v in a.iter() {
                match v {
                    Toml::String(s) => {
                        let span = v.span().map_or(Span::line(0), |x| r.lines.span(&x));
                        for line in s.value().split('\n') {
                            let line = line.trim();
                            if !line.is_empty() {
                                out.push((line.to_string(), span));
                            }
                        }
                    }
                    _ => r.problem(
                        v.span(),
                        "paragraphs 中的每一段都应当是用英文双引号括起的文字",
                    ),
                }
            }
        }
        None => r.problem(
            item.span(),
            "paragraphs 应当写成 [\"第一段\", \"第二段\"]（没有正文时写 []）",
        ),
    }
}

fn read_part(
    r: &mut Reader,
    part: u8,
    t: &dyn TableLike,
    at: Option<Range<usize>>,
    findings: &mut Vec<Finding>,
) -> Option<Section> {
    let def = &PARTS[usize::from(part - 1)];
    let mut heading = def.heading.to_string();
    let mut lines: Vec<(String, Span)> = Vec::new();
    let mut subsections = Vec::new();
    for (key, item) in t.iter() {
        match key {
            "heading" => {
                if let Some((h, _)) = r.string(item, &format!("part{part} 的标题 heading")) {
                    if !h.trim().is_empty() {
                        heading = h.trim().to_string();
                    }
                }
            }
            "paragraphs" => read_paragraphs(r, item, &mut lines),
            "subsections" => match item.as_array_of_tables() {
                Some(a) => subsections.extend(a.iter()),
                None => r.problem(
                    item.span(),
                    format!("subsections 应当写成 [[part{part}.subsections]] 的形式"),
                ),
            },
            other => {
                let span = t
                    .get_key_value(other)
                    .and_then(|(k, i)| k.span().or_else(|| i.span()));
                r.problem(
                    span,
                    format!("[part{part}] 中未知的项“{other}”（可用的项：heading、paragraphs、subsections）"),
                )
            }
        }
    }
    for sub in subsections {
        let mut has_heading = false;
        for (key, item) in sub.iter() {
            match key {
                "heading" => {
                    if let Some((h, span)) = r.string(item, "小标题 heading") {
                        if !h.trim().is_empty() {
                            lines.push((h.trim().to_string(), span));
                            has_heading = true;
                        }
                    }
                }
                "paragraphs" => {
                    if !has_heading {
                        r.problem(
                            item.span(),
                            format!("[[part{part}.subsections]] 中 heading 要写在 paragraphs 之前"),
                        );
                    }
                    read_paragraphs(r, item, &mut lines);
                }
                other => {
                    let span = sub
                        .key(other)
                        .and_then(|k| k.span())
                        .or_else(|| item.span());
                    r.problem(
                        span,
                        format!(
                            "[[part{part}.subsections]] 中未知的项“{other}”（可用的项：heading、paragraphs）"
                        ),
                    )
                }
            }
        }
    }
    let line = at.map_or(0, |x| r.lines.line(x.start));
    let end_line = lines
        .iter()
        .map(|(_, s)| s.line)
        .max()
        .unwrap_or(line)
        .max(line);
    let numeral = CHINESE_NUMERALS[usize::from(part - 1)];
    let placeholders: Vec<Span> = lines
        .iter()
        .filter(|(l, _)| l.contains(TEXT_TO_BE_WRITTEN))
        .map(|(_, s)| *s)
        .collect();
    if !placeholders.is_empty() {
        let mut f = Finding::new(
            "READ-INPUT-PLACEHOLDER",
            Severity::Error,
            format!(
                "第{numeral}部分“{heading}”还有 {} 处占位文字“{TEXT_TO_BE_WRITTEN}”，请换成实际内容",
                placeholders.len()
            ),
        );
        f.spans = placeholders;
        findings.push(f);
    }
    Some(Section {
        part,
        marker: format!("{numeral}、"),
        heading,
        line,
        end_line,
        text: lines
            .into_iter()
            .map(|(l, _)| l)
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// A cell value from the file: the characters written, never a float.
fn cell_value(r: &mut Reader, value: &Toml, id: &str) -> Option<Value> {
    let span = value.span();
    let raw = span.as_ref().and_then(|s| r.lines.raw(s)).map(str::trim);
    match value {
        Toml::Integer(_) | Toml::Float(_) => {
            let written = raw.unwrap_or("").replace('_', "");
            match Number::parse(&written) {
                Some(n) => Some(Value::Number(n)),
                None => {
                    r.problem(
                        span,
                        format!(
                            "单元格 {id} 的数字“{}”要写成普通的十进制数，如 12 或 96171.6（不用科学计数法、十六进制，小数不超过 6 位）",
                            raw.unwrap_or("")
                        ),
                    );
                    None
                }
            }
        }
        Toml::String(s) => {
            let t = s.value().trim();
            Some(if t.is_empty() {
                Value::Blank
            } else if let Some(n) = Number::parse(t) {
                Value::Number(n)
            } else {
                Value::Text(t.to_string())
            })
        }
        _ => {
            r.problem(
                span,
                format!(
                    "单元格 {id} 的值应当是数字（如 12）、\"\"（空白）或带引号的文字（如 \"/\"）"
                ),
            );
            None
        }
    }
}

fn read_tables(
    r: &mut Reader,
    format: Option<Format>,
    tables: &dyn TableLike,
    cells: &mut BTreeMap<CellId, Cell>,
) {
    for (tkey, titem) in tables.iter() {
        let tat = tables
            .get_key_value(tkey)
            .and_then(|(k, i)| k.span().or_else(|| i.span()));
        let Some(table) = TableId::from_key(tkey) else {
            r.problem(
                tat,
                format!("未知的表“{tkey}”（可用的表：active（表二）、requests（表三）、appeals（表四））"),
            );
            continue;
        };
        let Some(rows) = titem.as_table_like() else {
            r.problem(tat, format!("tables.{tkey} 应当是表"));
            continue;
        };
        for (rkey, ritem) in rows.iter() {
            let rat = rows
                .get_key_value(rkey)
                .and_then(|(k, i)| k.span().or_else(|| i.span()));
            let Some(cols) = ritem.as_table_like() else {
                r.problem(
                    rat,
                    format!("{tkey}.{rkey} 应当是一行单元格：[tables.{tkey}.{rkey}]，下面每格一行"),
                );
                continue;
            };
            for (ckey, citem) in cols.iter() {
                let cat = cols
                    .get_key_value(ckey)
                    .and_then(|(k, i)| k.span().or_else(|| i.span()));
                let flat = format!("{tkey}.{rkey}.{ckey}");
                let def = format.and_then(|f| {
                    let t = catalogue::table(f, table);
                    let row = t.row(rkey).or_else(|| {
                        (table == TableId::Requests && rkey == ROW_OTHER_SINGLE.key)
                            .then_some(&ROW_OTHER_SINGLE)
                    })?;
                    let col = row.columns.iter().find(|c| c.key == ckey)?;
                    Some((row, col))
                });
                let known = catalogue::find_cell(None, table, rkey, ckey).is_some()
                    || (table == TableId::Requests && rkey == ROW_OTHER_SINGLE.key);
                if format.is_none() && known {
                    // The format is unknown (the year has an error of its own): the cell
                    // cannot be checked against it, and is not an error by itself.
                    continue;
                }
                let Some((row, col)) = def else {
                    let other_format = known;
                    let message = match format {
                        Some(f) if other_format => format!(
                            "单元格 {flat} 不属于 {} 年格式的表格（本文件 format = \"{}\"）",
                            f.id(),
                            f.id()
                        ),
                        _ => format!("未知的单元格标识 {flat}"),
                    };
                    r.problem(cat, message);
                    continue;
                };
                let Some(v) = citem.as_value() else {
                    r.problem(
                        cat,
                        format!("单元格 {flat} 的值应当写在同一行：{ckey} = 数字"),
                    );
                    continue;
                };
                if let Some(value) = cell_value(r, v, &flat) {
                    let span = v.span().map_or(Span::line(0), |x| r.lines.span(&x));
                    cells.insert(
                        CellId {
                            table,
                            row: row.key,
                            column: col.key,
                        },
                        Cell {
                            value,
                            span,
                            printed_column: None,
                            located: Located::Label,
                            ocr: None,
                        },
                    );
                }
            }
        }
    }
}

/// Findings for the cells of the format that the file leaves out: a table without any cell, a
/// row without any, single cells. A 2021 table 三 may hold the single （六）其他处理 row instead
/// of its three sub-rows.
fn missing_cells(format: Format, cells: &BTreeMap<CellId, Cell>, findings: &mut Vec<Finding>) {
    for table in TableId::ALL {
        let single_other = cells
            .keys()
            .any(|k| k.table == table && k.row == ROW_OTHER_SINGLE.key);
        let rows = catalogue::table(format, table).rows_for(single_other);
        let ids = |row: &'static catalogue::RowDef| {
            row.columns.iter().map(move |c| CellId {
                table,
                row: row.key,
                column: c.key,
            })
        };
        if !cells.keys().any(|k| k.table == table) {
            findings.push(
                Finding::new(
                    "READ-TABLE-MISSING",
                    Severity::Error,
                    format!(
                        "输入文件中没有{}（{}）的任何单元格",
                        table.short_name(),
                        table.title()
                    ),
                )
                .cells(rows.iter().flat_map(|r| ids(r))),
            );
            continue;
        }
        for row in rows {
            let missing: Vec<CellId> = ids(row).filter(|id| !cells.contains_key(id)).collect();
            if missing.is_empty() {
                continue;
            }
            let (rule, message) = if missing.len() == row.columns.len() {
                (
                    "READ-ROW-MISSING",
                    format!(
                        "输入文件中没有{}“{}”行",
                        table.short_name(),
                        row.printed_label()
                    ),
                )
            } else {
                (
                    "READ-CELL-MISSING",
                    format!(
                        "输入文件中{}“{}”行缺少 {}",
                        table.short_name(),
                        row.printed_label(),
                        missing
                            .iter()
                            .map(|id| id.column)
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                )
            };
            findings.push(Finding::new(rule, Severity::Warning, message).cells(missing));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-01-20"), Date::new(2026, 1, 20));
        assert_eq!(parse_date("2026年1月20日"), Date::new(2026, 1, 20));
        assert_eq!(parse_date("2026/1/2"), Date::new(2026, 1, 2));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("26-01-20"), None);
        assert_eq!(parse_date("明年"), None);
    }

    fn error_of(text: &str) -> String {
        match read_input(text, None) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("read without error"),
        }
    }

    #[test]
    fn a_line_break_inside_a_paragraph_names_the_line_that_opens_it() {
        let text = "[meta]\nyear = 2025\n[part1]\nparagraphs = [\n  \"第一行\n第二行\",\n]\n";
        assert_eq!(
            error_of(text),
            "输入文件有误：文字的引号没有在同一行内闭合：一段文字中间不能直接换行。要分成两段，\
             请在第一段末尾加 \"，另起一行写 \"第二段…\"；同一段内换行写成 \\n，第 5 行"
        );
        assert!(!unclosed_string("  \"a \\\" b\",  # \"x"));
        assert!(!unclosed_string("contact = \"\""));
        assert!(unclosed_string("  \"第一行"));
    }

    #[test]
    fn a_bad_number_names_the_cell() {
        let text =
            "[meta]\nyear = 2025\n[tables.requests.carried_over]\nnatural_person = 46x # 自然人\n";
        assert_eq!(
            error_of(text),
            "输入文件有误：单元格 requests.carried_over.natural_person 的值“46x”不是数字：\
             数字只能由 0–9 和小数点组成，如 46 或 96171.6；要印文字请写在英文双引号中，如 \"/\"，第 4 行"
        );
    }

    #[test]
    fn unquoted_text_and_chinese_quotes() {
        assert_eq!(
            error_of("[meta]\nyear = 二〇二五\n"),
            "输入文件有误：统计年度 year 应当是阿拉伯数字年份，如 year = 2025，不能写成 二〇二五，第 2 行"
        );
        assert_eq!(
            error_of("[meta]\nyear = 2025\nagency = 某局\n"),
            "输入文件有误：agency 的值“某局”没有加引号：文字要写在英文双引号中，如 agency = \"某局\"，第 3 行"
        );
        assert!(error_of("[meta]\nyear = 2025\nagency = “某局”\n").contains("不能用中文引号"));
    }

    #[test]
    fn a_year_in_chinese_numerals_is_one_error() {
        let text = "[meta]\nyear = \"二〇二五\"\n[tables.requests.carried_over]\nnatural_person = 4\ntotal = 4\n";
        assert_eq!(
            error_of(text),
            "输入文件有误：统计年度 year 应当是不加引号的阿拉伯数字年份，如 year = 2025，\
             不能写成 \"二〇二五\"，第 2 行"
        );
    }

    #[test]
    fn recognised_by_content() {
        assert!(looks_like_input(b"# comment\n\n[meta]\nyear = 2025\n"));
        assert!(looks_like_input(b"\xEF\xBB\xBF[tables.requests.total]\n"));
        assert!(!looks_like_input(
            "# 某某局2024年政府信息公开工作年度报告\n\n一、总体情况\n".as_bytes()
        ));
        assert!(!looks_like_input(b"{\"format\": \"2021\"}"));
    }
}
