//! The PDF writer (`xxgk_write::render_pdf`) read back by xxgk's own PDF reader: random reports
//! of both formats (with blank and text cells) and the five seed reports of
//! `../shared/corpus` (read → render → read) give back exactly their cells and metadata.
//!
//! Rendering needs a Chinese font (`fonts-noto-cjk`): without one the tests say so and pass,
//! except with `CI=true`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value as Json;
use xxgk_model::catalogue::Format;
use xxgk_model::{cell_differences, Report, Severity};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::{render_pdf, PdfError, PdfOptions};

/// The PDF of `report`, or `None` (skip) when the machine has no Chinese font.
fn render(report: &Report, opts: &PdfOptions) -> Option<Vec<u8>> {
    match render_pdf(report, opts) {
        Ok(b) => Some(b),
        Err(PdfError::NoCjkFont) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("{}: skipped", PdfError::NoCjkFont);
            None
        }
        Err(e) => panic!("render_pdf: {e}"),
    }
}

fn differences(want: &Report, got: &Report) -> Vec<String> {
    let mut bad = cell_differences(&want.flat_cells(), &got.flat_cells());
    let meta = [
        (
            "format",
            format!("{:?}", want.format()),
            format!("{:?}", got.format()),
        ),
        (
            "year",
            format!("{:?}", want.meta.year),
            format!("{:?}", got.meta.year),
        ),
        (
            "agency",
            format!("{:?}", want.meta.agency),
            format!("{:?}", got.meta.agency),
        ),
        (
            "published",
            format!("{:?}", want.meta.published.as_ref().map(|d| d.value)),
            format!("{:?}", got.meta.published.as_ref().map(|d| d.value)),
        ),
    ];
    for (k, a, b) in meta {
        if a != b {
            bad.push(format!("meta.{k}: {a} → {b}"));
        }
    }
    bad
}

fn gen_options(variant: u8, blanks: bool, text: bool) -> GenOptions {
    GenOptions {
        blank_probability: if blanks { 0.05 } else { 0.0 },
        text_probability: if text { 0.03 } else { 0.0 },
        other_single_row: variant == 2,
        format: Some(if variant == 1 {
            Format::F2019
        } else {
            Format::F2021
        }),
        ..GenOptions::default()
    }
}

/// Render the report of `seed` and read it back; `Ok(false)` when skipped.
fn check_roundtrip(
    seed: u64,
    variant: u8,
    blanks: bool,
    text: bool,
) -> Result<bool, TestCaseError> {
    let expected = random_report(seed, &gen_options(variant, blanks, text));
    let Some(bytes) = render(&expected, &PdfOptions::default()) else {
        return Ok(false);
    };
    let read = xxgk_read::read(&bytes, Some("render.pdf"))
        .map_err(|e| TestCaseError::fail(format!("seed {seed}: not read: {e}")))?;
    let bad = differences(&expected, &read);
    if !bad.is_empty() {
        return Err(TestCaseError::fail(format!(
            "seed {seed} variant {variant}: {} differences:\n{}",
            bad.len(),
            bad.into_iter().take(30).collect::<Vec<_>>().join("\n")
        )));
    }
    // No table missing and nothing worse than a note (READ-ROW-BY-COLUMNS notes a row whose
    // blank cells the reader placed by the columns of the other rows; the cells are right).
    let table_findings: Vec<_> = read
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("READ-TABLE") || f.severity != Severity::Info)
        .collect();
    prop_assert!(
        table_findings.is_empty(),
        "seed {}: {:?}",
        seed,
        table_findings
    );
    Ok(true)
}

#[test]
fn generated_reports_read_back_from_pdf_in_every_format() {
    for seed in 0..4 {
        for variant in 0..3 {
            match check_roundtrip(seed, variant, seed % 2 == 1, seed == 3) {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => panic!("{e}"),
            }
        }
    }
}

proptest! {
    // 16 cases by default (rendering and reading a PDF is slow in debug builds); set
    // `PROPTEST_CASES=1000` for the 1,000.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(16),
        failure_persistence: None,
        max_shrink_iters: 8,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_reports_read_back_from_pdf(
        seed in any::<u64>(),
        variant in 0u8..3,
        blanks in prop::bool::weighted(0.4),
        text in prop::bool::weighted(0.2),
    ) {
        check_roundtrip(seed, variant, blanks, text)?;
    }
}

#[test]
fn the_failed_checks_banner_does_not_change_what_is_read() {
    let expected = random_report(11, &gen_options(0, true, false));
    let Some(bytes) = render(
        &expected,
        &PdfOptions {
            failed_checks: true,
        },
    ) else {
        return;
    };
    let read = xxgk_read::read(&bytes, Some("render.pdf")).expect("reads");
    let bad = differences(&expected, &read);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The seed reports: read → render → read gives the truth
// ---------------------------------------------------------------------------------------------

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("seeds").is_dir() {
        return Some(dir);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "../shared/corpus is missing"
    );
    eprintln!("corpus skipped: {} is missing", dir.display());
    None
}

/// The truth's cells and meta as the flat JSON of `report`.
fn truth_diff(report: &Report, truth: &Json) -> Vec<String> {
    let read: BTreeMap<String, Json> = report
        .flat_cells()
        .into_iter()
        .map(|(k, v)| (k, v.to_json()))
        .collect();
    let empty = serde_json::Map::new();
    let cells = truth["cells"].as_object().unwrap_or(&empty);
    let mut bad = Vec::new();
    for (k, v) in cells {
        if read.get(k) != Some(v) {
            bad.push(format!("{k}: truth {v}, read {:?}", read.get(k)));
        }
    }
    for k in read.keys().filter(|k| !cells.contains_key(*k)) {
        bad.push(format!("{k}: read, not in the truth"));
    }
    let meta = &truth["meta"];
    let got = [
        ("agency", Json::from(report.meta.agency.clone())),
        ("year", Json::from(report.meta.year)),
        ("format", Json::from(report.format().map(|f| f.id()))),
        (
            "published",
            Json::from(report.meta.published.as_ref().map(|d| d.value.to_string())),
        ),
    ];
    for (k, v) in got {
        if meta[k] != v {
            bad.push(format!("meta.{k}: truth {}, read {v}", meta[k]));
        }
    }
    bad
}

#[test]
fn seed_reports_read_render_read_give_their_truth() {
    let Some(corpus) = corpus() else { return };
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(corpus.join("seeds"))
        .expect("seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5);
    for path in seeds {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let truth: Json = serde_json::from_slice(
            &std::fs::read(corpus.join("truth").join(format!("{stem}.json"))).expect("truth"),
        )
        .expect("truth is JSON");
        let first = xxgk_read::read(&std::fs::read(&path).expect("seed"), Some(stem))
            .expect("the seed reads");
        assert!(
            truth_diff(&first, &truth).is_empty(),
            "{stem}: the text reader"
        );
        let Some(bytes) = render(&first, &PdfOptions::default()) else {
            return;
        };
        let again = xxgk_read::read(&bytes, Some("render.pdf")).expect("the PDF reads");
        let bad = truth_diff(&again, &truth);
        assert!(bad.is_empty(), "{stem}:\n{}", bad.join("\n"));
    }
}

// ---------------------------------------------------------------------------------------------
// The official structure, as the reader's grid rows show it
// ---------------------------------------------------------------------------------------------

fn fields(v: &[&str]) -> String {
    v.join("\t")
}

/// The header rows of tables 三 and 四 are the official template's (merged cells print their
/// text in their first grid cell, empty fields over the rest: the 勾稽 note over the three
/// label columns and three rows, 申请人情况 over seven columns, 法人或其他组织 over five; 行政复议
/// over five, 行政诉讼 over ten); table 三 repeats its header on each page it is continued on;
/// 三、本年度办理结果 is one cell; blank cells print nothing.
#[test]
fn the_tables_have_the_official_grid() {
    use xxgk_model::catalogue::{
        APPLICANT_COLUMNS, APPLICANT_HEADER, LITIGATION_HEADER, NOTE_BALANCE, ORGANISATION_HEADER,
        OUTCOMES_GROUP, REVIEW_HEADER,
    };
    let report = random_report(5, &gen_options(0, true, false));
    let Some(bytes) = render(&report, &PdfOptions::default()) else {
        return;
    };
    let doc = xxgk_read::pdf::extract(&bytes).expect("extract");
    let lines = doc.lines();
    let col = |i: usize| APPLICANT_COLUMNS[i].label;
    let t3 = [
        fields(&[
            NOTE_BALANCE,
            "",
            "",
            APPLICANT_HEADER,
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
        fields(&[
            "",
            "",
            "",
            col(0),
            ORGANISATION_HEADER,
            "",
            "",
            "",
            "",
            col(6),
        ]),
        fields(&["", "", "", "", col(1), col(2), col(3), col(4), col(5), ""]),
    ];
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| lines[i] == t3[0]).collect();
    // Table 三 is longer than a page: its header is printed twice.
    assert_eq!(starts.len(), 2, "{lines:#?}");
    for &s in &starts {
        assert_eq!(lines[s + 1], t3[1]);
        assert_eq!(lines[s + 2], t3[2]);
    }
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.split('\t').any(|f| f == OUTCOMES_GROUP))
            .count(),
        1
    );
    let leaves = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut t4 = vec![REVIEW_HEADER, "", "", "", "", LITIGATION_HEADER];
    t4.extend([""; 9]);
    let mut t4b: Vec<&str> = leaves.to_vec();
    t4b.extend([
        "未经复议直接起诉",
        "",
        "",
        "",
        "",
        "复议后起诉",
        "",
        "",
        "",
        "",
    ]);
    let mut t4c = vec![""; 5];
    t4c.extend(leaves);
    t4c.extend(leaves);
    let at = lines
        .iter()
        .position(|l| *l == fields(&t4))
        .unwrap_or_else(|| panic!("table 四 header: {lines:#?}"));
    assert_eq!(lines[at + 1], fields(&t4b));
    assert_eq!(lines[at + 2], fields(&t4c));
    // The data row: one field per cell, a blank cell empty.
    let data: Vec<&str> = lines[at + 3].split('\t').collect();
    assert_eq!(data.len(), 15);
    let expected: Vec<String> = report
        .cells
        .iter()
        .filter(|(id, _)| id.table == xxgk_model::TableId::Appeals)
        .map(|(_, c)| match &c.value {
            xxgk_model::Value::Number(n) => n.to_string(),
            _ => String::new(),
        })
        .collect();
    let mut got: Vec<String> = data.iter().map(|s| s.to_string()).collect();
    let mut want = expected;
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

/// Numbers wider than their column are printed smaller, on one line, and read back whole;
/// a text cell ("/") prints as itself.
#[test]
fn wide_numbers_shrink_to_fit_their_cell() {
    use xxgk_model::{Number, Value};
    let mut report = random_report(8, &gen_options(0, false, false));
    let wide = Number::parse("98765432.15").expect("number");
    for (i, cell) in report.cells.values_mut().enumerate() {
        cell.value = match i % 3 {
            0 => Value::Number(wide),
            1 => Value::Text("/".into()),
            _ => cell.value.clone(),
        };
    }
    let Some(bytes) = render(&report, &PdfOptions::default()) else {
        return;
    };
    let read = xxgk_read::read(&bytes, Some("render.pdf")).expect("reads");
    let bad = differences(&report, &read);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A report holding only some rows of table 三 (三、本年度办理结果 over two rows, its vertical
/// text taller than them; （三）不予公开 over one): the rows it holds read back, no other.
#[test]
fn a_report_with_some_rows_only() {
    let mut report = random_report(9, &gen_options(0, false, false));
    report.cells.retain(|id, _| {
        id.table != xxgk_model::TableId::Requests
            || ["new_received", "granted", "denied_state_secret"].contains(&id.row)
    });
    let Some(bytes) = render(&report, &PdfOptions::default()) else {
        return;
    };
    let read = xxgk_read::read(&bytes, Some("render.pdf")).expect("reads");
    let bad = differences(&report, &read);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
