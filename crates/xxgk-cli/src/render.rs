//! A report → the bytes printed for it: JSON (schema.md, via `xxgk_model::json`), JSON Lines, or
//! CSV rows with the catalogue's Chinese labels; and its findings as lines for standard error.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::Result;
use xxgk_model::catalogue::{self, ColumnDef, RowDef, APPLICANT_COLUMNS, ORGANISATION_HEADER};
use xxgk_model::{json, Cell, CellId, Format, Report, TableId};

/// The columns of the CSV output, in order.
pub const CSV_HEADER: [&str; 7] = ["source", "key", "table", "row", "column", "value", "line"];

/// The report as one pretty-printed JSON object, with a final newline.
pub fn json_pretty(report: &Report) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(&json::ReportJson(report))?;
    out.push(b'\n');
    Ok(out)
}

/// The report as one line of JSON Lines.
pub fn json_line(report: &Report) -> Result<Vec<u8>> {
    // Sized for the whole line at once (the provenance takes ~100 bytes a cell, the parts their
    // text): growing the buffer by doubling copied it several times per report.
    let text: usize = report.sections.iter().map(|s| s.text.len()).sum();
    let mut out = Vec::with_capacity(4096 + 110 * report.cells.len() + text + text / 8);
    json::write_line(report, &mut out)?;
    out.push(b'\n');
    Ok(out)
}

/// The CSV header line.
pub fn csv_header() -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    Ok(w.into_inner()?)
}

/// One CSV row per cell of the report, in printed order, without the header.
pub fn csv_rows(report: &Report) -> Result<Vec<u8>> {
    let source = report.source.as_deref().unwrap_or("");
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for (id, cell, row, col) in ordered_cells(report) {
        let line = if cell.span.line > 0 {
            cell.span.line.to_string()
        } else {
            String::new()
        };
        w.write_record([
            source,
            &id.to_string(),
            id.table.short_name(),
            &row_label(row),
            &column_label(id.table, col),
            &cell.value.to_string(),
            &line,
        ])?;
    }
    Ok(w.into_inner()?)
}

/// The row label users see: the group it is printed under, then its marker and label, e.g.
/// "（三）不予公开 1.属于国家秘密".
pub fn row_label(row: &RowDef) -> String {
    match row.group {
        Some(group) => format!("{group} {}", row.printed_label()),
        None => row.printed_label(),
    }
}

/// The column label users see; the five organisation columns of table 三 carry the header they
/// are printed under, e.g. "法人或其他组织·商业企业".
pub fn column_label(table: TableId, col: &ColumnDef) -> String {
    if table == TableId::Requests && is_organisation_column(col.key) {
        format!("{ORGANISATION_HEADER}·{}", col.label)
    } else {
        col.label.to_string()
    }
}

/// The official table prints 自然人, then the five 法人或其他组织 columns, then 总计: every
/// applicant column except the first and the last sits under [`ORGANISATION_HEADER`].
fn is_organisation_column(key: &str) -> bool {
    let n = APPLICANT_COLUMNS.len();
    n > 2 && APPLICANT_COLUMNS[1..n - 1].iter().any(|c| c.key == key)
}

/// The row and column definitions of a cell identifier in any format.
fn find_defs(id: &CellId) -> Option<(&'static RowDef, &'static ColumnDef)> {
    catalogue::find_cell(None, id.table, id.row, id.column)
}

type Placed<'a> = (CellId, &'a Cell, &'static RowDef, &'static ColumnDef);

/// Every cell of the report with its definitions, in the printed order of the report's format
/// (tables 二, 三, 四; rows top to bottom; columns left to right). A cell the format does not
/// define (should a reader produce one) follows at the end, in identifier order.
pub fn ordered_cells(report: &Report) -> Vec<Placed<'_>> {
    let format = report.format().unwrap_or(Format::F2021);
    let mut out = Vec::with_capacity(report.cells.len());
    let mut seen = BTreeSet::new();
    for def in catalogue::tables(format) {
        for row in def.printed_rows() {
            for col in row.columns {
                let id = CellId {
                    table: def.id,
                    row: row.key,
                    column: col.key,
                };
                if let Some(cell) = report.cells.get(&id) {
                    seen.insert(id);
                    out.push((id, cell, row, col));
                }
            }
        }
    }
    for (id, cell) in &report.cells {
        if seen.contains(id) {
            continue;
        }
        if let Some((row, col)) = find_defs(id) {
            out.push((*id, cell, row, col));
        }
    }
    out
}

/// The findings as lines for standard error: "文件名:行号: 警告: message", for a PDF
/// "文件名:第P页第N行: 警告: message" (the page and the line on it, as `xxgk check` names them).
pub fn findings_text(name: &str, report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let paged = crate::check::place_of(f).is_some_and(|s| s.page.is_some());
        let _ = match (f.spans.first(), crate::check::place_text(f)) {
            (_, Some(place)) if paged => {
                writeln!(out, "{name}:{place}: {}: {}", f.severity.label(), f.message)
            }
            (Some(span), _) if span.line > 0 => writeln!(
                out,
                "{name}:{}: {}: {}",
                span.line,
                f.severity.label(),
                f.message
            ),
            _ => writeln!(out, "{name}: {}: {}", f.severity.label(), f.message),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use xxgk_model::{Finding, Located, Meta, ReportKind, Severity, Span, Value};

    fn report_with(format: Format, cells: &[(&str, Value, u32)]) -> Report {
        let cells: BTreeMap<CellId, Cell> = cells
            .iter()
            .map(|(k, v, line)| {
                let id = CellId::parse(k).expect("known key");
                let cell = Cell {
                    value: v.clone(),
                    span: Span::line(*line),
                    printed_column: None,
                    located: Located::Label,
                    ocr: None,
                };
                (id, cell)
            })
            .collect();
        Report {
            source: Some("a.txt".into()),
            kind: ReportKind::Standard(format),
            meta: Meta::default(),
            sections: Vec::new(),
            tables: Vec::new(),
            cells,
            findings: Vec::new(),
        }
    }

    #[test]
    fn every_catalogue_cell_has_labels() {
        for format in Format::ALL {
            for def in catalogue::tables(format) {
                for row in def.printed_rows() {
                    assert!(!row_label(row).is_empty());
                    for col in row.columns {
                        let id = CellId {
                            table: def.id,
                            row: row.key,
                            column: col.key,
                        };
                        assert!(find_defs(&id).is_some(), "{id}");
                    }
                }
            }
        }
    }

    #[test]
    fn labels_follow_the_printed_table() {
        let def = catalogue::table(Format::F2021, TableId::Requests);
        let row = def.row("denied_state_secret").expect("row");
        assert_eq!(row_label(row), "（三）不予公开 1.属于国家秘密");
        let new = def.row("new_received").expect("row");
        assert_eq!(row_label(new), "一、本年新收政府信息公开申请数量");
        let col = |k: &str| {
            APPLICANT_COLUMNS
                .iter()
                .find(|c| c.key == k)
                .expect("column")
        };
        assert_eq!(
            column_label(TableId::Requests, col("commercial_enterprise")),
            "法人或其他组织·商业企业"
        );
        assert_eq!(
            column_label(TableId::Requests, col("natural_person")),
            "自然人"
        );
        assert_eq!(column_label(TableId::Requests, col("total")), "总计");
    }

    #[test]
    fn csv_rows_are_in_printed_order_with_blank_values_empty() {
        let report = report_with(
            Format::F2021,
            &[
                ("appeals.review.upheld", Value::Blank, 90),
                ("requests.total.total", Value::int(5), 80),
                ("active.rules.issued", Value::int(0), 10),
                ("requests.new_received.total", Value::int(3), 40),
            ],
        );
        let text = String::from_utf8(csv_rows(&report).expect("csv")).expect("utf-8");
        let keys: Vec<&str> = text
            .lines()
            .map(|l| l.split(',').nth(1).expect("key column"))
            .collect();
        assert_eq!(
            keys,
            [
                "active.rules.issued",
                "requests.new_received.total",
                "requests.total.total",
                "appeals.review.upheld"
            ]
        );
        let last = text.lines().last().expect("a row");
        assert_eq!(
            last,
            "a.txt,appeals.review.upheld,表四,行政复议,结果维持,,90"
        );
    }

    #[test]
    fn the_single_other_row_of_2019_prints_in_a_2021_report() {
        let report = report_with(
            Format::F2021,
            &[
                ("requests.total.total", Value::int(1), 30),
                ("requests.other.total", Value::int(1), 29),
            ],
        );
        let order: Vec<String> = ordered_cells(&report)
            .iter()
            .map(|(id, ..)| id.to_string())
            .collect();
        assert_eq!(order, ["requests.other.total", "requests.total.total"]);
    }

    #[test]
    fn findings_are_listed_with_file_and_line() {
        let mut report = report_with(Format::F2021, &[]);
        report
            .findings
            .push(Finding::new("READ-X", Severity::Warning, "第 3 行无法读取").at(Span::line(3)));
        report
            .findings
            .push(Finding::new("READ-Y", Severity::Info, "没有发布日期"));
        assert_eq!(
            findings_text("a.txt", &report),
            "a.txt:3: 警告: 第 3 行无法读取\na.txt: 提示: 没有发布日期\n"
        );
    }

    #[test]
    fn findings_of_a_pdf_name_page_and_line() {
        let mut report = report_with(Format::F2021, &[]);
        let on_page = |line, page| Span {
            line,
            column: None,
            page: Some(page),
        };
        report
            .findings
            .push(Finding::new("READ-X", Severity::Warning, "表格无法读取").at(on_page(9, 5)));
        report
            .findings
            .push(Finding::new("READ-Y", Severity::Info, "第二页").at(on_page(0, 2)));
        assert_eq!(
            findings_text("a.pdf", &report),
            "a.pdf:第5页第9行: 警告: 表格无法读取\na.pdf:第2页: 提示: 第二页\n"
        );
    }
}
