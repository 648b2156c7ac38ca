//! The reader against the real reports of `../shared/corpus` and their expected cells
//! (`truth/*.json`: flat keys → value or null, and `meta`).
//!
//! What each file must give is decided by its place and name:
//! - a report with `truth/<stem>.json` (or `truth/flattened/<stem>.json`, a flattened page):
//!   exactly those cells and that metadata, except the cells its `undetermined_from_text` lists,
//!   which must be absent and named by a finding;
//! - `<name>-excerpt.<ext>`: part of a report; every cell read equals the full report's truth, and
//!   what it cannot read is reported in findings;
//! - `<name>-legacy.<ext>`: a report from before the 2019 regulation, recognised as such;
//! - PDF files: like text files (a truth file when there is one);
//! - Word files: refused as unsupported (their readers are a later issue);
//! - every file: read without panicking.
//!
//! Without `../shared/corpus` the tests fail, saying where it belongs; `XXGK_ALLOW_NO_CORPUS=1` skips them
//! (not with `CI=true`).

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use xxgk_model::{CellId, Report, ReportKind};
use xxgk_read::ReadError;

/// What a corpus file must give.
#[derive(Debug, PartialEq)]
enum Expect {
    /// Exactly the cells and metadata of this truth file.
    Truth(PathBuf),
    /// A subset of the cells of this truth file, with findings for the rest.
    Subset(PathBuf),
    Pre2019,
    /// The blank official template: every cell of the 2021 tables read, every one blank.
    BlankTemplate,
    /// Nothing known: it must only not panic.
    NoPanic,
}

fn expectation(corpus: &Path, rel: &Path) -> Expect {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let truth = |name: &str| corpus.join("truth").join(format!("{name}.json"));
    if stem.starts_with("official-template") {
        Expect::BlankTemplate
    } else if let Some(whole) = stem.strip_suffix("-excerpt") {
        Expect::Subset(truth(whole))
    } else if stem.ends_with("-legacy") {
        Expect::Pre2019
    } else if truth(stem).is_file() {
        Expect::Truth(truth(stem))
    } else if truth(&format!("flattened/{stem}")).is_file() {
        Expect::Truth(truth(&format!("flattened/{stem}")))
    } else {
        Expect::NoPanic
    }
}

/// Run the reader, turning a panic into an error message naming the file.
fn read_report(corpus: &Path, rel: &Path) -> Result<Result<Report, ReadError>, String> {
    let bytes = common::read(&corpus.join(rel));
    let name = rel.display().to_string();
    panic::catch_unwind(AssertUnwindSafe(|| xxgk_read::read(&bytes, Some(&name)))).map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("{name}: the reader panicked: {msg}")
    })
}

struct Truth {
    cells: BTreeMap<String, Json>,
    meta: Json,
    /// Cells the text alone cannot determine (`undetermined_from_text`): they must be absent,
    /// with a finding naming them. They are not in `cells`.
    undetermined: Vec<String>,
}

fn load_truth(path: &Path) -> Truth {
    let text = String::from_utf8(common::read(path)).expect("truth is UTF-8");
    let json: Json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let undetermined: Vec<String> = json["undetermined_from_text"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let cells = json["cells"]
        .as_object()
        .unwrap_or_else(|| panic!("{} has no \"cells\" object", path.display()))
        .iter()
        .filter(|(k, _)| !undetermined.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Truth {
        cells,
        meta: json["meta"].clone(),
        undetermined,
    }
}

/// The cells of a report as flat keys → JSON values (the form of the truth files).
fn cells_json(report: &Report) -> BTreeMap<String, Json> {
    report
        .flat_cells()
        .into_iter()
        .map(|(k, v)| (k, v.to_json()))
        .collect()
}

/// How a report's cells compare with the truth.
#[derive(Default)]
struct CellDiff {
    matching: usize,
    /// In the truth, not read.
    missing: Vec<(String, Json)>,
    /// Read, not in the truth.
    extra: Vec<(String, Json)>,
    /// (key, expected, read)
    wrong: Vec<(String, Json, Json)>,
}

impl CellDiff {
    fn new(read: &BTreeMap<String, Json>, truth: &BTreeMap<String, Json>) -> CellDiff {
        let mut d = CellDiff::default();
        for (k, expected) in truth {
            match read.get(k) {
                Some(got) if got == expected => d.matching += 1,
                Some(got) => d.wrong.push((k.clone(), expected.clone(), got.clone())),
                None => d.missing.push((k.clone(), expected.clone())),
            }
        }
        for (k, v) in read {
            if !truth.contains_key(k) {
                d.extra.push((k.clone(), v.clone()));
            }
        }
        d
    }

    /// A readable account of the differences; `with_missing` false for excerpts.
    fn describe(&self, with_missing: bool) -> String {
        let mut s = String::new();
        let list = |s: &mut String, title: &str, items: &[(String, Json)]| {
            if !items.is_empty() {
                let _ = writeln!(s, "    {title} ({}):", items.len());
                for (k, v) in items {
                    let _ = writeln!(s, "      {k} = {v}");
                }
            }
        };
        if with_missing {
            list(&mut s, "missing (in truth, not read)", &self.missing);
        }
        list(&mut s, "extra (read, not in truth)", &self.extra);
        if !self.wrong.is_empty() {
            let _ = writeln!(s, "    wrong values ({}):", self.wrong.len());
            for (k, expected, got) in &self.wrong {
                let _ = writeln!(s, "      {k}: expected {expected}, read {got}");
            }
        }
        s
    }
}

/// Differences between the report's metadata and the truth's `meta`.
fn meta_diff(report: &Report, meta: &Json) -> Vec<String> {
    let got = [
        ("format", Json::from(report.kind.id())),
        ("agency", Json::from(report.meta.agency.clone())),
        ("year", Json::from(report.meta.year)),
        (
            "published",
            Json::from(report.meta.published.as_ref().map(|d| d.value.to_string())),
        ),
    ];
    got.into_iter()
        .filter(|(k, v)| meta[*k] != *v)
        .map(|(k, v)| format!("meta.{k}: expected {}, read {v}", meta[k]))
        .collect()
}

/// The files of the corpus whose expectation satisfies `pick`, with the corpus directory.
fn files_where(pick: impl Fn(&Path, &Expect) -> bool) -> Option<(PathBuf, Vec<(PathBuf, Expect)>)> {
    let corpus = common::corpus_dir()?;
    let files = common::report_files(&corpus)
        .into_iter()
        .map(|rel| {
            let e = expectation(&corpus, &rel);
            (rel, e)
        })
        .filter(|(rel, e)| pick(rel, e))
        .collect();
    Some((corpus, files))
}

/// Compare every file with a truth file; print per-file results and the total of matching cells.
fn check_against_truth(under: &str) {
    let Some((corpus, files)) =
        files_where(|rel, e| rel.starts_with(under) && matches!(e, Expect::Truth(_)))
    else {
        return;
    };
    assert!(!files.is_empty(), "no file under {under}/ has a truth file");
    let mut failures = String::new();
    let (mut matching, mut expected) = (0, 0);
    for (rel, expect) in &files {
        let Expect::Truth(truth_path) = expect else {
            continue;
        };
        let truth = load_truth(truth_path);
        expected += truth.cells.len();
        let report = match read_report(&corpus, rel) {
            Err(panicked) => {
                let _ = writeln!(failures, "{panicked}");
                continue;
            }
            Ok(Err(e)) => {
                let _ = writeln!(
                    failures,
                    "{}: not read: {e} ({} cells expected)",
                    rel.display(),
                    truth.cells.len()
                );
                continue;
            }
            Ok(Ok(r)) => r,
        };
        let diff = CellDiff::new(&cells_json(&report), &truth.cells);
        let meta = meta_diff(&report, &truth.meta);
        for k in &truth.undetermined {
            if !covered_by_a_finding(&report, k) {
                let _ = writeln!(
                    failures,
                    "{}: {k} is undetermined from the text but no finding names it",
                    rel.display()
                );
            }
        }
        matching += diff.matching;
        println!(
            "{}: {}/{} cells match",
            rel.display(),
            diff.matching,
            truth.cells.len()
        );
        if diff.matching != truth.cells.len() || !diff.extra.is_empty() || !meta.is_empty() {
            let _ = writeln!(
                failures,
                "{}: {}/{} cells match",
                rel.display(),
                diff.matching,
                truth.cells.len()
            );
            for m in meta {
                let _ = writeln!(failures, "    {m}");
            }
            failures.push_str(&diff.describe(true));
        }
    }
    println!("{under}/: {matching}/{expected} cells match in total");
    assert!(
        failures.is_empty(),
        "{under}/: {matching}/{expected} cells match in total\n{failures}"
    );
}

#[test]
fn seeds_match_their_truth() {
    // 998 cells for the five seeds (4 × 200 in the 2021 format, 198 in the 2019 format).
    check_against_truth("seeds");
}

#[test]
fn real_reports_match_their_truth() {
    check_against_truth("real");
}

#[test]
fn excerpts_read_a_subset_of_their_truth() {
    let Some((corpus, files)) = files_where(|_, e| matches!(e, Expect::Subset(_))) else {
        return;
    };
    assert!(!files.is_empty(), "the corpus has no excerpt");
    let mut failures = String::new();
    for (rel, expect) in &files {
        let Expect::Subset(truth_path) = expect else {
            continue;
        };
        let truth = load_truth(truth_path);
        let report = match read_report(&corpus, rel) {
            Err(panicked) => {
                let _ = writeln!(failures, "{panicked}");
                continue;
            }
            Ok(Err(e)) => {
                let _ = writeln!(failures, "{}: not read: {e}", rel.display());
                continue;
            }
            Ok(Ok(r)) => r,
        };
        let diff = CellDiff::new(&cells_json(&report), &truth.cells);
        println!(
            "{}: {} cells read, all equal to {}: {}; {} not read; {} findings",
            rel.display(),
            diff.matching + diff.wrong.len() + diff.extra.len(),
            truth_path.display(),
            diff.wrong.is_empty() && diff.extra.is_empty(),
            diff.missing.len(),
            report.findings.len()
        );
        if diff.matching == 0 || !diff.wrong.is_empty() || !diff.extra.is_empty() {
            let _ = writeln!(
                failures,
                "{}: {} cells read equal the truth (at least one expected)",
                rel.display(),
                diff.matching
            );
            failures.push_str(&diff.describe(false));
        }
        if report.findings.is_empty() {
            let _ = writeln!(
                failures,
                "{}: {} truth cells are not read, but there is no finding",
                rel.display(),
                diff.missing.len()
            );
        }
        let silent: Vec<&String> = diff
            .missing
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !covered_by_a_finding(&report, k))
            .collect();
        if !silent.is_empty() {
            let _ = writeln!(
                failures,
                "{}: {} truth cells are neither read nor named by a finding: {silent:?}",
                rel.display(),
                silent.len()
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

/// Whether the report says why a cell is absent: a finding (a missing row or table, an
/// unreadable row) names the cell.
fn covered_by_a_finding(report: &Report, flat: &str) -> bool {
    let Some(id) = CellId::parse(flat) else {
        return false;
    };
    report.findings.iter().any(|f| f.cells.contains(&id))
}

#[test]
fn legacy_reports_are_recognised_as_pre_2019() {
    let Some((corpus, files)) = files_where(|_, e| *e == Expect::Pre2019) else {
        return;
    };
    assert!(!files.is_empty(), "the corpus has no legacy report");
    for (rel, _) in &files {
        match read_report(&corpus, rel) {
            Err(panicked) => panic!("{panicked}"),
            Ok(Err(e)) => panic!("{}: not read: {e}", rel.display()),
            Ok(Ok(report)) => {
                assert_eq!(report.kind, ReportKind::Pre2019, "{}", rel.display());
                assert!(
                    report.cells.is_empty(),
                    "{}: cells invented for a pre-2019 report: {:?}",
                    rel.display(),
                    report.flat_cells().keys().collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn the_blank_template_reads_as_blank_cells() {
    let Some((corpus, files)) = files_where(|_, e| *e == Expect::BlankTemplate) else {
        return;
    };
    assert!(!files.is_empty(), "the corpus has no template");
    for (rel, _) in &files {
        match read_report(&corpus, rel) {
            Err(panicked) => panic!("{panicked}"),
            Ok(Err(e)) => panic!("{}: not read: {e}", rel.display()),
            Ok(Ok(r)) => {
                assert_eq!(r.kind.id(), "2021", "{}", rel.display());
                let expected = xxgk_model::catalogue::tables(xxgk_model::Format::F2021)
                    .iter()
                    .map(|t| t.cells().count())
                    .sum::<usize>();
                assert_eq!(r.cells.len(), expected, "{}", rel.display());
                for (id, c) in &r.cells {
                    assert_eq!(
                        c.value,
                        xxgk_model::Value::Blank,
                        "{}: {id:?}",
                        rel.display()
                    );
                }
            }
        }
    }
}

#[test]
fn every_corpus_file_reads_without_panicking() {
    let Some((corpus, files)) = files_where(|_, _| true) else {
        return;
    };
    assert!(!files.is_empty(), "the corpus is empty");
    let mut panics = Vec::new();
    for (rel, expect) in &files {
        match read_report(&corpus, rel) {
            Err(panicked) => panics.push(panicked),
            Ok(Ok(r)) => println!(
                "{}: {} ({expect:?}): {} cells, {} findings",
                rel.display(),
                r.kind.id(),
                r.cells.len(),
                r.findings.len()
            ),
            Ok(Err(e)) => println!("{}: not read ({expect:?}): {e}", rel.display()),
        }
    }
    assert!(panics.is_empty(), "{}", panics.join("\n"));
}

#[test]
fn expectations_follow_the_corpus_readme() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let e = |rel: &str| expectation(&corpus, Path::new(rel));
    let truth = |name: &str| corpus.join("truth").join(format!("{name}.json"));
    assert_eq!(
        e("seeds/000_e9af0cc230bbb8d9.txt"),
        Expect::Truth(truth("000_e9af0cc230bbb8d9"))
    );
    assert_eq!(
        e("real/shanghai-stcsm-2024.md"),
        Expect::Truth(truth("shanghai-stcsm-2024"))
    );
    assert_eq!(
        e("real/huaian-city-2024-excerpt.txt"),
        Expect::Subset(truth("huaian-city-2024"))
    );
    assert_eq!(e("real/pingtan-2017-legacy.txt"), Expect::Pre2019);
    assert_eq!(
        e("real/pingtan-2022-flattened.txt"),
        Expect::Truth(truth("flattened/pingtan-2022-flattened"))
    );
    assert_eq!(
        e("real/huaian-city-2024.pdf"),
        Expect::Truth(truth("huaian-city-2024"))
    );
    assert_eq!(
        e("template/official-template-2021.docx"),
        Expect::BlankTemplate
    );
}
