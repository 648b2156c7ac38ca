//! Fill the blank official template with known numbers (see `tests/support/fill_template.rs`):
//! writes `filled-2021.docx` and `filled-2021.truth.json` into the directory given.
//! `cargo run -p xxgk-read --example fill_template -- DIR` (used by
//! `scripts/make-template-fixtures.sh`).

#[path = "../tests/support/fill_template.rs"]
mod fill_template;

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: fill_template DIR");
        return ExitCode::from(2);
    };
    let result = (|| -> Result<(), String> {
        let template = std::fs::read(fill_template::TEMPLATE_PATH).map_err(|e| e.to_string())?;
        let values = fill_template::known_values();
        let docx = fill_template::fill_docx(&template, &values)?;
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(format!("{dir}/filled-2021.docx"), docx).map_err(|e| e.to_string())?;
        std::fs::write(
            format!("{dir}/filled-2021.truth.json"),
            fill_template::truth_json(&values),
        )
        .map_err(|e| e.to_string())?;
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fill_template: {e}");
            ExitCode::FAILURE
        }
    }
}
