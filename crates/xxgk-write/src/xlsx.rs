//! Render a report's tables as an Excel workbook (.xlsx, `rust_xlsxwriter`), for supervisors.
//!
//! [`render_xlsx`] writes four sheets:
//!
//! * [`SHEET_ACTIVE`], [`SHEET_REQUESTS`], [`SHEET_APPEALS`]: tables 二, 三 and 四 in the layout of
//!   the official tables. The first row holds the part heading ("二、主动公开政府信息情况") merged
//!   over the table's width; the official grid follows from the next row, with the merged cells
//!   of the official template (the grids of [`crate::grid`], which every writer prints: the note
//!   over three columns and three rows, 申请人情况 over seven columns …). Labels come from the
//!   catalogue. A number is written as a number (an amount keeps its printed decimals through the
//!   number format: 12.30 is the number 12.3 shown as "12.30"); a blank cell, and a cell the
//!   report does not hold, is an empty cell (never 0); a text cell ("/") is a string.
//!   Every value of every table, table 二's merged value cells included, is a number cell when
//!   the report holds a number.
//! * [`SHEET_META`]: 机关, 年度, 表格格式, 统计期限, 发布日期, 联系方式 and 标题, one per row, label
//!   then value; a value the report does not state (a 统计期限 its text does not give, the format
//!   of a pre-2019 report) is an empty cell.
//!
//! Typography and printing: tables in 宋体 五号 (10.5 pt), the sheet headings and the metadata in
//! 仿宋; every sheet prints on A4, one page wide (as many pages high as it needs), centred, with
//! the heading and the column-header rows repeated on every page.
//!
//! Whatever the report's text, the workbook is valid XML: characters XML forbids are dropped
//! ([`crate::safe::xml_text`]).
//!
//! With [`RenderOptions::unchecked`] every sheet starts with a red note row,
//! [`crate::UNCHECKED_BANNER`], and its content moves one row down.
//!
//! A table the report holds no row of is left out of its sheet (the sheet holds the heading
//! only), as the other writers leave it out.

use rust_xlsxwriter::{
    ColNum, Color, Format as XFormat, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
    XlsxError,
};
use xxgk_model::catalogue::{self, Format, TableId, PARTS};
use xxgk_model::{Number, Report, Value};

use std::borrow::Cow;

use crate::grid::{self, Grid, Kind};
use crate::{safe, RenderOptions};

/// The sheet of table 二.
pub const SHEET_ACTIVE: &str = "表二 主动公开";
/// The sheet of table 三.
pub const SHEET_REQUESTS: &str = "表三 依申请公开";
/// The sheet of table 四.
pub const SHEET_APPEALS: &str = "表四 复议诉讼";
/// The sheet of the report's metadata.
pub const SHEET_META: &str = "基本信息";

/// The labels of the metadata sheet, in order.
pub const META_LABELS: [&str; 7] = [
    "机关",
    "年度",
    "表格格式",
    "统计期限",
    "发布日期",
    "联系方式",
    "标题",
];

/// The font of the tables (the official template's tables are set in 宋体).
pub const TABLE_FONT: &str = "宋体";
/// The font of the sheet headings and the metadata (body text of 党政机关公文格式).
pub const TEXT_FONT: &str = "仿宋";
/// The paper size code of A4 in the Excel page setup.
const PAPER_A4: u8 = 9;

/// The sheet of each table.
pub fn sheet_name(table: TableId) -> &'static str {
    match table {
        TableId::Active => SHEET_ACTIVE,
        TableId::Requests => SHEET_REQUESTS,
        TableId::Appeals => SHEET_APPEALS,
    }
}

/// The format's name on the metadata sheet.
pub fn format_label(format: Format) -> String {
    let year = match format {
        Format::F2021 => "2021 年格式",
        Format::F2019 => "2019 年试行格式",
    };
    format!("{year}（{}）", format.instrument())
}

/// Render `report` as the bytes of an .xlsx workbook.
pub fn render_xlsx(report: &Report, opts: &RenderOptions) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let format = crate::report_format(report);
    let mut book = Workbook::new();
    let value = |v: Option<&Value>| match v {
        None | Some(Value::Blank) => String::new(),
        Some(v) => v.to_string(),
    };
    for table in TableId::ALL {
        let grid = match table {
            TableId::Active => grid::active_grid(report, format, &value),
            TableId::Requests => grid::requests_grid(report, format, &value),
            TableId::Appeals => grid::appeals_grid(report, format, &value),
        };
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(table))?;
        print_setup(sheet);
        table_sheet(sheet, report, table, grid.as_ref(), opts, &styles)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET_META)?;
    print_setup(sheet);
    meta_sheet(sheet, report, opts, &styles)?;
    book.save_to_buffer()
}

/// A4, one page wide (any number of pages high), centred on the page.
fn print_setup(sheet: &mut Worksheet) {
    sheet.set_paper_size(PAPER_A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
}

/// How many leading rows of a grid are column headers (repeated on every printed page): the
/// rows before the first row label, value or block caption.
fn header_rows(g: &Grid) -> usize {
    g.rows
        .iter()
        .take_while(|row| {
            row.iter().all(|c| {
                matches!(
                    c.kind,
                    Kind::Header { .. } | Kind::Note | Kind::Empty | Kind::Filler | Kind::LabelSpan
                )
            })
        })
        .count()
}

struct Styles {
    banner: XFormat,
    heading: XFormat,
    header: XFormat,
    label: XFormat,
    value: XFormat,
    text: XFormat,
    plain: XFormat,
}

impl Styles {
    fn new() -> Styles {
        let cell = XFormat::new()
            .set_font_name(TABLE_FONT)
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let text = XFormat::new().set_font_name(TEXT_FONT).set_font_size(12);
        Styles {
            banner: text
                .clone()
                .set_bold()
                .set_font_color(Color::Red)
                .set_align(FormatAlign::Left),
            heading: text
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Left),
            header: cell.clone().set_align(FormatAlign::Center),
            label: cell.clone().set_align(FormatAlign::Left),
            value: cell.clone().set_align(FormatAlign::Center),
            text: cell.set_align(FormatAlign::Center),
            plain: text
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
        }
    }
}

/// The number format showing `scale` decimals ("0", "0.0", "0.00" …).
fn number_format(scale: u8) -> String {
    if scale == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(usize::from(scale)))
    }
}

fn write_number(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    n: Number,
    style: &XFormat,
) -> Result<(), XlsxError> {
    let scale = match n {
        Number::Int(_) => 0,
        Number::Decimal { scale, .. } => scale,
    };
    let f = style.clone().set_num_format(number_format(scale));
    sheet.write_number_with_format(row, col, n.as_f64(), &f)?;
    Ok(())
}

/// The banner row (when asked for) across `width` columns; the first row of the content.
fn banner(
    sheet: &mut Worksheet,
    width: usize,
    opts: &RenderOptions,
    styles: &Styles,
) -> Result<RowNum, XlsxError> {
    if !opts.unchecked {
        return Ok(0);
    }
    let last = col_num(width.max(2) - 1);
    sheet.merge_range(0, 0, 0, last, crate::UNCHECKED_BANNER, &styles.banner)?;
    sheet.set_row_height(0, 30)?;
    Ok(1)
}

fn col_num(i: usize) -> ColNum {
    ColNum::try_from(i).unwrap_or(ColNum::MAX)
}

fn row_num(i: usize) -> RowNum {
    RowNum::try_from(i).unwrap_or(RowNum::MAX)
}

/// The printed width of `text` in Excel's column units (a CJK character about two).
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|ch| if ch.is_ascii() { 1.1 } else { 2.1 })
        .sum()
}

/// Column widths from the cells that stand in one column: a row label up to 25 units (13 CJK characters) (longer
/// ones wrap), a group label of table 三 in full ("（三）不予公开" never wraps mid-word), the
/// 三、本年度办理结果 column narrow (it wraps over its 22 rows, as in the template), a header up
/// to four CJK characters ("结果维持" on one line; "社会公益组织" wraps, as in the template), a
/// value at least 8.
fn column_widths(grid: &Grid) -> Vec<f64> {
    let mut widths = vec![6.0f64; grid.width()];
    for (m, cell) in grid.merged() {
        if m.cols != 1 {
            continue;
        }
        let w = text_width(&cell.text);
        let w = match cell.kind {
            Kind::Label { .. } if m.rows > 1 => w,
            Kind::Label { .. } => w.min(25.0),
            Kind::OutcomeGroup => 7.0,
            Kind::Header { .. } => w.min(8.4),
            Kind::Value => w.max(6.0),
            _ => w.min(30.0),
        } + 2.0;
        if let Some(x) = widths.get_mut(m.col) {
            *x = x.max(w);
        }
    }
    widths
}

/// The height of one line of 五号 table text, in points.
const LINE_HEIGHT: f64 = 14.0;

/// How many lines each row of the grid takes in columns of `widths`: the most of its cells that
/// stand in one row (a cell spanning rows, such as a group label, has room enough).
fn row_lines(grid: &Grid, widths: &[f64]) -> Vec<u32> {
    let mut lines = vec![1u32; grid.rows.len()];
    for (m, cell) in grid.merged() {
        if m.rows != 1 || cell.text.is_empty() {
            continue;
        }
        // In pixels at 96 dpi: a column unit is 7 px (plus 5 of margin), a 五号 CJK character
        // 14 px, any other about 7; less 6 px of cell padding.
        let room: f64 = widths.iter().skip(m.col).take(m.cols).sum::<f64>() * 7.0 + 5.0 - 6.0;
        let px: f64 = cell
            .text
            .chars()
            .map(|ch| if ch.is_ascii() { 7.0 } else { 14.0 })
            .sum();
        let n = (px / room.max(1.0)).ceil();
        // At most 9 lines (a huge text cell still prints a readable row).
        let n = if n.is_finite() {
            n.clamp(1.0, 9.0)
        } else {
            1.0
        };
        if let Some(l) = lines.get_mut(m.row) {
            // n is a whole number from 1 to 9.
            *l = (*l).max(n as u32);
        }
    }
    lines
}

fn table_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    table: TableId,
    grid: Option<&Grid>,
    opts: &RenderOptions,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let width = grid.map_or(1, Grid::width).max(1);
    let top = banner(sheet, width, opts, styles)?;
    let part = table.part();
    let heading = PARTS
        .iter()
        .find(|p| p.number == part)
        .map_or(String::new(), |p| {
            let marker = catalogue::CHINESE_NUMERALS[usize::from(part.saturating_sub(1))];
            format!("{marker}、{}", p.heading)
        });
    if width > 1 {
        sheet.merge_range(top, 0, top, col_num(width - 1), &heading, &styles.heading)?;
    } else {
        sheet.write_string_with_format(top, 0, &heading, &styles.heading)?;
    }
    sheet.set_row_height(top, 24)?;
    let Some(grid) = grid else {
        sheet.set_column_width(0, 40)?;
        return Ok(());
    };
    let first = top + 1;
    // The heading and the column-header rows print on every page.
    sheet.set_repeat_rows(top, top + row_num(header_rows(grid)))?;
    // Column widths from the single-column cells' text (CJK characters count double).
    let widths = column_widths(grid);
    for (m, cell) in grid.merged() {
        let style = match cell.kind {
            Kind::Value => &styles.value,
            // Table 二's row labels are centred in the official template.
            Kind::Label { .. } if table == TableId::Active => &styles.header,
            Kind::Label { .. } | Kind::Caption | Kind::Note | Kind::OutcomeGroup => &styles.label,
            _ => &styles.header,
        };
        let (r, c) = (first + row_num(m.row), col_num(m.col));
        let value = match cell.kind {
            Kind::Value => cell.id.and_then(|id| report.value(&id)),
            _ => None,
        };
        if m.rows > 1 || m.cols > 1 {
            let text = match value {
                Some(Value::Number(_)) => Cow::Borrowed(""),
                _ => safe::xml_text(&cell.text),
            };
            sheet.merge_range(
                r,
                c,
                r + row_num(m.rows - 1),
                c + col_num(m.cols - 1),
                &text,
                style,
            )?;
            // A merged value (table 二's 本年处理决定数量 …) is a number too: written over the
            // merged range's first cell.
            if let Some(Value::Number(n)) = value {
                write_number(sheet, r, c, *n, style)?;
            }
            continue;
        }
        match (cell.kind, value) {
            (Kind::Value, Some(Value::Number(n))) => write_number(sheet, r, c, *n, &styles.value)?,
            (Kind::Value, Some(Value::Text(t))) => {
                sheet.write_string_with_format(r, c, safe::xml_text(t), &styles.text)?;
            }
            (Kind::Value, _) => {
                sheet.write_blank(r, c, &styles.value)?;
            }
            _ if cell.text.is_empty() => {
                sheet.write_blank(r, c, style)?;
            }
            _ => {
                sheet.write_string_with_format(r, c, safe::xml_text(&cell.text), style)?;
            }
        }
    }
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(i), *w)?;
    }
    // Rows whose text wraps are as high as their lines (neither Excel nor LibreOffice grows a
    // row for wrapped text on opening a file).
    for (i, lines) in row_lines(grid, &widths).into_iter().enumerate() {
        if lines > 1 {
            sheet.set_row_height(first + row_num(i), LINE_HEIGHT * f64::from(lines) + 2.0)?;
        }
    }
    if table == TableId::Appeals {
        sheet.set_landscape();
    }
    Ok(())
}

fn meta_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    opts: &RenderOptions,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let top = banner(sheet, 2, opts, styles)?;
    let m = &report.meta;
    let agency = m.agency_printed.clone().or_else(|| m.agency.clone());
    let date = |d: &xxgk_model::Date| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    let published = m.published.as_ref().map(|d| date(&d.value));
    // The period as the report states it (never made up from the year).
    let period = m.period.as_ref().map(|p| {
        let (a, b) = &p.value;
        format!("{} 至 {}", date(a), date(b))
    });
    let contact = m.contact.as_ref().map(|c| c.value.trim().to_string());
    // A pre-2019 report follows neither format: no format is named.
    let format = report.format().map(format_label);
    let title = crate::report_title(report);
    let label = styles
        .label
        .clone()
        .set_font_name(TEXT_FONT)
        .set_font_size(12);
    for (i, name) in META_LABELS.iter().enumerate() {
        let r = top + row_num(i);
        sheet.write_string_with_format(r, 0, *name, &label)?;
        match *name {
            "年度" => match m.year {
                Some(y) => {
                    sheet.write_number_with_format(
                        r,
                        1,
                        f64::from(y),
                        &styles.plain.clone().set_border(FormatBorder::Thin),
                    )?;
                }
                None => string_or_blank(sheet, r, None, styles)?,
            },
            "机关" => string_or_blank(sheet, r, agency.as_deref(), styles)?,
            "表格格式" => string_or_blank(sheet, r, format.as_deref(), styles)?,
            "统计期限" => string_or_blank(sheet, r, period.as_deref(), styles)?,
            "发布日期" => string_or_blank(sheet, r, published.as_deref(), styles)?,
            "联系方式" => string_or_blank(sheet, r, contact.as_deref(), styles)?,
            _ => string_or_blank(sheet, r, Some(&title), styles)?,
        }
    }
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 70)?;
    Ok(())
}

fn string_or_blank(
    sheet: &mut Worksheet,
    r: RowNum,
    s: Option<&str>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let f = styles.plain.clone().set_border(FormatBorder::Thin);
    match s.map(safe::xml_text) {
        Some(s) if !s.is_empty() => sheet.write_string_with_format(r, 1, s, &f)?,
        _ => sheet.write_blank(r, 1, &f)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_columns_fit_group_labels_and_cap_long_ones() {
        let r = xxgk_testgen::random_report(
            2,
            &xxgk_testgen::GenOptions {
                format: Some(Format::F2021),
                ..xxgk_testgen::GenOptions::default()
            },
        );
        let value = |v: Option<&Value>| v.map(ToString::to_string).unwrap_or_default();
        let g = grid::requests_grid(&r, Format::F2021, &value).expect("table 三");
        let w = column_widths(&g);
        // Column 0: 三、本年度办理结果, narrow (5 units + 2).
        assert_eq!(w[0], 9.0);
        // Column 1: the group labels; （三）不予公开 is 7 CJK characters = 14.7 units + 2.
        assert!((w[1] - 16.7).abs() < 1e-9, "{}", w[1]);
        // Column 2: the items, capped at 25 + 2 (the longest wrap).
        assert_eq!(w[2], 27.0);
        // Value columns: 自然人 (3 characters, 6.3 + 2); 社会公益组织 capped at 4 characters
        // (8.4 + 2).
        assert!((w[3] - 8.3).abs() < 1e-9, "{}", w[3]);
        assert!((w[6] - 10.4).abs() < 1e-9, "{}", w[6]);
    }

    #[test]
    fn rows_of_wrapped_labels_are_higher() {
        let r = xxgk_testgen::random_report(
            2,
            &xxgk_testgen::GenOptions {
                format: Some(Format::F2021),
                ..xxgk_testgen::GenOptions::default()
            },
        );
        let value = |v: Option<&Value>| v.map(ToString::to_string).unwrap_or_default();
        let g = grid::requests_grid(&r, Format::F2021, &value).expect("table 三");
        let widths = column_widths(&g);
        let lines = row_lines(&g, &widths);
        let at = |label: &str| {
            g.rows
                .iter()
                .position(|row| row.iter().any(|c| c.text == label))
                .unwrap_or_else(|| panic!("{label}"))
        };
        // The item column is 27 units = 27 × 7 + 5 - 6 = 188 px.
        // "2.其他法律行政法规禁止公开": 12 CJK × 14 + 2 × 7 = 182 px: one line.
        assert_eq!(lines[at("2.其他法律行政法规禁止公开")], 1);
        // "4.保护第三方合法权益": 9 × 14 + 14 = 140 px: one line.
        assert_eq!(lines[at("4.保护第三方合法权益")], 1);
        // "5.要求行政机关确认或重新出具已获取信息": 18 × 14 + 14 = 266 px: two lines.
        assert_eq!(lines[at("5.要求行政机关确认或重新出具已获取信息")], 2);
        // The 3-row note is not counted; 申请人情况 over 7 columns is one line.
        assert_eq!(lines[0], 1);
    }

    #[test]
    fn number_formats_show_the_printed_decimals() {
        assert_eq!(number_format(0), "0");
        assert_eq!(number_format(2), "0.00");
    }
}
