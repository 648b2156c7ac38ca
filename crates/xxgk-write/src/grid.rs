//! The official tables as grids of cells, shared by the writers: [`crate::text`] prints them in
//! each text layout, [`crate::html`] as HTML tables with `rowspan`/`colspan`.
//!
//! A grid has one entry per column of the official table in every row. A cell is the anchor of a
//! merged region when it has text or is a [`Kind::Value`]; the region extends right over
//! [`Kind::Filler`] and [`Kind::LabelSpan`] cells and down over [`Kind::Empty`] cells.

use xxgk_model::catalogue::{self, Format, RowDef, TableId};
use xxgk_model::{CellId, Report, Value};

/// How a writer prints a value cell (plain digits, full-width digits …).
pub(crate) type ValueText<'a> = &'a dyn Fn(Option<&Value>) -> String;

pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}
// ---------------------------------------------------------------------------------------------
// Table grid
// ---------------------------------------------------------------------------------------------

/// What a cell of the official grid is, which decides how each layout prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A row label. `cpl_width`: wrap width in `CellPerLine`; `page_break`: in `Tsv`, the label
    /// is broken by a page break.
    Label { cpl_width: usize, page_break: bool },
    /// The row-spanning 三、本年度办理结果 cell: `Spaced` prints it on a line of its own.
    OutcomeGroup,
    /// A column header; `cpl_split`: where `CellPerLine` breaks it.
    Header { cpl_split: usize },
    /// The 勾稽 note.
    Note,
    /// A block caption of table 二.
    Caption,
    /// A value (an empty text is a blank cell).
    Value,
    /// A real empty cell (under a row-spanning cell): printed by every layout but `Spaced`.
    Empty,
    /// A cell covered by a column-spanning cell: printed empty by `Tsv` and `Markdown`.
    Filler,
    /// A cell covered by a label spanning the label columns of table 三: printed by `Markdown`
    /// only.
    LabelSpan,
}

#[derive(Debug, Clone)]
pub(crate) struct GCell {
    pub(crate) text: String,
    pub(crate) kind: Kind,
    /// The cell a [`Kind::Value`] prints (writers that keep numbers as numbers look it up).
    pub(crate) id: Option<CellId>,
}

impl GCell {
    fn new(text: impl Into<String>, kind: Kind) -> GCell {
        GCell {
            text: text.into(),
            kind,
            id: None,
        }
    }
    fn filler() -> GCell {
        GCell::new("", Kind::Filler)
    }
    fn empty() -> GCell {
        GCell::new("", Kind::Empty)
    }
    fn span() -> GCell {
        GCell::new("", Kind::LabelSpan)
    }
    fn header(text: &str) -> GCell {
        GCell::new(text, Kind::Header { cpl_split: 0 })
    }
    fn label(text: String, cpl_width: usize) -> GCell {
        GCell::new(
            text,
            Kind::Label {
                cpl_width,
                page_break: false,
            },
        )
    }
}

/// A table as rows of the official grid. The first row is the one Markdown puts above the
/// separator.
pub(crate) struct Grid {
    pub(crate) rows: Vec<Vec<GCell>>,
}

/// A cell of the grid as the official table merges it: its first row and column and how many
/// rows and columns it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merged {
    pub(crate) row: usize,
    pub(crate) col: usize,
    pub(crate) rows: usize,
    pub(crate) cols: usize,
}

impl Grid {
    /// The number of columns of the grid.
    pub(crate) fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Every cell that starts a table cell, in row order, with the area it covers: a cell spans
    /// the columns of the [`Kind::Filler`] / [`Kind::LabelSpan`] cells after it and the rows of
    /// the [`Kind::Empty`] cells below it.
    pub(crate) fn merged(&self) -> Vec<(Merged, &GCell)> {
        let mut out = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if matches!(cell.kind, Kind::Filler | Kind::LabelSpan | Kind::Empty) {
                    continue;
                }
                let cols = 1 + row[c + 1..]
                    .iter()
                    .take_while(|x| matches!(x.kind, Kind::Filler | Kind::LabelSpan))
                    .count();
                let rows = 1 + self.rows[r + 1..]
                    .iter()
                    .take_while(|below| below.get(c).is_some_and(|x| x.kind == Kind::Empty))
                    .count();
                out.push((
                    Merged {
                        row: r,
                        col: c,
                        rows,
                        cols,
                    },
                    cell,
                ));
            }
        }
        out
    }
}

/// `Tsv`: the length of the continuation of a label broken by a page break, in characters.
pub(crate) const TSV_BREAK_MIN_LABEL: usize = 24;

fn cell_id(table: TableId, row: &'static RowDef, column: &'static str) -> CellId {
    CellId {
        table,
        row: row.key,
        column,
    }
}

fn row_present(report: &Report, table: TableId, row: &'static RowDef) -> bool {
    row.columns
        .iter()
        .any(|c| report.cells.contains_key(&cell_id(table, row, c.key)))
}

fn values(val: ValueText<'_>, report: &Report, table: TableId, row: &'static RowDef) -> Vec<GCell> {
    row.columns
        .iter()
        .map(|c| {
            let id = cell_id(table, row, c.key);
            GCell {
                id: Some(id),
                ..GCell::new(val(report.value(&id)), Kind::Value)
            }
        })
        .collect()
}

/// The official grid of the table printed under `part`, if that part prints one (the
/// catalogue says which: [`catalogue::PartDef::table`]).
pub(crate) fn part_grid(
    report: &Report,
    format: Format,
    part: &catalogue::PartDef,
    val: ValueText<'_>,
) -> Option<Grid> {
    match part.table()? {
        TableId::Active => active_grid(report, format, val),
        TableId::Requests => requests_grid(report, format, val),
        TableId::Appeals => appeals_grid(report, format, val),
    }
}

// ---------------------------------------------------------------------------------------------
// Table 二
// ---------------------------------------------------------------------------------------------

/// `CellPerLine` wrap width of table-二 row labels.
const ACTIVE_LABEL_WIDTH: usize = 8;

pub(crate) fn active_grid(report: &Report, format: Format, val: ValueText<'_>) -> Option<Grid> {
    let def = catalogue::table(format, TableId::Active);
    let rows: Vec<&'static RowDef> = def
        .rows
        .iter()
        .filter(|r| row_present(report, TableId::Active, r))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let width = 1 + def.rows.iter().map(|r| r.columns.len()).max().unwrap_or(1);
    let pad = |mut row: Vec<GCell>| {
        while row.len() < width {
            row.push(GCell::filler());
        }
        row
    };
    let mut grid = Grid { rows: Vec::new() };
    let mut block: Option<&str> = None;
    for row in rows {
        if row.block != block || block.is_none() {
            block = row.block;
            if let Some(caption) = row.block {
                grid.rows
                    .push(pad(vec![GCell::new(caption, Kind::Caption)]));
            }
            let mut header = vec![GCell::header(catalogue::ACTIVE_ROW_HEADER)];
            for c in row.columns {
                let n = char_len(c.label);
                let split = if n >= 7 { n / 2 } else { 0 };
                header.push(GCell::new(c.label, Kind::Header { cpl_split: split }));
            }
            grid.rows.push(pad(header));
        }
        let mut cells = vec![GCell::label(row.printed_label(), ACTIVE_LABEL_WIDTH)];
        cells.extend(values(val, report, TableId::Active, row));
        grid.rows.push(pad(cells));
    }
    Some(grid)
}

// ---------------------------------------------------------------------------------------------
// Table 三
// ---------------------------------------------------------------------------------------------

/// `CellPerLine` wrap widths of table-三 labels: a top-level row (spanning the three label
/// columns), an outcome row (spanning two) and a sub-item.
const TOP_LABEL_WIDTH: usize = 24;
const OUTCOME_LABEL_WIDTH: usize = 20;
const ITEM_LABEL_WIDTH: usize = 13;

pub(crate) fn requests_grid(report: &Report, format: Format, val: ValueText<'_>) -> Option<Grid> {
    let single = crate::has_single_other(report);
    let rows: Vec<&'static RowDef> = crate::printed_rows(format, TableId::Requests, single)
        .into_iter()
        .filter(|r| row_present(report, TableId::Requests, r))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let cols = catalogue::APPLICANT_COLUMNS;
    let n_org = cols.len().saturating_sub(2);
    let mut grid = Grid { rows: Vec::new() };

    // Header: the note over the label columns, then 申请人情况 over the seven value columns.
    let mut h1 = vec![
        GCell::new(catalogue::NOTE_BALANCE, Kind::Note),
        GCell::span(),
        GCell::span(),
        GCell::header(catalogue::APPLICANT_HEADER),
    ];
    h1.extend((1..cols.len()).map(|_| GCell::filler()));
    grid.rows.push(h1);
    let mut h2 = vec![GCell::empty(), GCell::span(), GCell::span()];
    if let (Some(first), Some(last)) = (cols.first(), cols.last()) {
        h2.push(GCell::header(first.label));
        h2.push(GCell::header(catalogue::ORGANISATION_HEADER));
        h2.extend((1..n_org).map(|_| GCell::filler()));
        h2.push(GCell::header(last.label));
    }
    grid.rows.push(h2);
    let mut h3 = vec![GCell::empty(), GCell::span(), GCell::span(), GCell::empty()];
    for c in cols.iter().skip(1).take(n_org) {
        let split = if char_len(c.label) == 4 { 2 } else { 0 };
        h3.push(GCell::new(c.label, Kind::Header { cpl_split: split }));
    }
    h3.push(GCell::empty());
    grid.rows.push(h3);

    let mut outcome_printed = false;
    let mut group_printed: Option<&str> = None;
    for row in rows {
        let label = row.printed_label();
        let long = char_len(&label) > TSV_BREAK_MIN_LABEL;
        let mut cells = match row.group {
            None => vec![
                GCell::new(
                    label,
                    Kind::Label {
                        cpl_width: TOP_LABEL_WIDTH,
                        page_break: long,
                    },
                ),
                GCell::span(),
                GCell::span(),
            ],
            Some(g) if g == catalogue::OUTCOMES_GROUP => {
                group_printed = None;
                vec![
                    outcome_cell(&mut outcome_printed),
                    GCell::new(
                        label,
                        Kind::Label {
                            cpl_width: OUTCOME_LABEL_WIDTH,
                            page_break: long,
                        },
                    ),
                    GCell::filler(),
                ]
            }
            Some(g) => {
                let first = outcome_cell(&mut outcome_printed);
                let group = if group_printed == Some(g) {
                    GCell::empty()
                } else {
                    group_printed = Some(g);
                    GCell::new(
                        g,
                        Kind::Label {
                            cpl_width: ITEM_LABEL_WIDTH,
                            page_break: false,
                        },
                    )
                };
                vec![
                    first,
                    group,
                    GCell::new(
                        label,
                        Kind::Label {
                            cpl_width: ITEM_LABEL_WIDTH,
                            page_break: long,
                        },
                    ),
                ]
            }
        };
        cells.extend(values(val, report, TableId::Requests, row));
        grid.rows.push(cells);
    }
    Some(grid)
}

/// The 三、本年度办理结果 cell: printed on the first outcome row, empty below it.
fn outcome_cell(printed: &mut bool) -> GCell {
    if *printed {
        GCell::empty()
    } else {
        *printed = true;
        GCell::new(catalogue::OUTCOMES_GROUP, Kind::OutcomeGroup)
    }
}

// ---------------------------------------------------------------------------------------------
// Table 四
// ---------------------------------------------------------------------------------------------

pub(crate) fn appeals_grid(report: &Report, format: Format, val: ValueText<'_>) -> Option<Grid> {
    let def = catalogue::table(format, TableId::Appeals);
    if !def
        .rows
        .iter()
        .any(|r| row_present(report, TableId::Appeals, r))
    {
        return None;
    }
    let mut grid = Grid { rows: Vec::new() };
    // Row 1: 行政复议 over the review group, 行政诉讼 over the litigation groups.
    let mut h1 = Vec::new();
    let mut litigation_started = false;
    for row in def.rows {
        match row.group {
            None => h1.push(GCell::header(row.label)),
            Some(g) if !litigation_started => {
                litigation_started = true;
                h1.push(GCell::header(g));
            }
            Some(_) => h1.push(GCell::filler()),
        }
        h1.extend((1..row.columns.len()).map(|_| GCell::filler()));
    }
    grid.rows.push(h1);
    // Row 2: the review columns (spanning two rows), then the litigation group labels.
    let mut h2 = Vec::new();
    // Row 3: under the review columns nothing, then the litigation columns.
    let mut h3 = Vec::new();
    for row in def.rows {
        match row.group {
            None => {
                for c in row.columns {
                    h2.push(appeal_header(c.label));
                    h3.push(GCell::empty());
                }
            }
            Some(_) => {
                h2.push(GCell::header(row.label));
                h2.extend((1..row.columns.len()).map(|_| GCell::filler()));
                for c in row.columns {
                    h3.push(appeal_header(c.label));
                }
            }
        }
    }
    grid.rows.push(h2);
    grid.rows.push(h3);
    // The single data row of 15 values, without a label.
    let data: Vec<GCell> = def
        .rows
        .iter()
        .flat_map(|r| values(val, report, TableId::Appeals, r))
        .collect();
    grid.rows.push(data);
    Some(grid)
}

fn appeal_header(label: &str) -> GCell {
    let split = if char_len(label) == 4 { 2 } else { 0 };
    GCell::new(label, Kind::Header { cpl_split: split })
}
