//! The reading budget of issue 12 item 5 as a property: random hostile compositions (long
//! runs of tabs and digits, row labels with digit runs, table markup, deep repetition) read as
//! text, Markdown and HTML never take more memory or time than their size allows.
//!
//! Memory is measured exactly, not sampled: this test binary counts its heap with a global
//! allocator (`peak_alloc`), so the peak of one read is deterministic and the assertion cannot flake. The
//! budget is the 300 MB for any file up to 64 MB; for these inputs (at most 512 KB)
//! the test asks for far less: 64 MB + 100 bytes per input byte (a quadratic structure of a
//! 512 KB input needs gigabytes). Time is the 0.5 s/MB widened 40× for a debug build
//! on a loaded 2-core machine (plus one second): a read that grows faster than its input
//! (the tab lines of 1 MB took over 30 s) fails it; a linear one passes with a wide margin.
//! `scripts/hostile-bench.sh` measures the release binary on the full-size cases.
//! Cases: 24 by default; `PROPTEST_CASES` sets another number.

use std::time::{Duration, Instant};

use peak_alloc::PeakAlloc;
use proptest::prelude::*;

/// The heap in use and its peak (the `peak_alloc` crate: the workspace forbids unsafe code, so
/// the counting allocator is a dependency).
#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// The pieces hostile inputs are made of: separators, digit runs, labels that start rows,
/// markup, values item 6 names.
const PIECES: &[&str] = &[
    "\t",
    "1\t",
    "1",
    "0",
    "9999999999999999999",
    "1 234",
    "1e308",
    "NaN",
    " ",
    "\n",
    "|",
    "| 1 ",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "四、结转下年度继续办理",
    "规章",
    "行政许可",
    "三、收到和处理政府信息公开申请情况",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "<td colspan=\"9999\">",
    "<div>",
    "<p>",
    "&amp;",
    "2024年",
];

/// A real report (the repository's example), so that the readers go past "is this a report"
/// and into its tables: the hostile run is put right after the heading of table 三.
const EXAMPLE: &str = include_str!("../../../examples/example-2024.txt");
const TABLE_3: &str = "三、收到和处理政府信息公开申请情况";

/// An input: the example with, after the heading of table 三, pieces, each repeated, up to
/// `limit` bytes.
fn compose(parts: &[(usize, u16)], limit: usize) -> String {
    let at = EXAMPLE
        .find(TABLE_3)
        .map_or(EXAMPLE.len(), |i| i + TABLE_3.len());
    let mut out = String::from(&EXAMPLE[..at]);
    out.push('\n');
    let limit = limit + out.len();
    'outer: loop {
        for &(piece, times) in parts {
            for _ in 0..times {
                if out.len() >= limit {
                    break 'outer;
                }
                out.push_str(PIECES[piece % PIECES.len()]);
            }
        }
        if parts.is_empty() {
            break;
        }
    }
    out.push('\n');
    out.push_str(&EXAMPLE[at..]);
    out
}

/// Reads `bytes` as `name`: the peak heap above what was in use before, and the time.
fn measure(bytes: &[u8], name: &str) -> (usize, Duration) {
    let before = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let start = Instant::now();
    let read = xxgk_read::read(bytes, Some(name));
    let elapsed = start.elapsed();
    drop(read);
    let peak = HEAP.peak_usage().saturating_sub(before);
    (peak, elapsed)
}

fn check_budget(input: &str, name: &str) -> Result<(), TestCaseError> {
    let (peak, elapsed) = measure(input.as_bytes(), name);
    let size = input.len();
    let memory = 64 * 1024 * 1024 + 100 * size;
    if std::env::var_os("XXGK_BUDGET_VERBOSE").is_some() {
        eprintln!("{name}\t{size} bytes\tpeak {peak} bytes\t{elapsed:?}");
    }
    let time = Duration::from_secs(1) + Duration::from_secs_f64(20.0 * size as f64 / 1e6);
    prop_assert!(
        peak <= memory,
        "{name}, {size} bytes: peak heap {peak} bytes > {memory}"
    );
    prop_assert!(
        elapsed <= time,
        "{name}, {size} bytes: {elapsed:?} > {time:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        max_shrink_iters: 16,
        ..ProptestConfig::default()
    })]

    #[test]
    fn hostile_compositions_stay_within_the_budget(
        parts in prop::collection::vec((0usize..64, 1u16..4000), 1..8),
        limit in 1usize..(512 * 1024),
    ) {
        static SANITY: std::sync::Once = std::sync::Once::new();
        SANITY.call_once(the_measure_counts_the_heap);
        let input = compose(&parts, limit);
        for name in ["x.txt", "x.md", "x.html"] {
            check_budget(&input, name)?;
        }
    }
}

/// The measure measures: a known-linear read stays far inside, and the counting allocator
/// sees at least the read's own copy of its text. Run once, from the property (the only test
/// of this binary: another test running beside it would add its heap to the count).
fn the_measure_counts_the_heap() {
    let line = "1\t".repeat(100_000);
    let (peak, _) = measure(line.as_bytes(), "x.txt");
    assert!(
        peak >= line.len(),
        "the read's heap ({peak}) holds at least the decoded text"
    );
    assert!(peak <= 64 * 1024 * 1024 + 100 * line.len(), "{peak}");
}
