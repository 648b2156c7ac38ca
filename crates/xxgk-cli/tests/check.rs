//! `xxgk check` and `xxgk rules` as a user runs them: the example report, a report with a wrong
//! number, two years of one agency, an unreadable file among good ones, the rule catalogue.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value as Json;
use xxgk_model::CellId;

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

/// Replace exactly one occurrence of `from` (the test is wrong if the example changes).
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "expected one {from:?}");
    text.replacen(from, to, 1)
}

const NEW_RECEIVED: &str = "一、本年新收政府信息公开申请数量\t46\t9\t0\t1\t3\t2\t61";
const CARRIED_OVER: &str = "二、上年结转政府信息公开申请数量\t3\t1\t0\t0\t0\t0\t4";

/// The example as the next year's report of the same agency, its 二、上年结转 row replaced.
fn next_year(carried_over: &str) -> String {
    let text = example_text()
        .replace("2024", "2025")
        .replace("2023", "2024");
    replace_once(&text, CARRIED_OVER, carried_over)
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

fn assert_canonical_cells(reports: &[Json]) {
    for report in reports {
        for f in report["findings"].as_array().expect("findings") {
            for cell in f["cells"].as_array().expect("cells") {
                let key = cell.as_str().expect("a cell is a string");
                assert!(CellId::parse(key).is_some(), "not a canonical cell: {key}");
            }
        }
    }
}

#[test]
fn the_example_has_no_errors() {
    let output = xxgk().arg("check").arg(example()).output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let out = stdout_of(&output);
    assert!(
        out.contains("某某县市场监督管理局 2024年 2021 年格式"),
        "{out}"
    );
    assert!(!out.contains("错误（"), "{out}");
    assert!(out.contains("报告数：1"), "{out}");
    assert!(out.contains("有错误的报告数：0"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when not a terminal");

    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["year"], 2024);
    assert_eq!(reports[0]["format"], "2021");
    assert!(reports[0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .all(|f| f["severity"] != "error"));
}

#[test]
fn a_changed_total_is_an_error_naming_the_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.txt");
    let changed = NEW_RECEIVED.replace("\t61", "\t62");
    fs::write(&bad, replace_once(&example_text(), NEW_RECEIVED, &changed)).expect("write");

    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 1);
    assert_canonical_cells(&reports);
    let hit = reports[0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            (f["rule"] == "T3-ROW-TOTAL" || f["rule"] == "T3-BALANCE")
                && f["severity"] == "error"
                && f["cells"]
                    .as_array()
                    .expect("cells")
                    .iter()
                    .any(|c| c == "requests.new_received.total")
        });
    assert!(hit.is_some(), "{:#}", reports[0]);

    // Text output: the rule, the line and the numbers; CSV: one row per finding.
    let output = xxgk().arg("check").arg(&bad).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout_of(&output);
    assert!(out.contains("[T3-ROW-TOTAL] 第53行: "), "{out}");
    assert!(out.contains("(应为 61，实为 62)"), "{out}");
    assert!(out.contains("有错误的报告数：1"), "{out}");

    let output = xxgk()
        .args(["check", "--format", "csv", "--min-severity", "error"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout_of(&output);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}source,agency,year,rule,severity,message,cells,expected,found,line,page")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.contains(",错误,")), "{out}");
    assert!(rows.iter().any(|r| r.contains(",T3-ROW-TOTAL,")), "{out}");
}

#[test]
fn consecutive_years_are_checked_across() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 2024 carries 2 1 0 0 0 0 3 forward; 2025 says it carried over 5 1 0 0 0 0 6.
    let wrong = dir.path().join("2025-wrong.txt");
    fs::write(
        &wrong,
        next_year("二、上年结转政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t6"),
    )
    .expect("write");
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(example())
        .arg(&wrong)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 2);
    assert_canonical_cells(&reports);
    assert!(!rules_of(&reports[0]).contains(&"CROSS-CARRY-OVER".to_string()));
    let later = &reports[1];
    assert_eq!(later["year"], 2025);
    let carry: Vec<&Json> = later["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "CROSS-CARRY-OVER")
        .collect();
    assert!(!carry.is_empty(), "{later:#}");
    assert!(carry.iter().any(|f| f["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .any(|c| c == "requests.carried_over.total")));

    // The same pair with a matching carry-over row: no CROSS-CARRY-OVER.
    let right = dir.path().join("2025-right.txt");
    fs::write(
        &right,
        next_year("二、上年结转政府信息公开申请数量\t2\t1\t0\t0\t0\t0\t3"),
    )
    .expect("write");
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(example())
        .arg(&right)
        .output()
        .expect("runs");
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 2);
    assert!(!rules_of(&reports[1]).contains(&"CROSS-CARRY-OVER".to_string()));

    // Alone, the wrong report has nothing to compare with.
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(&wrong)
        .output()
        .expect("runs");
    let reports = json_lines(&stdout_of(&output));
    assert!(!rules_of(&reports[0]).contains(&"CROSS-CARRY-OVER".to_string()));
}

#[test]
fn an_unreadable_file_does_not_stop_the_batch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("a.txt");
    let empty = dir.path().join("b.txt");
    let missing = dir.path().join("none.txt");
    fs::copy(example(), &good).expect("copy");
    fs::write(&empty, "").expect("write");
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(&good)
        .arg(&empty)
        .arg(&missing)
        .arg(example())
        .output()
        .expect("runs");
    // The unreadable inputs are errors; the good ones are still checked.
    assert_eq!(output.status.code(), Some(1));
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 4);
    for i in [1, 2] {
        let r = &reports[i];
        assert_eq!(r["agency"], Json::Null);
        assert_eq!(r["year"], Json::Null);
        assert_eq!(r["format"], Json::Null);
        let f = &r["findings"][0];
        assert_eq!(f["rule"], "READ-UNREADABLE");
        assert_eq!(f["severity"], "error");
    }
    assert_eq!(reports[1]["findings"][0]["message"], "文件为空");
    assert_eq!(reports[2]["findings"][0]["message"], "文件不存在");
    for i in [0, 3] {
        assert_eq!(reports[i]["agency"], "某某县市场监督管理局");
    }

    // Text: the summary counts them.
    let output = xxgk()
        .arg("check")
        .arg(&good)
        .arg(&empty)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout_of(&output);
    assert!(out.contains("b.txt — 无法读取"), "{out}");
    assert!(out.contains("[READ-UNREADABLE] 文件为空"), "{out}");
    assert!(out.contains("报告数：2"), "{out}");
    assert!(out.contains("无法读取数：1"), "{out}");
    assert!(
        out.contains("有错误的报告数：1（含无法读取的 1 份）"),
        "{out}"
    );

    // Nothing readable at all: exit code 2.
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(&empty)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json_lines(&stdout_of(&output)).len(), 1);
}

#[test]
fn directories_and_stdin_are_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    fs::copy(example(), dir.path().join("sub").join("x.txt")).expect("copy");
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .arg("-")
        .write_stdin(example_text())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let reports = json_lines(&stdout_of(&output));
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1]["source"], "-");
}

#[test]
fn usage_errors_exit_2() {
    let output = xxgk().arg("check").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let output = xxgk()
        .args(["check", "--min-severity", "fatal"])
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_help_is_chinese_with_examples() {
    let output = xxgk().args(["check", "--help"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let out = stdout_of(&output);
    assert!(out.contains("示例"), "{out}");
    assert!(out.contains("退出码"), "{out}");
    let output = xxgk().args(["rules", "--help"]).output().expect("runs");
    assert!(stdout_of(&output).contains("示例"));
}

#[test]
fn rules_list_the_catalogue() {
    let output = xxgk()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let rules: Json = serde_json::from_str(&stdout_of(&output)).expect("JSON");
    let rules = rules.as_array().expect("an array");
    assert_eq!(
        rules.len(),
        xxgk_check::RULES.len() + xxgk_read::rules::RULES.len()
    );
    let missing = rules
        .iter()
        .find(|r| r["id"] == "READ-TABLE-MISSING")
        .expect("reader rules are listed");
    assert_eq!(missing["stage"], "read");
    assert_eq!(missing["group"], "读取");
    let balance = rules
        .iter()
        .find(|r| r["id"] == "T3-BALANCE")
        .expect("T3-BALANCE is listed");
    assert_eq!(balance["severity"], "错误");
    for key in ["title", "explanation", "reference"] {
        assert!(
            balance[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}"
        );
    }

    let output = xxgk().arg("rules").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let out = stdout_of(&output);
    assert!(out.contains("T3-BALANCE  错误  "), "{out}");
    assert!(out.contains("CROSS-CARRY-OVER"), "{out}");
    assert!(out.contains("依据："), "{out}");
    assert!(out.contains("READ-ROW-BY-ORDER  提示  "), "{out}");
}
