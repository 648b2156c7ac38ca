//! Lines → rows of cells, whatever the layout.
//!
//! Each line is classified on its own, so one document may mix layouts (Markdown tables beside
//! plain text lines, as PDF converters produce):
//! - **pipe row** `| a | b |`: one row, cells between the pipes (separator lines are skipped);
//! - **tab row** `a\tb\tc` (a Word or web export): one row, one cell per tab-separated field,
//!   empty fields kept (they are blank cells or merged-cell padding);
//! - **cell line** `\tcell` (one cell per line): consecutive cell lines form one row, ended by
//!   a blank line; a following line without a leading tab continues the previous cell (wrapped
//!   text such as "本年新" / "公开数量");
//! - **text line**: space-separated, as `pdftotext` prints: the trailing number tokens are value
//!   cells, the rest is the label ("行政处罚 3985758").
//!
//! A printed row can hold several table rows when the export lost the row breaks: a row is cut
//! where a label follows values. Artefacts of converters (`[image: ]`, `[bookmark: _GoBack]`,
//! page numbers such as "- 4 -", form feeds) are removed first.

use xxgk_model::catalogue;

use crate::spaces::{has_whitespace, trim};
use xxgk_model::{Format, Number, Value};

/// How a row was printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Tab,
    Cells,
    Pipe,
    Text,
}

/// One cell of a printed row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCell {
    /// The text, trimmed; cells continued over several lines are joined.
    pub text: String,
    /// 1-based line of the cell's first character.
    pub line: u32,
    /// 1-based character column of the cell's first character.
    pub column: u32,
    /// 0-based index of the cell in its printed row.
    pub index: u32,
}

/// One printed row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<RowCell>,
    /// Number of leading cells up to and including the last label cell.
    label_len: usize,
}

impl Row {
    pub fn new(kind: RowKind, cells: Vec<RowCell>) -> Row {
        let label_len = cells
            .iter()
            .rposition(|c| classify(&c.text) == Class::Label)
            .map_or(0, |i| i + 1);
        Row {
            kind,
            cells,
            label_len,
        }
    }

    pub fn line(&self) -> u32 {
        self.cells.first().map_or(0, |c| c.line)
    }

    /// The label cells (everything before the value cells), joined with spaces.
    pub fn label(&self) -> String {
        let n = self.label_len();
        let mut s = String::new();
        for c in &self.cells[..n] {
            if !c.text.is_empty() {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&c.text);
            }
        }
        s
    }

    /// [`Row::label`], borrowed from the row when one cell holds all of it (most rows).
    pub fn label_str(&self) -> std::borrow::Cow<'_, str> {
        let mut texts = self.cells[..self.label_len()]
            .iter()
            .filter(|c| !c.text.is_empty());
        match (texts.next(), texts.next()) {
            (None, _) => std::borrow::Cow::Borrowed(""),
            (Some(c), None) => std::borrow::Cow::Borrowed(c.text.as_str()),
            _ => std::borrow::Cow::Owned(self.label()),
        }
    }

    /// Number of leading cells up to and including the last label cell.
    pub fn label_len(&self) -> usize {
        self.label_len
    }

    /// The cells after the label.
    pub fn values(&self) -> &[RowCell] {
        &self.cells[self.label_len()..]
    }

    /// Does the row print any number or placeholder? (No cell after the label is a label: a
    /// value is any cell there that is not blank.)
    pub fn has_values(&self) -> bool {
        self.values().iter().any(|c| !trim(&c.text).is_empty())
    }
}

/// What a cell's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Blank,
    /// A number, a placeholder ("/", "-", "无") or a number with a unit ("251000元").
    Value,
    Label,
}

/// Units printed after a number inside a cell.
const UNITS: &[&str] = &["万元", "元", "件", "条", "项", "个", "次"];

pub fn classify(text: &str) -> Class {
    let t = trim(text);
    if t.is_empty() {
        return Class::Blank;
    }
    // Fast path: every number, number with a unit and odd value (`odd_value`) starts with an
    // ASCII character; text starting with any other character is a value only as one of the
    // placeholders ("—", "无", "／" …). Tested against the full test below.
    if !t.as_bytes()[0].is_ascii() {
        return if catalogue::PLACEHOLDERS.contains(&t) {
            Class::Value
        } else {
            Class::Label
        };
    }
    classify_printed(t)
}

/// [`classify`] of a trimmed text that is not blank, without the fast path.
fn classify_printed(t: &str) -> Class {
    if Number::parse(t).is_some() || catalogue::PLACEHOLDERS.contains(&t) {
        return Class::Value;
    }
    // A printed value the model cannot hold (19 digits, NaN, "1 234") is still a value: as a
    // label it would swallow its cell (read as blank) or cut its row.
    if odd_value(t).is_some() {
        return Class::Value;
    }
    for u in UNITS {
        if let Some(n) = t.strip_suffix(u) {
            if Number::parse(n.trim()).is_some() {
                return Class::Value;
            }
        }
    }
    Class::Label
}

/// The value a cell prints: a number, blank, or the printed text. A grouped number ("1,234") is
/// text here: [`odd_value`] tells the table reader what it is, and it is read as a number only
/// when its column shows the same grouping.
pub fn value(text: &str) -> Value {
    let t = trim(text);
    if t.is_empty() {
        Value::Blank
    } else if t.contains(',') {
        Value::Text(t.to_string())
    } else if let Some(n) = Number::parse(t) {
        Value::Number(n)
    } else {
        Value::Text(t.to_string())
    }
}

/// What a printed value that is not a number the model holds is.
#[derive(Debug, Clone, PartialEq)]
pub enum Odd {
    /// Digits beyond what a cell holds (more than 18, more than 6 decimals, 1e308): `why`.
    TooLarge(&'static str),
    /// Looks like a number but is not one a table cell prints: `why` ("NaN", "1e5", "3.").
    NotANumber(&'static str),
    /// Digits in groups of three separated by `sep` (' ' or ','): `value` if one number.
    Grouped { value: Number, sep: char },
}

/// Whether `t` (trimmed) looks like a printed number that [`Number::parse`] does not read, and
/// what it is. `None` for numbers the model holds and for text that is no number at all.
pub fn odd_value(t: &str) -> Option<Odd> {
    const TOO_MANY_DIGITS: &str = "数字超过 18 位";
    let word = t.trim_start_matches(['+', '-']);
    if ["nan", "inf", "infinity"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
    {
        return Some(Odd::NotANumber("不是数字（NaN 或无穷大）"));
    }
    // Labels (most texts asked about) have no digit, or are long: cheap to refuse.
    if t.len() > 200 || !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // A Chinese unit of magnitude or a percent sign after a number.
    for (suffix, why) in [
        ("万", "数字带“万”字，未换算"),
        ("亿", "数字带“亿”字，未换算"),
        ("千", "数字带“千”字，未换算"),
        ("%", "百分数，不是表格应填的数字"),
        ("％", "百分数，不是表格应填的数字"),
    ] {
        if let Some(n) = t.strip_suffix(suffix) {
            let n = n.trim();
            return (Number::parse(n).is_some() || odd_value(n).is_some())
                .then_some(Odd::NotANumber(why));
        }
    }
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if body.is_empty() || !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b' ' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    // Scientific notation: mantissa e exponent.
    if let Some((m, e)) = body.split_once(['e', 'E']) {
        let e_digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        let m_ok = !m.is_empty()
            && m.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && m.bytes().filter(|b| *b == b'.').count() <= 1
            && m.bytes().any(|b| b.is_ascii_digit());
        if !m_ok || e_digits.is_empty() || !e_digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let exp: i64 = e_digits.parse().unwrap_or(i64::MAX);
        let int_digits = m
            .split('.')
            .next()
            .unwrap_or("")
            .trim_start_matches('0')
            .len() as i64;
        let big = !e.starts_with('-') && int_digits.saturating_add(exp) > 18;
        return Some(if big {
            Odd::TooLarge("科学记数法表示的数超出可处理的范围")
        } else {
            Odd::NotANumber("科学记数法，未换算")
        });
    }
    if body.contains(['+', '-']) {
        return None;
    }
    // Grouped: groups of three after a first group of one to three digits, one separator.
    for sep in [' ', ','] {
        if !body.contains(sep) {
            continue;
        }
        let other = if sep == ' ' { ',' } else { ' ' };
        let (int_part, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let mut groups = int_part.split(sep);
        let first_ok = groups
            .next()
            .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
        let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if first_ok && rest_ok && !int_part.contains(other) {
            let plain: String = int_part.chars().filter(|c| *c != sep).collect();
            let plain = match frac {
                Some(f) => format!("{plain}.{f}"),
                None => plain,
            };
            let signed = if t.starts_with('-') {
                format!("-{plain}")
            } else {
                plain
            };
            return Some(match Number::parse(&signed) {
                Some(value) => Odd::Grouped { value, sep },
                None => Odd::TooLarge(TOO_MANY_DIGITS),
            });
        }
        if sep == ' ' {
            // Digits separated by spaces in no grouping: several numbers, not one.
            return None;
        }
        return Some(Odd::NotANumber("逗号的位置不是千位分隔"));
    }
    // Only digits and dots.
    let dots = body.bytes().filter(|b| *b == b'.').count();
    if dots > 1 {
        return Some(Odd::NotANumber("有多个小数点"));
    }
    if body.starts_with('.') || body.ends_with('.') {
        return Some(Odd::NotANumber("小数点前或后没有数字"));
    }
    let (int_part, frac) = body.split_once('.').unwrap_or((body, ""));
    if int_part.len() + frac.len() > 18 {
        return Some(Odd::TooLarge(TOO_MANY_DIGITS));
    }
    if frac.len() > 6 {
        return Some(Odd::TooLarge("小数超过 6 位"));
    }
    None
}

/// Remove converter artefacts from a line.
fn strip_artefacts(line: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr2(b'[', 0x0C, line.as_bytes()).is_none() {
        return line.into();
    }
    let mut s = line.replace('\u{c}', "");
    for tag in ["[image:", "[bookmark:"] {
        while let Some(start) = s.find(tag) {
            let end = s[start..].find(']').map_or(s.len(), |e| start + e + 1);
            s.replace_range(start..end, "");
        }
    }
    s.into()
}

/// A page number printed by a converter: "- 4 -", "— 4 —", "第 4 页", "4 / 12". One number of
/// at most four digits: "– 0 0 0 … --" is a row of values between two placeholders.
fn is_page_number(t: &str) -> bool {
    let dashes = ['-', '—', '–'];
    let t = trim(t);
    let inner = t.trim_matches(dashes).trim();
    if t.starts_with(dashes)
        && t.ends_with(dashes)
        && (1..=4).contains(&inner.len())
        && inner.chars().all(|c| c.is_ascii_digit())
    {
        return true;
    }
    // The other two forms, whitespace ignored: "第" digits "页", or one to three digits, "/",
    // one to three digits. Read character by character: a line of prose starting with a digit
    // ("2020年，…") fails at its first character that fits neither.
    let mut chars = t.chars().filter(|c| !c.is_whitespace());
    match chars.next() {
        Some('第') => {
            let mut digits = 0usize;
            for c in chars.by_ref() {
                if c.is_ascii_digit() {
                    digits += 1;
                } else if c == '页' {
                    return digits > 0 && chars.next().is_none();
                } else {
                    return false;
                }
            }
            false
        }
        Some(c) if c.is_ascii_digit() => {
            let (mut before, mut after, mut slash) = (1usize, 0usize, false);
            for c in chars {
                match c {
                    '/' if !slash => slash = true,
                    '0'..='9' if !slash => before += 1,
                    '0'..='9' => after += 1,
                    _ => return false,
                }
            }
            slash && before <= 3 && (1..=3).contains(&after)
        }
        _ => false,
    }
}

/// A part heading ("四、政府信息公开…") never continues a table cell.
fn starts_with_part_marker(t: &str) -> bool {
    let mut chars = t.chars();
    let first = chars.next();
    let second = chars.next();
    matches!((first, second), (Some(c), Some('、')) if catalogue::CHINESE_NUMERALS.iter().any(|n| n.starts_with(c)))
}

/// Byte offset → 1-based character column.
fn char_col(line: &str, byte: usize) -> u32 {
    line[..byte].chars().count() as u32 + 1
}

/// Character columns of byte offsets met in increasing order, in time linear in the line (a
/// column counted from the line's start for every field would be quadratic in a line of a
/// million tabs).
struct Columns<'a> {
    line: &'a str,
    byte: usize,
    col: u32,
}

impl<'a> Columns<'a> {
    fn new(line: &'a str) -> Columns<'a> {
        Columns {
            line,
            byte: 0,
            col: 1,
        }
    }

    /// The 1-based character column of `byte`, which is not before the previous one asked.
    fn at(&mut self, byte: usize) -> u32 {
        if byte < self.byte {
            return char_col(self.line, byte);
        }
        self.col += self.line[self.byte..byte].chars().count() as u32;
        self.byte = byte;
        self.col
    }
}

/// Most cells of one printed row (a report's widest row has 16; an HTML or Word grid row at
/// most 512 columns): the fields beyond are not read, and [`split_bounded`] says so.
pub const MAX_FIELDS: usize = 1000;

fn cells_split(line: &str, sep: char, lineno: u32) -> Vec<RowCell> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut cols = Columns::new(line);
    for (i, field) in line.split(sep).take(MAX_FIELDS).enumerate() {
        let text = trim(field);
        // The whitespace before the text (all of a blank field), as `trim_start` removes it.
        let lead = if text.is_empty() {
            field.len()
        } else {
            text.as_ptr() as usize - field.as_ptr() as usize
        };
        out.push(RowCell {
            text: text.to_string(),
            line: lineno,
            column: cols.at(start + lead.min(field.len())),
            index: i as u32,
        });
        start += field.len() + sep.len_utf8();
    }
    out
}

fn pipe_cells(line: &str, lineno: u32) -> Option<Vec<RowCell>> {
    let trimmed = line.trim_end();
    let lead = line.len() - line.trim_start().len();
    let body = &trimmed[lead + 1..];
    let body = body.strip_suffix('|').unwrap_or(body);
    let offset = lead + 1;
    let mut cells = cells_split(body, '|', lineno);
    for c in &mut cells {
        c.column += char_col(line, offset) - 1;
    }
    let separator = cells
        .iter()
        .all(|c| !c.text.is_empty() && c.text.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
    (!separator).then_some(cells)
}

fn text_cells(line: &str, lineno: u32) -> Vec<RowCell> {
    // One token (most lines of prose): label or value, it is one cell of its text, at its column.
    let t = trim(line);
    if !t.is_empty() && !has_whitespace(t) {
        return vec![RowCell {
            text: t.to_string(),
            line: lineno,
            column: char_col(line, line.len() - line.trim_start().len()),
            index: 0,
        }];
    }
    tokens_to_cells(line, lineno)
}

/// [`text_cells`] of any line, token by token.
fn tokens_to_cells(line: &str, lineno: u32) -> Vec<RowCell> {
    // Tokens with their byte offsets.
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                tokens.push((s, &line[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push((s, &line[s..]));
    }
    // Bounded like a tab row: the trailing tokens beyond MAX_FIELDS are not read.
    tokens.truncate(MAX_FIELDS);
    let n_values = tokens
        .iter()
        .rev()
        .take_while(|(_, t)| classify(t) == Class::Value)
        .count();
    let label_tokens = tokens.len() - n_values;
    let mut out = Vec::new();
    if label_tokens > 0 {
        let first = tokens[0].0;
        let (last_start, last) = tokens[label_tokens - 1];
        out.push(RowCell {
            text: line[first..last_start + last.len()].trim().to_string(),
            line: lineno,
            column: char_col(line, first),
            index: 0,
        });
    }
    let mut cols = Columns::new(line);
    for (off, t) in &tokens[label_tokens..] {
        out.push(RowCell {
            text: (*t).to_string(),
            line: lineno,
            column: cols.at(*off),
            index: out.len() as u32,
        });
    }
    out
}

/// Split the document into rows.
pub fn split(lines: &[String]) -> Vec<Row> {
    split_bounded(lines).0
}

/// Most value cells of all the rows of a document together (a report's three tables have about
/// 250; a text of one row repeated 100,000 times has a million): rows with values beyond are
/// not read.
pub const MAX_TABLE_CELLS: usize = 200_000;

/// What [`split_bounded`] found beyond the bounds.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Beyond {
    /// 1-based lines whose printed row had more than [`MAX_FIELDS`] cells: only the first
    /// [`MAX_FIELDS`] were read.
    pub wide: Vec<u32>,
    /// The first line of a row with values not read because the document's rows had already
    /// printed [`MAX_TABLE_CELLS`] value cells, and how many such rows.
    pub dropped: Option<(u32, usize)>,
}

/// Rows as they are split, bounded in value cells ([`MAX_TABLE_CELLS`]).
#[derive(Default)]
struct Bounded {
    rows: Vec<Row>,
    cells: usize,
    dropped: Option<(u32, usize)>,
}

impl Bounded {
    fn push(&mut self, mut row: Row) {
        let values = if row.kind == RowKind::Cells {
            // Built cell by cell: its `label_len` was computed before its cells were added. Its
            // cells are classified here, once, and the row leaves with its `label_len` right (as
            // every row does: [`cut_at_labels`] relies on it).
            let mut values = 0;
            let mut label_len = 0;
            for (i, c) in row.cells.iter().enumerate() {
                match classify(&c.text) {
                    Class::Label => label_len = i + 1,
                    Class::Value => values += 1,
                    Class::Blank => {}
                }
            }
            row.label_len = label_len;
            values
        } else {
            // After the last label every cell is a value or blank: no need to classify again.
            row.values()
                .iter()
                .filter(|c| !trim(&c.text).is_empty())
                .count()
        };
        if values > 0 && self.cells + values > MAX_TABLE_CELLS {
            let (line, n) = self.dropped.get_or_insert((row.line(), 0));
            *line = (*line).min(row.line());
            *n += 1;
            return;
        }
        self.cells += values;
        self.rows.push(row);
    }
}

/// [`split`], and what was beyond its bounds.
pub fn split_bounded(lines: &[String]) -> (Vec<Row>, Beyond) {
    let wide: Vec<u32> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| too_wide(l))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let (rows, dropped) = split_rows(lines);
    (rows, Beyond { wide, dropped })
}

/// Whether a line prints more than [`MAX_FIELDS`] cells (tab- or pipe-separated fields, or
/// space-separated tokens); counted without splitting.
fn too_wide(line: &str) -> bool {
    if line.len() < MAX_FIELDS {
        return false;
    }
    let seps = |c: char| line.chars().filter(|x| *x == c).count();
    if line.contains('\t') {
        return seps('\t') >= MAX_FIELDS;
    }
    if line.trim_start().starts_with('|') {
        return seps('|') > MAX_FIELDS;
    }
    line.split_whitespace().nth(MAX_FIELDS).is_some()
}

fn split_rows(lines: &[String]) -> (Vec<Row>, Option<(u32, usize)>) {
    let Bounded { rows, dropped, .. } = split_lines(lines);
    let rows = join_bare_cells(rows, lines);
    // Every row is cut by `cut_at_labels`, which classifies its cells.
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        cut_at_labels(row, &mut out);
    }
    (out, dropped)
}

fn split_lines(lines: &[String]) -> Bounded {
    let mut rows = Bounded::default();
    // The row being built from cell lines, if any.
    let mut block: Option<Row> = None;
    // Whether the previous line was a cell line (so a bare line continues its cell).
    let mut in_cell = false;

    for (i, raw) in lines.iter().enumerate() {
        let lineno = i as u32 + 1;
        // One search for a tab and for what `strip_artefacts` removes ('[' and form feeds).
        let bytes = raw.as_bytes();
        let (line, has_tab) = match memchr::memchr3(b'\t', b'[', 0x0C, bytes) {
            None => (std::borrow::Cow::Borrowed(raw.as_str()), false),
            Some(p) if bytes[p] == b'\t' && memchr::memchr2(b'[', 0x0C, &bytes[p..]).is_none() => {
                (std::borrow::Cow::Borrowed(raw.as_str()), true)
            }
            Some(_) => {
                let line = strip_artefacts(raw);
                let has_tab = memchr::memchr(b'\t', line.as_bytes()).is_some();
                (line, has_tab)
            }
        };
        let line = line.as_ref();
        let trimmed = trim(line);
        if trimmed.is_empty() && line.starts_with('\t') && line.matches('\t').count() == 1 {
            // A blank cell printed on a line of its own.
            let b = block.get_or_insert_with(|| Row::new(RowKind::Cells, Vec::new()));
            b.cells.push(RowCell {
                text: String::new(),
                line: lineno,
                column: 2,
                index: b.cells.len() as u32,
            });
            in_cell = true;
            continue;
        }
        if trimmed.is_empty() && line.matches('\t').count() > 1 {
            // A tab row of blank cells only (the data row of an unfilled table).
            if let Some(b) = block.take() {
                rows.push(b);
            }
            in_cell = false;
            rows.push(Row::new(RowKind::Tab, cells_split(line, '\t', lineno)));
            continue;
        }
        if trimmed.is_empty() {
            // A blank line ends a row of cell lines. A line emptied by artefact removal does not.
            if trim(raw).is_empty() {
                if let Some(b) = block.take() {
                    rows.push(b);
                }
                in_cell = false;
            }
            continue;
        }
        if !has_tab && is_page_number(trimmed) {
            continue;
        }
        if has_tab {
            let after_tabs = line.trim_start_matches('\t');
            if line.starts_with('\t') && !after_tabs.contains('\t') {
                // One cell per line (a row of at most MAX_FIELDS cells).
                if block.as_ref().is_some_and(|b| b.cells.len() >= MAX_FIELDS) {
                    if let Some(b) = block.take() {
                        rows.push(b);
                    }
                }
                let b = block.get_or_insert_with(|| Row::new(RowKind::Cells, Vec::new()));
                let lead = line.len() - after_tabs.trim_start().len();
                b.cells.push(RowCell {
                    text: trim(after_tabs).to_string(),
                    line: lineno,
                    column: char_col(line, lead),
                    index: b.cells.len() as u32,
                });
                in_cell = true;
                continue;
            }
            if let Some(b) = block.take() {
                rows.push(b);
            }
            in_cell = false;
            rows.push(Row::new(RowKind::Tab, cells_split(line, '\t', lineno)));
            continue;
        }
        if in_cell && !starts_with_part_marker(trimmed) {
            if let Some(cell) = block.as_mut().and_then(|b| b.cells.last_mut()) {
                if cell.text.is_empty() {
                    // The cell's line printed nothing: its text starts here.
                    cell.line = lineno;
                    cell.column = char_col(line, line.len() - line.trim_start().len());
                }
                cell.text.push_str(trimmed);
                continue;
            }
        }
        if let Some(b) = block.take() {
            rows.push(b);
        }
        in_cell = false;
        if trimmed.starts_with('|') {
            if let Some(cells) = pipe_cells(line, lineno) {
                rows.push(Row::new(RowKind::Pipe, cells));
            }
            continue;
        }
        rows.push(Row::new(RowKind::Text, text_cells(line, lineno)));
    }
    if let Some(b) = block.take() {
        rows.push(b);
    }
    rows
}

/// Whether `text` is the label of a column of a standard table (a header cell, not a row).
fn is_column_header(text: &str) -> bool {
    let t = text.trim();
    [Format::F2021, Format::F2019].iter().any(|f| {
        catalogue::tables(*f).iter().any(|table| {
            table.rows.iter().any(|r| {
                r.columns
                    .iter()
                    .any(|c| c.label == t || c.aliases.contains(&t))
            })
        })
    })
}

/// Whether a row is one value alone on its line (LibreOffice's text export prints every table
/// cell on a line of its own, with no tab).
fn is_bare_value(row: &Row) -> bool {
    // A row's `label_len` is right (see `Bounded::push`): its one cell is no label, so a value
    // unless blank.
    row.kind == RowKind::Text
        && row.cells.len() == 1
        && row.label_len == 0
        && !trim(&row.cells[0].text).is_empty()
}

/// Join bare cell lines into rows: a run of lines that each print one value, with the empty
/// lines between and after them (empty cells), becomes one row of cells; a line with a label
/// and no value just before the run is its label. Empty lines after the run's last value are
/// kept as trailing blank cells: the table fitter drops them only where one reading exists.
fn join_bare_cells(mut rows: Vec<Row>, lines: &[String]) -> Vec<Row> {
    if !rows.iter().any(is_bare_value) {
        return rows;
    }
    let blank_line = |n: u32| {
        (n as usize)
            .checked_sub(1)
            .and_then(|i| lines.get(i))
            .is_some_and(|l| l.trim().is_empty())
    };
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        if !is_bare_value(&rows[i]) {
            // Moved out: a row is not looked at again once passed.
            out.push(take_row(&mut rows[i]));
            i += 1;
            continue;
        }
        // The run: bare values on consecutive lines, empty lines between them.
        let mut cells: Vec<RowCell> = Vec::new();
        let mut prev_line: Option<u32> = None;
        let mut j = i;
        while j < rows.len() && is_bare_value(&rows[j]) && cells.len() < MAX_FIELDS {
            let line = rows[j].line();
            if let Some(p) = prev_line {
                if !(p + 1..line).all(blank_line) {
                    break;
                }
                for l in p + 1..line {
                    cells.push(RowCell {
                        text: String::new(),
                        line: l,
                        column: 1,
                        index: 0,
                    });
                }
            }
            cells.push(rows[j].cells[0].clone());
            prev_line = Some(line);
            j += 1;
        }
        // The label printed on the line just before the run, when it is a row label of the
        // catalogue and not a column header (table 四's header ends with "总计" just above its
        // one row of values).
        let first_line = rows[i].line();
        let label_above = out.last().is_some_and(|prev| {
            prev.kind == RowKind::Text
                && !prev.has_values()
                && prev.label_len() == prev.cells.len()
                && prev.line() + 1 == first_line
                && !is_column_header(&prev.label())
                && crate::labels::match_row(&prev.label()).is_some()
        });
        // A single bare value without a label is an ordinary text line (a stray figure).
        if j - i == 1 && !label_above {
            out.push(take_row(&mut rows[i]));
            i += 1;
            continue;
        }
        // Trailing empty lines up to the next printed line.
        if let Some(p) = prev_line {
            let next = rows.get(j).map_or(lines.len() as u32 + 1, Row::line);
            for l in p + 1..next {
                if blank_line(l) {
                    cells.push(RowCell {
                        text: String::new(),
                        line: l,
                        column: 1,
                        index: 0,
                    });
                }
            }
        }
        let mut all = Vec::new();
        if label_above {
            if let Some(label) = out.pop() {
                all.extend(label.cells);
            }
        }
        all.extend(cells);
        for (k, c) in all.iter_mut().enumerate() {
            c.index = k as u32;
        }
        out.push(Row::new(RowKind::Cells, all));
        i = j;
    }
    out
}

/// The row at `slot`, leaving an empty row of the same kind (no allocation) in its place.
fn take_row(slot: &mut Row) -> Row {
    std::mem::replace(
        slot,
        Row {
            kind: slot.kind,
            cells: Vec::new(),
            label_len: 0,
        },
    )
}

/// Cut a printed row where a label follows values (the export lost a row break there), into
/// `out`.
fn cut_at_labels(row: Row, out: &mut Vec<Row>) {
    // Every row comes with its `label_len` right (`Row::new`, `Bounded::push`): no cell after it
    // is a label, so a cut (a label after a value) can only be within the first `label_len`
    // cells, and only those are classified. A row of one cell (most lines of a text) cannot be
    // cut; an empty row is dropped.
    debug_assert_eq!(
        row.label_len,
        row.cells
            .iter()
            .rposition(|c| classify(&c.text) == Class::Label)
            .map_or(0, |i| i + 1),
        "label_len of {row:?}"
    );
    if row.cells.len() <= 1 {
        if !row.cells.is_empty() {
            out.push(row);
        }
        return;
    }
    // Where the row is cut: (end of a piece, that piece's label_len), found in one pass.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut label_len = 0;
    let mut seen_value = false;
    for (i, cell) in row.cells[..row.label_len].iter().enumerate() {
        match classify(&cell.text) {
            Class::Label => {
                if seen_value {
                    cuts.push((i, label_len));
                    start = i;
                    seen_value = false;
                }
                label_len = i - start + 1;
            }
            Class::Value => seen_value = true,
            Class::Blank => {}
        }
    }
    let kind = row.kind;
    if cuts.is_empty() {
        // Most rows: kept whole, its cells not moved.
        out.push(row);
        return;
    }
    // Each piece in a vector of its own size (a piece split off a vector keeps the whole
    // vector's capacity: a wide row cut into hundreds of pieces held its width hundreds of times).
    let mut cells = row.cells.into_iter();
    let mut taken = 0;
    for (end, piece_label_len) in cuts {
        out.push(Row {
            kind,
            cells: cells.by_ref().take(end - taken).collect(),
            label_len: piece_label_len,
        });
        taken = end;
    }
    out.push(Row {
        kind,
        cells: cells.collect(),
        label_len,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_one_token_is_one_cell_as_the_tokenizer_makes_it() {
        for line in [
            "本年度收到申请12件。",
            "  总计  ",
            "\u{3000}（一）予以公开",
            "123",
            " 1,234 ",
            "—",
            "无",
            "\t２０２４年",
            "",
            "   ",
            "a b",
            "1 2",
        ] {
            assert_eq!(text_cells(line, 7), tokens_to_cells(line, 7), "{line:?}");
        }
        // And every line of the corpus's text files.
        for dir in ["seeds", "real"] {
            let dir = format!(
                "{}/../../../shared/corpus/{dir}",
                env!("CARGO_MANIFEST_DIR")
            );
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
            for entry in entries.flatten() {
                let Ok(text) = crate::decode::decode(&std::fs::read(entry.path()).unwrap()) else {
                    continue;
                };
                for line in &text.lines {
                    assert_eq!(text_cells(line, 1), tokens_to_cells(line, 1), "{line:?}");
                }
            }
        }
    }

    /// `classify` without its fast path: the full test of every text.
    fn classify_reference(text: &str) -> Class {
        let t = text.trim();
        if t.is_empty() {
            return Class::Blank;
        }
        classify_printed(t)
    }

    #[test]
    fn classify_answers_as_the_full_test_does() {
        let mut texts: Vec<String> = Vec::new();
        // Every line and word of the text files of the corpus (the seeds are required).
        for dir in ["seeds", "real"] {
            let dir = format!(
                "{}/../../../shared/corpus/{dir}",
                env!("CARGO_MANIFEST_DIR")
            );
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
            for entry in entries.flatten() {
                let Ok(text) = crate::decode::decode(&std::fs::read(entry.path()).unwrap()) else {
                    continue;
                };
                for line in text.lines {
                    texts.extend(line.split_whitespace().map(str::to_string));
                    texts.extend(line.split('\t').map(str::to_string));
                    texts.push(line);
                }
            }
        }
        let pieces = [
            "", "1", "0.5", "-", "+", "—", "无", "／", "万", "元", "%", "％", "e5", "NaN", "inf",
            " ", "　", "（", "一", "，", "251000", "1,234", "\u{a0}", "Ⅳ", "１", "件",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        assert!(texts.len() > 17_000, "{}", texts.len());
        for t in &texts {
            assert_eq!(classify(t), classify_reference(t), "{t:?}");
        }
    }

    fn lines(s: &str) -> Vec<String> {
        s.split('\n').map(str::to_string).collect()
    }

    fn texts(r: &Row) -> Vec<&str> {
        r.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn bare_cell_lines_join_into_rows() {
        // LibreOffice's text export: one cell per line, an empty line for an empty cell.
        let rows = split(&lines(
            "信息内容\n本年处理决定数量\n行政许可\n31\n行政规范性文件\n21\n\n23\n总计\n500\n501\n\n\n五、",
        ));
        let t: Vec<Vec<&str>> = rows.iter().map(texts).collect();
        assert!(t.contains(&vec!["行政许可", "31"]), "{t:?}");
        assert!(t.contains(&vec!["行政规范性文件", "21", "", "23"]), "{t:?}");
        // A column header above a run of values is not its label.
        assert!(t.contains(&vec!["总计"]), "{t:?}");
        assert!(t.contains(&vec!["500", "501", "", ""]), "{t:?}");
        let r = rows.iter().find(|r| r.label() == "行政规范性文件").unwrap();
        assert_eq!(r.cells[2].line, 7);
        // A lone number between paragraphs stays a text line.
        let rows = split(&lines("正文一段。\n\n2024\n\n正文二段。"));
        assert!(rows.iter().all(|r| r.kind == RowKind::Text));
    }

    #[test]
    fn tab_rows_keep_empty_cells() {
        let rows = split(&lines("\t\t\t\t\t0\t0\n(七) 总计\t\t1\t2"));
        assert_eq!(rows.len(), 2);
        assert_eq!(texts(&rows[0]), vec!["", "", "", "", "", "0", "0"]);
        assert_eq!(rows[1].label(), "(七) 总计");
        assert_eq!(rows[1].values().len(), 3);
        assert_eq!(rows[1].cells[2].column, 9);
    }

    #[test]
    fn cell_lines_form_rows_and_continue_wrapped_cells() {
        let rows = split(&lines(
            "\t规章\n\t 0 \n\t0\n\n\t信息内容\n\t本年新\n公开数量\n\t\n\n\t合计\n\t\n0",
        ));
        assert_eq!(rows.len(), 3);
        assert_eq!(texts(&rows[0]), vec!["规章", "0", "0"]);
        assert_eq!(texts(&rows[1]), vec!["信息内容", "本年新公开数量", ""]);
        assert_eq!(texts(&rows[2]), vec!["合计", "0"]);
        assert_eq!(rows[0].cells[1].line, 2);
        // A cell whose own line is empty is where its continuation prints it.
        assert_eq!((rows[2].cells[1].line, rows[2].cells[1].column), (12, 1));
        assert_eq!((rows[1].cells[1].line, rows[1].cells[1].column), (6, 2));
    }

    #[test]
    fn pipe_rows_and_separators() {
        let rows = split(&lines("| 规章 | 0 | 1 |\n|---|---|---|\n| | 2 |  |"));
        assert_eq!(rows.len(), 2);
        assert_eq!(texts(&rows[0]), vec!["规章", "0", "1"]);
        assert_eq!(texts(&rows[1]), vec!["", "2", ""]);
    }

    #[test]
    fn text_lines_split_label_and_trailing_numbers() {
        let rows = split(&lines(
            "行政处罚 3985758\n（四）无 1.本机关不掌握相关政府信息 746 12 0\n- 4 -",
        ));
        assert_eq!(rows.len(), 2);
        assert_eq!(texts(&rows[0]), vec!["行政处罚", "3985758"]);
        assert_eq!(
            texts(&rows[1]),
            vec!["（四）无 1.本机关不掌握相关政府信息", "746", "12", "0"]
        );
    }

    #[test]
    fn artefacts_are_removed() {
        let rows = split(&lines("[bookmark: _GoBack]（五）机构建设\n[image: ]"));
        assert_eq!(rows.len(), 1);
        assert_eq!(texts(&rows[0]), vec!["（五）机构建设"]);
    }

    /// A wide row cut into many pieces: each piece holds its own cells only (a piece split off
    /// the row's vector kept the whole vector's capacity: 1,000 cells cut 500 times held 250,000
    /// cells' room, and a 10 MB file of cell lines took 700 MB).
    #[test]
    fn the_pieces_of_a_cut_row_hold_only_their_cells() {
        let text: String = (0..500).map(|i| format!("\t项目{i}\n\t{i}\n")).collect();
        let rows = split(&lines(&text));
        let cells: usize = rows.iter().map(|r| r.cells.len()).sum();
        let room: usize = rows.iter().map(|r| r.cells.capacity()).sum();
        assert_eq!(cells, 1000);
        assert!(rows.len() >= 500, "{} rows", rows.len());
        assert!(room <= 2 * cells, "{room} cells' room for {cells} cells");
    }

    #[test]
    fn a_row_is_cut_where_a_label_follows_values() {
        let rows = split(&lines("\t规章\n\t0\n\t行政规范性文件\n\t1"));
        assert_eq!(rows.len(), 2);
        assert_eq!(texts(&rows[1]), vec!["行政规范性文件", "1"]);
    }

    /// [`is_page_number`] as it was first written (whitespace removed into a new string).
    fn is_page_number_reference(t: &str) -> bool {
        let dashes = ['-', '—', '–'];
        let inner = t.trim().trim_matches(dashes).trim();
        if t.trim().starts_with(dashes)
            && t.trim().ends_with(dashes)
            && (1..=4).contains(&inner.len())
            && inner.chars().all(|c| c.is_ascii_digit())
        {
            return true;
        }
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(n) = t.strip_prefix('第').and_then(|r| r.strip_suffix('页')) {
            return !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
        }
        if let Some((a, b)) = t.split_once('/') {
            return !a.is_empty()
                && !b.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
                && a.len() <= 3
                && b.len() <= 3;
        }
        false
    }

    #[test]
    fn page_numbers_read_as_the_first_test_read_them() {
        let pieces = [
            "第", "页", "/", "1", "12", "123", "1234", " ", "\u{3000}", "\t", "-", "—", "年", "a",
            "0",
        ];
        let mut cases = vec![
            "第 4 页".to_string(),
            "第4页".to_string(),
            "第页".to_string(),
            "第 4 页 5".to_string(),
            "第 12 页页".to_string(),
            "4 / 12".to_string(),
            "4/".to_string(),
            "/4".to_string(),
            "1234/1".to_string(),
            "1/1234".to_string(),
            "1/2/3".to_string(),
            "2020年，本机关".to_string(),
            "  12  /  3 ".to_string(),
            "1 2 / 3".to_string(),
        ];
        cases.extend(crate::every_string_of(&pieces, 4));
        for c in &cases {
            assert_eq!(is_page_number(c), is_page_number_reference(c), "{c:?}");
        }
        assert!(cases.len() > 50_000);
    }

    #[test]
    fn page_numbers_but_not_negative_numbers() {
        assert!(is_page_number("- 4 -"));
        assert!(is_page_number("— 12 —"));
        assert!(is_page_number("第 3 页"));
        assert!(!is_page_number("-3"));
        assert!(!is_page_number("3"));
        assert!(!is_page_number("2024"));
        assert!(!is_page_number("– 0 0 0 0 0 0 0 0 0 0 0 0 0 0 --"));
        assert!(!is_page_number("- 12345 -"));
    }

    #[test]
    fn classification() {
        assert_eq!(classify(" 0 "), Class::Value);
        assert_eq!(classify("96171.6"), Class::Value);
        assert_eq!(classify("-8"), Class::Value);
        assert_eq!(classify("/"), Class::Value);
        assert_eq!(classify("251000元"), Class::Value);
        assert_eq!(classify(""), Class::Blank);
        assert_eq!(classify("1.属于国家秘密"), Class::Label);
        assert_eq!(value("251000元"), Value::Text("251000元".into()));
        assert_eq!(value(" "), Value::Blank);
    }
}
