//! Write the DOCX from which `tests/fixtures/ole/hostile-values.doc` is made
//! (`scripts/make-ole-fixtures.sh` saves it as Word 97–2003 with LibreOffice): the example
//! report with every hostile value of issue 12 item 6 in its own cell of table 三.
//!
//!   cargo run -p xxgk-read --example hostile_values_docx -- OUT.docx

#[path = "../tests/support/hostile_values.rs"]
#[allow(dead_code)]
mod hostile_values;

const EXAMPLE: &str = include_str!("../../../examples/example-2024.txt");

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: hostile_values_docx OUT.docx");
        std::process::exit(2);
    };
    let base = match xxgk_read::read(EXAMPLE.as_bytes(), Some("example-2024.txt")) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let (report, _) = hostile_values::spread(&base);
    if let Err(e) = std::fs::write(&out, xxgk_write::docx::render_docx(&report)) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
}
