//! DOC/WPS reader throughput: `xxgk_read::read` on the filled official template saved as Word
//! 97-2003 (tests/fixtures/template/filled-2021.doc, 62 KB), and the OLE/Word layer alone
//! (`ole::document`, no report pipeline). Criterion reports files per second.
//!
//! ```text
//! cargo bench -p xxgk-read --bench ole
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench_ole(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/template/filled-2021.doc"
    );
    let bytes = std::fs::read(path).expect("fixture filled-2021.doc");
    let mut group = c.benchmark_group("ole");
    group.throughput(Throughput::Elements(1));
    group.bench_function("read/filled-2021.doc", |b| {
        b.iter(|| {
            let r = xxgk_read::read(black_box(&bytes), None);
            black_box(r.map(|r| r.cells.len()).unwrap_or(0))
        })
    });
    group.bench_function("document/filled-2021.doc", |b| {
        b.iter(|| {
            let d = xxgk_read::ole::document(black_box(&bytes));
            black_box(d.map(|d| d.lines().len()).unwrap_or(0))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_ole);
criterion_main!(benches);
