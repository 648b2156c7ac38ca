//! The reading budget of issue 12 item 5 as a property over seeded mutations of real files,
//! shared by `tests/pdf_budget.rs`, `tests/doc_budget.rs` and (its [`Rng`]) the fuzz example
//! `examples/pdf_fuzz.rs`: each mutated input is read once, its heap peak counted exactly by the
//! binary's global allocator (`peak_alloc`) and its time measured. The budget: 64 MB + 100 bytes
//! per input byte of heap; the 0.5 s/MB widened 40× for a debug build on a loaded
//! machine, plus one second.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use peak_alloc::PeakAlloc;

/// xorshift64*: deterministic for a seed, no dependency.
pub struct Rng(pub u64);

impl Rng {
    /// The generator for `seed` (any seed, 0 included, gives a non-zero state).
    pub fn seeded(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// The number in the environment variable `name`, else `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// What [`run`] saw.
pub struct Outcome {
    /// One line per input over the budget.
    pub over: Vec<String>,
    /// How many inputs still read as reports.
    pub read: usize,
}

/// Read `cases` mutations (`mutate`) of bases chosen at random, under the name `source` (its
/// extension chooses nothing: the reader goes by content), and say which went over budget.
pub fn run(
    heap: &PeakAlloc,
    bases: &[Vec<u8>],
    source: &str,
    cases: u64,
    seed: u64,
    mut mutate: impl FnMut(&[u8], &mut Rng) -> Vec<u8>,
) -> Outcome {
    assert!(!bases.is_empty(), "no file to mutate");
    let mut rng = Rng::seeded(seed);
    let mut outcome = Outcome {
        over: Vec::new(),
        read: 0,
    };
    for case in 0..cases {
        let base = &bases[rng.below(bases.len())];
        let input = mutate(base, &mut rng);
        let before = heap.current_usage();
        heap.reset_peak_usage();
        let start = Instant::now();
        let read = xxgk_read::read(&input, Some(source));
        let elapsed = start.elapsed();
        outcome.read += usize::from(read.is_ok());
        drop(read);
        let peak = heap.peak_usage().saturating_sub(before);
        let size = input.len();
        let memory = 64 * 1024 * 1024 + 100 * size;
        let time = Duration::from_secs(1) + Duration::from_secs_f64(20.0 * size as f64 / 1e6);
        if peak > memory || elapsed > time {
            outcome.over.push(format!(
                "case {case} (seed {seed}), {size} bytes: peak {peak} bytes (budget {memory}), {elapsed:?} (budget {time:?})"
            ));
        }
    }
    outcome
}
