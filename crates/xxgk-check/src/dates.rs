//! Years and dates (条例 第四十九条; rules.md §1.7, §4.5 #21; §5 D1, D13): the title year
//! against the statistics period and the opening of part 一, the publication date against the
//! end of the year and the statutory deadline.

use xxgk_model::catalogue::{GOVERNMENT_SUFFIX, TOWNSHIP_SUFFIXES};
use xxgk_model::{Date, Finding, Report, ReportKind, Span};

use crate::emit::{finding, part_name, push_span};
use crate::structure::section;

/// Run the date checks of one report.
pub(crate) fn check(report: &Report, out: &mut Vec<Finding>) {
    let meta = &report.meta;
    let title_year = meta.title.as_ref().and_then(|t| year_in(&t.value));
    let year = title_year.or(meta.year);

    if let Some(y) = year {
        let title_span = meta.title.as_ref().map(|t| t.span);
        if let (Some(ty), Some(my)) = (title_year, meta.year) {
            if ty != my {
                let mut f = finding(
                    "DATE-YEAR-MISMATCH",
                    format!("标题中的年度为 {ty} 年，但报告年度读作 {my} 年"),
                )
                .expected_found(ty, my);
                if let Some(s) = title_span {
                    push_span(&mut f, s);
                }
                out.push(f);
            }
        }
        if let Some(p) = &meta.period {
            let (start, end) = p.value;
            if start.year != y || end.year != y {
                let mut f = finding(
                    "DATE-YEAR-MISMATCH",
                    format!("报告年度为 {y} 年，但统计期限为 {start} 至 {end}"),
                )
                .expected_found(
                    y,
                    if start.year == y {
                        end.year
                    } else {
                        start.year
                    },
                );
                if let Some(s) = title_span {
                    push_span(&mut f, s);
                }
                push_span(&mut f, p.span);
                out.push(f);
            }
        }
        if let Some(s) = section(report, 1) {
            if let Some(opening) = opening_year(&s.text) {
                if opening != y {
                    let mut f = finding(
                        "DATE-YEAR-MISMATCH",
                        format!(
                            "报告年度为 {y} 年，但{}开头写的是“{opening}年”",
                            part_name(1)
                        ),
                    )
                    .expected_found(y, opening);
                    push_span(&mut f, Span::line(s.line));
                    out.push(f);
                }
            }
        }
    }

    match &meta.published {
        None => {
            if matches!(report.kind, ReportKind::Standard(_)) {
                out.push(
                    finding(
                        "DATE-PUBLISHED-MISSING",
                        "报告末尾没有印出发布日期，无法判断是否按期发布",
                    )
                    .expected_found("发布日期", "无"),
                );
            }
        }
        Some(p) => {
            let Some(y) = year else { return };
            let published = p.value;
            if published.year <= y {
                let mut f = finding(
                    "DATE-PUBLISHED-BEFORE-YEAR-END",
                    format!(
                        "发布日期 {published} 在 {y} 年度结束之前，年度报告应在 {} 年发布",
                        y + 1
                    ),
                )
                .expected_found(format!("{} 年或以后", y + 1), published);
                push_span(&mut f, p.span);
                out.push(f);
            } else if let Some((deadline, who)) = deadline(y, meta.agency.as_deref()) {
                if published > deadline {
                    let mut f = finding(
                        "DATE-LATE",
                        format!("发布日期 {published} 晚于{who}的法定期限 {deadline}"),
                    )
                    .expected_found(format!("不晚于 {deadline}"), published);
                    push_span(&mut f, p.span);
                    out.push(f);
                }
            }
        }
    }
}

/// The publication deadline of a report about `year` and who it applies to, or `None` where
/// the 条例 sets none (townships).
fn deadline(year: i32, agency: Option<&str>) -> Option<(Date, &'static str)> {
    if agency.is_some_and(|a| TOWNSHIP_SUFFIXES.iter().any(|s| a.ends_with(s))) {
        return None;
    }
    let next = year + 1;
    let (date, who) = if year < 2019 {
        (Date::new(next, 3, 31), "原《条例》第三十一条规定")
    } else if agency.is_none() {
        (
            Date::new(next, 3, 31),
            "本级政府报告（未识别出报告主体，按最晚期限）",
        )
    } else if agency.is_some_and(|a| a.ends_with(GOVERNMENT_SUFFIX)) {
        (Date::new(next, 3, 31), "《条例》第四十九条对本级政府报告")
    } else {
        (Date::new(next, 1, 31), "《条例》第四十九条对政府部门报告")
    };
    date.map(|d| (d, who))
}

/// A year printed as four digits followed by "年" ("2024年", "2024 年").
pub(crate) fn year_in(s: &str) -> Option<i32> {
    if !s.contains('年') {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len()).find_map(|i| year_at(&chars, i))
}

/// The year starting at `i` ("2024年", "2024 年"), not part of a longer number.
fn year_at(chars: &[char], i: usize) -> Option<i32> {
    if i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_digit) {
        return None;
    }
    let digits = chars.get(i..i + 4)?;
    if !digits.iter().all(char::is_ascii_digit) {
        return None;
    }
    let mut j = i + 4;
    while chars.get(j).is_some_and(|c| *c == ' ' || *c == '\u{3000}') {
        j += 1;
    }
    if chars.get(j) != Some(&'年') {
        return None;
    }
    let y = digits
        .iter()
        .filter_map(|c| c.to_digit(10))
        .fold(0i32, |y, d| y * 10 + d as i32);
    (1990..=2100).contains(&y).then_some(y)
}

/// How many characters of a part's opening [`opening_year`] looks at.
const OPENING_CHARS: usize = 64;

/// The year a part opens with, when it opens with "2024年，" or "2024年度，" (the formula of
/// part 一); a part that opens otherwise gives `None`.
fn opening_year(text: &str) -> Option<i32> {
    // Only the opening is looked at ("2024 年度，" and the spaces a converter puts around it).
    let chars: Vec<char> = text
        .trim_start()
        .chars()
        .filter(|c| *c != ' ')
        .take(OPENING_CHARS)
        .collect();
    let y = year_at(&chars, 0)?;
    let mut j = 5; // four digits and 年
    if chars.get(j) == Some(&'度') {
        j += 1;
    }
    matches!(chars.get(j), Some('，' | ',')).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_titles_and_openings() {
        assert_eq!(
            year_in("昌乐县知识产权事业发展中心 2024 年政府"),
            Some(2024)
        );
        assert_eq!(year_in("2024年上海市科委"), Some(2024));
        assert_eq!(year_in("第12024年"), None);
        assert_eq!(year_in("某局政府信息公开工作年度报告"), None);
        assert_eq!(opening_year("2023 年，我局认真落实"), Some(2023));
        assert_eq!(opening_year("2023年度，我局"), Some(2023));
        assert_eq!(opening_year("2023年以来，我局"), None);
        assert_eq!(opening_year("上海市科委 2024 年深入贯彻"), None);
    }

    #[test]
    fn deadlines() {
        let d = |y, m, day| Date::new(y, m, day);
        assert_eq!(
            deadline(2024, Some("某市教育局")).map(|x| Some(x.0)),
            Some(d(2025, 1, 31))
        );
        assert_eq!(
            deadline(2024, Some("淮安市人民政府")).map(|x| Some(x.0)),
            Some(d(2025, 3, 31))
        );
        assert_eq!(
            deadline(2017, Some("某市教育局")).map(|x| Some(x.0)),
            Some(d(2018, 3, 31))
        );
        assert!(deadline(2024, Some("大演乡人民政府")).is_none());
    }
}
