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
use xxgk_read::ReadError;

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
    for r in readings.iter().filter(|r| r.confidence < LOW_CONFIDENCE) {
        let cells: Vec<_> = report
            .cells
            .iter()
            .filter(|(_, c)| {
                c.span.page == Some(r.page)
                    && c.span.line == r.line
                    && c.printed_column == Some(r.field as u32)
            })
            .map(|(id, _)| *id)
            .collect();
        let (x0, y0, x1, y1) = r.bbox;
        report.findings.push(
            Finding::new(
                OCR_LOW_CONFIDENCE,
                Severity::Warning,
                if r.text == page::UNREAD {
                    format!(
                        "第 {} 页的单元格（图片坐标 {x0},{y0}–{x1},{y1}）有字迹，但未能识别，请与原件核对",
                        r.page
                    )
                } else {
                    format!(
                        "第 {} 页的单元格（图片坐标 {x0},{y0}–{x1},{y1}）识别为“{}”，置信度 {:.0}%，请与原件核对",
                        r.page, r.text, r.confidence
                    )
                },
            )
            .cells(cells)
            .at(Span {
                line: r.line,
                column: None,
                page: Some(r.page),
            }),
        );
    }
    Ok(report)
}

/// Reads an image file (PNG, JPEG) of one page.
pub fn read_image(
    bytes: &[u8],
    source: Option<&str>,
    engine: &dyn Engine,
) -> Result<Report, OcrError> {
    let image = image::load_from_memory(bytes)
        .map_err(|e| OcrError::Image(e.to_string()))?
        .to_luma8();
    read_pages(&[image], source, engine)
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

fn to_read_error(e: OcrError) -> ReadError {
    match e {
        OcrError::Read(e) => e,
        other => ReadError::Ocr(other.to_string()),
    }
}

/// `xxgk_read::read_with`, and for what only OCR can read — a PDF without a text layer, a PNG
/// or JPEG page — the OCR reading when an engine is given. Without one, a scan keeps the
/// reader's error ("扫描件，无文字层"), and an image is "需要文字识别".
pub fn read_with(
    bytes: &[u8],
    source: Option<&str>,
    also: &mut dyn FnMut(&Report) -> Vec<Finding>,
    engine: Option<&dyn Engine>,
) -> Result<(Report, Vec<Finding>), ReadError> {
    if is_image(bytes) {
        let Some(engine) = engine else {
            return Err(ReadError::Ocr(
                "文件是图片，需要文字识别：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim"
                    .to_owned(),
            ));
        };
        let report = read_image(bytes, source, engine).map_err(to_read_error)?;
        let more = also(&report);
        return Ok((report, more));
    }
    match xxgk_read::read_with(bytes, source, also) {
        Err(ReadError::ScannedPdf) => {
            let Some(engine) = engine else {
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
    let (mut report, checked) = read_with(bytes, source, check, engine)?;
    report.findings.extend(checked);
    Ok(report)
}
