//! `xxgk new`: the input file of a new report (`xxgk_write::input::new_input`), with last year's
//! report read by `xxgk_read::read` when `--previous` names one, and tables 三 / 四 derived from
//! the request register with `--register` (`crate::register::for_new`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use xxgk_write::input::new_input_with;

use crate::cli::NewArgs;
use crate::inputs::{read_bytes, Input};

pub fn run(args: &NewArgs) -> Result<ExitCode> {
    let last = current_year() + 1;
    if !(FIRST_YEAR..=last).contains(&args.year) {
        eprintln!(
            "xxgk: 统计年度 {} 超出范围：只能生成 {FIRST_YEAR} 至 {last} 年度的报告\
             （标准表格自 {FIRST_YEAR} 年度起使用，年度最晚为明年）",
            args.year
        );
        return Ok(ExitCode::from(2));
    }
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
    let register = if args.register {
        match crate::register::for_new(&args.agency, args.year, &args.data) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("xxgk: {e:#}");
                return Ok(ExitCode::from(2));
            }
        }
    } else {
        None
    };
    let (agency, derived) = match &register {
        Some((name, report, source)) => (name.as_str(), Some((report, source.as_str()))),
        None => (args.agency.as_str(), None),
    };
    let text = match new_input_with(agency, args.year, previous.as_ref(), derived) {
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

/// The first year of the standard tables (国办公开办函〔2019〕60号).
const FIRST_YEAR: i32 = 2019;

/// The current year (UTC) from the system clock.
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    year_of_day(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The year of a day counted from 1970-01-01 (the proleptic Gregorian calendar).
fn year_of_day(days: i64) -> i32 {
    // Howard Hinnant's civil_from_days, year only.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    i32::try_from(year).unwrap_or(i32::MAX)
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

#[cfg(test)]
mod tests {
    use super::year_of_day;

    #[test]
    fn years_of_days() {
        assert_eq!(year_of_day(0), 1970);
        // 2024-12-31 and 2025-01-01.
        assert_eq!(year_of_day(20_088), 2024);
        assert_eq!(year_of_day(20_089), 2025);
        // 2000-02-29.
        assert_eq!(year_of_day(11_016), 2000);
    }
}
