//! The narrative against the tables (rules.md §4.1 #6, §4.2 #10, §4.5 #20; §5 D8).
//!
//! Numbers are read from the text of parts 一, 三 and 四 (where reports state them; part 一 of a
//! report with a non-standard outline holds its whole narrative), and only where the phrase is
//! unambiguous:
//! * a keyword of the catalogue, then only the catalogue's filler words
//!   ([`TEXT_COUNT_FILLERS`]), then the number and its unit: `收到` + `政府信息公开申请` + `34件`;
//! * not preceded in its clause by a word of another period ("上年", "同比", another year);
//! * outside the part of its table, only in a sentence about disclosure
//!   ([`TEXT_DISCLOSURE_CONTEXT`]): "政务服务中心全年受理申请12000件" is not read.
//!
//! Each count is compared with the 总计 column of the row it names: 收到/受理 → 一 (or 一 + 二),
//! 办理 → the year's workload 一 + 二 (TEXT-WORKLOAD; 一 or （七）总计 also accepted, since reports
//! say 办理 of either), 办结/答复/办理完成 → （七）总计, 上年结转 → 二, 结转下年度/结转至{next
//! year}年/a plain 结转 after the year's outcomes → 四. A number that cannot be tied to one of them
//! is not read: "（含结转2件）", "结转下年度继续办理" for 办理, "按时办结" beside late ones, counts of
//! documents by disclosure attribute ("主动公开49件，依申请公开316件").
//!
//! Breakdowns (TEXT-SUBTOTALS) are added up only when they claim to be complete (分别为, or a
//! residual 其他/其余 item). Part 六's fee statements are recognised by [`crate::fees`].
//!
//! Everything else in the text is left alone: a missed statement costs nothing, a wrong finding
//! costs the user's trust. Each rule reports a stated value once.
//!
//! The text is matched with its whitespace removed (a PDF wraps sentences anywhere); table cells
//! that appear in a part's text (tabs, pipes, spaces between numbers) become separators, so they
//! never read as a sentence.

use xxgk_model::catalogue::{
    APPLICANT_SUFFIX, APPLICATION_WORD, CHINESE_NUMERALS, FEE_NOTICE_KEYWORDS, LITIGATION_HEADER,
    REVIEW_HEADER, TEXT_ACTIVE_ATTRIBUTE, TEXT_ALL_HANDLED, TEXT_APPEAL_OUTCOME_WORDS,
    TEXT_APPLICATION_NOUNS, TEXT_CARRIED_FORWARD_KEYWORDS, TEXT_CARRIED_FORWARD_TO_YEAR,
    TEXT_CARRIED_OVER_KEYWORDS, TEXT_CARRIED_PLAIN, TEXT_CARRIED_PLAIN_NOT_BEFORE, TEXT_CASE_UNITS,
    TEXT_COMBINING_CHARS, TEXT_COUNT_FILLERS, TEXT_DISCLOSURE_CONTEXT, TEXT_GAP_STOP_WORDS,
    TEXT_HANDLED_KEYWORDS, TEXT_HANDLED_QUALIFIERS, TEXT_LATE_WORDS, TEXT_LIST_UNITS,
    TEXT_NEGATION_CHARS, TEXT_NONE_RECEIVED, TEXT_NO_APPEAL_NEGATIONS, TEXT_ON_TIME_WORDS,
    TEXT_OTHER_PERIOD_MARKERS, TEXT_OUTCOME_WORDS, TEXT_RECEIVED_KEYWORDS, TEXT_REQUEST_ATTRIBUTE,
    TEXT_REQUEST_UNITS, TEXT_SUBTOTAL_COMPLETE, TEXT_SUBTOTAL_INTRO, TEXT_SUBTOTAL_NOT_RESIDUAL,
    TEXT_SUBTOTAL_PARTIAL, TEXT_SUBTOTAL_RESIDUAL, TEXT_SUBTOTAL_RESIDUAL_LEAD,
    TEXT_WORKLOAD_KEYWORDS, TEXT_WORKLOAD_NOT_BEFORE,
};
use xxgk_model::{CellId, Finding, Report, Section, Span, TableId};

use crate::dates::year_in;
use crate::emit::{
    cell_id, cell_name, count, finding, part_name, push_span, show, with_cells, Cells, Exact,
};
use crate::structure::{compact, section};
use crate::tables::outcome_rows;

/// The parts whose text states the numbers of the tables.
const NARRATIVE_PARTS: [u8; 3] = [1, 3, 4];

/// The part that prints table 三 (its text needs no disclosure context).
const REQUESTS_PART: u8 = 3;
/// The part that prints table 四.
const APPEALS_PART: u8 = 4;

/// Characters that end a clause.
const CLAUSE_BREAKS: &[char] = &[
    '，', '。', '；', ',', ';', '|', '！', '？', '!', '?', '：', ':',
];
/// Characters that end a sentence (the end of a breakdown list).
const SENTENCE_ENDS: &[char] = &['。', '|', '！', '？', '!', '?'];
/// The longest clause looked at around a keyword (bounds the work on text without punctuation).
const MAX_CLAUSE_CHARS: usize = 200;
/// The longest sentence (or breakdown list) looked at.
const MAX_SENTENCE_CHARS: usize = 600;
/// How far before a keyword the other-period markers are looked for.
const GUARD_CHARS: usize = 10;
/// How far after a negation the object of "未收到…申请" is looked for.
const NONE_RECEIVED_WINDOW: usize = 16;
/// How far after a negation "行政复议" / "行政诉讼" are looked for.
const NO_APPEAL_WINDOW: usize = 40;
/// How many characters may separate a carried-forward keyword and its number.
const CARRIED_FORWARD_GAP: usize = 12;
/// How many characters may stand between a keyword and an application noun.
const NOUN_GAP: usize = 30;
/// How far before a handled keyword a qualifier makes it one outcome.
const QUALIFIER_CHARS: usize = 4;

/// A part's text, normalized, with the source line of every character.
///
/// The normalized text is kept twice: as characters (positions are character indices, so
/// windows such as "10 characters before" mean characters) and as a string with the byte offset
/// of every character, so that keyword search runs over bytes (`memchr::memmem`) and slices are
/// borrowed, not built.
struct Text<'a> {
    section: &'a Section,
    chars: Vec<char>,
    text: String,
    /// Byte offset in `text` of every character.
    starts: Vec<u32>,
    /// For every line break of the part's text, the index of the first character after it.
    breaks: Vec<u32>,
}

impl<'a> Text<'a> {
    /// Normalize a part's text. The body's last line is `end_line`; lines are counted back from
    /// there (the reader trims leading blank lines of the body, never inner ones).
    fn new(section: &'a Section) -> Text<'a> {
        let src = section.text.as_str();
        let mut chars: Vec<char> = Vec::with_capacity(src.len() / 2);
        let mut text = String::with_capacity(src.len());
        let mut starts: Vec<u32> = Vec::with_capacity(src.len() / 2);
        let mut breaks: Vec<u32> = Vec::new();
        // Characters kept as they are (most of a Chinese text) are copied to `text` a run at a
        // time: `run` is the byte offset in `src` where the pending run starts.
        let mut run: Option<usize> = None;
        let offset = |text: &String, run: Option<usize>, at: usize| {
            u32::try_from(text.len() + run.map_or(0, |r| at - r)).unwrap_or(u32::MAX)
        };
        // Whitespace between two digits separates cells. Whether a digit follows is decided
        // once per whitespace run.
        let mut digit_follows: Option<bool> = None;
        let mut iter = src.char_indices().peekable();
        let mut line_start = true;
        while let Some((at, c)) = iter.next() {
            // The common case, a Chinese character or punctuation above U+3000 (the ideographic
            // space) other than a full-width digit, inside a line: kept as it is.
            if !line_start && c > '\u{3000}' && !('０'..='９').contains(&c) {
                digit_follows = None;
                starts.push(offset(&text, run, at));
                chars.push(c);
                run.get_or_insert(at);
                continue;
            }
            if let Some(r) = run.take() {
                text.push_str(&src[r..at]);
            }
            if line_start && is_table_row(&src[at..]) {
                // A printed table row (tab-separated cells, a pipe row) is never a sentence:
                // one separator stands for it, and its characters are not looked at.
                if chars.last() != Some(&'|') {
                    chars.push('|');
                    starts.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
                    text.push('|');
                }
                while iter.next_if(|(_, n)| *n != '\n').is_some() {}
                digit_follows = None;
                continue;
            }
            line_start = c == '\n';
            if c == '\n' {
                breaks.push(u32::try_from(chars.len()).unwrap_or(u32::MAX));
            }
            let c = match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                _ => c,
            };
            let prev_digit = chars.last().is_some_and(char::is_ascii_digit);
            let out = match c {
                '\t' | '|' => Some('|'),
                c if c.is_whitespace() => {
                    let follows = prev_digit
                        && *digit_follows.get_or_insert_with(|| {
                            src[at..]
                                .chars()
                                .find(|n| !n.is_whitespace())
                                .is_some_and(|n| n.is_ascii_digit() || ('０'..='９').contains(&n))
                        });
                    follows.then_some('|')
                }
                ',' if prev_digit && iter.peek().is_some_and(|(_, n)| n.is_ascii_digit()) => None,
                c => Some(c),
            };
            if !c.is_whitespace() {
                digit_follows = None;
            }
            if let Some(o) = out {
                chars.push(o);
                starts.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
                text.push(o);
            }
        }
        if let Some(r) = run {
            text.push_str(&src[r..]);
        }
        Text {
            section,
            chars,
            text,
            starts,
            breaks,
        }
    }

    /// The source line of character `i`.
    fn line(&self, i: usize) -> u32 {
        let before = self.breaks.partition_point(|&b| b as usize <= i);
        let after = self.breaks.len() - before;
        self.section
            .end_line
            .saturating_sub(u32::try_from(after).unwrap_or(u32::MAX))
    }

    fn at(&self, i: usize, s: &str) -> bool {
        (i..)
            .zip(s.chars())
            .all(|(k, c)| self.chars.get(k) == Some(&c))
    }

    /// Positions (character indices) where `s` starts.
    fn find_all(&self, s: &str) -> Vec<usize> {
        if s.is_empty() {
            return (0..self.chars.len()).collect();
        }
        memchr::memmem::find_iter(self.text.as_bytes(), s.as_bytes())
            .filter_map(|b| {
                let b = u32::try_from(b).ok()?;
                self.starts.binary_search(&b).ok()
            })
            .collect()
    }

    /// The end of the longest of `words` at `i`.
    fn word_at(&self, i: usize, words: &[&str]) -> Option<usize> {
        words
            .iter()
            .filter(|w| self.at(i, w))
            .map(|w| i + w.chars().count())
            .max()
    }

    /// Skip filler words from `i`.
    fn skip_fillers(&self, mut i: usize) -> usize {
        while let Some(e) = self.word_at(i, TEXT_COUNT_FILLERS) {
            i = e;
        }
        i
    }

    /// "(words) 政府信息公开申请" from `from`: the end of the first application noun
    /// ([`TEXT_APPLICATION_NOUNS`]) within [`NOUN_GAP`] characters of the clause, when the words
    /// before it hold no digit and no word of [`TEXT_GAP_STOP_WORDS`] or another period.
    fn through_noun(&self, from: usize) -> Option<usize> {
        let ceiling = self.chars.len().min(from + NOUN_GAP);
        for k in from..ceiling {
            let c = self.chars[k];
            if CLAUSE_BREAKS.contains(&c) || c.is_ascii_digit() {
                return None;
            }
            let Some(end) = self.word_at(k, TEXT_APPLICATION_NOUNS) else {
                continue;
            };
            let gap = self.slice(from, k);
            let stopped = TEXT_GAP_STOP_WORDS
                .iter()
                .chain(TEXT_OTHER_PERIOD_MARKERS)
                .any(|w| gap.contains(w));
            return (!stopped && !self.at(end, APPLICANT_SUFFIX)).then_some(end);
        }
        None
    }

    /// An integer starting at `i` (not a decimal, not the tail of a longer number) and its end.
    fn int_at(&self, i: usize) -> Option<(i64, usize)> {
        if i > 0 && self.chars.get(i - 1).is_some_and(char::is_ascii_digit) {
            return None;
        }
        let mut e = i;
        while self.chars.get(e).is_some_and(char::is_ascii_digit) {
            e += 1;
        }
        if e == i || e - i > 15 {
            return None;
        }
        if self.chars.get(e) == Some(&'.')
            && self.chars.get(e + 1).is_some_and(char::is_ascii_digit)
        {
            return None;
        }
        let s: String = self.chars[i..e].iter().collect();
        s.parse().ok().map(|v| (v, e))
    }

    /// An integer and a unit of `units` at `i`: (value, end of the unit).
    fn count_at(&self, i: usize, units: &[&str]) -> Option<(i64, usize)> {
        let (v, e) = self.int_at(i)?;
        self.word_at(e, units).map(|end| (v, end))
    }

    /// The start of the clause around `i`.
    fn clause_start(&self, i: usize) -> usize {
        self.clause_start_within(i, MAX_CLAUSE_CHARS)
    }

    /// The start of the clause around `i`, at most `limit` characters before it.
    fn clause_start_within(&self, i: usize, limit: usize) -> usize {
        let i = i.min(self.chars.len());
        let floor = i.saturating_sub(limit);
        (floor..i)
            .rev()
            .find(|k| CLAUSE_BREAKS.contains(&self.chars[*k]))
            .map_or(floor, |k| k + 1)
    }

    /// The end of the clause that contains `i`.
    fn clause_end(&self, i: usize) -> usize {
        let ceiling = self.chars.len().min(i.saturating_add(MAX_CLAUSE_CHARS));
        (i..ceiling)
            .find(|k| CLAUSE_BREAKS.contains(&self.chars[*k]))
            .unwrap_or(ceiling)
    }

    /// The text of characters `a..b` (clamped to the text).
    fn slice(&self, a: usize, b: usize) -> &str {
        let byte = |i: usize| self.starts.get(i).map_or(self.text.len(), |&o| o as usize);
        let b = b.min(self.chars.len());
        let a = a.min(b);
        self.text.get(byte(a)..byte(b)).unwrap_or("")
    }

    /// Whether the statement at `i` is about information disclosure: it is in `home` (the part
    /// of the table it is compared with), or its sentence contains a word of
    /// [`TEXT_DISCLOSURE_CONTEXT`].
    fn about_disclosure(&self, i: usize, home: u8) -> bool {
        if self.section.part == home {
            return true;
        }
        let sentence = self.sentence_around(i);
        TEXT_DISCLOSURE_CONTEXT.iter().any(|w| sentence.contains(w))
    }

    /// The sentence around `i` (at most [`MAX_SENTENCE_CHARS`] either side).
    fn sentence_around(&self, i: usize) -> &str {
        let i = i.min(self.chars.len());
        let floor = i.saturating_sub(MAX_SENTENCE_CHARS);
        let ceiling = self.chars.len().min(i + MAX_SENTENCE_CHARS);
        let start = (floor..i)
            .rev()
            .find(|k| SENTENCE_ENDS.contains(&self.chars[*k]))
            .map_or(floor, |k| k + 1);
        let end = (i..ceiling)
            .find(|k| SENTENCE_ENDS.contains(&self.chars[*k]))
            .unwrap_or(ceiling);
        self.slice(start, end)
    }

    /// Whether the clause before `i` speaks of another period ("上年", "同比", another year).
    fn other_period_before(&self, i: usize, year: Option<i32>) -> bool {
        let start = self.clause_start_within(i, GUARD_CHARS);
        let before = self.slice(start, i);
        TEXT_OTHER_PERIOD_MARKERS.iter().any(|m| before.contains(m))
            || year.is_some_and(|y| year_in(before).is_some_and(|b| b != y))
    }

    /// A quotation of the text from the start of its clause (at most a few characters before
    /// `a`) to `b`.
    fn quote(&self, a: usize, b: usize) -> String {
        let start = self.clause_start_within(a, GUARD_CHARS);
        let s = self.slice(start, b);
        if s.chars().count() > 60 {
            let head: String = s.chars().take(58).collect();
            format!("{head}…")
        } else {
            s.to_string()
        }
    }

    fn span(&self, i: usize) -> Span {
        if i < self.chars.len() {
            Span::line(self.line(i))
        } else {
            Span::line(self.section.line)
        }
    }
}

/// Whether the line starting `rest` prints a table row: cells separated by tabs after its first
/// cell, or a Markdown pipe row. (A single leading tab is a Word indent or one cell per line.)
fn is_table_row(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or("");
    let body = line.trim_start_matches(['\t', ' ', '\u{3000}']);
    body.starts_with('|') || body.trim_end_matches(['\t', '\r', ' ']).contains('\t')
}

/// A number the text states.
struct Stated {
    value: i64,
    /// Where the phrase starts and ends.
    start: usize,
    end: usize,
}

/// "KEYWORD (fillers) N UNIT", or "KEYWORD (words) 政府信息公开申请 (fillers) N UNIT"
/// ([`Text::through_noun`]); not when the keyword is the second member of a combined count
/// ("新收和上年结转…共48件").
fn counts_after(t: &Text, keywords: &[&str], units: &[&str], year: Option<i32>) -> Vec<Stated> {
    let mut out = Vec::new();
    for kw in keywords {
        for p in t.find_all(kw) {
            // "新收和上年结转…共48件"; not "行政复议2件、行政诉讼1件" (each has its number).
            let combined = p > 0
                && TEXT_COMBINING_CHARS.contains(&t.chars[p - 1])
                && !t
                    .slice(t.clause_start(p), p)
                    .contains(|c: char| c.is_ascii_digit());
            if combined || t.other_period_before(p, year) {
                continue;
            }
            let from = p + kw.chars().count();
            let direct = t.count_at(t.skip_fillers(from), units);
            let found = direct.or_else(|| {
                t.through_noun(from)
                    .and_then(|e| t.count_at(t.skip_fillers(e), units))
            });
            if let Some((value, end)) = found {
                out.push(Stated {
                    value,
                    start: p,
                    end,
                });
            }
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

/// "KEYWORD … N UNIT" (any words, at most [`CARRIED_FORWARD_GAP`], within the clause) or
/// "N UNIT … KEYWORD" ("另有103件顺延到下年度答复").
fn counts_around(t: &Text, keywords: &[&str], units: &[&str], year: Option<i32>) -> Vec<Stated> {
    let mut out = Vec::new();
    for kw in keywords {
        for p in t.find_all(kw) {
            let after = p + kw.chars().count();
            let forward = (after..=after + CARRIED_FORWARD_GAP)
                .take_while(|k| t.chars.get(*k).is_some_and(|c| !CLAUSE_BREAKS.contains(c)))
                .find(|k| t.chars.get(*k).is_some_and(char::is_ascii_digit));
            if let Some((value, end)) = forward.and_then(|k| t.count_at(k, units)) {
                if !t.other_period_before(p, year) {
                    out.push(Stated {
                        value,
                        start: p,
                        end,
                    });
                }
                continue;
            }
            // Backwards: the nearest "N UNIT" before the keyword, within the clause.
            let mut k = p;
            while k > 0 && p - k <= CARRIED_FORWARD_GAP {
                k -= 1;
                let c = t.chars[k];
                if CLAUSE_BREAKS.contains(&c) {
                    break;
                }
                if c.is_ascii_digit() {
                    let mut s = k;
                    while s > 0 && t.chars[s - 1].is_ascii_digit() {
                        s -= 1;
                    }
                    if let Some((value, end)) = t.count_at(s, units) {
                        if end <= p && !t.other_period_before(s, year) {
                            out.push(Stated {
                                value,
                                start: s,
                                end: t.clause_end(after),
                            });
                        }
                    }
                    break;
                }
            }
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

/// Whether a stated count is a count of documents by disclosure attribute ("主动公开49件，依申请公开
/// 316件"): its number follows [`TEXT_REQUEST_ATTRIBUTE`] directly, and its sentence also counts
/// [`TEXT_ACTIVE_ATTRIBUTE`] items.
fn by_attribute(t: &Text, s: &Stated) -> bool {
    let n = TEXT_REQUEST_ATTRIBUTE.chars().count();
    let digits = (s.start..s.end).find(|k| t.chars.get(*k).is_some_and(char::is_ascii_digit));
    digits.is_some_and(|d| d >= n && t.at(d - n, TEXT_REQUEST_ATTRIBUTE))
        && t.sentence_around(s.start).contains(TEXT_ACTIVE_ATTRIBUTE)
}

/// A plain "结转 N 件" after the year's outcomes in its sentence ("收到9件，部分公开2件，信息不存在
/// 5件，结转2件"): the carried-forward count. Not when another period is named ("上年结转") or it is
/// part of a count ("（含结转2件）").
fn plain_carried_forward(t: &Text, year: Option<i32>) -> Vec<Stated> {
    counts_after(t, &[TEXT_CARRIED_PLAIN], TEXT_REQUEST_UNITS, year)
        .into_iter()
        .filter(|s| {
            let clause = t.slice(t.clause_start(s.start), s.start);
            if TEXT_CARRIED_PLAIN_NOT_BEFORE
                .iter()
                .any(|w| clause.contains(w))
                || s.start > 0 && matches!(t.chars[s.start - 1], '（' | '(')
            {
                return false;
            }
            let floor = s.start.saturating_sub(MAX_SENTENCE_CHARS);
            let start = (floor..s.start)
                .rev()
                .find(|k| SENTENCE_ENDS.contains(&t.chars[*k]))
                .map_or(floor, |k| k + 1);
            let before = t.slice(start, s.start);
            TEXT_OUTCOME_WORDS.iter().any(|w| before.contains(w))
        })
        .collect()
}

/// Whether any printed number of the row is > 0 (the total when it is a number).
fn row_positive(cells: &Cells, table: TableId, row: &'static str) -> Option<(Exact, Vec<CellId>)> {
    // The row's cells are consecutive in identifier order, from the empty column key on.
    let first = CellId {
        table,
        row,
        column: "",
    };
    let cols: Vec<CellId> = cells
        .report
        .cells
        .range(first..)
        .map(|(id, _)| *id)
        .take_while(|id| id.table == table && id.row == row)
        .collect();
    let total = cols.iter().find(|id| id.column == "total").copied();
    if let Some(t) = total {
        if let Some(v) = cells.num(&t) {
            return (v > 0).then(|| (v, vec![t]));
        }
    }
    let positive: Vec<CellId> = cols
        .iter()
        .filter(|id| cells.num(id).is_some_and(|v| v > 0))
        .copied()
        .collect();
    let sum: Exact = positive.iter().filter_map(|id| cells.num(id)).sum();
    (!positive.is_empty()).then_some((sum, positive))
}

/// Run the narrative checks of one report.
pub(crate) fn check(cells: &Cells, out: &mut Vec<Finding>) {
    let report = cells.report;
    if report.format().is_none() {
        return;
    }
    let year = report.meta.year;
    let texts: Vec<Text> = NARRATIVE_PARTS
        .iter()
        .filter_map(|n| section(report, *n))
        .map(Text::new)
        .collect();
    let has_requests = report.cells.keys().any(|id| id.table == TableId::Requests);
    let has_appeals = report.cells.keys().any(|id| id.table == TableId::Appeals);
    let req = |row: &'static str| cell_id(TableId::Requests, row, "total");
    let app = |row: &'static str| cell_id(TableId::Appeals, row, "total");

    let mut c = Compare {
        cells,
        out,
        seen: Vec::new(),
    };
    for t in &texts {
        if has_requests {
            // TEXT-RECEIVED: 一 (or 一 + 二).
            for s in counts_after(t, TEXT_RECEIVED_KEYWORDS, TEXT_REQUEST_UNITS, year) {
                let negated = s.start > 0
                    && t.chars
                        .get(s.start - 1)
                        .is_some_and(|c| TEXT_NEGATION_CHARS.contains(c));
                if !negated && t.about_disclosure(s.start, REQUESTS_PART) && !by_attribute(t, &s) {
                    c.compare_received(t, &s, req("new_received"), req("carried_over"));
                }
            }
            // TEXT-WORKLOAD: 一 + 二 (or 一, or （七）总计).
            for s in counts_after(t, TEXT_WORKLOAD_KEYWORDS, TEXT_REQUEST_UNITS, year) {
                let before = t.slice(t.clause_start(s.start), s.start);
                // "办理完成…40件" is TEXT-HANDLED's.
                let closed = t.word_at(s.start, TEXT_HANDLED_KEYWORDS).is_some();
                if !closed
                    && !TEXT_WORKLOAD_NOT_BEFORE.iter().any(|w| before.contains(w))
                    && t.about_disclosure(s.start, REQUESTS_PART)
                    && !by_attribute(t, &s)
                {
                    c.compare_workload(t, &s);
                }
            }
            for s in counts_after(t, TEXT_CARRIED_OVER_KEYWORDS, TEXT_REQUEST_UNITS, year) {
                c.compare(t, &s, "TEXT-CARRIED-OVER", &[req("carried_over")]);
            }
            for s in counts_after(t, TEXT_HANDLED_KEYWORDS, TEXT_REQUEST_UNITS, year) {
                let before = t.slice(
                    s.start
                        .saturating_sub(QUALIFIER_CHARS)
                        .max(t.clause_start(s.start)),
                    s.start,
                );
                // "按时办结42件" is all of them only when no request is said to be late.
                let on_time_of_some = TEXT_ON_TIME_WORDS.iter().any(|w| before.contains(w))
                    && TEXT_LATE_WORDS
                        .iter()
                        .any(|w| t.sentence_around(s.start).contains(w));
                if !TEXT_HANDLED_QUALIFIERS.iter().any(|q| before.contains(q))
                    && !on_time_of_some
                    && t.about_disclosure(s.start, REQUESTS_PART)
                    && !by_attribute(t, &s)
                {
                    c.compare(t, &s, "TEXT-HANDLED", &[req("total")]);
                }
            }
            let to_next_year: Vec<String> = year
                .map(|y| {
                    TEXT_CARRIED_FORWARD_TO_YEAR
                        .iter()
                        .map(|w| format!("{w}{}年", y + 1))
                        .collect()
                })
                .unwrap_or_default();
            let mut forward: Vec<&str> = TEXT_CARRIED_FORWARD_KEYWORDS.to_vec();
            forward.extend(to_next_year.iter().map(String::as_str));
            let mut stated = counts_around(t, &forward, TEXT_REQUEST_UNITS, year);
            stated.extend(plain_carried_forward(t, year));
            for s in stated {
                c.compare(t, &s, "TEXT-CARRIED-FORWARD", &[req("carried_forward")]);
            }
        }
        if has_appeals {
            for s in counts_after(t, &[REVIEW_HEADER], TEXT_CASE_UNITS, year) {
                if t.about_disclosure(s.start, APPEALS_PART) {
                    c.compare(t, &s, "TEXT-REVIEW", &[app("review")]);
                }
            }
            for s in counts_after(t, &[LITIGATION_HEADER], TEXT_CASE_UNITS, year) {
                if !t.about_disclosure(s.start, APPEALS_PART) {
                    continue;
                }
                c.compare(
                    t,
                    &s,
                    "TEXT-LITIGATION",
                    &[app("litigation_direct"), app("litigation_after_review")],
                );
            }
        }
        subtotals(&mut c, t);
    }
    if has_requests {
        none_received(&mut c, &texts, year);
        all_handled(&mut c, &texts);
        fee_notice(&mut c);
    }
    if has_appeals {
        no_appeals(&mut c, &texts, year);
    }
}

/// The report and the findings so far, with what was already said (one finding per rule and
/// stated value).
struct Compare<'r, 'o> {
    cells: &'r Cells<'r>,
    out: &'o mut Vec<Finding>,
    seen: Vec<(&'static str, i64)>,
}

impl<'r> Compare<'r, '_> {
    fn report(&self) -> &'r Report {
        self.cells.report
    }

    fn first_time(&mut self, rule: &'static str, value: i64) -> bool {
        if self.seen.contains(&(rule, value)) {
            return false;
        }
        self.seen.push((rule, value));
        true
    }

    /// Compare a stated number with the sum of `cells` (all must be numbers).
    fn compare(&mut self, t: &Text, s: &Stated, rule: &'static str, cells: &[CellId]) {
        let values: Option<Vec<Exact>> = cells.iter().map(|id| self.cells.num(id)).collect();
        let Some(values) = values else { return };
        let table: Exact = values.iter().sum();
        if table == count(s.value) || !self.first_time(rule, s.value) {
            return;
        }
        let format = self.report().format();
        let names: Vec<String> = cells.iter().map(|id| cell_name(format, id)).collect();
        let sum_word = if cells.len() > 1 { "之和" } else { "" };
        let mut f = finding(
            rule,
            format!(
                "{}称“{}”（{} 件），但{}{sum_word}为 {}",
                part_name(t.section.part),
                t.quote(s.start, s.end),
                s.value,
                names.join("与"),
                show(table)
            ),
        )
        .expected_found(show(table), s.value);
        push_span(&mut f, t.span(s.start));
        self.out.push(with_cells(f, self.report(), cells));
    }

    /// TEXT-WORKLOAD: the stated number is 一 + 二 (the year's workload); 一 alone or （七）总计
    /// (reports that say "办理" of the new or of the closed requests) are accepted too.
    fn compare_workload(&mut self, t: &Text, s: &Stated) {
        let req = |row: &'static str| cell_id(TableId::Requests, row, "total");
        let (new, over, closed) = (req("new_received"), req("carried_over"), req("total"));
        let (Some(n), Some(o)) = (self.cells.num(&new), self.cells.num(&over)) else {
            return;
        };
        let h = self.cells.num(&closed);
        let v = count(s.value);
        if v == n + o || v == n || h == Some(v) || !self.first_time("TEXT-WORKLOAD", s.value) {
            return;
        }
        let format = self.report().format();
        let mut f = finding(
            "TEXT-WORKLOAD",
            format!(
                "{}称“{}”（{} 件），但本年办理量即{}与{}之和为 {}（只算本年新收为 {}{}，也不相符）",
                part_name(t.section.part),
                t.quote(s.start, s.end),
                s.value,
                cell_name(format, &new),
                cell_name(format, &over),
                show(n + o),
                show(n),
                h.map(|h| format!("，按已办结的（七）总计为 {}", show(h)))
                    .unwrap_or_default()
            ),
        )
        .expected_found(show(n + o), s.value);
        push_span(&mut f, t.span(s.start));
        self.out.push(with_cells(f, self.report(), &[new, over]));
    }

    /// TEXT-RECEIVED: the stated number may be 一 or 一 + 二.
    fn compare_received(&mut self, t: &Text, s: &Stated, new: CellId, over: CellId) {
        let Some(n) = self.cells.num(&new) else {
            return;
        };
        let o = self.cells.num(&over);
        let v = count(s.value);
        if v == n || o.is_some_and(|o| v == n + o) || !self.first_time("TEXT-RECEIVED", s.value) {
            return;
        }
        let format = self.report().format();
        let mut f = finding(
            "TEXT-RECEIVED",
            format!(
                "{}称“{}”（{} 件），但{}为 {}{}",
                part_name(t.section.part),
                t.quote(s.start, s.end),
                s.value,
                cell_name(format, &new),
                show(n),
                o.map(|o| format!("（与上年结转合计 {}）", show(n + o)))
                    .unwrap_or_default()
            ),
        )
        .expected_found(show(n), s.value);
        push_span(&mut f, t.span(s.start));
        self.out.push(with_cells(f, self.report(), &[new]));
    }
}

/// TEXT-NONE-RECEIVED: "未收到…申请" against a non-zero 一.
fn none_received(c: &mut Compare, texts: &[Text], year: Option<i32>) {
    let Some((v, cells)) = row_positive(c.cells, TableId::Requests, "new_received") else {
        return;
    };
    for t in texts {
        for neg in TEXT_NONE_RECEIVED {
            for p in t.find_all(neg) {
                let start = p + neg.chars().count();
                let end = t.clause_end(start).min(start + NONE_RECEIVED_WINDOW);
                let object = (start..end).find(|k| {
                    t.at(*k, APPLICATION_WORD)
                        && !t.at(*k + APPLICATION_WORD.chars().count(), APPLICANT_SUFFIX)
                });
                if object.is_none()
                    || t.other_period_before(p, year)
                    || !t.about_disclosure(p, REQUESTS_PART)
                {
                    continue;
                }
                let mut f = finding(
                    "TEXT-NONE-RECEIVED",
                    format!(
                        "{}称“{}”，但{}为 {}",
                        part_name(t.section.part),
                        t.quote(p, t.clause_end(start)),
                        cells
                            .iter()
                            .map(|id| cell_name(c.report().format(), id))
                            .collect::<Vec<_>>()
                            .join("、"),
                        show(v)
                    ),
                )
                .expected_found("0", show(v));
                push_span(&mut f, t.span(p));
                c.out.push(with_cells(f, c.report(), &cells));
                return;
            }
        }
    }
}

/// TEXT-NO-APPEALS: "未发生行政复议、行政诉讼" against non-zero table 四 totals.
fn no_appeals(c: &mut Compare, texts: &[Text], year: Option<i32>) {
    let review = row_positive(c.cells, TableId::Appeals, "review");
    let litigation: Option<(Exact, Vec<CellId>)> = {
        let a = row_positive(c.cells, TableId::Appeals, "litigation_direct");
        let b = row_positive(c.cells, TableId::Appeals, "litigation_after_review");
        match (a, b) {
            (None, None) => None,
            (a, b) => {
                let mut sum = 0;
                let mut cells = Vec::new();
                for (v, ids) in [a, b].into_iter().flatten() {
                    sum += v;
                    cells.extend(ids);
                }
                Some((sum, cells))
            }
        }
    };
    let mut said = [false, false];
    for t in texts {
        for neg in TEXT_NO_APPEAL_NEGATIONS {
            for p in t.find_all(neg) {
                let start = p + neg.chars().count();
                let end = t.clause_end(start).min(start + NO_APPEAL_WINDOW);
                let clause = t.slice(start, end);
                if TEXT_APPEAL_OUTCOME_WORDS.iter().any(|w| clause.contains(w))
                    || t.other_period_before(p, year)
                    || !t.about_disclosure(p, APPEALS_PART)
                {
                    continue;
                }
                for (i, (header, table)) in
                    [(REVIEW_HEADER, &review), (LITIGATION_HEADER, &litigation)]
                        .into_iter()
                        .enumerate()
                {
                    let Some((v, cells)) = table else { continue };
                    if said[i] || !clause.contains(header) {
                        continue;
                    }
                    said[i] = true;
                    let mut f = finding(
                        "TEXT-NO-APPEALS",
                        format!(
                            "{}称“{}”，但表四{header}共 {} 件（{}）",
                            part_name(t.section.part),
                            t.quote(p, end),
                            show(*v),
                            cells
                                .iter()
                                .map(|id| cell_name(c.report().format(), id))
                                .collect::<Vec<_>>()
                                .join("、")
                        ),
                    )
                    .expected_found("0", show(*v));
                    push_span(&mut f, t.span(p));
                    c.out.push(with_cells(f, c.report(), cells));
                }
            }
        }
    }
}

/// TEXT-ALL-HANDLED: "所有申请均已办结" against a non-zero 四、结转下年度继续办理.
fn all_handled(c: &mut Compare, texts: &[Text]) {
    let Some((v, cells)) = row_positive(c.cells, TableId::Requests, "carried_forward") else {
        return;
    };
    for t in texts {
        for phrase in TEXT_ALL_HANDLED {
            for p in t.find_all(phrase) {
                // "上年结转的2件申请均已办结" speaks of the carried-over requests only.
                let before = t.slice(t.clause_start(p), p);
                if TEXT_CARRIED_OVER_KEYWORDS
                    .iter()
                    .any(|k| before.contains(k))
                    || TEXT_OTHER_PERIOD_MARKERS.iter().any(|k| before.contains(k))
                    || !t.about_disclosure(p, REQUESTS_PART)
                {
                    continue;
                }
                let end = p + phrase.chars().count();
                let mut f = finding(
                    "TEXT-ALL-HANDLED",
                    format!(
                        "{}称“{}”，但{}为 {}",
                        part_name(t.section.part),
                        t.quote(p, end),
                        cells
                            .iter()
                            .map(|id| cell_name(c.report().format(), id))
                            .collect::<Vec<_>>()
                            .join("、"),
                        show(v)
                    ),
                )
                .expected_found("0", show(v));
                push_span(&mut f, t.span(p));
                c.out.push(with_cells(f, c.report(), &cells));
                return;
            }
        }
    }
}

/// TEXT-FEE-NOTICE: （六）2 > 0 and part 六 says nothing of fee notices, payments or charges
/// ([`crate::fees::explains_notices`]).
fn fee_notice(c: &mut Compare) {
    let unpaid = outcome_rows(c.report())
        .into_iter()
        .find(|r| r.key == "other_unpaid_fee")
        .map(|r| r.key);
    let Some(row) = unpaid else { return };
    let Some((v, cells)) = row_positive(c.cells, TableId::Requests, row) else {
        return;
    };
    let Some(s) = section(c.report(), 6) else {
        return;
    };
    let text = compact(&s.text);
    if crate::fees::explains_notices(&text) {
        return;
    }
    let words: Vec<String> = FEE_NOTICE_KEYWORDS
        .iter()
        .map(|k| format!("“{k}”"))
        .collect();
    let mut f = finding(
        "TEXT-FEE-NOTICE",
        format!(
            "{}为 {}，说明本年发出过信息处理费收费通知，但{}没有说明收费通知、缴费或收费情况（未出现{}，也没有“收取……费”“未收费”这类说法）",
            cells
                .iter()
                .map(|id| cell_name(c.report().format(), id))
                .collect::<Vec<_>>()
                .join("、"),
            show(v),
            part_name(6),
            words.join("")
        ),
    )
    .expected_found("说明收费通知情况", "未说明");
    push_span(&mut f, Span::line(s.line));
    c.out.push(with_cells(f, c.report(), &cells));
}

/// The total right before position `p` ("154条" before "，其中"; an optional comma or colon
/// between): (value, unit, start of the number).
fn total_before(t: &Text, p: usize) -> Option<(i64, &'static str, usize)> {
    let mut j = p;
    if j > 0 && matches!(t.chars[j - 1], '，' | ',' | '：' | ':') {
        j -= 1;
    }
    let (unit, unit_start) = TEXT_LIST_UNITS.iter().find_map(|u| {
        let n = u.chars().count();
        (j >= n && t.at(j - n, u)).then(|| (*u, j - n))
    })?;
    let mut s = unit_start;
    while s > 0 && t.chars[s - 1].is_ascii_digit() {
        s -= 1;
    }
    let (total, _) = t.int_at(s).filter(|(_, e)| *e == unit_start)?;
    Some((total, unit, s))
}

/// Whether the item `a..b` of a breakdown is its residual ("5.其他3条", "其余2件"), item
/// numbering ("5.", "（5）", "⑤") skipped.
fn is_residual_item(t: &Text, a: usize, b: usize) -> bool {
    let mut i = a;
    while i < b
        && (t.chars[i].is_ascii_digit()
            || matches!(
                t.chars[i],
                '.' | '．' | '、' | '（' | '）' | '(' | ')' | '是'
            )
            || CHINESE_NUMERALS.iter().any(|n| t.at(i, n))
            || ('①'..='⑳').contains(&t.chars[i]))
    {
        i += 1;
    }
    if let Some(e) = t.word_at(i, TEXT_SUBTOTAL_RESIDUAL_LEAD) {
        i = e;
    }
    TEXT_SUBTOTAL_RESIDUAL.iter().any(|w| t.at(i, w))
        && !TEXT_SUBTOTAL_NOT_RESIDUAL.iter().any(|w| t.at(i, w))
}

/// TEXT-SUBTOTALS: a breakdown that claims to be complete must add up: "154条，其中：1.组织机构
/// 4条；…；5.其他3条" (a residual item), "共9件，分别为：予以公开2件，…". A breakdown that lists
/// only some items ("其中，予以公开12件") is not added up.
fn subtotals(c: &mut Compare, t: &Text) {
    // (position of the intro, its length)
    let mut intros: Vec<(usize, usize)> = t
        .find_all(TEXT_SUBTOTAL_INTRO)
        .into_iter()
        .map(|p| (p, TEXT_SUBTOTAL_INTRO.chars().count()))
        .collect();
    for w in TEXT_SUBTOTAL_COMPLETE {
        intros.extend(t.find_all(w).into_iter().map(|p| (p, w.chars().count())));
    }
    intros.sort_unstable();
    for (p, len) in intros {
        let Some((total, unit, s)) = total_before(t, p) else {
            continue;
        };
        let mut k = p + len;
        let mut complete = TEXT_SUBTOTAL_COMPLETE.iter().any(|w| t.at(p, w));
        if matches!(t.chars.get(k), Some('：' | ':' | '，' | ',')) {
            k += 1;
        }
        if !complete {
            if TEXT_SUBTOTAL_PARTIAL.iter().any(|w| t.at(k, w)) {
                continue;
            }
            // "其中分别为：…"
            if let Some(e) = t.word_at(k, TEXT_SUBTOTAL_COMPLETE) {
                complete = true;
                k = e;
                if matches!(t.chars.get(k), Some('：' | ':' | '，' | ',')) {
                    k += 1;
                }
            }
        }
        // The list runs to the end of the sentence; a "sentence" longer than
        // MAX_SENTENCE_CHARS is not a list.
        let ceiling = t.chars.len().min(k + MAX_SENTENCE_CHARS);
        let end = match (k..ceiling).find(|i| SENTENCE_ENDS.contains(&t.chars[*i])) {
            Some(e) => e,
            None if ceiling == t.chars.len() => ceiling,
            None => continue,
        };
        let list = &t.chars[k..end];
        let separators: &[char] = if list.iter().any(|c| matches!(c, '；' | ';')) {
            &['；', ';']
        } else if list.iter().any(|c| matches!(c, '，' | ',')) {
            &['，', ',']
        } else {
            &['、']
        };
        let mut items = Vec::new();
        let mut seg_start = k;
        for i in k..=end {
            if i == end || separators.contains(&t.chars[i]) {
                if i > seg_start {
                    items.push((seg_start, i));
                }
                seg_start = i + 1;
            }
        }
        if items.len() < 2 {
            continue;
        }
        let complete = complete || items.iter().any(|(a, b)| is_residual_item(t, *a, *b));
        if !complete {
            continue;
        }
        let mut sum = 0i64;
        let mut one_number_each = true;
        for (a, b) in &items {
            let counts: Vec<i64> = (*a..*b)
                .filter_map(|i| {
                    t.count_at(i, &[unit])
                        .filter(|(_, e)| *e <= *b)
                        .map(|(v, _)| v)
                })
                .collect();
            match counts.as_slice() {
                [v] => sum += v,
                _ => {
                    one_number_each = false;
                    break;
                }
            }
        }
        if !one_number_each || sum == total || !c.first_time("TEXT-SUBTOTALS", total) {
            continue;
        }
        let mut f = finding(
            "TEXT-SUBTOTALS",
            format!(
                "{}称“{}”：各分项之和为 {sum}{unit}，与所述合计 {total}{unit} 不符",
                part_name(t.section.part),
                t.quote(s, end),
            ),
        )
        .expected_found(total, sum);
        push_span(&mut f, t.span(s));
        c.out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(part: u8, text: &str) -> Section {
        Section {
            part,
            marker: String::new(),
            heading: String::new(),
            line: 10,
            end_line: 10 + text.matches('\n').count() as u32,
            text: text.to_string(),
        }
    }

    /// The row keys the checks above name exist in the catalogue (guards against a renamed
    /// identifier).
    #[test]
    fn row_keys_exist() {
        let r = crate::testutil::consistent(xxgk_model::Format::F2021);
        for row in [
            "new_received",
            "carried_over",
            "total",
            "carried_forward",
            "other_unpaid_fee",
        ] {
            assert!(
                crate::tables::requests_rows(&r)
                    .iter()
                    .any(|d| d.key == row),
                "{row}"
            );
        }
    }

    #[test]
    fn normalization_joins_wrapped_lines_and_separates_cells() {
        let s = section(
            1,
            "转下一\n年度办理答复的有 1 件。\n一、本年新收\t3\t0\n行政许可 97 \n  ０ 1,200",
        );
        let t = Text::new(&s);
        let text: String = t.chars.iter().collect();
        assert_eq!(
            text,
            // The tab row stands as one separator; the space-aligned row keeps its numbers
            // apart.
            "转下一年度办理答复的有1件。|行政许可97|0|1200"
        );
        assert_eq!(t.line(0), 10);
        assert_eq!(t.line(t.chars.len() - 1), 14);
        assert_eq!(t.slice(2, 5), "一年度");
    }

    #[test]
    fn counts_are_read_only_from_unambiguous_phrases() {
        let s = section(
            1,
            "全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件。同意公开答复 9 件，\
             转下一年度办理答复的有 1 件。答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。\
             2023年收到申请5件。收到的申请中予以公开3件。",
        );
        let t = Text::new(&s);
        let v = |kw: &[&str]| -> Vec<i64> {
            counts_after(&t, kw, TEXT_REQUEST_UNITS, Some(2024))
                .iter()
                .map(|s| s.value)
                .collect()
        };
        assert_eq!(v(TEXT_RECEIVED_KEYWORDS), vec![34]);
        assert_eq!(v(TEXT_CARRIED_OVER_KEYWORDS), vec![2, 34]);
        assert_eq!(v(TEXT_HANDLED_KEYWORDS), vec![9, 3050]);
        let fwd: Vec<i64> = counts_around(
            &t,
            TEXT_CARRIED_FORWARD_KEYWORDS,
            TEXT_REQUEST_UNITS,
            Some(2024),
        )
        .iter()
        .map(|s| s.value)
        .collect();
        assert_eq!(fwd, vec![1, 103]);
    }
}
