//! Glyphs and rules of a page → lines of a [`Document`].
//!
//! - **Ruled tables**: the axis-aligned rules are grouped into connected sets; a set with rules
//!   in both directions is a table whose grid is the distinct x of its vertical rules and the
//!   distinct y of its horizontal rules. Two neighbouring grid cells belong to one (merged) cell
//!   where the rule between them is missing at the middle of their common side. Each glyph goes
//!   to the cell holding its centre; a cell's text is its lines joined (wrapped labels, vertical
//!   labels of one character per line). Every grid row is printed as a true grid row: a merged
//!   cell's text in its top-left grid cell, empty fields for the rest.
//! - **Text outside tables**: glyphs grouped into lines by baseline, words by gaps (a wide gap
//!   prints as several spaces, so space-aligned rows of a table without rules stay readable by
//!   the text layouts of [`crate::rows`]).
//!
//! Tables and lines are printed in the order of their top on the page.

use super::content::{Glyph, PageContent, Seg};
use crate::doc::{Document, Origin};

/// Tolerance (points) for rules to meet or to be one grid line.
const TOL: f32 = 2.0;
/// Grid lines closer than this are one line.
const MIN_GAP: f32 = 4.0;
/// Most rules considered on one page for tables (beyond, the page is read as text).
const MAX_RULES: usize = 6000;

/// A ruled table: its grid and its (merged) cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// x of the grid's vertical lines, ascending.
    pub xs: Vec<f32>,
    /// y of the grid's horizontal lines, ascending (top-down).
    pub ys: Vec<f32>,
    /// For each grid cell (row-major), the index of its merged cell in `cells`.
    owner: Vec<usize>,
    /// Merged cells: (first row, first column) of each.
    anchors: Vec<(usize, usize)>,
}

impl Table {
    fn rows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }

    fn cols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    fn contains(&self, x: f32, y: f32) -> bool {
        match (
            self.xs.first(),
            self.xs.last(),
            self.ys.first(),
            self.ys.last(),
        ) {
            (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) => {
                x >= x0 && x <= x1 && y >= y0 && y <= y1
            }
            _ => false,
        }
    }

    /// The merged cell holding point (x, y) of the table.
    fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let c = band(&self.xs, x)?;
        let r = band(&self.ys, y)?;
        self.owner.get(r * self.cols() + c).copied()
    }
}

/// Index k with lines[k] ≤ v < lines[k+1] (the last band includes its end).
fn band(lines: &[f32], v: f32) -> Option<usize> {
    let n = lines.len();
    if n < 2 || v < lines[0] || v > lines[n - 1] {
        return None;
    }
    let k = lines.partition_point(|&l| l <= v);
    Some(k.saturating_sub(1).min(n - 2))
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn new(n: usize) -> Dsu {
        Dsu((0..n).collect())
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Cluster values: sorted, values within `MIN_GAP` of the previous cluster's first are one.
fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, f32, usize)> = Vec::new(); // (first, sum, count)
    for x in v {
        match out.last_mut() {
            Some((first, sum, n)) if x - *first < MIN_GAP => {
                *sum += x;
                *n += 1;
            }
            _ => out.push((x, x, 1)),
        }
    }
    out.into_iter().map(|(_, s, n)| s / n as f32).collect()
}

fn touches(a: &Seg, b: &Seg) -> bool {
    a.x0 <= b.x1 + TOL && b.x0 <= a.x1 + TOL && a.y0 <= b.y1 + TOL && b.y0 <= a.y1 + TOL
}

/// The ruled tables drawn by `segs`.
pub fn tables(segs: &[Seg]) -> Vec<Table> {
    let mut rules: Vec<Seg> = segs
        .iter()
        .filter(|s| s.is_horizontal() || s.is_vertical())
        .copied()
        .collect();
    // The same rule is often drawn twice (by both cells beside it).
    rules.sort_by(|a, b| {
        (a.x0, a.y0, a.x1, a.y1)
            .partial_cmp(&(b.x0, b.y0, b.x1, b.y1))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    rules.dedup_by(|a, b| {
        (a.x0 - b.x0).abs() < 0.5
            && (a.y0 - b.y0).abs() < 0.5
            && (a.x1 - b.x1).abs() < 0.5
            && (a.y1 - b.y1).abs() < 0.5
    });
    if rules.len() > MAX_RULES {
        return Vec::new();
    }
    let n = rules.len();
    let mut dsu = Dsu::new(n);
    for i in 0..n {
        for j in i + 1..n {
            if touches(&rules[i], &rules[j]) {
                dsu.union(i, j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Seg>> = Default::default();
    for (i, r) in rules.iter().enumerate() {
        groups.entry(dsu.find(i)).or_default().push(*r);
    }
    groups.into_values().filter_map(|g| table_of(&g)).collect()
}

fn table_of(rules: &[Seg]) -> Option<Table> {
    let (h, v): (Vec<&Seg>, Vec<&Seg>) = rules.iter().partition(|s| s.is_horizontal());
    if h.len() < 2 || v.len() < 2 {
        return None;
    }
    let xs = cluster(v.iter().map(|s| (s.x0 + s.x1) / 2.0).collect());
    let ys = cluster(h.iter().map(|s| (s.y0 + s.y1) / 2.0).collect());
    // One column or one cell is a frame around text, not a table.
    if xs.len() < 3 || ys.len() < 2 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    let vwall = |k: usize, r: usize| {
        let x = xs[k];
        let mid = (ys[r] + ys[r + 1]) / 2.0;
        v.iter().any(|s| {
            ((s.x0 + s.x1) / 2.0 - x).abs() < MIN_GAP && s.y0 - TOL <= mid && s.y1 + TOL >= mid
        })
    };
    let hwall = |k: usize, c: usize| {
        let y = ys[k];
        let mid = (xs[c] + xs[c + 1]) / 2.0;
        h.iter().any(|s| {
            ((s.y0 + s.y1) / 2.0 - y).abs() < MIN_GAP && s.x0 - TOL <= mid && s.x1 + TOL >= mid
        })
    };
    let mut dsu = Dsu::new(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !vwall(c + 1, r) {
                dsu.union(r * cols + c, r * cols + c + 1);
            }
            if r + 1 < rows && !hwall(r + 1, c) {
                dsu.union(r * cols + c, (r + 1) * cols + c);
            }
        }
    }
    let mut index = std::collections::HashMap::new();
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let mut owner = vec![0; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            let root = dsu.find(r * cols + c);
            let k = *index.entry(root).or_insert_with(|| {
                anchors.push((r, c));
                anchors.len() - 1
            });
            owner[r * cols + c] = k;
            // Top-left of an irregular group: the first row, its leftmost column.
            let a = &mut anchors[k];
            if r == a.0 && c < a.1 {
                a.1 = c;
            }
        }
    }
    Some(Table {
        xs,
        ys,
        owner,
        anchors,
    })
}

/// Lines of glyphs: grouped by baseline, each sorted by x, overprinted copies dropped.
pub fn lines(mut glyphs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    let mut line_y = f32::NAN;
    for g in glyphs {
        let same = out.last().is_some_and(|l: &Vec<&Glyph>| {
            let size = l.iter().map(|x| x.size).fold(g.size, f32::min).max(1.0);
            (g.y - line_y).abs() <= 0.4 * size
        });
        if same {
            if let Some(l) = out.last_mut() {
                l.push(g);
            }
        } else {
            line_y = g.y;
            out.push(vec![g]);
        }
    }
    for l in &mut out {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        l.dedup_by(|b, a| {
            a.ch == b.ch && (a.x0 - b.x0).abs() < 0.3 * a.size && (a.y - b.y).abs() < 0.3 * a.size
        });
    }
    out
}

fn is_wide(c: char) -> bool {
    !c.is_ascii() && !matches!(c, '\u{00A0}'..='\u{024F}')
}

/// The text of one line. `columns`: a gap wider than 1.5 em prints as 3 spaces.
pub fn line_text(line: &[&Glyph], columns: bool) -> String {
    let mut s = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in line {
        if let Some(p) = prev {
            let size = p.size.max(g.size).max(1.0);
            let gap = g.x0 - p.x1;
            if columns && gap > 1.5 * size {
                s.push_str("   ");
            } else if gap
                > (if is_wide(p.ch) && is_wide(g.ch) {
                    1.0
                } else {
                    0.2
                }) * size
            {
                s.push(' ');
            }
        }
        s.push(g.ch);
        prev = Some(g);
    }
    s
}

/// The text of a cell: its lines joined (a space only between two Latin letters or digits).
fn cell_text(glyphs: Vec<&Glyph>) -> String {
    let mut s = String::new();
    for l in lines(glyphs) {
        let t = line_text(&l, false);
        if let (Some(a), Some(b)) = (s.chars().last(), t.chars().next()) {
            if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                s.push(' ');
            }
        }
        s.push_str(&t);
    }
    s
}

enum Item {
    Line(String),
    Table(Vec<Vec<String>>),
}

/// Print page `page_no` into `doc`.
pub fn page(p: &PageContent, page_no: u32, doc: &mut Document) {
    let tables = tables(&p.segs);
    let mut in_cells: Vec<Vec<Vec<&Glyph>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.anchors.len()])
        .collect();
    let mut free: Vec<&Glyph> = Vec::new();
    'glyph: for g in &p.glyphs {
        let cx = (g.x0 + g.x1) / 2.0;
        let cy = g.y - 0.35 * g.size;
        for (t, table) in tables.iter().enumerate() {
            if table.contains(cx, cy) {
                if let Some(k) = table.cell_at(cx, cy) {
                    in_cells[t][k].push(g);
                    continue 'glyph;
                }
            }
        }
        free.push(g);
    }
    let mut items: Vec<(f32, Item)> = Vec::new();
    for l in lines(free) {
        let y = l.iter().map(|g| g.y - g.size).fold(f32::MAX, f32::min);
        let text = line_text(&l, true);
        items.push((y, Item::Line(text)));
    }
    for (table, cells) in tables.iter().zip(in_cells) {
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let texts: Vec<String> = cells.into_iter().map(cell_text).collect();
        let cols = table.cols();
        let mut rows = Vec::new();
        for r in 0..table.rows() {
            let fields: Vec<String> = (0..cols)
                .map(|c| {
                    let k = table.owner[r * cols + c];
                    if table.anchors[k] == (r, c) {
                        texts[k].clone()
                    } else {
                        String::new()
                    }
                })
                .collect();
            if fields.iter().any(|f| !f.is_empty()) {
                rows.push(fields);
            }
        }
        if !rows.is_empty() {
            items.push((table.ys[0], Item::Table(rows)));
        }
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut line = 0u32;
    for (_, item) in items {
        match item {
            Item::Line(text) => {
                line += 1;
                doc.paragraph(&text, Origin::page_line(page_no, line));
            }
            Item::Table(rows) => {
                for row in rows {
                    line += 1;
                    doc.table_row(&row, Origin::page_line(page_no, line));
                }
                line += 1;
                doc.blank(Origin::page_line(page_no, line));
            }
        }
    }
}
