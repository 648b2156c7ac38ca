//! The OCR round trip of issue 12: a report rendered to PDF by xxgk's own writer, its pages
//! rasterised (pdftoppm), read back by OCR (Tesseract) — the same cells as the report.
//!
//! Needs `tesseract` with `chi_sim` and `pdftoppm` (Debian: tesseract-ocr, tesseract-ocr-chi-sim,
//! poppler-utils; `.ci/run` installs them). Without them the test says so and passes, except
//! under CI=true.

use std::path::PathBuf;

use xxgk_model::{Report, Value};
use xxgk_ocr::{Engine, Tesseract};

fn engine(test: &str) -> Option<Tesseract> {
    let found = Tesseract::find();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: tesseract with chi_sim not found (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
        );
        eprintln!("{test}: tesseract with chi_sim not found, skipped");
    }
    found
}

fn seed(prefix: &str) -> (String, Vec<u8>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let path = std::fs::read_dir(&dir)
        .expect("the corpus seeds (../shared/corpus/seeds)")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })
        .expect("the seed");
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    (
        name.unwrap_or_default(),
        std::fs::read(&path).expect("read seed"),
    )
}

/// Cells of a report that differ from the expected one: (id, expected, found).
fn differences(expected: &Report, found: &Report) -> Vec<(String, String, String)> {
    let show = |v: Option<&Value>| v.map_or("（无）".to_owned(), |v| format!("{v:?}"));
    let mut ids: Vec<_> = expected.cells.keys().chain(found.cells.keys()).collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let e = expected.cells.get(id).map(|c| &c.value);
            let f = found.cells.get(id).map(|c| &c.value);
            (e != f).then(|| (id.to_string(), show(e), show(f)))
        })
        .collect()
}

fn render_pdf(report: &Report) -> Vec<u8> {
    xxgk_write::pdf::render_pdf(report, &Default::default()).expect("render PDF")
}

#[test]
fn a_rendered_report_reads_back_at_300_dpi() {
    let Some(engine) = engine("a_rendered_report_reads_back_at_300_dpi") else {
        return;
    };
    let (name, bytes) = seed("001");
    let expected = xxgk_read::read(&bytes, Some(&name)).expect("read seed");
    let pdf = render_pdf(&expected);
    let pages = xxgk_ocr::pdf_pages(&pdf, 300).expect("rasterise");
    let found = xxgk_ocr::read_pages(&pages, Some("scan.pdf"), &engine).expect("OCR");
    let diff = differences(&expected, &found);
    assert!(diff.is_empty(), "{} cells differ: {diff:#?}", diff.len());
    assert!(found.findings.iter().any(|f| f.rule == "READ-OCR"));
    assert!(engine.name().contains("tesseract"));
}
