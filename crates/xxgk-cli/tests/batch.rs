//! `xxgk check` on batches: the xlsx workbook (read back with calamine), `-o`, duplicates of one
//! report, cross-year findings whose previous year comes later, no progress bar off a terminal.
//!
//! Expected values are checked by hand against the seeds: seed 000 prints its 行政复议 cells
//! blank on line 87 (`\t\t\t\t\t0\t0…`, the first five of fifteen cells empty); seed 003 numbers
//! part 五 "5、" on line 407 and, like 002 and 004, prints no publication date.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value as Json;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/example-2024.txt")
}

fn example_text() -> String {
    fs::read_to_string(example()).expect("example is UTF-8")
}

fn xxgk() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("xxgk");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("standard output is UTF-8")
}

fn json_lines(out: &str) -> Vec<Json> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn rules_of(report: &Json) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_string())
        .collect()
}

/// The seeds copied to `dir/seeds`, so that their names in the output are `seeds/NNN_….txt`.
fn copy_seeds(corpus: &Path, dir: &Path) {
    fs::create_dir(dir.join("seeds")).expect("mkdir");
    for rel in common::seeds(corpus) {
        fs::copy(corpus.join(&rel), dir.join(&rel)).expect("copy seed");
    }
}

fn s(v: &str) -> Data {
    Data::String(v.to_string())
}

fn n(v: f64) -> Data {
    Data::Float(v)
}

/// The rows of a sheet.
fn rows(book: &mut Xlsx<std::io::BufReader<fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).expect("sheet exists");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The cell of `row` under the header `column` (of the header row `header`).
fn at<'a>(header: &[Data], row: &'a [Data], column: &str) -> &'a Data {
    let i = header
        .iter()
        .position(|h| *h == s(column))
        .unwrap_or_else(|| panic!("no column {column}"));
    row.get(i).unwrap_or(&Data::Empty)
}

#[test]
fn the_seeds_as_a_workbook() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    copy_seeds(&corpus, dir.path());
    let output = xxgk()
        .current_dir(dir.path())
        .args(["check", "seeds", "--format", "xlsx", "-o", "问题.xlsx"])
        .output()
        .expect("runs");
    // No seed has an error.
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        output.stdout.is_empty(),
        "the workbook goes to the file only"
    );

    let mut book: Xlsx<_> = open_workbook(dir.path().join("问题.xlsx")).expect("an xlsx file");
    assert_eq!(book.sheet_names(), ["汇总", "问题清单", "规则统计"]);

    // 汇总: header, five reports, a blank row, the totals.
    let summary = rows(&mut book, "汇总");
    let header = summary[0].clone();
    assert_eq!(
        header,
        [
            "文件",
            "机关",
            "年度",
            "格式",
            "错误数",
            "警告数",
            "提示数",
            "是否可读"
        ]
        .map(s)
    );
    assert_eq!(summary.len(), 1 + 5 + 2, "{summary:?}");
    assert_eq!(
        summary[1],
        [
            s("seeds/000_e9af0cc230bbb8d9.txt"),
            s("昌乐县知识产权事业发展中心"),
            n(2024.0),
            s("2021 年格式"),
            n(0.0),
            n(1.0),
            n(1.0),
            s("是"),
        ]
    );
    let seed003 = &summary[4];
    assert_eq!(at(&header, seed003, "机关"), &s("济宁高新区科技创新局"));
    assert_eq!(at(&header, seed003, "错误数"), &n(0.0));
    // STRUCT-NUMBERING and DATE-PUBLISHED-MISSING.
    assert_eq!(at(&header, seed003, "警告数"), &n(2.0));
    assert_eq!(at(&header, seed003, "提示数"), &n(0.0));
    assert_eq!(at(&header, &summary[7], "文件"), &s("合计"));
    assert_eq!(at(&header, &summary[7], "错误数"), &n(0.0));

    // 问题清单: seed 000 has exactly its blank 行政复议 cells and the identity they stop.
    let findings = rows(&mut book, "问题清单");
    let header = findings[0].clone();
    assert_eq!(
        header,
        [
            "文件",
            "机关",
            "年度",
            "规则",
            "严重程度",
            "说明",
            "单元格",
            "应为",
            "实为",
            "行",
            "位置"
        ]
        .map(s)
    );
    let of_000: Vec<&Vec<Data>> = findings
        .iter()
        .filter(|r| at(&header, r, "文件") == &s("seeds/000_e9af0cc230bbb8d9.txt"))
        .collect();
    assert_eq!(of_000.len(), 2, "{of_000:?}");
    let blank = of_000[0];
    assert_eq!(at(&header, blank, "规则"), &s("VALUE-BLANK"));
    assert_eq!(at(&header, blank, "严重程度"), &s("警告"));
    assert_eq!(at(&header, blank, "年度"), &n(2024.0));
    assert_eq!(
        at(&header, blank, "单元格"),
        &s("appeals.review.upheld appeals.review.corrected appeals.review.other appeals.review.pending appeals.review.total")
    );
    assert_eq!(at(&header, blank, "行"), &n(87.0));
    assert_eq!(at(&header, blank, "位置"), &s("第87行"));
    assert_eq!(at(&header, blank, "实为"), &s("空白"));
    assert!(matches!(at(&header, blank, "说明"), Data::String(m) if m.contains("表四“行政复议”")));
    assert_eq!(at(&header, of_000[1], "规则"), &s("UNVERIFIABLE"));
    assert_eq!(at(&header, of_000[1], "严重程度"), &s("提示"));

    let numbering = findings
        .iter()
        .find(|r| at(&header, r, "规则") == &s("STRUCT-NUMBERING"))
        .expect("seed 003's part 五");
    assert_eq!(
        at(&header, numbering, "文件"),
        &s("seeds/003_3dd38cd922b2f941.txt")
    );
    assert_eq!(at(&header, numbering, "应为"), &s("五、"));
    assert_eq!(at(&header, numbering, "实为"), &s("5、"));
    assert_eq!(at(&header, numbering, "行"), &n(407.0));
    let missing_date: Vec<&Data> = findings
        .iter()
        .filter(|r| at(&header, r, "规则") == &s("DATE-PUBLISHED-MISSING"))
        .map(|r| at(&header, r, "文件"))
        .collect();
    assert_eq!(
        missing_date,
        [
            &s("seeds/002_34c254d3798047bd.txt"),
            &s("seeds/003_3dd38cd922b2f941.txt"),
            &s("seeds/004_12d51352752dc67b.txt")
        ]
    );

    // 规则统计: the totals, then one row per rule.
    let stats = rows(&mut book, "规则统计");
    assert_eq!(stats[0][..2], [s("报告数"), n(5.0)]);
    assert_eq!(stats[1][..2], [s("无法读取数"), n(0.0)]);
    assert_eq!(stats[2][..2], [s("有错误的报告数"), n(0.0)]);
    let at_header = stats
        .iter()
        .position(|r| r.first() == Some(&s("规则")))
        .expect("a header row");
    let header = stats[at_header].clone();
    assert_eq!(
        header,
        ["规则", "类别", "严重程度", "标题", "问题数", "涉及报告数"].map(s)
    );
    let rule = |id: &str| {
        stats
            .iter()
            .find(|r| r.first() == Some(&s(id)))
            .unwrap_or_else(|| panic!("{id} counted"))
            .clone()
    };
    let dates = rule("DATE-PUBLISHED-MISSING");
    assert_eq!(at(&header, &dates, "问题数"), &n(3.0));
    assert_eq!(at(&header, &dates, "涉及报告数"), &n(3.0));
    assert_eq!(at(&header, &dates, "类别"), &s("校验"));
    let blank = rule("VALUE-BLANK");
    assert_eq!(at(&header, &blank, "问题数"), &n(2.0));
    assert_eq!(at(&header, &blank, "严重程度"), &s("警告"));
}

#[test]
fn min_severity_filters_the_list_not_the_counts() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    copy_seeds(&corpus, dir.path());
    let output = xxgk()
        .current_dir(dir.path())
        .args([
            "check",
            "seeds",
            "--format",
            "xlsx",
            "--min-severity",
            "warning",
        ])
        .args(["--output", "w.xlsx"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut book: Xlsx<_> = open_workbook(dir.path().join("w.xlsx")).expect("an xlsx file");
    let findings = rows(&mut book, "问题清单");
    assert!(findings.iter().all(|r| r.get(4) != Some(&s("提示"))));
    assert!(findings.iter().any(|r| r.get(3) == Some(&s("VALUE-BLANK"))));
    let summary = rows(&mut book, "汇总");
    assert_eq!(summary[1][6], n(1.0), "seed 000's info is still counted");
}

#[test]
fn xlsx_needs_an_output_file() {
    let output = xxgk()
        .args(["check", "--format", "xlsx"])
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("-o/--output"), "{err}");

    // `-o -` writes the workbook to standard output when it is not a terminal (here a pipe).
    let output = xxgk()
        .args(["check", "--format", "xlsx", "-o", "-"])
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.starts_with(b"PK"), "a zip file");
}

#[test]
fn other_formats_can_go_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.jsonl");
    let output = xxgk()
        .args(["check", "--format", "json", "-o"])
        .arg(&out)
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let reports = json_lines(&fs::read_to_string(&out).expect("written"));
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["agency"], "某某县市场监督管理局");
}

/// The example as next year's report, its carry-over row not matching the example's 结转.
fn next_year_mismatched() -> String {
    let text = example_text()
        .replace("2024", "2025")
        .replace("2023", "2024");
    let from = "二、上年结转政府信息公开申请数量\t3\t1\t0\t0\t0\t0\t4";
    assert_eq!(text.matches(from).count(), 1);
    text.replacen(
        from,
        "二、上年结转政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t6",
        1,
    )
}

#[test]
fn one_report_given_twice_is_compared_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let later = dir.path().join("2025.txt");
    fs::write(&later, next_year_mismatched()).expect("write");
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(example())
        .arg(example())
        .arg(&later)
        .arg(&later)
        .output()
        .expect("runs");
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 4);
    let count = |r: &Json, rule: &str| rules_of(r).iter().filter(|x| *x == rule).count();
    // The second copy of each year names the first.
    assert_eq!(count(&reports[0], "CROSS-DUPLICATE"), 0);
    assert_eq!(count(&reports[1], "CROSS-DUPLICATE"), 1);
    assert_eq!(count(&reports[3], "CROSS-DUPLICATE"), 1);
    let dup = reports[1]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "CROSS-DUPLICATE")
        .expect("a duplicate finding");
    assert_eq!(dup["severity"], "info");
    assert!(
        dup["message"]
            .as_str()
            .is_some_and(|m| m.contains("example-2024.txt") && m.contains("数字相同")),
        "{dup}"
    );
    // Carry-over checked once: on the first 2025 report, one finding per mismatched column
    // (自然人 5 vs 2, 总计 6 vs 3: the example carries 2 1 0 0 0 0 3 forward); none on the copy.
    assert_eq!(
        count(&reports[2], "CROSS-CARRY-OVER"),
        2,
        "{:#}",
        reports[2]
    );
    assert_eq!(count(&reports[3], "CROSS-CARRY-OVER"), 0);
}

#[test]
fn a_previous_year_given_much_later_comes_in_a_supplement() {
    let dir = tempfile::tempdir().expect("tempdir");
    let later = dir.path().join("a-2025.txt");
    fs::write(&later, next_year_mismatched()).expect("write");
    // More than one chunk (256) of another agency's report between the two years.
    let other = example_text().replace("某某县市场监督管理局", "某某县统计局");
    let fillers = dir.path().join("fillers");
    fs::create_dir(&fillers).expect("mkdir");
    for i in 0..260 {
        fs::write(fillers.join(format!("{i:03}.txt")), &other).expect("write");
    }
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(&later)
        .arg(&fillers)
        .arg(example())
        .output()
        .expect("runs");
    // Exit 1: CROSS-CARRY-OVER is an error, even when it comes late.
    assert_eq!(output.status.code(), Some(1));
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 1 + 260 + 1 + 1);
    assert!(!rules_of(&reports[0]).contains(&"CROSS-CARRY-OVER".to_string()));
    let last = reports.last().expect("the supplement");
    assert_eq!(last["supplement"], true);
    assert_eq!(last["source"], later.display().to_string());
    assert_eq!(last["year"], 2025);
    let own_errors = reports[0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .count();
    assert!(own_errors > 0, "the changed row breaks T3-BALANCE");
    let late = rules_of(last);
    assert!(late.iter().all(|r| r.starts_with("CROSS-")), "{last:#}");
    assert_eq!(
        late.iter().filter(|r| *r == "CROSS-CARRY-OVER").count(),
        2,
        "{last:#}"
    );
    assert!(reports[..reports.len() - 1]
        .iter()
        .all(|r| r.get("supplement").is_none()));

    // Text: the summary counts the late error for the 2025 report.
    let output = xxgk()
        .arg("check")
        .arg(&later)
        .arg(&fillers)
        .arg(example())
        .output()
        .expect("runs");
    let out = stdout_of(&output);
    assert!(
        out.contains("跨年度核对补充"),
        "{}",
        &out[out.len().saturating_sub(2000)..]
    );
    assert!(
        out.contains("有错误的报告数：1"),
        "{}",
        &out[out.len().saturating_sub(2000)..]
    );

    // xlsx: the late errors count in the 2025 report's summary row and close the findings list.
    let book_path = dir.path().join("late.xlsx");
    let output = xxgk()
        .args(["check", "--format", "xlsx", "--min-severity", "error", "-o"])
        .arg(&book_path)
        .arg(&later)
        .arg(&fillers)
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let mut book: Xlsx<_> = open_workbook(&book_path).expect("an xlsx file");
    let summary = rows(&mut book, "汇总");
    let header = summary[0].clone();
    assert_eq!(
        at(&header, &summary[1], "文件"),
        &s(&later.display().to_string())
    );
    // Its own errors (the changed row breaks table 三's balance) and the two late ones.
    assert_eq!(
        at(&header, &summary[1], "错误数"),
        &n((own_errors + 2) as f64)
    );
    let findings = rows(&mut book, "问题清单");
    let header = findings[0].clone();
    assert_eq!(findings.len(), 1 + own_errors + 2, "{findings:?}");
    // The late findings close the list.
    for row in &findings[findings.len() - 2..] {
        assert_eq!(at(&header, row, "规则"), &s("CROSS-CARRY-OVER"));
        assert_eq!(at(&header, row, "年度"), &n(2025.0));
    }
    assert!(findings[1..findings.len() - 2]
        .iter()
        .all(|r| at(&header, r, "规则") != &s("CROSS-CARRY-OVER")));
}

#[test]
fn no_progress_bar_off_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..30 {
        fs::copy(example(), dir.path().join(format!("{i:02}.txt"))).expect("copy");
    }
    for command in ["check", "extract"] {
        let output = xxgk()
            .args(
                [command, "--quiet"]
                    .into_iter()
                    .take(if command == "check" { 1 } else { 2 }),
            )
            .arg(dir.path())
            .env_remove("CI")
            .output()
            .expect("runs");
        assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.is_empty(), "{command}: {err}");
    }
}

/// The checks see the reader's findings (to not repeat them): the excerpt of the 淮安 report
/// stops before table 四 (it never mentions 行政复议), which the reader reports once, as
/// READ-TABLE-MISSING, and the checks do not report again as STRUCT-TABLE-MISSING.
#[test]
fn a_missing_table_is_reported_once() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let file = corpus.join("real/huaian-city-2024-excerpt.txt");
    assert!(!fs::read_to_string(&file)
        .expect("UTF-8")
        .contains("行政复议"));
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .expect("runs");
    let reports = json_lines(&stdout_of(&output));
    let rules = rules_of(&reports[0]);
    assert_eq!(
        rules.iter().filter(|r| *r == "READ-TABLE-MISSING").count(),
        1,
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"STRUCT-TABLE-MISSING".to_string()),
        "{rules:?}"
    );
}
