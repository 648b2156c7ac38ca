//! `xxgk new`: the input file of a new report (`xxgk_write::input::new_input`), with last year's
//! report read by `xxgk_read::read` when `--previous` names one.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use xxgk_write::input::new_input;

use crate::cli::NewArgs;
use crate::inputs::{read_bytes, Input};

pub fn run(args: &NewArgs) -> Result<ExitCode> {
    let previous = match &args.previous {
        Some(path) => match read_report(path) {
            Ok(r) => Some(r),
            Err(message) => {
                eprintln!("xxgk: 上年报告 {}：{message}", path.display());
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let text = match new_input(&args.agency, args.year, previous.as_ref()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("xxgk: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let code = write_output(args.output.as_deref(), args.force, &text)?;
    if code == ExitCode::SUCCESS {
        if let Some(out) = &args.output {
            eprintln!(
                "已生成 {}：{}，{} 年度。用文本编辑器填写后运行  xxgk render {} --to docx,html,pdf",
                out.display(),
                args.agency,
                args.year,
                out.display()
            );
        }
    }
    Ok(code)
}

/// Read one report from a file, any kind the readers accept; a Chinese message when it fails.
pub fn read_report(path: &Path) -> Result<xxgk_model::Report, String> {
    let input = Input::File(path.to_path_buf());
    let bytes = read_bytes(&input)?;
    xxgk_read::read(&bytes, Some(&input.name())).map_err(|e| e.to_string())
}

/// Write `text` to `output` (refusing to overwrite without `force`) or to standard output.
pub fn write_output(output: Option<&Path>, force: bool, text: &str) -> Result<ExitCode> {
    match output {
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(path) => {
            if path.exists() && !force {
                eprintln!(
                    "xxgk: {} 已存在，没有覆盖（要覆盖请加 --force）",
                    path.display()
                );
                return Ok(ExitCode::from(2));
            }
            if let Err(e) = std::fs::write(path, text) {
                eprintln!(
                    "xxgk: 无法写入 {}：{}",
                    path.display(),
                    crate::inputs::write_message(&e, path)
                );
                return Ok(ExitCode::from(2));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
