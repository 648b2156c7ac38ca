//! `xxgk new` and `xxgk aggregate` as a user runs them. Expected numbers were read by hand from
//! the corpus truth files (`../shared/corpus/truth/`), not from the code's output.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::PathBuf;

use assert_cmd::cargo::cargo_bin_cmd;
use xxgk_model::{CellId, Format, Number, Report, Value};
use xxgk_read::input::read_input;

fn xxgk() -> assert_cmd::Command {
    cargo_bin_cmd!("xxgk")
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn corpus(rel: &str) -> Option<PathBuf> {
    common::corpus_dir().map(|d| d.join(rel))
}

fn value(r: &Report, flat: &str) -> Value {
    r.cells[&CellId::parse(flat).unwrap()].value.clone()
}

fn read(text: &str) -> Report {
    read_input(text, None).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn new_writes_the_template_of_the_year() {
    let out = xxgk()
        .args(["new", "--agency", "某某市某某局", "--year", "2025"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    insta::assert_snapshot!("new_2025", text);
    let r = read(&text);
    assert_eq!(r.format(), Some(Format::F2021));
    assert_eq!(r.cells.len(), 200);
    assert!(r.cells.values().all(|c| c.value == Value::int(0)));

    let out = xxgk()
        .args(["new", "--agency", "某某县人民政府", "--year", "2020"])
        .output()
        .unwrap();
    let r = read(&stdout_of(&out));
    assert_eq!(r.format(), Some(Format::F2019));
    assert_eq!(r.meta.government_level, Some(true));
}

#[test]
fn new_refuses_a_year_without_a_format_and_an_existing_file() {
    let out = xxgk()
        .args(["new", "--agency", "某局", "--year", "2017"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("统计年度 2017 超出范围"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.toml");
    fs::write(&path, "已经编辑过的内容").unwrap();
    let out = xxgk()
        .args(["new", "--agency", "某局", "--year", "2025", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("--force"));
    assert_eq!(fs::read_to_string(&path).unwrap(), "已经编辑过的内容");
    let out = xxgk()
        .args(["new", "--agency", "某局", "--year", "2025", "--force", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        read(&fs::read_to_string(&path).unwrap()).meta.year,
        Some(2025)
    );
}

#[test]
fn new_with_a_seed_as_last_year() {
    // Seed 002: 广州开发区知识产权局, 2023. Truth: requests.carried_forward.* are all 0,
    // active.normative_documents.in_force = 2, active.rules.in_force = 0; its part 五 begins
    // with the problems of the year.
    let Some(seed) = corpus("seeds/002_34c254d3798047bd.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2024.toml");
    let out = xxgk()
        .args([
            "new",
            "--agency",
            "广州开发区知识产权局",
            "--year",
            "2024",
            "--previous",
        ])
        .arg(&seed)
        .arg("-o")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = fs::read_to_string(&path).unwrap();
    let r = read(&text);
    for col in [
        "natural_person",
        "commercial_enterprise",
        "other_organization",
        "total",
    ] {
        assert_eq!(
            value(&r, &format!("requests.carried_over.{col}")),
            Value::int(0),
            "{col}"
        );
    }
    assert!(text.contains("注：本行取自上年（2023 年度）报告“四、结转下年度继续办理”一行的同一列"));
    // Last year's 现行有效件数, noted above this year's cell.
    let lines: Vec<&str> = text.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("[tables.active.normative_documents]"))
        .unwrap();
    let note = lines[i..]
        .iter()
        .take_while(|l| !l.starts_with("in_force"))
        .find(|l| l.contains("现行有效件数"))
        .unwrap();
    assert!(note.contains("为 2（第 "), "{note}");
    // Last year's part 五 as a reminder.
    let seed_report = xxgk_read::read(&fs::read(&seed).unwrap(), None).unwrap();
    let five = seed_report.sections.iter().find(|s| s.part == 5).unwrap();
    let first = five.text.lines().find(|l| !l.trim().is_empty()).unwrap();
    assert!(text.contains(&format!("#   {}", first.trim())), "{first}");
    // The header names last year's report.
    assert!(text.contains("上年报告："));
    assert!(text.contains("广州开发区知识产权局，2023 年度"));
}

#[test]
fn new_with_a_blank_in_last_years_carried_forward() {
    // shanghai-stcsm-2024: 结转下年度 自然人 = 1, 总计 blank (truth: null).
    let Some(prev) = corpus("real/shanghai-stcsm-2024.md") else {
        return;
    };
    let out = xxgk()
        .args([
            "new",
            "--agency",
            "上海市科学技术委员会",
            "--year",
            "2025",
            "--previous",
        ])
        .arg(&prev)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let r = read(&text);
    assert_eq!(
        value(&r, "requests.carried_over.natural_person"),
        Value::int(1)
    );
    assert_eq!(value(&r, "requests.carried_over.total"), Value::Blank);
    assert_eq!(
        value(&r, "requests.carried_over.commercial_enterprise"),
        Value::int(0)
    );
    assert!(text.contains("注：上年报告这一格是空白"));
    // Last year's in_force: 55 行政规范性文件.
    assert!(text.contains("“现行有效件数”为 55"));
}

#[test]
fn new_with_an_unreadable_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = xxgk()
        .args(["new", "--agency", "某局", "--year", "2025", "--previous"])
        .arg(dir.path().join("none.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("上年报告"));
    assert!(stderr_of(&out).contains("文件不存在"));
    assert!(out.stdout.is_empty());
}

#[test]
fn aggregate_sums_cell_by_cell() {
    // 2024 reports: seed 003 (济宁高新区科技创新局), seed 004 (卫东区工业和信息化局), shanghai-stcsm
    // (上海市科学技术委员会), seed 000 (昌乐县知识产权事业发展中心; its 行政复议 cells are blank).
    let (Some(a), Some(b), Some(c), Some(d)) = (
        corpus("seeds/003_3dd38cd922b2f941.txt"),
        corpus("seeds/004_12d51352752dc67b.txt"),
        corpus("real/shanghai-stcsm-2024.md"),
        corpus("seeds/000_e9af0cc230bbb8d9.txt"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sum.toml");
    let out = xxgk()
        .args(["aggregate"])
        .args([&a, &b, &c])
        .args(["--agency", "某某市人民政府", "--year", "2024", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = fs::read_to_string(&path).unwrap();
    let r = read(&text);
    assert_eq!(r.meta.government_level, Some(true));
    assert_eq!(r.meta.agency.as_deref(), Some("某某市人民政府"));
    // By hand from the truth files: 1 + 0 + 55, 0 + 0 + 13, 0 + 0 + 97, 0 + 0 + 32, 0 + 0 + 1.
    assert_eq!(
        value(&r, "active.normative_documents.in_force"),
        Value::int(56)
    );
    assert_eq!(
        value(&r, "active.normative_documents.issued"),
        Value::int(13)
    );
    assert_eq!(value(&r, "active.licensing.decisions"), Value::int(97));
    assert_eq!(
        value(&r, "requests.new_received.natural_person"),
        Value::int(32)
    );
    assert_eq!(value(&r, "appeals.review.upheld"), Value::int(1));
    // shanghai's 结转下年度 总计 is blank: the sum is blank, with a note naming the report.
    assert_eq!(value(&r, "requests.carried_forward.total"), Value::Blank);
    let note = text
        .lines()
        .find(|l| l.starts_with("# 合计留空") && l.contains("shanghai-stcsm-2024.md"))
        .unwrap();
    assert!(note.contains("空白"), "{note}");
    // The header lists the reports used.
    for (file, agency) in [
        (&a, "济宁高新区科技创新局"),
        (&b, "卫东区工业和信息化局"),
        (&c, "上海市科学技术委员会"),
    ] {
        let line = format!("{}：{agency}，2024 年度", file.display());
        assert!(text.contains(&line), "{line}");
    }

    // With seed 000, whose 行政复议 cells are blank: those sums are blank, never 0 + 1.
    let out = xxgk()
        .args(["aggregate"])
        .args([&a, &b, &c, &d])
        .args(["--agency", "某某市人民政府", "--year", "2024"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let r = read(&stdout_of(&out));
    assert_eq!(value(&r, "appeals.review.upheld"), Value::Blank);
    assert_eq!(value(&r, "appeals.review.total"), Value::Blank);
    assert_eq!(value(&r, "appeals.litigation_direct.total"), Value::int(0));
}

#[test]
fn aggregate_refuses_other_years_and_unreadable_inputs() {
    let (Some(y2024), Some(y2023), Some(y2020)) = (
        corpus("seeds/000_e9af0cc230bbb8d9.txt"),
        corpus("seeds/002_34c254d3798047bd.txt"),
        corpus("seeds/001_d63c2d2dcd347229.txt"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sum.toml");
    let out = xxgk()
        .args(["aggregate"])
        .args([&y2024, &y2023, &y2020])
        .args(["--agency", "某某市人民政府", "--year", "2024", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("不能汇总"), "{err}");
    assert!(
        err.contains(&format!(
            "{}：广州开发区知识产权局，2023 年度：不是 2024 年度",
            y2023.display()
        )),
        "{err}"
    );
    assert!(err.contains("001_d63c2d2dcd347229.txt"), "{err}");
    assert!(!err.contains("000_e9af0cc230bbb8d9.txt"), "{err}");
    assert!(!path.exists());

    // The same agency twice would be counted twice.
    let out = xxgk()
        .args(["aggregate"])
        .args([&y2024, &y2024])
        .args(["--agency", "某某市人民政府", "--year", "2024"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("出现了两次"));

    let missing = dir.path().join("none.txt");
    let out = xxgk()
        .args(["aggregate"])
        .arg(&y2024)
        .arg(&missing)
        .args(["--agency", "某某市人民政府", "--year", "2024"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!("{}: 文件不存在", missing.display())),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn aggregate_adds_decimals_exactly() {
    // Two input files (the TOML format is read like any report) with fees 0.1 and 12.34 and a
    // text cell: 12.44 exactly; the text makes the sum blank.
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (agency, fee, rules)) in [("甲局", "0.1", "1"), ("乙局", "12.34", "\"/\"")]
        .into_iter()
        .enumerate()
    {
        let template = xxgk_write::input::new_input(agency, 2024, None).unwrap();
        let text = template
            .replacen("amount = 0 ", &format!("amount = {fee} "), 1)
            .replacen("issued = 0 ", &format!("issued = {rules} "), 1);
        let path = dir.path().join(format!("{i}.toml"));
        fs::write(&path, text).unwrap();
        files.push(path);
    }
    let out = xxgk()
        .args(["aggregate"])
        .args(&files)
        .args(["--agency", "某某县人民政府", "--year", "2024"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let r = read(&text);
    assert_eq!(
        value(&r, "active.fees.amount"),
        Value::Number(Number::Decimal {
            mantissa: 1244,
            scale: 2
        })
    );
    assert!(text.contains("amount = 12.44 "));
    assert_eq!(value(&r, "active.rules.issued"), Value::Blank);
    assert!(text.contains("此格印的是“/”"));
}
