//! The `xxgk` binary as a user runs it: output formats, several inputs, standard input, errors,
//! exit codes and help. The example report `examples/example-2024.txt` is the main input.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value as Json;
use xxgk_model::Severity;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/example-2024.txt")
}

fn xxgk() -> assert_cmd::Command {
    cargo_bin_cmd!("xxgk")
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("standard output is UTF-8")
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("standard error is UTF-8")
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// A file of pseudo-random bytes (fixed seed, so the test is the same on every run).
fn random_bytes_file(dir: &Path) -> PathBuf {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let path = dir.join("random.bin");
    fs::write(&path, bytes).expect("write random file");
    path
}

#[test]
fn extract_prints_the_json_of_one_report() {
    let out = xxgk().arg("extract").arg(example()).output().expect("runs");
    assert!(out.status.success(), "stderr: {}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(
        text.trim_end().lines().count() > 1,
        "one input gives pretty-printed JSON"
    );
    let json: Json = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["format"], "2021");
    assert_eq!(json["agency"], "某某县市场监督管理局");
    assert_eq!(json["year"], 2024);
    assert_eq!(json["published"], "2025-01-20");
    assert!(json["tables"]["requests"].is_object());
}

/// The example satisfies every identity of rules.md §4.1–4.2, so `xxgk` users see a clean report.
#[test]
fn the_example_is_arithmetically_consistent() {
    let out = xxgk().arg("extract").arg(example()).output().expect("runs");
    assert!(out.status.success(), "stderr: {}", stderr_of(&out));
    let json: Json = serde_json::from_str(&stdout_of(&out)).expect("valid JSON");
    let t = &json["tables"];
    let n = |v: &Json| v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"));
    assert_eq!(json["provenance"].as_object().map(|o| o.len()), Some(200));

    let requests = t["requests"].as_object().expect("table 三");
    assert_eq!(requests.len(), 25, "25 rows in table 三");
    let columns: Vec<&String> = requests["total"]
        .as_object()
        .expect("（七）总计")
        .keys()
        .collect();
    for (row, cells) in requests {
        let sum: i64 = cells
            .as_object()
            .expect("row")
            .iter()
            .filter(|(c, _)| *c != "total")
            .map(|(_, v)| n(v))
            .sum();
        assert_eq!(sum, n(&cells["total"]), "row total of {row}");
    }
    let outcome_rows: Vec<&String> = requests
        .keys()
        .filter(|k| {
            !["new_received", "carried_over", "total", "carried_forward"].contains(&k.as_str())
        })
        .collect();
    assert_eq!(outcome_rows.len(), 21);
    for c in columns {
        let v = |row: &str| n(&requests[row][c]);
        assert_eq!(
            v("new_received") + v("carried_over"),
            v("total") + v("carried_forward"),
            "一 + 二 = （七） + 四 in column {c}"
        );
        let outcomes: i64 = outcome_rows.iter().map(|r| v(r)).sum();
        assert_eq!(
            outcomes,
            v("total"),
            "（七） = sum of outcomes in column {c}"
        );
    }
    for (group, cells) in t["appeals"].as_object().expect("table 四") {
        let parts: i64 = ["upheld", "corrected", "other", "pending"]
            .iter()
            .map(|c| n(&cells[*c]))
            .sum();
        assert_eq!(parts, n(&cells["total"]), "table 四 total of {group}");
    }
}

#[test]
fn two_files_give_two_json_lines_with_their_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("copy.txt");
    fs::copy(example(), &copy).expect("copy");
    let out = xxgk()
        .arg("extract")
        .arg(example())
        .arg(&copy)
        .output()
        .expect("runs");
    assert!(out.status.success(), "stderr: {}", stderr_of(&out));
    let text = stdout_of(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let sources: Vec<String> = lines
        .iter()
        .map(|l| {
            let j: Json = serde_json::from_str(l).expect("each line is JSON");
            assert_eq!(j["agency"], "某某县市场监督管理局");
            j["source"].as_str().expect("source").to_string()
        })
        .collect();
    assert_eq!(
        sources,
        [example().display().to_string(), copy.display().to_string()]
    );
}

#[test]
fn json_format_with_several_inputs_is_an_array() {
    let out = xxgk()
        .args(["extract", "--format", "json"])
        .arg(example())
        .arg(example())
        .output()
        .expect("runs");
    assert!(out.status.success(), "stderr: {}", stderr_of(&out));
    let json: Json = serde_json::from_str(&stdout_of(&out)).expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
}

#[test]
fn csv_has_a_header_and_one_row_per_cell() {
    let out = xxgk()
        .args(["extract", "--format", "csv"])
        .arg(example())
        .output()
        .expect("runs");
    assert!(out.status.success(), "stderr: {}", stderr_of(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        ["source", "key", "table", "row", "column", "value", "line"]
    );
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    assert_eq!(rows.len(), 200, "one row per cell of a 2021 report");
    let row = rows
        .iter()
        .find(|r| &r[1] == "requests.denied_state_secret.commercial_enterprise")
        .expect("the cell is listed");
    assert_eq!(&row[2], "表三");
    assert_eq!(&row[3], "（三）不予公开 1.属于国家秘密");
    assert_eq!(&row[4], "法人或其他组织·商业企业");
    assert_eq!(&row[5], "0");
    assert!(
        row[6].parse::<u32>().is_ok_and(|l| l > 0),
        "line: {}",
        &row[6]
    );
}

/// The example without its "2.重复申请" row: the reader says so (a row it cannot read is absent
/// and produces a finding), on standard error unless --quiet, and in the JSON.
#[test]
fn findings_go_to_standard_error_unless_quiet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("缺一行.txt");
    let text = fs::read_to_string(example()).expect("example");
    let kept: Vec<&str> = text
        .split('\n')
        .filter(|l| !l.contains("重复申请\t"))
        .collect();
    assert_eq!(kept.len() + 1, text.split('\n').count(), "one row removed");
    fs::write(&path, kept.join("\n")).expect("write");

    let out = xxgk().arg("extract").arg(&path).output().expect("runs");
    assert!(out.status.success(), "findings do not fail the run");
    let json: Json = serde_json::from_str(&stdout_of(&out)).expect("valid JSON");
    let findings = json["findings"].as_array().expect("findings");
    assert!(!findings.is_empty(), "a missing row gives a finding");
    let err = stderr_of(&out);
    let name = path.display().to_string();
    assert_eq!(err.lines().count(), findings.len(), "stderr: {err}");
    for line in err.lines() {
        let rest = line
            .strip_prefix(name.as_str())
            .unwrap_or_else(|| panic!("not about {name}: {line}"));
        assert!(
            [Severity::Info, Severity::Warning, Severity::Error]
                .iter()
                .any(|s| rest.contains(&format!(": {}: ", s.label()))),
            "{line}"
        );
    }

    let out = xxgk()
        .args(["extract", "--quiet"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "stderr: {}", stderr_of(&out));
}

#[test]
fn a_missing_file_fails_with_exit_2_and_the_others_are_still_printed() {
    let missing = Path::new("没有这个文件-2024.txt");
    let out = xxgk()
        .arg("extract")
        .arg(missing)
        .arg(example())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("xxgk: 没有这个文件-2024.txt: 文件不存在"),
        "stderr: {err}"
    );
    let text = stdout_of(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "the good file's line: {text}");
    let j: Json = serde_json::from_str(lines[0]).expect("JSON line");
    assert_eq!(j["source"], example().display().to_string());
}

#[test]
fn a_missing_file_alone_fails_with_a_chinese_message() {
    let out = xxgk()
        .args(["extract", "没有这个文件.txt"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(stderr_of(&out), "xxgk: 没有这个文件.txt: 文件不存在\n");
}

#[test]
fn standard_input_is_read_for_dash() {
    let bytes = fs::read(example()).expect("example");
    let out = xxgk()
        .args(["extract", "-"])
        .write_stdin(bytes)
        .output()
        .expect("runs");
    assert!(out.status.success(), "stderr: {}", stderr_of(&out));
    let json: Json = serde_json::from_str(&stdout_of(&out)).expect("valid JSON");
    assert_eq!(json["source"], "-");
    assert_eq!(json["agency"], "某某县市场监督管理局");
}

#[test]
fn random_bytes_fail_with_exit_2_and_a_chinese_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = random_bytes_file(dir.path());
    let out = xxgk().arg("extract").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = stderr_of(&out);
    let prefix = format!("xxgk: {}: ", path.display());
    assert!(err.starts_with(&prefix), "stderr: {err}");
    assert!(has_chinese(&err[prefix.len()..]), "stderr: {err}");
    assert!(!err.contains("panicked"), "stderr: {err}");
}

#[test]
fn directories_are_read_recursively_in_name_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("b");
    fs::create_dir(&sub).expect("mkdir");
    fs::copy(example(), sub.join("2.txt")).expect("copy");
    fs::copy(example(), dir.path().join("a.txt")).expect("copy");
    fs::copy(example(), dir.path().join("c.txt")).expect("copy");
    let out = xxgk()
        .arg("extract")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "stderr: {}", stderr_of(&out));
    let sources: Vec<String> = stdout_of(&out)
        .lines()
        .map(|l| {
            let j: Json = serde_json::from_str(l).expect("JSON line");
            j["source"].as_str().expect("source").to_string()
        })
        .collect();
    let expected: Vec<String> = [
        dir.path().join("a.txt"),
        sub.join("2.txt"),
        dir.path().join("c.txt"),
    ]
    .iter()
    .map(|p| p.display().to_string())
    .collect();
    assert_eq!(sources, expected);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("xxgk"));
    cmd.arg("extract").arg("--quiet");
    for _ in 0..300 {
        cmd.arg(example());
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    let _ = stdout.read(&mut first);
    drop(stdout);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr is UTF-8");
    let status = child.wait().expect("exits");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "stderr: {err}"
    );
    assert!(status.success(), "{status}; stderr: {err}");
}

#[test]
fn help_explains_in_chinese_with_examples() {
    let out = xxgk().arg("--help").output().expect("runs");
    assert!(out.status.success());
    let help = stdout_of(&out);
    assert!(help.contains("示例"), "{help}");
    assert!(help.contains("examples/example-2024.txt"), "{help}");
    assert!(help.contains("用法"), "{help}");

    let out = xxgk().args(["extract", "--help"]).output().expect("runs");
    assert!(out.status.success());
    let help = stdout_of(&out);
    for needle in [
        "示例",
        "example",
        "--format",
        "jsonl",
        "csv",
        "退出码",
        "标准输入",
    ] {
        assert!(
            help.contains(needle),
            "extract --help lacks {needle}: {help}"
        );
    }
}

#[test]
fn version_is_printed() {
    let out = xxgk().arg("--version").output().expect("runs");
    assert!(out.status.success());
    assert!(stdout_of(&out).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_usage_error_is_explained_in_chinese_with_exit_2() {
    let out = xxgk().arg("extract").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(has_chinese(&stderr_of(&out)), "{}", stderr_of(&out));
}
