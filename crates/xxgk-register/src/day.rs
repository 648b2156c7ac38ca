//! A calendar date as a day number, for working-day arithmetic without a date library.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date of the proleptic Gregorian calendar, stored as the number of days since 1970-01-01.
/// Serialised as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i32);

/// The text is not a date `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("日期“{0}”无效（应为 YYYY-MM-DD，如 2025-01-02）")]
pub struct BadDay(pub String);

impl Day {
    /// The date `year-month-day`, or `None` when there is no such date.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm).
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// The day number: days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// The day `days` days after 1970-01-01 (e.g. from the system clock, read by the caller).
    pub fn from_days_since_epoch(days: i32) -> Day {
        Day(days)
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    pub fn month(self) -> u32 {
        self.ymd().1
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.0 + 3).rem_euclid(7) + 1) as u32
    }

    pub fn is_weekend(self) -> bool {
        self.weekday() >= 6
    }

    /// The day `n` calendar days later (earlier for negative `n`).
    pub fn plus(self, n: i32) -> Day {
        Day(self.0 + n)
    }

    pub fn next(self) -> Day {
        self.plus(1)
    }

    /// Calendar days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Day) -> i32 {
        other.0 - self.0
    }

    /// The weekday in Chinese: 星期一 … 星期日.
    pub fn weekday_zh(self) -> &'static str {
        [
            "星期一",
            "星期二",
            "星期三",
            "星期四",
            "星期五",
            "星期六",
            "星期日",
        ][(self.weekday() - 1) as usize]
    }

    /// `2025年1月2日`.
    pub fn zh(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y}年{m}月{d}日")
    }

    /// The same date in the model's type.
    pub fn to_model(self) -> xxgk_model::Date {
        let (y, m, d) = self.ymd();
        xxgk_model::Date {
            year: y,
            month: m as u8,
            day: d as u8,
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Day {
    type Err = BadDay;

    fn from_str(s: &str) -> Result<Day, BadDay> {
        let bad = || BadDay(s.to_string());
        let t = s.trim();
        let mut parts = t.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let num = |p: &str| -> Option<u32> {
            p.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| p.parse().ok())
                .flatten()
        };
        let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else {
            return Err(bad());
        };
        Day::from_ymd(y as i32, m, d).ok_or_else(bad)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().expect("a valid date")
    }

    #[test]
    fn round_trips_and_weekdays() {
        assert_eq!(Day::from_ymd(1970, 1, 1), Some(Day(0)));
        // 2024-02-29 was a Thursday; 2026-02-14 a Saturday; 2019-10-01 a Tuesday.
        assert_eq!(day("2024-02-29").weekday(), 4);
        assert_eq!(day("2026-02-14").weekday(), 6);
        assert_eq!(day("2019-10-01").weekday(), 2);
        assert_eq!(day("2000-03-01").plus(-1).to_string(), "2000-02-29");
        assert_eq!(day("2025-12-31").next().to_string(), "2026-01-01");
        let mut d = day("2018-12-01");
        while d < day("2027-02-01") {
            assert_eq!(d.to_string().parse::<Day>(), Ok(d));
            d = d.next();
        }
    }

    #[test]
    fn rejects_bad_text() {
        for s in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-2",
            "20250102",
            "",
            "2025-01-02-03",
            "２０２５-01-02",
        ] {
            assert!(s.parse::<Day>().is_err(), "{s}");
        }
    }
}
