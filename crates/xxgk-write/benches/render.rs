//! Render speed of the writers of `xxgk render`, per report, on generated reports (64 of both
//! formats, rendered in turn so that no single report's size decides the figure). Criterion
//! reports the time per report (`Throughput::Elements(1)`: reports per second); on one thread,
//! that is reports per second per core. Targets of issue 5: ≥ 200 DOCX/s, ≥ 1,000 HTML/s.
//!
//! ```text
//! cargo bench -p xxgk-write --bench render
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use xxgk_model::{Format, Report};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::docx::render_docx_with;
use xxgk_write::html::render_html_with;
use xxgk_write::text::render_markdown;
use xxgk_write::xlsx::render_xlsx;
use xxgk_write::RenderOptions;

fn reports() -> Vec<Report> {
    (0..64u64)
        .map(|seed| {
            random_report(
                seed,
                &GenOptions {
                    format: Some(if seed % 3 == 0 {
                        Format::F2019
                    } else {
                        Format::F2021
                    }),
                    ..GenOptions::default()
                },
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let reports = reports();
    let opts = RenderOptions::default();
    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    let mut next = || {
        i = (i + 1) % reports.len();
        &reports[i]
    };
    g.bench_function("docx", |b| {
        b.iter(|| render_docx_with(black_box(next()), &opts).len())
    });
    g.bench_function("markdown", |b| {
        b.iter(|| render_markdown(black_box(next()), &opts).len())
    });
    g.bench_function("xlsx", |b| {
        b.iter(|| render_xlsx(black_box(next()), &opts).map(|v| v.len()))
    });
    g.bench_function("html", |b| {
        b.iter(|| render_html_with(black_box(next()), &opts).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
