//! The checks on the real reports of `../shared/corpus` (read with xxgk-read) and on generated
//! reports (xxgk-write): the seeds' tables are consistent, so no error may point to a table cell;
//! their known real defects must be found.
//!
//! Without `../shared/corpus` the corpus tests say "corpus skipped" and pass, except with
//! `CI=true`.

use std::path::{Path, PathBuf};

use xxgk_model::{Finding, Report, Severity};

/// `../shared/corpus` beside the clone, or `None` (after saying so) when it is absent.
fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared/corpus not found at {} (CI=true)", dir.display());
    }
    println!("corpus skipped: ../shared/corpus not found");
    None
}

/// The corpus file whose name starts with `prefix` under `sub`, read.
fn read(corpus: &Path, sub: &str, prefix: &str) -> Report {
    let dir = corpus.join(sub);
    let path = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && !n.ends_with(".pdf"))
        })
        .unwrap_or_else(|| panic!("no {prefix}* in {}", dir.display()));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = xxgk_read::read(&bytes, path.to_str())
        .unwrap_or_else(|e| panic!("{}: not read: {e}", path.display()));
    assert!(
        !report.cells.is_empty(),
        "{}: the reader gave no cells (reader problem, not a check problem)",
        path.display()
    );
    report
}

const SEEDS: [&str; 5] = ["000", "001", "002", "003", "004"];

fn of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

fn ids(f: &Finding) -> Vec<String> {
    f.cells.iter().map(ToString::to_string).collect()
}

fn show(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{} {}: {}", f.severity.id(), f.rule, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn seeds_have_no_error_on_a_table_cell() {
    let Some(corpus) = corpus_dir() else { return };
    for seed in SEEDS {
        let r = read(&corpus, "seeds", seed);
        let found = xxgk_check::check(&r);
        let errors: Vec<Finding> = found
            .iter()
            .filter(|f| f.severity == Severity::Error && !f.cells.is_empty())
            .cloned()
            .collect();
        assert!(errors.is_empty(), "seed {seed}:\n{}", show(&errors));
        // The narrative of the seeds agrees with their tables.
        let text: Vec<Finding> = found
            .iter()
            .filter(|f| f.rule.starts_with("TEXT-"))
            .cloned()
            .collect();
        assert!(text.is_empty(), "seed {seed}:\n{}", show(&text));
    }
}

#[test]
fn seed_000_has_blank_review_cells() {
    let Some(corpus) = corpus_dir() else { return };
    let found = xxgk_check::check(&read(&corpus, "seeds", "000"));
    let blank = of(&found, "VALUE-BLANK");
    assert_eq!(blank.len(), 1, "{}", show(&found));
    assert_eq!(
        ids(blank[0]),
        [
            "appeals.review.upheld",
            "appeals.review.corrected",
            "appeals.review.other",
            "appeals.review.pending",
            "appeals.review.total"
        ]
    );
    assert!(blank[0].message.contains("表四“行政复议”"));
    assert!(!blank[0].spans.is_empty());
    let unverifiable = of(&found, "UNVERIFIABLE");
    assert_eq!(unverifiable.len(), 1, "{}", show(&found));
    assert!(unverifiable[0].message.contains("T4-GROUP-TOTAL"));
    assert!(ids(unverifiable[0]).contains(&"appeals.review.total".to_string()));
    assert!(of(&found, "T4-GROUP-TOTAL").is_empty());
    assert!(of(&found, "DATE-PUBLISHED-MISSING").is_empty());
    assert!(of(&found, "DATE-LATE").is_empty());
}

#[test]
fn seed_002_has_one_blank_cell() {
    let Some(corpus) = corpus_dir() else { return };
    let found = xxgk_check::check(&read(&corpus, "seeds", "002"));
    let cell = "requests.unavailable_unclear_after_correction.natural_person";
    let blank = of(&found, "VALUE-BLANK");
    assert_eq!(blank.len(), 1, "{}", show(&found));
    assert_eq!(ids(blank[0]), [cell]);
    // The identities that involve it are unverifiable; the column balance does not involve it.
    let unverifiable: Vec<&str> = of(&found, "UNVERIFIABLE")
        .iter()
        .inspect(|f| assert_eq!(ids(f), [cell]))
        .filter_map(|f| {
            ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T3-BALANCE"]
                .into_iter()
                .find(|r| f.message.contains(r))
        })
        .collect();
    assert_eq!(unverifiable, ["T3-OUTCOME-SUM", "T3-ROW-TOTAL"]);
    assert!(of(&found, "T3-BALANCE").is_empty());
    // "主动公开政府信息154条，其中：…" adds up (4 + 82 + 64 + 1 + 3).
    assert!(of(&found, "TEXT-SUBTOTALS").is_empty());
}

#[test]
fn seeds_without_a_publication_date() {
    let Some(corpus) = corpus_dir() else { return };
    for seed in SEEDS {
        let found = xxgk_check::check(&read(&corpus, "seeds", seed));
        let missing = !of(&found, "DATE-PUBLISHED-MISSING").is_empty();
        assert_eq!(
            missing,
            ["002", "003", "004"].contains(&seed),
            "seed {seed}"
        );
    }
}

#[test]
fn seed_003_numbers_part_five_5() {
    let Some(corpus) = corpus_dir() else { return };
    for seed in SEEDS {
        let found = xxgk_check::check(&read(&corpus, "seeds", seed));
        let numbering = of(&found, "STRUCT-NUMBERING");
        if seed == "003" {
            assert_eq!(numbering.len(), 1, "{}", show(&found));
            assert_eq!(numbering[0].found.as_deref(), Some("5、"));
            assert_eq!(numbering[0].expected.as_deref(), Some("五、"));
        } else {
            assert!(numbering.is_empty(), "seed {seed}: {}", show(&found));
        }
        assert!(of(&found, "STRUCT-PARTS").is_empty(), "seed {seed}");
        assert!(of(&found, "FORMAT-YEAR").is_empty(), "seed {seed}");
    }
}

/// 上海市科委 2024: the narrative agrees with the table, except "所有申请均已按要求办理完成"
/// against 1 件 转下一年度; the 结转下年度 总计 cell is blank; there is no part 五.
#[test]
fn shanghai_narrative_contradicts_itself() {
    let Some(corpus) = corpus_dir() else { return };
    let found = xxgk_check::check(&read(&corpus, "real", "shanghai-stcsm-2024"));
    let all = of(&found, "TEXT-ALL-HANDLED");
    assert_eq!(all.len(), 1, "{}", show(&found));
    assert_eq!(ids(all[0]), ["requests.carried_forward.natural_person"]);
    for rule in [
        "TEXT-RECEIVED",
        "TEXT-WORKLOAD",
        "TEXT-CARRIED-OVER",
        "TEXT-HANDLED",
        "TEXT-CARRIED-FORWARD",
        "TEXT-REVIEW",
        "TEXT-LITIGATION",
        "TEXT-NO-APPEALS",
        "TEXT-FEE-NOTICE",
        // "全年累计发布信息 2139 条，其中动态类信息发布 1744 条，政务信息发布 393 条，解读类信息
        // 发布 21 条，回应公众关注热点信息 2 条": 1744 + 393 + 21 + 2 = 2160, but the list does not
        // claim to be complete (the categories overlap: 政务信息 393 is all of them), so it is
        // not added up.
        "TEXT-SUBTOTALS",
        // "市科委未发生政府信息公开收费事项".
        "PART6-FEES",
    ] {
        assert!(of(&found, rule).is_empty(), "{rule}: {}", show(&found));
    }
    let blank = of(&found, "VALUE-BLANK");
    assert_eq!(blank.len(), 1);
    assert_eq!(ids(blank[0]), ["requests.carried_forward.total"]);
    assert!(of(&found, "STRUCT-PARTS")
        .iter()
        .any(|f| f.message.contains("第五部分")));
}

/// 淮安市人民政府 2024 (PDF): its narrative agrees with its tables ("全市共受理政府信息公开申请3119
/// 件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）", 行政复议351件, 行政诉讼
/// 46件), and part 六's "全年收取政府信息公开信息处理费3940元" states the fees beside its
/// （六）2 = 6.
#[test]
fn huaian_narrative_agrees() {
    let Some(corpus) = corpus_dir() else { return };
    let path = corpus.join("real").join("huaian-city-2024.pdf");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = xxgk_read::read(&bytes, path.to_str())
        .unwrap_or_else(|e| panic!("{}: not read: {e}", path.display()));
    let found = xxgk_check::check(&report);
    let text: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule.starts_with("TEXT-") || f.rule == "PART6-FEES")
        .collect();
    assert!(
        text.is_empty(),
        "{}",
        show(&text.into_iter().cloned().collect::<Vec<_>>())
    );
}

/// What a valid report must not produce: an error (other than the parts a generated report
/// without text lacks), an unverifiable identity, a blank or text cell.
fn invalid(found: &[Finding], has_text: bool) -> Vec<Finding> {
    found
        .iter()
        .filter(|f| {
            (f.severity == Severity::Error && (has_text || f.rule != "STRUCT-PARTS"))
                || ["UNVERIFIABLE", "VALUE-BLANK", "VALUE-TEXT"].contains(&f.rule)
        })
        .cloned()
        .collect()
}

/// Generated reports are valid: none of the findings of [`invalid`].
#[test]
fn generated_reports_are_valid() {
    use xxgk_testgen::{random_report, GenOptions};
    for seed in 0..500 {
        let r = random_report(seed, &GenOptions::default());
        let bad = invalid(&xxgk_check::check(&r), false);
        assert!(bad.is_empty(), "seed {seed}:\n{}", show(&bad));
    }
}

/// Blank and text cells never make an identity fail: with cells blanked or replaced by "/" at
/// random, no error points to a table cell (the identities become UNVERIFIABLE).
#[test]
fn blanks_make_identities_unverifiable_never_wrong() {
    use xxgk_testgen::{random_report, GenOptions};
    let opts = GenOptions {
        blank_probability: 0.05,
        text_probability: 0.05,
        ..GenOptions::default()
    };
    let mut unverifiable = 0;
    for seed in 0..300 {
        let r = random_report(seed, &opts);
        let found = xxgk_check::check(&r);
        let errors: Vec<Finding> = found
            .iter()
            .filter(|f| f.severity == Severity::Error && !f.cells.is_empty())
            .cloned()
            .collect();
        assert!(errors.is_empty(), "seed {seed}:\n{}", show(&errors));
        unverifiable += of(&found, "UNVERIFIABLE").len();
    }
    assert!(unverifiable > 0);
}

/// Generated reports rendered as text and read back: still valid, and their narrative (which
/// states the tables' numbers) never contradicts the tables. (The generator's "未收取信息处理费"
/// beside a non-zero （六）2 is consistent: the notice was sent, the applicant did not pay.)
#[test]
fn generated_reports_read_back_are_valid_and_their_narrative_agrees() {
    use xxgk_testgen::{random_report, GenOptions};
    use xxgk_write::text::{render_text, TextLayout, TextOptions};
    for seed in 0..200u64 {
        let r = random_report(seed, &GenOptions::default());
        for layout in TextLayout::ALL {
            let opts = TextOptions {
                seed,
                space_around_numbers: seed % 2 == 0,
                wrap_labels: seed % 3 == 0,
                ..TextOptions::default()
            };
            let text = render_text(&r, layout, &opts);
            let back = match xxgk_read::read(text.as_bytes(), None) {
                Ok(b) => b,
                Err(e) => panic!("seed {seed} {}: not read: {e}", layout.name()),
            };
            let found = xxgk_check::check(&back);
            let mut bad = invalid(&found, true);
            bad.extend(
                found
                    .iter()
                    .filter(|f| f.rule.starts_with("TEXT-"))
                    .cloned(),
            );
            assert!(
                bad.is_empty(),
                "seed {seed} {}:\n{}",
                layout.name(),
                show(&bad)
            );
        }
    }
}
