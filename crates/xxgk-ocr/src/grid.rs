//! Tables found on a page image by their ruling lines.
//!
//! 1. **Skew**: the page may be slightly rotated (a scan). The angle is the one (within ±3°, in
//!    steps of 0.05°) under which the dark pixels line up best into rows: the sum of squares of
//!    the row histogram of `y - x·tanθ` is largest. Everything after works in that sheared
//!    frame (`y' = y - x·tanθ`, `x' = x + y·tanθ`), which for such small angles is the rotation.
//! 2. **Ruling lines**: a horizontal line is a row of the sheared frame with a dark run at least
//!    [`MIN_LINE_FRACTION`] of the page width long (no character has such a run), a vertical line
//!    a column with a dark run of at least [`MIN_VLINE_FRACTION`] of the page height. Adjacent
//!    rows (a line is several pixels thick) are one line.
//! 3. **Tables**: horizontal lines joined by vertical lines into one block; the grid is every
//!    horizontal and vertical line position of the block.
//! 4. **Cells**: two neighbouring grid cells are one (merged) cell when the ruling between them is
//!    absent (less than [`RULE_COVERAGE`] of its length dark), so a `rowspan`/`colspan` of the
//!    printed table is one cell here too.
//!
//! No OCR here: geometry only, pure and deterministic.

use image::GrayImage;

/// Darker than this (0–255) is ink.
pub const INK: u8 = 176;
/// A horizontal ruling line is at least this fraction of the page width long.
pub const MIN_LINE_FRACTION: f64 = 0.12;
/// A vertical ruling line segment is at least this fraction of the page height long.
pub const MIN_VLINE_FRACTION: f64 = 0.018;
/// A ruling between two grid cells is present when it is inked without a break over at least
/// this fraction of its length.
pub const RULE_COVERAGE: f64 = 0.9;

/// The page in the sheared (deskewed) frame.
#[derive(Debug, Clone)]
pub struct Frame<'a> {
    image: &'a GrayImage,
    /// tan of the skew angle.
    pub tan: f64,
}

impl<'a> Frame<'a> {
    pub fn new(image: &'a GrayImage) -> Frame<'a> {
        Frame {
            image,
            tan: skew(image),
        }
    }

    pub fn width(&self) -> u32 {
        self.image.width()
    }

    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// The gray value at deskewed point (x', y') (white outside the page).
    pub fn pixel(&self, x: i64, y: i64) -> u8 {
        // Inverse of the shear: y = y' + x·tan, x = x' - y·tan (first order).
        let sy = y as f64 + x as f64 * self.tan;
        let sx = x as f64 - sy * self.tan;
        let (sx, sy) = (sx.round() as i64, sy.round() as i64);
        if sx < 0 || sy < 0 || sx >= i64::from(self.width()) || sy >= i64::from(self.height()) {
            return 255;
        }
        self.image.get_pixel(sx as u32, sy as u32).0[0]
    }

    pub fn ink(&self, x: i64, y: i64) -> bool {
        self.pixel(x, y) < INK
    }

    /// The deskewed crop of a rectangle, white-padded.
    pub fn crop(&self, x0: i64, y0: i64, x1: i64, y1: i64) -> GrayImage {
        let w = (x1 - x0).max(1) as u32;
        let h = (y1 - y0).max(1) as u32;
        GrayImage::from_fn(w, h, |x, y| {
            image::Luma([self.pixel(x0 + i64::from(x), y0 + i64::from(y))])
        })
    }
}

/// The skew of a page, as tan θ (see the module documentation).
pub fn skew(image: &GrayImage) -> f64 {
    let mut dark: Vec<(f64, f64)> = Vec::new();
    for y in 0..image.height() {
        for x in 0..image.width() {
            if image.get_pixel(x, y).0[0] < INK {
                dark.push((f64::from(x), f64::from(y)));
            }
        }
    }
    if dark.is_empty() {
        return 0.0;
    }
    let height = f64::from(image.height());
    let width = f64::from(image.width());
    let offset = width * 0.06;
    let mut hist = vec![0u32; (height + width * 0.12) as usize + 2];
    let mut score = |degrees: f64| -> f64 {
        let tan = degrees.to_radians().tan();
        hist.iter_mut().for_each(|h| *h = 0);
        for &(x, y) in &dark {
            let yy = (y - x * tan + offset) as usize;
            if let Some(h) = hist.get_mut(yy) {
                *h += 1;
            }
        }
        hist.iter().map(|&h| f64::from(h) * f64::from(h)).sum()
    };
    // Coarse (0.05°) from the smallest angle outwards, so that a tie keeps the smaller angle;
    // then fine (0.01°) around the best.
    let mut best = (f64::MIN, 0.0_f64);
    let coarse = std::iter::once(0).chain((1i32..=60).flat_map(|k| [k, -k]));
    for step in coarse {
        let degrees = f64::from(step) * 0.05;
        let s = score(degrees);
        if s > best.0 * (1.0 + 1e-9) {
            best = (s, degrees);
        }
    }
    let centre = best.1;
    for k in -4i32..=4 {
        let degrees = centre + f64::from(k) * 0.01;
        let s = score(degrees);
        if s > best.0 * (1.0 + 1e-9) {
            best = (s, degrees);
        }
    }
    best.1.to_radians().tan()
}

/// A ruling line in the sheared frame: its position across and its extent along.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// y' of a horizontal line, x' of a vertical one (the middle of its thickness).
    pub at: i64,
    /// Where its longest run starts and ends along the line.
    pub from: i64,
    pub to: i64,
}

/// Every ink run of at least `min` along row y' (horizontal) or column x' (vertical).
fn runs(f: &Frame, horizontal: bool, at: i64, min: i64) -> Vec<(i64, i64)> {
    let len = if horizontal {
        i64::from(f.width())
    } else {
        i64::from(f.height())
    };
    let mut out = Vec::new();
    let mut start = None;
    for t in 0..=len {
        // A line one pixel thick, slightly off the sheared row, still counts: look one pixel
        // to either side.
        let ink = t < len
            && (-1..=1).any(|d| {
                if horizontal {
                    f.ink(t, at + d)
                } else {
                    f.ink(at + d, t)
                }
            });
        // A dropout of one pixel (a speck of a noisy scan) does not end a run.
        let ink = ink
            || (t > 0
                && t + 1 < len
                && start.is_some()
                && (-1..=1).any(|d| {
                    if horizontal {
                        f.ink(t + 1, at + d)
                    } else {
                        f.ink(at + d, t + 1)
                    }
                }));
        match (ink, start) {
            (true, None) => start = Some(t),
            (false, Some(s)) => {
                if t - s >= min {
                    out.push((s, t));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Groups run segments into lines: segments at adjacent positions (a line is several pixels
/// thick) whose extents overlap are one line. Two tables one above the other give two vertical
/// lines at the same x.
fn group(mut found: Vec<(i64, (i64, i64))>) -> Vec<Line> {
    found.sort_by_key(|&(at, (a, _))| (at, a));
    // (first at, last at, from, to)
    let mut clusters: Vec<(i64, i64, i64, i64)> = Vec::new();
    for (at, (a, b)) in found {
        match clusters
            .iter_mut()
            .rev()
            .find(|c| c.1 >= at - 2 && a < c.3 && b > c.2)
        {
            Some(c) => {
                c.1 = at;
                c.2 = c.2.min(a);
                c.3 = c.3.max(b);
            }
            None => clusters.push((at, at, a, b)),
        }
    }
    let mut lines: Vec<Line> = clusters
        .into_iter()
        .map(|(first, last, from, to)| Line {
            at: (first + last) / 2,
            from,
            to,
        })
        .collect();
    lines.sort_by_key(|l| (l.at, l.from));
    lines
}

/// The horizontal ruling lines of the page.
pub fn horizontal_lines(f: &Frame) -> Vec<Line> {
    let min = (f64::from(f.width()) * MIN_LINE_FRACTION) as i64;
    let found = (0..i64::from(f.height()))
        .flat_map(|y| runs(f, true, y, min).into_iter().map(move |r| (y, r)))
        .collect();
    group(found)
}

/// The vertical ruling lines of the page.
pub fn vertical_lines(f: &Frame) -> Vec<Line> {
    let min = (f64::from(f.height()) * MIN_VLINE_FRACTION) as i64;
    let found = (0..i64::from(f.width()))
        .flat_map(|x| runs(f, false, x, min).into_iter().map(move |r| (x, r)))
        .collect();
    group(found)
}

/// The longest continuous inked stretch of a straight segment, as a fraction of its length,
/// looking `slack` pixels to either side (a line is several pixels thick and not exactly where
/// the grid says). A ruling is continuous; text that crosses where a ruling would be is not
/// (the gaps between strokes, the margins above and below the glyphs).
fn coverage(f: &Frame, horizontal: bool, at: i64, from: i64, to: i64, slack: i64) -> f64 {
    if to <= from {
        return 0.0;
    }
    // A break of a few pixels is a scanner's speck or a thin line's dropout, not a missing
    // ruling (text crossing where a ruling would be leaves long gaps).
    let tolerance = slack.max(2);
    let (mut best, mut run, mut gap) = (0i64, 0i64, 0i64);
    for t in from..to {
        let hit = (-slack..=slack).any(|d| {
            if horizontal {
                f.ink(t, at + d)
            } else {
                f.ink(at + d, t)
            }
        });
        if hit {
            if run > 0 && gap <= tolerance {
                run += gap;
            }
            gap = 0;
            run += 1;
            best = best.max(run);
        } else {
            gap += 1;
            if gap > tolerance {
                run = 0;
            }
        }
    }
    best as f64 / (to - from) as f64
}

/// A cell of a table: its grid rows and columns (end exclusive) and its box in the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
    pub x0: i64,
    pub y0: i64,
    pub x1: i64,
    pub y1: i64,
}

/// A table found on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// y' of the grid's horizontal lines, top to bottom.
    pub ys: Vec<i64>,
    /// x' of the grid's vertical lines, left to right.
    pub xs: Vec<i64>,
    /// Every cell, merged cells once, in reading order (by top row, then left column).
    pub cells: Vec<Cell>,
}

impl Table {
    pub fn top(&self) -> i64 {
        self.ys.first().copied().unwrap_or(0)
    }

    pub fn bottom(&self) -> i64 {
        self.ys.last().copied().unwrap_or(0)
    }
}

/// The tables of a page.
pub fn tables(f: &Frame) -> Vec<Table> {
    let hs = horizontal_lines(f);
    let vs = vertical_lines(f);
    if hs.len() < 2 || vs.len() < 2 {
        return Vec::new();
    }
    let slack = (i64::from(f.width()) / 600).max(2);
    // Blocks: consecutive horizontal lines joined by at least two vertical lines crossing the
    // gap between them.
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    let mut current: Vec<Line> = vec![hs[0]];
    for pair in hs.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let joined = vs
            .iter()
            .filter(|v| v.from <= a.at + slack * 2 && v.to >= b.at - slack * 2)
            .count();
        if joined >= 2 {
            current.push(b);
        } else {
            if current.len() >= 2 {
                blocks.push(std::mem::take(&mut current));
            }
            current = vec![b];
        }
    }
    if current.len() >= 2 {
        blocks.push(current);
    }
    blocks
        .into_iter()
        .filter_map(|block| table_of(f, &block, &vs, slack))
        .collect()
}

fn table_of(f: &Frame, block: &[Line], vs: &[Line], slack: i64) -> Option<Table> {
    let top = block.first()?.at;
    let bottom = block.last()?.at;
    let left = block.iter().map(|l| l.from).min()?;
    let right = block.iter().map(|l| l.to).max()?;
    let mut ys: Vec<i64> = block.iter().map(|l| l.at).collect();
    ys.dedup_by(|b, a| *b - *a <= slack * 2);
    let xs: Vec<i64> = vs
        .iter()
        .filter(|v| {
            v.at >= left - slack * 2
                && v.at <= right + slack * 2
                && v.from < bottom - slack
                && v.to > top + slack
        })
        .map(|v| v.at)
        .collect();
    // One grid line per position (segments of one ruling, broken by merged cells).
    let mut xs: Vec<i64> = xs;
    xs.sort_unstable();
    xs.dedup_by(|b, a| *b - *a <= slack * 2);
    if xs.len() < 2 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    // Union-find over the grid cells.
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let inset = slack * 3;
    for r in 0..nr {
        for c in 0..nc {
            // The ruling to the right of (r, c).
            if c + 1 < nc {
                let cov = coverage(f, false, xs[c + 1], ys[r] + inset, ys[r + 1] - inset, slack);
                if cov < RULE_COVERAGE {
                    let (a, b) = (
                        find(&mut parent, r * nc + c),
                        find(&mut parent, r * nc + c + 1),
                    );
                    parent[a] = b;
                }
            }
            // The ruling below (r, c).
            if r + 1 < nr {
                let cov = coverage(f, true, ys[r + 1], xs[c] + inset, xs[c + 1] - inset, slack);
                if cov < RULE_COVERAGE {
                    let (a, b) = (
                        find(&mut parent, r * nc + c),
                        find(&mut parent, (r + 1) * nc + c),
                    );
                    parent[a] = b;
                }
            }
        }
    }
    let mut cells: Vec<Cell> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, r * nc + c);
            let entry = seen.entry(root).or_insert_with(|| {
                cells.push(Cell {
                    row: r,
                    col: c,
                    rows: 1,
                    cols: 1,
                    x0: 0,
                    y0: 0,
                    x1: 0,
                    y1: 0,
                });
                cells.len() - 1
            });
            let cell = &mut cells[*entry];
            cell.rows = cell.rows.max(r + 1 - cell.row);
            cell.cols = cell.cols.max(c + 1 - cell.col);
            // A merged region that is not a rectangle keeps its top-left and grows to cover.
            cell.col = cell.col.min(c);
        }
    }
    for cell in &mut cells {
        cell.x0 = xs[cell.col];
        cell.x1 = xs[(cell.col + cell.cols).min(nc)];
        cell.y0 = ys[cell.row];
        cell.y1 = ys[(cell.row + cell.rows).min(nr)];
    }
    cells.sort_by_key(|c| (c.row, c.col));
    Some(Table { ys, xs, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with a ruled grid; `skip` lists rulings to leave out: (horizontal?, index of
    /// the line, index of the segment along it).
    fn ruled(w: u32, h: u32, xs: &[u32], ys: &[u32], skip: &[(bool, usize, usize)]) -> GrayImage {
        let mut img = GrayImage::from_pixel(w, h, image::Luma([255]));
        for (i, &y) in ys.iter().enumerate() {
            for s in 0..xs.len() - 1 {
                if skip.contains(&(true, i, s)) {
                    continue;
                }
                for x in xs[s]..=xs[s + 1] {
                    for t in 0..3 {
                        img.put_pixel(x, y + t, image::Luma([0]));
                    }
                }
            }
        }
        for (i, &x) in xs.iter().enumerate() {
            for s in 0..ys.len() - 1 {
                if skip.contains(&(false, i, s)) {
                    continue;
                }
                for y in ys[s]..=ys[s + 1] + 2 {
                    for t in 0..3 {
                        img.put_pixel(x + t, y, image::Luma([0]));
                    }
                }
            }
        }
        img
    }

    #[test]
    fn a_plain_grid_gives_every_cell() {
        // 3 columns × 2 rows.
        let img = ruled(1000, 1400, &[100, 400, 600, 900], &[200, 300, 400], &[]);
        let f = Frame::new(&img);
        assert!(f.tan.abs() < 1e-9, "no skew: {}", f.tan);
        let t = tables(&f);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].xs, vec![101, 401, 601, 901]);
        assert_eq!(t[0].ys, vec![201, 301, 401]);
        assert_eq!(t[0].cells.len(), 6);
        assert!(t[0].cells.iter().all(|c| c.rows == 1 && c.cols == 1));
    }

    #[test]
    fn a_missing_ruling_merges_cells() {
        // The vertical line 1 is absent in row 0 (a colspan of columns 0–1 in the top row), and
        // the horizontal line 1 is absent under column 2 (a rowspan of rows 0–1 in column 2).
        let img = ruled(
            1000,
            1400,
            &[100, 400, 600, 900],
            &[200, 300, 400],
            &[(false, 1, 0), (true, 1, 2)],
        );
        let f = Frame::new(&img);
        let t = tables(&f);
        assert_eq!(t.len(), 1);
        let cells: Vec<(usize, usize, usize, usize)> = t[0]
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.rows, c.cols))
            .collect();
        // Row 0: (0,0) spanning two columns, (0,2) spanning two rows; row 1: (1,0), (1,1).
        assert_eq!(
            cells,
            vec![(0, 0, 1, 2), (0, 2, 2, 1), (1, 0, 1, 1), (1, 1, 1, 1)]
        );
    }

    /// A one-pixel ruling broken by white specks (a noisy scan) still separates its cells;
    /// without the tolerance every cell of this grid would merge with its neighbours.
    #[test]
    fn specks_on_a_thin_ruling_do_not_merge_cells() {
        let mut img = GrayImage::from_pixel(1000, 1400, image::Luma([255]));
        for &y in &[200u32, 300, 400] {
            for x in 100..=900 {
                img.put_pixel(x, y, image::Luma([0]));
            }
        }
        for &x in &[100u32, 400, 600, 900] {
            for y in 200..=400 {
                img.put_pixel(x, y, image::Luma([0]));
            }
        }
        // Specks: one white pixel every 17 pixels along every ruling, off its crossings.
        for &y in &[200u32, 300, 400] {
            for x in (110..900).step_by(17) {
                img.put_pixel(x, y, image::Luma([255]));
            }
        }
        for &x in &[100u32, 400, 600, 900] {
            for y in (210..400).step_by(17) {
                img.put_pixel(x, y, image::Luma([255]));
            }
        }
        let t = tables(&Frame::new(&img));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].cells.len(), 6, "{:?}", t[0].cells);
    }

    #[test]
    fn a_rotated_page_is_deskewed() {
        // The grid of the first test rotated by 0.5° about the origin (nearest pixel).
        let straight = ruled(1000, 1400, &[100, 400, 600, 900], &[200, 300, 400], &[]);
        let theta = 0.5_f64.to_radians();
        let (s, c) = theta.sin_cos();
        let rotated = GrayImage::from_fn(1000, 1400, |x, y| {
            // Source of (x, y) under the inverse rotation.
            let (fx, fy) = (f64::from(x), f64::from(y));
            let sx = (fx * c + fy * s).round() as i64;
            let sy = (-fx * s + fy * c).round() as i64;
            if sx >= 0 && sy >= 0 && sx < 1000 && sy < 1400 {
                *straight.get_pixel(sx as u32, sy as u32)
            } else {
                image::Luma([255])
            }
        });
        let f = Frame::new(&rotated);
        let angle = f.tan.atan().to_degrees();
        assert!((angle - 0.5).abs() <= 0.1, "found {angle}°");
        let t = tables(&f);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].cells.len(), 6, "{:?}", t[0]);
    }
}
