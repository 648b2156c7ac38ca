//! The solver of flattened tables: every row of a table printed as runs of digits with no
//! separator between its cells ("一、本年新收政府信息公开申请数量713000074"), split into the row's
//! cells **over the whole table at once**.
//!
//! # The problem
//! Each row is a list of tokens (the whitespace-separated pieces of its printed value text) and
//! a list of columns. A *reading* of a row cuts every token into one or more numbers so that the
//! row gets exactly one number per column. A number:
//! - has no leading zero ("0" itself is a number, "05" is not);
//! - has at most [`MAX_NUMBER_DIGITS`] digits;
//! - has a decimal part only in a column whose unit allows one ([`ColKind::Amount`]), and a sign
//!   only in a signed column ([`ColKind::Signed`], the 2019 本年增/减);
//! - a placeholder of the catalogue ("—", "/", "无", "--") is a cell on its own that holds no
//!   number (several glued placeholders are cut like digits: "——" is one cell or two).
//!
//! Constraints:
//! 1. **Row totals** (per row): in each group of a row's columns, the last column (总计) equals
//!    the sum of the others (table 三's seven columns; table 四's three groups of five).
//! 2. **Identities** between rows, per column: a signed sum of the same column of several rows
//!    is zero — table 三's 勾稽 (一 + 二 = （七）总计 + 四) and （七）总计 = the sum of the outcome
//!    rows. An identity involving a blank (or a decimal) is not evaluated, as in the checks.
//!
//! A cell is read only when **every** assignment of readings that satisfies all the constraints
//! gives it the same value; every other cell is left out, and the caller reports it with the
//! readings that remain ([`RowResult::readings`]).
//!
//! # A report whose arithmetic is wrong
//! The solver never forces a report into consistency:
//! - a row none of whose readings meets its own total (its cells add up to 10, its 总计 says 9)
//!   is solved without its total: only what the digits alone determine is read
//!   ([`RowStatus::BrokenTotal`]);
//! - when no assignment meets all the identities, the identities are dropped and every row is
//!   solved on its own ([`Outcome::Inconsistent`]); the checks still report the broken identity.
//!
//! # Bounds
//! Hostile input costs bounded time and memory: a row whose tokens hold more than
//! [`MAX_ROW_DIGITS`] digits is refused ([`RowStatus::TooLong`]; a 10,000-digit run never
//! reaches the search); each row's enumeration counts its nodes and stops at [`ROW_NODES`]
//! ([`RowStatus::Budget`]); a row with more than [`MAX_READINGS`] readings takes part in no
//! identity; the search over the whole table stops at [`TABLE_NODES`] nodes
//! ([`Outcome::Budget`]: rows are then solved on their own, which is sound — every whole-table
//! assignment is made of row readings). The recursion depth is the number of columns of a row or
//! the number of rows of a table, never the input's length.
//!
//! Why hand-written: the problem is a small exact-cover-like enumeration with linear equalities
//! over the cells' digit strings; a general constraint solver (SAT/SMT/ILP) would be a large
//! dependency for a few hundred lines, and would have to be told about leading zeros, decimal
//! points and "all solutions agree" anyway.

use xxgk_model::catalogue;

/// Longest number in a cell (a sum of a row's cells still fits an `i128`).
pub const MAX_NUMBER_DIGITS: usize = 18;
/// Most digits in one row's value text (15 columns of 18 digits fit; longer is refused).
pub const MAX_ROW_DIGITS: usize = 300;
/// Nodes of one row's enumeration before it stops.
pub const ROW_NODES: usize = 200_000;
/// Readings kept per row; a row with more takes part in no identity.
pub const MAX_READINGS: usize = 256;
/// Nodes of the whole-table search before it stops.
pub const TABLE_NODES: usize = 2_000_000;

/// What a column may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    /// A non-negative integer.
    Count,
    /// A signed integer.
    Signed,
    /// A non-negative amount, possibly with decimals.
    Amount,
}

/// One whitespace-separated piece of a row's printed value text: digits, decimal points, signs
/// and placeholders, and the byte offset where it starts. A token is cut into one or more cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub at: usize,
}

/// One row to solve.
#[derive(Debug, Clone)]
pub struct RowInput {
    pub tokens: Vec<Token>,
    pub cols: Vec<ColKind>,
    /// Sizes of the row's total groups (the last column of each is its total); empty when the
    /// row has no total.
    pub groups: Vec<usize>,
}

/// `Σ coef × row[column] = 0` over the listed rows (indices into the problem's rows).
#[derive(Debug, Clone)]
pub struct Identity {
    pub column: usize,
    pub terms: Vec<(usize, i64)>,
}

/// One cell of a reading: its printed text and byte offset (`None` offset never happens for a
/// digit cell; kept for blanks too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub at: usize,
    pub blank: bool,
}

impl Piece {
    /// The integer value, when the piece is one (not blank, no decimals).
    fn int(&self) -> Option<i128> {
        if self.blank || self.text.contains('.') {
            return None;
        }
        self.text.parse().ok()
    }
}

/// Why a row was (or was not) solved as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// Readings found that meet the row's totals (or the row has none).
    Ok,
    /// No reading meets the row's totals: solved from the digits alone.
    BrokenTotal,
    /// No way to cut the tokens into the row's cells at all.
    NoReading,
    /// More than [`MAX_ROW_DIGITS`] digits: refused.
    TooLong,
    /// The row's enumeration ran out of its budget.
    Budget,
}

/// A row as solved.
#[derive(Debug, Clone)]
pub struct RowResult {
    pub status: RowStatus,
    /// Per column: the cell when every remaining reading agrees on it.
    pub cells: Vec<Option<Piece>>,
    /// The readings that remain (after the whole-table search when it ran), as the cells'
    /// texts; at most [`MAX_READINGS`].
    pub readings: Vec<Vec<String>>,
    /// Whether the row had more readings than were kept.
    pub capped: bool,
}

/// How the whole-table search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// At least one assignment meets every identity; cells read where all agree.
    Consistent,
    /// No assignment meets the identities: rows solved on their own.
    Inconsistent,
    /// The search ran out of its budget: rows solved on their own.
    Budget,
}

/// The result of [`solve`].
#[derive(Debug, Clone)]
pub struct Solution {
    pub outcome: Outcome,
    pub rows: Vec<RowResult>,
}

/// Solve the rows under their totals and the identities (see the module documentation).
pub fn solve(rows: &[RowInput], identities: &[Identity]) -> Solution {
    // 1. Each row on its own.
    let mut per_row: Vec<(RowStatus, Vec<Vec<Piece>>, bool)> =
        rows.iter().map(row_readings).collect();

    // 2. The whole table: rows with readings that take part in identities.
    let usable = |r: usize, per_row: &[(RowStatus, Vec<Vec<Piece>>, bool)]| {
        let (status, readings, capped) = &per_row[r];
        matches!(status, RowStatus::Ok | RowStatus::BrokenTotal) && !readings.is_empty() && !capped
    };
    let ids: Vec<&Identity> = identities
        .iter()
        .filter(|id| {
            id.terms
                .iter()
                .all(|(r, _)| *r < rows.len() && usable(*r, &per_row))
        })
        .collect();
    let mut outcome = Outcome::Consistent;
    if !ids.is_empty() {
        let mut vars: Vec<usize> = ids
            .iter()
            .flat_map(|id| id.terms.iter().map(|(r, _)| *r))
            .collect();
        vars.sort_unstable();
        vars.dedup();
        // Fixed rows first (one reading), then by fewest readings: prunes early.
        vars.sort_by_key(|r| per_row[*r].1.len());
        let mut search = Search {
            vars: &vars,
            ids: &ids,
            readings: &per_row,
            chosen: vec![usize::MAX; rows.len()],
            used: per_row.iter().map(|p| vec![false; p.1.len()]).collect(),
            solutions: 0,
            nodes: 0,
            stopped: false,
        };
        // The last position in `vars` at which each identity can be evaluated.
        let pos: Vec<usize> = rows
            .iter()
            .enumerate()
            .map(|(r, _)| vars.iter().position(|v| *v == r).unwrap_or(usize::MAX))
            .collect();
        let due: Vec<Vec<usize>> = (0..vars.len())
            .map(|k| {
                ids.iter()
                    .enumerate()
                    .filter(|(_, id)| id.terms.iter().map(|(r, _)| pos[*r]).max() == Some(k))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        search.run(0, &due);
        let (solutions, stopped, used) = (search.solutions, search.stopped, search.used);
        if stopped {
            outcome = Outcome::Budget;
        } else if solutions == 0 {
            outcome = Outcome::Inconsistent;
        } else {
            for &r in &vars {
                let readings = std::mem::take(&mut per_row[r].1);
                per_row[r].1 = readings
                    .into_iter()
                    .zip(&used[r])
                    .filter(|(_, u)| **u)
                    .map(|(x, _)| x)
                    .collect();
            }
        }
    }

    let rows = per_row
        .into_iter()
        .zip(rows)
        .map(|((status, readings, capped), input)| {
            let n = input.cols.len();
            let cells = (0..n)
                .map(|c| {
                    let first = readings.first()?.get(c)?;
                    (!capped
                        && matches!(status, RowStatus::Ok | RowStatus::BrokenTotal)
                        // The same value: the text, wherever in the run it is cut from.
                        && readings
                            .iter()
                            .all(|x| x.get(c).map(|p| &p.text) == Some(&first.text)))
                    .then(|| first.clone())
                })
                .collect();
            RowResult {
                status,
                cells,
                readings: readings
                    .iter()
                    .map(|x| x.iter().map(|p| p.text.clone()).collect())
                    .collect(),
                capped,
            }
        })
        .collect();
    Solution { outcome, rows }
}

struct Search<'a> {
    vars: &'a [usize],
    ids: &'a [&'a Identity],
    readings: &'a [(RowStatus, Vec<Vec<Piece>>, bool)],
    chosen: Vec<usize>,
    used: Vec<Vec<bool>>,
    solutions: usize,
    nodes: usize,
    stopped: bool,
}

impl Search<'_> {
    /// Assign `vars[k..]`; `due[k]` = identities whose last row is `vars[k]`.
    fn run(&mut self, k: usize, due: &[Vec<usize>]) {
        if self.stopped {
            return;
        }
        let Some(&r) = self.vars.get(k) else {
            self.solutions += 1;
            for &v in self.vars {
                self.used[v][self.chosen[v]] = true;
            }
            return;
        };
        for i in 0..self.readings[r].1.len() {
            self.nodes += 1;
            if self.nodes > TABLE_NODES {
                self.stopped = true;
                return;
            }
            self.chosen[r] = i;
            if due[k].iter().all(|&d| self.holds(self.ids[d])) {
                self.run(k + 1, due);
            }
            if self.stopped {
                return;
            }
        }
        self.chosen[r] = usize::MAX;
    }

    /// Whether an identity holds for the chosen readings (a blank or decimal: not evaluated).
    fn holds(&self, id: &Identity) -> bool {
        let mut sum: i128 = 0;
        for &(r, coef) in &id.terms {
            let reading = &self.readings[r].1[self.chosen[r]];
            match reading.get(id.column).and_then(Piece::int) {
                Some(v) => sum += v * i128::from(coef),
                None => return true,
            }
        }
        sum == 0
    }
}

/// The readings of one row on its own: under its totals, else (none) from the digits alone.
fn row_readings(row: &RowInput) -> (RowStatus, Vec<Vec<Piece>>, bool) {
    let digits: usize = row.tokens.iter().map(|t| t.text.chars().count()).sum();
    if digits > MAX_ROW_DIGITS {
        return (RowStatus::TooLong, Vec::new(), false);
    }
    let with_totals = !row.groups.is_empty();
    let mut e = Enum::new(row, with_totals);
    e.token(0, 0);
    if e.stopped {
        return (RowStatus::Budget, Vec::new(), false);
    }
    if !e.found.is_empty() || !with_totals {
        let status = if e.found.is_empty() {
            RowStatus::NoReading
        } else {
            RowStatus::Ok
        };
        return (status, e.found, e.capped);
    }
    let mut e = Enum::new(row, false);
    e.token(0, 0);
    if e.stopped {
        return (RowStatus::Budget, Vec::new(), false);
    }
    if e.found.is_empty() {
        (RowStatus::NoReading, Vec::new(), false)
    } else {
        (RowStatus::BrokenTotal, e.found, e.capped)
    }
}

/// The enumeration of one row's readings.
struct Enum<'a> {
    row: &'a RowInput,
    totals: bool,
    /// Column index → (group start, group end) when the column is a group's total.
    total_of: Vec<Option<(usize, usize)>>,
    /// Characters in tokens `t..` (a blank counts one).
    suffix: Vec<usize>,
    cells: Vec<Piece>,
    found: Vec<Vec<Piece>>,
    capped: bool,
    nodes: usize,
    stopped: bool,
}

impl<'a> Enum<'a> {
    fn new(row: &'a RowInput, totals: bool) -> Enum<'a> {
        let mut total_of = vec![None; row.cols.len()];
        let mut start = 0;
        for g in &row.groups {
            let end = start + g;
            if *g >= 2 && end <= row.cols.len() {
                total_of[end - 1] = Some((start, end - 1));
            }
            start = end;
        }
        let mut suffix = vec![0; row.tokens.len() + 1];
        for (i, t) in row.tokens.iter().enumerate().rev() {
            suffix[i] = suffix[i + 1] + t.text.len();
        }
        Enum {
            row,
            totals,
            total_of,
            suffix,
            cells: Vec::with_capacity(row.cols.len()),
            found: Vec::new(),
            capped: false,
            nodes: 0,
            stopped: false,
        }
    }

    /// Cut token `t` from byte `from` on (its earlier bytes already taken).
    fn token(&mut self, t: usize, from: usize) {
        self.nodes += 1;
        if self.nodes > ROW_NODES {
            self.stopped = true;
        }
        if self.stopped {
            return;
        }
        let col = self.cells.len();
        let Some(token) = self.row.tokens.get(t) else {
            if col == self.row.cols.len() {
                if self.found.len() < MAX_READINGS {
                    self.found.push(self.cells.clone());
                } else {
                    self.capped = true;
                }
            }
            return;
        };
        let Some(&kind) = self.row.cols.get(col) else {
            return;
        };
        // Enough columns left for the tokens after this one (each needs at least one), and
        // few enough characters left for the columns left.
        let left = self.row.cols.len() - col;
        let chars = self.suffix[t] - from;
        if left < self.row.tokens.len() - t || chars > left * (MAX_NUMBER_DIGITS + 2) * 3 {
            return;
        }
        let (text, at) = (&token.text, token.at);
        let rest = &text[from..];
        if rest.is_empty() {
            return;
        }
        // A placeholder: a cell without a number.
        for p in catalogue::PLACEHOLDERS {
            if !p.is_empty() && rest.starts_with(p) {
                self.take(t, from, p.len(), at, text, true);
                if self.stopped {
                    return;
                }
            }
        }
        // A group's total: computed, not enumerated.
        if self.totals {
            if let Some((a, b)) = self.total_of[col] {
                let mut sum: i128 = 0;
                for p in &self.cells[a..b] {
                    match p.int() {
                        Some(v) => sum += v,
                        None => {
                            sum = -1;
                            break;
                        }
                    }
                }
                if sum >= 0 {
                    let s = sum.to_string();
                    if rest.starts_with(&s) {
                        self.take(t, from, s.len(), at, text, false);
                    }
                    return;
                }
            }
        }
        for (len, _) in rest.char_indices().skip(1).chain([(rest.len(), ' ')]) {
            let piece = &rest[..len];
            if !number_ok(piece, kind) {
                if prefix_dead(piece, kind) {
                    break;
                }
                continue;
            }
            self.take(t, from, len, at, text, false);
            if self.stopped {
                return;
            }
        }
    }

    fn take(&mut self, t: usize, from: usize, len: usize, at: usize, text: &str, blank: bool) {
        let end = from + len;
        let piece = Piece {
            text: text[from..end].to_string(),
            at: at + from,
            blank,
        };
        if end == text.len() {
            self.push(piece, t + 1, 0);
        } else {
            self.push(piece, t, end);
        }
    }

    fn push(&mut self, piece: Piece, t: usize, from: usize) {
        self.cells.push(piece);
        self.token(t, from);
        self.cells.pop();
    }
}

/// Whether `s` is a number a column of `kind` may print.
fn number_ok(s: &str, kind: ColKind) -> bool {
    let body = match (kind, s.strip_prefix('-')) {
        (ColKind::Signed, Some(b)) => {
            if b == "0" {
                return false;
            }
            b
        }
        (_, Some(_)) => return false,
        (_, None) => s,
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) if kind == ColKind::Amount => (i, Some(f)),
        Some(_) => return false,
        None => (body, None),
    };
    let int_ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && int.len() <= MAX_NUMBER_DIGITS;
    let frac_ok = frac.is_none_or(|f| {
        !f.is_empty()
            && f.bytes().all(|b| b.is_ascii_digit())
            && int.len() + f.len() <= MAX_NUMBER_DIGITS
    });
    int_ok && frac_ok
}

/// Whether no longer piece starting with `s` can be a number of `kind` (stop extending).
fn prefix_dead(s: &str, kind: ColKind) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    if s.starts_with('-') && kind != ColKind::Signed {
        return true;
    }
    let int = body.split_once('.').map_or(body, |(i, _)| i);
    !body
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        || (int.len() > 1 && int.starts_with('0'))
        || body.len() > MAX_NUMBER_DIGITS + 1
        || body.matches('.').count() > 1
        || (body.contains('.') && kind != ColKind::Amount)
        || body[1.min(body.len())..].contains('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(runs: &[&str], cols: usize, groups: &[usize]) -> RowInput {
        let mut at = 0;
        RowInput {
            tokens: runs
                .iter()
                .map(|r| {
                    let t = Token {
                        text: r.to_string(),
                        at,
                    };
                    at += r.len() + 1;
                    t
                })
                .collect(),
            cols: vec![ColKind::Count; cols],
            groups: groups.to_vec(),
        }
    }

    fn texts(r: &RowResult) -> Vec<Option<String>> {
        r.cells
            .iter()
            .map(|c| c.as_ref().map(|p| p.text.clone()))
            .collect()
    }

    fn all(v: &[&str]) -> Vec<Option<String>> {
        v.iter().map(|s| Some(s.to_string())).collect()
    }

    #[test]
    fn a_row_with_one_reading_under_its_total() {
        // 71+3+0+0+0+0 = 74; checked by hand that no other cut of "713000074" adds up.
        let s = solve(&[row(&["713000074"], 7, &[7])], &[]);
        assert_eq!(s.outcome, Outcome::Consistent);
        assert_eq!(
            texts(&s.rows[0]),
            all(&["71", "3", "0", "0", "0", "0", "74"])
        );
    }

    #[test]
    fn no_arithmetic_leaves_every_reading() {
        // Three columns, no total: 7 digits cut twice, C(6,2) = 15 ways, none with a leading 0.
        let s = solve(&[row(&["8855698"], 3, &[])], &[]);
        assert_eq!(s.rows[0].cells, vec![None, None, None]);
        assert_eq!(s.rows[0].readings.len(), 15);
        assert!(s.rows[0]
            .readings
            .contains(&vec!["88".to_string(), "55".into(), "698".into()]));
        // "000" has one way.
        let s = solve(&[row(&["000"], 3, &[])], &[]);
        assert_eq!(texts(&s.rows[0]), all(&["0", "0", "0"]));
    }

    #[test]
    fn the_whole_table_decides_what_a_row_alone_cannot() {
        // Row A "110000011" alone: 1 10 0 0 0 0 11 or 11 0 0 0 0 0 11. Row B "1000001" is
        // 1 0 0 0 0 0 1 and row C "010000010" only 0 10 0 0 0 0 10 (0 100 0 0 0 1 0 does not add
        // up). The identity A = B + C per column gives A = 1 10 0 0 0 0 11: one reading left.
        let rows = [
            row(&["110000011"], 7, &[7]),
            row(&["1000001"], 7, &[7]),
            row(&["010000010"], 7, &[7]),
        ];
        let ids: Vec<Identity> = (0..7)
            .map(|c| Identity {
                column: c,
                terms: vec![(0, 1), (1, -1), (2, -1)],
            })
            .collect();
        let s = solve(&rows, &ids);
        assert_eq!(s.outcome, Outcome::Consistent);
        assert_eq!(
            texts(&s.rows[0]),
            all(&["1", "10", "0", "0", "0", "0", "11"])
        );
        // Without the identities the row is undetermined in its first two cells.
        let s = solve(&rows, &[]);
        assert_eq!(s.rows[0].cells[0], None);
        assert_eq!(s.rows[0].cells[1], None);
        assert_eq!(s.rows[0].cells[2].as_ref().unwrap().text, "0");
        assert_eq!(s.rows[0].readings.len(), 2);
    }

    #[test]
    fn a_broken_report_is_not_forced() {
        // "1200004": seven digits for seven cells, one way to cut them, 1+2 = 3 ≠ 4: the row's
        // total is broken; the cells are still what the digits say.
        let s = solve(&[row(&["1200004"], 7, &[7])], &[]);
        assert_eq!(s.rows[0].status, RowStatus::BrokenTotal);
        assert_eq!(texts(&s.rows[0]), all(&["1", "2", "0", "0", "0", "0", "4"]));
        // An identity that no assignment meets: dropped, rows solved alone.
        let rows = [row(&["1000001"], 7, &[7]), row(&["2000002"], 7, &[7])];
        let ids: Vec<Identity> = (0..7)
            .map(|c| Identity {
                column: c,
                terms: vec![(0, 1), (1, -1)],
            })
            .collect();
        let s = solve(&rows, &ids);
        assert_eq!(s.outcome, Outcome::Inconsistent);
        assert_eq!(texts(&s.rows[1]), all(&["2", "0", "0", "0", "0", "0", "2"]));
    }

    #[test]
    fn groups_tokens_blanks_decimals_signs() {
        // Table 四: 15 space-separated cells.
        let r = row(
            &[
                "0", "1", "1", "0", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0",
            ],
            15,
            &[5, 5, 5],
        );
        let s = solve(&[r], &[]);
        assert!(s.rows[0].cells.iter().all(Option::is_some));
        // A placeholder is one blank cell; the total next to it is not evaluated.
        let s = solve(&[row(&["5", "—", "0", "0", "0", "0", "5"], 7, &[7])], &[]);
        assert!(s.rows[0].cells[1].as_ref().unwrap().blank);
        // Glued: "5—00005" is 5 — 0 0 0 0 5 only (the total cannot be checked, the cut can).
        let s = solve(&[row(&["5—00005"], 7, &[7])], &[]);
        assert_eq!(texts(&s.rows[0]), all(&["5", "—", "0", "0", "0", "0", "5"]));
        // "——" is one placeholder or two: with 7 cells and "——00000" it must be two.
        let s = solve(&[row(&["——00000"], 7, &[7])], &[]);
        assert_eq!(texts(&s.rows[0]), all(&["—", "—", "0", "0", "0", "0", "0"]));
        // …with 6 digits left it is one: "——000000" → —— 0 0 0 0 0 0 or — — 0 0 0 0 00 (no).
        let s = solve(&[row(&["——000000"], 7, &[7])], &[]);
        assert_eq!(
            texts(&s.rows[0]),
            all(&["——", "0", "0", "0", "0", "0", "0"])
        );
        // A decimal only in an amount column.
        let mut r = row(&["9116.36"], 1, &[]);
        assert_eq!(
            solve(&[r.clone()], &[]).rows[0].status,
            RowStatus::NoReading
        );
        r.cols = vec![ColKind::Amount];
        assert_eq!(texts(&solve(&[r], &[]).rows[0]), all(&["9116.36"]));
        // A sign only in a signed column: "5-310" is 5 | -3 | 10, 5 | -31 | 0, or with "-" as a
        // placeholder 5 | - | 310, 5 | - | … no: "-" then "310" is one cell: three readings.
        let mut r = row(&["5-310"], 3, &[]);
        r.cols = vec![ColKind::Count, ColKind::Signed, ColKind::Count];
        let s = solve(&[r], &[]);
        assert_eq!(s.rows[0].cells[0].as_ref().unwrap().text, "5");
        assert_eq!(s.rows[0].readings.len(), 3);
        assert_eq!(s.rows[0].cells[1], None);
    }

    #[test]
    fn a_cell_with_the_same_value_in_every_reading_is_read() {
        // "100000--": 1 0 0 0 0 0 -- or 10 0 0 0 0 - -: the second cell is 0 in both (cut from
        // different places), the first is not determined.
        let s = solve(&[row(&["100000--"], 7, &[7])], &[]);
        assert_eq!(s.rows[0].readings.len(), 2);
        assert_eq!(s.rows[0].cells[0], None);
        assert_eq!(s.rows[0].cells[1].as_ref().unwrap().text, "0");
    }

    #[test]
    fn hostile_runs_are_bounded() {
        let s = solve(&[row(&[&"1".repeat(10_000)], 7, &[7])], &[]);
        assert_eq!(s.rows[0].status, RowStatus::TooLong);
        // 300 digits into 15 cells without totals: the budget stops it, nothing is read.
        let s = solve(&[row(&[&"1".repeat(MAX_ROW_DIGITS)], 15, &[])], &[]);
        assert!(matches!(
            s.rows[0].status,
            RowStatus::Budget | RowStatus::NoReading
        ));
        assert!(s.rows[0].cells.iter().all(Option::is_none));
        // Many ambiguous rows under identities: the table search is bounded too.
        let rows: Vec<RowInput> = (0..25).map(|_| row(&["1111111111111"], 7, &[])).collect();
        let ids: Vec<Identity> = (0..7)
            .map(|c| Identity {
                column: c,
                terms: (0..25).map(|r| (r, if r == 0 { 1 } else { -1 })).collect(),
            })
            .collect();
        let s = solve(&rows, &ids);
        assert!(s.rows.iter().all(|r| r.cells.iter().all(Option::is_none)));
    }
}
