//! Prints the document lines OCR makes of page images (PNG) or a PDF: a tool to see what the
//! engine read. `cargo run -p xxgk-ocr --example ocr_lines -- FILE…`
fn main() {
    let Some(engine) = xxgk_ocr::Tesseract::find() else {
        eprintln!("tesseract with chi_sim not found");
        std::process::exit(2);
    };
    let mut pages = Vec::new();
    for arg in std::env::args().skip(1) {
        let bytes = std::fs::read(&arg).expect("read");
        if arg.ends_with(".pdf") {
            pages.extend(xxgk_ocr::pdf_pages(&bytes, 300).expect("pdf"));
        } else {
            pages.push(image::load_from_memory(&bytes).expect("image").to_luma8());
        }
    }
    for (i, p) in pages.iter().enumerate() {
        let mut doc = xxgk_read::doc::Document::new();
        let t = std::time::Instant::now();
        let cells = xxgk_ocr::page::read_page(p, i as u32 + 1, &engine, &mut doc).expect("page");
        eprintln!(
            "page {}: {:?}, {} number cells",
            i + 1,
            t.elapsed(),
            cells.len()
        );
        for l in doc.lines() {
            println!("{}", l.replace('\t', " | "));
        }
        for c in cells.iter().filter(|c| c.confidence < 70.0) {
            println!(
                "  low confidence: line {} field {} {:?} {:.0}",
                c.line, c.field, c.text, c.confidence
            );
        }
    }
}
