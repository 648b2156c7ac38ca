//! Digits run together: web-page text where the cells of a row lost their separators,
//! "一、本年新收政府信息公开申请数量640020470".
//!
//! Such a run is split into the row's cells only when the table's arithmetic leaves exactly one
//! reading: every split of the digits into non-negative integers without leading zeros ("0"
//! itself allowed) is tried, and only those in which each group's last column (总计) equals the
//! sum of the group's other columns are kept. One reading left: it is used (the caller says so in
//! a finding); none or several: the row is not read. Never a guess.
//!
//! The enumeration is bounded: at most [`MAX_DIGITS`] digits, numbers of at most 18 digits, the
//! total of each group is not enumerated but computed and compared, and the search stops after
//! [`MAX_STEPS`] steps or [`MAX_READINGS`] readings.

/// Longest digit run that is split.
pub const MAX_DIGITS: usize = 40;
/// Most search steps (a run of [`MAX_DIGITS`] digits into 7 numbers needs far fewer).
const MAX_STEPS: usize = 4_000_000;
/// Readings counted before the search stops (any count above one is ambiguous).
pub const MAX_READINGS: usize = 1000;
/// Longest number (u64 holds 19 digits; a sum of six 18-digit numbers still fits).
const MAX_NUMBER_DIGITS: usize = 18;

/// The result of splitting a digit run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// Exactly one reading: the cells' texts, in column order.
    Unique(Vec<String>),
    /// Several readings (counted up to [`MAX_READINGS`]; `capped` when the count stopped there or
    /// the search was cut short).
    Ambiguous { readings: usize, capped: bool },
    /// No reading satisfies the totals.
    Impossible,
    /// Longer than [`MAX_DIGITS`], or the search budget ran out before a second reading was found.
    TooLong,
}

/// Is `s` a run of ASCII digits that may be split (at least two)?
pub fn is_digit_run(s: &str) -> bool {
    s.len() >= 2 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The group sizes of a row whose columns are `keys`: a group ends at each `total` column. `None`
/// when the row does not end with a total (nothing to check a split against).
pub fn groups(keys: &[&str], total_key: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, k) in keys.iter().enumerate() {
        if *k == total_key {
            if i == start {
                return None;
            }
            out.push(i + 1 - start);
            start = i + 1;
        }
    }
    (start == keys.len() && !out.is_empty()).then_some(out)
}

/// Split `digits` into `groups` (see the module documentation).
pub fn split(digits: &str, groups: &[usize]) -> Split {
    let d = digits.as_bytes();
    if d.len() > MAX_DIGITS {
        return Split::TooLong;
    }
    if groups.is_empty() || groups.contains(&0) || !d.iter().all(u8::is_ascii_digit) {
        return Split::Impossible;
    }
    let mut search = Search {
        d,
        groups,
        parts: Vec::with_capacity(groups.iter().sum()),
        first: None,
        readings: 0,
        steps: 0,
        stopped: false,
    };
    search.group(0, 0);
    match (search.readings, search.first) {
        (0, _) if search.stopped => Split::TooLong,
        (0, _) => Split::Impossible,
        (1, Some(parts)) if !search.stopped => Split::Unique(parts),
        (1, _) => Split::TooLong,
        (n, _) => Split::Ambiguous {
            readings: n,
            capped: search.stopped,
        },
    }
}

struct Search<'a> {
    d: &'a [u8],
    groups: &'a [usize],
    /// (start, end) of each number chosen so far.
    parts: Vec<(usize, usize)>,
    first: Option<Vec<String>>,
    readings: usize,
    steps: usize,
    stopped: bool,
}

impl Search<'_> {
    fn text(&self, (a, b): (usize, usize)) -> &str {
        std::str::from_utf8(&self.d[a..b]).unwrap_or_default()
    }

    fn value(&self, (a, b): (usize, usize)) -> u64 {
        self.d[a..b]
            .iter()
            .fold(0u64, |v, c| v * 10 + u64::from(c - b'0'))
    }

    /// Choose the numbers of group `g` starting at byte `at`.
    fn group(&mut self, g: usize, at: usize) {
        if self.stopped {
            return;
        }
        let Some(&size) = self.groups.get(g) else {
            if at == self.d.len() {
                self.readings += 1;
                if self.readings == 1 {
                    self.first = Some(
                        self.parts
                            .iter()
                            .map(|p| self.text(*p).to_string())
                            .collect(),
                    );
                }
                if self.readings >= MAX_READINGS {
                    self.stopped = true;
                }
            }
            return;
        };
        self.parts_of(g, size - 1, at, 0, 0);
    }

    /// Choose `left` more numbers of group `g` from byte `at`; `sum` and `widest` of those chosen.
    /// The recursion depth is the number of columns of one group (at most 15), not the input.
    fn parts_of(&mut self, g: usize, left: usize, at: usize, sum: u64, widest: usize) {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.stopped = true;
        }
        if self.stopped {
            return;
        }
        let rest = self.d.len() - at;
        let later: usize = self.groups.get(g + 1..).map_or(0, |gs| gs.iter().sum());
        if left == 0 {
            // The group's total is the sum, printed without leading zeros.
            let total = sum.to_string();
            let end = at + total.len();
            if end <= self.d.len() && self.d[at..end] == *total.as_bytes() {
                self.parts.push((at, end));
                self.group(g + 1, end);
                self.parts.pop();
            }
            return;
        }
        // This number, the `left - 1` after it, the total (at least as wide as the widest part)
        // and one digit per number of the later groups must fit in the rest.
        for len in 1..=MAX_NUMBER_DIGITS {
            let need = len + (left - 1) + len.max(widest) + later;
            if need > rest {
                break;
            }
            if len > 1 && self.d[at] == b'0' {
                break;
            }
            let v = self.value((at, at + len));
            let Some(s) = sum.checked_add(v) else { break };
            self.parts.push((at, at + len));
            self.parts_of(g, left - 1, at + len, s, widest.max(len));
            self.parts.pop();
            if self.stopped {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unique(v: &[&str]) -> Split {
        Split::Unique(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn groups_end_at_totals() {
        let t3 = [
            "natural_person",
            "commercial_enterprise",
            "research_institution",
            "social_welfare_organization",
            "legal_service_organization",
            "other_organization",
            "total",
        ];
        assert_eq!(groups(&t3, "total"), Some(vec![7]));
        let t4 = ["a", "b", "c", "d", "total", "a", "b", "c", "d", "total"];
        assert_eq!(groups(&t4, "total"), Some(vec![5, 5]));
        assert_eq!(groups(&["a", "b"], "total"), None);
        assert_eq!(groups(&["total"], "total"), None);
    }

    #[test]
    fn a_unique_reading_is_found() {
        // 64+0+0+2+0+4 = 70, and no other split of "640020470" adds up.
        assert_eq!(
            split("640020470", &[7]),
            unique(&["64", "0", "0", "2", "0", "4", "70"])
        );
        // All zeros: one reading.
        assert_eq!(
            split("0000000", &[7]),
            unique(&["0", "0", "0", "0", "0", "0", "0"])
        );
        // 120 8 0 1 3 2 134
        assert_eq!(
            split("12080132134", &[7]),
            unique(&["120", "8", "0", "1", "3", "2", "134"])
        );
    }

    #[test]
    fn several_readings_are_refused_with_their_count() {
        // Counted by hand: 1 10 0 0 0 0 11 and 11 0 0 0 0 0 11.
        assert_eq!(
            split("110000011", &[7]),
            Split::Ambiguous {
                readings: 2,
                capped: false
            }
        );
        // 0 12 0 1 0 10 23, 0 1 2 0 10 10 23 and 0 12 0 10 1 0 23.
        assert_eq!(
            split("0120101023", &[7]),
            Split::Ambiguous {
                readings: 3,
                capped: false
            }
        );
        // 100 10 1 100 1 12 224 has five other readings (10 0 101 100 1 12 224 …).
        assert_eq!(
            split("100101100112224", &[7]),
            Split::Ambiguous {
                readings: 6,
                capped: false
            }
        );
        // Near misses that read one way.
        assert_eq!(
            split("1100002", &[7]),
            unique(&["1", "1", "0", "0", "0", "0", "2"])
        );
        assert_eq!(
            split("1010002", &[7]),
            unique(&["1", "0", "1", "0", "0", "0", "2"])
        );
        assert_eq!(
            split("1111116", &[7]),
            unique(&["1", "1", "1", "1", "1", "1", "6"])
        );
    }

    #[test]
    fn impossible_and_too_long() {
        assert_eq!(split("1234567", &[7]), Split::Impossible);
        assert_eq!(split("000000", &[7]), Split::Impossible);
        assert_eq!(split(&"1".repeat(41), &[7]), Split::TooLong);
        assert_eq!(split("12a", &[7]), Split::Impossible);
    }

    #[test]
    fn table_four_groups() {
        // 2 1 0 1 4 | 1 0 0 1 2 | 0 0 0 0 0
        assert_eq!(
            split("210141001200000", &[5, 5, 5]),
            unique(&["2", "1", "0", "1", "4", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"])
        );
        assert_eq!(split("000000000000000", &[5, 5, 5]), unique(&["0"; 15]));
        // 14 digits cannot fill 15 cells.
        assert_eq!(split("00000000000000", &[5, 5, 5]), Split::Impossible);
    }

    #[test]
    fn the_longest_runs_stay_bounded() {
        // 40 digits into 7 numbers: the search ends (some result) without exhausting memory.
        let _ = split(&"1".repeat(40), &[7]);
        let _ = split(&"9".repeat(40), &[5, 5, 5]);
        let _ = split(&"0".repeat(40), &[7]);
    }
}
