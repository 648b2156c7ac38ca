//! Issue 4's acceptance: the official template filled with known numbers
//! (`tests/support/fill_template.rs`), saved as DOCX and converted by LibreOffice to HTML, PDF,
//! .doc and plain text (`scripts/make-template-fixtures.sh`): every conversion reads back to the
//! same cells, the 200 of `filled-2021.truth.json`, blanks `null`.

use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/template")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_conversion_of_the_filled_template_reads_to_the_same_cells() {
    let truth: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&fixture("filled-2021.truth.json")).expect("truth JSON");
    assert_eq!(truth.len(), 200);
    for name in [
        "filled-2021.docx",
        "filled-2021.html",
        "filled-2021.pdf",
        "filled-2021.doc",
        "filled-2021.wps",
        "filled-2021.txt",
    ] {
        let report = xxgk_read::read(&fixture(name), Some(name)).expect(name);
        assert_eq!(report.kind.id(), "2021", "{name}");
        assert_eq!(report.meta.year, Some(2024), "{name}");
        let cells: serde_json::Map<String, serde_json::Value> = report
            .flat_cells()
            .into_iter()
            .map(|(k, v)| (k, v.to_json()))
            .collect();
        let diff: Vec<String> = truth
            .keys()
            .chain(cells.keys())
            .filter(|k| truth.get(*k) != cells.get(*k))
            .map(|k| format!("{k}: truth {:?}, read {:?}", truth.get(k), cells.get(k)))
            .collect();
        assert!(diff.is_empty(), "{name}:\n{}", diff.join("\n"));
        // Every cell knows where it came from.
        assert!(report.cells.values().all(|c| c.span.line > 0), "{name}");
    }
}
