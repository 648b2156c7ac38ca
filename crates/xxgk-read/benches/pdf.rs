//! PDF reader throughput on the real PDF of the shared corpus (`real/huaian-city-2024.pdf`,
//! 6 pages; skipped when the corpus is absent): the whole read (`xxgk_read::read`), and its
//! parts — loading and interpreting the pages (`pdf::pages`) and the lines (`pdf::extract`).
//!
//! ```text
//! cargo bench -p xxgk-read --bench pdf
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus_file(rel: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XXGK_CORPUS") {
        return Some(PathBuf::from(dir).join(rel));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .flat_map(|a| [a.join("shared/corpus"), a.join("../shared/corpus")])
        .map(|c| c.join(rel))
        .find(|p| p.is_file())
}

fn bench(c: &mut Criterion) {
    let Some(bytes) = corpus_file("real/huaian-city-2024.pdf").and_then(|p| std::fs::read(p).ok())
    else {
        eprintln!("pdf bench: shared/corpus/real/huaian-city-2024.pdf not found, skipping");
        return;
    };
    let mut g = c.benchmark_group("pdf");
    g.throughput(Throughput::Elements(1));
    g.bench_function("read/huaian-city-2024", |b| {
        b.iter(|| xxgk_read::read(black_box(&bytes), None))
    });
    g.bench_function("pages/huaian-city-2024", |b| {
        b.iter(|| xxgk_read::pdf::pages(black_box(&bytes)))
    });
    g.bench_function("extract/huaian-city-2024", |b| {
        b.iter(|| xxgk_read::pdf::extract(black_box(&bytes)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
