//! The reading budget of issue 12 item 5 for PDF, as a property: seeded random mutations of
//! real PDFs (`support/pdf_mutate.rs`: byte flips, truncation, repeated chunks, hostile tokens,
//! damaged cross-reference data, flate bombs; each base also with its streams decompressed)
//! never take more heap or time than their size allows.
//!
//! As in `tests/budget.rs`: the heap is counted exactly by a global allocator (`peak_alloc`),
//! the budget 64 MB + 100 bytes per input byte; time is the 0.5 s/MB widened 40× for a
//! debug build on a loaded machine, plus one second. `examples/pdf_fuzz.rs` runs the same
//! mutations in release, thousands at a time. Cases: 12 by default; `PDF_BUDGET_CASES` sets
//! another number, `PDF_BUDGET_SEED` the seed.

#[path = "support/pdf_mutate.rs"]
mod pdf_mutate;

use std::time::{Duration, Instant};

use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

fn bases() -> Vec<Vec<u8>> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let mut out: Vec<Vec<u8>> = [
        format!("{dir}/../../../shared/corpus/real/huaian-city-2024.pdf"),
        format!("{dir}/tests/fixtures/template/filled-2021.pdf"),
    ]
    .iter()
    .filter_map(|p| std::fs::read(p).ok())
    .collect();
    for b in out.clone() {
        if let Ok(mut doc) = lopdf::Document::load_mem(&b) {
            doc.decompress();
            let mut plain = Vec::new();
            if doc.save_to(&mut plain).is_ok() {
                out.push(plain);
            }
        }
    }
    out
}

#[test]
fn mutated_pdfs_stay_within_the_budget() {
    let bases = bases();
    assert!(!bases.is_empty(), "no PDF to mutate");
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let cases = env("PDF_BUDGET_CASES", 12);
    let seed = env("PDF_BUDGET_SEED", 7);
    let mut rng = pdf_mutate::Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut bad = Vec::new();
    for case in 0..cases {
        let base = &bases[rng.below(bases.len())];
        let input = pdf_mutate::mutate(base, &mut rng);
        let before = HEAP.current_usage();
        HEAP.reset_peak_usage();
        let start = Instant::now();
        let read = xxgk_read::read(&input, Some("x.pdf"));
        let elapsed = start.elapsed();
        drop(read);
        let peak = HEAP.peak_usage().saturating_sub(before);
        let size = input.len();
        let memory = 64 * 1024 * 1024 + 100 * size;
        let time = Duration::from_secs(1) + Duration::from_secs_f64(20.0 * size as f64 / 1e6);
        if peak > memory || elapsed > time {
            bad.push(format!(
                "case {case} (seed {seed}), {size} bytes: peak {peak} bytes (budget {memory}), {elapsed:?} (budget {time:?})"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
