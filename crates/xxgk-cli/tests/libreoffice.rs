//! Third-party round trip (issue 5's acceptance): the DOCX that `xxgk render` writes is
//! converted by LibreOffice (`soffice --headless --convert-to pdf` and `html`), and both
//! conversions read back to the seed's truth cells. LibreOffice is installed by `.ci/run`; on
//! a machine without it the test says so and passes, except under `CI=true`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn xxgk() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("xxgk").expect("the xxgk binary")
}

fn soffice() -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("LibreOffice (soffice) not found: .ci/run installs it (CI=true)");
        }
        println!("LibreOffice not found: third-party round trip skipped");
    }
    found
}

/// Convert `file` with LibreOffice into `out_dir` as `to` ("pdf", "html"); the converted path.
fn convert(soffice: &Path, profile: &Path, file: &Path, out_dir: &Path, to: &str) -> PathBuf {
    let status = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out_dir)
        .arg(file)
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "soffice {to}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let out = out_dir
        .join(file.file_stem().expect("stem"))
        .with_extension(to);
    assert!(out.is_file(), "{} not written", out.display());
    out
}

/// The flat cells `xxgk extract` reads from `path`.
fn cells(path: &Path) -> serde_json::Map<String, serde_json::Value> {
    let out = xxgk()
        .args(["extract", "--format", "csv"])
        .arg(path)
        .output()
        .expect("extract runs");
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut m = serde_json::Map::new();
    let mut rdr = csv::Reader::from_reader(&out.stdout[..]);
    let headers = rdr.headers().expect("csv header").clone();
    let key_at = headers.iter().position(|h| h == "key").expect("key column");
    let value_at = headers
        .iter()
        .position(|h| h == "value")
        .expect("value column");
    for rec in rdr.records() {
        let rec = rec.expect("csv record");
        let v = rec.get(value_at).unwrap_or("");
        let value = if v.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(v).unwrap_or(serde_json::Value::String(v.to_string()))
        };
        m.insert(rec.get(key_at).unwrap_or("").to_string(), value);
    }
    m
}

#[test]
fn rendered_docx_converted_by_libreoffice_reads_back() {
    let Some(soffice) = soffice() else { return };
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("lo-profile");
    // Seeds without blank cells (a blank cell stops `render` without --force).
    for stem in ["001_d63c2d2dcd347229", "003_3dd38cd922b2f941"] {
        let seed = corpus.join("seeds").join(format!("{stem}.txt"));
        let truth: serde_json::Value = serde_json::from_slice(
            &std::fs::read(corpus.join("truth").join(format!("{stem}.json"))).expect("truth"),
        )
        .expect("truth JSON");
        let truth = truth["cells"].as_object().expect("truth cells").clone();
        let docx = dir.path().join(format!("{stem}.docx"));
        let out = xxgk()
            .arg("render")
            .arg(&seed)
            .args(["--to", "docx", "-o"])
            .arg(&docx)
            .output()
            .expect("render runs");
        assert!(
            out.status.success(),
            "{stem}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for to in ["pdf", "html"] {
            let conv_dir = dir.path().join(to);
            std::fs::create_dir_all(&conv_dir).expect("dir");
            let converted = convert(&soffice, &profile, &docx, &conv_dir, to);
            let read = cells(&converted);
            let diff: Vec<String> = truth
                .keys()
                .chain(read.keys())
                .filter(|k| truth.get(*k) != read.get(*k))
                .map(|k| format!("{k}: truth {:?}, read {:?}", truth.get(k), read.get(k)))
                .collect();
            assert!(
                diff.is_empty(),
                "{stem} via LibreOffice {to}:\n{}",
                diff.join("\n")
            );
        }
    }
}
