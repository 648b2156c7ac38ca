//! The reading budget of issue 12 item 5 for Word 97–2003 (.doc), as a property: seeded random
//! mutations of real .doc files (byte flips; the 32-bit words that hold sizes, offsets, sector
//! numbers and counts in the compound file and the FIB stomped with huge or odd values;
//! truncation; sectors repeated to grow the file) never take more heap or time than their size
//! allows — the same budget as `tests/pdf_budget.rs`.
//!
//! The heap is counted exactly by a global allocator (`peak_alloc`), the budget 64 MB + 100 bytes
//! per input byte; time is the 0.5 s/MB widened 40× for a debug build on a loaded
//! machine, plus one second. Cases: 60 by default; `DOC_BUDGET_CASES` sets another number,
//! `DOC_BUDGET_SEED` the seed.

#[path = "support/mutation_budget.rs"]
mod mutation_budget;

use std::io::Read as _;

use mutation_budget::Rng;
use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

fn bases() -> Vec<Vec<u8>> {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<Vec<u8>> = [
        "template/blank-2021.doc",
        "template/filled-2021.doc",
        "ole/tracked-changes.doc",
    ]
    .iter()
    .filter_map(|p| std::fs::read(format!("{dir}/{p}")).ok())
    .collect();
    if let Ok(gz) = std::fs::read(format!("{dir}/ole/hostile-values.doc.gz")) {
        let mut doc = Vec::new();
        if flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut doc)
            .is_ok()
        {
            out.push(doc);
        }
    }
    out
}

/// One to three mutations of `base`.
fn mutate(base: &[u8], rng: &mut Rng) -> Vec<u8> {
    const ODD_WORDS: [u32; 8] = [
        0xFFFF_FFFF,
        0xFFFF_FFFE,
        0x7FFF_FFFF,
        0x8000_0000,
        0x00FF_FFFF,
        0x0010_0000,
        0,
        1,
    ];
    let mut b = base.to_vec();
    for _ in 0..1 + rng.below(3) {
        match rng.below(5) {
            // Byte flips.
            0 => {
                for _ in 0..1 + rng.below(64) {
                    let i = rng.below(b.len());
                    b[i] = rng.next() as u8;
                }
            }
            // A size, offset, sector number or count made huge or odd (most of the compound
            // file's header and directory, and the FIB's fc/lcb pairs, are 32-bit words).
            1 | 2 if b.len() >= 4 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(b.len().saturating_sub(4) / 4) * 4;
                    let w = ODD_WORDS[rng.below(ODD_WORDS.len())];
                    b[at..at + 4].copy_from_slice(&w.to_le_bytes());
                }
            }
            // Truncated.
            1..=3 => {
                let keep = rng.below(b.len());
                b.truncate(keep.max(1));
            }
            // Sectors repeated: the file grows up to a few MB.
            _ => {
                let sector = 512;
                let sectors = b.len() / sector;
                if sectors > 1 {
                    let s = rng.below(sectors) * sector;
                    let chunk = b[s..s + sector].to_vec();
                    let times = 1 + rng.below(4000);
                    let at = rng.below(sectors) * sector;
                    let tail = b.split_off(at);
                    for _ in 0..times {
                        b.extend_from_slice(&chunk);
                    }
                    b.extend_from_slice(&tail);
                }
            }
        }
    }
    b
}

#[test]
fn mutated_docs_stay_within_the_budget() {
    let bases = bases();
    assert!(bases.len() >= 3, "the .doc fixtures are missing");
    let cases = mutation_budget::env_number("DOC_BUDGET_CASES", 60);
    let seed = mutation_budget::env_number("DOC_BUDGET_SEED", 11);
    let outcome = mutation_budget::run(&HEAP, &bases, "x.doc", cases, seed, mutate);
    eprintln!(
        "{cases} mutated .doc files: {} read as reports, the rest refused",
        outcome.read
    );
    assert!(outcome.over.is_empty(), "{}", outcome.over.join("\n"));
    // The mutations are not all fatal: some reports still read (the budget is asserted on
    // both kinds of outcome).
    assert!(outcome.read > 0, "no mutated .doc read at all");
}
