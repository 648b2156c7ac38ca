//! Print the lines the PDF reader makes of a file (tabs shown as " | ").
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pdfdump FILE.pdf");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    match xxgk_read::pdf::extract(&bytes) {
        Ok(doc) => {
            for (i, l) in doc.lines().iter().enumerate() {
                let o = doc.origin(i as u32 + 1).unwrap_or_default();
                println!(
                    "p{} l{:>3}: {}",
                    o.page.unwrap_or(0),
                    o.line,
                    l.replace('\t', " | ")
                );
            }
        }
        Err(e) => eprintln!("{path}: {e}"),
    }
}
