//! The PDF reader on the official template filled with known numbers, exported to PDF by
//! LibreOffice (`tests/fixtures/template/filled-2021.pdf`, made by
//! `scripts/make-template-fixtures.sh`; every cell has a distinct value, some are blank):
//! every cell must be read exactly, blanks as blanks.

use std::collections::BTreeMap;

use serde_json::Value as Json;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/template/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn filled_template_pdf_reads_every_cell_exactly() {
    let truth: BTreeMap<String, Json> =
        serde_json::from_slice(&fixture("filled-2021.truth.json")).expect("truth is JSON");
    assert!(truth.len() >= 190, "{} cells in the truth", truth.len());
    let report = xxgk_read::read(&fixture("filled-2021.pdf"), Some("filled-2021.pdf"))
        .expect("the PDF reads");
    let read: BTreeMap<String, Json> = report
        .flat_cells()
        .into_iter()
        .map(|(k, v)| (k, v.to_json()))
        .collect();
    let mut diffs = Vec::new();
    for (k, expected) in &truth {
        match read.get(k) {
            Some(got) if got == expected => {}
            got => diffs.push(format!("{k}: expected {expected}, read {got:?}")),
        }
    }
    for k in read.keys().filter(|k| !truth.contains_key(*k)) {
        diffs.push(format!("{k}: read, not in the truth"));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    assert_eq!(report.meta.year, Some(2024));
    // Provenance points into the PDF: table 四 is on page 3.
    let cell = report
        .get("appeals.review.upheld")
        .expect("table 四 is read");
    assert_eq!(cell.span.page, Some(3));
}
