//! Report-level facts: title, agency, year, statistics period, publication date, contact.
//!
//! * Title: the first short lines of the document up to the line that contains a
//!   [`catalogue::TITLE_KEYWORDS`] word, joined when wrapped (a wrapped line is prepended only
//!   while it supplies the agency or the year the title still lacks); converter artefacts
//!   ("正文", "[image: ]", page numbers) and prefixes ("标题: ") are skipped.
//! * Agency and year: from the title, with whitespace removed. The year is a 4-digit year
//!   followed by 年; the agency is what precedes it or, when the title starts with the year, what
//!   follows it up to "政府信息公开" and the like ([`catalogue::TITLE_AGENCY_ENDS`]).
//!   Abbreviations are expanded through [`catalogue::AGENCY_ABBREVIATIONS`].
//! * Period: a date range after a [`catalogue::PERIOD_KEYWORDS`] word (the range may wrap onto
//!   the next line; a second date without a year takes the first one's year).
//! * Published: a date that ends one of the last lines, alone or after the agency's name; never a
//!   date of the body ("截至 2024 年 12 月 31 日").
//! * Contact: the phone/address fragment of the preamble (else of the rest of the document).

use std::collections::HashMap;

use xxgk_model::catalogue;
use xxgk_model::{Date, Finding, Meta, Section, Severity, Sourced, Span};

/// Non-empty lines searched for the title (within the preamble, before the first part heading).
const TITLE_SEARCH_LINES: usize = 12;
/// Longest line that may be (part of) the title.
const MAX_TITLE_LINE_CHARS: usize = 80;
/// Most lines a title is wrapped over.
const MAX_TITLE_LINES: usize = 3;
/// Non-empty lines at the end of the document searched for the publication date.
const PUBLISHED_SEARCH_LINES: usize = 6;
/// Longest text (an agency name) before a publication date on its line.
const MAX_SIGNATURE_PREFIX_CHARS: usize = 40;
/// How far after a period keyword the first date may start, in characters.
const PERIOD_DATE_WINDOW: usize = 30;
/// How many characters after a period keyword are read (keyword, two dates and connectors).
const PERIOD_SCAN_CHARS: usize = 100;

/// Sentence punctuation: a line containing one is not a title fragment.
const SENTENCE_PUNCT: [char; 8] = ['。', '，', '；', '！', '？', ',', ';', '：'];
/// Punctuation that ends a sentence (contact fragments stop there).
const SENTENCE_ENDS: [char; 7] = ['。', '；', '！', '？', ';', '!', '?'];
/// Punctuation not allowed in the text before a publication date.
const SIGNATURE_FORBIDDEN: [char; 8] = ['。', '，', '；', '、', ',', ';', '！', '？'];

const YEAR_CHAR: char = '年';
const MONTH_CHAR: char = '月';
const DAY_CHARS: [char; 2] = ['日', '号'];
const ISO_SEPARATORS: [char; 3] = ['-', '/', '.'];
const YEAR_SUFFIX_AFTER_YEAR: char = '度';

/// Read the metadata of a report.
pub fn read(lines: &[String], sections: &[Section]) -> (Meta, Vec<Finding>) {
    let mut meta = Meta::default();
    let mut findings = Vec::new();
    // 0-based index of the first part heading: the preamble ends there.
    let preamble_end = sections
        .first()
        .map_or(lines.len(), |s| (s.line as usize).saturating_sub(1))
        .min(lines.len());

    let mut title_year = None;
    let found_title = find_title(lines, preamble_end);
    meta.preamble = preamble(
        lines,
        found_title.as_ref().map(|(t, i)| (t.as_str(), *i)),
        preamble_end,
    );
    match found_title {
        Some((title, idx)) => {
            let span = Span::line(idx as u32 + 1);
            let (agency, year) = title_parts(&compact(&title));
            match agency {
                Some(a) => {
                    meta.agency = Some(expand_abbreviations(&a));
                    meta.agency_printed = Some(a);
                }
                None => findings.push(
                    Finding::new("READ-NO-AGENCY", Severity::Warning, "标题中未找到机关名称")
                        .at(span),
                ),
            }
            title_year = year;
            meta.title = Some(Sourced { value: title, span });
        }
        None => findings.push(Finding::new(
            "READ-NO-TITLE",
            Severity::Warning,
            "未找到年度报告标题",
        )),
    }
    if let Some(agency) = &meta.agency {
        if let Some((full, line)) = with_prefecture(agency, lines) {
            findings.push(
                Finding::new(
                    AGENCY_PREFECTURE,
                    Severity::Info,
                    format!(
                        "机关名称“{agency}”未写所属市，按正文第 {} 行补为“{full}”（原文照录）",
                        line + 1
                    ),
                )
                .at(Span::line(line as u32 + 1)),
            );
            meta.agency = Some(full);
        }
    }

    let (period, period_unreadable) = find_period(lines, preamble_end);
    if let Some(line) = period_unreadable.filter(|_| period.is_none()) {
        findings.push(
            Finding::new(
                "READ-PERIOD-UNREADABLE",
                Severity::Info,
                "提到了统计期限，但未能读出起止日期",
            )
            .at(Span::line(line as u32 + 1)),
        );
    }
    meta.period = period;

    meta.year = match (title_year, &meta.period) {
        (Some(y), _) => Some(y),
        (None, Some(p)) => {
            let y = p.value.0.year;
            findings.push(
                Finding::new(
                    "READ-YEAR-FROM-PERIOD",
                    Severity::Info,
                    format!("标题中未找到年度，按统计期限取 {y} 年"),
                )
                .at(p.span),
            );
            Some(y)
        }
        (None, None) => {
            let mut f = Finding::new(
                "READ-NO-YEAR",
                Severity::Warning,
                "未找到报告年度（标题中没有年份，也没有统计期限）",
            );
            if let Some(t) = &meta.title {
                f = f.at(t.span);
            }
            findings.push(f);
            None
        }
    };

    meta.published = find_published(lines).or_else(|| {
        let found = find_page_published(lines, preamble_end)?;
        findings.push(
            Finding::new(
                "READ-PUBLISHED-FROM-PAGE",
                Severity::Info,
                format!(
                    "报告末尾没有落款日期，发布日期取自网页的“发布时间/发布日期”：{}",
                    found.value
                ),
            )
            .at(found.span),
        );
        Some(found)
    });
    meta.contact = find_contact(lines, preamble_end);
    (meta, findings)
}

/// The lines between the title and the first part (`preamble_end`, 0-based), as printed:
/// empty lines and converter artefacts ("- 4 -", "[image: ]") left out, and a web archive's
/// header (everything up to its "==== 正文 ====" line) too. Without a title, from the first line.
fn preamble(lines: &[String], title: Option<(&str, usize)>, preamble_end: usize) -> Vec<String> {
    let mut start = 0;
    if let Some((title, first)) = title {
        // The title's own lines (a wrapped title spans several).
        let whole = compact(strip_title_prefix(&compact(title)));
        let mut seen = 0;
        start = first;
        while start < preamble_end && seen < whole.chars().count() {
            let t = compact(strip_title_prefix(clean(&lines[start])));
            if !t.is_empty() && !whole.contains(&t) && start > first {
                break;
            }
            seen += t.chars().count();
            start += 1;
        }
    }
    let end = preamble_end.min(lines.len());
    // A web archive's header ends at its "正文" line.
    if let Some(body) = (start..end).rev().find(|&i| {
        let t = clean(&lines[i]);
        is_artefact(t) && t.contains(catalogue::TITLE_ARTEFACTS[0])
    }) {
        start = start.max(body + 1);
    }
    lines[start.min(end)..end]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !is_artefact(l))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Title, agency, year
// ---------------------------------------------------------------------------------------------

/// The text with every whitespace character removed.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Trim a line and drop Markdown decoration.
fn clean(line: &str) -> &str {
    line.trim().trim_start_matches('#').trim_matches('*').trim()
}

/// A converter artefact line: "正文", "==== 正文 ====", "[image: ]", "- 4 -".
fn is_artefact(t: &str) -> bool {
    if t.starts_with('[') && t.ends_with(']') {
        return true;
    }
    let core = t.trim_matches(|c: char| c == '=' || c == '-' || c == '—' || c.is_whitespace());
    core.is_empty()
        || core.bytes().all(|b| b.is_ascii_digit())
        || catalogue::TITLE_ARTEFACTS.contains(&core)
}

fn strip_title_prefix(t: &str) -> &str {
    catalogue::TITLE_PREFIXES
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .map_or(t, str::trim)
}

/// How many of (agency, year) a title yields.
fn title_score(title: &str) -> usize {
    let (a, y) = title_parts(&compact(title));
    usize::from(a.is_some()) + usize::from(y.is_some())
}

/// The title and the 0-based index of its first line.
fn find_title(lines: &[String], preamble_end: usize) -> Option<(String, usize)> {
    // Contiguous title-like lines seen so far: (index, text).
    let mut fragments: Vec<(usize, &str)> = Vec::new();
    let mut seen = 0;
    for (i, raw) in lines.iter().enumerate().take(preamble_end) {
        let t = clean(raw);
        if t.is_empty() {
            continue;
        }
        seen += 1;
        if seen > TITLE_SEARCH_LINES {
            break;
        }
        if is_artefact(t) {
            continue;
        }
        let t = strip_title_prefix(t);
        let fragment_like =
            t.chars().count() <= MAX_TITLE_LINE_CHARS && !t.contains(SENTENCE_PUNCT);
        if !fragment_like {
            fragments.clear();
            continue;
        }
        if catalogue::TITLE_KEYWORDS.iter().any(|k| t.contains(k)) {
            let mut title = t.to_string();
            let mut first = i;
            let mut score = title_score(&title);
            let mut k = fragments.len();
            while score < 2 && k > 0 && fragments.len() - k < MAX_TITLE_LINES - 1 {
                k -= 1;
                let candidate = format!("{}{}", fragments[k].1, title);
                let s = title_score(&candidate);
                if s <= score {
                    break;
                }
                title = candidate;
                first = fragments[k].0;
                score = s;
            }
            // A long agency name wrapped over two lines ("洛阳高新技术产业开发区" /
            // "知识产权事业发展中心" / "2022年…年度报告"): the line directly above (no blank line
            // between) that cannot end a name itself and carries no year is its beginning.
            while k > 0 && fragments.len() - k < MAX_TITLE_LINES - 1 {
                let (j, above) = fragments[k - 1];
                let ends_a_name = catalogue::AGENCY_NAME_ENDS
                    .iter()
                    .any(|e| above.ends_with(e));
                let has_year = find_title_year(&compact(above)).is_some();
                if j + 1 != first || ends_a_name || has_year {
                    break;
                }
                let candidate = format!("{above}{title}");
                if title_score(&candidate) < score {
                    break;
                }
                k -= 1;
                title = candidate;
                first = j;
            }
            return Some((title, first));
        }
        fragments.push((i, t));
    }
    None
}

/// `hay.find(word)`, with cheap length and first-character tests before the substring search
/// (most lines of a report are short table cells).
fn find_word(hay: &str, word: &str) -> Option<usize> {
    if hay.len() < word.len() {
        return None;
    }
    let first = word.chars().next()?;
    if !hay.contains(first) {
        return None;
    }
    hay.find(word)
}

/// The earliest position of any of `words` in `hay`. Words sharing a first character (as the
/// catalogue's keyword lists mostly do) cost one character test together.
fn find_any(hay: &str, words: &[&str]) -> Option<usize> {
    let shortest = words.iter().map(|w| w.len()).min()?;
    if hay.len() < shortest {
        return None;
    }
    // Word by word, the leftmost occurrence of its first character where one of the words
    // starting with that character starts: one search per distinct first character (the lists
    // share them: every period keyword starts with 统), each stopping at the best found so far.
    let mut done: [char; 8] = ['\0'; 8];
    let mut n_done = 0;
    let mut best: Option<usize> = None;
    for w in words {
        let Some(first) = w.chars().next() else {
            continue;
        };
        if done[..n_done].contains(&first) {
            continue;
        }
        if n_done < done.len() {
            done[n_done] = first;
            n_done += 1;
        }
        let limit = best.unwrap_or(hay.len());
        for (p, _) in hay[..limit].match_indices(first) {
            if words
                .iter()
                .any(|v| v.starts_with(first) && hay[p..].starts_with(v))
            {
                best = Some(p);
                break;
            }
        }
    }
    best
}

fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit() || crate::numerals::digit(c).is_some() || crate::numerals::is_ten(c)
}

/// The year of a compact title: (byte start, byte end after 年/年度, year).
fn find_title_year(s: &str) -> Option<(usize, usize, i32)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for k in 0..chars.len() {
        if k > 0 && is_numeral_char(chars[k - 1].1) {
            continue;
        }
        let Some((value, len)) = read_digits(&chars[k..], |c| {
            c.to_digit(10).or_else(|| crate::numerals::digit(c))
        }) else {
            continue;
        };
        if len != 4 || !(2000..=2100).contains(&value) {
            continue;
        }
        if chars.get(k + len).map(|x| x.1) != Some(YEAR_CHAR) {
            continue;
        }
        let mut end_k = k + len + 1;
        if chars.get(end_k).map(|x| x.1) == Some(YEAR_SUFFIX_AFTER_YEAR) {
            end_k += 1;
        }
        let end = chars.get(end_k).map_or(s.len(), |x| x.0);
        return Some((chars[k].0, end, value as i32));
    }
    None
}

/// A run of digits (all ASCII or all Chinese) as one number: (value, length in chars).
fn read_digits(
    chars: &[(usize, char)],
    digit: impl Fn(char) -> Option<u32>,
) -> Option<(u32, usize)> {
    let first = chars.first()?.1;
    let ascii = first.is_ascii_digit();
    let mut value: u32 = 0;
    let mut len = 0;
    for &(_, c) in chars {
        if c.is_ascii_digit() != ascii {
            break;
        }
        let Some(d) = digit(c) else { break };
        if len >= 6 {
            return None;
        }
        value = value * 10 + d;
        len += 1;
    }
    (len > 0).then_some((value, len))
}

/// The agency: the title up to the first [`catalogue::TITLE_AGENCY_ENDS`] word.
fn agency_before_end(s: &str) -> Option<String> {
    let pos = catalogue::TITLE_AGENCY_ENDS
        .iter()
        .filter_map(|w| s.find(w))
        .min()?;
    let a = trim_agency(&s[..pos]);
    (!a.is_empty()).then(|| a.to_string())
}

fn trim_agency(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '《' | '》' | '“' | '”' | '"' | '：' | ':' | '-' | '—')
    })
}

/// Agency as printed (whitespace removed) and year of a compact title.
fn title_parts(title: &str) -> (Option<String>, Option<i32>) {
    match find_title_year(title) {
        Some((start, end, year)) => {
            let before = trim_agency(&title[..start]);
            if !before.is_empty() {
                (Some(before.to_string()), Some(year))
            } else {
                (agency_before_end(&title[end..]), Some(year))
            }
        }
        None => (agency_before_end(title), None),
    }
}

/// Expand [`catalogue::AGENCY_ABBREVIATIONS`] in one left-to-right pass (longest match first).
fn expand_abbreviations(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 2);
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let hit = catalogue::AGENCY_ABBREVIATIONS
            .iter()
            .filter(|(abbr, _)| rest.starts_with(abbr))
            .max_by_key(|(abbr, _)| abbr.len());
        match hit {
            Some((abbr, full)) => {
                out.push_str(full);
                rest = &rest[abbr.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The rule of a county-level agency name completed with its prefecture.
pub const AGENCY_PREFECTURE: &str = "READ-AGENCY-PREFECTURE";

/// Most places where the county is named that are looked at for its prefecture.
const MAX_PREFECTURE_LOOKS: usize = 200;

/// Endings of a county-level unit at the start of an agency's name (洪泽区, 沭阳县, 旗 of Inner
/// Mongolia).
const COUNTY_ENDS: [char; 3] = ['区', '县', '旗'];
/// Endings of the prefecture-level unit before it (淮安市, 延边朝鲜族自治州, 锡林郭勒盟).
const PREFECTURE_ENDS: [char; 3] = ['市', '州', '盟'];
/// Words before 市 that make no prefecture ("本市", "全市").
const NOT_PREFECTURE_STARTS: [char; 6] = ['本', '全', '该', '我', '各', '省'];

/// A county-level agency ("洪泽区人民政府") with its prefecture ("淮安市洪泽区人民政府"), when the
/// text names the county after exactly one prefecture ("淮安市洪泽区"), with the 0-based line
/// that does. `None` when the name already starts with a province or prefecture, or the text
/// names none or several.
pub(crate) fn with_prefecture(agency: &str, lines: &[String]) -> Option<(String, usize)> {
    let county_end = agency
        .char_indices()
        .take(6)
        .find(|(_, c)| COUNTY_ENDS.contains(c))
        .map(|(i, c)| i + c.len_utf8())?;
    let county = &agency[..county_end];
    if county.chars().count() < 2
        || county.contains(['省', '市', '州', '盟'])
        || agency.starts_with("自治")
    {
        return None;
    }
    let mut found: Vec<(String, usize)> = Vec::new();
    // Whether a prefecture stands alone in the text, asked once per name; at most
    // MAX_PREFECTURE_LOOKS occurrences of the county looked at (hostile input repeats it).
    let mut alone: HashMap<String, bool> = HashMap::new();
    let mut looks = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let Some(compact) = compact_with(line, county) else {
            continue;
        };
        for (pos, _) in compact.match_indices(county) {
            looks += 1;
            if looks > MAX_PREFECTURE_LOOKS {
                break;
            }
            // The characters before the county, nearest first: its prefecture's ending, then the
            // run of Chinese characters (up to five: a name has at most four) that may name it.
            let mut before = compact[..pos].chars().rev();
            let Some(end) = before.next() else { continue };
            if !PREFECTURE_ENDS.contains(&end) {
                continue;
            }
            // The prefecture's name: the shortest run of two to four Chinese characters before
            // its ending that stands as a word — here (after a non-Chinese character, a line's
            // start or a province: "江苏省淮安市洪泽区") or anywhere in the text ("淮安市人民政府"
            // opening a line) — so that "根据淮安市洪泽区" does not make "根据淮安市".
            let mut run: Vec<char> = Vec::with_capacity(5);
            // Whether a character precedes the run (it ended before the line's start).
            let mut more = false;
            for c in before {
                if !(is_han(c) && c != '省') {
                    more = true;
                    break;
                }
                if run.len() == 5 {
                    // Longer than any name: `here` below cannot hold, the length is enough.
                    break;
                }
                run.push(c);
            }
            let Some(name) = (2..=run.len().min(4)).find_map(|k| {
                let name: String = run[..k].iter().rev().collect();
                // A boundary here: a non-Chinese character or 省 before the name; a line's
                // start only before a name of two characters ("根据淮安市" opens sentences).
                let here = k == run.len() && (more || k == 2);
                if name.starts_with(NOT_PREFECTURE_STARTS) {
                    return None;
                }
                let word = format!("{name}{end}");
                let ok = here
                    || *alone
                        .entry(word)
                        .or_insert_with_key(|w| stands_alone(w, lines));
                ok.then_some(name)
            }) else {
                continue;
            };
            let pref = format!("{name}{end}");
            if !found.iter().any(|(p, _)| *p == pref) {
                found.push((pref, i));
            }
        }
    }
    match found.as_slice() {
        [(pref, line)] => Some((format!("{pref}{agency}"), *line)),
        _ => None,
    }
}

/// `line` without its whitespace, when it can contain `name` (which has none); `None` when it
/// cannot: most lines lack even the name's first character, and are neither copied nor searched.
fn compact_with<'a>(line: &'a str, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    let first = name.chars().next()?;
    if !line.contains(first) {
        return None;
    }
    if crate::spaces::has_whitespace(line) {
        Some(line.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Some(std::borrow::Cow::Borrowed(line))
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Whether `word` occurs in the text after a non-Chinese character or a province (省), or at a
/// line's start when its name has two characters.
fn stands_alone(word: &str, lines: &[String]) -> bool {
    lines.iter().any(|line| {
        let Some(compact) = compact_with(line, word) else {
            return false;
        };
        compact.match_indices(word).any(|(pos, _)| {
            match compact[..pos].chars().last() {
                Some(c) => !is_han(c) || c == '省',
                // A line's start: only a name of two characters (see `with_prefecture`).
                None => word.chars().count() == 3,
            }
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

fn skip_spaces(c: &[char], mut i: usize) -> usize {
    while i < c.len() && c[i].is_whitespace() {
        i += 1;
    }
    i
}

/// A number at `i`: ASCII digits, Chinese digits read one by one ("二〇二五"), or a positional
/// Chinese number ("十二", "二十一"). Returns (value, length in chars, whether ASCII).
fn read_number(c: &[char], i: usize) -> Option<(u32, usize, bool)> {
    let first = *c.get(i)?;
    if first.is_ascii_digit() {
        let len = c[i..].iter().take_while(|x| x.is_ascii_digit()).count();
        if len > 4 {
            return None;
        }
        let v = c[i..i + len]
            .iter()
            .fold(0u32, |v, d| v * 10 + d.to_digit(10).unwrap_or(0));
        return Some((v, len, true));
    }
    let len = c[i..]
        .iter()
        .take_while(|x| crate::numerals::digit(**x).is_some() || crate::numerals::is_ten(**x))
        .count();
    if len == 0 || len > 4 {
        return None;
    }
    let run = &c[i..i + len];
    let value = if run.iter().any(|x| crate::numerals::is_ten(*x)) {
        crate::numerals::positional(run)?
    } else {
        run.iter()
            .try_fold(0u32, |v, x| Some(v * 10 + crate::numerals::digit(*x)?))?
    };
    Some((value, len, false))
}

/// "M月D日" at `i` (spaces allowed around the numbers): (month, day, end).
fn read_month_day(c: &[char], i: usize) -> Option<(u8, u8, usize)> {
    let (m, len, _) = read_number(c, i)?;
    let mut j = skip_spaces(c, i + len);
    if c.get(j) != Some(&MONTH_CHAR) {
        return None;
    }
    j = skip_spaces(c, j + 1);
    let (d, len, _) = read_number(c, j)?;
    j = skip_spaces(c, j + len);
    if !c.get(j).is_some_and(|x| DAY_CHARS.contains(x)) {
        return None;
    }
    let m = u8::try_from(m).ok()?;
    let d = u8::try_from(d).ok()?;
    Some((m, d, j + 1))
}

/// A full date at `i`: "2025年1月11日" (spaces allowed), "二〇二五年一月十一日", "2025-01-11".
fn read_date(c: &[char], i: usize) -> Option<(Date, usize)> {
    let (y, len, ascii) = read_number(c, i)?;
    if len != 4 || !(1990..=2100).contains(&y) {
        return None;
    }
    let year = y as i32;
    let after = i + len;
    // ISO-like: 2025-01-11, 2025/1/11, 2025.1.11 (ASCII digits only, no spaces).
    if ascii {
        if let Some(&sep) = c.get(after).filter(|x| ISO_SEPARATORS.contains(x)) {
            let (m, ml, m_ascii) = read_number(c, after + 1)?;
            if !m_ascii || ml > 2 || c.get(after + 1 + ml) != Some(&sep) {
                return None;
            }
            let ds = after + 2 + ml;
            let (d, dl, d_ascii) = read_number(c, ds)?;
            if !d_ascii || dl > 2 {
                return None;
            }
            let date = Date::new(year, u8::try_from(m).ok()?, u8::try_from(d).ok()?)?;
            return Some((date, ds + dl));
        }
    }
    let j = skip_spaces(c, after);
    if c.get(j) != Some(&YEAR_CHAR) {
        return None;
    }
    let j = skip_spaces(c, j + 1);
    let (m, d, end) = read_month_day(c, j)?;
    Some((Date::new(year, m, d)?, end))
}

/// Whether a number may start at `i` (not in the middle of another number).
fn number_boundary(c: &[char], i: usize) -> bool {
    is_numeral_char(c[i]) && (i == 0 || !is_numeral_char(c[i - 1]))
}

fn starts_with_at(c: &[char], i: usize, word: &str) -> Option<usize> {
    let mut j = i;
    for w in word.chars() {
        if c.get(j) != Some(&w) {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// A date range starting with the full date at `i`: "2024年1月1日起至2024年12月31日",
/// "2024 年 1 月 1 日至 12 月 31 日".
fn read_range(c: &[char], i: usize) -> Option<(Date, Date)> {
    let (start, mut j) = read_date(c, i)?;
    j = skip_spaces(c, j);
    // A connector ("起至", "至"), or "起", an optional comma, then a connector.
    let after = match catalogue::PERIOD_CONNECTORS
        .iter()
        .find_map(|w| starts_with_at(c, j, w))
    {
        Some(after) => after,
        None => {
            j = catalogue::PERIOD_START_SUFFIXES
                .iter()
                .find_map(|w| starts_with_at(c, j, w))?;
            j = skip_spaces(c, j);
            if matches!(c.get(j), Some('，' | ',')) {
                j = skip_spaces(c, j + 1);
            }
            catalogue::PERIOD_CONNECTORS
                .iter()
                .find_map(|w| starts_with_at(c, j, w))?
        }
    };
    let j = skip_spaces(c, after);
    if let Some((end, _)) = read_date(c, j) {
        return (end >= start).then_some((start, end));
    }
    let (m, d, _) = read_month_day(c, j)?;
    let end = Date::new(start.year, m, d)?;
    (end >= start).then_some((start, end))
}

/// The statistics period, and the 0-based line of a period keyword whose dates could not be
/// read (if any).
fn find_period(
    lines: &[String],
    preamble_end: usize,
) -> (Option<Sourced<(Date, Date)>>, Option<usize>) {
    let mut unreadable = None;
    for (i, line) in lines.iter().enumerate() {
        let Some(pos) = find_any(line, catalogue::PERIOD_KEYWORDS) else {
            continue;
        };
        // The range may wrap onto the next non-empty line.
        let mut c: Vec<char> = line[pos..].chars().take(PERIOD_SCAN_CHARS).collect();
        if c.len() < PERIOD_SCAN_CHARS {
            if let Some(next) = lines[i + 1..].iter().take(2).find(|l| !l.trim().is_empty()) {
                let room = PERIOD_SCAN_CHARS - c.len();
                c.extend(next.trim().chars().take(room));
            }
        }
        let found = (0..c.len().min(PERIOD_DATE_WINDOW))
            .filter(|&k| number_boundary(&c, k))
            .find_map(|k| read_range(&c, k));
        if let Some(range) = found {
            let column = line[..pos].chars().count() as u32 + 1;
            let span = Span {
                line: i as u32 + 1,
                column: Some(column),
                page: None,
            };
            return (Some(Sourced { value: range, span }), None);
        }
        unreadable.get_or_insert(i);
    }
    // No keyword: a bare range in the preamble ("2024年1月1日至2024年12月31日").
    for (i, line) in lines.iter().enumerate().take(preamble_end) {
        if !line.contains(YEAR_CHAR) {
            continue;
        }
        let c: Vec<char> = line.chars().collect();
        if let Some((k, range)) = (0..c.len())
            .filter(|&k| number_boundary(&c, k))
            .find_map(|k| read_range(&c, k).map(|r| (k, r)))
        {
            let span = Span {
                line: i as u32 + 1,
                column: Some(k as u32 + 1),
                page: None,
            };
            return (Some(Sourced { value: range, span }), None);
        }
    }
    (None, unreadable)
}

/// Whether the text before a date at the end of a line makes it a signature date.
fn signature_prefix(prefix: &[char]) -> bool {
    let s: String = prefix.iter().collect();
    let s = s.trim();
    if s.is_empty() {
        return true;
    }
    s.chars().count() <= MAX_SIGNATURE_PREFIX_CHARS
        && !s.contains(SIGNATURE_FORBIDDEN)
        && !s.chars().any(|c| c.is_ascii_digit())
        && !catalogue::BODY_DATE_PREFIXES.iter().any(|p| s.ends_with(p))
}

/// The publication date of a portal page or archive: a line before the first part that starts
/// with one of [`catalogue::PUBLISHED_PREFIXES`], then ':' or '：', then a date (a time may
/// follow: "发布时间: 2023-02-20 15:07").
fn find_page_published(lines: &[String], preamble_end: usize) -> Option<Sourced<Date>> {
    for (i, line) in lines.iter().enumerate().take(preamble_end.max(1)) {
        let t = line.trim_start();
        let Some(rest) = catalogue::PUBLISHED_PREFIXES
            .iter()
            .find_map(|p| t.strip_prefix(p))
        else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix([':', '：']) else {
            continue;
        };
        let c: Vec<char> = rest.chars().collect();
        let k = skip_spaces(&c, 0);
        if let Some((date, _)) = read_date(&c, k) {
            let col = line.chars().count() - c.len() + k;
            let span = Span {
                line: i as u32 + 1,
                column: Some(col as u32 + 1),
                page: None,
            };
            return Some(Sourced { value: date, span });
        }
    }
    None
}

/// The publication date: a date ending one of the last non-empty lines.
fn find_published(lines: &[String]) -> Option<Sourced<Date>> {
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().rev() {
        let t = line.trim_end();
        if t.trim_start().is_empty() {
            continue;
        }
        seen += 1;
        if seen > PUBLISHED_SEARCH_LINES {
            break;
        }
        if !t.ends_with(DAY_CHARS) && !t.ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let c: Vec<char> = t.chars().collect();
        for k in 0..c.len() {
            if !number_boundary(&c, k) {
                continue;
            }
            let Some((date, end)) = read_date(&c, k) else {
                continue;
            };
            if end == c.len() && signature_prefix(&c[..k]) {
                let span = Span {
                    line: i as u32 + 1,
                    column: Some(k as u32 + 1),
                    page: None,
                };
                return Some(Sourced { value: date, span });
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Contact
// ---------------------------------------------------------------------------------------------

/// A contact trigger in `line` followed by ':', a bracket or a digit: its byte position.
fn contact_trigger(line: &str) -> Option<usize> {
    find_any(line, catalogue::CONTACT_TRIGGERS)?;
    for t in catalogue::CONTACT_TRIGGERS {
        let mut from = 0;
        while let Some(p) = find_word(&line[from..], t) {
            let at = from + p;
            let mut after = line[at + t.len()..].trim_start();
            if let Some(rest) = catalogue::CONTACT_VALUE_LEADS
                .iter()
                .find_map(|w| after.strip_prefix(w))
            {
                after = rest.trim_start();
            }
            let ok = after
                .chars()
                .next()
                .is_some_and(|c| matches!(c, ':' | '：' | '（' | '(') || c.is_ascii_digit());
            if ok {
                return Some(at);
            }
            from = at + t.len();
        }
    }
    None
}

/// The contact fragment around the trigger at byte `at`.
fn contact_fragment(line: &str, at: usize) -> (usize, &str) {
    let sentence_start = line[..at].rfind(SENTENCE_ENDS).map_or(0, |p| {
        p + line[p..].chars().next().map_or(1, char::len_utf8)
    });
    // An unclosed bracket before the trigger: the fragment is the bracket.
    let mut open: Vec<usize> = Vec::new();
    for (p, c) in line[sentence_start..at].char_indices() {
        match c {
            '（' | '(' => open.push(sentence_start + p),
            '）' | ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    if let Some(&start) = open.last() {
        let end = line[at..]
            .find(['）', ')'])
            .map(|p| at + p + line[at + p..].chars().next().map_or(1, char::len_utf8))
            .or_else(|| line[at..].find(SENTENCE_ENDS).map(|p| at + p))
            .unwrap_or(line.len());
        return (start, line[start..end].trim());
    }
    let start = catalogue::CONTACT_STARTS
        .iter()
        .filter_map(|w| line[sentence_start..].find(w))
        .filter(|p| sentence_start + p <= at)
        .min()
        .map_or(at, |p| sentence_start + p);
    let end = line[at..]
        .find(SENTENCE_ENDS)
        .map_or(line.len(), |p| at + p);
    let text = line[start..end]
        .trim()
        .trim_end_matches(['，', ',', '、'])
        .trim_end();
    (start, text)
}

/// The contact details: in the preamble, else anywhere in the document.
fn find_contact(lines: &[String], preamble_end: usize) -> Option<Sourced<String>> {
    let preamble = lines.iter().enumerate().take(preamble_end);
    let rest = lines.iter().enumerate().skip(preamble_end);
    for (i, line) in preamble.chain(rest) {
        let Some(at) = contact_trigger(line) else {
            continue;
        };
        let (start, text) = contact_fragment(line, at);
        if text.is_empty() {
            continue;
        }
        let span = Span {
            line: i as u32 + 1,
            column: Some(line[..start].chars().count() as u32 + 1),
            page: None,
        };
        return Some(Sourced {
            value: text.to_string(),
            span,
        });
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The leftmost position of any of `words` in `hay`, word by word.
    fn find_any_reference(hay: &str, words: &[&str]) -> Option<usize> {
        words
            .iter()
            .filter(|w| !w.is_empty())
            .filter_map(|w| hay.find(w))
            .min()
    }

    #[test]
    fn find_any_finds_what_a_search_per_word_finds() {
        let lists: [&[&str]; 4] = [
            catalogue::PERIOD_KEYWORDS,
            catalogue::CONTACT_TRIGGERS,
            &["电话", "联系电话", "话"],
            &["统计", "计期", "统"],
        ];
        let pieces = [
            "统", "计", "期", "限", "联", "系", "电", "话", "咨", "询", " ", "a",
        ];
        let hays = crate::every_string_of(&pieces, 5);
        for hay in &hays {
            for words in lists {
                assert_eq!(
                    find_any(hay, words),
                    find_any_reference(hay, words),
                    "{hay:?}"
                );
            }
        }
        let n = hays.len() * lists.len();
        assert!(n > 100_000);
    }

    fn lines(text: &str) -> Vec<String> {
        text.split('\n')
            .map(crate::decode::normalize_line)
            .collect()
    }

    fn meta_of(text: &str) -> (Meta, Vec<Finding>) {
        let l = lines(text);
        let s = crate::sections::split(&l);
        read(&l, &s)
    }

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn rules(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.rule).collect()
    }

    /// Issue 12's name: the title says "洪泽区人民政府", the text "淮安市洪泽区": the agency is
    /// 淮安市洪泽区人民政府, `agency_printed` stays as printed, an info finding says so.
    #[test]
    fn a_county_agency_gains_its_prefecture_from_the_text() {
        let (m, f) = meta_of(
            "洪泽区人民政府2022年政府信息公开工作年度报告\n\
             本报告根据《中华人民共和国政府信息公开条例》编制。\n\
             一、总体情况\n\
             2022年，淮安市洪泽区人民政府深入贯彻落实政务公开工作要求。",
        );
        assert_eq!(m.agency.as_deref(), Some("淮安市洪泽区人民政府"));
        assert_eq!(m.agency_printed.as_deref(), Some("洪泽区人民政府"));
        let found: Vec<&Finding> = f.iter().filter(|f| f.rule == AGENCY_PREFECTURE).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].spans[0].line, 4);
        assert!(found[0].message.contains("“淮安市洪泽区人民政府”"));
    }

    /// No completion when the text names the county after no prefecture that stands as a word
    /// ("根据淮安市…" could be 根据淮安市 or 淮安市 to a reader without a gazetteer), after two
    /// different ones, or when the name already has its prefecture.
    #[test]
    fn a_county_agency_is_left_as_printed_when_the_text_is_not_clear() {
        let (m, f) = meta_of(
            "洪泽区人民政府2022年政府信息公开工作年度报告\n\
             根据淮安市洪泽区的安排，开展工作。",
        );
        assert_eq!(m.agency.as_deref(), Some("洪泽区人民政府"));
        assert!(!rules(&f).contains(&AGENCY_PREFECTURE));
        let (m, _) = meta_of(
            "洪泽区人民政府2022年政府信息公开工作年度报告\n\
             淮安市洪泽区人民政府。\n\
             扬州市洪泽区。",
        );
        assert_eq!(m.agency.as_deref(), Some("洪泽区人民政府"));
        let (m, _) = meta_of(
            "淮安市洪泽区人民政府2022年政府信息公开工作年度报告\n\
             江苏省淮安市洪泽区。",
        );
        assert_eq!(m.agency.as_deref(), Some("淮安市洪泽区人民政府"));
        assert_eq!(m.agency_printed.as_deref(), Some("淮安市洪泽区人民政府"));
        // A province before the prefecture ends its name.
        let (m, _) = meta_of(
            "洪泽区人民政府2022年政府信息公开工作年度报告\n\
             位于江苏省淮安市洪泽区。",
        );
        assert_eq!(m.agency.as_deref(), Some("淮安市洪泽区人民政府"));
    }

    #[test]
    fn title_on_one_line_with_spaces() {
        let (m, f) = meta_of(
            "\n\n昌乐县知识产权事业发展中心 2024 年政府 信息公开工作年度报告\n\n一、总体情况\n正文",
        );
        let t = m.title.unwrap();
        assert_eq!(
            t.value,
            "昌乐县知识产权事业发展中心 2024 年政府 信息公开工作年度报告"
        );
        assert_eq!(t.span.line, 3);
        assert_eq!(
            m.agency_printed.as_deref(),
            Some("昌乐县知识产权事业发展中心")
        );
        assert_eq!(m.agency.as_deref(), Some("昌乐县知识产权事业发展中心"));
        assert_eq!(m.year, Some(2024));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn title_without_spaces() {
        let (m, _) = meta_of("广州开发区知识产权局2023年政府信息公开工作年度报告\n一、总体情况");
        assert_eq!(m.agency.as_deref(), Some("广州开发区知识产权局"));
        assert_eq!(m.year, Some(2023));
    }

    #[test]
    fn agency_wrapped_over_two_lines_above_the_title() {
        // The DOCX writer breaks a long title into three lines.
        let lines: Vec<String> = [
            "洛阳高新技术产业开发区",
            "知识产权事业发展中心",
            "2022年政府信息公开工作年度报告",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (title, first) = find_title(&lines, lines.len()).unwrap();
        assert_eq!(
            title,
            "洛阳高新技术产业开发区知识产权事业发展中心2022年政府信息公开工作年度报告"
        );
        assert_eq!(first, 0);
        // A line above that is itself a whole name (a page header) is not joined.
        let lines: Vec<String> = [
            "某市人民政府办公室",
            "某市财政局",
            "2022年政府信息公开工作年度报告",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (title, first) = find_title(&lines, lines.len()).unwrap();
        assert_eq!(title, "某市财政局2022年政府信息公开工作年度报告");
        assert_eq!(first, 1);
    }

    #[test]
    fn title_wrapped_over_two_lines() {
        let (m, _) = meta_of("济宁高新区科技创新局2024年政府信息\n公开工作年度报告\n\n本报告由……编制。\n一、总体情况");
        let t = m.title.unwrap();
        assert_eq!(
            t.value,
            "济宁高新区科技创新局2024年政府信息公开工作年度报告"
        );
        assert_eq!(t.span.line, 1);
        assert_eq!(m.agency.as_deref(), Some("济宁高新区科技创新局"));
        assert_eq!(m.year, Some(2024));

        // Agency on its own line, then the year line.
        let (m, _) = meta_of("\n昌乐县知识产权保护中心\n2020年政府信息公开工作年度报告\n\n正文。");
        assert_eq!(
            m.title.as_ref().unwrap().value,
            "昌乐县知识产权保护中心2020年政府信息公开工作年度报告"
        );
        assert_eq!(m.title.unwrap().span.line, 2);
        assert_eq!(m.agency.as_deref(), Some("昌乐县知识产权保护中心"));
        assert_eq!(m.year, Some(2020));
    }

    #[test]
    fn title_with_year_first_artefact_and_abbreviation() {
        let (m, f) = meta_of("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n根据《条例》的要求，市科委编制了报告。");
        let t = m.title.unwrap();
        assert_eq!(t.value, "2024 年上海市科委政府信息公开工作年度报告");
        assert_eq!(t.span.line, 2);
        assert_eq!(m.agency_printed.as_deref(), Some("上海市科委"));
        assert_eq!(m.agency.as_deref(), Some("上海市科学技术委员会"));
        assert_eq!(m.year, Some(2024));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn publication_date_from_the_page_header() {
        // The header of the archived page of pingtan-2022-flattened.txt; the report's end prints
        // no date.
        let (m, f) = meta_of(
            "标题: 平潭综合实验区2022年度政府信息公开工作年度报告\n发布时间: 2023-02-20 15:07\n文号: \n==================== 正文 ====================\n一、总体情况\n2022年，无收取信息处理费情况。\n",
        );
        let p = m.published.unwrap();
        assert_eq!(p.value, Date::new(2023, 2, 20).unwrap());
        assert_eq!(p.span.line, 2);
        assert!(f.iter().any(|f| f.rule == "READ-PUBLISHED-FROM-PAGE"));
        // A date at the end wins over the page's.
        let (m, _) = meta_of("标题: 某局2022年政府信息公开工作年度报告\n发布日期：2023-03-01\n一、总体情况\n正文。\n某局\n2023年1月20日\n");
        assert_eq!(m.published.unwrap().value, Date::new(2023, 1, 20).unwrap());
        // Not a header line: ignored.
        let (m, _) = meta_of("标题: 某局2022年政府信息公开工作年度报告\n一、总体情况\n本局发布时间: 2023-03-01 的通知。\n");
        assert!(m.published.is_none());
    }

    #[test]
    fn title_after_a_prefix() {
        let (m, _) = meta_of(
            "标题: 平潭综合实验区2017年度政府信息公开工作年度报告\n发布时间: 2018-01-23 08:51\n",
        );
        assert_eq!(
            m.title.unwrap().value,
            "平潭综合实验区2017年度政府信息公开工作年度报告"
        );
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区"));
        assert_eq!(m.year, Some(2017));
    }

    #[test]
    fn abbreviations_expand_once() {
        assert_eq!(expand_abbreviations("上海市科委"), "上海市科学技术委员会");
        assert_eq!(expand_abbreviations("某市发改委"), "某市发展和改革委员会");
        assert_eq!(
            expand_abbreviations("上海市科学技术委员会"),
            "上海市科学技术委员会"
        );
        assert_eq!(expand_abbreviations("某区卫健局"), "某区卫生健康局");
    }

    #[test]
    fn missing_title_and_year_are_findings() {
        let (m, f) = meta_of("- 4 -\n信息内容 本年处理决定数量\n行政处罚 3985758");
        assert_eq!(m.title, None);
        assert_eq!(m.year, None);
        assert_eq!(rules(&f), vec!["READ-NO-TITLE", "READ-NO-YEAR"]);
        assert!(f.iter().all(|x| x.rule.starts_with("READ-")));
    }

    #[test]
    fn year_falls_back_to_the_period() {
        let (m, f) = meta_of("说明\n本报告所列数据统计期限为2024年1月1日至2024年12月31日。");
        assert_eq!(m.year, Some(2024));
        assert_eq!(rules(&f), vec!["READ-NO-TITLE", "READ-YEAR-FROM-PERIOD"]);
    }

    #[test]
    fn period_variants() {
        let cases = [
            "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。",
            "本报告中所列数据的统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。",
            "统计期限为2024年1月1日至2024年12月31日。",
            "本年度报告中所列数据的统计周期为 2024 年 1 月 1 日至 12 月 31 日。",
            "统计期限自2024年1月1日起，至2024年12月31日止。",
            "统计期限为二〇二四年一月一日至十二月三十一日。",
        ];
        for c in cases {
            let (m, _) = meta_of(&format!(
                "某局2024年政府信息公开工作年度报告\n{c}\n一、总体情况"
            ));
            let p = m.period.unwrap_or_else(|| panic!("no period in {c}"));
            assert_eq!(p.value, (date(2024, 1, 1), date(2024, 12, 31)), "{c}");
            assert_eq!(p.span.line, 2);
        }
        // Wrapped across two lines.
        let (m, _) = meta_of("本年度报告中所列数据的统计周期\n为 2024 年 1 月 1 日至 12 月 31 日。年度报告电子版可以下载。");
        assert_eq!(
            m.period.unwrap().value,
            (date(2024, 1, 1), date(2024, 12, 31))
        );
        // A keyword without a readable range.
        let (m, f) = meta_of("某局2024年政府信息公开工作年度报告\n统计期限为本年度。");
        assert_eq!(m.period, None);
        assert!(rules(&f).contains(&"READ-PERIOD-UNREADABLE"));
    }

    #[test]
    fn published_date_at_the_end() {
        let body = "某局2024年政府信息公开工作年度报告\n一、总体情况\n截至 2024 年 12 月 31 日，发布信息 8 条。\n六、其他需要报告的事项\n无。\n";
        let cases = [
            ("某局\n\n2025年1月11日\n", date(2025, 1, 11)),
            (
                "                           昌乐县知识产权保护中心 2021年1月22日\n",
                date(2021, 1, 22),
            ),
            ("2025-01-11", date(2025, 1, 11)),
            ("某局\n2025 年 1 月 11 日", date(2025, 1, 11)),
            ("某局\n二〇二五年一月十一日", date(2025, 1, 11)),
            ("某局\n二〇二五年十二月二十一日\n\n", date(2025, 12, 21)),
        ];
        for (tail, expected) in cases {
            let (m, _) = meta_of(&format!("{body}{tail}"));
            let p = m.published.unwrap_or_else(|| panic!("no date in {tail:?}"));
            assert_eq!(p.value, expected, "{tail:?}");
        }
        let (m, _) = meta_of(
            "某局2024年政府信息公开工作年度报告\n一、总体情况\n正文\n截至 2024 年 12 月 31 日",
        );
        assert_eq!(m.published, None);
        let (m, _) = meta_of("某局2024年报\n本报告所列数据统计期限为2024年1月1日至2024年12月31日");
        assert_eq!(m.published, None);
        let (m, _) = meta_of("某局2024年报\n我局于2025年1月10日完成了报告编制。");
        assert_eq!(m.published, None);
        // A date in the body, far from the end, is never taken.
        let mut text = String::from("某局2024年报\n2025年1月11日\n");
        for _ in 0..10 {
            text.push_str("正文。\n");
        }
        assert_eq!(meta_of(&text).0.published, None);
        assert_eq!(
            meta_of(&format!("{body}某局\n2025年2月30日")).0.published,
            None
        );
    }

    #[test]
    fn preamble_lines_as_printed_after_the_title_and_an_archive_header() {
        let (m, _) = meta_of(
            "标题: 某县2024年度\n政府信息公开工作年度报告\n发布时间: 2025-01-02\n==== 正文 ====\n根据《条例》，编制本报告。\n- 1 -\n[image: ]\n联系电话：0536-6270236。\n一、总体情况\n正文。",
        );
        assert_eq!(
            m.preamble,
            ["根据《条例》，编制本报告。", "联系电话：0536-6270236。"]
        );
        // Without any part: every line after the title.
        let (m, _) =
            meta_of("某县2017年度政府信息公开工作年度报告\n一段正文，没有标准的六个部分。");
        assert_eq!(m.preamble, ["一段正文，没有标准的六个部分。"]);
    }

    #[test]
    fn contact_fragments() {
        let (m, _) = meta_of("某局2024年报\n如对本报告有疑问，请联系昌乐县知识产权事业发展中心办公室，联系电话：0536-6270236。\n一、总体情况");
        let c = m.contact.unwrap();
        assert_eq!(c.value, "联系电话：0536-6270236");
        assert_eq!(c.span.line, 2);
        let (m, _) = meta_of("某局2024年报\n如对本报告有疑问，请与济宁高新区科技创新局联系（济宁高新区海川路产学研基地T2栋10楼，联系电话：0537-3255911）。\n一、总体情况");
        assert_eq!(
            m.contact.unwrap().value,
            "（济宁高新区海川路产学研基地T2栋10楼，联系电话：0537-3255911）"
        );
        let (m, _) =
            meta_of("某局2024年报\n联系地址：某市某路1号，邮编：100000，联系电话：010-12345678。");
        assert_eq!(
            m.contact.unwrap().value,
            "联系地址：某市某路1号，邮编：100000，联系电话：010-12345678"
        );
        let (m, _) = meta_of("某局2024年报\n一、总体情况\n召开电话会议2次。");
        assert_eq!(m.contact, None);
    }

    #[test]
    fn numbers_in_chinese_numerals() {
        let c: Vec<char> = "二〇二五年十二月二十一日".chars().collect();
        assert_eq!(read_number(&c, 0), Some((2025, 4, false)));
        assert_eq!(read_date(&c, 0), Some((date(2025, 12, 21), c.len())));
        let c: Vec<char> = "十月".chars().collect();
        assert_eq!(read_number(&c, 0), Some((10, 1, false)));
        let c: Vec<char> = "2024年13月1日".chars().collect();
        assert_eq!(read_date(&c, 0), None);
    }

    use crate::test_corpus::corpus;

    fn corpus_meta(rel: &str) -> Option<Meta> {
        let l = corpus(rel)?;
        let s = crate::sections::split(&l);
        Some(read(&l, &s).0)
    }

    #[test]
    fn corpus_matches_truth_metadata() {
        let files = [
            ("000_e9af0cc230bbb8d9", "seeds/000_e9af0cc230bbb8d9.txt"),
            ("001_d63c2d2dcd347229", "seeds/001_d63c2d2dcd347229.txt"),
            ("002_34c254d3798047bd", "seeds/002_34c254d3798047bd.txt"),
            ("003_3dd38cd922b2f941", "seeds/003_3dd38cd922b2f941.txt"),
            ("004_12d51352752dc67b", "seeds/004_12d51352752dc67b.txt"),
            ("shanghai-stcsm-2024", "real/shanghai-stcsm-2024.md"),
        ];
        for (truth, file) in files {
            let Some(m) = corpus_meta(file) else { continue };
            let Some(raw) = corpus(&format!("truth/{truth}.json")) else {
                continue;
            };
            let json: serde_json::Value = serde_json::from_str(&raw.join("\n")).unwrap();
            let expected = &json["meta"];
            assert_eq!(m.agency.as_deref(), expected["agency"].as_str(), "{file}");
            assert_eq!(m.year.map(i64::from), expected["year"].as_i64(), "{file}");
            let published = m.published.as_ref().map(|p| p.value.to_string());
            assert_eq!(
                published.as_deref(),
                expected["published"].as_str(),
                "{file}"
            );
            assert!(m.title.is_some(), "{file}");
        }
        if let Some(m) = corpus_meta("seeds/000_e9af0cc230bbb8d9.txt") {
            assert_eq!(m.published.unwrap().span.line, 115);
            assert_eq!(
                m.period.unwrap().value,
                (date(2024, 1, 1), date(2024, 12, 31))
            );
            assert_eq!(m.contact.unwrap().value, "联系电话：0536-6270236");
        }
        if let Some(m) = corpus_meta("seeds/003_3dd38cd922b2f941.txt") {
            assert_eq!(
                m.title.unwrap().value,
                "济宁高新区科技创新局2024年政府信息公开工作年度报告"
            );
            assert_eq!(
                m.contact.unwrap().value,
                "（济宁高新区海川路产学研基地T2栋10楼，联系电话：0537-3255911）"
            );
        }
        if let Some(m) = corpus_meta("real/shanghai-stcsm-2024.md") {
            assert_eq!(m.agency_printed.as_deref(), Some("上海市科委"));
            assert_eq!(m.title.unwrap().span.line, 2);
            assert_eq!(
                m.period.unwrap().value,
                (date(2024, 1, 1), date(2024, 12, 31))
            );
        }
        if let Some(m) = corpus_meta("real/pingtan-2017-legacy.txt") {
            assert_eq!(m.agency.as_deref(), Some("平潭综合实验区"));
            assert_eq!(m.year, Some(2017));
            // The report's end prints no date; the archived page's header line 2 says
            // "发布时间: 2018-01-23 08:51".
            let p = m.published.unwrap();
            assert_eq!(p.value, date(2018, 1, 23));
            assert_eq!(p.span.line, 2);
        }
        if let Some(m) = corpus_meta("real/huaian-city-2024-excerpt.txt") {
            // The excerpt has no title; the truth's 淮安市人民政府 needs the PDF.
            assert_eq!(m.title, None);
            assert_eq!(m.agency, None);
        }
    }
}
