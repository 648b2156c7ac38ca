//! Write a random report as a Word document:
//! `cargo run -p xxgk-write --example docx -- SEED OUT.docx`.

use std::process::ExitCode;

use xxgk_write::gen::{random_report, GenOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(seed), Some(out)) = (args.first().and_then(|s| s.parse().ok()), args.get(1)) else {
        eprintln!("usage: docx SEED OUT.docx");
        return ExitCode::from(2);
    };
    let report = random_report(seed, &GenOptions::default());
    match std::fs::write(out, xxgk_write::docx::render_docx(&report)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{out}: {e}");
            ExitCode::FAILURE
        }
    }
}
