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

/// A page turned by `degrees` about its centre (nearest pixel), white outside.
fn rotate(page: &image::GrayImage, degrees: f64) -> image::GrayImage {
    let (w, h) = page.dimensions();
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    image::GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (f64::from(x) - cx, f64::from(y) - cy);
        let sx = (dx * c + dy * s + cx).round() as i64;
        let sy = (-dx * s + dy * c + cy).round() as i64;
        if sx >= 0 && sy >= 0 && sx < i64::from(w) && sy < i64::from(h) {
            *page.get_pixel(sx as u32, sy as u32)
        } else {
            image::Luma([255])
        }
    })
}

/// Salt-and-pepper noise on `permille` of the pixels, from a fixed seed (a linear congruential
/// generator: the test is the same on every run).
fn noise(page: &mut image::GrayImage, permille: u64) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for p in page.pixels_mut() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let r = (state >> 33) % 1000;
        if r < permille {
            p.0[0] = if (state >> 20) & 1 == 0 { 0 } else { 255 };
        }
    }
}

/// At 150 dpi, turned by 0.4° and with noise: every cell read is right or named by a finding
/// (the OCR's low confidence, or a check's broken identity); a cell may be missing. With
/// `XXGK_OCR_PAGES=DIR` the pages as read are saved there.
#[test]
fn a_noisy_turned_scan_at_150_dpi_has_no_wrong_cell_unnamed() {
    let Some(engine) = engine("a_noisy_turned_scan_at_150_dpi_has_no_wrong_cell_unnamed") else {
        return;
    };
    let (name, bytes) = seed("003");
    let expected = xxgk_read::read(&bytes, Some(&name)).expect("read seed");
    let pdf = render_pdf(&expected);
    let pages: Vec<image::GrayImage> = xxgk_ocr::pdf_pages(&pdf, 150)
        .expect("rasterise")
        .iter()
        .map(|p| {
            let mut p = rotate(p, 0.4);
            noise(&mut p, 3);
            p
        })
        .collect();
    // XXGK_OCR_PAGES=DIR keeps the pages as read, to look at.
    if let Some(dir) = std::env::var_os("XXGK_OCR_PAGES") {
        for (i, p) in pages.iter().enumerate() {
            p.save(PathBuf::from(&dir).join(format!("noisy-{}.png", i + 1)))
                .expect("save page");
        }
    }
    let found = xxgk_ocr::read_pages(&pages, Some("scan.pdf"), &engine).expect("OCR");
    let mut named: Vec<String> = found
        .findings
        .iter()
        .flat_map(|f| f.cells.iter().map(|c| c.to_string()))
        .collect();
    named.extend(
        xxgk_check::check(&found)
            .iter()
            .flat_map(|f| f.cells.iter().map(|c| c.to_string())),
    );
    let wrong: Vec<_> = differences(&expected, &found)
        .into_iter()
        .filter(|(_, _, f)| f != "（无）")
        .filter(|(id, _, _)| !named.contains(id))
        .collect();
    assert!(wrong.is_empty(), "wrong cells no finding names: {wrong:#?}");
    let read = found.cells.len();
    assert!(
        read * 3 >= expected.cells.len(),
        "at least a third of the cells read: {read} of {}",
        expected.cells.len()
    );
}
