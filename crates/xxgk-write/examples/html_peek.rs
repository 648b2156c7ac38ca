//! Print a generated report as HTML: `cargo run -p xxgk-write --example html_peek -- SEED`.
use xxgk_testgen::{random_report, GenOptions};
fn main() {
    let seed = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let r = random_report(seed, &GenOptions::default());
    print!("{}", xxgk_write::html::render_html(&r));
}
