//! The shipped calendar (written by hand from the notices) against two independent packages'
//! tables (tests/fixtures, see its README): every date of 2019-01-01..2026-12-31, working day or
//! not.

use std::collections::BTreeMap;

use xxgk_register::{Calendar, Day};

fn day(s: &str) -> Day {
    s.parse().expect("a valid date")
}

/// date → is working day, from a fixture (holiday → no, workday → yes, else Monday–Friday).
fn fixture(text: &str) -> BTreeMap<Day, bool> {
    let mut marks = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "{line}");
        let working = match f[1] {
            "holiday" => false,
            "workday" => true,
            other => panic!("unknown kind {other}"),
        };
        assert!(marks.insert(day(f[0]), working).is_none(), "{line}");
    }
    let mut out = BTreeMap::new();
    let mut d = day("2019-01-01");
    while d <= day("2026-12-31") {
        out.insert(d, marks.get(&d).copied().unwrap_or(!d.is_weekend()));
        d = d.next();
    }
    out
}

fn compare(name: &str, expected: &BTreeMap<Day, bool>) {
    let cal = Calendar::shipped().expect("the shipped calendar loads");
    let mut differences = Vec::new();
    for (d, want) in expected {
        let got = cal.is_working_day(*d).expect("2019–2026 are shipped");
        if got != *want {
            differences.push(format!("{d}: shipped {got}, {name} {want}"));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    // 8 years of days were compared.
    assert_eq!(expected.len(), 2922);
}

#[test]
fn shipped_calendar_agrees_with_chinese_calendar_1_11_0() {
    compare(
        "chinese-calendar",
        &fixture(include_str!("fixtures/chinese-calendar-1.11.0.tsv")),
    );
}

#[test]
fn shipped_calendar_agrees_with_chinese_days_1_5_7() {
    compare(
        "chinese-days",
        &fixture(include_str!("fixtures/chinese-days-1.5.7.tsv")),
    );
}

#[test]
fn every_shipped_year_names_its_notice_and_is_complete() {
    let cal = Calendar::shipped().expect("the shipped calendar loads");
    let years: Vec<i32> = cal.years().map(|y| y.year).collect();
    assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
    for y in cal.years() {
        assert!(y.notice.number.is_some(), "{}", y.year);
        assert!(y.notice.published.is_some(), "{}", y.year);
        // Every year has the seven holidays (国庆节 and 中秋节 merged in some years).
        let names: String = y.holidays.iter().map(|h| h.name.as_str()).collect();
        for h in [
            "元旦",
            "春节",
            "清明节",
            "劳动节",
            "端午节",
            "中秋节",
            "国庆节",
        ] {
            assert!(names.contains(h), "{} lacks {h}", y.year);
        }
    }
    assert!(!cal.has_year(2018) && !cal.has_year(2027));
}
