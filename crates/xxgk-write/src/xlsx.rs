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
//! * [`SHEET_META`]: 机关, 年度, 表格格式, 发布日期 and 标题, one per row, label then value.
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

use crate::grid::{self, Grid, Kind};
use crate::RenderOptions;

/// The sheet of table 二.
pub const SHEET_ACTIVE: &str = "表二 主动公开";
/// The sheet of table 三.
pub const SHEET_REQUESTS: &str = "表三 依申请公开";
/// The sheet of table 四.
pub const SHEET_APPEALS: &str = "表四 复议诉讼";
/// The sheet of the report's metadata.
pub const SHEET_META: &str = "基本信息";

/// The labels of the metadata sheet, in order.
pub const META_LABELS: [&str; 5] = ["机关", "年度", "表格格式", "发布日期", "标题"];

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
        table_sheet(sheet, report, table, grid.as_ref(), opts, &styles)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET_META)?;
    meta_sheet(sheet, report, format, opts, &styles)?;
    book.save_to_buffer()
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
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Styles {
            banner: XFormat::new()
                .set_bold()
                .set_font_color(Color::Red)
                .set_align(FormatAlign::Left),
            heading: XFormat::new().set_bold().set_align(FormatAlign::Left),
            header: cell.clone().set_align(FormatAlign::Center),
            label: cell.clone().set_align(FormatAlign::Left),
            value: cell.clone().set_align(FormatAlign::Center),
            text: cell.set_align(FormatAlign::Center),
            plain: XFormat::new().set_align(FormatAlign::Left),
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
    Ok(1)
}

fn col_num(i: usize) -> ColNum {
    ColNum::try_from(i).unwrap_or(ColNum::MAX)
}

fn row_num(i: usize) -> RowNum {
    RowNum::try_from(i).unwrap_or(RowNum::MAX)
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
    let Some(grid) = grid else {
        sheet.set_column_width(0, 40)?;
        return Ok(());
    };
    let first = top + 1;
    // Column widths from the single-column cells' text (CJK characters count double).
    let mut widths = vec![6.0f64; width];
    for (m, cell) in grid.merged() {
        let style = match cell.kind {
            Kind::Value => &styles.value,
            Kind::Label { .. } | Kind::Caption | Kind::Note => &styles.label,
            _ => &styles.header,
        };
        let (r, c) = (first + row_num(m.row), col_num(m.col));
        if m.rows > 1 || m.cols > 1 {
            sheet.merge_range(
                r,
                c,
                r + row_num(m.rows - 1),
                c + col_num(m.cols - 1),
                &cell.text,
                style,
            )?;
            continue;
        }
        if let Some(w) = widths.get_mut(m.col) {
            let chars: f64 = cell
                .text
                .chars()
                .map(|ch| if ch.is_ascii() { 1.1 } else { 2.1 })
                .sum();
            *w = w.max(chars.min(44.0) + 2.0);
        }
        match (cell.kind, cell.id.and_then(|id| report.value(&id))) {
            (Kind::Value, Some(Value::Number(n))) => write_number(sheet, r, c, *n, &styles.value)?,
            (Kind::Value, Some(Value::Text(t))) => {
                sheet.write_string_with_format(r, c, t, &styles.text)?;
            }
            (Kind::Value, _) => {
                sheet.write_blank(r, c, &styles.value)?;
            }
            _ if cell.text.is_empty() => {
                sheet.write_blank(r, c, style)?;
            }
            _ => {
                sheet.write_string_with_format(r, c, &cell.text, style)?;
            }
        }
    }
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(i), *w)?;
    }
    if table == TableId::Appeals {
        sheet.set_landscape();
    }
    Ok(())
}

fn meta_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let top = banner(sheet, 2, opts, styles)?;
    let m = &report.meta;
    let agency = m.agency_printed.clone().or_else(|| m.agency.clone());
    let published = m.published.as_ref().map(|d| {
        let d = d.value;
        format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
    });
    let title = crate::report_title(report);
    for (i, label) in META_LABELS.iter().enumerate() {
        let r = top + row_num(i);
        sheet.write_string_with_format(r, 0, *label, &styles.label)?;
        match i {
            0 => string_or_blank(sheet, r, agency.as_deref(), styles)?,
            1 => match m.year {
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
            // A report from before 2019 follows neither format: nothing is claimed.
            2 => {
                let label = report.format().map(|_| format_label(format));
                string_or_blank(sheet, r, label.as_deref(), styles)?
            }
            3 => string_or_blank(sheet, r, published.as_deref(), styles)?,
            _ => string_or_blank(sheet, r, Some(&title), styles)?,
        }
    }
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 60)?;
    Ok(())
}

fn string_or_blank(
    sheet: &mut Worksheet,
    r: RowNum,
    s: Option<&str>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let f = styles.plain.clone().set_border(FormatBorder::Thin);
    match s {
        Some(s) if !s.is_empty() => sheet.write_string_with_format(r, 1, s, &f)?,
        _ => sheet.write_blank(r, 1, &f)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_show_the_printed_decimals() {
        assert_eq!(number_format(0), "0");
        assert_eq!(number_format(2), "0.00");
    }
}
