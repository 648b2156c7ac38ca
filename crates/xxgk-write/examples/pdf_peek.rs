//! Render a generated report as PDF: `cargo run -p xxgk-write --example pdf_peek -- SEED OUT.pdf
//! [2019|2021] [force]`.

use xxgk_model::catalogue::Format;
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::{render_pdf, PdfOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = args.get(2).cloned().unwrap_or_else(|| "peek.pdf".into());
    let format = match args.get(3).map(String::as_str) {
        Some("2019") => Some(Format::F2019),
        _ => Some(Format::F2021),
    };
    let report = random_report(
        seed,
        &GenOptions {
            format,
            blank_probability: 0.05,
            ..GenOptions::default()
        },
    );
    let opts = PdfOptions {
        failed_checks: args.iter().any(|a| a == "force"),
    };
    match render_pdf(&report, &opts) {
        Ok(bytes) => {
            if let Err(e) = std::fs::write(&out, &bytes) {
                eprintln!("{out}: {e}");
            } else {
                println!("{out}: {} bytes", bytes.len());
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}
