//! The XLSX writer: workbooks read back with calamine.
//!
//! * Every cell: the table sheets are turned back into the rows of a document (merged cells print
//!   empty fields, as the structured readers do) and read by xxgk's own pipeline
//!   (`xxgk_read::doc::read_document`), which finds rows and columns by their labels; the cells
//!   must be the report's (numbers equal as numbers, blanks blank, placeholders as printed). The
//!   metadata sheet must hold the report's agency, year, format and date.
//! * The merged ranges of every table sheet are the merged cells of the official template
//!   (official-template-2021.docx, read by `support::wordgrid`).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use proptest::prelude::*;
use xxgk_model::{Format, Report, TableId, Value};
use xxgk_read::doc::{read_document, Document, Origin};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::xlsx::{format_label, render_xlsx, sheet_name, META_LABELS, SHEET_META};
use xxgk_write::{RenderOptions, UNCHECKED_BANNER};

type Book = Xlsx<Cursor<Vec<u8>>>;

fn open(bytes: Vec<u8>) -> Book {
    calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx workbook")
}

/// The text a cell prints: a number in its shortest form.
fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        other => panic!("unexpected cell {other:?}"),
    }
}

/// The sheet as rows of cell texts over its full width, from row 0.
fn rows(book: &mut Book, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).expect("sheet");
    let Some((_, (r1, c1))) = range.start().zip(range.end()) else {
        return Vec::new();
    };
    (0..=r1)
        .map(|r| {
            (0..=c1)
                .map(|c| range.get_value((r, c)).map(text).unwrap_or_default())
                .collect()
        })
        .collect()
}

/// The metadata sheet: label → value.
fn meta(book: &mut Book) -> BTreeMap<String, String> {
    rows(book, SHEET_META)
        .into_iter()
        .filter(|r| r.len() >= 2 && r[0] != UNCHECKED_BANNER)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

/// Read the workbook back: the title, then each table sheet's heading row as a paragraph and its
/// grid rows as table rows.
fn read_back(bytes: Vec<u8>, banner: bool) -> (Report, BTreeMap<String, String>) {
    let mut book = open(bytes);
    let meta = meta(&mut book);
    let mut doc = Document::new();
    let mut line = 0u32;
    let mut next = || {
        line += 1;
        Origin::line(line)
    };
    doc.paragraph(&meta["标题"], next());
    for table in TableId::ALL {
        let rows = rows(&mut book, sheet_name(table));
        let skip = usize::from(banner);
        if banner {
            assert_eq!(rows[0][0], UNCHECKED_BANNER);
        }
        let mut it = rows.into_iter().skip(skip);
        let heading = it.next().expect("heading row");
        doc.paragraph(&heading[0], next());
        for row in it {
            doc.table_row(&row, next());
        }
        doc.blank(next());
    }
    (read_document(doc, Some("xlsx")).expect("reads"), meta)
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn check(report: &Report, banner: bool) -> Result<(), TestCaseError> {
    let bytes = render_xlsx(report, &RenderOptions { unchecked: banner }).expect("renders");
    let (read, meta) = read_back(bytes, banner);
    let expected = report.flat_cells();
    let got = read.flat_cells();
    let keys: BTreeSet<&String> = expected.keys().chain(got.keys()).collect();
    for k in keys {
        match (expected.get(k), got.get(k)) {
            (Some(a), Some(b)) => prop_assert!(same_value(a, b), "{k}: {a:?} != {b:?}"),
            (a, b) => prop_assert!(false, "{k}: {a:?} != {b:?}"),
        }
    }
    let m = &report.meta;
    prop_assert_eq!(read.format(), report.format());
    prop_assert_eq!(
        meta.get("机关"),
        m.agency_printed.as_ref().or(m.agency.as_ref())
    );
    let year = m.year.map(|y| y.to_string());
    prop_assert_eq!(meta.get("年度"), year.as_ref());
    let format = report.format().expect("a format");
    prop_assert_eq!(meta.get("表格格式"), Some(&format_label(format)));
    let date = m.published.as_ref().map(|d| {
        let d = d.value;
        format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
    });
    prop_assert_eq!(
        meta.get("发布日期").filter(|s| !s.is_empty()),
        date.as_ref()
    );
    prop_assert_eq!(META_LABELS.len(), meta.len());
    Ok(())
}

#[test]
fn every_cell_and_the_metadata_read_back() {
    for seed in 0..6 {
        for (format, single) in [
            (Format::F2021, false),
            (Format::F2021, true),
            (Format::F2019, false),
        ] {
            let r = random_report(
                seed,
                &GenOptions {
                    format: Some(format),
                    other_single_row: single,
                    ..GenOptions::default()
                },
            );
            check(&r, seed % 2 == 1).expect("round trip");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    #[test]
    fn random_reports_read_back_from_xlsx(
        seed in any::<u64>(),
        f2019 in any::<bool>(),
        single in any::<bool>(),
        blanks in prop::bool::weighted(0.3),
        placeholders in prop::bool::weighted(0.2),
        banner in any::<bool>(),
    ) {
        let r = random_report(seed, &GenOptions {
            format: Some(if f2019 { Format::F2019 } else { Format::F2021 }),
            other_single_row: single,
            blank_probability: if blanks { 0.1 } else { 0.0 },
            text_probability: if placeholders { 0.05 } else { 0.0 },
            ..GenOptions::default()
        });
        check(&r, banner)?;
    }
}

#[test]
fn numbers_are_numbers_and_blanks_are_empty() {
    let r = random_report(
        12,
        &GenOptions {
            format: Some(Format::F2021),
            blank_probability: 0.2,
            ..GenOptions::default()
        },
    );
    let bytes = render_xlsx(&r, &RenderOptions::default()).expect("renders");
    let mut book = open(bytes);
    let range = book
        .worksheet_range(sheet_name(TableId::Appeals))
        .expect("sheet");
    // Table 四: the heading row, three header rows, then the 15 values.
    let data: Vec<&Data> = (0..15)
        .map(|c| range.get_value((4, c)).expect("cell"))
        .collect();
    let def = xxgk_model::catalogue::table(Format::F2021, TableId::Appeals);
    for ((row, col), d) in def.cells().zip(data) {
        let id = xxgk_model::CellId {
            table: TableId::Appeals,
            row: row.key,
            column: col.key,
        };
        match r.value(&id).expect("cell") {
            Value::Number(n) => assert_eq!(d, &Data::Float(n.as_f64()), "{id}"),
            Value::Blank => assert_eq!(d, &Data::Empty, "{id}"),
            Value::Text(t) => assert_eq!(d, &Data::String(t.clone()), "{id}"),
        }
    }
}

/// The merged ranges of a sheet, as (row, col, rows, cols) relative to the table's first row.
fn merges(book: &mut Book, sheet: &str, first: u32) -> BTreeSet<(usize, usize, usize, usize)> {
    book.worksheet_merge_cells(sheet)
        .expect("sheet")
        .expect("merges")
        .into_iter()
        .filter(|d| d.start.0 >= first)
        .map(|d| {
            (
                (d.start.0 - first) as usize,
                d.start.1 as usize,
                (d.end.0 - d.start.0 + 1) as usize,
                (d.end.1 - d.start.1 + 1) as usize,
            )
        })
        .collect()
}

#[test]
fn merged_ranges_are_the_official_templates() {
    let template = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../xxgk-read/tests/fixtures/template/official-template-2021.docx"
    ))
    .expect("template");
    let official = support::wordgrid::tables(&template);
    let r = random_report(
        21,
        &GenOptions {
            format: Some(Format::F2021),
            ..GenOptions::default()
        },
    );
    for banner in [false, true] {
        let bytes = render_xlsx(&r, &RenderOptions { unchecked: banner }).expect("renders");
        let mut book = open(bytes);
        for (table, (_, rects)) in TableId::ALL.into_iter().zip(&official) {
            let expected: BTreeSet<_> = rects
                .iter()
                .filter(|x| x.rows > 1 || x.cols > 1)
                .map(|x| (x.row, x.col, x.rows, x.cols))
                .collect();
            let first = 1 + u32::from(banner);
            let got = merges(&mut book, sheet_name(table), first);
            assert_eq!(got, expected, "{}", sheet_name(table));
        }
        // 表三's header in words: the note over 3 × 3, 申请人情况 over 7, 法人或其他组织 over 5,
        // 自然人 and 总计 over two rows.
        let got = merges(
            &mut book,
            sheet_name(TableId::Requests),
            1 + u32::from(banner),
        );
        for m in [
            (0, 0, 3, 3),
            (0, 3, 1, 7),
            (1, 4, 1, 5),
            (1, 3, 2, 1),
            (1, 9, 2, 1),
        ] {
            assert!(got.contains(&m), "{m:?}");
        }
    }
}

/// The text of a part of the workbook (a zip of XML files).
fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect("part")
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

#[test]
fn table_two_values_are_number_cells() {
    for format in [Format::F2021, Format::F2019] {
        let r = random_report(
            7,
            &GenOptions {
                format: Some(format),
                ..GenOptions::default()
            },
        );
        let bytes = render_xlsx(&r, &RenderOptions::default()).expect("renders");
        let mut book = open(bytes);
        let range = book
            .worksheet_range(sheet_name(TableId::Active))
            .expect("sheet");
        let def = xxgk_model::catalogue::table(format, TableId::Active);
        let mut numbers = 0;
        for row in def.rows {
            let label = row.printed_label();
            // The sheet row whose first cell is the row's label; its values follow it.
            let at = (0..range.height() as u32)
                .find(|&i| range.get_value((i, 0)) == Some(&Data::String(label.clone())))
                .unwrap_or_else(|| panic!("{format:?}: row {label}"));
            for (j, col) in row.columns.iter().enumerate() {
                let id = xxgk_model::CellId {
                    table: TableId::Active,
                    row: row.key,
                    column: col.key,
                };
                let d = range.get_value((at, 1 + j as u32)).expect("cell");
                match r.value(&id).expect("cell") {
                    Value::Number(n) => {
                        assert_eq!(d, &Data::Float(n.as_f64()), "{id}");
                        numbers += 1;
                    }
                    other => panic!("{id}: {other:?} in a report without blanks"),
                }
            }
        }
        // 2021: 规章 and 行政规范性文件 × 3, 行政许可, 行政处罚, 行政强制, 行政事业性收费.
        if format == Format::F2021 {
            assert_eq!(numbers, 10);
        }
    }
}

#[test]
fn fonts_and_print_setup() {
    let r = random_report(
        8,
        &GenOptions {
            format: Some(Format::F2021),
            ..GenOptions::default()
        },
    );
    let bytes = render_xlsx(&r, &RenderOptions::default()).expect("renders");
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains("<name val=\"宋体\"/>"), "{styles}");
    assert!(styles.contains("<name val=\"仿宋\"/>"), "{styles}");
    for i in 1..=4 {
        let sheet = part(&bytes, &format!("xl/worksheets/sheet{i}.xml"));
        // A4 (paper size 9), one page wide, any number of pages high.
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "sheet {i}"
        );
        assert!(sheet.contains("paperSize=\"9\""), "sheet {i}");
        assert!(sheet.contains("fitToHeight=\"0\""), "sheet {i}");
    }
    // Repeated rows: the heading row, then table 三's and table 四's three header rows.
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(
        workbook.contains("localSheetId=\"1\">'表三 依申请公开'!$1:$4</definedName>"),
        "{workbook}"
    );
    assert!(
        workbook.contains("localSheetId=\"2\">'表四 复议诉讼'!$1:$4</definedName>"),
        "{workbook}"
    );
    assert!(
        workbook.contains("localSheetId=\"0\">'表二 主动公开'!$1:$1</definedName>"),
        "{workbook}"
    );
}

#[test]
fn metadata_states_period_and_contact_only_when_the_report_does() {
    use xxgk_model::{Date, Sourced, Span};
    let mut r = random_report(
        9,
        &GenOptions {
            format: Some(Format::F2021),
            ..GenOptions::default()
        },
    );
    r.meta.period = Some(Sourced {
        value: (
            Date {
                year: 2024,
                month: 1,
                day: 1,
            },
            Date {
                year: 2024,
                month: 12,
                day: 31,
            },
        ),
        span: Span::line(3),
    });
    r.meta.contact = Some(Sourced {
        value: "联系电话：0591-23162606\u{FFFE}".to_string(),
        span: Span::line(4),
    });
    let mut book = open(render_xlsx(&r, &RenderOptions::default()).expect("renders"));
    let m = meta(&mut book);
    assert_eq!(m["统计期限"], "2024-01-01 至 2024-12-31");
    // U+FFFE, which XML forbids, is dropped.
    assert_eq!(m["联系方式"], "联系电话：0591-23162606");
    assert_eq!(m["表格格式"], "2021 年格式（国办公开办函〔2021〕30号）");

    // A report that states neither, and follows no format (before 2019): empty cells, no 30号.
    r.meta.period = None;
    r.meta.contact = None;
    r.kind = xxgk_model::ReportKind::Pre2019;
    r.cells.clear();
    let mut book = open(render_xlsx(&r, &RenderOptions::default()).expect("renders"));
    let m = meta(&mut book);
    for label in ["统计期限", "联系方式", "表格格式"] {
        assert_eq!(m[label], "", "{label}");
    }
    assert_eq!(m.len(), META_LABELS.len());
}
