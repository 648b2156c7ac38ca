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

#[path = "support/mutation_budget.rs"]
mod mutation_budget;
#[path = "support/pdf_mutate.rs"]
mod pdf_mutate;

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
    let cases = mutation_budget::env_number("PDF_BUDGET_CASES", 12);
    let seed = mutation_budget::env_number("PDF_BUDGET_SEED", 7);
    let outcome = mutation_budget::run(&HEAP, &bases(), "x.pdf", cases, seed, pdf_mutate::mutate);
    assert!(outcome.over.is_empty(), "{}", outcome.over.join("\n"));
}
