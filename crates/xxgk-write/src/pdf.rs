//! Render a report as a PDF in the layout of 党政机关公文格式 (GB/T 9704-2012).
//!
//! [`render_pdf`] lays the document out itself and writes it with `krilla` (embedded, subset
//! CID fonts with a ToUnicode map, so the text can be searched and copied):
//!
//! * **Page**: A4, margins 上 37 mm 下 35 mm 左 28 mm 右 26 mm (a 156 × 225 mm text area),
//!   22 lines × 28 characters: body lines on a fixed 28.99 pt pitch, 3号 characters set on a
//!   15.79 pt pitch.
//! * **Title** in 小标宋 2号 (22 pt), centred, wrapped into lines of about equal length, then
//!   one empty line. **Body** in 仿宋_GB2312 3号 (16 pt), first-line indent of two characters,
//!   justified; **headings** 一级 in 黑体 3号, 二级 in 楷体 3号, indented like the body. The
//!   agency is centred above the date, which stands four characters from the right edge.
//! * **Line breaking** character by character with the 标点 rules ([`linebreak`]).
//! * **Tables** 二, 三 and 四 from the shared official grids ([`crate::text`]): the official
//!   merged cells, labels and the two printed notes; a ruling line on every cell border (the
//!   grid xxgk's PDF reader rebuilds); 五号 (10.5 pt) text, labels wrapped in their cells,
//!   三、本年度办理结果 as a narrow column of one character per line, values centred and shrunk
//!   to fit their cell, never wrapped; a blank cell prints nothing. Table 三 is split between
//!   rows across pages (never inside a group) with its three header rows repeated; a block of
//!   table 二 and table 四 are kept on one page. A heading is never the last line of a page.
//! * **Page numbers** "— 1 —" in 宋体 4号 (14 pt), 7 mm below the text area, at the outside
//!   edge one character in (odd pages right, even pages left).
//! * With [`PdfOptions::failed_checks`], a red "未通过校验" banner in the top margin of page 1.
//!
//! The text of the parts is the report's own (`sections`, tables left out, as the input file
//! holds it); a report without sections (a generated one) gets the generated narrative the
//! DOCX writer prints. Fonts: the official fonts when installed, else Noto CJK — see
//! [`fonts`] for the lookup and the fallbacks. Without any Chinese font the writer refuses
//! with [`PdfError::NoCjkFont`] rather than print boxes.
//!
//! The output is deterministic: the same report and fonts give the same bytes.

mod fonts;
pub(crate) mod linebreak;

use std::ops::Range;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use xxgk_model::catalogue::{Format, PARTS};
use xxgk_model::{Report, Value};

use crate::grid::{self as grids, Grid, Kind};
use crate::narrative::{self, Para};
use fonts::{FaceMetrics, FontSet, Role};

/// Options of [`render_pdf`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// The report failed its checks and is rendered anyway (`--force`): page 1 carries a
    /// "未通过校验" banner.
    pub failed_checks: bool,
}

/// Why a PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// No font with Chinese characters was found.
    #[error("未找到中文字体：请安装 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk），或把字体文件放入环境变量 XXGK_FONT_DIR 所指的目录")]
    NoCjkFont,
    /// `XXGK_FONT_DIR` names something that is not a directory.
    #[error(
        "环境变量 XXGK_FONT_DIR 所指的“{0}”不是目录：请改为存放字体文件的目录，或取消这个环境变量"
    )]
    FontDirNotADirectory(String),
    /// `XXGK_FONT_DIR` names a directory without a usable Chinese font.
    #[error("环境变量 XXGK_FONT_DIR 所指的目录“{0}”中没有可用的中文字体（.ttf、.otf、.ttc 或 .otc 文件）：请把字体文件放入该目录，或取消这个环境变量")]
    FontDirWithoutFont(String),
    /// The PDF library refused the document (a font it cannot embed, a limit of PDF).
    #[error("生成 PDF 失败：{0}")]
    Write(String),
}

/// Render `report` as the bytes of a PDF file.
pub fn render_pdf(report: &Report, opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let fonts = FontSet::system()?;
    render_with(report, opts, &fonts)
}

/// The fonts [`render_pdf`] uses on this machine, one line per role, e.g.
/// "正文（仿宋_GB2312）：Noto Serif CJK SC（/usr/share/fonts/…/NotoSerifCJK-Regular.ttc）".
pub fn fonts_in_use() -> Result<Vec<String>, PdfError> {
    let fonts = FontSet::system()?;
    Ok(Role::ALL
        .iter()
        .filter_map(|&role| {
            let f = fonts.faces().get(fonts.face(role))?;
            Some(format!(
                "{}：{}（{}）",
                role.describe(),
                f.family,
                f.path.display()
            ))
        })
        .collect())
}

/// A typographic role printed in a fallback font because its official font is not installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFallback {
    /// The role and its official font, e.g. "标题（小标宋）".
    pub role: &'static str,
    /// The font used instead, e.g. "Noto Serif CJK SC Bold".
    pub used: String,
}

/// The roles [`render_pdf`] prints in a fallback font on this machine (the official fonts of
/// 党政机关公文格式 are not free and usually not installed): empty when every official font was
/// found. The library prints nothing; the caller tells the user (see [`fallback_notice`]).
pub fn font_fallbacks() -> Result<Vec<FontFallback>, PdfError> {
    let fonts = FontSet::system()?;
    Ok(fonts
        .substitutes()
        .into_iter()
        .map(|(role, face)| FontFallback {
            role: role.describe(),
            used: face.full_name.clone(),
        })
        .collect())
}

/// The one-line notice for users of `fallbacks` (none when there is none), e.g.
/// "PDF 未找到公文字体，已改用替代字体：标题（小标宋）用 Noto Serif CJK SC Bold。…".
pub fn fallback_notice(fallbacks: &[FontFallback]) -> Option<String> {
    if fallbacks.is_empty() {
        return None;
    }
    let list: Vec<String> = fallbacks
        .iter()
        .map(|f| format!("{}用 {}", f.role, f.used))
        .collect();
    Some(format!(
        "PDF 未找到公文字体，已改用替代字体：{}。安装公文字体（或用环境变量 XXGK_FONT_DIR 指定其所在目录）后重新生成即可。",
        list.join("；")
    ))
}

// ---------------------------------------------------------------------------------------------
// Page geometry (points, origin at the top left, y downwards)
// ---------------------------------------------------------------------------------------------

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const TOP: f32 = 37.0 * MM;
const BOTTOM: f32 = 35.0 * MM;
const LEFT: f32 = 28.0 * MM;
const RIGHT: f32 = 26.0 * MM;
const TEXT_W: f32 = PAGE_W - LEFT - RIGHT;
const TEXT_BOTTOM: f32 = PAGE_H - BOTTOM;
/// 22 lines in the 225 mm of the text area.
const LINE: f32 = (PAGE_H - TOP - BOTTOM) / 22.0;
/// 3号.
const BODY: f32 = 16.0;
/// 28 characters in the 156 mm of a line.
const PITCH: f32 = TEXT_W / 28.0;
/// 2号.
const TITLE: f32 = 22.0;
/// 4号.
const PAGE_NUMBER: f32 = 14.0;
/// 五号: table text.
const TABLE: f32 = 10.5;
/// Smallest size a value is shrunk to (a number never overflows its cell: a reader would
/// take its glyphs for the next cell's).
const TABLE_MIN: f32 = 2.0;
/// Line pitch inside table cells, in ems.
const CELL_LEADING: f32 = 1.25;
/// Padding inside a cell.
const PAD_X: f32 = 2.5;
const PAD_Y: f32 = 3.0;
const MIN_ROW: f32 = 20.0;
const RULE: f32 = 0.6;
/// Where the centre of the ideographic em box sits above the baseline, in ems.
const EM_CENTRE: f32 = 0.38;

// ---------------------------------------------------------------------------------------------
// Display list
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
struct PGlyph {
    face: usize,
    gid: u16,
    /// x of the glyph's origin on the page.
    x: f32,
    /// Advance of the glyph at its size (natural width).
    adv: f32,
    ch: char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Colour {
    Black,
    Red,
}

#[derive(Debug, Clone)]
enum Item {
    /// Glyphs on one baseline.
    Text {
        y: f32,
        size: f32,
        glyphs: Vec<PGlyph>,
        colour: Colour,
    },
    /// A straight rule.
    Rule {
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        width: f32,
        colour: Colour,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Centre,
    Justify,
}

struct Layout<'a> {
    fonts: &'a FontSet,
    metrics: Vec<FaceMetrics<'a>>,
    pages: Vec<Vec<Item>>,
    /// Top of the next line on the current page.
    y: f32,
    /// Headings waiting for what follows them: (page, first item, top) of the first heading
    /// placed since the last body line or table row. A page break before that content moves
    /// them to the new page, so a heading never ends a page.
    held: Option<(usize, usize, f32)>,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a FontSet) -> Layout<'a> {
        Layout {
            fonts,
            metrics: fonts.metrics(),
            pages: vec![Vec::new()],
            y: TOP,
            held: None,
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(p) = self.pages.last_mut() {
            p.push(item);
        }
    }

    fn new_page(&mut self) {
        let held = self.held.take();
        let bottom = self.y;
        self.pages.push(Vec::new());
        self.y = TOP;
        let Some((page, from, top)) = held else {
            return;
        };
        // Headings at the top of a page already stay where they are.
        if top > TOP + 0.5 && page + 2 == self.pages.len() {
            let dy = TOP - top;
            let moved: Vec<Item> = self
                .pages
                .get_mut(page)
                .map(|p| p.drain(from.min(p.len())..).collect())
                .unwrap_or_default();
            let moved = moved.into_iter().map(|item| match item {
                Item::Text {
                    y,
                    size,
                    glyphs,
                    colour,
                } => Item::Text {
                    y: y + dy,
                    size,
                    glyphs,
                    colour,
                },
                Item::Rule {
                    x0,
                    y0,
                    x1,
                    y1,
                    width,
                    colour,
                } => Item::Rule {
                    x0,
                    y0: y0 + dy,
                    x1,
                    y1: y1 + dy,
                    width,
                    colour,
                },
            });
            if let Some(p) = self.pages.last_mut() {
                p.extend(moved);
            }
            self.y = TOP + (bottom - top);
        }
        self.held = Some((self.pages.len() - 1, 0, TOP));
    }

    /// A heading starts here: keep it with what follows (see [`Layout::held`]).
    fn hold(&mut self) {
        if self.held.is_none() {
            let items = self.pages.last().map_or(0, Vec::len);
            self.held = Some((self.pages.len() - 1, items, self.y));
        }
    }

    /// Start a new page unless `height` fits below the cursor.
    fn ensure(&mut self, height: f32) {
        if self.y + height > TEXT_BOTTOM + 0.5 && self.y > TOP + 0.5 {
            self.new_page();
        }
    }

    /// The glyphs of `text` in `role` at `size`: the role's face, else the body's, else any face
    /// that has the character (else the missing-glyph box of the role's face). Control
    /// characters are dropped. Positions are left to the caller (`x` = 0).
    fn shape(&self, text: &str, role: Role, size: f32) -> Vec<PGlyph> {
        let primary = self.fonts.face(role);
        let body = self.fonts.face(Role::Body);
        text.chars()
            .filter(|c| !c.is_control())
            .map(|ch| {
                let found = [primary, body]
                    .into_iter()
                    .chain(0..self.metrics.len())
                    .find_map(|f| self.metrics.get(f)?.glyph(ch).map(|g| (f, g)));
                let (face, (gid, adv)) = found.unwrap_or((primary, (0, 1.0)));
                PGlyph {
                    face,
                    gid,
                    x: 0.0,
                    adv: adv * size,
                    ch,
                }
            })
            .collect()
    }

    /// Place `glyphs` on a line from `x` (each advancing by its width × `scale`), justified to
    /// `width` when `justify` (the extra space spread between the characters, at most 0.15 em
    /// each).
    fn place(glyphs: &mut [PGlyph], x: f32, scale: f32, width: f32, justify: bool, size: f32) {
        let natural: f32 = glyphs.iter().map(|g| g.adv * scale).sum();
        let gaps = glyphs.len().saturating_sub(1);
        let extra = if justify && gaps > 0 && natural < width {
            ((width - natural) / gaps as f32).min(0.15 * size)
        } else {
            0.0
        };
        let mut cx = x;
        for g in glyphs.iter_mut() {
            g.x = cx;
            cx += g.adv * scale + extra;
        }
    }

    /// A paragraph in the running text: lines on the fixed pitch, the first indented by
    /// `indent` characters.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(&mut self, text: &str, role: Role, size: f32, indent: f32, align: Align) {
        let scale = PITCH / BODY;
        let glyphs = self.shape(text, role, size);
        if glyphs.is_empty() {
            return;
        }
        let chars: Vec<char> = glyphs.iter().map(|g| g.ch).collect();
        let widths: Vec<f32> = glyphs.iter().map(|g| g.adv * scale).collect();
        let first = TEXT_W - indent * PITCH;
        let lines = linebreak::break_lines(&chars, &widths, first, TEXT_W);
        let last = lines.len().saturating_sub(1);
        for (i, r) in lines.into_iter().enumerate() {
            let mut line: Vec<PGlyph> = glyphs[r].to_vec();
            let (x, avail) = if i == 0 {
                (LEFT + indent * PITCH, first)
            } else {
                (LEFT, TEXT_W)
            };
            let w: f32 = line.iter().map(|g| g.adv * scale).sum();
            let (x, justify) = match align {
                Align::Justify => (x, i < last),
                Align::Left => (x, false),
                Align::Centre => (LEFT + (TEXT_W - w) / 2.0, false),
            };
            Self::place(&mut line, x, scale, avail, justify, size);
            self.text_line(line, size, LINE);
            if role == Role::Body {
                // The first line of a body paragraph is on the page of the headings above it.
                self.held = None;
            }
        }
    }

    /// One line of running text of height `pitch` at the cursor.
    fn text_line(&mut self, glyphs: Vec<PGlyph>, size: f32, pitch: f32) {
        self.ensure(pitch);
        let y = self.y + pitch / 2.0 + EM_CENTRE * size;
        self.push(Item::Text {
            y,
            size,
            glyphs,
            colour: Colour::Black,
        });
        self.y += pitch;
    }

    fn blank_line(&mut self) {
        if self.y > TOP + 0.5 {
            self.y += LINE;
        }
    }

    fn title(&mut self, text: &str) {
        let glyphs = self.shape(&tidy_spaces(text), Role::Title, TITLE);
        let chars: Vec<char> = glyphs.iter().map(|g| g.ch).collect();
        let widths: Vec<f32> = glyphs.iter().map(|g| g.adv).collect();
        let lines = linebreak::title_lines(&chars, &widths, TEXT_W)
            .unwrap_or_else(|| linebreak::balanced_lines(&chars, &widths, TEXT_W));
        for r in lines {
            let mut line = glyphs[r].to_vec();
            let w: f32 = line.iter().map(|g| g.adv).sum();
            Self::place(&mut line, LEFT + (TEXT_W - w) / 2.0, 1.0, w, false, TITLE);
            self.text_line(line, TITLE, LINE);
        }
        self.blank_line();
    }

    fn heading1(&mut self, text: &str) {
        // Keep a heading with two lines of what follows, and never last on its page.
        self.ensure(3.0 * LINE);
        self.hold();
        self.paragraph(text, Role::Heading1, BODY, 2.0, Align::Justify);
    }

    fn paras(&mut self, paras: &[Para]) {
        for p in paras {
            match p {
                Para::Subheading(t) => {
                    self.ensure(2.0 * LINE);
                    self.hold();
                    self.paragraph(t, Role::Heading2, BODY, 2.0, Align::Justify);
                }
                Para::Body(t) => self.paragraph(t, Role::Body, BODY, 2.0, Align::Justify),
            }
        }
    }

    /// The agency centred above the date, the date four characters from the right edge.
    fn signature(&mut self, agency: Option<&str>, date: Option<String>) {
        if agency.is_none() && date.is_none() {
            return;
        }
        let scale = PITCH / BODY;
        let right = LEFT + TEXT_W - 4.0 * PITCH;
        let width = |g: &[PGlyph]| g.iter().map(|g| g.adv * scale).sum::<f32>();
        let date_glyphs = date.map(|d| self.shape(&d, Role::Body, BODY));
        let centre = date_glyphs
            .as_ref()
            .map_or(right - 5.0 * PITCH, |d| right - width(d) / 2.0);
        let mut lines = Vec::new();
        if let Some(a) = agency {
            let mut g = self.shape(a, Role::Body, BODY);
            let w = width(&g);
            let x = (centre - w / 2.0).min(LEFT + TEXT_W - w).max(LEFT);
            Self::place(&mut g, x, scale, w, false, BODY);
            lines.push(g);
        }
        if let Some(mut d) = date_glyphs {
            let w = width(&d);
            Self::place(&mut d, right - w, scale, w, false, BODY);
            lines.push(d);
        }
        // Two empty lines above the signature, fewer rather than a page of its own.
        let n = lines.len() as f32;
        let room = ((TEXT_BOTTOM + 0.5 - self.y) / LINE).floor();
        let blanks = if room >= n { (room - n).min(2.0) } else { 2.0 };
        self.ensure(LINE * (blanks + n));
        for _ in 0..blanks as usize {
            self.blank_line();
        }
        for l in lines {
            self.text_line(l, BODY, LINE);
        }
    }

    fn banner(&mut self) {
        let first = self.pages.first_mut().map(std::mem::take);
        let Some(mut items) = first else {
            return;
        };
        let size = 18.0;
        let note =
            "本报告未通过 xxgk 校验，在校验错误未改正时强制生成，仅供核对，不得作为正式报告发布";
        let mut main = self.shape("未通过校验", Role::Heading1, size);
        let w: f32 = main.iter().map(|g| g.adv).sum();
        let mut small = self.shape(note, Role::Body, 9.0);
        let ws: f32 = small.iter().map(|g| g.adv).sum();
        let box_w = w.max(ws) + 16.0;
        let (x0, x1) = (LEFT + (TEXT_W - box_w) / 2.0, LEFT + (TEXT_W + box_w) / 2.0);
        let (y0, y1) = (9.0 * MM, 9.0 * MM + 42.0);
        Self::place(&mut main, LEFT + (TEXT_W - w) / 2.0, 1.0, w, false, size);
        Self::place(&mut small, LEFT + (TEXT_W - ws) / 2.0, 1.0, ws, false, 9.0);
        items.push(Item::Text {
            y: y0 + 6.0 + 0.88 * size,
            size,
            glyphs: main,
            colour: Colour::Red,
        });
        items.push(Item::Text {
            y: y0 + 12.0 + size + 0.88 * 9.0,
            size: 9.0,
            glyphs: small,
            colour: Colour::Red,
        });
        for (xa, ya, xb, yb) in [
            (x0, y0, x1, y0),
            (x0, y1, x1, y1),
            (x0, y0, x0, y1),
            (x1, y0, x1, y1),
        ] {
            items.push(Item::Rule {
                x0: xa,
                y0: ya,
                x1: xb,
                y1: yb,
                width: 1.5,
                colour: Colour::Red,
            });
        }
        if let Some(p) = self.pages.first_mut() {
            *p = items;
        }
    }

    fn page_numbers(&mut self) {
        let y = TEXT_BOTTOM + 7.0 * MM + 0.88 * PAGE_NUMBER;
        for i in 0..self.pages.len() {
            let mut g = self.shape(&format!("— {} —", i + 1), Role::PageNumber, PAGE_NUMBER);
            let w: f32 = g.iter().map(|g| g.adv).sum();
            let x = if i % 2 == 0 {
                LEFT + TEXT_W - PAGE_NUMBER - w
            } else {
                LEFT + PAGE_NUMBER
            };
            Self::place(&mut g, x, 1.0, w, false, PAGE_NUMBER);
            if let Some(p) = self.pages.get_mut(i) {
                p.push(Item::Text {
                    y,
                    size: PAGE_NUMBER,
                    glyphs: g,
                    colour: Colour::Black,
                });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/// A cell of a laid-out table: the grid rectangle it covers and how its text is set.
#[derive(Debug, Clone)]
struct TCell {
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
    text: String,
    kind: Kind,
}

impl TCell {
    fn is_value(&self) -> bool {
        self.kind == Kind::Value
    }
    fn vertical(&self) -> bool {
        self.kind == Kind::OutcomeGroup
    }
    /// How the cell's text is aligned in the table of `part`, as in the official template:
    /// labels and notes on the left, table 二's block captions on the left and its row labels
    /// centred, headers and values centred.
    fn align(&self, part: u8) -> Align {
        match self.kind {
            Kind::Label { .. } if part == 2 => Align::Centre,
            Kind::Label { .. } | Kind::Note | Kind::Caption => Align::Left,
            _ => Align::Centre,
        }
    }
}

/// Which rows may be split from the next (`false`: keep with the next row).
struct TableSpec {
    widths: Vec<f32>,
    /// Header rows repeated at the top of each continued page.
    repeat: usize,
    /// `breakable[r]`: a page break may come before row `r`.
    breakable: Vec<bool>,
}

/// The cells of `grid`: a cell starts where the grid has text or a value (not a filler, a
/// covered label column or an empty cell under a row-spanning one) and spans right over
/// fillers and covered label columns, down over empty cells.
fn cells_of(grid: &Grid) -> (Vec<TCell>, usize, usize) {
    let nrows = grid.rows.len();
    let ncols = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    let kind = |r: usize, c: usize| grid.rows.get(r).and_then(|row| row.get(c)).map(|g| g.kind);
    let mut covered = vec![false; nrows * ncols];
    let mut out = Vec::new();
    for (r, row) in grid.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if covered[r * ncols + c]
                || matches!(cell.kind, Kind::Filler | Kind::LabelSpan | Kind::Empty)
            {
                continue;
            }
            let cols = 1
                + (c + 1..ncols)
                    .take_while(|&k| matches!(kind(r, k), Some(Kind::Filler | Kind::LabelSpan)))
                    .count();
            let rows = 1
                + (r + 1..nrows)
                    .take_while(|&k| kind(k, c) == Some(Kind::Empty))
                    .count();
            for rr in r..r + rows {
                for cc in c..c + cols {
                    covered[rr * ncols + cc] = true;
                }
            }
            out.push(TCell {
                row: r,
                col: c,
                rows,
                cols,
                text: cell.text.clone(),
                kind: cell.kind,
            });
        }
    }
    // Empty cells nobody covers (none in the official grids) are cells of their own.
    for r in 0..nrows {
        for c in 0..ncols {
            if !covered[r * ncols + c] {
                out.push(TCell {
                    row: r,
                    col: c,
                    rows: 1,
                    cols: 1,
                    text: String::new(),
                    kind: Kind::Value,
                });
            }
        }
    }
    (out, nrows, ncols)
}

fn spec(part: u8, grid: &Grid, ncols: usize) -> TableSpec {
    let n = grid.rows.len();
    let widths = match (part, ncols) {
        (3, 10) => {
            let labels = [26.0, 56.0, 136.0];
            let each = (TEXT_W - labels.iter().sum::<f32>()) / 7.0;
            let mut w = labels.to_vec();
            w.extend([each; 7]);
            w
        }
        (2, c) if c > 1 => {
            let first = TEXT_W * 0.31;
            let each = (TEXT_W - first) / (c - 1) as f32;
            let mut w = vec![first];
            w.extend(std::iter::repeat_n(each, c - 1));
            w
        }
        (_, c) => vec![TEXT_W / c.max(1) as f32; c],
    };
    let (repeat, breakable) = match part {
        // Table 三: between two rows after the header, but not inside a group (（三）…（六）
        // stay beside all their sub-rows).
        3 => (
            3,
            (0..n)
                .map(|r| {
                    r > 3
                        && grid
                            .rows
                            .get(r)
                            .and_then(|row| row.get(1))
                            .is_none_or(|c| c.kind != Kind::Empty)
                })
                .collect(),
        ),
        // Table 二: before a block caption.
        2 => (
            0,
            (0..n)
                .map(|r| {
                    r > 0
                        && grid
                            .rows
                            .get(r)
                            .and_then(|row| row.first())
                            .is_some_and(|c| c.kind == Kind::Caption)
                })
                .collect(),
        ),
        _ => (0, vec![false; n]),
    };
    TableSpec {
        widths,
        repeat,
        breakable,
    }
}

/// A cell's text set in lines: glyphs placed relative to the cell's left edge at x = 0,
/// baselines relative to the top of the text block; and the block's height.
struct SetText {
    lines: Vec<(f32, Vec<PGlyph>)>,
    height: f32,
    size: f32,
}

impl Layout<'_> {
    /// Set the text of `cell` of the table of `part` in a cell `width` wide.
    fn set_cell(&self, cell: &TCell, width: f32, part: u8) -> SetText {
        let inner = (width - 2.0 * PAD_X).max(1.0);
        let mut size = TABLE;
        let glyphs = self.shape(&cell.text, Role::Body, size);
        if glyphs.is_empty() {
            return SetText {
                lines: Vec::new(),
                height: 0.0,
                size,
            };
        }
        if cell.vertical() {
            let pitch = size * 1.15;
            let lines = glyphs
                .into_iter()
                .enumerate()
                .map(|(i, mut g)| {
                    g.x = (width - g.adv) / 2.0;
                    (i as f32 * pitch + pitch / 2.0 + EM_CENTRE * size, vec![g])
                })
                .collect::<Vec<_>>();
            let height = lines.len() as f32 * pitch;
            return SetText {
                lines,
                height,
                size,
            };
        }
        if cell.is_value() {
            // One line, shrunk to fit.
            let w: f32 = glyphs.iter().map(|g| g.adv).sum();
            let mut glyphs = glyphs;
            if w > inner {
                size = (TABLE * inner / w).max(TABLE_MIN);
                glyphs = self.shape(&cell.text, Role::Body, size);
            }
            let w: f32 = glyphs.iter().map(|g| g.adv).sum();
            Self::place(&mut glyphs, (width - w) / 2.0, 1.0, w, false, size);
            let pitch = size * CELL_LEADING;
            return SetText {
                lines: vec![(pitch / 2.0 + EM_CENTRE * size, glyphs)],
                height: pitch,
                size,
            };
        }
        let chars: Vec<char> = glyphs.iter().map(|g| g.ch).collect();
        let widths: Vec<f32> = glyphs.iter().map(|g| g.adv).collect();
        let pitch = size * CELL_LEADING;
        let ranges = linebreak::after_marker(&chars, &widths, inner)
            .unwrap_or_else(|| linebreak::break_lines(&chars, &widths, inner, inner));
        let lines = ranges
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let mut line = glyphs[r].to_vec();
                let w: f32 = line.iter().map(|g| g.adv).sum();
                let x = match cell.align(part) {
                    Align::Centre => (width - w) / 2.0,
                    _ => PAD_X,
                };
                Self::place(&mut line, x, 1.0, w, false, size);
                (i as f32 * pitch + pitch / 2.0 + EM_CENTRE * size, line)
            })
            .collect::<Vec<_>>();
        let height = lines.len() as f32 * pitch;
        SetText {
            lines,
            height,
            size,
        }
    }

    /// Lay out `grid` (the table of part `part`) from the cursor, across pages when needed.
    fn table(&mut self, grid: &Grid, part: u8) {
        let (cells, nrows, ncols) = cells_of(grid);
        if nrows == 0 || ncols == 0 {
            return;
        }
        let spec = spec(part, grid, ncols);
        let xs: Vec<f32> = std::iter::once(LEFT)
            .chain(spec.widths.iter().scan(LEFT, |x, w| {
                *x += w;
                Some(*x)
            }))
            .collect();
        let set: Vec<SetText> = cells
            .iter()
            .map(|c| {
                let w = xs.get(c.col + c.cols).copied().unwrap_or(LEFT + TEXT_W)
                    - xs.get(c.col).copied().unwrap_or(LEFT);
                self.set_cell(c, w, part)
            })
            .collect();
        // Row heights: single-row cells first, then row-spanning cells enlarge their last row.
        let mut heights = vec![MIN_ROW; nrows];
        for (c, s) in cells.iter().zip(&set) {
            if c.rows == 1 {
                heights[c.row] = heights[c.row].max(s.height + 2.0 * PAD_Y);
            }
        }
        for (c, s) in cells.iter().zip(&set) {
            if c.rows > 1 {
                let have: f32 = heights[c.row..c.row + c.rows].iter().sum();
                let need = s.height + 2.0 * PAD_Y;
                if need > have {
                    heights[c.row + c.rows - 1] += need - have;
                }
            }
        }
        // Pagination: pieces of rows, each with the repeated header above it when continued.
        let header: f32 = heights[..spec.repeat.min(nrows)].iter().sum();
        let mut pieces: Vec<(usize, Range<usize>, f32)> = Vec::new(); // (page, rows, top)
        let mut start = 0;
        // Keep the first unbreakable group with the table's start.
        let group_end = |from: usize| {
            (from + 1..nrows)
                .find(|&r| spec.breakable[r])
                .unwrap_or(nrows)
        };
        let first_group: f32 = heights[..group_end(spec.repeat.min(nrows))].iter().sum();
        self.ensure(first_group);
        // The first rows are on this page: a heading above the table stays with them.
        self.held = None;
        while start < nrows {
            let top = self.y;
            let mut end = start;
            let mut y = top + if start > 0 { header } else { 0.0 };
            loop {
                let g = group_end(end.max(start));
                let h: f32 = heights[end..g].iter().sum();
                if end > start && y + h > TEXT_BOTTOM + 0.5 {
                    break;
                }
                y += h;
                end = g;
                if end >= nrows {
                    break;
                }
            }
            pieces.push((self.pages.len() - 1, start..end, top));
            self.y = y;
            start = end;
            if start < nrows {
                self.new_page();
            }
        }
        // Draw each piece: the repeated header, then its rows; every cell clipped to the piece.
        for (k, (page, rows, top)) in pieces.iter().enumerate() {
            let mut ys = Vec::new(); // (grid row, y top)
            let mut y = *top;
            if rows.start > 0 {
                for (r, h) in heights.iter().enumerate().take(spec.repeat.min(nrows)) {
                    ys.push((r, y));
                    y += h;
                }
            }
            for r in rows.clone() {
                ys.push((r, y));
                y += heights[r];
            }
            let y_of = |r: usize| ys.iter().find(|(g, _)| *g == r).map(|(_, y)| *y);
            let mut items = Vec::new();
            for (c, s) in cells.iter().zip(&set) {
                let span = c.row..c.row + c.rows;
                let visible: Vec<usize> = span
                    .clone()
                    .filter(|r| y_of(*r).is_some() && (rows.contains(r) || *r < spec.repeat))
                    .collect();
                let (Some(&r0), Some(&r1)) = (visible.first(), visible.last()) else {
                    continue;
                };
                let (Some(y0), Some(y1)) = (y_of(r0), y_of(r1).map(|y| y + heights[r1])) else {
                    continue;
                };
                let x0 = xs.get(c.col).copied().unwrap_or(LEFT);
                let x1 = xs.get(c.col + c.cols).copied().unwrap_or(LEFT + TEXT_W);
                for (xa, ya, xb, yb) in [
                    (x0, y0, x1, y0),
                    (x0, y1, x1, y1),
                    (x0, y0, x0, y1),
                    (x1, y0, x1, y1),
                ] {
                    items.push(Item::Rule {
                        x0: xa,
                        y0: ya,
                        x1: xb,
                        y1: yb,
                        width: RULE,
                        colour: Colour::Black,
                    });
                }
                if text_piece(c, s, &pieces, &heights, k, spec.repeat) {
                    // A text taller than the part of a split cell on this page is set smaller
                    // (it never runs out of its cell).
                    let room = (y1 - y0 - 2.0).max(1.0);
                    let f = if s.height > room {
                        room / s.height
                    } else {
                        1.0
                    };
                    let block_top = y0 + ((y1 - y0) - s.height * f) / 2.0;
                    for (base, line) in &s.lines {
                        let glyphs = line
                            .iter()
                            .map(|g| PGlyph {
                                x: x0 + g.x * f,
                                adv: g.adv * f,
                                ..*g
                            })
                            .collect();
                        items.push(Item::Text {
                            y: block_top + base * f,
                            size: s.size * f,
                            glyphs,
                            colour: Colour::Black,
                        });
                    }
                }
            }
            if let Some(p) = self.pages.get_mut(*page) {
                p.extend(items);
            }
        }
        self.y += 0.5 * LINE;
    }
}

/// Whether piece `k` prints the text of cell `c`: a header cell prints in every piece; a cell
/// split between pieces prints in the first piece tall enough for its text.
fn text_piece(
    c: &TCell,
    s: &SetText,
    pieces: &[(usize, Range<usize>, f32)],
    heights: &[f32],
    k: usize,
    repeat: usize,
) -> bool {
    if c.row + c.rows <= repeat {
        return true;
    }
    let span = c.row..c.row + c.rows;
    let height_in = |p: &(usize, Range<usize>, f32)| -> f32 {
        span.clone()
            .filter(|r| p.1.contains(r))
            .map(|r| heights[r])
            .sum()
    };
    let with_rows: Vec<usize> = pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| height_in(p) > 0.0)
        .map(|(j, _)| j)
        .collect();
    let chosen = with_rows
        .iter()
        .copied()
        .find(|&j| height_in(&pieces[j]) >= s.height + 2.0)
        .or_else(|| {
            with_rows
                .iter()
                .copied()
                .max_by(|&a, &b| height_in(&pieces[a]).total_cmp(&height_in(&pieces[b])))
        });
    chosen == Some(k)
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

/// `text` without the spaces a converter left beside Chinese characters ("2024 年政府 信息"
/// → "2024年政府信息"); a space between two Latin letters or digits stays.
fn tidy_spaces(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = out.chars().last();
            let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let latin = |c: Option<&char>| c.is_some_and(char::is_ascii_alphanumeric);
            if latin(before.as_ref()) && latin(after) && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn render_with(report: &Report, opts: &PdfOptions, fonts: &FontSet) -> Result<Vec<u8>, PdfError> {
    let format = crate::report_format(report);
    let mut l = Layout::new(fonts);
    l.title(&crate::report_title(report));
    let n = narrative::of_report(report);
    l.paras(&n.preamble);
    let value = |v: Option<&Value>| match v {
        None | Some(Value::Blank) => String::new(),
        Some(Value::Text(t)) => t.clone(),
        Some(Value::Number(n)) => n.to_string(),
    };
    for part in &PARTS {
        let grid = grids::part_grid(report, format, part, &value);
        if !n.shows_part(part.number, grid.is_some()) {
            continue;
        }
        l.heading1(&n.heading_line(part.number));
        l.paras(n.part(part.number));
        if let Some(grid) = grid {
            l.table(&grid, part.number);
        }
        l.paras(n.after_table(part.number));
    }
    let agency = n.signature_agency.as_deref();
    let date = n.signature_date.clone();
    l.signature(agency, date);
    if opts.failed_checks {
        l.banner();
    }
    l.page_numbers();
    write_pdf(&l, fonts, report, format)
}

fn colour(c: Colour) -> rgb::Color {
    match c {
        Colour::Black => rgb::Color::black(),
        Colour::Red => rgb::Color::new(200, 16, 16),
    }
}

fn write_pdf(
    l: &Layout<'_>,
    fonts: &FontSet,
    report: &Report,
    _format: Format,
) -> Result<Vec<u8>, PdfError> {
    let settings = SerializeSettings {
        xmp_metadata: false,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    doc.set_metadata(
        krilla::metadata::Metadata::new()
            .title(crate::report_title(report))
            .language("zh-CN".to_string())
            .creator("xxgk".to_string()),
    );
    let size = Size::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Write("页面尺寸".into()))?;
    for items in &l.pages {
        let mut page = doc.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        for item in items {
            match item {
                Item::Rule {
                    x0,
                    y0,
                    x1,
                    y1,
                    width,
                    colour: c,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x0, *y0);
                    pb.line_to(*x1, *y1);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: colour(*c).into(),
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Item::Text {
                    y,
                    size,
                    glyphs,
                    colour: c,
                } => {
                    surface.set_fill(Some(Fill {
                        paint: colour(*c).into(),
                        ..Fill::default()
                    }));
                    // One run per face.
                    let mut i = 0;
                    while i < glyphs.len() {
                        let face = glyphs[i].face;
                        let j = i + glyphs[i..].iter().take_while(|g| g.face == face).count();
                        let run = &glyphs[i..j];
                        let mut text = String::new();
                        let mut kg = Vec::with_capacity(run.len());
                        for (k, g) in run.iter().enumerate() {
                            let start = text.len();
                            text.push(g.ch);
                            let next = run.get(k + 1).map_or(g.x + g.adv, |n| n.x);
                            kg.push(KrillaGlyph::new(
                                GlyphId::new(u32::from(g.gid)),
                                (next - g.x) / size,
                                0.0,
                                0.0,
                                0.0,
                                start..text.len(),
                                None,
                            ));
                        }
                        if let Some(f) = fonts.faces().get(face) {
                            surface.draw_glyphs(
                                Point::from_xy(run[0].x, *y),
                                &kg,
                                f.font.clone(),
                                &text,
                                *size,
                                false,
                            );
                        }
                        i = j;
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_testgen::{random_report, GenOptions};

    fn fonts() -> Option<std::sync::Arc<FontSet>> {
        match FontSet::system() {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("{e}: skipped");
                None
            }
        }
    }

    #[test]
    fn page_geometry_is_gb_t_9704() {
        assert!((TEXT_W / MM - 156.0).abs() < 0.01);
        assert!(((PAGE_H - TOP - BOTTOM) / MM - 225.0).abs() < 0.01);
        // 22 lines of 28.99 pt, 28 characters of 15.79 pt.
        assert!((LINE - 28.99).abs() < 0.01, "{LINE}");
        assert!((PITCH - 15.79).abs() < 0.01, "{PITCH}");
    }

    #[test]
    fn title_spaces_beside_chinese_are_dropped() {
        assert_eq!(
            tidy_spaces(" 某中心 2024 年政府 信息公开工作年度报告 "),
            "某中心2024年政府信息公开工作年度报告"
        );
        assert_eq!(tidy_spaces("ABC  Corp 报告"), "ABC Corp报告");
    }

    /// The text lines of each page of `l`: (baseline, text), top to bottom.
    fn page_lines(l: &Layout<'_>) -> Vec<Vec<(f32, String)>> {
        l.pages
            .iter()
            .map(|items| {
                let mut lines: Vec<(f32, String)> = items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text { y, glyphs, .. } => {
                            Some((*y, glyphs.iter().map(|g| g.ch).collect()))
                        }
                        Item::Rule { .. } => None,
                    })
                    .collect();
                lines.sort_by(|a, b| a.0.total_cmp(&b.0));
                lines
            })
            .collect()
    }

    /// The page and baseline of the first line of `l` that starts with `text`.
    fn find(l: &Layout<'_>, text: &str) -> (usize, f32) {
        page_lines(l)
            .iter()
            .enumerate()
            .find_map(|(p, lines)| {
                lines
                    .iter()
                    .find(|(_, t)| t.starts_with(text))
                    .map(|(y, _)| (p, *y))
            })
            .unwrap_or_else(|| panic!("{text} not laid out"))
    }

    fn report_2021(seed: u64) -> Report {
        random_report(
            seed,
            &GenOptions {
                format: Some(Format::F2021),
                ..GenOptions::default()
            },
        )
    }

    fn value(v: Option<&Value>) -> String {
        match v {
            None | Some(Value::Blank) => String::new(),
            Some(Value::Text(t)) => t.clone(),
            Some(Value::Number(n)) => n.to_string(),
        }
    }

    fn grid_of(r: &Report, part: u8) -> Grid {
        let def = PARTS.iter().find(|p| p.number == part).expect("part");
        grids::part_grid(r, Format::F2021, def, &value).expect("grid")
    }

    #[test]
    fn a_heading_is_never_the_last_line_of_a_page() {
        let Some(f) = fonts() else { return };
        let r = report_2021(5);
        let t2 = grid_of(&r, 2);
        let body = "本年度主动公开政府信息的情况如下表所示，数据统计期限为本年度一月一日至十二月三十一日。";
        // From every position on the page, in steps of a third of a line: a heading followed
        // by a table, by a paragraph, and a heading over a subheading over a paragraph.
        for step in 0..66 {
            let start = TOP + step as f32 * LINE / 3.0;
            let mut l = Layout::new(&f);
            l.y = start;
            l.heading1("二、主动公开政府信息情况");
            l.table(&t2, 2);
            let (hp, hy) = find(&l, "二、主动公开政府信息情况");
            let (tp, ty) = find(&l, "第二十条第（一）项");
            assert_eq!(hp, tp, "from {start}: the heading left alone");
            assert!(hy < ty);

            let mut l = Layout::new(&f);
            l.y = start;
            l.heading1("一、总体情况");
            l.paras(&[
                Para::Subheading("（一）主动公开".into()),
                Para::Body(body.into()),
            ]);
            let (h1, _) = find(&l, "一、总体情况");
            let (h2, _) = find(&l, "（一）主动公开");
            let (b, _) = find(&l, "本年度主动公开");
            assert_eq!((h1, h2), (b, b), "from {start}");
            // Every page's last line is body text, never a heading.
            for lines in page_lines(&l) {
                if let Some((_, last)) = lines.last() {
                    assert!(
                        !last.starts_with("一、") && !last.starts_with("（一）"),
                        "{last}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_continued_table_repeats_its_header_rows() {
        let Some(f) = fonts() else { return };
        let r = report_2021(5);
        let mut l = Layout::new(&f);
        l.y = TOP + 8.0 * LINE;
        l.table(&grid_of(&r, 3), 3);
        let pages = page_lines(&l);
        assert_eq!(
            pages.len(),
            2,
            "table 三 from a third of the page continues"
        );
        let applicant = xxgk_model::catalogue::APPLICANT_HEADER;
        let total = xxgk_model::catalogue::OUTCOMES_GROUP;
        for lines in &pages {
            // The three header rows: 申请人情况, 法人或其他组织, 商业企业 (two lines).
            let y = |t: &str| {
                lines
                    .iter()
                    .find(|(_, l)| l == t)
                    .map(|(y, _)| *y)
                    .unwrap_or_else(|| panic!("{t}: {lines:?}"))
            };
            let rows = [
                applicant,
                xxgk_model::catalogue::ORGANISATION_HEADER,
                "商业",
            ];
            assert!(y(rows[0]) < y(rows[1]) && y(rows[1]) < y(rows[2]));
            // Above every data row of the page.
            let first_value = lines
                .iter()
                .filter(|(_, t)| t.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .map(|(y, _)| *y)
                .fold(f32::MAX, f32::min);
            assert!(y(rows[2]) < first_value);
        }
        // The data rows are split, not repeated: 四、结转 on the second page only, the first
        // character of 三、本年度办理结果 on the first.
        assert_eq!(find(&l, "四、结转下年度继续办理").0, 1);
        assert_eq!(find(&l, &total[..3]).0, 0);

        // From anywhere on a page, a group label is on the page of every one of its sub-rows.
        let groups = [
            ("（三）", "1.属于国家秘密", "8.属于行政查询"),
            ("（四）", "1.本机关不掌握", "3.补正后"),
            ("（五）", "1.信访举报", "5.要求行政机关"),
            ("（六）", "1.申请人无正当理由", "3.其他"),
        ];
        let grid = grid_of(&r, 3);
        let mut split = 0;
        for step in 0..44 {
            let mut l = Layout::new(&f);
            l.y = TOP + step as f32 * LINE / 2.0;
            l.table(&grid, 3);
            split += usize::from(l.pages.len() > 1);
            for (group, first, last) in groups {
                let page = find(&l, group).0;
                assert_eq!(find(&l, first).0, page, "{group} from step {step}");
                assert_eq!(find(&l, last).0, page, "{group} from step {step}");
            }
        }
        assert!(split > 30, "table 三 continues from most places: {split}");
    }

    #[test]
    fn table_two_keeps_each_block_with_its_caption_and_header() {
        let Some(f) = fonts() else { return };
        let r = report_2021(5);
        let grid = grid_of(&r, 2);
        for step in 0..44 {
            let mut l = Layout::new(&f);
            l.y = TOP + step as f32 * LINE / 2.0;
            l.table(&grid, 2);
            let pages = page_lines(&l);
            // Each page of the table starts with a block caption, left-aligned.
            for (_, first) in pages.iter().filter_map(|lines| lines.first()) {
                assert!(first.starts_with("第二十条"), "{first}");
            }
            // Every row label is on its block caption's page.
            for (cap, label) in [
                ("第二十条第（一）项", "规章"),
                ("第二十条第（八）项", "行政事业性收费"),
            ] {
                assert_eq!(find(&l, cap).0, find(&l, label).0, "from step {step}");
            }
        }
    }

    #[test]
    fn captions_left_group_labels_whole_words_with_the_font_metrics() {
        let Some(f) = fonts() else { return };
        let r = report_2021(5);
        let l = Layout::new(&f);
        let grid = grid_of(&r, 3);
        let (cells, _, ncols) = cells_of(&grid);
        let widths = spec(3, &grid, ncols).widths;
        let set = |text: &str, col: usize, cols: usize, kind: Kind, part: u8| {
            let cell = TCell {
                row: 0,
                col,
                rows: 1,
                cols,
                text: text.into(),
                kind,
            };
            let w: f32 = widths[col..col + cols].iter().sum();
            l.set_cell(&cell, w, part)
                .lines
                .iter()
                .map(|(_, g)| g.iter().map(|g| g.ch).collect::<String>())
                .collect::<Vec<_>>()
        };
        let label = Kind::Label {
            cpl_width: 0,
            page_break: false,
        };
        // Every group label of table 三 is its marker over its words, never broken mid-word.
        let groups: Vec<&TCell> = cells.iter().filter(|c| c.col == 1 && c.rows > 1).collect();
        assert_eq!(groups.len(), 4);
        for c in groups {
            let (marker, words) = c.text.split_at(c.text.find('）').expect("marker") + 3);
            assert_eq!(set(&c.text, 1, 1, label, 3), [marker, words]);
        }
        // "其他" and "总计" head a value column on one line.
        for h in ["其他", "总计"] {
            assert_eq!(set(h, 3, 1, Kind::Header { cpl_split: 0 }, 3), [h]);
        }
        // Table 二: the caption starts at the cell's left padding, a row label is centred.
        let grid2 = grid_of(&r, 2);
        let (_, _, n2) = cells_of(&grid2);
        let w2 = spec(2, &grid2, n2).widths;
        let place = |text: &str, kind: Kind, w: f32| {
            let cell = TCell {
                row: 0,
                col: 0,
                rows: 1,
                cols: 1,
                text: text.into(),
                kind,
            };
            let s = l.set_cell(&cell, w, 2);
            let g = &s.lines[0].1;
            let right = g.last().map_or(0.0, |g| g.x + g.adv);
            (g[0].x, w - right)
        };
        let (left, _) = place("第二十条第（一）项", Kind::Caption, w2.iter().sum());
        assert!((left - PAD_X).abs() < 0.01, "{left}");
        let (left, right) = place("规章", label, w2[0]);
        assert!((left - right).abs() < 0.5, "{left} {right}");
    }

    #[test]
    fn odd_text_and_empty_reports_render() {
        let Some(f) = fonts() else { return };
        let mut r = random_report(4, &GenOptions::default());
        // Characters no font has, control characters, a very long unbroken number.
        r.meta.agency_printed = Some("某县\u{1F600}\t局\u{0}".into());
        r.meta.title = None;
        r.cells.clear();
        r.sections = vec![xxgk_model::Section {
            part: 1,
            marker: "一、".into(),
            heading: "总体情况".into(),
            line: 1,
            end_line: 1,
            text: format!(
                "{}。\n（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（",
                "9".repeat(400)
            ),
        }];
        let pdf = render_with(&r, &PdfOptions::default(), &f).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_pdf_is_written_and_deterministic() {
        let Some(f) = fonts() else { return };
        let r = random_report(7, &GenOptions::default());
        let a = render_with(&r, &PdfOptions::default(), &f).expect("pdf");
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, render_with(&r, &PdfOptions::default(), &f).expect("pdf"));
    }
}
