//! Label normalization and matching against the catalogue.
//!
//! A printed row label is folded (whitespace removed, full/half-width brackets and quotes unified,
//! "1、"/"1．" → "1."), cut into items at their markers ("三、", "（一）", "1.") and its last item is
//! compared with the catalogue's row labels and aliases: equal, the label followed by explanatory
//! text, or a truncation of at least [`MIN_PREFIX_CHARS`] characters. A label that matches two
//! rows equally well matches none.

use std::sync::OnceLock;

use xxgk_model::catalogue::{self, RowDef, TableId, MIN_PREFIX_CHARS};

/// Fold a label for comparison: drop whitespace, unify brackets, quotes, colons and the
/// punctuation after item numbers.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // Most of a label is CJK ideographs, which folding keeps (none is whitespace or in the
        // list below): pushed without the tests.
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            out.push(c);
            continue;
        }
        let c = match c {
            c if c.is_whitespace() => continue,
            '（' | '〔' | '[' | '［' => '(',
            '）' | '〕' | ']' | '］' => ')',
            '“' | '”' | '″' | '＂' | '「' | '」' => '"',
            '：' => ':',
            '，' => ',',
            '．' | '。' if out.chars().last().is_some_and(|p| p.is_ascii_digit()) => '.',
            '、' if out.chars().last().is_some_and(|p| p.is_ascii_digit()) => '.',
            '/' | '／' => '/',
            c => c,
        };
        out.push(c);
        // "1 ." after folding is "1."; nothing else to do.
        let _ = chars.peek();
    }
    out
}

fn is_cn_numeral(c: char) -> bool {
    crate::numerals::value(c).is_some()
}

/// An item marker found in a folded label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// "三、"
    Part(String),
    /// "(一)" or "(1)"
    Paren(String),
    /// "1."
    Digit(u32),
}

/// Find the item marker starting at byte `i` of folded `s`, returning it and its byte length.
fn marker_at(s: &str, i: usize) -> Option<(Marker, usize)> {
    let rest = &s[i..];
    let mut it = rest.char_indices();
    let (_, c0) = it.next()?;
    if c0 == '(' {
        // (一) (十二) (1) (12)
        let inner: String = rest[1..].chars().take_while(|c| *c != ')').collect();
        let n = inner.chars().count();
        if (1..=3).contains(&n)
            && (inner.chars().all(is_cn_numeral) || inner.chars().all(|c| c.is_ascii_digit()))
            && rest[1 + inner.len()..].starts_with(')')
        {
            return Some((Marker::Paren(inner.clone()), inner.len() + 2));
        }
        return None;
    }
    if is_cn_numeral(c0) {
        let num: String = rest.chars().take_while(|c| is_cn_numeral(*c)).collect();
        if num.chars().count() <= 3 && rest[num.len()..].starts_with('、') {
            return Some((Marker::Part(num.clone()), num.len() + '、'.len_utf8()));
        }
        return None;
    }
    if c0.is_ascii_digit() {
        // Not inside a longer number.
        if i > 0 && s[..i].chars().last().is_some_and(|p| p.is_ascii_digit()) {
            return None;
        }
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after = &rest[digits.len()..];
        if digits.len() <= 2 && after.starts_with('.') {
            // "1.5" is a number, not an item marker.
            if after[1..].starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            return Some((Marker::Digit(digits.parse().ok()?), digits.len() + 1));
        }
    }
    None
}

/// One item of a label: its marker (if any) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub marker: Option<Marker>,
    pub text: String,
}

/// Cut a folded label into items at their markers. Text before the first marker is an item
/// without a marker.
pub fn items(folded: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let mut cur = Item {
        marker: None,
        text: String::new(),
    };
    let mut i = 0;
    while i < folded.len() {
        if let Some((m, len)) = marker_at(folded, i) {
            if cur.marker.is_some() || !cur.text.is_empty() {
                out.push(cur);
            }
            cur = Item {
                marker: Some(m),
                text: String::new(),
            };
            i += len;
            continue;
        }
        let Some(c) = folded[i..].chars().next() else {
            break;
        };
        cur.text.push(c);
        i += c.len_utf8();
    }
    if cur.marker.is_some() || !cur.text.is_empty() {
        out.push(cur);
    }
    out
}

/// How well a printed item text matches a catalogue label (both folded, as chars). 0 = no match.
fn score(item: &[char], label: &[char]) -> u32 {
    if item.is_empty() {
        return 0;
    }
    if item == label {
        return 1000;
    }
    // The label followed by explanatory text ("行政许可（含…）"). A short label ("规章", "其他")
    // only when the explanation is bracketed, so that "其他法律…" is not "其他" + text.
    if item.starts_with(label)
        && (label.len() >= MIN_PREFIX_CHARS || item.get(label.len()) == Some(&'('))
    {
        return 800 + label.len() as u32;
    }
    // A truncated label ("其他法律行政法规禁").
    if item.len() >= MIN_PREFIX_CHARS && label.starts_with(item) {
        return 600 + item.len() as u32;
    }
    // One wrong, missing or extra character in a long label (OCR and typing slips).
    if item.len() >= 6 && label.len() >= 6 && within_one_edit(item, label) {
        return 400;
    }
    0
}

fn within_one_edit(a: &[char], b: &[char]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    // Strip the common prefix and suffix; at most one character may remain on each side.
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[p..], &b[p..]);
    let q = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len() - q.min(a.len()) <= 1 && b.len() - q.min(b.len()) <= 1
}

/// A catalogue row a label was matched to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowMatch {
    pub table: TableId,
    /// The row key, shared by both formats (`rules`, `new_received`, `other`…).
    pub key: &'static str,
    pub score: u32,
}

/// Rows a label can name: table 二 rows of both formats, table 三 rows of both formats
/// (including the single （六）其他处理 row). Table 四 rows are never labelled in print.
fn candidates() -> impl Iterator<Item = (TableId, &'static RowDef)> {
    let active = catalogue::ACTIVE_2019
        .rows
        .iter()
        .chain(catalogue::ACTIVE_2021.rows.iter())
        .map(|r| (TableId::Active, r));
    let requests = catalogue::REQUESTS_2021
        .rows
        .iter()
        .chain(std::iter::once(&catalogue::ROW_OTHER_SINGLE))
        .map(|r| (TableId::Requests, r));
    active.chain(requests)
}

/// Longer printed labels are text, not a row label: the longest label with its group labels is
/// under 70 characters; wrapped fragments add a few.
const MAX_LABEL_BYTES: usize = 100 * 3;

/// A candidate row with its label and aliases folded once.
struct Candidate {
    table: TableId,
    row: &'static RowDef,
    texts: Vec<Vec<char>>,
    marker: Option<Marker>,
}

fn folded_candidates() -> &'static [Candidate] {
    static CANDIDATES: OnceLock<Vec<Candidate>> = OnceLock::new();
    CANDIDATES.get_or_init(|| {
        candidates()
            .map(|(table, row)| Candidate {
                table,
                row,
                texts: std::iter::once(row.label)
                    .chain(row.aliases.iter().copied())
                    .map(|t| fold(t).chars().collect())
                    .collect(),
                marker: marker_at(&fold(row.marker), 0).map(|(m, _)| m),
            })
            .collect()
    })
}

/// Most labels one per-thread cache keeps ([`remembered`]); a full cache is emptied.
const CACHE_ENTRIES: usize = 4096;

/// A per-thread cache of a pure function of a label. foldhash, seeded per process: SipHash (the
/// standard map's) cost more than the lookups it guards, and the keys come from the files read.
pub(crate) type LabelCache<V> = std::cell::RefCell<foldhash::HashMap<String, V>>;

/// `compute(label)`, remembered in `cache`: a batch meets the same printed labels in every
/// report. For pure functions of the label only, so that the cache changes nothing but the time.
pub(crate) fn remembered<V: Copy + 'static>(
    cache: &'static std::thread::LocalKey<LabelCache<V>>,
    label: &str,
    compute: impl FnOnce(&str) -> V,
) -> V {
    if let Some(hit) = cache.with(|m| m.borrow().get(label).copied()) {
        return hit;
    }
    let found = compute(label);
    cache.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= CACHE_ENTRIES {
            m.clear();
        }
        m.insert(label.to_owned(), found);
    });
    found
}

thread_local! {
    /// Labels matched to catalogue rows: scoring one against every row is the costly part of
    /// reading a table.
    static MATCHES: LabelCache<Option<RowMatch>> = LabelCache::default();
}

/// Match the last item of a printed label to a catalogue row.
pub fn match_row(label: &str) -> Option<RowMatch> {
    // Narrative sentences are far longer than any row label (with its group labels).
    if label.len() > MAX_LABEL_BYTES {
        return None;
    }
    remembered(&MATCHES, label, match_row_uncached)
}

fn match_row_uncached(label: &str) -> Option<RowMatch> {
    let folded = fold(label);
    let items = items(&folded);
    let last = items.last()?;
    let text: Vec<char> = last.text.chars().collect();
    let mut best: Option<RowMatch> = None;
    let mut tie = false;
    for c in folded_candidates() {
        let (table, row) = (c.table, c.row);
        let s = c.texts.iter().map(|t| score(&text, t)).max().unwrap_or(0);
        if s == 0 {
            continue;
        }
        // A printed marker that agrees with the catalogue's confirms the match.
        let s = s + u32::from(last.marker.is_some() && last.marker == c.marker) * 5;
        match best {
            Some(b) if b.key == row.key && b.table == table => {
                if s > b.score {
                    best = Some(RowMatch { score: s, ..b });
                }
            }
            Some(b) if s == b.score => tie = true,
            Some(b) if s < b.score => {}
            _ => {
                best = Some(RowMatch {
                    table,
                    key: row.key,
                    score: s,
                });
                tie = false;
            }
        }
    }
    if tie {
        return None;
    }
    best
}

/// Does `label` (any printed text) contain `needle` once both are folded?
pub fn contains(label: &str, needle: &str) -> bool {
    fold(label).contains(&fold(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(label: &str) -> Option<&'static str> {
        match_row(label).map(|m| m.key)
    }

    #[test]
    fn folding_keeps_every_cjk_ideograph_that_it_skips() {
        // `fold` pushes U+4E00–U+9FFF without looking: none of them is whitespace or a
        // character it maps.
        let mapped = "（〔[［）〕]］“”″＂「」：，．。、/／";
        for c in ('\u{4E00}'..='\u{9FFF}').filter(|c| !c.is_whitespace()) {
            assert!(!mapped.contains(c), "{c}");
        }
        assert_eq!(
            fold("（一） 予以公开：1、 全部 ［公开］"),
            "(一)予以公开:1.全部(公开)"
        );
        assert!(('\u{4E00}'..='\u{9FFF}').all(|c| !c.is_whitespace()));
    }

    #[test]
    fn the_cache_answers_as_the_scoring_does() {
        for label in [
            "（一）予以公开",
            "2. 其他法律行政法规禁",
            "一、本年新收政府信息公开申请数量",
            "本年度工作",
        ] {
            let first = match_row(label);
            assert_eq!(first, match_row_uncached(label), "{label}");
            assert_eq!(match_row(label), first, "{label} (cached)");
        }
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)"),
            "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"
        );
        assert_eq!(fold("1、 本机关"), "1.本机关");
        assert_eq!(fold("商业 企业"), "商业企业");
    }

    #[test]
    fn items_split_at_markers() {
        let it = items(&fold("三、本年度办理结果（一）予以公开"));
        assert_eq!(it.len(), 2);
        assert_eq!(it[1].marker, Some(Marker::Paren("一".into())));
        assert_eq!(it[1].text, "予以公开");
        let it = items(&fold("（三）不予公开1.属于国家秘密"));
        assert_eq!(it.last().map(|i| i.text.as_str()), Some("属于国家秘密"));
        // A decimal is not a marker.
        assert_eq!(items(&fold("金额1.5万元")).len(), 1);
        // "三安全一稳定" has no marker.
        assert_eq!(items(&fold("3.危及“三安全一稳定”")).len(), 1);
    }

    #[test]
    fn official_labels_match_their_rows() {
        for row in catalogue::REQUESTS_2021.rows {
            assert_eq!(key(&row.printed_label()), Some(row.key), "{}", row.label);
        }
        for row in catalogue::ACTIVE_2019
            .rows
            .iter()
            .chain(catalogue::ACTIVE_2021.rows)
        {
            assert_eq!(key(row.label), Some(row.key), "{}", row.label);
        }
        assert_eq!(key("（六）其他处理"), Some("other"));
    }

    #[test]
    fn variants_seen_in_the_wild() {
        assert_eq!(
            key("2. 其他法律行政法规禁"),
            Some("denied_prohibited_by_law")
        );
        assert_eq!(
            key("5. 属于三类内部事务信"),
            Some("denied_internal_affairs")
        );
        assert_eq!(key("1. 本机关不掌握相关政"), Some("unavailable_not_held"));
        assert_eq!(
            key("4. 无正当理由大量反复"),
            Some("unprocessed_excessive_repeated")
        );
        assert_eq!(
            key("(六) 其他处理 1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申"),
            Some("other_no_correction")
        );
        assert_eq!(
            key("三、 本 年 度 办 理 结 果 (一) 予以公开"),
            Some("granted")
        );
        assert_eq!(key("(七) 总计"), Some("total"));
        assert_eq!(key("3. 其他"), Some("other_other"));
        assert_eq!(
            key("1、申请人无正当理由逾期不补正"),
            Some("other_no_correction")
        );
        assert_eq!(
            key("（四）无 1.本机关不掌握相关政府信息"),
            Some("unavailable_not_held")
        );
        assert_eq!(key("规范性文件"), Some("normative_documents"));
        assert_eq!(
            key("3.危及\"三安全一稳定\""),
            Some("denied_three_security_one_stability")
        );
    }

    #[test]
    fn one_edit_away() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("本年度止件数"), &c("本年废止件数")));
        assert!(within_one_edit(&c("属于国家秘"), &c("属于国家秘密")));
        assert!(within_one_edit(&c("属于国家x秘密"), &c("属于国家秘密")));
        assert!(!within_one_edit(&c("属于国家秘密"), &c("属于行政秘密")));
        assert!(!within_one_edit(&c("abcd"), &c("ab")));
    }

    #[test]
    fn short_or_foreign_text_matches_nothing() {
        assert_eq!(key("其他"), Some("other_other"));
        assert_eq!(key("信息内容"), None);
        assert_eq!(key("申请人情况"), None);
        assert_eq!(key("本年"), None);
        assert_eq!(key(""), None);
        assert_eq!(key("行政复议"), None);
    }
}
