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
use xxgk_model::{Finding, Severity};

/// Tolerance (points) for rules to meet or to be one grid line.
const TOL: f32 = 2.0;
/// Grid lines closer than this are one line.
const MIN_GAP: f32 = 4.0;
/// Most rules considered on one page for tables (beyond, the page is read as text).
const MAX_RULES: usize = 6000;
/// Most tables of one page (a report's page has one or two; beyond, the rest of the page's
/// text is read as lines).
const MAX_TABLES: usize = 64;

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
#[cfg(test)]
pub fn tables(segs: &[Seg]) -> Vec<Table> {
    tables_within_limits(segs).unwrap_or_default()
}

/// [`tables`], or `None` when the page has more rules than are considered, or the file's
/// budget of rule pairs is spent.
fn tables_within_limits(segs: &[Seg]) -> Option<Vec<Table>> {
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
    // The pairs compared below come from the file's budget (1,000 pages may share one content
    // stream of 6,000 rules): beyond it, the page is read as text.
    let n = rules.len();
    if n > MAX_RULES || !super::take(super::Work::RulePairs, n * n.saturating_sub(1) / 2) {
        return None;
    }
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
    Some(
        groups
            .into_values()
            .filter_map(|g| table_of(&g))
            .take(MAX_TABLES)
            .collect(),
    )
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
    // The rules near each grid line, found once: a wall test looks at those only (testing
    // every rule for every cell was rows × columns × rules, 10⁸ on a page of 6,000 rules).
    let near = |lines: &[f32], rules: &[&Seg], at: fn(&Seg) -> f32| -> Vec<Vec<Seg>> {
        let mut out = vec![Vec::new(); lines.len()];
        for s in rules {
            let p = at(s);
            let from = lines.partition_point(|&l| l <= p - MIN_GAP);
            for (k, l) in lines.iter().enumerate().skip(from) {
                if *l >= p + MIN_GAP {
                    break;
                }
                out[k].push(**s);
            }
        }
        out
    };
    let v_near = near(&xs, &v, |s| (s.x0 + s.x1) / 2.0);
    let h_near = near(&ys, &h, |s| (s.y0 + s.y1) / 2.0);
    let vwall = |k: usize, r: usize| {
        let mid = (ys[r] + ys[r + 1]) / 2.0;
        v_near[k]
            .iter()
            .any(|s| s.y0 - TOL <= mid && s.y1 + TOL >= mid)
    };
    let hwall = |k: usize, c: usize| {
        let mid = (xs[c] + xs[c + 1]) / 2.0;
        h_near[k]
            .iter()
            .any(|s| s.x0 - TOL <= mid && s.x1 + TOL >= mid)
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
    // The smallest glyph size of the current line, kept as glyphs join it (recomputing it for
    // every glyph was quadratic in a line of 100,000 glyphs).
    let mut line_size = f32::INFINITY;
    for g in glyphs {
        let same = !out.is_empty() && {
            let size = line_size.min(g.size).max(1.0);
            (g.y - line_y).abs() <= 0.4 * size
        };
        if same {
            if let Some(l) = out.last_mut() {
                l.push(g);
                line_size = line_size.min(g.size);
            }
        } else {
            line_y = g.y;
            line_size = g.size;
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

/// Where a line of text sits: its horizontal extent, baseline and size, and whether it is laid
/// out in columns (gaps of 1.5 em).
struct Shape {
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    glyphs: usize,
    columns: bool,
}

fn shape(l: &[&Glyph]) -> Shape {
    let text = line_text(l, true);
    Shape {
        x0: l.iter().map(|g| g.x0).fold(f32::MAX, f32::min),
        x1: l.iter().map(|g| g.x1).fold(f32::MIN, f32::max),
        y: l.iter().map(|g| g.y).fold(f32::MIN, f32::max),
        size: l.iter().map(|g| g.size).fold(0.0, f32::max).max(1.0),
        glyphs: l.len(),
        columns: text.contains("   "),
    }
}

/// Whether line `b` continues the paragraph of line `a` (the line above it): `a` is filled to
/// the right edge of the page's text, `b` starts at the left edge (a new paragraph, heading or
/// item is indented, centred or follows a short line), both of one size on consecutive
/// baselines, no table between them, neither laid out in columns.
fn continues(a: &Shape, b: &Shape, left: f32, right: f32, table_tops: &[f32]) -> bool {
    let size = a.size;
    a.glyphs >= 10
        && !a.columns
        && !b.columns
        && (a.size - b.size).abs() < 0.5
        && a.x1 >= right - size
        && b.x0 <= left + 0.5 * size
        && b.y > a.y
        && b.y - a.y <= 2.2 * size
        && !table_tops.iter().any(|t| *t > a.y && *t < b.y)
}

enum Item {
    /// A line of text, how many printed lines it joins, and its first and last printed line
    /// (indices into the page's lines).
    Line(String, u32, usize, usize),
    Table(Vec<Vec<String>>),
}

/// How a page's text begins and ends, to join a paragraph a page break cut: the document line
/// of its last text line when that line is filled to the right edge (page numbers aside), and
/// of its first line when that starts at the left edge as a continued line does.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageEdges {
    pub last_full: Option<usize>,
    pub first_continued: Option<usize>,
}

/// Whether `text` is a page number ("- 1 -", "— 2 —", "3").
fn is_page_number(text: &str) -> bool {
    let core = text.trim_matches(|c: char| c.is_whitespace() || "-—–－".contains(c));
    !core.is_empty() && core.chars().all(|c| c.is_ascii_digit())
}

/// Print page `page_no` into `doc`.
pub fn page(p: &PageContent, page_no: u32, doc: &mut Document) -> PageEdges {
    let tables = tables_within_limits(&p.segs).unwrap_or_else(|| {
        doc.finding(Finding::new(
            "READ-PDF-LIMIT",
            Severity::Warning,
            format!("第 {page_no} 页的表格线过多，超出读取上限，该页的表格未按表格读出（其中文字按段落读出）"),
        ));
        Vec::new()
    });
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
    let free_lines = lines(free);
    let shapes: Vec<Shape> = free_lines.iter().map(|l| shape(l)).collect();
    let left = shapes.iter().map(|s| s.x0).fold(f32::MAX, f32::min);
    let right = shapes.iter().map(|s| s.x1).fold(f32::MIN, f32::max);
    let table_tops: Vec<f32> = tables.iter().map(|t| t.ys[0]).collect();
    let mut k = 0;
    while k < free_lines.len() {
        let top = free_lines[k]
            .iter()
            .map(|g| g.y - g.size)
            .fold(f32::MAX, f32::min);
        let mut text = line_text(&free_lines[k], true);
        let mut count = 1;
        // A paragraph's lines wrapped at the right edge are one line again.
        while k + count < free_lines.len()
            && continues(
                &shapes[k + count - 1],
                &shapes[k + count],
                left,
                right,
                &table_tops,
            )
        {
            let next = line_text(&free_lines[k + count], true);
            if let (Some(a), Some(b)) = (text.chars().last(), next.chars().next()) {
                if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                    text.push(' ');
                }
            }
            text.push_str(&next);
            count += 1;
        }
        items.push((top, Item::Line(text, count as u32, k, k + count - 1)));
        k += count;
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
    let mut edges = PageEdges::default();
    let mut line = 0u32;
    let last_text = items
        .iter()
        .rposition(|(_, i)| !matches!(i, Item::Line(t, ..) if is_page_number(t)));
    for (n, (_, item)) in items.into_iter().enumerate() {
        match item {
            Item::Line(text, count, first, last) => {
                line += 1;
                let at = doc.lines().len();
                doc.paragraph(&text, Origin::page_line(page_no, line));
                line += count - 1;
                let (a, b) = (&shapes[first], &shapes[last]);
                if n == 0 && !a.columns && a.x0 <= left + 0.5 * a.size {
                    edges.first_continued = Some(at);
                }
                if Some(n) == last_text && b.glyphs >= 10 && !b.columns && b.x1 >= right - b.size {
                    edges.last_full = Some(doc.lines().len() - 1);
                }
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
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `s` from x on baseline y, each one em wide.
    fn text(s: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                x0: x + i as f32 * size,
                x1: x + (i + 1) as f32 * size,
                y,
                size,
                ch,
            })
            .collect()
    }

    fn h(x0: f32, x1: f32, y: f32) -> Seg {
        Seg {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }

    fn v(x: f32, y0: f32, y1: f32) -> Seg {
        Seg {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    fn lines_of(p: &PageContent) -> Vec<String> {
        let mut d = Document::new();
        page(p, 1, &mut d);
        d.lines().to_vec()
    }

    #[test]
    fn lines_by_baseline_words_by_gaps_overprint_dropped() {
        let mut g = text("行政许可", 10.0, 100.0, 10.0);
        // Same line, baseline 1pt lower (another font), after a wide gap.
        g.extend(text("447228", 120.0, 101.0, 10.0).iter().map(|x| Glyph {
            x1: x.x0 + 5.0,
            ..*x
        }));
        // Fake bold: the first character printed again 0.3pt to the right.
        g.push(Glyph {
            x0: 10.3,
            x1: 20.3,
            ..g[0]
        });
        g.extend(text("第二行", 10.0, 115.0, 10.0));
        let refs: Vec<&Glyph> = g.iter().collect();
        let ls = lines(refs);
        assert_eq!(ls.len(), 2);
        assert_eq!(line_text(&ls[0], false), "行政许可 4 4 7 2 2 8");
        assert_eq!(line_text(&ls[1], true), "第二行");
        // Digits one after the other, without gaps, make one number.
        let digits: Vec<Glyph> = "3985758"
            .chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                x0: 100.0 + 5.5 * i as f32,
                x1: 105.5 + 5.5 * i as f32,
                y: 50.0,
                size: 11.0,
                ch,
            })
            .collect();
        let mut row = text("行政处罚", 10.0, 50.0, 11.0);
        row.extend(digits);
        let ls = lines(row.iter().collect());
        assert_eq!(line_text(&ls[0], true), "行政处罚   3985758");
    }

    #[test]
    fn grid_with_merged_cells() {
        // 3 columns × 3 rows; column 0 merged over rows 1–2 (no rule at y=40 there), and
        // row 0 merged over columns 1–2 (no rule at x=200 there).
        let segs = vec![
            h(0.0, 300.0, 0.0),
            h(0.0, 300.0, 20.0),
            h(100.0, 300.0, 40.0),
            h(0.0, 300.0, 60.0),
            v(0.0, 0.0, 60.0),
            v(100.0, 0.0, 60.0),
            v(200.0, 20.0, 60.0),
            v(300.0, 0.0, 60.0),
        ];
        let t = tables(&segs);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!(t.xs, vec![0.0, 100.0, 200.0, 300.0]);
        assert_eq!(t.ys, vec![0.0, 20.0, 40.0, 60.0]);
        // (0,0), (0,1–2), (1–2,0), and the four cells of rows 1–2 × columns 1–2.
        assert_eq!(t.anchors.len(), 7);
        assert_eq!(t.cell_at(250.0, 10.0), t.cell_at(150.0, 10.0));
        assert_eq!(t.cell_at(50.0, 30.0), t.cell_at(50.0, 50.0));
        assert_ne!(t.cell_at(150.0, 30.0), t.cell_at(150.0, 50.0));
    }

    #[test]
    fn rules_drawn_twice_or_in_pieces_make_one_grid() {
        let segs = vec![
            h(0.0, 100.0, 0.0),
            h(100.0, 200.0, 0.3),
            h(0.0, 100.0, 0.0),
            h(0.0, 200.0, 30.0),
            v(0.0, 0.0, 15.0),
            v(0.2, 15.0, 30.0),
            v(100.0, 0.0, 30.0),
            v(200.0, 0.0, 30.0),
        ];
        let t = tables(&segs);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].xs.len(), 3);
        assert_eq!(t[0].ys.len(), 2);
        assert_eq!(t[0].anchors.len(), 2);
    }

    #[test]
    fn frames_and_lone_rules_are_not_tables() {
        // A box around a paragraph, and an underline.
        let segs = vec![
            h(0.0, 300.0, 0.0),
            h(0.0, 300.0, 50.0),
            v(0.0, 0.0, 50.0),
            v(300.0, 0.0, 50.0),
            h(0.0, 100.0, 200.0),
        ];
        assert!(tables(&segs).is_empty());
    }

    #[test]
    fn page_prints_grid_rows_with_vertical_and_wrapped_labels() {
        // Table from y=100: column 0 a vertical label over rows 1–3, column 1 labels (one
        // wrapped over two lines), column 2 values; row 0 a header over all columns.
        let mut segs = vec![
            h(50.0, 350.0, 100.0),
            h(50.0, 350.0, 120.0),
            h(100.0, 350.0, 150.0),
            h(100.0, 350.0, 170.0),
            h(50.0, 350.0, 190.0),
            v(50.0, 100.0, 190.0),
            v(350.0, 100.0, 190.0),
        ];
        segs.push(v(100.0, 120.0, 190.0));
        segs.push(v(300.0, 120.0, 190.0));
        let mut g = text("标题", 60.0, 10.0, 10.0);
        g.extend(text("表头", 60.0, 115.0, 10.0));
        for (i, ch) in "三、办理结果".chars().enumerate() {
            g.extend(text(&ch.to_string(), 70.0, 132.0 + 9.0 * i as f32, 8.0));
        }
        g.extend(text("（二）部分公开（区分处", 105.0, 133.0, 9.0));
        g.extend(text("理的）", 105.0, 145.0, 9.0));
        g.extend(text("12", 310.0, 140.0, 9.0));
        g.extend(text("1.属于国家秘密", 105.0, 165.0, 9.0));
        g.extend(text("0", 310.0, 165.0, 9.0));
        g.extend(text("2.其他", 105.0, 185.0, 9.0));
        // A blank value cell in the last row; a page number below the table.
        g.extend(text("-4-", 190.0, 800.0, 9.0));
        let p = PageContent {
            glyphs: g,
            segs,
            ..PageContent::default()
        };
        assert_eq!(
            lines_of(&p),
            vec![
                "标题",
                "表头\t\t",
                "三、办理结果\t（二）部分公开（区分处理的）\t12",
                "\t1.属于国家秘密\t0",
                "\t2.其他\t",
                "",
                "-4-",
            ]
        );
    }

    #[test]
    fn no_text_outside_a_table_is_lost() {
        // Glyphs in the margin beside the table are paragraph lines, not cells.
        let segs = vec![
            h(100.0, 300.0, 100.0),
            h(100.0, 300.0, 120.0),
            v(100.0, 100.0, 120.0),
            v(200.0, 100.0, 120.0),
            v(300.0, 100.0, 120.0),
        ];
        let mut g = text("注", 10.0, 115.0, 10.0);
        g.extend(text("a", 110.0, 115.0, 10.0));
        g.extend(text("b", 210.0, 115.0, 10.0));
        let p = PageContent {
            glyphs: g,
            segs,
            ..PageContent::default()
        };
        let got = lines_of(&p);
        assert!(got.contains(&"注".to_string()), "{got:?}");
        assert!(got.contains(&"a\tb".to_string()), "{got:?}");
    }

    #[test]
    fn wrapped_lines_of_a_paragraph_are_one_line() {
        // Text from x = 100 to 340 (12 glyphs of 20): a paragraph (indented first line, a
        // full line, a short last line), a second paragraph going on at the page's end, a
        // centred page number.
        let mut g = Vec::new();
        g.extend(text("一二三四五六七八〇一", 140.0, 100.0, 20.0));
        g.extend(text("九十甲乙丙丁戊己庚辛子丑", 100.0, 130.0, 20.0));
        g.extend(text("壬癸。", 100.0, 160.0, 20.0));
        g.extend(text("子丑寅卯辰巳午未〇一", 140.0, 190.0, 20.0));
        g.extend(text("申酉戌亥天地玄黄宇宙洪荒", 100.0, 220.0, 20.0));
        g.extend(text("7", 210.0, 260.0, 20.0));
        let p = PageContent {
            glyphs: g,
            ..PageContent::default()
        };
        let mut d = Document::new();
        let edges = page(&p, 1, &mut d);
        assert_eq!(
            d.lines(),
            [
                "一二三四五六七八〇一九十甲乙丙丁戊己庚辛子丑壬癸。",
                "子丑寅卯辰巳午未〇一申酉戌亥天地玄黄宇宙洪荒",
                "7"
            ]
        );
        // Printed line numbers are kept: the second paragraph starts on the 4th printed line.
        assert_eq!(d.origin(2), Some(Origin::page_line(1, 4)));
        assert_eq!(d.origin(3), Some(Origin::page_line(1, 6)));
        // The last text line (the page number aside) is full: it may go on overleaf; the first
        // line is indented: it goes on from nothing.
        assert_eq!(edges.last_full, Some(1));
        assert_eq!(edges.first_continued, None);
    }
}
