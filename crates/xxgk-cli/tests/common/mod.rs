//! Helpers shared by the corpus tests: where the corpus is, which files it holds.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// `../shared/corpus` beside the clone. A missing corpus fails the test, saying where the corpus
/// belongs: a corpus test that passes without a corpus would test nothing, and cargo hides what a
/// passing test prints. `XXGK_ALLOW_NO_CORPUS=1` skips instead (`None`, with a line on standard
/// error), except on CI (`CI=true`).
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0");
    if std::env::var("CI").is_ok_and(|v| v == "true") || !set("XXGK_ALLOW_NO_CORPUS") {
        panic!(
            "corpus not found: {} (the corpus tests need the shared/ directory beside the clone, \
             see README \"开发\"; set XXGK_ALLOW_NO_CORPUS=1 to skip them, not allowed with CI=true)",
            dir.display()
        );
    }
    eprintln!("corpus skipped: ../shared/corpus not found (XXGK_ALLOW_NO_CORPUS=1)");
    None
}

/// Every file under `dir`, recursively, sorted, as paths relative to `dir`.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.is_file() {
                let rel = path.strip_prefix(root).expect("under the root");
                out.push(rel.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// The reports of the corpus: every file except the truth files and the README.
pub fn report_files(corpus: &Path) -> Vec<PathBuf> {
    files_under(corpus)
        .into_iter()
        .filter(|rel| !rel.starts_with("truth") && rel != Path::new("README.md"))
        .collect()
}

/// The seeds (`seeds/*.txt`), sorted.
pub fn seeds(corpus: &Path) -> Vec<PathBuf> {
    report_files(corpus)
        .into_iter()
        .filter(|rel| rel.starts_with("seeds"))
        .collect()
}

pub fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
