//! Reading reports published as images — scanned PDFs, page photographs — by OCR (issue 12).
//!
//! This crate is an adapter, like the store: it runs programs (the OCR engine, and `pdftoppm`
//! to turn a PDF's pages into images), so it is kept out of the pure readers. The readers stay
//! the judges of what a text says: each page becomes lines of an `xxgk_read::doc::Document`
//! (tables as grid rows, found by their ruling lines: [`grid`]; cells read one by one:
//! [`page`]), which `xxgk_read::doc::read_document` reads like any Word table. So an OCR'd
//! table is matched against the catalogue's labels, fitted to its columns and checked exactly
//! as a typed one, and a digit the engine misread shows up as a broken identity in
//! `xxgk check`.
//!
//! What the report says of its reading:
//! - `READ-OCR` (info): the report was read by OCR, with the engine and the pages;
//! - `READ-OCR-LOW-CONFIDENCE` (warning): a number cell the engine was unsure of (below
//!   [`LOW_CONFIDENCE`]), naming the cell, its page and box, and the confidence.
//!
//! A blank cell (no ink inside its rulings) is never sent to the engine and stays blank.

pub mod engine;
pub mod grid;
pub mod page;

use std::path::Path;
use std::process::{Command, Stdio};

use image::GrayImage;
use xxgk_model::{Finding, Report, Severity, Span};
use xxgk_read::doc::Document;
use xxgk_read::rules::{OCR_LOW_CONFIDENCE, OCR_READ};
use xxgk_read::{FileKind, ReadError};

pub use engine::{Engine, Script, Tesseract, Word};

/// Below this confidence (0–100) a number cell is reported.
pub const LOW_CONFIDENCE: f32 = 70.0;
/// The resolution PDF pages are rasterised at.
pub const PDF_DPI: u32 = 300;
/// At most this many pages are read by OCR.
pub const MAX_PAGES: usize = 60;

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("文字识别出错：{0}")]
    Engine(String),
    #[error("图片无法读取：{0}")]
    Image(String),
    #[error("PDF 页面无法转为图片（需要 poppler-utils 的 pdftoppm）：{0}")]
    Rasterize(String),
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// Reads page images (in order) as one report.
pub fn read_pages(
    pages: &[GrayImage],
    source: Option<&str>,
    engine: &dyn Engine,
) -> Result<Report, OcrError> {
    let mut doc = Document::new();
    let mut readings = Vec::new();
    for (i, image) in pages.iter().take(MAX_PAGES).enumerate() {
        readings.extend(page::read_page(image, i as u32 + 1, engine, &mut doc)?);
    }
    let mut report = xxgk_read::doc::read_document(doc, source)?;
    let n = pages.len().min(MAX_PAGES);
    report.findings.push(
        Finding::new(
            OCR_READ,
            Severity::Info,
            format!(
                "本报告由文字识别（{}）从 {n} 页图片读出，数字须与原件核对",
                engine.name()
            ),
        )
        .at(Span {
            line: 1,
            column: None,
            page: Some(1),
        }),
    );
    low_confidence(&mut report, &readings, Place::Page);
    Ok(report)
}

/// What a reading's `page` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place<'a> {
    /// Pages of a scan (a span names the page).
    Page,
    /// Images of a page whose tables are images: the line (HTML) or paragraph (DOCX) of
    /// image 1, 2, … (a span names it).
    Images(&'a [u32]),
}

/// `READ-OCR-LOW-CONFIDENCE` for every reading below [`LOW_CONFIDENCE`], naming the cells read
/// from it (by their OCR provenance).
fn low_confidence(report: &mut Report, readings: &[page::CellReading], place: Place<'_>) {
    for r in readings.iter().filter(|r| r.confidence < LOW_CONFIDENCE) {
        let p = r.provenance();
        let cells: Vec<_> = report
            .cells
            .iter()
            .filter(|(_, c)| c.ocr.is_some_and(|o| o.page == p.page && o.bbox == p.bbox))
            .map(|(id, _)| *id)
            .collect();
        let (x0, y0, x1, y1) = r.bbox;
        let (whose, span) = match place {
            Place::Page => (
                format!("第 {} 页", r.page),
                Span {
                    line: r.line,
                    column: None,
                    page: Some(r.page),
                },
            ),
            Place::Images(lines) => (
                format!("第 {} 张表格图片", r.page),
                Span::line(
                    lines
                        .get((r.page as usize).wrapping_sub(1))
                        .copied()
                        .unwrap_or(1),
                ),
            ),
        };
        report.findings.push(
            Finding::new(
                OCR_LOW_CONFIDENCE,
                Severity::Warning,
                if r.text == page::UNREAD {
                    format!(
                        "{whose}的单元格（图片坐标 {x0},{y0}–{x1},{y1}）有字迹，但未能识别，请与原件核对"
                    )
                } else {
                    format!(
                        "{whose}的单元格（图片坐标 {x0},{y0}–{x1},{y1}）识别为“{}”，置信度 {:.0}%，请与原件核对",
                        r.text, r.confidence
                    )
                },
            )
            .cells(cells)
            .at(span),
        );
    }
}

/// Reads an image file (PNG, JPEG) of one page.
pub fn read_image(
    bytes: &[u8],
    source: Option<&str>,
    engine: &dyn Engine,
) -> Result<Report, OcrError> {
    read_pages(&[decode_image(bytes)?], source, engine)
}

/// Largest image read, in pixels per side (an A4 page at 600 dpi is 4,960 × 7,016).
pub const MAX_IMAGE_SIDE: u32 = 12_000;

/// The bytes of a PNG or JPEG as a gray image, transparent parts white; bounded in size (a
/// decompression bomb is refused before it is decoded).
pub fn decode_image(bytes: &[u8]) -> Result<GrayImage, OcrError> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes));
    reader = reader
        .with_guessed_format()
        .map_err(|e| OcrError::Image(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| OcrError::Image(e.to_string()))?;
    if !image.color().has_alpha() {
        return Ok(image.to_luma8());
    }
    let la = image.to_luma_alpha8();
    Ok(GrayImage::from_fn(la.width(), la.height(), |x, y| {
        let [l, a] = la.get_pixel(x, y).0;
        let v = (u32::from(l) * u32::from(a) + 255 * (255 - u32::from(a))) / 255;
        image::Luma([v as u8])
    }))
}

/// One image standing for a table (of a web page or a Word document), read by OCR as page
/// `number`: the lines for the reader's document (see `xxgk_read::html::read_with_images`),
/// and the readings of its number cells. `None` when it is not an image the engine can read.
fn image_lines(
    bytes: &[u8],
    number: u32,
    engine: &dyn Engine,
) -> Option<(Document, Vec<page::CellReading>)> {
    if !is_image(bytes) {
        return None;
    }
    let image = as_page(decode_image(bytes).ok()?);
    let mut doc = Document::new();
    let readings = page::read_page(&image, number, engine, &mut doc).ok()?;
    Some((doc, readings))
}

/// An image of a table, not of a page, put at the top of a white page of its width with the
/// proportions of A4: the grid's thresholds are fractions of a page (a ruling is longer than
/// any character), and on a short image a character's stroke would pass for a ruling. Its
/// pixels keep their coordinates.
fn as_page(image: GrayImage) -> GrayImage {
    let (w, h) = image.dimensions();
    let page_h = (f64::from(w) * 297.0 / 210.0).ceil() as u32;
    if h >= page_h {
        return image;
    }
    let mut page = GrayImage::from_pixel(w, page_h, image::Luma([255]));
    image::imageops::replace(&mut page, &image, 0, 0);
    page
}

/// The bytes of a `data:` URI with base64 content (`data:image/png;base64,…`).
pub fn data_uri(src: &str) -> Option<Vec<u8>> {
    let rest = src.trim().strip_prefix("data:")?;
    let (head, data) = rest.split_once(',')?;
    if !head.to_ascii_lowercase().ends_with(";base64") {
        return None;
    }
    base64(data)
}

/// Standard base64 (padding optional, whitespace skipped); `None` on any other character.
fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Largest image file read from beside a web page.
const MAX_IMAGE_FILE: u64 = 32 * 1024 * 1024;

/// The file an image's `src` names beside the page, when it is a relative path inside `dir`
/// (no scheme, no absolute path, no `..`): the network is never asked.
fn image_file(src: &str, dir: &Path) -> Option<Vec<u8>> {
    let src = src.trim();
    if src.is_empty() || src.contains(':') || src.starts_with('/') || src.starts_with('\\') {
        return None;
    }
    let path = src.split(['?', '#']).next()?;
    let rel = Path::new(path);
    if rel.components().any(|c| {
        !matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    }) {
        return None;
    }
    let full = dir.join(rel);
    let meta = std::fs::metadata(&full).ok()?;
    if !meta.is_file() || meta.len() > MAX_IMAGE_FILE {
        return None;
    }
    let bytes = std::fs::read(&full).ok()?;
    (bytes.len() as u64 <= MAX_IMAGE_FILE).then_some(bytes)
}

/// The pages of a PDF as gray images at `dpi`, by `pdftoppm` (Debian's poppler-utils).
pub fn pdf_pages(bytes: &[u8], dpi: u32) -> Result<Vec<GrayImage>, OcrError> {
    let dir = tempfile::tempdir().map_err(|e| OcrError::Rasterize(e.to_string()))?;
    let pdf = dir.path().join("in.pdf");
    std::fs::write(&pdf, bytes).map_err(|e| OcrError::Rasterize(e.to_string()))?;
    let out = Command::new(std::env::var_os("XXGK_PDFTOPPM").unwrap_or_else(|| "pdftoppm".into()))
        .args([
            "-r",
            &dpi.to_string(),
            "-gray",
            "-png",
            "-l",
            &MAX_PAGES.to_string(),
        ])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| OcrError::Rasterize(e.to_string()))?;
    if !out.status.success() {
        return Err(OcrError::Rasterize(
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ));
    }
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .map_err(|e| OcrError::Rasterize(e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    // page-1.png … page-10.png: by the page number.
    files.sort_by_key(|p| page_number(p));
    files
        .iter()
        .map(|p| {
            image::open(p)
                .map(|i| i.to_luma8())
                .map_err(|e| OcrError::Image(e.to_string()))
        })
        .collect()
}

fn page_number(p: &Path) -> u32 {
    p.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Reads a PDF by OCR of its pages (a scan, or a PDF whose tables are pictures).
pub fn read_pdf(
    bytes: &[u8],
    source: Option<&str>,
    engine: &dyn Engine,
) -> Result<Report, OcrError> {
    read_pages(&pdf_pages(bytes, PDF_DPI)?, source, engine)
}

/// Whether the bytes are a PNG or JPEG image (by their signature).
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// The engine of this process: Tesseract when installed with its Chinese data, looked up once;
/// none when `XXGK_OCR=off`.
pub fn default_engine() -> Option<&'static Tesseract> {
    static ENGINE: std::sync::OnceLock<Option<Tesseract>> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| {
            if std::env::var_os("XXGK_OCR").is_some_and(|v| v == "off") {
                None
            } else {
                Tesseract::find()
            }
        })
        .as_ref()
}

/// The default engine looked for only when something needs it: reading a text file then costs
/// no Tesseract probe (two processes, 0.1–0.2 s per run of the command line).
#[derive(Debug, Clone, Copy)]
pub struct LazyDefault;

impl Engine for LazyDefault {
    fn recognize(&self, image: &image::GrayImage, script: Script) -> Result<Vec<Word>, OcrError> {
        default_engine()
            .ok_or_else(|| {
                OcrError::Engine(
                    "未安装文字识别程序：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim".to_owned(),
                )
            })?
            .recognize(image, script)
    }

    fn name(&self) -> String {
        default_engine().map_or_else(|| "tesseract".to_owned(), Engine::name)
    }

    fn available(&self) -> bool {
        default_engine().is_some()
    }
}

/// [`default_engine`], looked for on first use ([`LazyDefault`]); none when `XXGK_OCR=off`.
pub fn lazy_default_engine() -> Option<&'static dyn Engine> {
    static LAZY: LazyDefault = LazyDefault;
    if std::env::var_os("XXGK_OCR").is_some_and(|v| v == "off") {
        None
    } else {
        Some(&LAZY)
    }
}

fn to_read_error(e: OcrError) -> ReadError {
    match e {
        OcrError::Read(e) => e,
        other => ReadError::Ocr(other.to_string()),
    }
}

/// `xxgk_read::read_with`, and for what only OCR can read — a PDF without a text layer, a PNG
/// or JPEG page, a web page or Word document whose tables are images — the OCR reading when an
/// engine is given. Without one, a scan keeps the reader's error ("扫描件，无文字层"), an image
/// is "需要文字识别", and tables as images keep `READ-TABLE-IMAGE`. A web page's images are read
/// from `data:` URIs only; see [`read_with_dir`] for files beside it.
pub fn read_with(
    bytes: &[u8],
    source: Option<&str>,
    also: &mut dyn FnMut(&Report) -> Vec<Finding>,
    engine: Option<&dyn Engine>,
) -> Result<(Report, Vec<Finding>), ReadError> {
    read_with_dir(bytes, source, also, engine, None)
}

/// [`read_with`], and a web page's images that are files in `dir` (the page's own directory,
/// when it was read from disk) read too: a relative path inside `dir`, never a URL.
pub fn read_with_dir(
    bytes: &[u8],
    source: Option<&str>,
    also: &mut dyn FnMut(&Report) -> Vec<Finding>,
    engine: Option<&dyn Engine>,
    dir: Option<&Path>,
) -> Result<(Report, Vec<Finding>), ReadError> {
    if is_image(bytes) {
        let Some(engine) = engine.filter(|e| e.available()) else {
            return Err(ReadError::Ocr(
                "文件是图片，需要文字识别：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim"
                    .to_owned(),
            ));
        };
        let report = read_image(bytes, source, engine).map_err(to_read_error)?;
        let more = also(&report);
        return Ok((report, more));
    }
    let structured = !bytes.is_empty() && bytes.len() <= xxgk_read::MAX_FILE_BYTES;
    let kind = if structured {
        Some(xxgk_read::sniff(bytes))
    } else {
        None
    };
    if let (Some(engine), Some(kind @ (FileKind::Html | FileKind::Docx))) = (engine, kind) {
        let mut readings = Vec::new();
        let mut lines = Vec::new();
        let mut read = |bytes: &[u8], line: u32| -> Option<Document> {
            let number = lines.len() as u32 + 1;
            let (doc, r) = image_lines(bytes, number, engine)?;
            lines.push(line);
            readings.extend(r);
            Some(doc)
        };
        let mut report = if kind == FileKind::Html {
            xxgk_read::html::read_with_images(bytes, source, &mut |img| {
                let data = data_uri(&img.src).or_else(|| image_file(&img.src, dir?))?;
                read(&data, img.line)
            })?
        } else {
            xxgk_read::docx::read_with_images(bytes, source, &mut |data, paragraph| {
                read(data, paragraph)
            })?
        };
        if !lines.is_empty() {
            report.findings.push(
                Finding::new(
                    OCR_READ,
                    Severity::Info,
                    format!(
                        "本报告的表格为图片，由文字识别（{}）从 {} 张图片读出，数字须与原件核对",
                        engine.name(),
                        lines.len()
                    ),
                )
                .at(Span::line(lines[0])),
            );
            low_confidence(&mut report, &readings, Place::Images(&lines));
        }
        let more = also(&report);
        return Ok((report, more));
    }
    match xxgk_read::read_with(bytes, source, also) {
        Err(ReadError::ScannedPdf) => {
            let Some(engine) = engine.filter(|e| e.available()) else {
                return Err(ReadError::ScannedPdf);
            };
            let report = read_pdf(bytes, source, engine).map_err(to_read_error)?;
            let more = also(&report);
            Ok((report, more))
        }
        other => other,
    }
}

/// [`read_with`] with the findings merged (as `xxgk_read::read_checked`).
pub fn read_checked(
    bytes: &[u8],
    source: Option<&str>,
    check: &mut dyn FnMut(&Report) -> Vec<Finding>,
    engine: Option<&dyn Engine>,
) -> Result<Report, ReadError> {
    read_checked_dir(bytes, source, check, engine, None)
}

/// [`read_with_dir`] with the findings merged.
pub fn read_checked_dir(
    bytes: &[u8],
    source: Option<&str>,
    check: &mut dyn FnMut(&Report) -> Vec<Finding>,
    engine: Option<&dyn Engine>,
    dir: Option<&Path>,
) -> Result<Report, ReadError> {
    let (mut report, checked) = read_with_dir(bytes, source, check, engine, dir)?;
    report.findings.extend(checked);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine that is not there: what a lazily found engine is without Tesseract.
    struct Absent;

    impl Engine for Absent {
        fn recognize(&self, _: &GrayImage, _: Script) -> Result<Vec<Word>, OcrError> {
            Err(OcrError::Engine("absent".to_owned()))
        }
        fn name(&self) -> String {
            "absent".to_owned()
        }
        fn available(&self) -> bool {
            false
        }
    }

    #[test]
    fn an_unavailable_engine_is_no_engine() {
        // A PNG: with no engine the reader's own message, not the engine's failure.
        let png = {
            let mut out = Vec::new();
            image::DynamicImage::ImageLuma8(GrayImage::new(4, 4))
                .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .expect("png");
            out
        };
        let none = read_with(&png, Some("a.png"), &mut |_| Vec::new(), None)
            .err()
            .map(|e| e.to_string());
        let absent = read_with(&png, Some("a.png"), &mut |_| Vec::new(), Some(&Absent))
            .err()
            .map(|e| e.to_string());
        assert!(
            none.as_deref().is_some_and(|e| e.contains("需要文字识别")),
            "{none:?}"
        );
        assert_eq!(none, absent);
        // A text file reads the same with or without it.
        let text = "某局2024年政府信息公开工作年度报告\n一、总体情况\n本年度工作。\n".as_bytes();
        let a = read_with(text, Some("a.txt"), &mut |_| Vec::new(), None).map(|r| r.0);
        let b = read_with(text, Some("a.txt"), &mut |_| Vec::new(), Some(&Absent)).map(|r| r.0);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn data_uris_are_decoded_only_as_base64() {
        assert_eq!(
            data_uri("data:image/png;base64,iVBO Rw0K\nGgo="),
            Some(b"\x89PNG\r\n\x1a\n".to_vec())
        );
        assert_eq!(data_uri("data:image/png;base64,SGk"), Some(b"Hi".to_vec()));
        assert_eq!(data_uri("data:text/plain,hello"), None);
        assert_eq!(data_uri("data:image/png;base64,@@@"), None);
        assert_eq!(data_uri("https://example.org/t.png"), None);
    }

    /// An image beside a page is read only by a relative path inside the page's directory:
    /// never a URL, an absolute path or a way out of the directory.
    #[test]
    fn image_files_only_inside_the_directory() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir(dir.path().join("img")).expect("mkdir");
        std::fs::write(dir.path().join("img/t.png"), b"png").expect("write");
        let outside = dir.path().join("img");
        assert_eq!(
            image_file("img/t.png?v=2", dir.path()),
            Some(b"png".to_vec())
        );
        assert_eq!(image_file("./img/t.png", dir.path()), Some(b"png".to_vec()));
        assert_eq!(image_file("../img/t.png", &outside), None);
        assert_eq!(image_file("http://example.org/img/t.png", dir.path()), None);
        assert_eq!(image_file("//example.org/img/t.png", dir.path()), None);
        let abs = dir.path().join("img/t.png");
        assert_eq!(image_file(&abs.to_string_lossy(), dir.path()), None);
        assert_eq!(image_file("img", dir.path()), None);
    }

    /// A table's image is put on a page of A4 proportions (its pixels where they were); a page
    /// image is left as it is.
    #[test]
    fn a_table_image_becomes_a_page() {
        let mut small = GrayImage::from_pixel(210, 100, image::Luma([255]));
        small.put_pixel(5, 7, image::Luma([0]));
        let page = as_page(small);
        assert_eq!(page.dimensions(), (210, 297));
        assert_eq!(page.get_pixel(5, 7).0[0], 0);
        assert_eq!(page.get_pixel(5, 200).0[0], 255);
        let tall = GrayImage::from_pixel(100, 500, image::Luma([255]));
        assert_eq!(as_page(tall).dimensions(), (100, 500));
    }
}
