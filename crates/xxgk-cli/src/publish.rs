//! `xxgk render`: one report (any file `xxgk_read::read` accepts: the TOML input file, the JSON
//! of `xxgk extract`, a published report) → its documents, after every check.
//!
//! * The checks: the reader's findings and `xxgk_check::check`'s, weighed by
//!   `xxgk_check::for_rendering` (a blank or text cell is an error of the input). An error stops
//!   the command (exit 1) with the findings printed as `xxgk check` prints them; `--force` renders
//!   anyway, every output carrying the "未通过校验" banner.
//! * Where the outputs go ([`plan`]): `-o DIR/` (an existing directory, or a path ending in `/`)
//!   → `DIR/<input stem>.<ext>`; with one format, `-o FILE.<its ext>` → that file; otherwise `-o`
//!   is a stem: `-o out/report` → `out/report.docx`, `out/report.md` … (a known extension on it
//!   is dropped). Without `-o`: next to the input, `<input stem>.<ext>`. `-o -` writes the one
//!   text format (md, html, json) to standard output. Existing files are overwritten; the input file
//!   never is.
//!
//! The writers are `xxgk_write`'s; this module only chooses, checks and writes files.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use xxgk_model::{Report, Severity};
use xxgk_write::RenderOptions;

use crate::check::{text_block, Entry, Head, Palette};
use crate::cli::{RenderArgs, RenderFormat};
use crate::inputs::{read_bytes, Input};

impl RenderFormat {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            RenderFormat::Docx => "docx",
            RenderFormat::Html => "html",
            RenderFormat::Md => "md",
            RenderFormat::Pdf => "pdf",
            RenderFormat::Xlsx => "xlsx",
            RenderFormat::Json => "json",
        }
    }

    /// Whether the output is text (may go to standard output).
    fn is_text(self) -> bool {
        matches!(
            self,
            RenderFormat::Md | RenderFormat::Json | RenderFormat::Html
        )
    }
}

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

/// The formats asked for, in order, each once.
fn formats(args: &RenderArgs) -> Vec<RenderFormat> {
    let mut out: Vec<RenderFormat> = Vec::new();
    for f in &args.to {
        if !out.contains(f) {
            out.push(*f);
        }
    }
    out
}

/// The extension of `path` when it is one of the formats'.
fn known_extension(path: &Path) -> Option<RenderFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    RenderFormat::ALL
        .into_iter()
        .find(|f| f.extension() == ext || (ext == "markdown" && *f == RenderFormat::Md))
}

/// Where each format goes, or a Chinese message saying why the arguments do not allow it.
pub fn plan(
    input: &Path,
    output: Option<&Path>,
    formats: &[RenderFormat],
) -> std::result::Result<Vec<(RenderFormat, Target)>, String> {
    if input == Path::new("-") && output.is_none_or(|o| o.is_dir()) {
        return Err("从标准输入读取时，须用 -o 指定输出文件名（或 -o - 写到标准输出）".to_string());
    }
    let input_stem = input
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_os_string());
    let with_ext = |stem: &Path, f: RenderFormat| {
        let mut s = stem.as_os_str().to_os_string();
        s.push(".");
        s.push(f.extension());
        PathBuf::from(s)
    };
    let targets: Vec<(RenderFormat, Target)> = match output {
        Some(o) if o == Path::new("-") => {
            if formats.len() != 1 || !formats[0].is_text() {
                return Err(
                    "-o - 只能用于一种文本格式（md、html 或 json）的输出；其他情况请用 -o 指定文件或目录"
                        .to_string(),
                );
            }
            vec![(formats[0], Target::Stdout)]
        }
        Some(o) if o.is_dir() || o.as_os_str().to_string_lossy().ends_with(['/', '\\']) => {
            let stem = o.join(&input_stem);
            formats
                .iter()
                .map(|f| (*f, Target::File(with_ext(&stem, *f))))
                .collect()
        }
        Some(o) => match (formats, known_extension(o)) {
            ([only], Some(ext)) if *only == ext => vec![(*only, Target::File(o.to_path_buf()))],
            (_, Some(_)) => {
                let stem = o.with_extension("");
                formats
                    .iter()
                    .map(|f| (*f, Target::File(with_ext(&stem, *f))))
                    .collect()
            }
            (_, None) => formats
                .iter()
                .map(|f| (*f, Target::File(with_ext(o, *f))))
                .collect(),
        },
        None => {
            let stem = input.with_file_name(&input_stem);
            formats
                .iter()
                .map(|f| (*f, Target::File(with_ext(&stem, *f))))
                .collect()
        }
    };
    // Never overwrite the input.
    let input_abs = std::fs::canonicalize(input).ok();
    for (_, t) in &targets {
        if let Target::File(p) = t {
            let same =
                p == input || (input_abs.is_some() && std::fs::canonicalize(p).ok() == input_abs);
            if same {
                return Err(format!(
                    "输出文件 {} 就是输入文件，不能覆盖；请用 -o 指定其他文件名或目录",
                    p.display()
                ));
            }
        }
    }
    Ok(targets)
}

pub fn run(args: &RenderArgs) -> Result<ExitCode> {
    let formats = formats(args);
    let targets = match plan(&args.input, args.output.as_deref(), &formats) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("xxgk: {message}");
            return Ok(ExitCode::from(2));
        }
    };

    // Read.
    let input = if args.input == Path::new("-") {
        Input::Stdin
    } else {
        Input::File(args.input.clone())
    };
    let name = input.name();
    let bytes = match read_bytes(&input) {
        Ok(b) => b,
        Err(message) => {
            eprintln!("xxgk: {name}: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    // Check: the checks look at the reader's findings (not to repeat them); they run on the
    // report as read, before a PDF's lines are mapped to its pages (so that their findings on a
    // part's heading or text name page and line, as in `xxgk check`).
    let mut report = match xxgk_ocr::read_checked(
        &bytes,
        Some(&name),
        &mut xxgk_check::check,
        crate::extract::ocr_engine(),
    ) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("xxgk: {name}: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    drop(bytes);

    let findings = xxgk_check::for_rendering(std::mem::take(&mut report.findings));
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if (!findings.is_empty() && !args.quiet) || errors > 0 {
        let entry = Entry {
            index: 0,
            name: name.clone(),
            head: Some(Head {
                agency: report.meta.agency.clone(),
                year: report.meta.year,
                kind: report.kind,
            }),
            findings: findings.clone(),
        };
        let palette = Palette::detect(std::io::stderr().is_terminal());
        eprint!("{}", text_block(&entry, Severity::Info, palette));
    }
    if errors > 0 && !args.force {
        eprintln!(
            "xxgk: 检查发现 {errors} 个错误，没有生成报告。请改正输入后重新运行；\
             确需生成时加 --force（生成的文件将标有“未通过校验”）。"
        );
        return Ok(ExitCode::from(1));
    }
    let opts = RenderOptions {
        unchecked: errors > 0,
    };
    // The JSON carries every finding, the checks' too.
    report.findings = findings;

    for (format, target) in &targets {
        let bytes = render_one(&report, *format, &opts, args.quiet)?;
        match target {
            Target::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(&bytes)?;
                out.flush()?;
            }
            Target::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    if let Err(e) = std::fs::create_dir_all(dir) {
                        eprintln!(
                            "xxgk: 无法创建输出目录 {}：{}",
                            dir.display(),
                            crate::inputs::write_message(&e, dir)
                        );
                        return Ok(ExitCode::from(2));
                    }
                }
                if let Err(e) = std::fs::write(path, &bytes) {
                    eprintln!(
                        "xxgk: 无法写入 {}：{}",
                        path.display(),
                        crate::inputs::write_message(&e, path)
                    );
                    return Ok(ExitCode::from(2));
                }
                if !args.quiet {
                    eprintln!("已生成 {}", path.display());
                }
            }
        }
    }
    if opts.unchecked {
        eprintln!("xxgk: 已按 --force 生成；报告未通过校验，生成的文件都标有“未通过校验”。");
    }
    Ok(ExitCode::SUCCESS)
}

/// The bytes of one output.
/// With `quiet`, the PDF's font-fallback notice is not printed.
fn render_one(
    report: &Report,
    format: RenderFormat,
    opts: &RenderOptions,
    quiet: bool,
) -> Result<Vec<u8>> {
    Ok(match format {
        RenderFormat::Docx => xxgk_write::docx::render_docx_with(report, opts),
        RenderFormat::Md => xxgk_write::text::render_markdown(report, opts).into_bytes(),
        RenderFormat::Xlsx => xxgk_write::xlsx::render_xlsx(report, opts)
            .map_err(|e| anyhow::anyhow!("无法生成 xlsx 工作簿：{e}"))?,
        RenderFormat::Json => crate::render::json_pretty(report)?,
        RenderFormat::Html => xxgk_write::html::render_html_with(report, opts).into_bytes(),
        RenderFormat::Pdf => {
            let bytes = xxgk_write::render_pdf(
                report,
                &xxgk_write::PdfOptions {
                    failed_checks: opts.unchecked,
                },
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            if !quiet {
                font_notice();
            }
            bytes
        }
    })
}

/// Tell the user, once per process, which fallback fonts the PDF uses for official fonts that
/// are not installed.
fn font_notice() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let notice = xxgk_write::font_fallbacks()
            .ok()
            .and_then(|f| xxgk_write::fallback_notice(&f));
        if let Some(n) = notice {
            eprintln!("xxgk: {n}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(t: &[(RenderFormat, Target)]) -> Vec<String> {
        t.iter()
            .map(|(_, t)| match t {
                Target::Stdout => "-".to_string(),
                Target::File(p) => p.display().to_string(),
            })
            .collect()
    }

    #[test]
    fn output_paths() {
        use RenderFormat::*;
        let input = Path::new("in/2025.toml");
        let p = |o: Option<&str>, f: &[RenderFormat]| {
            plan(input, o.map(Path::new), f).map(|t| files(&t))
        };
        assert_eq!(
            p(None, &[Docx, Md]).expect("plan"),
            ["in/2025.docx", "in/2025.md"]
        );
        assert_eq!(
            p(Some("out/report"), &[Docx, Xlsx]).expect("plan"),
            ["out/report.docx", "out/report.xlsx"]
        );
        assert_eq!(
            p(Some("out/r.docx"), &[Docx]).expect("plan"),
            ["out/r.docx"]
        );
        assert_eq!(
            p(Some("out/r.docx"), &[Docx, Json]).expect("plan"),
            ["out/r.docx", "out/r.json"]
        );
        assert_eq!(p(Some("out/r.v2"), &[Md]).expect("plan"), ["out/r.v2.md"]);
        assert_eq!(p(Some("dir/"), &[Md]).expect("plan"), ["dir/2025.md"]);
        assert_eq!(p(Some("-"), &[Json]).expect("plan"), ["-"]);
        assert!(p(Some("-"), &[Docx]).is_err());
        assert!(p(Some("-"), &[Md, Json]).is_err());
        // The input is never overwritten.
        assert!(plan(Path::new("a.json"), None, &[Json]).is_err());
        assert!(plan(Path::new("a.md"), Some(Path::new("a")), &[Md]).is_err());
        // Standard input has no name to derive the outputs' from.
        assert!(plan(Path::new("-"), None, &[Md]).is_err());
        assert_eq!(
            files(&plan(Path::new("-"), Some(Path::new("r")), &[Md]).expect("plan")),
            ["r.md"]
        );
    }
}
