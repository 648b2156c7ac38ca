//! Reader throughput: `xxgk_read::read` on the seed reports of the shared corpus (skipped when
//! the corpus is absent) and on one generated report of each text layout. Criterion reports
//! bytes per second.
//!
//! ```text
//! cargo bench -p xxgk-read --bench extract
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::text::{render_text, TextLayout, TextOptions};

/// `shared/corpus/seeds`, found from the workspace (`XXGK_CORPUS` overrides).
fn seeds_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XXGK_CORPUS") {
        return Some(PathBuf::from(dir).join("seeds"));
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .flat_map(|a| {
            [
                a.join("shared/corpus/seeds"),
                a.join("../shared/corpus/seeds"),
            ]
        })
        .find(|p| p.is_dir())
}

fn seed_files() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = seeds_dir() else {
        eprintln!("extract bench: shared/corpus/seeds not found, skipping the seed reports");
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&p).ok()?))
        })
        .collect();
    files.sort();
    files
}

fn generated() -> Vec<(String, Vec<u8>)> {
    TextLayout::ALL
        .iter()
        .map(|&layout| {
            let report = random_report(
                1,
                &GenOptions {
                    format: Some(xxgk_model::Format::F2021),
                    narrative_bytes: 12_000,
                    ..GenOptions::default()
                },
            );
            let opts = TextOptions {
                wrap_labels: true,
                seed: 1,
                ..TextOptions::default()
            };
            (
                format!("generated-{}", layout.name()),
                render_text(&report, layout, &opts).into_bytes(),
            )
        })
        .collect()
}

fn bench_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    for (name, bytes) in seed_files().into_iter().chain(generated()) {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = xxgk_read::read(black_box(&bytes), None);
                black_box(r.map(|r| r.cells.len()).unwrap_or(0))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
