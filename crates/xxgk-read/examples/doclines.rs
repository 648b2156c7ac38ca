//! Developer tool: print the lines a structured reader (DOC/WPS) makes of the files given.
//! `cargo run -p xxgk-read --example doclines -- FILE...`
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match xxgk_read::ole::document(&bytes) {
            Ok(d) => {
                for (i, l) in d.lines().iter().enumerate() {
                    let o = d.origin(i as u32 + 1).unwrap_or_default();
                    println!("{:>4}|{}", o.line, l.replace('\t', "⇥"));
                }
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
