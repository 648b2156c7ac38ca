//! The DOC/WPS reader on the official 2021 template (tests/fixtures/template, made by
//! scripts/make-ole-fixtures.sh): the filled template reads to its truth exactly, as .doc and
//! as .wps (a .doc under the .wps name, which is what county sites publish), and the blank
//! template reads as the 2021 format with every cell blank.

use std::path::PathBuf;

use xxgk_model::{Severity, Value};

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/template")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn check_filled(name: &str) {
    let bytes = fixture(name);
    assert_eq!(xxgk_read::sniff(&bytes), xxgk_read::FileKind::Ole);
    let report = xxgk_read::read(&bytes, Some(name)).expect(name);
    assert_eq!(report.kind.id(), "2021");
    let truth: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&fixture("filled-2021.truth.json")).expect("truth JSON");
    let cells: serde_json::Map<String, serde_json::Value> = report
        .flat_cells()
        .into_iter()
        .map(|(k, v)| (k, v.to_json()))
        .collect();
    let mut diff = Vec::new();
    for key in truth.keys().chain(cells.keys()) {
        if truth.get(key) != cells.get(key) {
            diff.push(format!(
                "{key}: truth {:?}, read {:?}",
                truth.get(key),
                cells.get(key)
            ));
        }
    }
    assert!(diff.is_empty(), "{name}:\n{}", diff.join("\n"));
    let warnings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    // Provenance: the 规章 row is paragraph 16 (1 blank, 2 title, 3 intro, 4 blank, 5-6 part 一,
    // 7 blank, 8-9 part 二, 10 blank, 11 the 第二十条第（一）项 row, 12-15 the header cells).
    let c = report.get("active.rules.in_force").expect("规章 in force");
    assert_eq!((c.span.line, c.span.page, c.span.column), (16, None, None));
    assert_eq!(report.meta.year, Some(2024));
}

#[test]
fn filled_template_doc_reads_to_the_truth() {
    check_filled("filled-2021.doc");
}

#[test]
fn filled_template_wps_reads_to_the_truth() {
    check_filled("filled-2021.wps");
}

#[test]
fn blank_template_reads_blank() {
    let report = xxgk_read::read(&fixture("blank-2021.doc"), None).unwrap();
    assert_eq!(report.kind.id(), "2021");
    // Tables 二 (10 cells) and 三 (25 rows × 7 columns) are found by their labels; table 四's
    // only row, a row of empty cells under its header, is read as that row: 15 cells. All blank.
    assert_eq!(report.cells.len(), 10 + 25 * 7 + 15);
    assert!(report.cells.values().all(|c| c.value == Value::Blank));
    assert!(!report
        .findings
        .iter()
        .any(|f| f.rule == "READ-TABLE-MISSING"));
}

/// A tracked deletion is not printed and must not join the digits around it ("56" deleted
/// before "78" is 78, not 5678); hidden text is not printed either.
#[test]
fn deleted_revisions_and_hidden_text_are_dropped() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ole/tracked-changes.doc");
    let bytes = std::fs::read(&path).expect("tracked-changes.doc");
    let doc = xxgk_read::ole::document(&bytes).expect("readable");
    assert_eq!(doc.lines(), ["规章数量78件", "可见文字"]);
}
