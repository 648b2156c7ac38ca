//! What checking costs next to reading (issue 3: "checking adds less than 20% to reading time").
//!
//! For 64 generated reports (both formats, the four text layouts in turn, 6–20 KB each) and the
//! seed reports of the shared corpus (when present), three measurements over the same bytes:
//! `read` (`xxgk_read::read`), `check` (`xxgk_check::check` on reports already read) and
//! `read+check`. The ratio `check / read` is the overhead; the figures are in the closing notes.
//!
//! ```text
//! cargo bench -p xxgk-check --bench check
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use xxgk_model::Format;
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::text::{render_text, TextLayout, TextOptions};

/// `shared/corpus/seeds`, found from the workspace (`XXGK_CORPUS` overrides).
fn seeds_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XXGK_CORPUS") {
        return Some(PathBuf::from(dir).join("seeds"));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("../shared/corpus/seeds"))
        .find(|p| p.is_dir())
}

fn inputs() -> Vec<(String, Vec<Vec<u8>>)> {
    let generated: Vec<Vec<u8>> = (0..64u64)
        .map(|seed| {
            let report = random_report(
                seed,
                &GenOptions {
                    format: Some(if seed % 3 == 0 {
                        Format::F2019
                    } else {
                        Format::F2021
                    }),
                    narrative_bytes: 6_000 + (seed as usize % 8) * 2_000,
                    ..GenOptions::default()
                },
            );
            let layout = TextLayout::ALL[seed as usize % TextLayout::ALL.len()];
            let opts = TextOptions {
                wrap_labels: seed % 2 == 0,
                seed,
                ..TextOptions::default()
            };
            render_text(&report, layout, &opts).into_bytes()
        })
        .collect();
    let mut sets = vec![("generated-64".to_string(), generated)];
    if let Some(dir) = seeds_dir() {
        let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .filter_map(|p| std::fs::read(p).ok())
            .collect();
        seeds.sort();
        sets.push(("seeds".to_string(), seeds));
    } else {
        eprintln!("check bench: shared/corpus/seeds not found, skipping the seed reports");
    }
    sets
}

fn bench_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    for (name, files) in inputs() {
        let reports: Vec<_> = files
            .iter()
            .filter_map(|b| xxgk_read::read(b, None).ok())
            .collect();
        group.throughput(Throughput::Elements(files.len() as u64));
        group.bench_function(format!("{name}/read"), |b| {
            b.iter(|| {
                files
                    .iter()
                    .map(|f| xxgk_read::read(black_box(f), None).map_or(0, |r| r.cells.len()))
                    .sum::<usize>()
            })
        });
        group.bench_function(format!("{name}/check"), |b| {
            b.iter(|| {
                reports
                    .iter()
                    .map(|r| xxgk_check::check(black_box(r)).len())
                    .sum::<usize>()
            })
        });
        group.bench_function(format!("{name}/read+check"), |b| {
            b.iter(|| {
                files
                    .iter()
                    .filter_map(|f| xxgk_read::read(black_box(f), None).ok())
                    .map(|r| xxgk_check::check(&r).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
