//! Developer tool: print the lines the HTML reader makes of a page, with their source lines.
//! `cargo run -p xxgk-read --example html_lines -- FILE.html`
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match xxgk_read::html::document(&bytes) {
            Ok(doc) => {
                for (i, l) in doc.lines().iter().enumerate() {
                    let o = doc.origin(i as u32 + 1).unwrap_or_default();
                    println!("{:>5} | {}", o.line, l.replace('\t', " → "));
                }
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
