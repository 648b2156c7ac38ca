//! A seeded mutation fuzz of the PDF reader against the reading budget (issue 12 item 5):
//! random mutations of real PDFs (byte flips, truncation, repeated chunks, damaged
//! cross-reference data, hostile content tokens spliced into the decompressed content), each
//! read timed and heap-measured exactly (a counting allocator, as `tests/budget.rs` does).
//! Inputs over budget (more than max(0.2 s, 0.5 s/MB) or 300 MB of heap) are written to OUT.
//!
//!   cargo run --release -p xxgk-read --example pdf_fuzz -- SEED RUNS OUT FILE.pdf...
//!
//! Each FILE is used as given and with its streams decompressed (lopdf), so that mutations
//! reach the content streams' syntax. Prints a line per over-budget input and, at the end, the worst time and heap per byte seen.

use std::time::Instant;

use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

#[path = "../tests/support/mutation_budget.rs"]
mod mutation_budget;
#[path = "../tests/support/pdf_mutate.rs"]
mod pdf_mutate;

use mutation_budget::Rng;
use pdf_mutate::mutate;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: pdf_fuzz SEED RUNS OUT FILE.pdf...");
        std::process::exit(2);
    }
    let seed: u64 = args[1].parse().unwrap_or(1);
    let runs: usize = args[2].parse().unwrap_or(100);
    let out = std::path::PathBuf::from(&args[3]);
    std::fs::create_dir_all(&out).ok();
    let mut bases: Vec<Vec<u8>> = args[4..]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    // Each base also with its streams decompressed, so that mutations reach content syntax.
    for b in bases.clone() {
        if let Ok(mut doc) = lopdf::Document::load_mem(&b) {
            doc.decompress();
            let mut plain = Vec::new();
            if doc.save_to(&mut plain).is_ok() {
                bases.push(plain);
            }
        }
    }
    if bases.is_empty() {
        eprintln!("no input");
        std::process::exit(2);
    }
    let mut rng = Rng::seeded(seed);
    let (mut worst_t, mut worst_m) = (0.0f64, 0.0f64);
    let mut over = 0;
    for run in 0..runs {
        let base = &bases[rng.below(bases.len())];
        let input = mutate(base, &mut rng);
        let before = HEAP.current_usage();
        HEAP.reset_peak_usage();
        let start = Instant::now();
        let got = xxgk_read::read(&input, Some("x.pdf"));
        let secs = start.elapsed().as_secs_f64();
        let what = match &got {
            Ok(r) => format!("ok {} cells", r.cells.len()),
            Err(e) => e.to_string(),
        };
        drop(got);
        let peak = HEAP.peak_usage().saturating_sub(before);
        let mb = input.len() as f64 / (1 << 20) as f64;
        let budget = (0.5 * mb).max(0.2);
        worst_t = worst_t.max(secs / budget);
        worst_m = worst_m.max(peak as f64 / (300u64 << 20) as f64);
        if secs > budget || peak > 300 << 20 {
            over += 1;
            let name = out.join(format!("over-{seed}-{run}.pdf"));
            std::fs::write(&name, &input).ok();
            println!(
                "OVER run {run}: {:.2} s (budget {budget:.2}), {} MB heap, {:.2} MB: {} [{}]",
                secs,
                peak >> 20,
                mb,
                what.chars().take(60).collect::<String>(),
                name.display()
            );
        }
    }
    println!(
        "seed {seed}: {runs} runs, {over} over budget; worst time {:.0}% of budget, worst heap {:.0}% of 300 MB",
        worst_t * 100.0,
        worst_m * 100.0
    );
}
