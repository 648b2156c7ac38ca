//! `xxgk render`, through the binary.
//!
//! Seeds round trip (issue 5): each seed of `../shared/corpus/seeds` → `xxgk extract` (JSON) →
//! `xxgk render --to docx,html,md,pdf,xlsx,json` → `xxgk extract` of the DOCX, the HTML, the PDF, the Markdown and
//! the JSON
//! gives the seed's truth cells (`truth/*.json`: flat key → value, blanks `null`) and metadata.
//! Seeds 000 and 002 have blank cells: render refuses them (exit 1, the findings printed), and
//! with `--force` renders them with the "未通过校验" banner and the cells come back blank.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value as Json;

fn xxgk() -> Command {
    let mut c = Command::cargo_bin("xxgk").expect("binary");
    c.env_remove("CI_COLOR").env("NO_COLOR", "1");
    c
}

/// `xxgk extract FILE` as JSON.
fn extract(path: &Path) -> Json {
    let out = xxgk().arg("extract").arg(path).output().expect("runs");
    assert!(
        out.status.success(),
        "extract {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The cells of an extracted report, flat.
fn flat_cells(report: &Json) -> serde_json::Map<String, Json> {
    let mut out = serde_json::Map::new();
    for (t, rows) in report["tables"].as_object().expect("tables") {
        for (r, cols) in rows.as_object().expect("rows") {
            for (c, v) in cols.as_object().expect("cells") {
                out.insert(format!("{t}.{r}.{c}"), v.clone());
            }
        }
    }
    out
}

fn assert_truth(got: &Json, truth: &Json, what: &str) {
    let cells = flat_cells(got);
    let expected = truth["cells"].as_object().expect("truth cells");
    assert_eq!(cells.len(), expected.len(), "{what}: number of cells");
    for (k, v) in expected {
        assert_eq!(cells.get(k), Some(v), "{what}: {k}");
    }
    for k in ["agency", "format", "year", "published"] {
        assert_eq!(got[k], truth["meta"][k], "{what}: {k}");
    }
}

fn seeds() -> Option<(PathBuf, Vec<PathBuf>)> {
    let corpus = common::corpus_dir()?;
    let seeds = common::seeds(&corpus);
    assert_eq!(seeds.len(), 5);
    Some((corpus, seeds))
}

const WITH_BLANKS: [&str; 2] = ["000_e9af0cc230bbb8d9", "002_34c254d3798047bd"];

#[test]
fn seeds_round_trip_through_every_output() {
    let Some((corpus, seeds)) = seeds() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for rel in seeds {
        let stem = rel.file_stem().and_then(|s| s.to_str()).expect("name");
        let truth: Json = serde_json::from_slice(
            &std::fs::read(corpus.join("truth").join(format!("{stem}.json"))).expect("truth"),
        )
        .expect("truth JSON");
        let json = dir.path().join(format!("{stem}.json"));
        let out = xxgk()
            .arg("extract")
            .arg(corpus.join(&rel))
            .output()
            .expect("runs");
        std::fs::write(&json, &out.stdout).expect("write");
        let base = dir.path().join("out").join(stem);
        let blanks = WITH_BLANKS.contains(&stem);

        let run = |force: bool| {
            let mut c = xxgk();
            c.arg("render")
                .arg(&json)
                .args(["--to", "docx,html,md,pdf", "--to", "xlsx,json", "-o"])
                .arg(&base);
            if force {
                c.arg("--force");
            }
            c.output().expect("runs")
        };
        let out = run(false);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if blanks {
            assert_eq!(out.status.code(), Some(1), "{stem}: {stderr}");
            assert!(stderr.contains("[VALUE-BLANK]"), "{stem}: {stderr}");
            assert!(stderr.contains("错误"), "{stem}: {stderr}");
            assert!(stderr.contains("--force"), "{stem}: {stderr}");
            for ext in ["docx", "html", "md", "pdf", "xlsx", "json"] {
                assert!(!base.with_extension(ext).exists(), "{stem}.{ext} written");
            }
            let out = run(true);
            assert!(
                out.status.success(),
                "{stem}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        } else {
            assert!(out.status.success(), "{stem}: {stderr}");
        }
        for ext in ["docx", "html", "md", "pdf", "json"] {
            let path = base.with_extension(ext);
            assert_truth(&extract(&path), &truth, &format!("{stem}.{ext}"));
        }
        let md = std::fs::read_to_string(base.with_extension("md")).expect("md");
        assert_eq!(md.starts_with("> 未通过校验"), blanks, "{stem}: banner");
        let html = std::fs::read_to_string(base.with_extension("html")).expect("html");
        assert_eq!(
            html.contains("<div class=\"unchecked\" role=\"alert\">未通过校验"),
            blanks,
            "{stem}: html banner"
        );
        let xlsx = std::fs::read(base.with_extension("xlsx")).expect("xlsx");
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(xlsx)).expect("workbook");
        use calamine::Reader;
        let range = book.worksheet_range("表二 主动公开").expect("sheet");
        let first = range
            .get_value((0, 0))
            .map(|d| d.to_string())
            .unwrap_or_default();
        assert_eq!(
            first.starts_with("未通过校验"),
            blanks,
            "{stem}: xlsx banner"
        );
    }
}

#[test]
fn one_format_to_standard_output_and_the_input_is_never_overwritten() {
    let Some((corpus, seeds)) = seeds() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("r.json");
    let out = xxgk()
        .arg("extract")
        .arg(corpus.join(&seeds[1]))
        .output()
        .expect("runs");
    std::fs::write(&json, &out.stdout).expect("write");
    let out = xxgk()
        .arg("render")
        .arg(&json)
        .args(["--to", "md", "-o", "-", "-q"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).expect("utf-8");
    assert!(md.starts_with("# 昌乐县知识产权保护中心2020年政府信息公开工作年度报告\n"));
    assert!(md.contains("| 其他对外管理服务事项 | 7 | 0 | 11 |"), "{md}");
    // The output would be the input itself.
    let out = xxgk()
        .arg("render")
        .arg(&json)
        .args(["--to", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("就是输入文件"));
    // Without -o: beside the input.
    xxgk()
        .arg("render")
        .arg(&json)
        .args(["--to", "docx"])
        .assert()
        .success();
    assert!(dir.path().join("r.docx").is_file());
    // A directory.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    xxgk()
        .arg("render")
        .arg(&json)
        .args(["--to", "xlsx", "-o"])
        .arg(&sub)
        .assert()
        .success();
    assert!(sub.join("r.xlsx").is_file());
}

#[test]
fn a_template_with_placeholders_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = dir.path().join("2025.toml");
    xxgk()
        .args(["new", "--agency", "某某市某某局", "--year", "2025", "-o"])
        .arg(&toml)
        .assert()
        .success();
    let out = xxgk()
        .arg("render")
        .arg(&toml)
        .args(["--to", "docx"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[READ-INPUT-PLACEHOLDER]"), "{stderr}");
    assert!(!dir.path().join("2025.docx").exists());
}

#[test]
fn usage_errors() {
    // No --to.
    xxgk().args(["render", "a.toml"]).assert().code(2);
    // An unknown format.
    xxgk()
        .args(["render", "a.toml", "--to", "odt"])
        .assert()
        .code(2);
    // A missing input.
    let out = xxgk()
        .args(["render", "no-such-file.toml", "--to", "md", "-o", "-"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    // Two formats cannot both go to standard output.
    xxgk()
        .args(["render", "a.toml", "--to", "md,json", "-o", "-"])
        .assert()
        .code(2);
}

/// The findings `render` lists for a PDF name page and line, as `xxgk check` does: the checks
/// of a part's heading or text run before the lines are mapped to pages.
#[test]
fn findings_of_a_pdf_name_their_page() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let pdf = corpus.join("real/huaian-city-2024.pdf");
    let tmp = tempfile::tempdir().expect("tmp");
    let out = xxgk()
        .arg("render")
        .arg(&pdf)
        .args(["--to", "md", "-o"])
        .arg(tmp.path().join("h.md"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    for want in [
        "[PART1-ACCOUNTABILITY] 第1页第9行: 第一部分“总体情况”没有说明工作考核",
        "[PART6-PROPOSALS] 第6页第11行: 第六部分“其他需要报告的事项”没有说明人大代表建议",
    ] {
        assert!(stderr.contains(want), "{want}\n{stderr}");
    }
}
