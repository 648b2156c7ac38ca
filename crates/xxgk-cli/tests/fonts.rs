//! The PDF's fonts, through the binary: `XXGK_FONT_DIR` pointing nowhere is an error with a
//! clear message (not silently ignored), and the fallback fonts used for official fonts that
//! are not installed are named on standard error, once.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const NOTO: &str = "/usr/share/fonts/opentype/noto";

fn xxgk() -> Command {
    let mut c = Command::cargo_bin("xxgk").expect("binary");
    c.env_remove("CI_COLOR").env("NO_COLOR", "1");
    c
}

/// A report input file (`xxgk new`) in `dir`.
fn input(dir: &Path) -> PathBuf {
    let path = dir.join("2024.toml");
    xxgk()
        .args(["new", "--agency", "某某市某某局", "--year", "2024", "-o"])
        .arg(&path)
        .assert()
        .success();
    path
}

/// `xxgk render INPUT --to pdf --force` with `XXGK_FONT_DIR=font_dir` and a `HOME` without
/// fonts: (exit code, standard error lines, whether the PDF was written).
fn render(dir: &Path, font_dir: &Path) -> (i32, Vec<String>, bool) {
    render_with(dir, font_dir, &[])
}

/// [`render`] with more arguments (`--quiet`).
fn render_with(dir: &Path, font_dir: &Path, more: &[&str]) -> (i32, Vec<String>, bool) {
    let input = input(dir);
    let out = dir.join("out.pdf");
    let o = xxgk()
        .arg("render")
        .arg(&input)
        .args(more)
        .args(["--to", "pdf", "--force", "-o"])
        .arg(&out)
        .env("XXGK_FONT_DIR", font_dir)
        .env("HOME", dir)
        .output()
        .expect("runs");
    let stderr = String::from_utf8(o.stderr).expect("UTF-8");
    (
        o.status.code().unwrap_or(-1),
        stderr.lines().map(String::from).collect(),
        out.exists(),
    )
}

#[test]
fn a_font_dir_that_is_not_a_directory_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let nowhere = tmp.path().join("没有这个目录");
    let (code, stderr, written) = render(tmp.path(), &nowhere);
    assert_eq!(code, 1);
    assert!(!written);
    let want = format!(
        "xxgk: 环境变量 XXGK_FONT_DIR 所指的“{}”不是目录：请改为存放字体文件的目录，或取消这个环境变量",
        nowhere.display()
    );
    assert_eq!(stderr.last(), Some(&want), "{stderr:?}");
}

#[test]
fn a_font_dir_without_a_chinese_font_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let fonts = tmp.path().join("fonts");
    std::fs::create_dir(&fonts).expect("dir");
    std::fs::write(fonts.join("readme.txt"), "字体").expect("write");
    std::fs::write(fonts.join("broken.ttf"), "not a font").expect("write");
    let (code, stderr, written) = render(tmp.path(), &fonts);
    assert_eq!(code, 1);
    assert!(!written);
    let want = format!(
        "xxgk: 环境变量 XXGK_FONT_DIR 所指的目录“{}”中没有可用的中文字体（.ttf、.otf、.ttc 或 .otc 文件）：请把字体文件放入该目录，或取消这个环境变量",
        fonts.display()
    );
    assert_eq!(stderr.last(), Some(&want), "{stderr:?}");
}

/// Noto Serif CJK of fonts-noto-cjk (`.ci/run` installs it); without it the tests below say so
/// and pass, except under `CI=true`.
fn noto() -> Option<(PathBuf, PathBuf)> {
    let regular = Path::new(NOTO).join("NotoSerifCJK-Regular.ttc");
    let bold = Path::new(NOTO).join("NotoSerifCJK-Bold.ttc");
    if regular.exists() && bold.exists() {
        return Some((regular, bold));
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "fonts-noto-cjk is not installed"
    );
    eprintln!(
        "SKIPPED: fonts-noto-cjk is not installed ({NOTO}); the fallback notice is not tested"
    );
    None
}

#[cfg(unix)]
#[test]
fn the_fallback_fonts_are_named_once() {
    let Some((regular, _)) = noto() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let fonts = tmp.path().join("fonts");
    std::fs::create_dir(&fonts).expect("dir");
    // 仿宋, 黑体, 楷体 and 宋体 "installed" (files named as the official fonts); 小标宋 not: the
    // title takes its fallback, Noto Serif CJK SC Bold of /usr/share/fonts.
    for name in ["simfang.ttc", "simhei.ttc", "simkai.ttc", "simsun.ttc"] {
        std::os::unix::fs::symlink(&regular, fonts.join(name)).expect("link");
    }
    let (code, stderr, written) = render(tmp.path(), &fonts);
    assert_eq!(code, 0, "{stderr:?}");
    assert!(written);
    let want =
        "xxgk: PDF 未找到公文字体，已改用替代字体：标题（小标宋）用 Noto Serif CJK SC Bold。\
                安装公文字体（或用环境变量 XXGK_FONT_DIR 指定其所在目录）后重新生成即可。";
    assert_eq!(
        stderr.iter().filter(|l| l.as_str() == want).count(),
        1,
        "{stderr:?}"
    );
    assert_eq!(stderr.iter().filter(|l| l.contains("替代字体")).count(), 1);

    // --quiet (-q) silences the notice; the refusal's findings still print.
    for quiet in ["--quiet", "-q"] {
        let tmp = tempfile::tempdir().expect("tmp");
        let (code, stderr, written) = render_with(tmp.path(), &fonts, &[quiet]);
        assert_eq!(code, 0, "{stderr:?}");
        assert!(written);
        assert!(!stderr.iter().any(|l| l.contains("替代字体")), "{stderr:?}");
        assert!(
            stderr.iter().any(|l| l.contains("未通过校验")),
            "{stderr:?}"
        );
    }

    // Every official font found: no notice.
    std::os::unix::fs::symlink(&regular, fonts.join("方正小标宋简体.ttc")).expect("link");
    let tmp2 = tempfile::tempdir().expect("tmp");
    let (code, stderr, written) = render(tmp2.path(), &fonts);
    assert_eq!(code, 0, "{stderr:?}");
    assert!(written);
    assert!(!stderr.iter().any(|l| l.contains("替代字体")), "{stderr:?}");
}
