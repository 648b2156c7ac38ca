fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path).unwrap_or_default();
    for pct in [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 100] {
        let cut = bytes.len() * pct / 100;
        let cut = if pct == 100 { cut - 40 } else { cut };
        match xxgk_read::read(&bytes[..cut], None) {
            Ok(r) => println!(
                "{pct}%: {} cells, findings {:?}",
                r.cells.len(),
                r.findings
                    .iter()
                    .map(|f| f.rule.to_string())
                    .collect::<Vec<_>>()
            ),
            Err(e) => println!("{pct}%: {e}"),
        }
    }
}
