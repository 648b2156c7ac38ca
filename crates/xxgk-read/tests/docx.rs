//! The DOCX reader on the official template (blank and filled), on tables merged in other
//! shapes, and on random reports written by `xxgk_write::docx::render_docx` (property test).

#[path = "support/fill_template.rs"]
mod fill_template;

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use xxgk_model::catalogue::{self, Format, TableId};
use xxgk_model::{cell_differences, Report, Value};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::docx::render_docx;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/template/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(bytes: &[u8]) -> Report {
    xxgk_read::read(bytes, Some("test.docx")).unwrap_or_else(|e| panic!("not read: {e}"))
}

/// `Some(printed)` for a number, `None` for a blank; anything else fails.
fn printed(cells: &BTreeMap<String, Value>) -> BTreeMap<String, Option<String>> {
    cells
        .iter()
        .map(|(k, v)| {
            let p = match v {
                Value::Blank => None,
                Value::Number(n) => Some(n.to_string()),
                Value::Text(t) => panic!("{k}: text {t:?}"),
            };
            (k.clone(), p)
        })
        .collect()
}

fn diff(expected: &BTreeMap<String, Option<String>>, read: &BTreeMap<String, Option<String>>) {
    let mut bad = Vec::new();
    for k in expected.keys().chain(read.keys()) {
        if expected.get(k) != read.get(k) {
            bad.push(format!("{k}: {:?} → {:?}", expected.get(k), read.get(k)));
        }
    }
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} cells differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn all_2021_cells() -> usize {
    catalogue::tables(Format::F2021)
        .iter()
        .map(|t| t.cells().count())
        .sum()
}

// ---------------------------------------------------------------------------------------------
// (a) The blank official template
// ---------------------------------------------------------------------------------------------

#[test]
fn the_blank_template_reads_every_cell_blank() {
    let r = read(&fixture("official-template-2021.docx"));
    assert_eq!(r.format(), Some(Format::F2021));
    assert_eq!(r.cells.len(), all_2021_cells());
    assert_eq!(all_2021_cells(), 10 + 25 * 7 + 15);
    for (id, c) in &r.cells {
        assert_eq!(c.value, Value::Blank, "{id:?}");
        assert_eq!(c.span.page, None);
    }
    for key in [
        "active.rules.issued",
        "active.fees.amount",
        "requests.new_received.natural_person",
        "requests.other_unpaid_fee.legal_service_organization",
        "requests.total.total",
        "appeals.review.upheld",
        "appeals.litigation_after_review.total",
    ] {
        let c = r.get(key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(c.value, Value::Blank, "{key}");
    }
    assert!(
        !r.findings
            .iter()
            .any(|f| f.rule.starts_with("READ-TABLE") || f.rule == "READ-ROW-MISSING"),
        "{:?}",
        r.findings
    );
}

// ---------------------------------------------------------------------------------------------
// (b) The template filled with known numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn the_known_values_are_the_documented_formula() {
    // Checked by hand against the formula in fill_template.rs.
    let v = fill_template::known_values();
    assert_eq!(v.len(), all_2021_cells());
    let get = |k: &str| v.get(k).cloned().unwrap_or_else(|| panic!("{k}"));
    assert_eq!(get("active.rules.issued"), Some("11".into()));
    assert_eq!(get("active.rules.repealed"), Some("0".into()));
    assert_eq!(get("active.normative_documents.repealed"), None);
    assert_eq!(get("active.licensing.decisions"), Some("31".into()));
    assert_eq!(get("active.coercion.decisions"), Some("51".into()));
    assert_eq!(get("active.fees.amount"), Some("12.34".into()));
    assert_eq!(
        get("requests.new_received.natural_person"),
        Some("100".into())
    );
    assert_eq!(get("requests.granted.natural_person"), Some("120".into()));
    assert_eq!(get("requests.granted.legal_service_organization"), None);
    assert_eq!(
        get("requests.denied_state_secret.natural_person"),
        Some("0".into())
    );
    assert_eq!(get("requests.carried_forward.total"), Some("346".into()));
    assert_eq!(get("appeals.review.upheld"), Some("500".into()));
    assert_eq!(get("appeals.review.pending"), None);
    assert_eq!(
        get("appeals.litigation_after_review.total"),
        Some("514".into())
    );
}

#[test]
fn the_filled_template_reads_back_exactly() {
    let values = fill_template::known_values();
    let docx =
        fill_template::fill_docx(&fixture("official-template-2021.docx"), &values).expect("filled");
    let r = read(&docx);
    diff(&values, &printed(&r.flat_cells()));
    assert_eq!(r.format(), Some(Format::F2021));
    assert_eq!(r.meta.year, Some(2024));
    assert_eq!(
        r.meta.title.as_ref().map(|t| t.value.as_str()),
        Some(fill_template::TITLE)
    );
    assert_eq!(r.sections.len(), 6);
    // Provenance: paragraph numbers, increasing down table 三, no page.
    let lines: Vec<u32> = catalogue::table(Format::F2021, TableId::Requests)
        .rows
        .iter()
        .map(|row| {
            r.get(&format!("requests.{}.natural_person", row.key))
                .map(|c| c.span.line)
                .unwrap_or(0)
        })
        .collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
    // A data row of table 三 holds 10 paragraphs (3 label columns, 7 values) and the rows under
    // 三、本年度办理结果 hold theirs too, vMerge continuations included.
    assert!(lines.windows(2).all(|w| w[1] - w[0] >= 8), "{lines:?}");
    // The truth of the committed fixtures is these values.
    assert_eq!(
        fill_template::truth_json(&values),
        String::from_utf8(fixture("filled-2021.truth.json")).expect("utf-8")
    );
}

#[test]
fn the_committed_filled_fixture_reads_to_its_truth() {
    let r = read(&fixture("filled-2021.docx"));
    let truth: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&fixture("filled-2021.truth.json")).expect("json");
    let read: serde_json::Map<String, serde_json::Value> = r
        .flat_cells()
        .into_iter()
        .map(|(k, v)| (k, v.to_json()))
        .collect();
    assert_eq!(read, truth);
    assert_eq!(r.meta.agency.as_deref(), Some("XX市XX局"));
}

// ---------------------------------------------------------------------------------------------
// (c) Table 三 merged in other shapes
// ---------------------------------------------------------------------------------------------

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum VMerge {
    No,
    Restart,
    Continue,
}

/// One `w:tc`.
struct Tc {
    text: String,
    span: u32,
    vmerge: VMerge,
}

fn tc(text: &str, span: u32, vmerge: VMerge) -> Tc {
    Tc {
        text: text.to_string(),
        span,
        vmerge,
    }
}

fn cell_xml(c: &Tc) -> String {
    let mut pr = String::new();
    if c.span > 1 {
        pr.push_str(&format!("<w:gridSpan w:val=\"{}\"/>", c.span));
    }
    match c.vmerge {
        VMerge::No => {}
        VMerge::Restart => pr.push_str("<w:vMerge w:val=\"restart\"/>"),
        VMerge::Continue => pr.push_str("<w:vMerge/>"),
    }
    let runs = if c.text.is_empty() {
        String::new()
    } else {
        format!("<w:r><w:t>{}</w:t></w:r>", c.text)
    };
    format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{runs}</w:p></w:tc>")
}

fn row_xml(before: u32, cells: &[Tc]) -> String {
    let trpr = if before > 0 {
        format!("<w:trPr><w:gridBefore w:val=\"{before}\"/></w:trPr>")
    } else {
        String::new()
    };
    let cells: String = cells.iter().map(cell_xml).collect();
    format!("<w:tr>{trpr}{cells}</w:tr>")
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// How the label columns of table 三 are built.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    /// As the official template: labels spanning columns, group cells merged down.
    Official,
    /// Three separate label cells in every row, no merge at all; a group label only in its
    /// first row.
    Separate,
    /// Cells missing at the start of the row (`w:gridBefore`) under the row-spanning labels.
    GridBefore,
    /// Group labels merged down, but the (一)/(二)/(七) labels in a cell of their own beside an
    /// empty one, and the top-level labels over two cells plus an empty one.
    Mixed,
}

/// The value printed in table 三 row `i`, column `j` (distinct; a few blanks).
fn value(i: usize, j: usize) -> Option<String> {
    if (i + j) % 11 == 5 {
        None
    } else {
        Some((1000 + 10 * i + j).to_string())
    }
}

fn requests_table(shape: Shape) -> (String, BTreeMap<String, Option<String>>) {
    let rows = catalogue::table(Format::F2021, TableId::Requests).rows_for(false);
    let cols = catalogue::APPLICANT_COLUMNS;
    let mut xml = String::new();
    let grid: String = [754, 921, 3271, 685, 685, 685, 685, 685, 685, 685]
        .iter()
        .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
        .collect();
    xml.push_str(&format!("<w:tbl><w:tblGrid>{grid}</w:tblGrid>"));
    // The official header rows.
    let v = VMerge::Restart;
    let c = VMerge::Continue;
    let n = VMerge::No;
    xml.push_str(&row_xml(
        0,
        &[
            tc(catalogue::NOTE_BALANCE, 3, v),
            tc(catalogue::APPLICANT_HEADER, 7, n),
        ],
    ));
    let mut h2 = vec![tc("", 3, c), tc(cols[0].label, 1, v)];
    h2.push(tc(catalogue::ORGANISATION_HEADER, 5, n));
    h2.push(tc(cols[6].label, 1, v));
    xml.push_str(&row_xml(0, &h2));
    let mut h3 = vec![tc("", 3, c), tc("", 1, c)];
    h3.extend(cols[1..6].iter().map(|col| tc(col.label, 1, n)));
    h3.push(tc("", 1, c));
    xml.push_str(&row_xml(0, &h3));

    let mut expected = BTreeMap::new();
    let mut outcome_started = false;
    let mut group_started: Option<&str> = None;
    for (i, row) in rows.iter().enumerate() {
        let label = row.printed_label();
        let values: Vec<Tc> = (0..7)
            .map(|j| tc(value(i, j).as_deref().unwrap_or(""), 1, n))
            .collect();
        for (j, col) in cols.iter().enumerate() {
            expected.insert(format!("requests.{}.{}", row.key, col.key), value(i, j));
        }
        let first_outcome = !outcome_started && row.group.is_some();
        if row.group.is_some() {
            outcome_started = true;
        }
        let outcome = |first: bool| -> Tc {
            let text = if first { catalogue::OUTCOMES_GROUP } else { "" };
            match shape {
                Shape::Official | Shape::Mixed => tc(text, 1, if first { v } else { c }),
                _ => tc(text, 1, n),
            }
        };
        let (before, mut cells) = match row.group {
            None => match shape {
                Shape::Separate => (0, vec![tc(&label, 1, n), tc("", 1, n), tc("", 1, n)]),
                Shape::Mixed => (0, vec![tc(&label, 2, n), tc("", 1, n)]),
                _ => (0, vec![tc(&label, 3, n)]),
            },
            Some(g) if g == catalogue::OUTCOMES_GROUP => {
                group_started = None;
                match shape {
                    Shape::GridBefore if !first_outcome => (1, vec![tc(&label, 2, n)]),
                    Shape::Separate | Shape::Mixed => (
                        0,
                        vec![outcome(first_outcome), tc(&label, 1, n), tc("", 1, n)],
                    ),
                    _ => (0, vec![outcome(first_outcome), tc(&label, 2, n)]),
                }
            }
            Some(g) => {
                let first_in_group = group_started != Some(g);
                group_started = Some(g);
                match shape {
                    Shape::GridBefore if !first_in_group => (2, vec![tc(&label, 1, n)]),
                    Shape::GridBefore => (1, vec![tc(g, 1, n), tc(&label, 1, n)]),
                    Shape::Separate => (
                        0,
                        vec![
                            outcome(first_outcome),
                            tc(if first_in_group { g } else { "" }, 1, n),
                            tc(&label, 1, n),
                        ],
                    ),
                    _ => (
                        0,
                        vec![
                            outcome(first_outcome),
                            tc(
                                if first_in_group { g } else { "" },
                                1,
                                if first_in_group { v } else { c },
                            ),
                            tc(&label, 1, n),
                        ],
                    ),
                }
            }
        };
        cells.extend(values);
        xml.push_str(&row_xml(before, &cells));
    }
    xml.push_str("</w:tbl>");
    (xml, expected)
}

fn docx_with_body(body: &str) -> Vec<u8> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>"
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", opts).expect("zip");
    w.write_all(doc.as_bytes()).expect("zip");
    w.finish().expect("zip").into_inner()
}

#[test]
fn table_three_merged_in_other_shapes_reads_to_the_same_cells() {
    let mut results = Vec::new();
    for shape in [
        Shape::Official,
        Shape::Separate,
        Shape::GridBefore,
        Shape::Mixed,
    ] {
        let (table, expected) = requests_table(shape);
        let body = [
            para("XX县XX局2023年政府信息公开工作年度报告"),
            para("三、收到和处理政府信息公开申请情况"),
            table,
            para("四、政府信息公开行政复议、行政诉讼情况"),
        ]
        .concat();
        let r = read(&docx_with_body(&body));
        let cells: BTreeMap<String, Option<String>> = printed(&r.flat_cells())
            .into_iter()
            .filter(|(k, _)| k.starts_with("requests."))
            .collect();
        assert_eq!(expected.len(), 25 * 7);
        assert!(expected.values().any(Option::is_none));
        eprintln!("{shape:?}");
        diff(&expected, &cells);
        results.push(cells);
        // The shapes print different grid rows (a label over two columns prints one field, a
        // label beside an empty cell two), yet no row is refused or read by guesswork.
        assert!(
            !r.findings.iter().any(|f| f.rule.starts_with("READ-ROW")),
            "{shape:?}: {:?}",
            r.findings
        );
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}

// ---------------------------------------------------------------------------------------------
// (d) Random reports written as DOCX
// ---------------------------------------------------------------------------------------------

fn check_roundtrip(
    seed: u64,
    variant: u8,
    blanks: bool,
    placeholders: bool,
) -> Result<(), TestCaseError> {
    let (format, single) = match variant {
        0 => (Format::F2021, false),
        1 => (Format::F2021, true),
        _ => (Format::F2019, false),
    };
    let opts = GenOptions {
        blank_probability: if blanks { 0.05 } else { 0.0 },
        text_probability: if placeholders { 0.03 } else { 0.0 },
        other_single_row: single,
        format: Some(format),
        ..GenOptions::default()
    };
    let expected = random_report(seed, &opts);
    let bytes = render_docx(&expected);
    let read = xxgk_read::read(&bytes, None)
        .map_err(|e| TestCaseError::fail(format!("seed {seed}: not read: {e}")))?;
    let bad = cell_differences(&expected.flat_cells(), &read.flat_cells());
    if !bad.is_empty() {
        return Err(TestCaseError::fail(format!(
            "seed {seed} variant {variant}: {} cells differ:\n{}",
            bad.len(),
            bad[..bad.len().min(30)].join("\n")
        )));
    }
    prop_assert_eq!(read.format(), expected.format());
    prop_assert_eq!(read.meta.year, expected.meta.year);
    prop_assert_eq!(&read.meta.agency, &expected.meta.agency);
    prop_assert_eq!(
        read.meta.published.as_ref().map(|d| d.value),
        expected.meta.published.as_ref().map(|d| d.value)
    );
    prop_assert!(
        !read
            .findings
            .iter()
            .any(|f| f.rule.starts_with("READ-TABLE")),
        "seed {}: {:?}",
        seed,
        read.findings
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(128),
        failure_persistence: None,
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_reports_read_back_from_docx(
        seed in any::<u64>(),
        variant in 0u8..3,
        blanks in prop::bool::weighted(0.3),
        placeholders in prop::bool::weighted(0.2),
    ) {
        check_roundtrip(seed, variant, blanks, placeholders)?;
    }
}

#[test]
fn plain_reports_read_back_from_docx_in_every_format() {
    for seed in 0..6 {
        for variant in 0..3 {
            if let Err(e) = check_roundtrip(seed, variant, false, false) {
                panic!("{e}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Damaged files never panic
// ---------------------------------------------------------------------------------------------

/// Pieces of WordprocessingML, balanced or not, for random documents.
const XML_PIECES: &[&str] = &[
    "<w:p>",
    "</w:p>",
    "<w:r>",
    "</w:r>",
    "<w:t>",
    "</w:t>",
    "12",
    "规章",
    "\t",
    "<w:tab/>",
    "<w:br/>",
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    "</w:tr>",
    "<w:tc>",
    "</w:tc>",
    "<w:tcPr>",
    "</w:tcPr>",
    "<w:gridSpan w:val=\"3\"/>",
    "<w:gridSpan w:val=\"-1\"/>",
    "<w:vMerge/>",
    "<w:vMerge w:val=\"restart\"/>",
    "<w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>",
    "<w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>",
    "<w:del>",
    "</w:del>",
    "<w:ins>",
    "</w:ins>",
    "<w:fldChar w:fldCharType=\"begin\"/>",
    "<w:fldChar w:fldCharType=\"separate\"/>",
    "<w:fldChar w:fldCharType=\"end\"/>",
    "<w:instrText>",
    "</w:instrText>",
    "<w:pPr><w:numPr><w:ilvl w:val=\"8\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>",
    "<w:txbxContent>",
    "</w:txbxContent>",
    "<w:drawing>",
    "</w:drawing>",
    "&amp;",
    "&#0;",
    "&bogus;",
    "<![CDATA[x]]>",
    "<w:sdt><w:sdtContent>",
    "</w:sdtContent></w:sdt>",
];

const NUMBERING_XML: &str = "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
    <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"8\"><w:start w:val=\"-5\"/>\
    <w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%9%1%10、\"/><w:lvlRestart w:val=\"99\"/></w:lvl></w:abstractNum>\
    <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/><w:lvlOverride w:ilvl=\"8\"><w:startOverride w:val=\"-9223372036854775808\"/></w:lvlOverride></w:num>\
    </w:numbering>";

fn random_docx(idx: &[usize]) -> Vec<u8> {
    let body: String = idx
        .iter()
        .map(|i| XML_PIECES[i % XML_PIECES.len()])
        .collect();
    let doc = format!("<w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>");
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("word/document.xml", opts).expect("zip");
    w.write_all(doc.as_bytes()).expect("zip");
    w.start_file("word/numbering.xml", opts).expect("zip");
    w.write_all(NUMBERING_XML.as_bytes()).expect("zip");
    w.finish().expect("zip").into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn damaged_docx_never_panics(cut in 0usize..30_000, flips in proptest::collection::vec((0usize..30_000, any::<u8>()), 0..8)) {
        let mut bytes = fixture("filled-2021.docx");
        for (at, x) in flips {
            let n = bytes.len();
            bytes[at % n] ^= x;
        }
        bytes.truncate(cut.max(1));
        let _ = xxgk_read::read(&bytes, None);
        let _ = xxgk_read::docx::read(&bytes, None);
    }

    #[test]
    fn random_wordprocessingml_never_panics(idx in proptest::collection::vec(0usize..1000, 0..300)) {
        let _ = xxgk_read::docx::read(&random_docx(&idx), None);
    }
}

/// A seed the random round trip once failed on: the agency "洛阳高新技术产业开发区知识产权事业发展中心"
/// was read as "知识产权事业发展中心".
#[test]
fn development_zone_agency_reads_back_whole() {
    for blanks in [false, true] {
        for placeholders in [false, true] {
            if let Err(e) = check_roundtrip(1173766020262874913, 1, blanks, placeholders) {
                panic!("{e}");
            }
        }
    }
}
