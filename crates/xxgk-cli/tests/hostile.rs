//! Hostile inputs in one batch (issue 4's acceptance): a zip bomb named .docx, a 200 MB file, a
//! truncated PDF, random bytes named .docx, deeply nested HTML. Each is refused with a clear
//! Chinese message naming the file, nothing panics, and the good report of the same batch is
//! still checked. Peak memory is measured by `scripts/hostile.sh` (release build), not here.

use std::fs;
use std::path::Path;

fn xxgk() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("xxgk").expect("the xxgk binary")
}

// `deflate_zeros` and `raw_zip`, shared with the DOCX reader's unit tests.
include!("../../xxgk-read/tests/support/zip_bomb.rs");

fn random_bytes(n: usize) -> Vec<u8> {
    let mut x: u32 = 2024;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect()
}

fn huaian_pdf() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../xxgk-read/tests/fixtures/template/filled-2021.pdf");
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_batch_of_hostile_files_gives_one_clear_error_each_and_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    // 1 GiB of zeros behind a lying size header (declares 100 bytes), and an honest one.
    let zeros = deflate_zeros(4_161_790);
    fs::write(
        d.join("bomb-lying.docx"),
        raw_zip("word/document.xml", &zeros, 100),
    )
    .unwrap();
    fs::write(
        d.join("bomb-honest.docx"),
        raw_zip("word/document.xml", &zeros, 1 + 258 * 4_161_790),
    )
    .unwrap();
    // 200 MB, sparse: refused from its size, never read.
    let big = fs::File::create(d.join("big.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    drop(big);
    let pdf = huaian_pdf();
    fs::write(d.join("truncated.pdf"), &pdf[..2000]).unwrap();
    fs::write(d.join("random.docx"), random_bytes(50_000)).unwrap();
    fs::write(d.join("random.pdf"), {
        let mut b = b"%PDF-1.7\n".to_vec();
        b.extend(random_bytes(50_000));
        b
    })
    .unwrap();
    fs::write(d.join("nested.html"), {
        let mut s = String::from("<html><body>");
        s.push_str(&"<div><table><tr><td>".repeat(20_000));
        s
    })
    .unwrap();
    // And one good report, which must still be checked.
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/example-2024.txt");
    fs::copy(&seed, d.join("good.txt")).unwrap();

    let out = xxgk()
        .args(["check", "--format", "json"])
        .arg(d)
        .output()
        .expect("xxgk runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let by_file = |name: &str| {
        lines
            .iter()
            .find(|l| l["source"].as_str().is_some_and(|s| s.ends_with(name)))
            .unwrap_or_else(|| panic!("no line for {name}: {stdout}"))
    };
    let unreadable = |name: &str, words: &[&str]| {
        let l = by_file(name);
        let f = &l["findings"][0];
        assert_eq!(f["rule"], "READ-UNREADABLE", "{name}: {l}");
        let msg = f["message"].as_str().unwrap_or("");
        assert!(
            words.iter().any(|w| msg.contains(w)),
            "{name}: message {msg:?} should say one of {words:?}"
        );
    };
    unreadable("bomb-lying.docx", &["解压后超过", "已损坏"]);
    unreadable("bomb-honest.docx", &["解压后超过"]);
    unreadable("big.txt", &["文件过大"]);
    unreadable("truncated.pdf", &["已损坏"]);
    unreadable("random.docx", &["已损坏"]);
    unreadable("random.pdf", &["已损坏"]);
    // Deep nesting: refused or read as text without the tables; either way no panic, and a
    // line for the file.
    let nested = by_file("nested.html");
    assert!(nested["findings"].as_array().is_some_and(|f| !f.is_empty()));
    // The good report was read and checked.
    let good = by_file("good.txt");
    assert_eq!(good["year"], 2024, "{good}");
    // Some reports have errors (the unreadable ones): exit 1, not 2 (something was read).
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

/// Issue 12 item 5: a batch with a report of one row repeated 40,000 times among good reports:
/// every report is written, and no rule lists more than MAX_PER_RULE findings for it (one more
/// finding counts the rest).
#[test]
fn a_batch_survives_a_report_of_repeated_rows_with_capped_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let seed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/example-2024.txt"),
    )
    .expect("example");
    let row = "一、本年新收政府信息公开申请数量\t46\t9\t0\t1\t3\t2\t61";
    assert!(seed.contains(row));
    fs::write(
        d.join("b-repeated.txt"),
        seed.replace(row, &vec![row; 40_000].join("\n")),
    )
    .unwrap();
    for name in ["a.txt", "c.txt", "d.txt"] {
        fs::write(d.join(name), &seed).unwrap();
    }
    let out = xxgk()
        .args(["check", "--format", "json"])
        .arg(d)
        .output()
        .expect("xxgk runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let reports: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(reports.len(), 4, "{stdout}");
    let repeated = reports
        .iter()
        .find(|r| {
            r["source"]
                .as_str()
                .is_some_and(|s| s.ends_with("b-repeated.txt"))
        })
        .expect("the repeated report");
    let findings = repeated["findings"].as_array().expect("findings");
    let mut per_rule = std::collections::BTreeMap::<String, usize>::new();
    for f in findings {
        *per_rule
            .entry(f["rule"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    assert!(per_rule.values().all(|n| *n <= 101), "{per_rule:?}");
    assert!(
        per_rule
            .get("READ-ROW-DUPLICATE")
            .is_some_and(|n| *n == 101),
        "{per_rule:?}"
    );
}

/// Standard input is capped at 64 MB while it is read: 64 MB + 1 byte is refused as too large
/// (without the cap `xxgk extract - < /dev/zero` grew without end).
#[test]
fn standard_input_beyond_the_limit_is_refused() {
    let big = vec![b'a'; xxgk_read::MAX_FILE_BYTES + 1];
    let out = xxgk()
        .args(["extract", "-"])
        .write_stdin(big)
        .output()
        .expect("xxgk runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("文件过大"), "{stderr}");
}
