//! Rows → table cells.
//!
//! 1. **Classify** every row in document order: a row whose label names a catalogue row is a
//!    data row of that table (labels of tables 二 and 三 are disjoint); a row with values but no
//!    label belongs to the table being read (table 四's single row of 15 values has no label);
//!    label-only rows switch tables (captions, headers, titles) or, in space-aligned text, are
//!    fragments of a label wrapped over several lines.
//! 2. **Decide the format** from what the tables print (2019-only or 2021-only labels, the
//!    （六） rows), never from the year alone.
//! 3. **Fit** each row's value cells to the number of columns. Extra cells are accepted only if
//!    they are blank padding and exactly one way of dropping them exists; otherwise the row is
//!    not read and a finding says why.
//! 4. **Place** label-less rows of table 三 by their order between two labelled rows, only when
//!    the number of rows between them leaves exactly one placement, with a finding.

use std::borrow::Cow;
use std::collections::BTreeMap;

use xxgk_model::catalogue::{self, Format, RowDef, TableDef, TableId};
use xxgk_model::{Cell, CellId, Finding, Located, Severity, Span, TableSpan};

use crate::flat::{self, Split};
use crate::labels;
use crate::rows::{self, Class, Row, RowCell, RowKind};

#[derive(Debug, Default)]
pub struct TablesRead {
    /// The format the tables print, when they say.
    pub format: Option<Format>,
    pub cells: BTreeMap<CellId, Cell>,
    pub spans: Vec<TableSpan>,
    pub findings: Vec<Finding>,
    /// Cells put by the row readers of [`read`], merged into `cells` when they are done: one
    /// sort and a bulk build instead of ~200 B-tree inserts of a 120-byte entry each (8% of
    /// reading a text report).
    pub(crate) staged: Vec<(CellId, Cell)>,
}

impl TablesRead {
    /// Whether the cell was read (put or already in `cells`).
    fn has_cell(&self, id: &CellId) -> bool {
        self.cells.contains_key(id) || self.staged.iter().any(|(k, _)| k == id)
    }

    /// Move the staged cells into `cells`; a cell put twice keeps its later value, as an insert
    /// would.
    fn settle(&mut self) {
        let mut staged = std::mem::take(&mut self.staged);
        if staged.is_empty() {
            return;
        }
        if !self.cells.is_empty() {
            self.cells.extend(staged);
            return;
        }
        // Sorted by the cells' ranks in the catalogue, each with its index: one integer sort
        // (comparing ids cost as much as the inserts it replaced). Of equal ids the later put
        // sorts later and is the one kept, as an insert would keep it.
        let ranks = cell_ranks();
        let keyed: Option<Vec<u64>> = staged
            .iter()
            .enumerate()
            .map(|(i, (id, _))| {
                ranks
                    .get(&cell_addr(id))
                    .map(|r| u64::from(*r) << 32 | i as u64)
            })
            .collect();
        let order: Vec<usize> = match keyed {
            Some(mut keys) => {
                keys.sort_unstable();
                keys.iter().map(|k| (k & 0xFFFF_FFFF) as usize).collect()
            }
            // An id outside the catalogue (none is made today): compared as ids.
            None => {
                let mut order: Vec<usize> = (0..staged.len()).collect();
                order.sort_by(|&a, &b| staged[a].0.cmp(&staged[b].0));
                order
            }
        };
        let mut unique: Vec<(CellId, Cell)> = Vec::with_capacity(staged.len());
        for (k, &i) in order.iter().enumerate() {
            let id = staged[i].0;
            if order.get(k + 1).is_some_and(|&j| staged[j].0 == id) {
                continue;
            }
            let cell = std::mem::replace(
                &mut staged[i].1,
                Cell {
                    value: xxgk_model::Value::Blank,
                    span: Span::default(),
                    printed_column: None,
                    located: Located::Label,
                    ocr: None,
                },
            );
            unique.push((id, cell));
        }
        self.cells = unique.into_iter().collect();
    }
}

/// A cell id by the addresses of its keys: the catalogue's ids are made from its static rows and
/// columns, so the same cell has the same addresses (hashing the keys' text took 600
/// instructions a cell).
type CellAddr = (u8, usize, usize);

fn cell_addr(id: &CellId) -> CellAddr {
    (
        id.table as u8,
        id.row.as_ptr() as usize,
        id.column.as_ptr() as usize,
    )
}

/// FxHash: the keys are the catalogue's addresses, not text an adversary chooses (SipHash of
/// the keys' text cost 5% of reading).
type Ranks = rustc_hash::FxHashMap<CellAddr, u32>;

/// The rank of every cell of the catalogue ([`CellId::all`]) in `CellId` order, by the addresses
/// of its keys: equal ids, equal ranks. An id made elsewhere is not found, and
/// [`TablesRead::settle`] then compares the ids themselves.
fn cell_ranks() -> &'static Ranks {
    static RANKS: std::sync::OnceLock<Ranks> = std::sync::OnceLock::new();
    RANKS.get_or_init(|| {
        let mut ids: Vec<CellId> = CellId::all().collect();
        ids.sort();
        let mut ranks = Ranks::default();
        let mut rank = 0u32;
        for (i, id) in ids.iter().enumerate() {
            if i > 0 && ids[i - 1] != *id {
                rank += 1;
            }
            ranks.insert(cell_addr(id), rank);
        }
        ranks
    })
}

/// A data row found in the document.
#[derive(Debug)]
struct Record<'a> {
    table: TableId,
    /// The catalogue row its label names; `None` for a row without a readable label.
    key: Option<&'static str>,
    /// The label as printed (joined fragments for wrapped labels).
    label: Cow<'a, str>,
    /// The value cells; owned when split off a label that ends with digits.
    values: Cow<'a, [RowCell]>,
    kind: RowKind,
    line: u32,
    /// Cells in the printed row, and how many of them precede `values`: the row's shape.
    width: usize,
    label_len: usize,
}

/// Label fragments longer than this are narrative, not a wrapped table label.
const MAX_FRAGMENT_CHARS: usize = 40;
/// Longer label-only rows are narrative, not a caption, header or title (in bytes of UTF-8).
const MAX_HEADER_BYTES: usize = 90 * 3;
/// How many wrapped fragments a label may be made of.
const MAX_FRAGMENTS: usize = 12;

/// Narrative sentences, not table cells, carry sentence punctuation.
fn is_sentence(folded: &str) -> bool {
    folded.contains(['，', ',', '。', '；', ';'])
}

/// Catalogue texts that switch or identify tables, folded once.
struct Needles {
    balance: String,
    review: String,
    litigation: String,
    applicant: String,
    requests_title: String,
    block: String,
    active_title: String,
    active_header: String,
    only_2019: Vec<String>,
    only_2021: Vec<String>,
}

fn needles() -> &'static Needles {
    static NEEDLES: std::sync::OnceLock<Needles> = std::sync::OnceLock::new();
    NEEDLES.get_or_init(|| {
        let f = labels::fold;
        Needles {
            balance: f(catalogue::NOTE_BALANCE_KEY),
            review: f(catalogue::REVIEW_HEADER),
            litigation: f(catalogue::LITIGATION_HEADER),
            applicant: f(catalogue::APPLICANT_HEADER),
            requests_title: f(TableId::Requests.title()),
            block: f(catalogue::BLOCK_PREFIX),
            active_title: f(TableId::Active.title()),
            active_header: f(catalogue::ACTIVE_ROW_HEADER),
            only_2019: catalogue::LABELS_ONLY_2019.iter().map(|l| f(l)).collect(),
            only_2021: catalogue::LABELS_ONLY_2021.iter().map(|l| f(l)).collect(),
        }
    })
}

/// `folded` is a label folded by [`labels::fold`].
fn table_trigger(folded: &str) -> Option<TableId> {
    let f = folded;
    if f.chars().count() > MAX_FRAGMENT_CHARS + 10 {
        return None;
    }
    let n = needles();
    let has = |s: &String| f.contains(s.as_str());
    let is_sentence = |f: &str| is_sentence(f);
    // The 勾稽 note is the one header cell that is a sentence.
    if has(&n.balance) {
        return Some(TableId::Requests);
    }
    if is_sentence(f) {
        return None;
    }
    if has(&n.review) && has(&n.litigation) {
        return Some(TableId::Appeals);
    }
    if has(&n.applicant) || has(&n.requests_title) {
        return Some(TableId::Requests);
    }
    if has(&n.block)
        || has(&n.active_title)
        || f.starts_with(n.active_header.as_str())
        || n.only_2021.iter().chain(&n.only_2019).any(has)
    {
        return Some(TableId::Active);
    }
    None
}

/// The number of value cells a matched row prints, when the same in both formats.
fn width_of(m: labels::RowMatch) -> Option<usize> {
    let widths: Vec<usize> = Format::ALL
        .iter()
        .filter_map(|f| catalogue::table(*f, m.table).row(m.key))
        .chain((m.key == "other").then_some(&catalogue::ROW_OTHER_SINGLE))
        .map(|r| r.columns.len())
        .collect();
    match widths.as_slice() {
        [w, rest @ ..] if rest.iter().all(|x| x == w) => Some(*w),
        _ => None,
    }
}

/// A heading of part 五 or 六 ends the tables.
fn ends_tables(f: &str) -> bool {
    if f.chars().count() > MAX_FRAGMENT_CHARS {
        return false;
    }
    catalogue::PARTS[4..].iter().any(|p| {
        p.keywords
            .iter()
            .all(|group| group.iter().any(|k| f.contains(k)))
    })
}

/// What a row of labels only does to the table being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    /// It starts (or names) this table: [`table_trigger`].
    To(TableId),
    /// It starts part 五 or 六: [`ends_tables`].
    End,
    Stay,
}

thread_local! {
    /// What rows of labels only do, by label.
    static SWITCHES: labels::LabelCache<Switch> = labels::LabelCache::default();
}

/// [`table_trigger`], else [`ends_tables`], of the folded label; remembered, since folding and
/// the dozen searches of the catalogue's texts were 6% of reading a text report.
fn switch_of(label: &str) -> Switch {
    labels::remembered(&SWITCHES, label, |label| {
        let folded = labels::fold(label);
        match table_trigger(&folded) {
            Some(t) => Switch::To(t),
            None if ends_tables(&folded) => Switch::End,
            None => Switch::Stay,
        }
    })
}

pub fn read(rows: &[Row]) -> TablesRead {
    let mut out = TablesRead::default();
    // A report's three tables have about 250 cells: staged without regrowing.
    out.staged.reserve(256);
    let mut records: Vec<Record> = Vec::new();
    let mut current: Option<TableId> = None;
    let mut fragments: Vec<String> = Vec::new();
    // What each column header of table 二 says of its format (see `format_votes`).
    let mut header_votes: Vec<(usize, usize)> = Vec::new();

    for row in rows {
        let label = row.label_str();
        let values = row.values();
        let has_values = row.has_values();
        // Only a row with value cells can be a data row; narrative lines are not matched.
        let own = if label.is_empty() || values.is_empty() {
            None
        } else {
            labels::match_row(&label)
        };

        // A wrapped label in space-aligned text: try the fragments before this row.
        let (matched, full_label) = match own {
            Some(m) => (Some(m), label.clone()),
            None if row.kind == RowKind::Text && has_values => {
                let mut found: (_, Cow<str>) = (None, label.clone());
                for k in 1..=fragments.len() {
                    let joined = format!("{}{}", fragments[fragments.len() - k..].concat(), label);
                    // Fragments are weaker evidence than a label on the row itself: the
                    // values must also fit the row exactly.
                    if let Some(m) = labels::match_row(&joined) {
                        if width_of(m) == Some(values.len()) {
                            found = (Some(m), Cow::Owned(joined));
                        }
                        break;
                    }
                }
                found
            }
            None => (None, label.clone()),
        };

        if let Some(m) = matched {
            if has_values || (!values.is_empty() && row.kind != RowKind::Text) {
                current = Some(m.table);
                records.push(Record {
                    table: m.table,
                    key: Some(m.key),
                    label: full_label,
                    values: Cow::Borrowed(values),
                    kind: row.kind,
                    line: row.line(),
                    width: row.cells.len(),
                    label_len: row.label_len(),
                });
                fragments.clear();
                continue;
            }
        }

        if !has_values {
            if let Some(rec) = glued_row(row) {
                current = Some(rec.table);
                records.push(rec);
                fragments.clear();
                continue;
            }
        }

        if has_values {
            // A row of values without a readable label; a long or punctuated label is a
            // sentence of the narrative that happens to end with a number.
            // Folding keeps every character but whitespace: a long label is known to be a
            // sentence without being folded.
            // More than MAX_FRAGMENT_CHARS characters but whitespace (counted no further).
            let long = || {
                label
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .nth(MAX_FRAGMENT_CHARS)
                    .is_some()
            };
            if !label.is_empty() && (long() || is_sentence(&labels::fold(&label))) {
                fragments.clear();
                continue;
            }
            let table = match (current, values.len()) {
                (_, catalogue::APPEALS_WIDTH) if label.is_empty() => Some(TableId::Appeals),
                (Some(t), _) => Some(t),
                (None, _) => None,
            };
            if let Some(t) = table {
                records.push(Record {
                    table: t,
                    key: None,
                    label: full_label,
                    values: Cow::Borrowed(values),
                    kind: row.kind,
                    line: row.line(),
                    width: row.cells.len(),
                    label_len: row.label_len(),
                });
            }
            fragments.clear();
            continue;
        }

        // The data row of an unfilled table 四: exactly its width of empty tab fields under its
        // header (structured readers print blank cells as empty fields). Its cells are blank.
        if label.is_empty()
            && row.kind == RowKind::Tab
            && current == Some(TableId::Appeals)
            && values.len() == catalogue::APPEALS_WIDTH
            && values.iter().all(|c| c.text.is_empty())
        {
            records.push(Record {
                table: TableId::Appeals,
                key: None,
                label: full_label,
                values: Cow::Borrowed(values),
                kind: row.kind,
                line: row.line(),
                width: row.cells.len(),
                label_len: row.label_len(),
            });
            fragments.clear();
            continue;
        }

        // A row of labels only: a caption, a header, a title, or narrative. Narrative lines are
        // too long to be any of the first three and are not folded.
        // A label longer than `table_trigger` and `ends_tables` look at (folding keeps every
        // character but whitespace) is folded only to be kept as a header of table 二.
        let could_trigger = || {
            label
                .chars()
                .filter(|c| !c.is_whitespace())
                .nth(MAX_FRAGMENT_CHARS + 10)
                .is_none()
        };
        if label.len() <= MAX_HEADER_BYTES && (current == Some(TableId::Active) || could_trigger())
        {
            match switch_of(&label) {
                Switch::To(t) => current = Some(t),
                Switch::End => current = None,
                Switch::Stay => {}
            }
            if current == Some(TableId::Active) {
                header_votes.push(format_votes(&label));
            }
        }
        if row.kind == RowKind::Text && label.chars().nth(MAX_FRAGMENT_CHARS).is_none() {
            fragments.push(label.into_owned());
            if fragments.len() > MAX_FRAGMENTS {
                fragments.remove(0);
            }
        } else {
            fragments.clear();
        }
    }

    let active_format = active_format(&records, &header_votes);
    let requests_single = requests_single_other(&records);
    out.format = active_format.or(match requests_single {
        Some(true) => Some(Format::F2019),
        Some(false) => Some(Format::F2021),
        None => None,
    });

    read_active(&records, active_format.or(out.format), &mut out);
    read_requests(&records, requests_single, out.format, &mut out);
    read_appeals(&records, &mut out);
    out.settle();

    for table in TableId::ALL {
        let lines: Vec<u32> = records
            .iter()
            .filter(|r| r.table == table)
            .map(|r| r.line)
            .collect();
        if let (Some(first), Some(last)) = (lines.first(), lines.last()) {
            out.spans.push(TableSpan {
                table,
                start: Span::line(*first),
                end: Span::line(*last),
            });
        }
    }
    missing_rows(&mut out, requests_single);
    out
}

/// The identifier of the column that totals its group (table 三's 总计, each group of table 四).
const TOTAL_COLUMN: &str = "total";

/// A row of table 三 whose values ran into its label with no separator
/// ("一、本年新收政府信息公开申请数量640020470"): the label without the digits names a row, and
/// the digit run becomes one value cell, split later by [`split_glued`] if the totals allow.
fn glued_row(row: &Row) -> Option<Record<'_>> {
    let n = row.label_len();
    let cell = row.cells.get(n.checked_sub(1)?)?;
    let text = cell.text.as_str();
    let digits_at = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let digits = &text[digits_at..];
    if digits_at == 0 || !flat::is_digit_run(digits) {
        return None;
    }
    let mut label = row.label();
    label.truncate(label.len().saturating_sub(digits.len()));
    let m = labels::match_row(&label)?;
    if m.table != TableId::Requests {
        return None;
    }
    Some(Record {
        table: m.table,
        key: Some(m.key),
        label: Cow::Owned(label),
        values: Cow::Owned(vec![RowCell {
            text: digits.to_string(),
            line: cell.line,
            column: cell.column + text[..digits_at].chars().count() as u32,
            index: cell.index,
        }]),
        kind: row.kind,
        line: row.line(),
        width: row.cells.len(),
        label_len: n.saturating_sub(1),
    })
}

/// A row printed as one run of digits where it has several columns: split it if the totals
/// leave one reading (a finding says so), else report it unreadable. `None` when the row is not
/// such a run.
fn split_glued(
    table: TableId,
    row_label: &str,
    columns: &[&'static str],
    values: &[RowCell],
    line: u32,
    cells: Vec<CellId>,
) -> Option<Result<(Vec<RowCell>, Finding), Finding>> {
    let [cell] = values else { return None };
    if columns.len() < 2 || !flat::is_digit_run(&cell.text) {
        return None;
    }
    let groups = flat::groups(columns, TOTAL_COLUMN)?;
    let what = if row_label.is_empty() {
        format!("{} 第 {line} 行", table.short_name())
    } else {
        format!("{} 第 {line} 行“{row_label}”", table.short_name())
    };
    let digits = &cell.text;
    let unreadable = |why: String| {
        Finding::new(
            "READ-ROW-UNREADABLE",
            Severity::Error,
            format!(
                "{what}的 {} 个数值连成一串数字“{digits}”，{why}，本行未读取",
                columns.len()
            ),
        )
        .at(Span::line(line))
        .cells(cells.clone())
    };
    Some(match flat::split(digits, &groups) {
        Split::Unique(parts) => {
            let mut offset = 0u32;
            let split_cells = parts
                .iter()
                .map(|p| {
                    let c = RowCell {
                        text: p.clone(),
                        line: cell.line,
                        column: cell.column + offset,
                        index: cell.index,
                    };
                    offset += p.len() as u32;
                    c
                })
                .collect();
            let finding = Finding::new(
                "READ-ROW-SPLIT",
                Severity::Info,
                format!(
                    "{what}的数值连成一串数字“{digits}”，按“总计等于各列之和”只有一种拆分方式，已读作 {}",
                    parts.join(" ")
                ),
            )
            .at(Span::line(line))
            .cells(cells.clone());
            Ok((split_cells, finding))
        }
        Split::Ambiguous { readings, capped } => Err(unreadable(format!(
            "按“总计等于各列之和”有{}{readings} 种可能的拆分，无法确定",
            if capped { "至少 " } else { " " }
        ))),
        Split::Impossible => Err(unreadable(
            "任何拆分都不满足“总计等于各列之和”，无法确定".to_string(),
        )),
        Split::TooLong => Err(unreadable(format!(
            "数字串过长（{} 位，最多拆分 {} 位），无法确定",
            digits.len(),
            flat::MAX_DIGITS
        ))),
    })
}

thread_local! {
    /// [`format_votes`] of the labels met: the same headers head table 二 in every report.
    static VOTES: labels::LabelCache<(usize, usize)> = labels::LabelCache::default();
}

/// How many of the column headers that only the 2019 format and only the 2021 format print a
/// label of table 二's header names (after folding).
fn format_votes(label: &str) -> (usize, usize) {
    labels::remembered(&VOTES, label, |label| {
        let f = labels::fold(label);
        let n = needles();
        let count = |only: &[String]| only.iter().filter(|l| f.contains(l.as_str())).count();
        (count(&n.only_2019), count(&n.only_2021))
    })
}

/// The format table 二 prints: its column headers (their [`format_votes`]) and rows, then its
/// value counts.
fn active_format(records: &[Record], header_votes: &[(usize, usize)]) -> Option<Format> {
    let (mut v2019, mut v2021) = (0, 0);
    for (a, b) in header_votes {
        v2019 += a;
        v2021 += b;
    }
    for r in records.iter().filter(|r| r.table == TableId::Active) {
        if let Some("other_services" | "procurement") = r.key {
            v2019 += 2;
        }
    }
    if v2019 != v2021 {
        return Some(if v2019 > v2021 {
            Format::F2019
        } else {
            Format::F2021
        });
    }
    // No headers: decisions rows print three numbers in 2019, one in 2021.
    for r in records.iter().filter(|r| r.table == TableId::Active) {
        if matches!(r.key, Some("licensing" | "punishment" | "coercion")) {
            let n = r
                .values
                .iter()
                .filter(|c| rows::classify(&c.text) == Class::Value)
                .count();
            match n {
                1 => v2021 += 1,
                2 | 3 => v2019 += 1,
                _ => {}
            }
        }
    }
    match v2019.cmp(&v2021) {
        std::cmp::Ordering::Greater => Some(Format::F2019),
        std::cmp::Ordering::Less => Some(Format::F2021),
        std::cmp::Ordering::Equal => None,
    }
}

/// Does table 三 print the single （六）其他处理 row (`Some(true)`) or its three sub-rows?
fn requests_single_other(records: &[Record]) -> Option<bool> {
    let keys: Vec<&str> = records
        .iter()
        .filter(|r| r.table == TableId::Requests)
        .filter_map(|r| r.key)
        .collect();
    if keys.contains(&"other") {
        Some(true)
    } else if keys.iter().any(|k| {
        matches!(
            *k,
            "other_no_correction" | "other_unpaid_fee" | "other_other"
        )
    }) {
        Some(false)
    } else {
        None
    }
}

/// Why the value cells of a row could not be fitted to the columns.
enum Misfit {
    TooFew(usize),
    TooMany(usize),
    Ambiguous(usize),
}

/// Fit `values` to `n` columns, dropping blank padding at either end when exactly one way to do
/// so exists; returns the offset of the kept window. Space-aligned text cannot show blanks, so
/// there the count must be exact.
fn fit(values: &[RowCell], n: usize, kind: RowKind) -> Result<usize, Misfit> {
    let len = values.len();
    if len == n {
        return Ok(0);
    }
    if len < n || kind == RowKind::Text {
        return Err(if len < n {
            Misfit::TooFew(len)
        } else {
            Misfit::TooMany(len)
        });
    }
    let choices = windows(values, n);
    match choices.as_slice() {
        [] => Err(Misfit::TooMany(len)),
        [a] => Ok(*a),
        // Several placements: they agree only if every kept window is identical (all blank).
        many => {
            let first = &values[many[0]..many[0] + n];
            if many.iter().all(|a| {
                values[*a..*a + n]
                    .iter()
                    .zip(first)
                    .all(|(x, y)| x.text == y.text)
            }) {
                Ok(many[0])
            } else {
                Err(Misfit::Ambiguous(len))
            }
        }
    }
}

/// The offsets at which `n` of `values` can be kept, dropping only blank cells at the ends.
fn windows(values: &[RowCell], n: usize) -> Vec<usize> {
    let len = values.len();
    if len < n {
        return Vec::new();
    }
    let extra = len - n;
    let blank = |c: &RowCell| c.text.is_empty();
    let lead = values.iter().take_while(|c| blank(c)).count();
    let trail = values.iter().rev().take_while(|c| blank(c)).count();
    (0..=extra)
        .filter(|a| *a <= lead && extra - a <= trail)
        .collect()
}

/// Where the values of a table's rows sit, learned from the rows of one table whose padding
/// left one reading. A Markdown or Word table keeps one grid, so
/// - a row of the same shape (printed width, label cells) has its values in the same columns;
/// - a row of the same printed width ends its values in the same column (表三's values are
///   always its last seven columns, whatever the label cells before them).
///
/// Either is used only when every learned row of the table agrees on it.
#[derive(Default)]
struct Shapes {
    starts: BTreeMap<(usize, usize), std::collections::BTreeSet<usize>>,
    /// Printed width → fields printed after the values.
    trails: BTreeMap<usize, std::collections::BTreeSet<usize>>,
}

impl Shapes {
    fn learn(&mut self, r: &Record, n: usize) {
        if r.kind == RowKind::Text {
            return;
        }
        let Ok(a) = fit(&r.values, n, r.kind) else {
            return;
        };
        if r.values.len() != n && windows(&r.values, n).len() != 1 {
            return;
        }
        if r.values.len() != n {
            self.starts
                .entry((r.width, r.label_len))
                .or_default()
                .insert(a);
        }
        if r.width == r.label_len + r.values.len() {
            self.trails
                .entry(r.width)
                .or_default()
                .insert(r.values.len() - a - n);
        }
    }

    /// The one offset rows of this shape use, if the table agrees on one and it fits this row.
    fn offset(&self, r: &Record, n: usize) -> Option<usize> {
        let fitting = windows(&r.values, n);
        let one = |set: &std::collections::BTreeSet<usize>| {
            if set.len() == 1 {
                set.first().copied()
            } else {
                None
            }
        };
        if let Some(a) = self.starts.get(&(r.width, r.label_len)).and_then(one) {
            if fitting.contains(&a) {
                return Some(a);
            }
        }
        if r.width != r.label_len + r.values.len() {
            return None;
        }
        let trail = self.trails.get(&r.width).and_then(one)?;
        let a = r.values.len().checked_sub(trail + n)?;
        fitting.contains(&a).then_some(a)
    }
}

fn misfit_finding(table: TableId, label: &str, line: u32, n: usize, m: Misfit) -> Finding {
    let what = if label.is_empty() {
        "无行标签的数值行".to_string()
    } else {
        format!("“{label}”行")
    };
    let why = match m {
        Misfit::TooFew(k) => format!("只印有 {k} 个单元格，应为 {n} 个，无法确定缺少的是哪一列"),
        Misfit::TooMany(k) => format!("印有 {k} 个数值，多于应有的 {n} 个"),
        Misfit::Ambiguous(k) => {
            format!("印有 {k} 个单元格（应为 {n} 个），空白单元格可以对应不同的列，无法确定")
        }
    };
    Finding::new(
        "READ-ROW-UNREADABLE",
        Severity::Error,
        format!("{} 第 {line} 行{what}{why}，本行未读取", table.short_name()),
    )
    .at(Span::line(line))
}

fn put(
    out: &mut TablesRead,
    table: TableId,
    row: &'static RowDef,
    values: &[RowCell],
    located: Located,
) {
    for (col, cell) in row.columns.iter().zip(values) {
        let id = CellId {
            table,
            row: row.key,
            column: col.key,
        };
        out.staged.push((
            id,
            Cell {
                value: rows::value(&cell.text),
                span: Span {
                    line: cell.line,
                    column: Some(cell.column),
                    page: None,
                },
                printed_column: Some(cell.index),
                located,
                ocr: None,
            },
        ));
    }
}

fn row_cells(table: TableId, row: &RowDef) -> impl Iterator<Item = CellId> + '_ {
    row.columns.iter().map(move |c| CellId {
        table,
        row: row.key,
        column: c.key,
    })
}

fn duplicate_finding(table: TableId, row: &RowDef, line: u32) -> Finding {
    Finding::new(
        "READ-ROW-DUPLICATE",
        Severity::Warning,
        format!(
            "{} 第 {line} 行再次印有“{}”行，已按第一次出现的读取，本行未读取",
            table.short_name(),
            row.printed_label()
        ),
    )
    .at(Span::line(line))
    .cells(row_cells(table, row))
}

fn read_active(records: &[Record], format: Option<Format>, out: &mut TablesRead) {
    let format = format.unwrap_or(Format::F2021);
    let def = catalogue::table(format, TableId::Active);
    let other = catalogue::table(
        if format == Format::F2021 {
            Format::F2019
        } else {
            Format::F2021
        },
        TableId::Active,
    );
    for r in records.iter().filter(|r| r.table == TableId::Active) {
        let Some(key) = r.key else {
            if r.values.iter().any(|c| !c.text.is_empty()) {
                out.findings.push(stray_finding(r));
            }
            continue;
        };
        // A row the format does not have (an old-format row in a 2021 table) is read as printed.
        let Some(row) = def.row(key).or_else(|| other.row(key)) else {
            continue;
        };
        let id = CellId {
            table: TableId::Active,
            row: row.key,
            column: row.columns[0].key,
        };
        if out.has_cell(&id) {
            out.findings
                .push(duplicate_finding(TableId::Active, row, r.line));
            continue;
        }
        // Table 二 rows are left-aligned: a narrower block leaves trailing padding.
        let n = row.columns.len();
        let fitted = match fit(&r.values, n, r.kind) {
            Ok(a) => Ok(&r.values[a..a + n]),
            Err(_) if r.values.len() > n && r.values[n..].iter().all(|c| c.text.is_empty()) => {
                Ok(&r.values[..n])
            }
            Err(e) => Err(e),
        };
        match fitted {
            Ok(v) => put(out, TableId::Active, row, v, Located::Label),
            Err(m) => out.findings.push(
                misfit_finding(TableId::Active, &r.label, r.line, n, m)
                    .cells(row_cells(TableId::Active, row)),
            ),
        }
    }
}

fn stray_finding(r: &Record) -> Finding {
    let printed: Vec<&str> = r.values.iter().map(|c| c.text.as_str()).collect();
    // The line of the first printed value (a wrapped label may start on an earlier line).
    let line = r
        .values
        .iter()
        .find(|c| !c.text.is_empty())
        .map_or(r.line, |c| c.line);
    Finding::new(
        "READ-STRAY-VALUES",
        Severity::Info,
        format!(
            "{} 第 {} 行的数值“{}”不属于表格的任何一行，未读取",
            r.table.short_name(),
            line,
            printed.join(" ")
        ),
    )
    .at(Span::line(line))
}

fn read_requests(
    records: &[Record],
    single: Option<bool>,
    format: Option<Format>,
    out: &mut TablesRead,
) {
    let def: &TableDef = match (single, format) {
        (Some(true), _) | (None, Some(Format::F2019)) => &catalogue::REQUESTS_2019,
        _ => &catalogue::REQUESTS_2021,
    };
    let width = catalogue::APPLICANT_COLUMNS.len();
    let recs: Vec<&Record> = records
        .iter()
        .filter(|r| r.table == TableId::Requests)
        .collect();
    let mut shapes = Shapes::default();
    for r in &recs {
        shapes.learn(r, width);
    }

    // Position of each labelled row in the table; out-of-order labels are not anchors.
    let mut anchors: Vec<(usize, usize)> = Vec::new(); // (record index, row index)
    for (i, r) in recs.iter().enumerate() {
        let Some(idx) = r.key.and_then(|k| def.row_index(k)) else {
            continue;
        };
        if anchors.last().is_some_and(|(_, last)| *last >= idx) {
            continue;
        }
        anchors.push((i, idx));
    }

    let mut placed: Vec<Option<(usize, Located)>> = vec![None; recs.len()];
    for (i, idx) in &anchors {
        placed[*i] = Some((*idx, Located::Label));
    }
    // Rows without labels between two anchors, when their count leaves one placement.
    for w in anchors.windows(2) {
        let ((ia, ra), (ib, rb)) = (w[0], w[1]);
        let between: Vec<usize> = (ia + 1..ib)
            .filter(|i| recs[*i].key.is_none() && fits(recs[*i], width, &shapes))
            .collect();
        let labelled_between = (ia + 1..ib).any(|i| recs[i].key.is_some());
        if !between.is_empty() && !labelled_between && between.len() == rb - ra - 1 {
            for (k, i) in between.iter().enumerate() {
                placed[*i] = Some((ra + 1 + k, Located::Order));
            }
        }
    }

    for (i, r) in recs.iter().enumerate() {
        let Some((idx, located)) = placed[i] else {
            if let Some(key) = r.key {
                // A label out of order or not in this format's table.
                if let Some(row) = def.row(key).or(if key == "other" {
                    Some(&catalogue::ROW_OTHER_SINGLE)
                } else {
                    None
                }) {
                    let id = CellId {
                        table: TableId::Requests,
                        row: row.key,
                        column: "total",
                    };
                    if out.has_cell(&id) || anchors.iter().any(|(_, x)| def.rows[*x].key == key) {
                        out.findings
                            .push(duplicate_finding(TableId::Requests, row, r.line));
                    } else {
                        put_fitted(out, row, r, width, Located::Label, &shapes);
                    }
                }
            } else if !fits(r, width, &shapes) {
                out.findings.push(stray_finding(r));
            } else if r.values.iter().any(|c| !c.text.is_empty()) {
                out.findings.push(unplaced_finding(r));
            }
            continue;
        };
        let row = &def.rows[idx];
        if located == Located::Order {
            let printed = if r.label.is_empty() {
                String::new()
            } else {
                format!("（印有无法识别的标签“{}”）", r.label)
            };
            out.findings.push(
                Finding::new(
                    "READ-ROW-BY-ORDER",
                    Severity::Info,
                    format!(
                        "表三 第 {} 行的数值行没有可识别的行标签{printed}，按其在前后两个已识别行之间的位置读作“{}”",
                        r.line,
                        row.printed_label()
                    ),
                )
                .at(Span::line(r.line))
                .cells(row_cells(TableId::Requests, row)),
            );
        }
        put_fitted(out, row, r, width, located, &shapes);
    }
}

fn fits(r: &Record, width: usize, shapes: &Shapes) -> bool {
    fit(&r.values, width, r.kind).is_ok() || shapes.offset(r, width).is_some()
}

fn unplaced_finding(r: &Record) -> Finding {
    let printed: Vec<&str> = r.values.iter().map(|c| c.text.as_str()).collect();
    Finding::new(
        "READ-ROW-UNPLACED",
        Severity::Error,
        format!(
            "{} 第 {} 行的数值行（{}）没有可识别的行标签，无法确定是哪一行，未读取",
            r.table.short_name(),
            r.line,
            printed.join(" ")
        ),
    )
    .at(Span::line(r.line))
}

fn put_fitted(
    out: &mut TablesRead,
    row: &'static RowDef,
    r: &Record,
    width: usize,
    located: Located,
    shapes: &Shapes,
) {
    let columns: Vec<&'static str> = row.columns.iter().map(|c| c.key).collect();
    match fit(&r.values, width, r.kind) {
        Ok(a) => put(out, r.table, row, &r.values[a..a + width], located),
        Err(_) if r.values.len() == 1 && flat::is_digit_run(&r.values[0].text) => {
            let ids: Vec<CellId> = row_cells(r.table, row).collect();
            match split_glued(
                r.table,
                &row.printed_label(),
                &columns,
                &r.values,
                r.line,
                ids,
            ) {
                Some(Ok((cells, finding))) => {
                    put(out, r.table, row, &cells, located);
                    out.findings.push(finding);
                }
                Some(Err(finding)) => out.findings.push(finding),
                None => out.findings.push(
                    misfit_finding(r.table, &r.label, r.line, width, Misfit::TooFew(1))
                        .cells(row_cells(r.table, row)),
                ),
            }
        }
        Err(m) => match shapes.offset(r, width) {
            Some(a) => {
                out.findings.push(
                    Finding::new(
                        "READ-ROW-BY-COLUMNS",
                        Severity::Info,
                        format!(
                            "{} 第 {} 行“{}”的空白单元格可对应不同的列，已按同一表格中同样排版的其他行的列位置读取",
                            r.table.short_name(),
                            r.line,
                            row.printed_label()
                        ),
                    )
                    .at(Span::line(r.line))
                    .cells(row_cells(r.table, row)),
                );
                put(out, r.table, row, &r.values[a..a + width], located);
            }
            None => out.findings.push(
                misfit_finding(r.table, &r.label, r.line, width, m).cells(row_cells(r.table, row)),
            ),
        },
    }
}

fn read_appeals(records: &[Record], out: &mut TablesRead) {
    let def = &catalogue::APPEALS_2021;
    let mut pending: Vec<RowCell> = Vec::new();
    let mut first_line = 0;
    let mut kind = RowKind::Tab;
    let mut done = false;
    for r in records.iter().filter(|r| r.table == TableId::Appeals) {
        if done {
            if r.values.iter().any(|c| !c.text.is_empty()) {
                out.findings.push(stray_finding(r));
            }
            continue;
        }
        if pending.is_empty() {
            first_line = r.line;
            kind = r.kind;
        }
        pending.extend(r.values.iter().cloned());
        if pending.len() >= catalogue::APPEALS_WIDTH {
            match fit(&pending, catalogue::APPEALS_WIDTH, kind) {
                Ok(a) => {
                    let v = pending[a..a + catalogue::APPEALS_WIDTH].to_vec();
                    for (g, row) in def.rows.iter().enumerate() {
                        let n = row.columns.len();
                        put(
                            out,
                            TableId::Appeals,
                            row,
                            &v[g * n..(g + 1) * n],
                            Located::Label,
                        );
                    }
                }
                Err(m) => out.findings.push(misfit_finding(
                    TableId::Appeals,
                    "",
                    first_line,
                    catalogue::APPEALS_WIDTH,
                    m,
                )),
            }
            done = true;
        }
    }
    if !done && pending.len() == 1 && flat::is_digit_run(&pending[0].text) {
        let columns: Vec<&'static str> = def
            .rows
            .iter()
            .flat_map(|r| r.columns.iter().map(|c| c.key))
            .collect();
        let ids: Vec<CellId> = def
            .rows
            .iter()
            .flat_map(|r| row_cells(TableId::Appeals, r))
            .collect();
        if let Some(result) = split_glued(TableId::Appeals, "", &columns, &pending, first_line, ids)
        {
            match result {
                Ok((cells, finding)) => {
                    for (g, row) in def.rows.iter().enumerate() {
                        let n = row.columns.len();
                        put(
                            out,
                            TableId::Appeals,
                            row,
                            &cells[g * n..(g + 1) * n],
                            Located::Label,
                        );
                    }
                    out.findings.push(finding);
                }
                Err(finding) => out.findings.push(finding),
            }
            done = true;
        }
    }
    if !done && !pending.is_empty() {
        out.findings.push(misfit_finding(
            TableId::Appeals,
            "",
            first_line,
            catalogue::APPEALS_WIDTH,
            Misfit::TooFew(pending.len()),
        ));
    }
}

/// Every row of a table that was found but not read gets a finding; a table not found at all
/// gets one finding naming all its cells. Either way every cell the format has is read or named.
pub(crate) fn missing_rows(out: &mut TablesRead, single: Option<bool>) {
    let format = out.format.unwrap_or(Format::F2021);
    // The cells the findings name, collected once (a file of 70,000 repeated rows has as many
    // findings: scanning them for every row of the catalogue was the reader's slowest step).
    let named: std::collections::HashSet<CellId> = out
        .findings
        .iter()
        .flat_map(|f| f.cells.iter().copied())
        .collect();
    for table in TableId::ALL {
        let def = catalogue::table(format, table).rows_for(single == Some(true));
        let found =
            out.cells.keys().any(|k| k.table == table) || named.iter().any(|c| c.table == table);
        if !found {
            out.findings.push(
                Finding::new(
                    "READ-TABLE-MISSING",
                    Severity::Error,
                    format!(
                        "未读到{}（{}）：表格缺失、以图片形式发布或无法识别",
                        table.short_name(),
                        table.title()
                    ),
                )
                .cells(def.iter().flat_map(|r| row_cells(table, r))),
            );
            continue;
        }
        for row in def {
            let ids: Vec<CellId> = row_cells(table, row).collect();
            let read = ids.iter().any(|id| out.cells.contains_key(id));
            let reported = ids.iter().any(|c| named.contains(c));
            if !read && !reported {
                out.findings.push(
                    Finding::new(
                        "READ-ROW-MISSING",
                        Severity::Warning,
                        format!("{} 未读到“{}”行", table.short_name(), row.printed_label()),
                    )
                    .cells(ids),
                );
            }
        }
    }
}

/// Printed values that are not numbers the model holds ([`rows::odd_value`]) are kept as the
/// printed text, never turned into a blank, each with a finding saying what it is. A grouped
/// number ("1 234", "1,234") is read as one number only when another cell of its column is
/// grouped the same way (then the grouping is the table's style, not two numbers run together).
pub fn settle_odd_values(
    format: Option<Format>,
    cells: &mut BTreeMap<CellId, Cell>,
    findings: &mut Vec<Finding>,
) {
    use xxgk_model::Value;
    // Columns (table, column key) with grouped cells, per separator: how many.
    let mut grouped: BTreeMap<(TableId, &'static str, char), usize> = BTreeMap::new();
    for (id, cell) in cells.iter() {
        if let Value::Text(t) = &cell.value {
            if let Some(rows::Odd::Grouped { sep, .. }) = rows::odd_value(t) {
                *grouped.entry((id.table, id.column, sep)).or_default() += 1;
            }
        }
    }
    for (id, cell) in cells.iter_mut() {
        let Value::Text(t) = &cell.value else {
            continue;
        };
        let Some(odd) = rows::odd_value(t) else {
            continue;
        };
        let name = match catalogue::find_cell(format, id.table, id.row, id.column) {
            Some((row, column)) => format!(
                "{}“{}”行“{}”列",
                id.table.short_name(),
                row.label,
                column.label
            ),
            None => format!("{} {id}", id.table.short_name()),
        };
        let finding = match odd {
            rows::Odd::Grouped { value, sep } => {
                if grouped
                    .get(&(id.table, id.column, sep))
                    .copied()
                    .unwrap_or(0)
                    >= 2
                {
                    cell.value = Value::Number(value);
                    continue;
                }
                Finding::new(
                    "READ-VALUE-GROUPED",
                    Severity::Warning,
                    format!(
                        "{name}印有分组书写的数字“{t}”，同列其他单元格没有同样的分组，无法确定是一个数（{value}）还是几个数，按原文保留为文字"
                    ),
                )
            }
            rows::Odd::TooLarge(why) => Finding::new(
                "READ-VALUE-TOO-LARGE",
                Severity::Warning,
                format!("{name}印有“{t}”：{why}，超出可精确处理的范围，按原文保留为文字"),
            ),
            rows::Odd::NotANumber(why) => Finding::new(
                "READ-VALUE-NOT-NUMBER",
                Severity::Warning,
                format!("{name}印有“{t}”：{why}，按原文保留为文字"),
            ),
        };
        findings.push(finding.at(cell.span).cells([*id]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::Value;

    fn read_text(text: &str) -> TablesRead {
        let lines: Vec<String> = text
            .split('\n')
            .map(crate::decode::normalize_line)
            .collect();
        read(&rows::split(&lines))
    }

    #[test]
    fn the_switch_cache_answers_as_the_searches_do() {
        let uncached = |label: &str| {
            let folded = labels::fold(label);
            match table_trigger(&folded) {
                Some(t) => Switch::To(t),
                None if ends_tables(&folded) => Switch::End,
                None => Switch::Stay,
            }
        };
        for label in [
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "信息内容",
            "本年新收政府信息公开申请数量",
            "申请人情况",
            "行政复议",
            "（一）予以公开",
            "",
        ] {
            let first = switch_of(label);
            assert_eq!(first, uncached(label), "{label}");
            assert_eq!(switch_of(label), first, "{label} (cached)");
        }
        assert_eq!(switch_of("五、存在的主要问题及改进情况"), Switch::End);
        assert_eq!(
            switch_of("三、收到和处理政府信息公开申请情况"),
            Switch::To(TableId::Requests)
        );
    }

    #[test]
    fn cell_ranks_order_the_catalogue_as_cell_ids_do() {
        let ranks = cell_ranks();
        let ids: Vec<CellId> = CellId::all().collect();
        assert!(ids.len() >= 200, "{}", ids.len());
        for a in &ids {
            for b in &ids {
                let (ra, rb) = (ranks[&cell_addr(a)], ranks[&cell_addr(b)]);
                assert_eq!(ra.cmp(&rb), a.cmp(b), "{a} {b}");
            }
        }
    }

    #[test]
    fn staged_cells_settle_as_inserts_would() {
        let cell = |n: i64| Cell {
            value: Value::int(n),
            span: Span::line(n as u32),
            printed_column: None,
            located: Located::Label,
            ocr: None,
        };
        let ids: Vec<CellId> = CellId::all().collect();
        // A fixed shuffle with repeats: every 7th id of a long walk over the catalogue.
        let picks: Vec<CellId> = (0..600).map(|k| ids[(k * 7919) % ids.len()]).collect();
        let outside = CellId {
            table: TableId::Requests,
            row: "not_a_row",
            column: "total",
        };
        for with_outside in [false, true] {
            let mut staged = TablesRead::default();
            let mut inserted = BTreeMap::new();
            for (n, id) in picks.iter().enumerate() {
                staged.staged.push((*id, cell(n as i64)));
                inserted.insert(*id, cell(n as i64));
                if with_outside && n == 300 {
                    staged.staged.push((outside, cell(-1)));
                    inserted.insert(outside, cell(-1));
                }
            }
            staged.settle();
            assert_eq!(staged.cells, inserted, "outside: {with_outside}");
            assert!(staged.staged.is_empty());
        }
    }

    fn get(t: &TablesRead, key: &str) -> Option<Value> {
        let id = CellId::parse(key)?;
        t.cells.get(&id).map(|c| c.value.clone())
    }

    fn rules(t: &TablesRead) -> Vec<&'static str> {
        t.findings.iter().map(|f| f.rule).collect()
    }

    const T3_HEAD: &str =
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n";

    #[test]
    fn tab_rows_right_align_values_after_label_padding() {
        let t = read_text(&format!(
            "{T3_HEAD}一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n(七) 总计\t\t1\t0\t0\t0\t0\t0\t1\n"
        ));
        assert_eq!(get(&t, "requests.new_received.total"), Some(Value::int(3)));
        assert_eq!(
            get(&t, "requests.total.natural_person"),
            Some(Value::int(1))
        );
        let c = &t.cells[&CellId::parse("requests.total.total").unwrap()];
        assert_eq!((c.span.line, c.printed_column), (3, Some(8)));
    }

    #[test]
    fn a_blank_cell_stays_blank() {
        let t = read_text(&format!(
            "{T3_HEAD}\t\t3.补正后申请内容仍不明确\t\t0\t0\t0\t0\t0\t0\n"
        ));
        assert_eq!(
            get(
                &t,
                "requests.unavailable_unclear_after_correction.natural_person"
            ),
            Some(Value::Blank)
        );
        assert_eq!(
            get(&t, "requests.unavailable_unclear_after_correction.total"),
            Some(Value::int(0))
        );
    }

    #[test]
    fn ambiguous_padding_is_not_guessed() {
        // Eight cells for seven columns, blank at both ends: either end could be the padding.
        let t = read_text(&format!("{T3_HEAD}(七) 总计\t\t1\t0\t0\t0\t0\t1\t\n"));
        assert_eq!(get(&t, "requests.total.total"), None);
        assert!(rules(&t).contains(&"READ-ROW-UNREADABLE"));
    }

    #[test]
    fn one_cell_per_line_with_wrapped_cells() {
        let t = read_text(
            "\t第二十条第（一）项\n\n\t信息内容\n\t本年新\n制作数量\n\t本年新公开数量\n\t对外公开\n总数量\n\n\t规章\n\t 0 \n\t1\n\t2\n\n\t行政许可\n\t7\n\t-3\n\t11\n",
        );
        assert_eq!(t.format, Some(Format::F2019));
        assert_eq!(get(&t, "active.rules.total_published"), Some(Value::int(2)));
        assert_eq!(get(&t, "active.licensing.change"), Some(Value::int(-3)));
    }

    #[test]
    fn markdown_rows_whose_columns_do_not_line_up() {
        let t = read_text(&format!(
            "| {} | | 申请人情况 | | | | | | 总计 | |\n|---|---|---|---|---|---|---|---|---|---|\n| 一、本年新收政府信息公开申请数量 | | 5 | 0 | 0 | 0 | 0 | 0 | 5 | |\n| | | 1. 属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n",
            catalogue::NOTE_BALANCE
        ));
        assert_eq!(
            get(&t, "requests.new_received.natural_person"),
            Some(Value::int(5))
        );
        assert_eq!(
            get(&t, "requests.denied_state_secret.total"),
            Some(Value::int(1))
        );
    }

    #[test]
    fn space_aligned_text_with_wrapped_and_vertical_labels() {
        let t = read_text(&format!(
            "{T3_HEAD}三、\n本\n年\n（一）予以公开 12 1 0 0 0 0 13\n（二）部分公开（区分处理的，只计这一情\n形，不计其他情形） 4 0 0 0 0 0 4\n（三）不\n予公开\n1.属于国家秘密 2 0 0 0 0 0 2\n"
        ));
        assert_eq!(get(&t, "requests.granted.total"), Some(Value::int(13)));
        assert_eq!(
            get(&t, "requests.partially_granted.natural_person"),
            Some(Value::int(4))
        );
        assert_eq!(
            get(&t, "requests.denied_state_secret.total"),
            Some(Value::int(2))
        );
    }

    #[test]
    fn space_aligned_row_missing_a_number_is_not_read() {
        let t = read_text(&format!("{T3_HEAD}（一）予以公开 12 1 0 0 0 13\n"));
        assert_eq!(get(&t, "requests.granted.total"), None);
        assert!(rules(&t).contains(&"READ-ROW-UNREADABLE"));
    }

    #[test]
    fn single_other_row_in_a_2021_table_is_read_as_printed() {
        let t = read_text(&format!(
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n{T3_HEAD}\t(六) 其他处理\t\t2\t0\t0\t0\t0\t0\t2\n"
        ));
        assert_eq!(t.format, Some(Format::F2021));
        assert_eq!(get(&t, "requests.other.total"), Some(Value::int(2)));
        assert_eq!(get(&t, "requests.other_other.total"), None);
        // The three sub-rows are not reported missing: the table prints one row instead.
        assert!(!t
            .findings
            .iter()
            .any(|f| f.message.contains("申请人无正当理由")));
    }

    #[test]
    fn rows_without_labels_are_placed_only_when_unique() {
        let seven = "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |";
        // One unlabelled row between （一） and 1.属于国家秘密: it can only be （二）.
        let t = read_text(&format!(
            "{T3_HEAD}| （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n{seven}\n| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        ));
        let c = &t.cells[&CellId::parse("requests.partially_granted.total").unwrap()];
        assert_eq!(c.located, Located::Order);
        assert!(rules(&t).contains(&"READ-ROW-BY-ORDER"));
        // Two unlabelled rows where only one fits: neither is placed.
        let t = read_text(&format!(
            "{T3_HEAD}| （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n{seven}\n{seven}\n| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        ));
        assert_eq!(get(&t, "requests.partially_granted.total"), None);
        assert_eq!(
            rules(&t)
                .iter()
                .filter(|r| **r == "READ-ROW-UNPLACED")
                .count(),
            2
        );
    }

    #[test]
    fn ambiguous_padding_follows_rows_of_the_same_shape() {
        // （二） shows that rows labelled in the second cell keep their values in cells 4–10;
        // （一）, blank at both ends, is then read the same way: its 总计 is the blank.
        let head = format!(
            "| {} | | | 申请人情况 | | | | | | |\n|---|---|---|---|---|---|---|---|---|---|\n",
            catalogue::NOTE_BALANCE
        );
        let t = read_text(&format!(
            "{head}| 三、本年度办理结果 | （一）予以公开 | | 7 | 0 | 3 | 4 | 2 | 4 | |\n| | （二）部分公开 | | 9 | 0 | 0 | 2 | 0 | 0 | 11 |\n"
        ));
        assert_eq!(
            get(&t, "requests.granted.natural_person"),
            Some(Value::int(7))
        );
        assert_eq!(get(&t, "requests.granted.total"), Some(Value::Blank));
        assert!(rules(&t).contains(&"READ-ROW-BY-COLUMNS"));
        // Without a row of the same shape, the same row is not guessed.
        let t = read_text(&format!(
            "{head}| 三、本年度办理结果 | （一）予以公开 | | 7 | 0 | 3 | 4 | 2 | 4 | |\n"
        ));
        assert_eq!(get(&t, "requests.granted.total"), None);
        assert!(rules(&t).contains(&"READ-ROW-UNREADABLE"));
    }

    #[test]
    fn digits_run_into_the_label_are_split_only_when_the_total_decides() {
        let t = read_text(&format!(
            "{T3_HEAD}一、本年新收政府信息公开申请数量640020470\n\
             二、上年结转政府信息公开申请数量110000011\n\
             四、结转下年度继续办理 12080132134\n\
             （七）总计{}\n",
            "1".repeat(41)
        ));
        // Unique: 64+0+0+2+0+4 = 70.
        let row: Vec<Option<Value>> = [
            "natural_person",
            "commercial_enterprise",
            "research_institution",
            "social_welfare_organization",
            "legal_service_organization",
            "other_organization",
            "total",
        ]
        .iter()
        .map(|c| get(&t, &format!("requests.new_received.{c}")))
        .collect();
        let n = |v: i64| Some(Value::Number(xxgk_model::Number::Int(v)));
        assert_eq!(row, vec![n(64), n(0), n(0), n(2), n(0), n(4), n(70)]);
        // A run after a space splits the same way: 120 8 0 1 3 2 134.
        assert_eq!(get(&t, "requests.carried_forward.natural_person"), n(120));
        assert_eq!(get(&t, "requests.carried_forward.total"), n(134));
        let split: Vec<&Finding> = t
            .findings
            .iter()
            .filter(|f| f.rule == "READ-ROW-SPLIT")
            .collect();
        assert_eq!(split.len(), 2, "{:?}", t.findings);
        assert!(split[0].message.contains("只有一种拆分方式"));
        assert_eq!(split[0].severity, Severity::Info);
        assert_eq!(split[0].cells.len(), 7);
        // Ambiguous: 1 10 0 0 0 0 11 or 11 0 0 0 0 0 11 — not read.
        assert_eq!(get(&t, "requests.carried_over.total"), None);
        let unreadable: Vec<&Finding> = t
            .findings
            .iter()
            .filter(|f| f.rule == "READ-ROW-UNREADABLE")
            .collect();
        assert_eq!(unreadable.len(), 2, "{:?}", t.findings);
        assert!(
            unreadable[0].message.contains("有 2 种可能的拆分"),
            "{}",
            unreadable[0].message
        );
        assert!(unreadable[0].message.contains("110000011"));
        // Too long: 41 digits.
        assert!(
            unreadable[1].message.contains("过长（41 位"),
            "{}",
            unreadable[1].message
        );
        assert_eq!(get(&t, "requests.total.total"), None);
    }

    #[test]
    fn table_four_digits_run_together_split_by_group_totals() {
        let head = "行政复议 行政诉讼\n";
        let t = read_text(&format!("{head}210141001200000\n"));
        let n = |v: i64| Some(Value::Number(xxgk_model::Number::Int(v)));
        assert_eq!(get(&t, "appeals.review.upheld"), n(2));
        assert_eq!(get(&t, "appeals.review.total"), n(4));
        assert_eq!(get(&t, "appeals.litigation_direct.pending"), n(1));
        assert_eq!(get(&t, "appeals.litigation_after_review.total"), n(0));
        assert!(rules(&t).contains(&"READ-ROW-SPLIT"), "{:?}", t.findings);
        // 14 digits: no reading.
        let t = read_text(&format!("{head}21014100120000\n"));
        assert_eq!(get(&t, "appeals.review.upheld"), None);
        assert!(
            rules(&t).contains(&"READ-ROW-UNREADABLE"),
            "{:?}",
            t.findings
        );
    }

    #[test]
    fn table_four_single_row_of_fifteen() {
        let t = read_text("行政复议\t\t\t\t\t行政诉讼\n\t\t\t\t\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0\n");
        assert_eq!(get(&t, "appeals.review.upheld"), Some(Value::Blank));
        assert_eq!(
            get(&t, "appeals.litigation_direct.upheld"),
            Some(Value::int(1))
        );
        assert_eq!(
            get(&t, "appeals.litigation_after_review.total"),
            Some(Value::int(0))
        );
    }

    #[test]
    fn missing_rows_and_tables_are_reported_not_shifted() {
        let t = read_text(&format!(
            "{T3_HEAD}一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n"
        ));
        assert_eq!(
            get(&t, "requests.carried_forward.total"),
            Some(Value::int(0))
        );
        assert_eq!(get(&t, "requests.carried_over.total"), None);
        let missing = t
            .findings
            .iter()
            .filter(|f| f.rule == "READ-ROW-MISSING")
            .count();
        assert_eq!(missing, 23);
        assert!(rules(&t).contains(&"READ-TABLE-MISSING"));
    }

    #[test]
    fn narrative_numbers_are_not_table_cells() {
        let t = read_text(
            "全年收到政府信息公开申请 34 件，上年结转 2\n议，该行政复议件未被复议审查机关纠错。涉及的行政诉讼数为\n0\n",
        );
        assert!(t.cells.is_empty());
    }
}
