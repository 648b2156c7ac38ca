//! DOCX reading throughput: `xxgk_read::read` on the filled official template (the fixture, a
//! real Word file of 250 KB XML) and on a generated report written by
//! `xxgk_write::docx::render_docx`. Criterion reports the time per report (and bytes per
//! second); reports per second per core = 1 / time.
//!
//! ```text
//! cargo bench -p xxgk-read --bench docx
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::docx::render_docx;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("docx");
    let fixture = format!(
        "{}/tests/fixtures/template/filled-2021.docx",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    match std::fs::read(&fixture) {
        Ok(b) => inputs.push(("filled-template".into(), b)),
        Err(e) => eprintln!("docx bench: {fixture}: {e}"),
    }
    inputs.push((
        "generated".into(),
        render_docx(&random_report(7, &GenOptions::default())),
    ));
    for (name, bytes) in &inputs {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| xxgk_read::read(black_box(bytes), None).map(|r| r.cells.len()))
        });
        // The DOCX part alone (unzip, XML, grid rows), without the common pipeline.
        g.bench_function(format!("{name}/document"), |b| {
            b.iter(|| xxgk_read::docx::document(black_box(bytes)).map(|d| d.lines().len()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
