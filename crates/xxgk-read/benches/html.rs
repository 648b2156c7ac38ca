//! HTML reader throughput, in reports per second: a generated report rendered by
//! `xxgk_write::html::render_html`, the hand-written GBK portal page and LibreOffice's export of
//! the official template (both in `tests/fixtures/html`). Target: ≥ 500 reports/s per core.
//!
//! ```text
//! cargo bench -p xxgk-read --bench html
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use xxgk_testgen::{random_report, GenOptions};

fn pages() -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for seed in [1u64, 2] {
        let report = random_report(
            seed,
            &GenOptions {
                format: Some(xxgk_model::Format::F2021),
                blank_probability: 0.01,
                ..GenOptions::default()
            },
        );
        v.push((
            format!("generated-{seed}"),
            xxgk_write::html::render_html(&report).into_bytes(),
        ));
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html");
    for name in ["portal_gbk.html", "../template/filled-2021.html"] {
        if let Ok(bytes) = std::fs::read(format!("{dir}/{name}")) {
            v.push((name.to_string(), bytes));
        }
    }
    v
}

fn bench_html(c: &mut Criterion) {
    let mut group = c.benchmark_group("html");
    group.throughput(Throughput::Elements(1));
    for (name, bytes) in pages() {
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = xxgk_read::read(black_box(&bytes), None);
                black_box(r.map(|r| r.cells.len()).unwrap_or(0))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_html);
criterion_main!(benches);
