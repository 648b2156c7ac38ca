//! Table-二 values that a PDF converter printed above their table.
//!
//! Some PDF → Markdown/text converters lift the numbers of table 二 out of their cells: the
//! values (with their notes, "22 （其中修订 16 件）") stand above the table, between the block
//! caption ("第二十条第（一）项") or the part heading and the table, and the table's rows are
//! printed with empty cells (`| 规章 | | | |`) or as bare labels ("规章").
//!
//! This pass runs after [`crate::tables::read`] over the same lines. It finds each *segment*: a
//! run of such displaced value lines, after a table-二 caption, title or header, followed
//! (across headers, captions and rows read in place) by rows whose cells are all empty. It reads
//! the values into the empty cells in reading order **only** when that is the one reading: as
//! many values as empty cells, each fitting its column (an integer ≥ 0 in a count column, a
//! decimal only in an amount column). Otherwise every empty cell of the segment is absent with
//! one finding naming it and the candidate values. Notes in brackets are never values: they
//! are dropped from the value and quoted in the finding. A read cell's span is the line and
//! column of its value.

use std::collections::{BTreeSet, HashSet};

use xxgk_model::catalogue::{self, ColumnDef, Format, RowDef, TableId, Unit};
use xxgk_model::{Cell, CellId, Finding, Located, Number, Severity, Span, TableSpan, Value};

use crate::labels;
use crate::rows::{self, Class};
use crate::tables::{self, TablesRead};

/// Rule: values displaced above the table read into its empty cells (one reading).
pub const DISPLACED: &str = "READ-DISPLACED";
/// Rule: an empty cell with displaced values above the table that do not leave one reading.
pub const DISPLACED_UNREADABLE: &str = "READ-DISPLACED-UNREADABLE";

/// Lines longer than this (bytes) are narrative, never part of a segment.
const MAX_LINE_BYTES: usize = 300;
/// Header, caption and fragment lines are at most this many characters (folded).
const MAX_HEADER_CHARS: usize = 40;
/// Caption, title and header lines are at most this long (bytes, as printed).
const MAX_HEADER_BYTES: usize = 200;
/// Table 二 has at most 20 cells: a longer run of values is not a displaced table.
const MAX_VALUES: usize = 40;
/// A note in brackets runs over at most this many lines.
const MAX_NOTE_LINES: usize = 3;
/// Table 二 has at most 8 rows in 5 blocks: more empty rows after one run of values, or more
/// segments in one text, is not this layout (and hostile input stays linear).
const MAX_EMPTY_ROWS: usize = 16;
const MAX_SEGMENTS: usize = 16;

/// One displaced value.
#[derive(Debug, Clone)]
struct Displaced {
    text: String,
    number: Number,
    line: u32,
    column: u32,
    /// The bracketed notes printed after it ("（其中修订 16 件）").
    notes: String,
}

/// A row of table 二 printed with all its cells empty.
#[derive(Debug)]
struct Empty {
    key: &'static str,
    line: u32,
}

#[derive(Debug, Default)]
struct Segment {
    values: Vec<Displaced>,
    empties: Vec<Empty>,
    /// Lines that printed the values (their stray-value findings are replaced).
    value_lines: BTreeSet<u32>,
    /// More empty rows than table 二 has: not this layout.
    overflow: bool,
}

/// What one line is, for this pass.
enum Kind {
    /// Blank, a Markdown separator, a page number: ignored.
    Skip,
    /// Values (and notes): the tokens, each with its notes.
    Values(Vec<Displaced>),
    /// Only a note in brackets.
    Note(String),
    /// A table-二 caption, title or header start: opens the area where values may be displaced.
    Anchor,
    /// A table-二 row: its key, and whether every value cell is empty.
    Row { key: &'static str, empty: bool },
    /// A short label-only line (a header fragment): passed over.
    Header,
    /// Anything else (narrative, another table): ends the area.
    Break,
}

/// Read displaced table-二 values into the empty cells of `out` where they leave one reading.
pub fn read(lines: &[String], out: &mut TablesRead) {
    if !any_unread_values(lines, out) {
        return;
    }
    let segments = segments(lines, out);
    if segments.is_empty() || segments.len() > MAX_SEGMENTS {
        return;
    }
    // Cells that a finding other than a missing row's already names, or that an earlier segment
    // read or named: not empty cells to fill.
    let mut named: HashSet<CellId> = out
        .findings
        .iter()
        .filter(|f| f.rule != "READ-ROW-MISSING" && f.rule != "READ-TABLE-MISSING")
        .flat_map(|f| f.cells.iter().copied())
        .collect();
    let format = out.format.unwrap_or(Format::F2021);
    let mut touched: Vec<CellId> = Vec::new();
    let mut value_lines: BTreeSet<u32> = BTreeSet::new();
    let mut span_lines: Vec<u32> = Vec::new();
    for seg in &segments {
        let Some(cells) = empty_cells(seg, format, out, &named) else {
            continue;
        };
        value_lines.extend(seg.value_lines.iter().copied());
        span_lines.extend(seg.value_lines.iter().copied());
        span_lines.extend(seg.empties.iter().map(|e| e.line));
        touched.extend(cells.iter().map(|(id, ..)| *id));
        // A later segment printing the same rows again does not read them a second time.
        named.extend(cells.iter().map(|(id, ..)| *id));
        resolve(seg, &cells, out);
    }
    if touched.is_empty() {
        return;
    }
    // The stray-value findings of the lines now read or named cell by cell.
    out.findings.retain(|f| {
        !(f.rule == "READ-STRAY-VALUES" && f.spans.iter().any(|s| value_lines.contains(&s.line)))
    });
    recount_missing(out);
    extend_span(out, &span_lines);
}

/// Whether some line prints only values (and notes) that no cell was read from: the cheap test
/// that spares almost every text the scan for segments.
fn any_unread_values(lines: &[String], out: &TablesRead) -> bool {
    let mut placed: Option<Vec<bool>> = None;
    lines.iter().enumerate().any(|(i, line)| {
        let starts_with_value = line
            .trim_start_matches(|c: char| c.is_whitespace() || c == '|')
            .starts_with(|c: char| c.is_ascii_digit() || c == '-');
        if !starts_with_value || line.len() > MAX_LINE_BYTES {
            return false;
        }
        let placed = placed.get_or_insert_with(|| {
            let mut p = vec![false; lines.len() + 1];
            for c in out.cells.values() {
                if let Some(x) = p.get_mut(c.span.line as usize) {
                    *x = true;
                }
            }
            p
        });
        !placed[i + 1] && parse_values(line, i as u32 + 1, &mut None).is_some()
    })
}

/// The segments of `lines`: displaced values followed by empty rows.
fn segments(lines: &[String], out: &TablesRead) -> Vec<Segment> {
    // Lines whose values the table reader already placed in cells (asked only of value lines).
    let mut placed: Option<HashSet<u32>> = None;
    let mut was_read = |lineno: u32| {
        placed
            .get_or_insert_with(|| out.cells.values().map(|c| c.span.line).collect())
            .contains(&lineno)
    };
    let mut found = Vec::new();
    let mut armed = false;
    let mut seg = Segment::default();
    // The segment saw an empty row or a row read in place since its last values.
    let mut after_rows = false;
    // A note opened on an earlier line and not closed: its text so far and its lines.
    let mut open_note: Option<(String, usize)> = None;
    let mut last_was_values = false;

    for (i, line) in lines.iter().enumerate() {
        if found.len() > MAX_SEGMENTS {
            // More than a report has: the caller reads none of them.
            break;
        }
        let lineno = i as u32 + 1;
        if let Some((mut note, n)) = open_note.take() {
            // The rest of a bracketed note: up to its closing bracket.
            match line.find(['）', ')']) {
                Some(end) => {
                    let close = line[end..].chars().next().map_or(1, char::len_utf8);
                    note.push_str(line[..end + close].trim());
                    attach(&mut seg, note);
                    let rest = &line[end + close..];
                    if rest.trim().is_empty() {
                        last_was_values = true;
                        continue;
                    }
                    // Values after the note on the same line.
                    let mut pending = None;
                    match parse_values(rest, lineno, &mut pending) {
                        Some(v) if !was_read(lineno) => {
                            if push_values(&mut seg, v, lineno, &mut after_rows, &mut found) {
                                open_note = pending.map(|p| (p, 1));
                                last_was_values = true;
                            } else {
                                armed = false;
                            }
                        }
                        _ => {
                            finish(&mut seg, &mut found);
                            armed = false;
                            last_was_values = false;
                        }
                    }
                }
                None if n < MAX_NOTE_LINES && line.len() <= MAX_LINE_BYTES => {
                    note.push_str(line.trim());
                    open_note = Some((note, n + 1));
                }
                None => {
                    finish(&mut seg, &mut found);
                    armed = false;
                    last_was_values = false;
                }
            }
            continue;
        }
        let mut pending = None;
        let kind = classify(line, lineno, armed, &mut pending);
        let was_values = std::mem::replace(&mut last_was_values, false);
        match kind {
            Kind::Skip => last_was_values = was_values,
            Kind::Values(v) => {
                if !armed || was_read(lineno) {
                    // Not displaced: values the reader placed, or outside table 二.
                    finish(&mut seg, &mut found);
                    continue;
                }
                // Values after rows start the next segment.
                if !push_values(&mut seg, v, lineno, &mut after_rows, &mut found) {
                    armed = false;
                    continue;
                }
                if let Some(p) = pending {
                    open_note = Some((p, 1));
                }
                last_was_values = true;
            }
            Kind::Note(note) if armed && was_values && !after_rows => {
                attach(&mut seg, note);
                last_was_values = true;
            }
            // A bracketed line that follows no value: a header fragment ("（单位：万元）").
            Kind::Note(_) | Kind::Header => {}
            Kind::Anchor => armed = true,
            Kind::Row { key, empty } => {
                if !armed {
                    continue;
                }
                if seg.values.is_empty() {
                    continue;
                }
                after_rows = true;
                if empty {
                    if seg.empties.len() < MAX_EMPTY_ROWS {
                        seg.empties.push(Empty { key, line: lineno });
                    } else {
                        seg.overflow = true;
                        armed = false;
                    }
                }
            }
            Kind::Break => {
                finish(&mut seg, &mut found);
                after_rows = false;
                armed = false;
            }
        }
    }
    finish(&mut seg, &mut found);
    found
}

/// Add a line's values to the segment; `false` (and the segment dropped) beyond
/// [`MAX_VALUES`].
fn push_values(
    seg: &mut Segment,
    v: Vec<Displaced>,
    lineno: u32,
    after_rows: &mut bool,
    found: &mut Vec<Segment>,
) -> bool {
    if *after_rows {
        finish(seg, found);
        *after_rows = false;
    }
    if seg.values.len() + v.len() > MAX_VALUES {
        seg.overflow = true;
        return false;
    }
    seg.values.extend(v);
    seg.value_lines.insert(lineno);
    true
}

/// Close the segment; keep it if it has values and empty rows.
fn finish(seg: &mut Segment, found: &mut Vec<Segment>) {
    let s = std::mem::take(seg);
    if !s.values.is_empty() && !s.empties.is_empty() && !s.overflow && found.len() <= MAX_SEGMENTS {
        found.push(s);
    }
}

/// Attach a note to the last value of the segment.
fn attach(seg: &mut Segment, note: String) {
    if let Some(v) = seg.values.last_mut() {
        v.notes.push_str(&note);
    }
}

fn classify(line: &str, lineno: u32, armed: bool, pending: &mut Option<String>) -> Kind {
    let t = line.trim();
    if t.is_empty() || is_separator(t) || is_page_number(t) {
        return Kind::Skip;
    }
    if line.len() > MAX_LINE_BYTES {
        return Kind::Break;
    }
    if !armed {
        // Outside table 二 only a caption, title or header matters: most lines are passed
        // over by a substring test (this pass runs over every line of every text).
        let maybe = t.len() <= MAX_HEADER_BYTES
            && [
                catalogue::BLOCK_PREFIX,
                TableId::Active.title(),
                catalogue::ACTIVE_ROW_HEADER,
            ]
            .iter()
            .any(|n| t.contains(n));
        if !maybe {
            return Kind::Skip;
        }
    } else {
        if let Some(v) = parse_values(line, lineno, pending) {
            return Kind::Values(v);
        }
        if let Some(note) = whole_note(t) {
            return Kind::Note(note);
        }
    }
    let t = t.trim_start_matches('#').trim();
    let cells = split_cells(t);
    let n_label = cells
        .iter()
        .rposition(|c| rows::classify(c) == Class::Label)
        .map_or(0, |i| i + 1);
    let label: String = cells[..n_label]
        .iter()
        .filter(|c| !c.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let values = &cells[n_label..];
    let folded = labels::fold(&label);
    if folded.is_empty() {
        return Kind::Break;
    }
    let sentence = folded.contains([',', '，', '。', '；', ';']);
    if other_table(&folded) {
        return Kind::Break;
    }
    if values.is_empty() && !sentence && is_anchor(&folded) {
        return Kind::Anchor;
    }
    if !armed {
        return Kind::Skip;
    }
    if let Some(m) = labels::match_row(&label) {
        if m.table == TableId::Active {
            return Kind::Row {
                key: m.key,
                empty: values.iter().all(|v| v.is_empty()),
            };
        }
        return Kind::Break;
    }
    let header = values.iter().all(|v| v.is_empty())
        && !sentence
        && folded.chars().count() <= MAX_HEADER_CHARS
        && !folded.bytes().any(|b| b.is_ascii_digit())
        && !starts_with_part_marker(&folded);
    if header {
        Kind::Header
    } else {
        Kind::Break
    }
}

/// The cells of a pipe or tab row, or the whitespace tokens of a text line, trimmed; a text
/// line's leading label tokens are one cell.
fn split_cells(t: &str) -> Vec<&str> {
    if t.starts_with('|') {
        let body = t.trim_start_matches('|');
        let body = body.strip_suffix('|').unwrap_or(body);
        return body.split('|').map(str::trim).collect();
    }
    if t.contains('\t') {
        return t.split('\t').map(str::trim).collect();
    }
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let n_values = tokens
        .iter()
        .rev()
        .take_while(|x| rows::classify(x) == Class::Value)
        .count();
    let cut = tokens.len() - n_values;
    if cut == 0 {
        return tokens;
    }
    // The label: from the first token to the end of the last label token, as printed.
    let last = tokens[cut - 1];
    let end = last.as_ptr() as usize - t.as_ptr() as usize + last.len();
    let mut out = vec![t[..end].trim()];
    out.extend_from_slice(&tokens[cut..]);
    out
}

/// `| --- | :-: |`
fn is_separator(t: &str) -> bool {
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// "- 4 -", "— 4 —": a page number left by a converter.
fn is_page_number(t: &str) -> bool {
    let dashes = ['-', '—', '–'];
    let inner = t.trim_matches(dashes).trim();
    t.starts_with(dashes)
        && t.ends_with(dashes)
        && (1..=4).contains(&inner.len())
        && inner.bytes().all(|b| b.is_ascii_digit())
}

/// "三、…": a part heading.
fn starts_with_part_marker(folded: &str) -> bool {
    let mut chars = folded.chars();
    matches!((chars.next(), chars.next()), (Some(c), Some('、'))
        if catalogue::CHINESE_NUMERALS.iter().any(|n| n.starts_with(c)))
}

/// Catalogue texts that open table 二 or belong to tables 三 and 四, folded once.
struct Needles {
    anchors: [String; 2],
    header: String,
    others: Vec<String>,
}

fn needles() -> &'static Needles {
    static NEEDLES: std::sync::OnceLock<Needles> = std::sync::OnceLock::new();
    NEEDLES.get_or_init(|| {
        let f = labels::fold;
        Needles {
            anchors: [f(catalogue::BLOCK_PREFIX), f(TableId::Active.title())],
            header: f(catalogue::ACTIVE_ROW_HEADER),
            others: [
                catalogue::NOTE_BALANCE_KEY,
                catalogue::APPLICANT_HEADER,
                catalogue::REVIEW_HEADER,
                catalogue::LITIGATION_HEADER,
                TableId::Requests.title(),
                TableId::Appeals.title(),
            ]
            .iter()
            .map(|s| f(s))
            .collect(),
        }
    })
}

/// A caption, title or header line of table 二.
fn is_anchor(folded: &str) -> bool {
    let n = needles();
    folded.chars().count() <= MAX_HEADER_CHARS + 20
        && (n.anchors.iter().any(|a| folded.contains(a.as_str()))
            || folded.starts_with(n.header.as_str()))
}

/// A heading or header of table 三 or 四.
fn other_table(folded: &str) -> bool {
    needles().others.iter().any(|n| folded.contains(n.as_str()))
}

/// A line that is one bracketed note ("（其中修订 16 件）"): its text. A note with sentence
/// punctuation is narrative.
fn whole_note(t: &str) -> Option<String> {
    let open = t.starts_with(['（', '(']);
    let mut chars = t.chars();
    let close = chars.next_back().is_some_and(|c| matches!(c, '）' | ')'));
    let inner_closes = chars.as_str().contains(['）', ')']);
    (open && close && !inner_closes && !t.contains(['，', ',', '。', '；', ';']))
        .then(|| t.to_string())
}

/// The values of a line that prints only numbers and bracketed notes, each note attached to the
/// number before it. `None` when the line prints anything else. A note left open at the end of
/// the line is put in `pending` (it continues on the next line) and attached to the last value.
fn parse_values(line: &str, lineno: u32, pending: &mut Option<String>) -> Option<Vec<Displaced>> {
    let mut out: Vec<Displaced> = Vec::new();
    let mut token_start: Option<usize> = None;
    let mut note_start: Option<usize> = None;
    let mut depth = 0usize;
    let mut leading_note = String::new();
    let flush = |start: usize, end: usize, out: &mut Vec<Displaced>| -> bool {
        let text = &line[start..end];
        // A grouped number ("1,234") is not read here: the table reader decides those.
        if text.contains(',') {
            return false;
        }
        match Number::parse(text) {
            Some(number) => {
                out.push(Displaced {
                    text: text.to_string(),
                    number,
                    line: lineno,
                    column: line[..start].chars().count() as u32 + 1,
                    notes: String::new(),
                });
                true
            }
            None => false,
        }
    };
    for (i, c) in line.char_indices() {
        if depth > 0 {
            if matches!(c, '）' | ')') {
                depth -= 1;
                if depth == 0 {
                    let start = note_start.take()?;
                    let note = &line[start..i + c.len_utf8()];
                    match out.last_mut() {
                        Some(v) => v.notes.push_str(note),
                        None => leading_note.push_str(note),
                    }
                }
            } else if matches!(c, '（' | '(') {
                depth += 1;
            }
            continue;
        }
        if matches!(c, '（' | '(') {
            if let Some(s) = token_start.take() {
                if !flush(s, i, &mut out) {
                    return None;
                }
            }
            depth = 1;
            note_start = Some(i);
        } else if c.is_whitespace() || c == '|' || c == '\t' {
            if let Some(s) = token_start.take() {
                if !flush(s, i, &mut out) {
                    return None;
                }
            }
        } else if token_start.is_none() {
            token_start = Some(i);
        }
    }
    if let Some(s) = token_start.take() {
        if !flush(s, line.len(), &mut out) {
            return None;
        }
    }
    // A note before any value on the line is no value's note: not this layout.
    if !leading_note.is_empty() && !out.is_empty() {
        return None;
    }
    if depth > 0 {
        let start = note_start?;
        if out.is_empty() {
            return None;
        }
        *pending = Some(line[start..].trim().to_string());
        return Some(out);
    }
    if out.is_empty() {
        return None;
    }
    Some(out)
}

/// The empty cells of a segment's rows in reading order, with their row and column; `None` when
/// a row is not empty after all (its cells were read, or a finding already names them).
fn empty_cells(
    seg: &Segment,
    format: Format,
    out: &TablesRead,
    named: &HashSet<CellId>,
) -> Option<Vec<(CellId, &'static RowDef, &'static ColumnDef)>> {
    let def = catalogue::table(format, TableId::Active);
    let other = catalogue::table(
        if format == Format::F2021 {
            Format::F2019
        } else {
            Format::F2021
        },
        TableId::Active,
    );
    let mut cells = Vec::new();
    let mut seen = HashSet::new();
    for e in &seg.empties {
        let row = def.row(e.key).or_else(|| other.row(e.key))?;
        if !seen.insert(row.key) {
            return None;
        }
        for col in row.columns {
            let id = CellId {
                table: TableId::Active,
                row: row.key,
                column: col.key,
            };
            if named.contains(&id) {
                return None;
            }
            match out.cells.get(&id) {
                None => {}
                Some(c) if c.value.is_blank() && c.span.line == e.line => {}
                Some(_) => return None,
            }
            cells.push((id, row, col));
        }
    }
    Some(cells)
}

/// Does a displaced value fit a column?
fn fits(col: &ColumnDef, n: Number) -> bool {
    match col.unit {
        Unit::Count => n.as_int().is_some_and(|i| i >= 0),
        Unit::SignedCount => n.as_int().is_some(),
        Unit::Amount => !n.is_negative(),
    }
}

fn printed(v: &Displaced) -> String {
    format!("{}{}", v.text, v.notes)
}

fn lines_of(seg: &Segment) -> String {
    let first = seg.value_lines.first().copied().unwrap_or(0);
    let last = seg.value_lines.last().copied().unwrap_or(0);
    if first == last {
        format!("第 {first} 行")
    } else {
        format!("第 {first}–{last} 行")
    }
}

fn cell_name(row: &RowDef, col: &ColumnDef) -> String {
    format!("“{}”行“{}”", row.label, col.label)
}

/// Read the segment's values into its empty cells, or name every empty cell.
fn resolve(
    seg: &Segment,
    cells: &[(CellId, &'static RowDef, &'static ColumnDef)],
    out: &mut TablesRead,
) {
    let table = TableId::Active.short_name();
    let values = &seg.values;
    let misfit = if values.len() != cells.len() {
        let blocks: BTreeSet<&str> = cells.iter().filter_map(|(_, r, _)| r.block).collect();
        let spread = if blocks.len() > 1 {
            format!("（分属 {} 个栏目）", blocks.len())
        } else {
            String::new()
        };
        Some(format!(
            "数值有 {} 个，而空白单元格有 {} 个{spread}，个数不同",
            values.len(),
            cells.len()
        ))
    } else {
        cells
            .iter()
            .zip(values)
            .find(|((_, _, col), v)| !fits(col, v.number))
            .map(|((_, row, col), v)| {
                format!(
                    "数值“{}”不符合{}的要求（{}）",
                    v.text,
                    cell_name(row, col),
                    match col.unit {
                        Unit::Amount => "应为非负数",
                        _ => "应为非负整数",
                    }
                )
            })
    };
    let all: Vec<String> = values.iter().map(printed).collect();
    match misfit {
        None => {
            let mut read = Vec::new();
            let mut finding_spans = Vec::new();
            for ((id, row, col), v) in cells.iter().zip(values) {
                let span = Span {
                    line: v.line,
                    column: Some(v.column),
                    page: None,
                };
                out.cells.insert(
                    *id,
                    Cell {
                        value: Value::Number(v.number),
                        span,
                        printed_column: None,
                        located: Located::Label,
                        ocr: None,
                    },
                );
                finding_spans.push(span);
                read.push(format!("{} {}", cell_name(row, col), printed(v)));
            }
            let notes = if values.iter().any(|v| !v.notes.is_empty()) {
                "；括号中的说明只作说明，未作为数值读取"
            } else {
                ""
            };
            let mut f = Finding::new(
                DISPLACED,
                Severity::Info,
                format!(
                    "{table}{}的数值印在表格上方，表格中对应的单元格为空；数值个数与空白单元格个数相同且都符合所在列，按阅读顺序只有一种对应方式，已读作：{}{notes}",
                    lines_of(seg),
                    read.join("，")
                ),
            )
            .cells(cells.iter().map(|(id, ..)| *id));
            for s in finding_spans {
                f = f.at(s);
            }
            out.findings.push(f);
        }
        Some(why) => {
            for (id, row, col) in cells {
                out.cells.remove(id);
                let line = seg
                    .empties
                    .iter()
                    .find(|e| e.key == row.key)
                    .map_or(0, |e| e.line);
                let mut f = Finding::new(
                    DISPLACED_UNREADABLE,
                    Severity::Error,
                    format!(
                        "{table}{}的单元格为空，表格上方{}印有可能属于它的数值：{}；{why}，无法确定哪个数值属于这个单元格，未读取",
                        cell_name(row, col),
                        lines_of(seg),
                        all.join("、")
                    ),
                )
                .cells([*id]);
                if line > 0 {
                    f = f.at(Span::line(line));
                }
                for l in &seg.value_lines {
                    f = f.at(Span::line(*l));
                }
                out.findings.push(f);
            }
        }
    }
}

/// The missing-row findings of table 二 made again, now that cells were read or named.
fn recount_missing(out: &mut TablesRead) {
    let is_active = |f: &Finding| {
        matches!(f.rule, "READ-ROW-MISSING" | "READ-TABLE-MISSING")
            && f.cells.iter().all(|c| c.table == TableId::Active)
    };
    out.findings.retain(|f| !is_active(f));
    let mut tmp = TablesRead {
        format: out.format,
        cells: out
            .cells
            .iter()
            .filter(|(k, _)| k.table == TableId::Active)
            .map(|(k, v)| (*k, v.clone()))
            .collect(),
        spans: Vec::new(),
        staged: Vec::new(),
        findings: out
            .findings
            .iter()
            .filter(|f| f.cells.iter().any(|c| c.table == TableId::Active))
            .cloned()
            .collect(),
    };
    let before = tmp.findings.len();
    tables::missing_rows(&mut tmp, None);
    out.findings.extend(
        tmp.findings
            .drain(before..)
            .filter(|f| is_active(f) && !f.cells.is_empty()),
    );
}

/// Table 二's span, widened to the lines read here.
fn extend_span(out: &mut TablesRead, lines: &[u32]) {
    let (Some(first), Some(last)) = (lines.iter().min(), lines.iter().max()) else {
        return;
    };
    match out.spans.iter_mut().find(|s| s.table == TableId::Active) {
        Some(s) => {
            s.start.line = s.start.line.min(*first);
            s.end.line = s.end.line.max(*last);
        }
        None => out.spans.push(TableSpan {
            table: TableId::Active,
            start: Span::line(*first),
            end: Span::line(*last),
        }),
    }
}

#[cfg(test)]
#[path = "displaced_tests.rs"]
mod tests;
