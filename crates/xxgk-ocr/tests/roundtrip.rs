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

/// A PDF of page images only (a scan: no text layer), one A4 page per image, each image a
/// FlateDecode gray bitmap drawn over the whole page.
fn scanned_pdf(pages: &[image::GrayImage]) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    use std::io::Write;
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for page in pages {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(page.as_raw()).expect("compress");
        let data = z.finish().expect("compress");
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image",
                "Width" => i64::from(page.width()), "Height" => i64::from(page.height()),
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "FlateDecode",
            },
            data,
        ));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec(),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
        });
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write PDF");
    out
}

/// The acceptance's round trip: the report rendered to PDF, its pages rasterised at 300 dpi and
/// rebuilt as a PDF of images (a scan), read through the same entry as `xxgk extract`: the
/// text reader finds no text layer, OCR reads it, every cell as the report has it.
#[test]
fn a_rendered_report_reads_back_at_300_dpi() {
    let Some(engine) = engine("a_rendered_report_reads_back_at_300_dpi") else {
        return;
    };
    let (name, bytes) = seed("001");
    let expected = xxgk_read::read(&bytes, Some(&name)).expect("read seed");
    let pdf = render_pdf(&expected);
    let pages = xxgk_ocr::pdf_pages(&pdf, 300).expect("rasterise");
    let scan = scanned_pdf(&pages);
    assert!(matches!(
        xxgk_read::read(&scan, Some("scan.pdf")),
        Err(xxgk_read::ReadError::ScannedPdf)
    ));
    let (found, _) =
        xxgk_ocr::read_with(&scan, Some("scan.pdf"), &mut |_| Vec::new(), Some(&engine))
            .expect("OCR");
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

/// Without an engine, an image is refused with what to install, and a scan keeps the reader's
/// own error.
#[test]
fn without_an_engine_images_and_scans_say_what_is_needed() {
    let page = image::GrayImage::from_pixel(200, 300, image::Luma([255]));
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(page.clone())
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode PNG");
    assert!(xxgk_ocr::is_image(&png));
    let err = xxgk_ocr::read_with(&png, Some("p.png"), &mut |_| Vec::new(), None)
        .expect_err("an image needs OCR");
    assert_eq!(
        err.to_string(),
        "文字识别失败：文件是图片，需要文字识别：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim"
    );
    let scan = scanned_pdf(&[page]);
    let err = xxgk_ocr::read_with(&scan, Some("s.pdf"), &mut |_| Vec::new(), None)
        .expect_err("a scan needs OCR");
    assert!(matches!(err, xxgk_read::ReadError::ScannedPdf), "{err}");
}
