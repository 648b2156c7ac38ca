//! `xxgk calendar [YEAR] [--data DIR]`: the working-day calendar in use (the State Council's
//! 节假日安排, shipped in `xxgk_register`, plus the override files `DIR/calendar/*.toml`, read by
//! `xxgk_store::load_calendar`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{ArgAction, Args};
use xxgk_register::calendar::CalendarYear;
use xxgk_register::{Calendar, CalendarMissing, Day};

#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct CalendarArgs {
    /// 年度（省略时列出已载入的年度及其来源）
    #[arg(value_name = "年度", help_heading = "参数")]
    pub year: Option<i32>,

    /// 数据目录（默认：环境变量 XXGK_DATA，否则 ./xxgk-data/）；其中 calendar/*.toml 补充或更正某一年的安排
    #[arg(long, value_name = "目录")]
    pub data: Option<PathBuf>,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

pub fn run(args: &CalendarArgs) -> Result<ExitCode> {
    let cal = load(args.data.as_deref())?;
    if let Some(w) = cal.next_year_warning(today()) {
        eprintln!("提示：{w}");
    }
    match args.year {
        Some(y) => {
            let year = cal.year(y).ok_or(CalendarMissing { year: y })?;
            for line in year_lines(year) {
                println!("{line}");
            }
        }
        None => {
            println!("已载入的节假日安排（{} 个年度）：", cal.years().count());
            for y in cal.years() {
                println!(
                    "{} 年：{}；来源：{}",
                    y.year,
                    y.notice.number.as_deref().unwrap_or("文号未录入"),
                    y.source
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The shipped calendar with the overrides of `DIR/calendar/*.toml` applied in file-name order.
/// An explicit `--data` that does not exist is an error; the default directory may be absent.
pub fn load(data: Option<&Path>) -> Result<Calendar> {
    let (dir, explicit) = match data {
        Some(d) => (d.to_path_buf(), true),
        None => (
            std::env::var_os("XXGK_DATA")
                .filter(|v| !v.is_empty())
                .map_or_else(
                    || PathBuf::from(crate::admin::DEFAULT_DATA_DIR),
                    PathBuf::from,
                ),
            false,
        ),
    };
    if explicit && !dir.is_dir() {
        bail!("数据目录 {} 不存在", dir.display());
    }
    if !dir.is_dir() {
        return Calendar::shipped().context("内置日历数据有误");
    }
    Ok(xxgk_store::load_calendar(&dir)?)
}

/// Today in China (UTC+8), from the system clock (the store's, which the server uses too).
pub(crate) fn today() -> Day {
    xxgk_store::today()
}

/// The lines printed for one year.
fn year_lines(y: &CalendarYear) -> Vec<String> {
    let mut out = vec![
        format!("{} 年节假日安排", y.year),
        format!("通知：{}", y.notice.describe()),
    ];
    for c in &y.changes {
        out.push(format!("调整：{}", c.describe()));
    }
    out.push(format!("来源：{}", y.source));
    for h in &y.holidays {
        let mut line = format!("{}：放假 {}", h.name, ranges(&h.off));
        if !h.work.is_empty() {
            let work: Vec<String> = h
                .work
                .iter()
                .map(|d| format!("{d}（{}）", d.weekday_zh()))
                .collect();
            line.push_str(&format!("；调休上班 {}", work.join("、")));
        }
        out.push(line);
    }
    out
}

/// `2024-02-10 至 2024-02-17（8 天）、2024-06-10`.
fn ranges(days: &[Day]) -> String {
    let mut groups: Vec<(Day, Day)> = Vec::new();
    for d in days {
        match groups.last_mut() {
            Some((_, end)) if end.next() == *d => *end = *d,
            _ => groups.push((*d, *d)),
        }
    }
    groups
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} 至 {b}（{} 天）", a.days_until(*b) + 1)
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}
