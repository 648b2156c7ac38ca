//! Helpers shared by the corpus tests: where the corpus is, which files it holds.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// `../shared/corpus` beside the clone. `None` (after saying so) when it is absent, except on CI
/// (`CI=true`), where a missing corpus would make the corpus tests pass without testing anything.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "../shared/corpus not found at {} (CI=true: the corpus must be checked out beside the clone)",
            dir.display()
        );
    }
    println!("corpus skipped: ../shared/corpus not found");
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
