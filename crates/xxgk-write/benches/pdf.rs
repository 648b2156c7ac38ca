//! PDF render time per report (`cargo bench -p xxgk-write --bench pdf`): a generated report of
//! each format, fonts already loaded (they are read once per process; the first render also
//! pays for reading the font files, measured apart).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use xxgk_model::catalogue::Format;
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::{render_pdf, PdfOptions};

fn bench(c: &mut Criterion) {
    let start = std::time::Instant::now();
    if let Err(e) = xxgk_write::pdf::fonts_in_use() {
        eprintln!("{e}: PDF bench skipped");
        return;
    }
    eprintln!("fonts found and read in {:?}", start.elapsed());
    let mut g = c.benchmark_group("render_pdf");
    g.throughput(Throughput::Elements(1));
    for (name, format) in [("2021", Format::F2021), ("2019", Format::F2019)] {
        let report = random_report(
            42,
            &GenOptions {
                format: Some(format),
                ..GenOptions::default()
            },
        );
        let size = render_pdf(&report, &PdfOptions::default()).map_or(0, |b| b.len());
        eprintln!("{name}: {size} bytes");
        g.bench_function(name, |b| {
            b.iter(|| render_pdf(&report, &PdfOptions::default()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
