//! Write a random report as a Word document:
//! `cargo run -p xxgk-write --example docx -- SEED OUT.docx [unchecked]` (`unchecked` adds the
//! "未通过校验" banner).

use std::process::ExitCode;

use xxgk_testgen::{random_report, GenOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(seed), Some(out)) = (args.first().and_then(|s| s.parse().ok()), args.get(1)) else {
        eprintln!("usage: docx SEED OUT.docx [unchecked]");
        return ExitCode::from(2);
    };
    let report = random_report(seed, &GenOptions::default());
    let opts = xxgk_write::RenderOptions {
        unchecked: args.get(2).is_some_and(|a| a == "unchecked"),
    };
    match std::fs::write(out, xxgk_write::docx::render_docx_with(&report, &opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{out}: {e}");
            ExitCode::FAILURE
        }
    }
}
