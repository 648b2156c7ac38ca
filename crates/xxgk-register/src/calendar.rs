//! The working-day calendar: the State Council's yearly 节假日安排 notices (国务院办公厅), shipped as
//! data (`data/calendar/YYYY.toml`, embedded), overridable year by year.
//!
//! Invariants:
//! - a date is a working day when it is Monday–Friday and not a day off of a notice, or when it
//!   is a make-up workday (调休上班) of a notice;
//! - a date of a year with no data is never decided from weekends: every query answers
//!   [`CalendarMissing`] (status 日历缺失);
//! - every year keeps its source (shipped with the program, or the override file that replaced it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use toml_edit::{Document, Item, Table};

use crate::day::Day;

/// The shipped years, embedded in the binary.
const SHIPPED: &[(&str, &str)] = &[
    ("2019.toml", include_str!("../data/calendar/2019.toml")),
    ("2020.toml", include_str!("../data/calendar/2020.toml")),
    ("2021.toml", include_str!("../data/calendar/2021.toml")),
    ("2022.toml", include_str!("../data/calendar/2022.toml")),
    ("2023.toml", include_str!("../data/calendar/2023.toml")),
    ("2024.toml", include_str!("../data/calendar/2024.toml")),
    ("2025.toml", include_str!("../data/calendar/2025.toml")),
    ("2026.toml", include_str!("../data/calendar/2026.toml")),
];

/// Where a year's data came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CalendarSource {
    /// Shipped with the program (`data/calendar/YYYY.toml` of the repository).
    Shipped { file: String },
    /// An override file of the data directory, which added or replaced the year.
    Override { file: String },
}

impl fmt::Display for CalendarSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarSource::Shipped { file } => write!(f, "程序内置（data/calendar/{file}）"),
            CalendarSource::Override { file } => write!(f, "数据目录覆盖文件（{file}）"),
        }
    }
}

/// A notice of the State Council's General Office (or a change to one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// 文号, e.g. 国办发明电〔2024〕12号; `None` where the data leaves it empty (not known for sure).
    pub number: Option<String>,
    pub title: String,
    /// The date it was published on www.gov.cn, where the data gives it.
    pub published: Option<Day>,
    /// The text of a change notice, as quoted by the data.
    pub text: Option<String>,
}

impl Notice {
    /// `国务院办公厅关于…的通知（国办发明电〔2024〕12号，2024年11月12日发布）`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        parts.push(
            self.number
                .clone()
                .unwrap_or_else(|| "文号未录入".to_string()),
        );
        if let Some(p) = self.published {
            parts.push(format!("{}发布", p.zh()));
        }
        format!("{}（{}）", self.title, parts.join("，"))
    }
}

/// One holiday of a year's arrangement: its days off and its make-up workdays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// 元旦, 春节, 国庆节、中秋节 …
    pub name: String,
    /// The notice's sentence for it, as the data quotes it.
    pub text: Option<String>,
    /// The days off, as the notice names them.
    pub off: Vec<Day>,
    /// The weekend days worked (调休上班).
    pub work: Vec<Day>,
}

/// One year's arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    pub notice: Notice,
    /// Later notices that changed the arrangement (2019 Labour Day, the 2020 Spring Festival).
    pub changes: Vec<Notice>,
    pub holidays: Vec<Holiday>,
    pub source: CalendarSource,
}

/// The calendar data of a year could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("日历数据文件 {file} 有误：{message}")]
pub struct CalendarDataError {
    pub file: String,
    pub message: String,
}

/// A date whose year has no calendar data: the clock refuses rather than guess from weekends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("日历缺失：未载入 {year} 年的节假日安排（国务院办公厅关于{year}年部分节假日安排的通知），无法按工作日计算期限；请在数据目录的 calendar/{year}.toml 中补充该年安排")]
pub struct CalendarMissing {
    pub year: i32,
}

/// The working-day calendar in use.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, CalendarYear>,
    off: BTreeMap<Day, String>,
    work: BTreeMap<Day, String>,
}

impl Calendar {
    /// A calendar with no year at all (every query is 日历缺失).
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// The shipped calendar, 2019–2026.
    pub fn shipped() -> Result<Calendar, CalendarDataError> {
        let mut cal = Calendar::empty();
        for (file, text) in SHIPPED {
            let year = parse_year(
                text,
                CalendarSource::Shipped {
                    file: (*file).to_string(),
                },
            )?;
            cal.insert(year)?;
        }
        Ok(cal)
    }

    /// Adds or replaces a year from the TOML text of an override file (read by the caller, e.g.
    /// `DATA/calendar/2027.toml`); `file` names it in messages and as the year's source. Returns
    /// the year. The calendar is unchanged when the text is refused.
    pub fn apply_override(&mut self, text: &str, file: &str) -> Result<i32, CalendarDataError> {
        let year = parse_year(
            text,
            CalendarSource::Override {
                file: file.to_string(),
            },
        )?;
        let y = year.year;
        let mut next = self.clone();
        next.insert(year)?;
        *self = next;
        Ok(y)
    }

    fn insert(&mut self, year: CalendarYear) -> Result<(), CalendarDataError> {
        let file = match &year.source {
            CalendarSource::Shipped { file } | CalendarSource::Override { file } => file.clone(),
        };
        self.years.insert(year.year, year);
        // Rebuild the index from every year (a replaced year's days disappear with it).
        self.off.clear();
        self.work.clear();
        for y in self.years.values() {
            for h in &y.holidays {
                for d in &h.off {
                    self.off.insert(*d, h.name.clone());
                }
                for d in &h.work {
                    self.work.insert(*d, h.name.clone());
                }
            }
        }
        if let Some((d, _)) = self.off.iter().find(|(d, _)| self.work.contains_key(d)) {
            return Err(CalendarDataError {
                file,
                message: format!("{d} 既是放假日又是调休上班日（与另一年的数据冲突）"),
            });
        }
        Ok(())
    }

    /// The years loaded, in order.
    pub fn years(&self) -> impl Iterator<Item = &CalendarYear> {
        self.years.values()
    }

    pub fn year(&self, year: i32) -> Option<&CalendarYear> {
        self.years.get(&year)
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    fn covered(&self, d: Day) -> Result<(), CalendarMissing> {
        if self.has_year(d.year()) {
            Ok(())
        } else {
            Err(CalendarMissing { year: d.year() })
        }
    }

    /// Whether `d` is a working day (工作日).
    pub fn is_working_day(&self, d: Day) -> Result<bool, CalendarMissing> {
        self.covered(d)?;
        Ok(self.work.contains_key(&d) || (!d.is_weekend() && !self.off.contains_key(&d)))
    }

    /// The holiday whose day off `d` is, if any.
    pub fn holiday_of(&self, d: Day) -> Option<&str> {
        self.off.get(&d).map(String::as_str)
    }

    /// The holiday whose make-up workday `d` is, if any.
    pub fn makeup_of(&self, d: Day) -> Option<&str> {
        self.work.get(&d).map(String::as_str)
    }

    /// The `n`-th working day after `start` (day 1 = the first working day after `start`;
    /// `n = 0` is `start` itself).
    pub fn add_working_days(&self, start: Day, n: u32) -> Result<Day, CalendarMissing> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.next();
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The number of working days d with `a < d ≤ b` (0 when `b ≤ a`).
    pub fn working_days_between(&self, a: Day, b: Day) -> Result<u32, CalendarMissing> {
        let mut n = 0;
        let mut d = a.next();
        while d <= b {
            if self.is_working_day(d)? {
                n += 1;
            }
            d = d.next();
        }
        Ok(n)
    }

    /// From November of year Y, the warning that Y+1 has no data yet; `None` otherwise.
    pub fn next_year_warning(&self, today: Day) -> Option<String> {
        let next = today.year() + 1;
        (today.month() >= 11 && !self.has_year(next)).then(|| {
            format!(
                "尚未载入 {next} 年的节假日安排（国务院办公厅关于{next}年部分节假日安排的通知）：期限落入 {next} 年的申请将显示“日历缺失”；通知发布后请在数据目录的 calendar/{next}.toml 中补充"
            )
        })
    }
}

/// Reads one year's TOML.
pub fn parse_year(text: &str, source: CalendarSource) -> Result<CalendarYear, CalendarDataError> {
    let file = match &source {
        CalendarSource::Shipped { file } | CalendarSource::Override { file } => file.clone(),
    };
    let err = |message: String| CalendarDataError {
        file: file.clone(),
        message,
    };
    let doc = Document::parse(text).map_err(|e| err(format!("TOML 语法错误：{}", e.message())))?;
    let root = doc.as_table();
    for (key, _) in root.iter() {
        if !matches!(
            key,
            "year" | "notice" | "title" | "published" | "change" | "holiday"
        ) {
            return Err(err(format!(
                "未知的项“{key}”（可用的项：year、notice、title、published、[[change]]、[[holiday]]）"
            )));
        }
    }
    let year = root
        .get("year")
        .and_then(Item::as_integer)
        .ok_or_else(|| err("缺少年度 year（如 year = 2027）".to_string()))?;
    if !(1990..=2200).contains(&year) {
        return Err(err(format!("年度 {year} 不在合理范围内")));
    }
    let year = year as i32;
    let notice = read_notice(root, &err, "")?;
    let mut changes = Vec::new();
    if let Some(item) = root.get("change") {
        let arr = item
            .as_array_of_tables()
            .ok_or_else(|| err("change 应写作 [[change]] 表".to_string()))?;
        for t in arr.iter() {
            changes.push(read_notice(t, &err, "[[change]] ")?);
        }
    }
    let arr = root
        .get("holiday")
        .and_then(Item::as_array_of_tables)
        .ok_or_else(|| err("缺少节假日安排 [[holiday]]".to_string()))?;
    let mut holidays = Vec::new();
    let mut seen = BTreeSet::new();
    for t in arr.iter() {
        let name =
            str_field(t, "name").ok_or_else(|| err("[[holiday]] 缺少节日名称 name".to_string()))?;
        for (key, _) in t.iter() {
            if !matches!(key, "name" | "text" | "off" | "work") {
                return Err(err(format!(
                    "{name}：未知的项“{key}”（可用的项：name、text、off、work）"
                )));
            }
        }
        let off = dates(t, "off", &err, &name)?;
        let work = dates(t, "work", &err, &name)?;
        if off.is_empty() {
            return Err(err(format!("{name}：缺少放假日期 off")));
        }
        for d in off.iter().chain(&work) {
            // A notice for Y may start a break in the last days of Y-1 (元旦).
            let ok = d.year() == year || (d.year() == year - 1 && d.month() == 12);
            if !ok {
                return Err(err(format!("{name}：日期 {d} 不属于 {year} 年的安排")));
            }
            if !seen.insert(*d) {
                return Err(err(format!("{name}：日期 {d} 重复出现")));
            }
        }
        if let Some(d) = work.iter().find(|d| !d.is_weekend()) {
            return Err(err(format!(
                "{name}：调休上班日 {d} 是{}，调休上班日应为星期六或星期日",
                d.weekday_zh()
            )));
        }
        holidays.push(Holiday {
            name,
            text: str_field(t, "text"),
            off,
            work,
        });
    }
    Ok(CalendarYear {
        year,
        notice,
        changes,
        holidays,
        source,
    })
}

fn str_field(t: &Table, key: &str) -> Option<String> {
    t.get(key)
        .and_then(Item::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn read_notice(
    t: &Table,
    err: &dyn Fn(String) -> CalendarDataError,
    what: &str,
) -> Result<Notice, CalendarDataError> {
    let title = str_field(t, "title").ok_or_else(|| err(format!("{what}缺少通知标题 title")))?;
    let published = match str_field(t, "published") {
        None => None,
        Some(s) => Some(
            s.parse::<Day>()
                .map_err(|e| err(format!("{what}发布日期 published：{e}")))?,
        ),
    };
    Ok(Notice {
        number: str_field(t, "notice"),
        title,
        published,
        text: str_field(t, "text"),
    })
}

/// `off = ["2024-02-10..2024-02-17", "2024-06-10"]`: single dates and inclusive ranges.
fn dates(
    t: &Table,
    key: &str,
    err: &dyn Fn(String) -> CalendarDataError,
    name: &str,
) -> Result<Vec<Day>, CalendarDataError> {
    let Some(item) = t.get(key) else {
        return Ok(Vec::new());
    };
    let arr = item
        .as_array()
        .ok_or_else(|| err(format!("{name}：{key} 应为日期列表，如 [\"2025-01-01\"]")))?;
    let mut out = Vec::new();
    for v in arr.iter() {
        let s = v
            .as_str()
            .ok_or_else(|| err(format!("{name}：{key} 中的值应为带引号的日期")))?;
        let parse = |p: &str| {
            p.trim()
                .parse::<Day>()
                .map_err(|e| err(format!("{name}：{e}")))
        };
        match s.split_once("..") {
            Some((a, b)) => {
                let (a, b) = (parse(a)?, parse(b)?);
                if b < a || a.days_until(b) > 31 {
                    return Err(err(format!("{name}：日期区间“{s}”无效")));
                }
                let mut d = a;
                while d <= b {
                    out.push(d);
                    d = d.next();
                }
            }
            None => out.push(parse(s)?),
        }
    }
    Ok(out)
}
