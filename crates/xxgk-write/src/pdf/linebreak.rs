//! Chinese line breaking: character by character, with the 标点 rules of Chinese typesetting
//! (避头尾): a line never starts with a closing mark (。，、；：？！）」』” …) and never ends with an
//! opening one (（「『“ …); a run of ASCII letters and digits ("2024", "0536-6270236") is not
//! broken; a continued line never starts with an item marker ("三、", "（二）"), which a reader
//! would take for a heading. A line that cannot keep the rules (one long unit) is broken where
//! it is full.

use std::ops::Range;

/// Marks that may not start a line.
pub(crate) fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '”'
            | '’'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '．'
            | '…'
            | '·'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '%'
    )
}

/// Marks that may not end a line.
pub(crate) fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '“' | '‘' | '《' | '〈' | '【' | '〔' | '(' | '['
    )
}

/// Characters of an unbreakable ASCII run (letters, digits and what joins them).
fn joins(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/' | '_' | '@' | ':' | '%')
}

const NUMERALS: &str = "一二三四五六七八九十";

/// Whether `chars[at..]` starts with an item marker: "三、", "十二、", "（二）", "(3)".
fn starts_with_marker(chars: &[char], at: usize) -> bool {
    // Inside a run of numerals ("二三、" of "一二三、") is no marker's start.
    if at > 0 && chars.get(at - 1).is_some_and(|c| NUMERALS.contains(*c)) {
        return false;
    }
    let rest = chars.get(at..).unwrap_or_default();
    let numerals = |s: &[char]| s.iter().take_while(|c| NUMERALS.contains(**c)).count();
    match rest.first() {
        Some('（') | Some('(') => {
            let n = numerals(&rest[1..]);
            n > 0 && matches!(rest.get(1 + n), Some('）') | Some(')'))
        }
        Some(_) => {
            let n = numerals(rest);
            n > 0 && rest.get(n) == Some(&'、')
        }
        None => false,
    }
}

/// Whether a break before `end` keeps the punctuation rules and, when `all`, the others too.
fn good_break(chars: &[char], end: usize, all: bool) -> bool {
    let (Some(&before), Some(&after)) = (chars.get(end.wrapping_sub(1)), chars.get(end)) else {
        return true;
    };
    !(no_line_start(after)
        || no_line_end(before)
        || (all && ((joins(before) && joins(after)) || starts_with_marker(chars, end))))
}

/// The lines of a paragraph of `chars` with advance `widths` (points): the first line `first`
/// points wide (after an indent), the others `width`. Every line holds at least one character.
pub(crate) fn break_lines(
    chars: &[char],
    widths: &[f32],
    first: f32,
    width: f32,
) -> Vec<Range<usize>> {
    let n = chars.len().min(widths.len());
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first } else { width };
        let mut end = start;
        let mut w = 0.0;
        while end < n && w + widths[end] <= avail + 0.01 {
            w += widths[end];
            end += 1;
        }
        if end == start {
            end = start + 1;
        }
        if end < n {
            // Push characters to the next line until the break keeps the rules (all of them,
            // else the punctuation rules).
            for all in [true, false] {
                if let Some(e) = (start + 1..=end).rev().find(|&e| good_break(chars, e, all)) {
                    end = e;
                    break;
                }
            }
        }
        lines.push(start..end);
        start = end;
    }
    lines
}

/// Lines of about equal width for a centred title: as few lines as at `width`, each about as
/// wide as the others.
pub(crate) fn balanced_lines(chars: &[char], widths: &[f32], width: f32) -> Vec<Range<usize>> {
    let full = break_lines(chars, widths, width, width);
    if full.len() < 2 {
        return full;
    }
    let total: f32 = widths.iter().sum();
    let widest = widths.iter().copied().fold(0.0, f32::max);
    let target = total / full.len() as f32 + widest;
    let balanced = break_lines(chars, widths, target, target);
    if balanced.len() == full.len() {
        balanced
    } else {
        full
    }
}

fn total(widths: &[f32], r: Range<usize>) -> f32 {
    widths.get(r).map_or(0.0, |w| w.iter().sum())
}

/// Words an agency name may be broken after in a title ("…人民政府" / "某某街道办事处").
const AGENCY_ENDS: [&str; 14] = [
    "人民政府",
    "委员会",
    "办公室",
    "办公厅",
    "办事处",
    "管理局",
    "中心",
    "局",
    "厅",
    "委",
    "省",
    "市",
    "区",
    "县",
];

/// The lines of a title too long for one line, broken where a reader expects it and never
/// mid-word: before the year ("…人民政府办公室" / "2024年政府信息公开工作年度报告"), else
/// before "政府信息公开" (a title that starts with its year); an agency name too long for a
/// line is broken after one of its words (人民政府, 办公室, 局 …). `None` when the title fits
/// one line or no such break fits `width`.
pub(crate) fn title_lines(chars: &[char], widths: &[f32], width: f32) -> Option<Vec<Range<usize>>> {
    let n = chars.len().min(widths.len());
    if total(widths, 0..n) <= width {
        return None;
    }
    let year = (1..n.saturating_sub(4)).find(|&i| {
        chars[i..i + 4].iter().all(char::is_ascii_digit)
            && chars[i + 4..].iter().find(|c| **c != ' ') == Some(&'年')
            && !chars[i - 1].is_ascii_digit()
    });
    let subject: Vec<char> = "政府信息公开".chars().collect();
    let at = year.or_else(|| (1..n).find(|&i| chars[i..n].starts_with(&subject)))?;
    if total(widths, at..n) > width {
        return None;
    }
    let mut lines = Vec::new();
    let mut start = 0;
    while total(widths, start..at) > width {
        let end = (start + 1..at).rev().find(|&e| {
            total(widths, start..e) <= width
                && AGENCY_ENDS.iter().any(|w| {
                    let w: Vec<char> = w.chars().collect();
                    chars[start..e].ends_with(&w)
                })
        })?;
        lines.push(start..end);
        start = end;
    }
    lines.push(start..at);
    lines.push(at..n);
    Some(lines)
}

/// A cell label too long for one line that starts with an item marker ("（三）不予公开")
/// broken after the marker, when the rest fits in one line.
pub(crate) fn after_marker(
    chars: &[char],
    widths: &[f32],
    width: f32,
) -> Option<Vec<Range<usize>>> {
    let n = chars.len().min(widths.len());
    if total(widths, 0..n) <= width || chars.first() != Some(&'（') {
        return None;
    }
    let close = chars.iter().take(5).position(|&c| c == '）')?;
    let at = close + 1;
    (at < n && total(widths, 0..at) <= width && total(widths, at..n) <= width)
        .then(|| vec![0..at, at..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str, per_line: usize) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let widths: Vec<f32> = chars
            .iter()
            .map(|c| if c.is_ascii() { 5.0 } else { 10.0 })
            .collect();
        let w = per_line as f32 * 10.0;
        break_lines(&chars, &widths, w, w)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn full_lines_char_by_char() {
        assert_eq!(lines("甲乙丙丁戊己庚", 3), vec!["甲乙丙", "丁戊己", "庚"]);
        assert_eq!(lines("", 3), Vec::<String>::new());
    }

    #[test]
    fn closing_marks_never_start_a_line() {
        // "丙" goes down with "，" rather than the comma starting the line.
        assert_eq!(lines("甲乙丙，丁戊", 3), vec!["甲乙", "丙，丁", "戊"]);
        assert_eq!(lines("甲乙丙。”丁", 3), vec!["甲乙", "丙。”", "丁"]);
        for s in [
            "一二三）四五",
            "一二三、四五",
            "一二三」四五",
            "一二三』四五",
        ] {
            let got = lines(s, 3);
            assert!(got.iter().all(|l| !l.starts_with(no_line_start)), "{got:?}");
        }
    }

    #[test]
    fn opening_marks_never_end_a_line() {
        assert_eq!(lines("甲乙（丙丁", 3), vec!["甲乙", "（丙丁"]);
        assert_eq!(lines("甲乙“丙丁", 3), vec!["甲乙", "“丙丁"]);
        for s in ["一二「三四", "一二『三四", "一二（三四"] {
            let got = lines(s, 3);
            assert!(got.iter().all(|l| !l.ends_with(no_line_end)), "{got:?}");
        }
    }

    #[test]
    fn numbers_stay_whole_and_markers_do_not_start_lines() {
        // "2024" (4 × 5) does not fit after "甲乙" in 3 em: it goes down whole.
        assert_eq!(lines("甲乙2024年", 3), vec!["甲乙", "2024年"]);
        assert_eq!(lines("甲乙丙三、丁", 3), vec!["甲乙", "丙三、", "丁"]);
        assert_eq!(lines("甲乙丙（二）丁", 4), vec!["甲乙", "丙（二）", "丁"]);
        assert!(starts_with_marker(&['十', '二', '、'], 0));
        assert!(!starts_with_marker(&['十', '二', '是'], 0));
    }

    #[test]
    fn a_unit_too_long_is_broken_where_the_line_is_full() {
        assert_eq!(lines("12345678", 2), vec!["1234", "5678"]);
        assert_eq!(lines("，，，，", 2), vec!["，，", "，，"]);
    }

    fn widths_of(chars: &[char], em: f32) -> Vec<f32> {
        chars
            .iter()
            .map(|c| if c.is_ascii() { em / 2.0 } else { em })
            .collect()
    }

    #[test]
    fn titles_break_before_the_year_and_labels_after_their_marker() {
        let t: Vec<char> = "某某市某某区人民政府办公室2024年政府信息公开工作年度报告"
            .chars()
            .collect();
        let w = widths_of(&t, 22.0);
        assert_eq!(title_lines(&t, &w, 440.0), Some(vec![0..13, 13..30]));
        // On one line, or a part too long: no.
        assert_eq!(title_lines(&t, &w, 1000.0), None);
        assert_eq!(title_lines(&t, &w, 12.0 * 22.0), None);
        let t: Vec<char> = "某某市某某区人民政府办公室 2024 年政府信息公开工作年度报告"
            .chars()
            .collect();
        let w = widths_of(&t, 22.0);
        assert_eq!(title_lines(&t, &w, 440.0), Some(vec![0..14, 14..32]));
        let l: Vec<char> = "（三）不予公开".chars().collect();
        let w = widths_of(&l, 10.0);
        assert_eq!(after_marker(&l, &w, 45.0), Some(vec![0..3, 3..7]));
        assert_eq!(after_marker(&l, &w, 70.0), None);
        assert_eq!(after_marker(&l, &w, 35.0), None);
    }

    #[test]
    fn long_agencies_and_year_first_titles_break_between_words() {
        let lines = |t: &str| {
            let c: Vec<char> = t.chars().collect();
            let w = widths_of(&c, 22.0);
            title_lines(&c, &w, 20.0 * 22.0).map(|ls| {
                ls.into_iter()
                    .map(|r| c[r].iter().collect::<String>())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            lines("某某自治区某某市某某区人民政府某某街道办事处2024年政府信息公开工作年度报告"),
            Some(vec![
                "某某自治区某某市某某区人民政府".to_string(),
                "某某街道办事处".to_string(),
                "2024年政府信息公开工作年度报告".to_string(),
            ])
        );
        assert_eq!(
            lines("2024年某某市某某区人民政府办公室政府信息公开工作年度报告"),
            Some(vec![
                "2024年某某市某某区人民政府办公室".to_string(),
                "政府信息公开工作年度报告".to_string(),
            ])
        );
        assert_eq!(
            lines("某某市某某区人民政府办公室2024年政府信息公开工作年度报告"),
            Some(vec![
                "某某市某某区人民政府办公室".to_string(),
                "2024年政府信息公开工作年度报告".to_string(),
            ])
        );
        // On one line; no word to break a long name after: left to the balanced lines.
        assert_eq!(lines("某局2024年政府信息公开工作年度报告"), None);
        assert_eq!(
            lines("甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲2024年政府信息公开工作年度报告"),
            None
        );
    }

    #[test]
    fn titles_are_balanced() {
        let chars: Vec<char> = "某某市某某区人民政府办公室2024年政府信息公开工作年度报告"
            .chars()
            .collect();
        let widths: Vec<f32> = chars
            .iter()
            .map(|c| if c.is_ascii() { 11.0 } else { 22.0 })
            .collect();
        let got = balanced_lines(&chars, &widths, 20.0 * 22.0);
        assert_eq!(got.len(), 2);
        let w = |r: &Range<usize>| widths[r.clone()].iter().sum::<f32>();
        assert!((w(&got[0]) - w(&got[1])).abs() <= 44.0, "{got:?}");
    }
}
