//! Whole reports flattened to a few very long lines: an archived web page whose tags were
//! stripped, headings, labels and numbers run together with no separator
//! ("…三、收到和处理政府信息公开申请情况…一、本年新收政府信息公开申请数量713000074二、上年结转…").
//!
//! A text is *flattened* ([`is_flattened`]) when one line holds the labels of at least
//! [`MIN_LABELS`] rows of table 三 each followed by digits: a text with one row per line never
//! does, so every other file keeps the line readers unchanged.
//!
//! Reading ([`read`]):
//! 1. **Parts**: the six part headings are found in the running text in order ("一、" … "六、"
//!    followed by the part's keywords before the next digit, space or sentence end); each long
//!    line is cut before and after every heading into *virtual lines* that the ordinary
//!    [`crate::sections`] and [`crate::meta`] readers read; their places are mapped back to the
//!    file's line and column.
//! 2. **Rows**: in each table's stretch of text, the catalogue's rows are looked for in printed
//!    order by their labels (the official wording, the aliases, and truncations of at least
//!    [`catalogue::MIN_PREFIX_CHARS`] characters followed by digits); the value text of a row is
//!    the run of digits, spaces, decimal points, signs and placeholders after its label, less the
//!    next row's item number glued to it ("…国家秘密00000002.其他…": "2." belongs to the next
//!    row when that row's label follows it).
//! 3. **Cells**: all rows are solved at once by [`crate::flatsolve`] under the row totals and
//!    table 三's identities per column (一 + 二 = （七）总计 + 四; （七）总计 = the outcome rows).
//!    A cell is read only when every consistent assignment gives it the same value; the others
//!    are absent with a finding that names them and lists the readings.
//!
//! A flattened page's tables share their line with the text: they get no [`xxgk_model::TableSpan`]
//! (a span by line would hide the text around them); their stretch of text is cut out of the
//! sections' text instead, and every cell carries its own line and column.
//!
//! A flattened page prints nothing for a blank cell, which cannot be told from a missing digit;
//! the reader assumes every cell of a row that prints digits is printed (a placeholder such as
//! "—" is read as the row's blank cell).

use std::collections::BTreeMap;

use xxgk_model::catalogue::{self, ColumnDef, Format, RowDef, TableId, Unit};
use xxgk_model::{Cell, CellId, Finding, Located, Section, Severity, Span};

use crate::flatsolve::{self, ColKind, Identity, Outcome, RowInput, RowStatus, Token};
use crate::rows;
use crate::tables::{self, TablesRead};

/// Row labels of table 三 (followed by digits) that one line must hold to be flattened.
pub const MIN_LABELS: usize = 5;
/// Shortest line considered (in bytes).
const MIN_LINE_BYTES: usize = 300;
/// How far after the previous row (in bytes) the next row's label is looked for.
const ROW_WINDOW: usize = 1200;
/// How far a part heading's text is read after its marker (characters).
const HEADING_WINDOW: usize = 30;
/// Readings listed in a finding.
const LISTED_READINGS: usize = 20;

/// The characters of the catalogue's placeholders (printed in place of a number: "—", "/",
/// "无"), which can sit inside a digit run.
fn is_placeholder_char(c: char) -> bool {
    catalogue::PLACEHOLDERS.iter().any(|p| p.contains(c))
}

/// Whether the text is a flattened page (see the module documentation).
pub fn is_flattened(lines: &[String]) -> bool {
    lines
        .iter()
        .any(|l| l.len() >= MIN_LINE_BYTES && labels_with_digits(l) >= MIN_LABELS)
}

/// How many rows of table 三 have their label followed by a digit somewhere in `line`.
fn labels_with_digits(line: &str) -> usize {
    // A label followed by a digit ends, before the digit and any spaces, with its last
    // character: only labels whose last character stands before a digit somewhere are searched
    // (most long lines are prose, where few or none do).
    // Only the last characters of the labels searched below are kept (a short list: this was a
    // hash set of every character before a digit, 3% of reading a text report).
    static LABEL_ENDS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let ends = LABEL_ENDS.get_or_init(|| {
        let mut ends: Vec<char> = catalogue::REQUESTS_2021
            .rows
            .iter()
            .filter(|r| r.label.chars().count() >= catalogue::MIN_PREFIX_CHARS)
            .filter_map(|r| r.label.chars().next_back())
            .collect();
        ends.sort_unstable();
        ends.dedup();
        ends
    });
    // The characters just before a digit (spaces between skipped): found from the digits' bytes
    // (an ASCII byte is a whole character), looking back from each, without decoding the line.
    let mut before_digits: Vec<char> = Vec::new();
    for (i, b) in line.bytes().enumerate() {
        if !b.is_ascii_digit() {
            continue;
        }
        let Some(p) = line[..i]
            .trim_end_matches([' ', '\t', '\u{3000}'])
            .chars()
            .next_back()
        else {
            continue;
        };
        if !before_digits.contains(&p) && ends.contains(&p) {
            before_digits.push(p);
        }
    }
    if before_digits.is_empty() {
        return 0;
    }
    catalogue::REQUESTS_2021
        .rows
        .iter()
        .filter(|r| r.label.chars().count() >= catalogue::MIN_PREFIX_CHARS)
        .filter(|r| {
            r.label
                .chars()
                .next_back()
                .is_some_and(|c| before_digits.contains(&c))
        })
        .filter(|r| {
            line.match_indices(r.label)
                .any(|(i, m)| starts_value(&line[i + m.len()..]))
        })
        .count()
}

/// Whether `s` starts (after spaces) with a digit.
fn starts_value(s: &str) -> bool {
    s.trim_start_matches([' ', '\t', '\u{3000}'])
        .starts_with(|c: char| c.is_ascii_digit())
}

/// The text as one string (lines joined by '\n') with each line's start.
pub(crate) struct Joined {
    pub text: String,
    starts: Vec<usize>,
}

impl Joined {
    pub fn new(lines: &[String]) -> Joined {
        let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        let mut starts = Vec::with_capacity(lines.len());
        for l in lines {
            starts.push(text.len());
            text.push_str(l);
            text.push('\n');
        }
        Joined { text, starts }
    }

    /// 0-based line and 1-based character column of byte `at`.
    fn place(&self, at: usize) -> (usize, u32) {
        let line = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = self.text.get(start..at).map_or(0, |s| s.chars().count());
        (line, col as u32 + 1)
    }

    fn span(&self, at: usize) -> Span {
        let (line, col) = self.place(at);
        Span {
            line: line as u32 + 1,
            column: Some(col),
            page: None,
        }
    }
}

/// A part heading found in the running text: its number, where its marker starts and where
/// its heading ends (bytes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Heading {
    part: u8,
    start: usize,
    end: usize,
}

/// Characters that end a heading's window.
fn ends_heading(c: char) -> bool {
    c.is_ascii_digit() || c.is_whitespace() || "。；;！？".contains(c)
}

/// The part headings, in order (a part not found is skipped).
fn find_parts(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut from = 0;
    for part in &catalogue::PARTS {
        let marker = part.marker();
        let mut at = from;
        while let Some(i) = text.get(at..).and_then(|t| t.find(&marker)) {
            let start = at + i;
            let after = start + marker.len();
            let window: String = text[after..]
                .chars()
                .take_while(|c| !ends_heading(*c))
                .take(HEADING_WINDOW)
                .collect();
            let matches = part
                .keywords
                .iter()
                .all(|g| g.iter().any(|k| window.contains(k)));
            if matches {
                let heading = if window.starts_with(part.heading) {
                    part.heading.len()
                } else {
                    ["情况", "事项"]
                        .iter()
                        .filter_map(|w| window.find(w).map(|i| i + w.len()))
                        .min()
                        .unwrap_or(window.len())
                };
                out.push(Heading {
                    part: part.number,
                    start,
                    end: after + heading,
                });
                from = after + heading;
                break;
            }
            at = after;
        }
    }
    out
}

/// The lines cut before and after every heading, with each piece's (0-based line, 0-based
/// character offset) in the file.
fn virtual_lines(
    lines: &[String],
    joined: &Joined,
    parts: &[Heading],
) -> (Vec<String>, Vec<(usize, u32)>) {
    let mut cuts: Vec<usize> = parts.iter().flat_map(|h| [h.start, h.end]).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut map = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let start = joined.starts[i];
        let end = start + line.len();
        let mut from = start;
        for &c in cuts.iter().filter(|&&c| c > start && c < end) {
            if c > from {
                out.push(joined.text[from..c].to_string());
                map.push((i, joined.text[start..from].chars().count() as u32));
                from = c;
            }
        }
        out.push(joined.text[from..end].to_string());
        map.push((i, joined.text[start..from].chars().count() as u32));
    }
    (out, map)
}

/// The sections and metadata of a flattened page, read from its virtual lines, with their
/// places mapped to the file's lines.
pub(crate) fn sections_and_meta(
    lines: &[String],
) -> (
    Joined,
    Vec<Heading>,
    Vec<Section>,
    xxgk_model::Meta,
    Vec<Finding>,
) {
    let joined = Joined::new(lines);
    let parts = find_parts(&joined.text);
    let (vlines, map) = virtual_lines(lines, &joined, &parts);
    let sections = crate::sections::split(&vlines);
    let (meta, findings) = crate::meta::read(&vlines, &sections);
    let mut r = xxgk_model::Report {
        source: None,
        kind: xxgk_model::ReportKind::Pre2019,
        meta,
        sections,
        tables: Vec::new(),
        cells: BTreeMap::new(),
        findings,
    };
    r.map_spans(|s| {
        let Some(&(line, off)) = (s.line as usize).checked_sub(1).and_then(|i| map.get(i)) else {
            return s;
        };
        Span {
            line: line as u32 + 1,
            column: s.column.map(|c| c + off),
            page: s.page,
        }
    });
    (joined, parts, r.sections, r.meta, r.findings)
}

/// A row found in the text: which, and its value tokens.
struct Found {
    table: TableId,
    row: &'static RowDef,
    /// Where its label starts (bytes).
    label_at: usize,
    /// The value text as printed.
    printed: String,
    tokens: Vec<Token>,
    /// Where its value text ends (bytes).
    value_end: usize,
}

/// The largest char boundary of `text` at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Characters of a row's value text.
fn is_value_char(c: char) -> bool {
    c.is_ascii_digit()
        || c == '.'
        || c == ' '
        || c == '\u{3000}'
        || (c != WORD_PLACEHOLDER && is_placeholder_char(c))
}

/// The length in bytes of the value text starting at `text[start..]`: value characters, where a
/// placeholder that is also a word ("无") counts only before a digit or placeholder, or after
/// one when no row label starts with it ("…0000004.无正当理由大量反复申请" is a label, "…00无"
/// a cell).
fn run_len(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut len = 0;
    let mut prev: Option<char> = None;
    let mut it = rest.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|x| x.1);
        let value =
            |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit() || is_placeholder_char(x));
        let ok = if c == WORD_PLACEHOLDER {
            value(next)
                || (value(prev) && !starts_row_label(&rest[i..]))
                || (!starts_row_label(&rest[i..]) && ends_cell(&rest[i + c.len_utf8()..]))
        } else {
            is_value_char(c)
        };
        if !ok {
            break;
        }
        len = i + c.len_utf8();
        prev = Some(c);
    }
    len
}

/// Whether the text after a cell starts what follows a table cell: nothing, a space, an item
/// marker ("三、", "（一）", "2."), a block caption or a row label.
fn ends_cell(after: &str) -> bool {
    let mut it = after.chars();
    match (it.next(), it.next()) {
        (None, _) => true,
        (Some(c), _) if c.is_whitespace() || c == '（' || c == '(' => true,
        (Some(c), Some('、' | '.' | '．'))
            if c.is_ascii_digit() || "一二三四五六七八九十".contains(c) =>
        {
            true
        }
        _ => after.starts_with(catalogue::BLOCK_PREFIX) || starts_row_label(after),
    }
}

/// The placeholder that is also a word.
const WORD_PLACEHOLDER: char = '无';

/// Whether `s` starts with the first characters of a row label of table 二 or 三.
fn starts_row_label(s: &str) -> bool {
    let head: String = s.chars().take(catalogue::MIN_PREFIX_CHARS).collect();
    head.chars().count() == catalogue::MIN_PREFIX_CHARS
        && catalogue::Format::ALL.iter().any(|f| {
            [TableId::Active, TableId::Requests]
                .iter()
                .flat_map(|t| catalogue::table(*f, *t).rows.iter())
                .any(|r| r.label.starts_with(head.as_str()))
        })
}

/// A label variant of `row` at byte `at` of `text`: its length in bytes, when the full variant
/// is there, or a truncation of at least [`catalogue::MIN_PREFIX_CHARS`] characters followed by
/// digits.
fn label_at(text: &str, at: usize, row: &RowDef) -> Option<usize> {
    let rest = &text[at..];
    let mut best: Option<usize> = None;
    for v in std::iter::once(row.label).chain(row.aliases.iter().copied()) {
        if rest.starts_with(v) {
            best = best.max(Some(v.len()));
            continue;
        }
        // A truncation: the longest common prefix, followed by a digit.
        let mut len = 0;
        let mut chars = 0;
        for (a, b) in rest.chars().zip(v.chars()) {
            if a != b {
                break;
            }
            len += a.len_utf8();
            chars += 1;
        }
        if chars >= catalogue::MIN_PREFIX_CHARS && starts_value(&rest[len..]) {
            best = best.max(Some(len));
        }
    }
    best
}

/// The first place in `text[from..to]` where a label of `row` is followed by a value: (label
/// start, label end).
fn find_row(text: &str, from: usize, to: usize, row: &RowDef) -> Option<(usize, usize)> {
    let to = to.min(text.len());
    let first: String = row
        .label
        .chars()
        .take(catalogue::MIN_PREFIX_CHARS)
        .collect();
    let mut needles: Vec<String> = vec![first];
    for a in row.aliases {
        needles.push(a.chars().take(catalogue::MIN_PREFIX_CHARS).collect());
    }
    let mut best: Option<(usize, usize)> = None;
    for n in &needles {
        let mut at = from;
        while at < to {
            let Some(i) = text[at..to].find(n.as_str()) else {
                break;
            };
            let start = at + i;
            if let Some(len) = label_at(text, start, row) {
                let after = value_start(text, start + len, row);
                if run_len(text, after) > 0 && best.is_none_or(|(s, _)| start < s) {
                    best = Some((start, start + len));
                    break;
                }
            }
            at = start + n.len();
        }
    }
    best
}

/// Where a row's value text starts after its label ends at `at`: spaces and the printed note of
/// （二）部分公开 skipped.
fn value_start(text: &str, mut at: usize, row: &RowDef) -> usize {
    loop {
        let rest = &text[at..];
        let t = rest.trim_start_matches([' ', '\u{3000}']);
        at += rest.len() - t.len();
        if row.label.ends_with(catalogue::NOTE_PARTIAL) || !t.starts_with(catalogue::NOTE_PARTIAL) {
            return at;
        }
        at += catalogue::NOTE_PARTIAL.len();
    }
}

/// The value text after a label: (start, end) in bytes, less a trailing item number of `next`.
fn value_run(text: &str, label_end: usize, row: &RowDef, next: Option<&RowDef>) -> (usize, usize) {
    let start = value_start(text, label_end, row);
    let mut end = start + run_len(text, start);
    // The next row's item number glued to this row's digits: "00000002.其他…".
    if let Some(next) = next {
        let number = next.marker.trim_end_matches(['.', '．', '、']);
        if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
            let run = &text[start..end];
            let trimmed = run.trim_end_matches([' ', '\u{3000}']);
            let cut = if let Some(r) = trimmed
                .strip_suffix('.')
                .and_then(|r| r.strip_suffix(number))
            {
                Some(r.len())
            } else if text[end..].starts_with(['、', '．']) {
                trimmed.strip_suffix(number).map(str::len)
            } else {
                None
            };
            if let Some(k) = cut {
                let after = text[end..].trim_start_matches(['、', '．', ' ', '\u{3000}']);
                let at = text.len() - after.len();
                if label_at(text, at, next).is_some() {
                    end = start + k;
                }
            }
        }
    }
    let run = text[start..end].trim_end_matches([' ', '\u{3000}', '.']);
    (start, start + run.len())
}

/// The tokens of a value text starting at byte `at`: its whitespace-separated pieces.
fn tokens(run: &str, at: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in run.char_indices().chain([(run.len(), ' ')]) {
        let space = c == ' ' || c == '\u{3000}';
        match (start, space) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push(Token {
                    text: run[s..i].to_string(),
                    at: at + s,
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn col_kind(c: &ColumnDef) -> ColKind {
    match c.unit {
        Unit::Count => ColKind::Count,
        Unit::SignedCount => ColKind::Signed,
        Unit::Amount => ColKind::Amount,
    }
}

/// The format the tables print: 2019-only or 2021-only labels in table 二's stretch.
fn format_of(text: &str, year: Option<i32>) -> Format {
    let has = |labels: &[&str]| labels.iter().filter(|l| text.contains(*l)).count();
    let (v2019, v2021) = (
        has(catalogue::LABELS_ONLY_2019),
        has(catalogue::LABELS_ONLY_2021),
    );
    if v2019 > v2021 {
        Format::F2019
    } else if v2021 > v2019 {
        Format::F2021
    } else {
        year.and_then(Format::for_year).unwrap_or(Format::F2021)
    }
}

/// The tables of a flattened page, and the stretch of text (bytes) each table takes: from its
/// first caption or header to its last value.
pub(crate) fn read_tables(
    joined: &Joined,
    parts: &[Heading],
    year: Option<i32>,
) -> (TablesRead, Vec<(usize, usize)>) {
    let text = joined.text.as_str();
    let part = |n: u8| parts.iter().find(|h| h.part == n);
    let after = |n: u8| part(n).map(|h| h.end);
    let before = |n: u8| part(n).map(|h| h.start);

    let mut found: Vec<Found> = Vec::new();

    // Table 二: from part 二's heading (else the first block caption) to part 三.
    let t2_from = after(2)
        .or_else(|| text.find(catalogue::BLOCK_PREFIX))
        .unwrap_or(text.len());
    let t2_to = before(3).unwrap_or(text.len());
    let format = format_of(&text[t2_from.min(t2_to)..t2_to], year);
    let mut out = TablesRead {
        format: Some(format),
        ..TablesRead::default()
    };
    let active = catalogue::table(format, TableId::Active).rows;
    let mut cursor = t2_from;
    for (i, row) in active.iter().enumerate() {
        if cursor >= t2_to {
            break;
        }
        if let Some((s, e)) = find_row(text, cursor, t2_to, row) {
            let (vs, ve) = value_run(text, e, row, active.get(i + 1));
            found.push(Found {
                table: TableId::Active,
                row,
                label_at: s,
                printed: text[vs..ve].to_string(),
                tokens: tokens(&text[vs..ve], vs),
                value_end: ve,
            });
            cursor = ve;
        }
    }

    // Table 三: from part 三's heading to part 四's.
    let t3_from = after(3).unwrap_or(t2_to.min(cursor.max(t2_from)));
    let t3_to = before(4).unwrap_or(text.len());
    let region = &text[t3_from.min(t3_to)..t3_to];
    // A 2021 table 三 may print the single （六）其他处理 row of 2019 instead of its sub-rows.
    let sub: String = catalogue::REQUESTS_2021
        .row("other_no_correction")
        .map(|r| {
            r.label
                .chars()
                .take(catalogue::MIN_PREFIX_CHARS + 2)
                .collect()
        })
        .unwrap_or_default();
    let single_other = format == Format::F2019
        || !region.contains(sub.as_str()) && region.contains(catalogue::ROW_OTHER_SINGLE.label);
    let requests = catalogue::table(format, TableId::Requests).rows_for(single_other);
    let mut cursor = t3_from;
    let mut first = true;
    for (i, row) in requests.iter().enumerate() {
        let to = if first {
            t3_to
        } else {
            floor_char(text, t3_to.min(cursor + ROW_WINDOW))
        };
        if let Some((s, e)) = find_row(text, cursor, to, row) {
            let (vs, ve) = value_run(text, e, row, requests.get(i + 1).copied());
            found.push(Found {
                table: TableId::Requests,
                row,
                label_at: s,
                printed: text[vs..ve].to_string(),
                tokens: tokens(&text[vs..ve], vs),
                value_end: ve,
            });
            cursor = ve;
            first = false;
        }
    }

    // Table 四: after part 四's heading, the first column header followed by values.
    let t4_from = after(4).unwrap_or(cursor);
    let t4_to = before(5).unwrap_or(text.len());
    if let Some((label, vs, ve)) = appeals_run(text, t4_from, t4_to) {
        let tokens = tokens(&text[vs..ve], vs);
        found.push(Found {
            table: TableId::Appeals,
            row: &catalogue::APPEALS_2021.rows[0],
            label_at: label,
            printed: text[vs..ve].to_string(),
            tokens,
            value_end: ve,
        });
    }

    solve_into(joined, &found, single_other, &mut out);
    tables::missing_rows(&mut out, Some(single_other));

    // Each table's stretch: from its caption or header (before its first row) to its last value.
    let mut regions = Vec::new();
    for (table, from, heads) in [
        (TableId::Active, t2_from, &[catalogue::BLOCK_PREFIX][..]),
        (
            TableId::Requests,
            t3_from,
            &[catalogue::NOTE_BALANCE, catalogue::APPLICANT_HEADER][..],
        ),
        (TableId::Appeals, t4_from, &[catalogue::REVIEW_HEADER][..]),
    ] {
        let rows: Vec<&Found> = found.iter().filter(|f| f.table == table).collect();
        let (Some(first), Some(end)) = (
            rows.iter().map(|f| f.label_at).min(),
            rows.iter().map(|f| f.value_end).max(),
        ) else {
            continue;
        };
        let from = from.min(first);
        let start = heads
            .iter()
            .filter_map(|h| text[from..first].find(h).map(|i| from + i))
            .min()
            .unwrap_or(first);
        regions.push((start, end));
    }
    (out, regions)
}

/// The sections' text without the tables' stretches (the tables are the cells; a flattened
/// page's table shares its line with the text, so it is cut out of the text rather than located
/// by line).
pub(crate) fn strip_tables(sections: &mut [Section], joined: &Joined, regions: &[(usize, usize)]) {
    for &(s, e) in regions {
        let Some(table) = joined.text.get(s..e) else {
            continue;
        };
        if table.is_empty() {
            continue;
        }
        for sec in sections.iter_mut() {
            if sec.text.contains(table) {
                sec.text = sec.text.replacen(table, "", 1);
                break;
            }
        }
    }
}

/// The values of table 四: (header start, value start, value end).
fn appeals_run(text: &str, from: usize, to: usize) -> Option<(usize, usize, usize)> {
    let to = to.min(text.len());
    if from >= to {
        return None;
    }
    let mut best: Option<(usize, usize, usize)> = None;
    for c in catalogue::APPEAL_COLUMNS {
        for (i, m) in text[from..to].match_indices(c.label) {
            let end = from + i + m.len();
            let vs =
                end + (text[end..].len() - text[end..].trim_start_matches([' ', '\u{3000}']).len());
            let len = run_len(&text[..to], vs);
            let run = text[vs..vs + len].trim_end_matches([' ', '\u{3000}', '.']);
            let digits = run.chars().filter(|c| !c.is_whitespace()).count();
            if digits >= catalogue::APPEALS_WIDTH && best.is_none_or(|b| from + i < b.0) {
                best = Some((from + i, vs, vs + run.len()));
            }
        }
    }
    best
}

/// Solve the rows found and put the cells, findings and table spans into `out`.
fn solve_into(joined: &Joined, found: &[Found], single_other: bool, out: &mut TablesRead) {
    let inputs: Vec<RowInput> = found
        .iter()
        .map(|f| {
            let cols: Vec<&ColumnDef> = if f.table == TableId::Appeals {
                catalogue::APPEAL_COLUMNS
                    .iter()
                    .cycle()
                    .take(catalogue::APPEALS_WIDTH)
                    .collect()
            } else {
                f.row.columns.iter().collect()
            };
            let keys: Vec<&str> = cols.iter().map(|c| c.key).collect();
            RowInput {
                tokens: f.tokens.clone(),
                cols: cols.iter().map(|c| col_kind(c)).collect(),
                groups: crate::flat::groups(&keys, "total").unwrap_or_default(),
            }
        })
        .collect();

    // Table 三's identities, per column, over the rows found.
    let index = |key: &str| {
        found
            .iter()
            .position(|f| f.table == TableId::Requests && f.row.key == key)
    };
    let mut identities = Vec::new();
    let outcome_keys: Vec<&str> = found
        .iter()
        .filter(|f| f.table == TableId::Requests && f.row.group.is_some() && f.row.key != "total")
        .map(|f| f.row.key)
        .collect();
    let expected_outcomes = catalogue::REQUESTS_2021
        .rows_for(single_other)
        .iter()
        .filter(|r| r.group.is_some() && r.key != "total")
        .count();
    for c in 0..catalogue::APPLICANT_COLUMNS.len() {
        if let (Some(n), Some(o), Some(t), Some(f)) = (
            index("new_received"),
            index("carried_over"),
            index("total"),
            index("carried_forward"),
        ) {
            identities.push(Identity {
                column: c,
                terms: vec![(n, 1), (o, 1), (t, -1), (f, -1)],
            });
        }
        if let Some(t) = index("total") {
            if outcome_keys.len() == expected_outcomes {
                let mut terms = vec![(t, 1)];
                terms.extend(
                    outcome_keys
                        .iter()
                        .filter_map(|k| index(k))
                        .map(|r| (r, -1)),
                );
                identities.push(Identity { column: c, terms });
            }
        }
    }

    let solution = flatsolve::solve(&inputs, &identities);
    for (f, r) in found.iter().zip(&solution.rows) {
        let ids: Vec<CellId> = cell_ids(f);
        let what = format!(
            "{}“{}”",
            f.table.short_name(),
            if f.table == TableId::Appeals {
                format!(
                    "{}、{}",
                    catalogue::REVIEW_HEADER,
                    catalogue::LITIGATION_HEADER
                )
            } else {
                f.row.printed_label()
            }
        );
        let at = f.tokens.first().map_or(f.label_at, |t| t.at);
        let span = joined.span(at);
        match r.status {
            RowStatus::TooLong => {
                out.findings.push(
                    Finding::new(
                        "READ-FLAT-TOO-LONG",
                        Severity::Error,
                        format!(
                            "{what}的数值印成一串过长的数字（{} 个字符，上限 {} 个），不予拆分，本行未读取",
                            f.printed.chars().count(),
                            flatsolve::MAX_ROW_DIGITS
                        ),
                    )
                    .at(span)
                    .cells(ids.clone()),
                );
                continue;
            }
            RowStatus::Budget => {
                out.findings.push(
                    Finding::new(
                        "READ-FLAT-BUDGET",
                        Severity::Warning,
                        format!(
                            "{what}的数字串“{}”可能的拆分过多，超出计算上限，本行未读取",
                            f.printed
                        ),
                    )
                    .at(span)
                    .cells(ids.clone()),
                );
                continue;
            }
            RowStatus::NoReading => {
                out.findings.push(
                    Finding::new(
                        "READ-ROW-UNREADABLE",
                        Severity::Error,
                        format!(
                            "{what}的数值“{}”无法拆分成该行的 {} 个单元格，本行未读取",
                            f.printed,
                            ids.len()
                        ),
                    )
                    .at(span)
                    .cells(ids.clone()),
                );
                continue;
            }
            RowStatus::BrokenTotal => out.findings.push(
                Finding::new(
                    "READ-FLAT-INCONSISTENT",
                    Severity::Warning,
                    format!(
                        "{what}的数字串“{}”任何拆分都不满足该行“总计等于各项之和”，未强行凑平：只读取数字本身唯一确定的单元格",
                        f.printed
                    ),
                )
                .at(span)
                .cells(ids.clone()),
            ),
            RowStatus::Ok => {}
        }
        let mut undetermined = Vec::new();
        for (k, (id, cell)) in ids.iter().zip(&r.cells).enumerate() {
            match cell {
                Some(p) => {
                    out.cells.insert(
                        *id,
                        Cell {
                            value: rows::value(&p.text),
                            span: joined.span(p.at),
                            printed_column: Some(k as u32),
                            located: Located::Label,
                            ocr: None,
                        },
                    );
                }
                None => undetermined.push(*id),
            }
        }
        if !undetermined.is_empty() {
            let names: Vec<String> = undetermined
                .iter()
                .map(|id| {
                    catalogue::find_cell(out.format, id.table, id.row, id.column).map_or(
                        id.to_string(),
                        |(row, col)| {
                            if id.table == TableId::Appeals {
                                format!("{}{}", row.label, col.label)
                            } else {
                                col.label.to_string()
                            }
                        },
                    )
                })
                .collect();
            let listed: Vec<String> = r
                .readings
                .iter()
                .take(LISTED_READINGS)
                .map(|x| x.join("/"))
                .collect();
            let count = if r.capped {
                format!("至少 {} 种", r.readings.len())
            } else {
                format!("{} 种", r.readings.len())
            };
            let more = if r.readings.len() > LISTED_READINGS || r.capped {
                "等"
            } else {
                ""
            };
            out.findings.push(
                Finding::new(
                    "READ-FLAT-UNDETERMINED",
                    Severity::Warning,
                    format!(
                        "{what}的数值连成一串“{}”，满足全部勾稽关系的拆分有{count}（{}{more}），无法确定：{}未读取",
                        f.printed,
                        listed.join("、"),
                        names.join("、")
                    ),
                )
                .at(span)
                .cells(undetermined),
            );
        }
    }

    match solution.outcome {
        Outcome::Consistent => {}
        Outcome::Inconsistent => out.findings.push(
            Finding::new(
                "READ-FLAT-INCONSISTENT",
                Severity::Warning,
                "表三的数字串无论怎样拆分都不能同时满足全部勾稽关系（报告本身的数字有误），未强行凑平：各行只按本行总计拆分，能唯一确定的才读取",
            )
            .cells(
                found
                    .iter()
                    .filter(|f| f.table == TableId::Requests)
                    .flat_map(cell_ids),
            ),
        ),
        Outcome::Budget => out.findings.push(Finding::new(
            "READ-FLAT-BUDGET",
            Severity::Warning,
            "表三的数字串可能的拆分组合过多，超出计算上限：各行只按本行总计拆分，能唯一确定的才读取",
        )),
    }
    if !found.is_empty() {
        out.findings.insert(
            0,
            Finding::new(
                "READ-FLAT",
                Severity::Info,
                "整篇报告被压成少数长行（网页去掉标签后的文本）：按表格的行标签切分，每行连在一起的数字按行总计和表三的勾稽关系整体拆分，只读取唯一确定的单元格",
            )
            .at(joined.span(found[0].label_at)),
        );
    }
}

/// The cells of a found row, in printed order (table 四: its three rows of five).
fn cell_ids(f: &Found) -> Vec<CellId> {
    if f.table == TableId::Appeals {
        catalogue::APPEALS_2021
            .rows
            .iter()
            .flat_map(|r| {
                r.columns.iter().map(move |c| CellId {
                    table: TableId::Appeals,
                    row: r.key,
                    column: c.key,
                })
            })
            .collect()
    } else {
        f.row
            .columns
            .iter()
            .map(|c| CellId {
                table: f.table,
                row: f.row.key,
                column: c.key,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels followed by digits after spaces, tabs or ideographic spaces still count; a label
    /// not followed by a digit does not, nor one shorter than four characters ("总计").
    #[test]
    fn labels_followed_by_digits_after_spaces_count() {
        let line =
            "（一）予以公开 12\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\u{3000}3 \
                    （七）总计\t\t15 本年新收政府信息公开申请数量";
        assert_eq!(labels_with_digits(line), 2);
        assert_eq!(
            labels_with_digits("本机关不掌握相关政府信息，属于国家秘密。"),
            0
        );
    }

    #[test]
    fn item_numbers_glued_to_digits_belong_to_the_next_row() {
        let r = &catalogue::REQUESTS_2021;
        let text = "属于国家秘密00000002.其他法律行政法规禁止公开 0000000";
        let first = r.row("denied_state_secret").unwrap();
        let next = r.row("denied_prohibited_by_law").unwrap();
        let (s, e) = find_row(text, 0, text.len(), first).unwrap();
        assert_eq!(&text[s..e], "属于国家秘密");
        let (vs, ve) = value_run(text, e, first, Some(next));
        assert_eq!(&text[vs..ve], "0000000");
        // Without the next row's label after it, the digits stay.
        let text = "属于国家秘密00000002.";
        let (vs, ve) = value_run(text, e, first, Some(next));
        assert_eq!(&text[vs..ve], "00000002");
    }

    #[test]
    fn narrative_mentions_are_not_rows() {
        let row = catalogue::REQUESTS_2021.row("new_received").unwrap();
        let text =
            "本年新收政府信息公开申请数量较上年增加。一、本年新收政府信息公开申请数量 640020470";
        let (s, _) = find_row(text, 0, text.len(), row).unwrap();
        assert!(text[s..].starts_with("本年新收政府信息公开申请数量 6"));
        // A truncated label followed by digits counts.
        let row = catalogue::REQUESTS_2021
            .row("denied_prohibited_by_law")
            .unwrap();
        let text = "2.其他法律行政法规禁0000000";
        assert!(find_row(text, 0, text.len(), row).is_some());
    }

    #[test]
    fn parts_are_found_in_the_running_text() {
        let text = "前言。 一、总体情况 正文。二、主动公开政府信息情况第二十条 三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 1 四、结转下年度继续办理0000000四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况 六、其他需要报告的事项 无。";
        let parts = find_parts(text);
        let got: Vec<(u8, &str)> = parts
            .iter()
            .map(|h| (h.part, &text[h.start..h.end]))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "一、总体情况"),
                (2, "二、主动公开政府信息情况"),
                (3, "三、收到和处理政府信息公开申请情况"),
                (4, "四、政府信息公开行政复议、行政诉讼情况"),
                (5, "五、存在的主要问题及改进情况"),
                (6, "六、其他需要报告的事项"),
            ]
        );
    }

    #[test]
    fn tokens_keep_places_and_placeholders() {
        let t = tokens("12 —3", 10);
        assert_eq!(
            t,
            vec![
                Token {
                    text: "12".into(),
                    at: 10
                },
                Token {
                    text: "—3".into(),
                    at: 13
                },
            ]
        );
        // "无" is a value only next to one.
        let text = "其他0无00000无收取";
        assert_eq!(&text[6..6 + run_len(text, 6)], "0无00000无");
        let text = "总计 0 无收取信息处理费";
        assert_eq!(&text[6..6 + run_len(text, 6)], " 0 ");
        // A whole cell "无" before the next part.
        let text = "收费无三、收到";
        assert_eq!(&text[6..6 + run_len(text, 6)], "无");
        let text = "出版物 00000004.无正当理由大量反复申请";
        assert_eq!(&text[9..9 + run_len(text, 9)], " 00000004.");
    }

    /// `real/pingtan-2022-flattened.txt` against `truth/flattened/…json`: every cell exact, the
    /// three `undetermined_from_text` cells absent with a finding listing 88/55/698.
    #[test]
    fn pingtan_2022_reads_to_its_truth() {
        let Some(lines) = crate::test_corpus::corpus("real/pingtan-2022-flattened.txt") else {
            return;
        };
        assert!(is_flattened(&lines));
        let report = crate::read_lines(&lines, None).unwrap();
        let path = format!(
            "{}/../../../shared/corpus/truth/flattened/pingtan-2022-flattened.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let undetermined: Vec<&str> = truth["undetermined_from_text"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let read = report.flat_cells();
        let mut problems = Vec::new();
        for (k, v) in truth["cells"].as_object().unwrap() {
            let got = read.get(k).map(|x| x.to_json());
            if undetermined.contains(&k.as_str()) {
                if got.is_some() {
                    problems.push(format!("{k}: read {got:?}, must be absent"));
                }
            } else if got.as_ref() != Some(v) {
                problems.push(format!("{k}: expected {v}, read {got:?}"));
            }
        }
        for k in read.keys() {
            if truth["cells"].get(k).is_none() {
                problems.push(format!("{k}: read, not in truth"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let f = report
            .findings
            .iter()
            .find(|f| f.rule == "READ-FLAT-UNDETERMINED")
            .expect("a finding for 8855698");
        assert!(f.message.contains("88/55/698"), "{}", f.message);
        let named: Vec<String> = f.cells.iter().map(|c| c.to_string()).collect();
        assert_eq!(named, undetermined);
        assert_eq!(report.kind, xxgk_model::ReportKind::Standard(Format::F2021));
        assert_eq!(report.meta.year, Some(2022));
        assert_eq!(report.meta.agency.as_deref(), Some("平潭综合实验区"));
        assert_eq!(
            report
                .meta
                .published
                .as_ref()
                .map(|p| p.value.to_string())
                .as_deref(),
            Some("2023-02-20")
        );
        // The six parts are found in the running text, all on the file's line 10.
        let parts: Vec<u8> = report.sections.iter().map(|s| s.part).collect();
        assert_eq!(parts, vec![1, 2, 3, 4, 5, 6]);
        assert!(report.sections.iter().all(|s| s.line == 10));
        // A cell's place: "713000074" starts the new_received row; 71 at its first digit.
        let c = report.get("requests.new_received.natural_person").unwrap();
        assert_eq!(c.span.line, 10);
        let line: Vec<char> = lines[9].chars().collect();
        let col = c.span.column.unwrap() as usize - 1;
        assert_eq!(line[col..col + 9].iter().collect::<String>(), "713000074");
    }
}
