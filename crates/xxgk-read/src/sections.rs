//! The six parts: headings in their real variants, and the text under each.
//!
//! A heading candidate is a short line (no tab, no `|` table cell, no sentence inside it) that
//! starts with a marker — "五、", "5、", "5.", or, only when nothing better exists, "（五）" — and
//! whose text contains one keyword of every keyword group of a part in [`catalogue::PARTS`].
//! A heading wrapped over two lines is joined. Among the candidates, the reader keeps the
//! sequence in document order and part order that finds the most parts, preferring headings whose
//! marker number is the part number, then the stronger marker kind, then the official wording.
//! Markers are recorded as printed so that a checker can flag the numbering.

use xxgk_model::catalogue::{self, PartDef};
use xxgk_model::Section;

/// Longest trimmed line that may be a heading (or the first line of a wrapped heading).
const MAX_HEADING_CHARS: usize = 40;
/// Longest second line of a wrapped heading.
const MAX_CONTINUATION_CHARS: usize = 20;

/// Characters that end a sentence: a line with one of these followed by more text is a sentence,
/// not a heading.
const SENTENCE_ENDS: [char; 7] = ['。', '；', ';', '！', '？', '：', ':'];

/// Separators after a numeral marker: "一、", "1.", "1．".
const MARKER_SEPARATORS: [char; 3] = ['、', '.', '．'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// "一、" (also "一." and "一 ").
    Chinese,
    /// "1、", "1." .
    Arabic,
    /// "（一）", "(1)".
    Paren,
}

/// A marker at the start of a (trimmed) line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker<'a> {
    pub kind: MarkerKind,
    /// The number the marker stands for (1-based).
    pub number: u32,
    /// The marker as printed, without surrounding spaces.
    pub printed: &'a str,
    /// The text after the marker, trimmed.
    pub rest: &'a str,
}

/// Parse a Chinese numeral 一..九十九 printed positionally ("十二", "二十", "三十一").
fn chinese_number(s: &str) -> Option<u32> {
    crate::numerals::positional(&s.chars().collect::<Vec<_>>())
}

/// Recognise a marker at the start of `s` (already trimmed).
pub(crate) fn parse_marker(s: &str) -> Option<Marker<'_>> {
    let first = s.chars().next()?;
    // （一） (一) （1） (1)
    if first == '（' || first == '(' {
        let inner_start = first.len_utf8();
        let close = s[inner_start..].find(['）', ')'])? + inner_start;
        let inner = s[inner_start..close].trim();
        let number = if inner.bytes().all(|b| b.is_ascii_digit()) && !inner.is_empty() {
            if inner.len() > 2 {
                return None;
            }
            inner.parse().ok()?
        } else {
            chinese_number(inner)?
        };
        let end = close + s[close..].chars().next()?.len_utf8();
        return Some(Marker {
            kind: MarkerKind::Paren,
            number,
            printed: &s[..end],
            rest: crate::spaces::trim(&s[end..]),
        });
    }
    // 1、 1. 12、
    if first.is_ascii_digit() {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 2 {
            return None;
        }
        let number: u32 = s[..digits].parse().ok()?;
        let sep = s[digits..].chars().next()?;
        if !MARKER_SEPARATORS.contains(&sep) {
            return None;
        }
        let end = digits + sep.len_utf8();
        // "1.5" is a number, not a marker.
        if s[end..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some(Marker {
            kind: MarkerKind::Arabic,
            number,
            printed: &s[..end],
            rest: crate::spaces::trim(&s[end..]),
        });
    }
    // 一、 十一、 一. 一 (space)
    if crate::numerals::value(first).is_some() {
        let num_end = s
            .char_indices()
            .find(|(_, c)| crate::numerals::value(*c).is_none())
            .map_or(s.len(), |(i, _)| i);
        let number = chinese_number(&s[..num_end])?;
        let sep = s[num_end..].chars().next()?;
        let end = if MARKER_SEPARATORS.contains(&sep) {
            num_end + sep.len_utf8()
        } else if sep == ' ' {
            num_end
        } else {
            return None;
        };
        return Some(Marker {
            kind: MarkerKind::Chinese,
            number,
            printed: &s[..end],
            rest: crate::spaces::trim(&s[end..]),
        });
    }
    None
}

/// Trim a line and drop Markdown emphasis / heading decoration around it.
fn clean(line: &str) -> &str {
    crate::spaces::trim(
        crate::spaces::trim(line)
            .trim_start_matches('#')
            .trim_matches('*'),
    )
}

/// Whether `s` reads as a sentence rather than a heading: a sentence end with text after it,
/// outside brackets ("（单位：件）" is not a sentence).
fn has_inner_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(SENTENCE_ENDS);
    let mut depth = 0u32;
    for c in t.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            c if depth == 0 && SENTENCE_ENDS.contains(&c) => return true,
            _ => {}
        }
    }
    false
}

/// A line that may be part of a heading: not a table row, not a sentence.
fn heading_like(raw: &str, text: &str, max_chars: usize) -> bool {
    !text.is_empty()
        // A UTF-8 character is at most 4 bytes: longer lines are rejected without counting.
        && text.len() <= max_chars * 4
        && text.chars().nth(max_chars).is_none()
        && !raw.contains(['\t', '|'])
        && !text.ends_with(|c: char| c.is_ascii_digit())
        && !has_inner_sentence(text)
}

/// The text with every whitespace character removed, for keyword matching.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Substring test for short haystacks (a heading): a plain byte scan, cheaper than setting up
/// the general substring searcher for every keyword.
fn contains_short(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    match n.first() {
        None => true,
        Some(&b) => h.windows(n.len()).any(|w| w[0] == b && w == n),
    }
}

fn part_matches(part: &PartDef, text: &str) -> bool {
    part.keywords
        .iter()
        .all(|group| group.iter().any(|k| contains_short(text, k)))
}

thread_local! {
    /// [`matching_parts`] of the heading texts met: a batch meets the same headings again and
    /// again.
    static PARTS_OF: crate::labels::LabelCache<u8> = crate::labels::LabelCache::default();
}

/// The parts (bit `n` set for part `n`) whose keywords the heading text matches.
fn matching_parts(compact_text: &str) -> u8 {
    crate::labels::remembered(&PARTS_OF, compact_text, |t| {
        catalogue::PARTS
            .iter()
            .filter(|p| part_matches(p, t))
            .fold(0u8, |m, p| m | (1 << p.number))
    })
}

fn starts_with_continuation(s: &str) -> bool {
    catalogue::HEADING_CONTINUATIONS
        .iter()
        .any(|w| s.starts_with(w))
}

fn ends_with_continuation(s: &str) -> bool {
    catalogue::HEADING_CONTINUATIONS
        .iter()
        .any(|w| s.ends_with(w))
}

/// One heading candidate.
#[derive(Debug)]
struct Candidate {
    /// 0-based index of the first heading line.
    first: usize,
    /// 0-based index of the last heading line (differs from `first` when wrapped).
    last: usize,
    marker: String,
    kind: MarkerKind,
    number: u32,
    heading: String,
    /// Compact heading text, for scoring.
    compact: String,
    parts: u8,
    /// Whether any text follows before the next candidate (a table of contents has none).
    has_body: bool,
}

/// The next non-empty line after `i`, if any.
fn next_non_empty(lines: &[String], i: usize) -> Option<usize> {
    (i + 1..lines.len()).find(|&j| !crate::spaces::trim(&lines[j]).is_empty())
}

fn candidate_at(lines: &[String], i: usize) -> Option<Candidate> {
    let raw = &lines[i];
    // Most lines cannot start with a marker: their first character is none of the decoration
    // `clean` drops nor a character a marker starts with (see `parse_marker`).
    let lead = raw.trim_start().chars().next()?;
    if !matches!(lead, '#' | '*' | '（' | '(')
        && !lead.is_ascii_digit()
        && crate::numerals::value(lead).is_none()
    {
        return None;
    }
    let text = clean(raw);
    let marker = parse_marker(text)?;
    if !heading_like(raw, text, MAX_HEADING_CHARS) {
        return None;
    }
    let mut heading = marker.rest.to_string();
    let mut compact_text = compact(&heading);
    let mut parts = matching_parts(&compact_text);
    let mut last = i;

    // A heading wrapped over two lines.
    if let Some(j) = next_non_empty(lines, i).filter(|&j| j <= i + 2) {
        let next_raw = &lines[j];
        let next = clean(next_raw);
        if heading_like(next_raw, next, MAX_CONTINUATION_CHARS)
            && parse_marker(next).is_none()
            && !next.contains(['，', ','])
            && (parts == 0
                || ends_with_continuation(&compact_text)
                || starts_with_continuation(next))
        {
            let joined_compact = format!("{compact_text}{}", compact(next));
            let joined_parts = matching_parts(&joined_compact);
            let completes = parts == 0 && joined_parts != 0;
            let continues = parts != 0 && (joined_parts & parts) == parts;
            if completes || continues {
                heading.push_str(next);
                compact_text = joined_compact;
                parts = joined_parts;
                last = j;
            }
        }
    }
    if parts == 0 {
        return None;
    }
    if marker.kind == MarkerKind::Paren {
        // A bracketed marker is a sub-heading unless it carries the part's own number.
        parts &= (1u16 << marker.number.min(8)) as u8;
        if parts == 0 {
            return None;
        }
    }
    Some(Candidate {
        first: i,
        last,
        marker: marker.printed.to_string(),
        kind: marker.kind,
        number: marker.number,
        heading: heading.trim().to_string(),
        compact: compact_text,
        parts,
        has_body: true,
    })
}

/// How well a candidate fits as the heading of `part`.
fn score(c: &Candidate, part: u8) -> u32 {
    let mut s = 1000;
    if c.number == u32::from(part) {
        s += 100;
    }
    s += match c.kind {
        MarkerKind::Chinese => 30,
        MarkerKind::Arabic => 20,
        MarkerKind::Paren => 0,
    };
    let official = catalogue::PARTS[usize::from(part - 1)].heading;
    if c.compact == official {
        s += 10;
    } else if c.compact.contains(official) {
        s += 5;
    }
    if !c.has_body {
        s -= 50;
    }
    s
}

/// The last non-empty line index in `from..to`, if any.
fn last_non_empty(lines: &[String], from: usize, to: usize) -> Option<usize> {
    (from..to.min(lines.len()))
        .rev()
        .find(|&j| !crate::spaces::trim(&lines[j]).is_empty())
}

/// Find the six statutory parts in `lines`.
pub fn split(lines: &[String]) -> Vec<Section> {
    let mut candidates: Vec<Candidate> = (0..lines.len())
        .filter_map(|i| candidate_at(lines, i))
        .collect();
    for k in 0..candidates.len() {
        let stop = candidates.get(k + 1).map_or(lines.len(), |n| n.first);
        let from = candidates[k].last + 1;
        candidates[k].has_body = last_non_empty(lines, from, stop).is_some();
    }

    // (candidate index, part) pairs in document order.
    let mut nodes: Vec<(usize, u8)> = Vec::new();
    for (ci, c) in candidates.iter().enumerate() {
        for part in 1..=6u8 {
            if c.parts & (1 << part) != 0 {
                nodes.push((ci, part));
            }
        }
    }
    if nodes.is_empty() {
        return Vec::new();
    }

    // Longest (best-scoring) chain increasing in both line and part.
    let mut best: Vec<u32> = Vec::with_capacity(nodes.len());
    let mut prev: Vec<Option<usize>> = Vec::with_capacity(nodes.len());
    for (k, &(ci, part)) in nodes.iter().enumerate() {
        let c = &candidates[ci];
        let mut b = 0;
        let mut p = None;
        for (j, &(cj, pj)) in nodes[..k].iter().enumerate() {
            if candidates[cj].last < c.first && pj < part && best[j] > b {
                b = best[j];
                p = Some(j);
            }
        }
        best.push(b + score(c, part));
        prev.push(p);
    }
    let mut end = 0;
    for k in 1..nodes.len() {
        if best[k] > best[end] {
            end = k;
        }
    }
    let mut chain = vec![end];
    while let Some(p) = prev[*chain.last().unwrap_or(&0)] {
        chain.push(p);
    }
    chain.reverse();

    let mut sections = Vec::with_capacity(chain.len());
    for (n, &k) in chain.iter().enumerate() {
        let (ci, part) = nodes[k];
        let c = &candidates[ci];
        let stop = chain
            .get(n + 1)
            .map_or(lines.len(), |&next| candidates[nodes[next].0].first);
        let end_idx = last_non_empty(lines, c.last + 1, stop).unwrap_or(c.last);
        let mut text = String::new();
        for line in &lines[c.last + 1..=end_idx.max(c.last)] {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
        sections.push(Section {
            part,
            marker: c.marker.clone(),
            heading: c.heading.clone(),
            line: c.first as u32 + 1,
            end_line: end_idx as u32 + 1,
            text: text.trim().to_string(),
        });
    }
    sections
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.split('\n')
            .map(crate::decode::normalize_line)
            .collect()
    }

    fn parts(sections: &[Section]) -> Vec<u8> {
        sections.iter().map(|s| s.part).collect()
    }

    const STANDARD: &str = "\
某局2024年政府信息公开工作年度报告
一、总体情况
总体情况正文。
二、主动公开政府信息情况
规章\t0\t0\t0
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0
二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果
四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0
四、政府信息公开行政复议、行政诉讼情况
0\t0\t0
五、存在的主要问题及改进情况
问题。
六、其他需要报告的事项
无。

某局
2025年1月11日

";

    #[test]
    fn markers_are_parsed_as_printed() {
        let m = parse_marker("五、存在的主要问题").unwrap();
        assert_eq!(
            (m.kind, m.number, m.printed, m.rest),
            (MarkerKind::Chinese, 5, "五、", "存在的主要问题")
        );
        let m = parse_marker("5、 存在的主要问题").unwrap();
        assert_eq!(
            (m.kind, m.number, m.printed, m.rest),
            (MarkerKind::Arabic, 5, "5、", "存在的主要问题")
        );
        let m = parse_marker("1.总体情况").unwrap();
        assert_eq!((m.kind, m.number, m.printed), (MarkerKind::Arabic, 1, "1."));
        let m = parse_marker("（一）主动公开情况").unwrap();
        assert_eq!(
            (m.kind, m.number, m.printed),
            (MarkerKind::Paren, 1, "（一）")
        );
        let m = parse_marker("(3) 依申请").unwrap();
        assert_eq!(
            (m.kind, m.number, m.printed, m.rest),
            (MarkerKind::Paren, 3, "(3)", "依申请")
        );
        let m = parse_marker("十一、其他").unwrap();
        assert_eq!(m.number, 11);
        assert_eq!(parse_marker("一是加强领导"), None);
        assert_eq!(parse_marker("1.5万元"), None);
        assert_eq!(parse_marker("2024 年"), None);
        assert_eq!(parse_marker("总体情况"), None);
        assert_eq!(parse_marker(""), None);
    }

    #[test]
    fn six_parts_in_order_with_lines_and_text() {
        let s = split(&lines(STANDARD));
        assert_eq!(parts(&s), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(s[0].marker, "一、");
        assert_eq!(s[0].heading, "总体情况");
        assert_eq!((s[0].line, s[0].end_line), (2, 3));
        assert_eq!(s[0].text, "总体情况正文。");
        // Table 三's row labels 一、…四、 stay inside part 3.
        assert_eq!((s[2].line, s[2].end_line), (6, 10));
        assert!(s[2].text.starts_with("一、本年新收"));
        assert_eq!(s[3].heading, "政府信息公开行政复议、行政诉讼情况");
        // Part 6 runs to the last non-empty line.
        assert_eq!((s[5].line, s[5].end_line), (15, 19));
        assert_eq!(s[5].text, "无。\n\n某局\n2025年1月11日");
    }

    #[test]
    fn heading_variants_are_recognised() {
        let text = "\
一、概述
正文
二、主动公开政府信息情况
正文
三、收到和处理政府信息公开申请情况
正文
四、因政府信息公开申请行政复议、提起行政诉讼的情况
正文
 五、存在的主要问题及整改情况
正文
六、其他需要报告的事项
正文";
        let s = split(&lines(text));
        assert_eq!(parts(&s), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(s[0].heading, "概述");
        assert_eq!(
            s[3].heading,
            "因政府信息公开申请行政复议、提起行政诉讼的情况"
        );
        assert_eq!(s[4].marker, "五、");
        assert_eq!(s[4].heading, "存在的主要问题及整改情况");
        assert_eq!(s[4].line, 9);
    }

    #[test]
    fn arabic_marker_is_kept_as_printed() {
        let text = STANDARD.replace(
            "五、存在的主要问题及改进情况",
            "5、 存在的主要问题及改进情况",
        );
        let s = split(&lines(&text));
        assert_eq!(parts(&s), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(s[4].marker, "5、");
        assert_eq!(s[4].heading, "存在的主要问题及改进情况");
    }

    #[test]
    fn wrapped_heading_is_joined() {
        let text = STANDARD.replace(
            "五、存在的主要问题及改进情况",
            "五、政府信息公开工作存在的主要问题\n及改进情况",
        );
        let s = split(&lines(&text));
        assert_eq!(parts(&s), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(s[4].heading, "政府信息公开工作存在的主要问题及改进情况");
        assert_eq!(s[4].line, 13);
        assert_eq!(s[4].text, "问题。");

        // A heading that matches on its own continues only with a continuation word.
        let text = STANDARD.replace(
            "四、政府信息公开行政复议、行政诉讼情况",
            "四、政府信息公开行政复议、\n行政诉讼情况",
        );
        let s = split(&lines(&text));
        assert_eq!(s[3].heading, "政府信息公开行政复议、行政诉讼情况");
        assert_eq!(s[3].text, "0\t0\t0");
    }

    #[test]
    fn punctuation_inside_brackets_is_allowed() {
        let s = split(&lines(
            "四、政府信息公开行政复议、行政诉讼情况（单位：件）\n0",
        ));
        assert_eq!(parts(&s), vec![4]);
        assert_eq!(
            s[0].heading,
            "政府信息公开行政复议、行政诉讼情况（单位：件）"
        );
        let s = split(&lines("一、总体情况：\n正文"));
        assert_eq!(s[0].heading, "总体情况：");
    }

    #[test]
    fn short_body_after_heading_is_not_joined() {
        let s = split(&lines("六、其他需要报告的事项\n无\n"));
        assert_eq!(parts(&s), vec![6]);
        assert_eq!(s[0].heading, "其他需要报告的事项");
        assert_eq!(s[0].text, "无");
    }

    #[test]
    fn table_rows_and_sentences_are_not_headings() {
        let text = "\
一、本年新收政府信息公开申请数量
三、 本 年 度 办 理 结 果\t(一) 予以公开\t0
| 二、主动公开政府信息情况 | 0 |
四、政府信息公开行政复议、行政诉讼情况 0
（三）依申请公开情况。2020年，我单位未收到依申请公开案件。
一、总体情况。本年度我局认真落实条例。";
        assert!(split(&lines(text)).is_empty());
    }

    #[test]
    fn sub_headings_do_not_become_parts() {
        let text = "\
一、总体情况
（一）主动公开情况
正文
（二）依申请公开情况
正文
四、政府信息公开行政复议、行政诉讼情况
正文";
        let s = split(&lines(text));
        assert_eq!(parts(&s), vec![1, 4]);
        assert_eq!(s[0].end_line, 5);
    }

    #[test]
    fn bracketed_outline_is_used_when_nothing_better() {
        let text = "\
（一）总体情况
正文
（二）主动公开政府信息情况
正文
（三）收到和处理政府信息公开申请情况
正文
（四）政府信息公开行政复议、行政诉讼情况
正文
（五）存在的主要问题及改进情况
正文
（六）其他需要报告的事项
正文";
        let s = split(&lines(text));
        assert_eq!(parts(&s), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(s[2].marker, "（三）");
    }

    #[test]
    fn table_of_contents_is_skipped() {
        let toc = "\
目录
一、总体情况
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
";
        let text = format!("{toc}{STANDARD}");
        let s = split(&lines(&text));
        assert_eq!(parts(&s), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(s[0].line, 9);
    }

    #[test]
    fn non_standard_outline_keeps_printed_markers() {
        let text = "\
一、总体情况
正文
三、主动公开工作情况
正文
四、政府信息公开申请情况
正文
一、主动公开政府信息情况
规章 0
二、收到和处理政府信息公开申请情况
表
三、政府信息公开行政复议、行政诉讼情况
表
（一）主要问题
正文
（二）改进情况
正文
五、其他需要报告的事项
正文";
        let s = split(&lines(text));
        assert_eq!(parts(&s), vec![1, 2, 3, 4, 6]);
        let markers: Vec<&str> = s.iter().map(|x| x.marker.as_str()).collect();
        assert_eq!(markers, vec!["一、", "一、", "二、", "三、", "五、"]);
        assert_eq!(s[1].line, 7);
        assert_eq!(s[3].end_line, 16);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        assert!(split(&[]).is_empty());
        assert!(split(&lines("\n\n   \n")).is_empty());
        let huge = "一、概述".to_string() + &"正文".repeat(5000);
        assert!(split(&lines(&huge)).is_empty());
        assert!(split(&lines("（\n(一\n一、\n三、\n本\n年")).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics_and_stays_ordered(
            text in "[一二三四五六十〇、（）()0-9 .年月日至起统计期限为电话：:\t\n|总体情况主动公开问题改进其他需要报告的事项复议申请标题]{0,300}"
        ) {
            let l = lines(&text);
            let s = split(&l);
            for w in s.windows(2) {
                proptest::prop_assert!(w[0].part < w[1].part);
                proptest::prop_assert!(w[0].end_line < w[1].line);
            }
            for x in &s {
                proptest::prop_assert!(x.line <= x.end_line);
                proptest::prop_assert!((x.end_line as usize) <= l.len());
            }
            let (m, _) = crate::meta::read(&l, &s);
            if let Some(p) = m.period {
                proptest::prop_assert!(p.value.0 <= p.value.1);
            }
        }
    }

    use crate::test_corpus::corpus;

    #[test]
    fn corpus_seeds_have_six_parts() {
        let expected: [(&str, [u32; 6]); 5] = [
            ("seeds/000_e9af0cc230bbb8d9.txt", [7, 31, 48, 82, 89, 97]),
            ("seeds/001_d63c2d2dcd347229.txt", [6, 17, 92, 357, 410, 421]),
            ("seeds/002_34c254d3798047bd.txt", [3, 15, 62, 349, 406, 409]),
            ("seeds/003_3dd38cd922b2f941.txt", [7, 19, 66, 355, 407, 410]),
            ("seeds/004_12d51352752dc67b.txt", [5, 29, 50, 82, 90, 96]),
        ];
        for (file, heading_lines) in expected {
            let Some(lines) = corpus(file) else { continue };
            let s = split(&lines);
            assert_eq!(parts(&s), vec![1, 2, 3, 4, 5, 6], "{file}");
            let found: Vec<u32> = s.iter().map(|x| x.line).collect();
            assert_eq!(found, heading_lines, "{file}");
            for (a, b) in s.iter().zip(s.iter().skip(1)) {
                assert!(a.end_line < b.line, "{file}: part {} overlaps", a.part);
            }
            assert_eq!(s[0].heading, "总体情况", "{file}");
            assert_eq!(s[5].heading, "其他需要报告的事项", "{file}");
            let markers: Vec<&str> = s.iter().map(|x| x.marker.as_str()).collect();
            let fifth = if file.starts_with("seeds/003") {
                "5、"
            } else {
                "五、"
            };
            assert_eq!(
                markers,
                vec!["一、", "二、", "三、", "四、", fifth, "六、"],
                "{file}"
            );
            let problems = if file.starts_with("seeds/000") {
                "存在的主要问题及整改情况"
            } else {
                "存在的主要问题及改进情况"
            };
            assert_eq!(s[4].heading, problems, "{file}");
        }
        if let Some(lines) = corpus("seeds/000_e9af0cc230bbb8d9.txt") {
            let s = split(&lines);
            assert_eq!(s[5].end_line, 115);
            assert!(s[5].text.ends_with("2025年1月11日"));
            assert!(s[2].text.contains("四、结转下年度继续办理"));
        }
    }

    #[test]
    fn corpus_real_files() {
        if let Some(lines) = corpus("real/shanghai-stcsm-2024.md") {
            let s = split(&lines);
            assert_eq!(parts(&s), vec![1, 2, 3, 4, 6]);
            let markers: Vec<&str> = s.iter().map(|x| x.marker.as_str()).collect();
            assert_eq!(markers, vec!["一、", "一、", "二、", "三、", "五、"]);
            let found: Vec<u32> = s.iter().map(|x| x.line).collect();
            assert_eq!(found, vec![13, 73, 91, 180, 205]);
            assert!(s[3].text.contains("（一）主要问题"));
        }
        if let Some(lines) = corpus("real/huaian-city-2024-excerpt.txt") {
            let s = split(&lines);
            assert_eq!(parts(&s), vec![3]);
            assert_eq!(s[0].line, 8);
        }
        if let Some(lines) = corpus("real/pingtan-2017-legacy.txt") {
            // One huge line: whatever is found must be in order.
            let s = split(&lines);
            assert!(s
                .windows(2)
                .all(|w| w[0].part < w[1].part && w[0].line < w[1].line));
        }
    }
}
