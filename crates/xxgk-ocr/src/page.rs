//! One page image → lines of a [`Document`]: the text between tables as paragraphs, every table
//! as grid rows (the layout of a Word table in the common pipeline, see `xxgk_read::doc`).
//!
//! Cells are read one by one, not the page as a whole (a whole page with its ruling lines reads
//! badly): the non-blank cells are cut out (deskewed, inside their rulings) and stacked into one
//! tall *strip* image with white space between them, read once; each word goes back to the cell
//! its box falls in. A blank cell (no ink) is never sent to the engine: it stays blank. Cells whose
//! text looks like a number are read a second time with the digits-only alphabet, whose reading
//! (and confidence) is kept.

use image::GrayImage;
use xxgk_read::doc::{Document, Origin};

use crate::engine::{Engine, Script, Word};
use crate::grid::{self, Frame};
use crate::OcrError;

/// The engine's (block, paragraph, line) of a word.
type EngineLine = (u32, u32, u32);

/// The text of a cell that has ink but that no reading could read.
pub const UNREAD: &str = "（无法识别）";

/// White space between the pieces of a strip (pixels).
const GAP: i64 = 80;

/// A value cell as read: where it is and how sure the engine was.
#[derive(Debug, Clone, PartialEq)]
pub struct CellReading {
    pub page: u32,
    /// The document line of the cell's grid row (1-based, counted on the page).
    pub line: u32,
    /// The cell's field in that grid row (0-based).
    pub field: usize,
    pub text: String,
    /// The engine's lowest word confidence in the cell (0–100).
    pub confidence: f32,
    /// The cell's box on the page image (x0, y0, x1, y1), deskewed.
    pub bbox: (i64, i64, i64, i64),
}

impl CellReading {
    /// The provenance a cell read from here carries.
    pub fn provenance(&self) -> xxgk_model::OcrCell {
        let (x0, y0, x1, y1) = self.bbox;
        let px = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        xxgk_model::OcrCell {
            page: self.page,
            bbox: [px(x0), px(y0), px(x1), px(y1)],
            confidence: self.confidence.clamp(0.0, 100.0).round() as u8,
        }
    }
}

/// Pieces of a page stacked into one image.
struct Strip {
    image: GrayImage,
    /// (index of the piece, top, bottom) in the strip.
    slots: Vec<(usize, i64, i64)>,
}

fn strip(pieces: &[(usize, GrayImage)]) -> Strip {
    let width = pieces
        .iter()
        .map(|(_, p)| i64::from(p.width()))
        .max()
        .unwrap_or(1)
        + 2 * GAP;
    let height: i64 = pieces
        .iter()
        .map(|(_, p)| i64::from(p.height()) + GAP)
        .sum::<i64>()
        + GAP;
    let mut image = GrayImage::from_pixel(width as u32, height.max(1) as u32, image::Luma([255]));
    let mut slots = Vec::new();
    let mut y = GAP;
    for (i, p) in pieces {
        image::imageops::replace(&mut image, p, GAP, y);
        slots.push((*i, y, y + i64::from(p.height())));
        y += i64::from(p.height()) + GAP;
    }
    Strip { image, slots }
}

/// The words of each piece of a strip, in reading order.
fn assign(words: &[Word], strip: &Strip) -> Vec<(usize, Vec<Word>)> {
    let mut out: Vec<(usize, Vec<Word>)> = strip.slots.iter().map(|s| (s.0, Vec::new())).collect();
    for w in words {
        let mid = w.top + w.height / 2;
        if let Some(k) = strip
            .slots
            .iter()
            .position(|&(_, top, bottom)| mid >= top - GAP / 2 && mid < bottom + GAP / 2)
        {
            out[k].1.push(w.clone());
        }
    }
    for (_, ws) in &mut out {
        ws.sort_by_key(|w| (w.line, w.left));
    }
    out
}

/// Words → text: words of a line joined (a space only between two Latin letters or digits),
/// lines joined without a separator (a wrapped label is one label).
fn text_of(words: &[Word]) -> String {
    let mut text = String::new();
    for w in words {
        if let (Some(a), Some(b)) = (text.chars().last(), w.text.chars().next()) {
            if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                text.push(' ');
            }
        }
        text.push_str(&w.text);
    }
    text
}

/// Whether a cell's first reading has no Chinese character (a number, or marks the Chinese
/// model took for letters): it is read again with the digits-only alphabet.
fn not_chinese(text: &str) -> bool {
    !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn looks_numeric(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '.' | '-' | ',' | ' ' | 'o' | 'O' | 'l' | 'I' | '|')
        })
}

/// Whether a piece has ink that is not scattered noise: pixels with an inked neighbour.
fn has_ink(piece: &GrayImage) -> bool {
    let (w, h) = piece.dimensions();
    let mut count = 0;
    for y in 0..h.saturating_sub(1) {
        for x in 0..w.saturating_sub(1) {
            if piece.get_pixel(x, y).0[0] < grid::INK
                && (piece.get_pixel(x + 1, y).0[0] < grid::INK
                    || piece.get_pixel(x, y + 1).0[0] < grid::INK)
            {
                count += 1;
                if count >= 12 {
                    return true;
                }
            }
        }
    }
    false
}

/// The piece without isolated specks: an ink pixel none of whose eight neighbours is ink is
/// made white (scanner noise; no stroke of a character is one pixel alone).
fn despeckle(piece: &GrayImage) -> GrayImage {
    let (w, h) = piece.dimensions();
    let ink = |x: i64, y: i64| {
        x >= 0
            && y >= 0
            && x < i64::from(w)
            && y < i64::from(h)
            && piece.get_pixel(x as u32, y as u32).0[0] < grid::INK
    };
    GrayImage::from_fn(w, h, |x, y| {
        let (xi, yi) = (i64::from(x), i64::from(y));
        let p = *piece.get_pixel(x, y);
        if p.0[0] < grid::INK
            && !(-1..=1).any(|dy| (-1..=1).any(|dx| (dx, dy) != (0, 0) && ink(xi + dx, yi + dy)))
        {
            image::Luma([255])
        } else {
            p
        }
    })
}

/// The piece cut to its ink (plus a margin), so that the engine sees text, not white space;
/// a tall narrow piece (a label printed vertically, one character per line, as the
/// "三、本年度办理结果" of table 三) is re-laid as one horizontal line of its characters.
fn trim(piece: &GrayImage) -> GrayImage {
    let (w, h) = piece.dimensions();
    let ink = |x: u32, y: u32| piece.get_pixel(x, y).0[0] < grid::INK;
    let rows: Vec<bool> = (0..h).map(|y| (0..w).any(|x| ink(x, y))).collect();
    let cols: Vec<bool> = (0..w).map(|x| (0..h).any(|y| ink(x, y))).collect();
    let (Some(y0), Some(y1)) = (rows.iter().position(|&r| r), rows.iter().rposition(|&r| r)) else {
        return piece.clone();
    };
    let (Some(x0), Some(x1)) = (cols.iter().position(|&c| c), cols.iter().rposition(|&c| c)) else {
        return piece.clone();
    };
    let (x0, x1, y0, y1) = (x0 as u32, x1 as u32, y0 as u32, y1 as u32);
    let (tw, th) = (x1 - x0 + 1, y1 - y0 + 1);
    let margin = 16;
    // Characters of a vertical label: runs of inked rows separated by blank rows.
    if th > tw * 3 {
        let mut glyphs: Vec<(u32, u32)> = Vec::new();
        let mut start = None;
        for y in y0..=y1 + 1 {
            let inked = y <= y1 && rows[y as usize];
            match (inked, start) {
                (true, None) => start = Some(y),
                (false, Some(s)) => {
                    glyphs.push((s, y));
                    start = None;
                }
                _ => {}
            }
        }
        // A character is about as tall as the column is wide (CJK glyphs are square): runs are
        // joined while together they stay within that (the strokes of 三 are three runs).
        let mut merged: Vec<(u32, u32)> = Vec::new();
        for g in glyphs {
            match merged.last_mut() {
                Some(last) if g.1 - last.0 <= tw + tw / 8 => last.1 = g.1,
                _ => merged.push(g),
            }
        }
        if merged.len() >= 2 {
            let gh = merged.iter().map(|g| g.1 - g.0).max().unwrap_or(1);
            let gap = tw / 4 + 2;
            let out_w = merged.len() as u32 * (tw + gap) + 2 * margin;
            let mut out = GrayImage::from_pixel(out_w, gh + 2 * margin, image::Luma([255]));
            for (k, g) in merged.iter().enumerate() {
                let sub = image::imageops::crop_imm(piece, x0, g.0, tw, g.1 - g.0).to_image();
                let dy = (gh - (g.1 - g.0)) / 2;
                image::imageops::replace(
                    &mut out,
                    &sub,
                    i64::from(margin + k as u32 * (tw + gap)),
                    i64::from(margin + dy),
                );
            }
            return out;
        }
    }
    let mut out = GrayImage::from_pixel(tw + 2 * margin, th + 2 * margin, image::Luma([255]));
    let sub = image::imageops::crop_imm(piece, x0, y0, tw, th).to_image();
    image::imageops::replace(&mut out, &sub, i64::from(margin), i64::from(margin));
    out
}

/// The tallest strip given to the engine (Tesseract refuses images over 32,767 pixels).
const MAX_STRIP_HEIGHT: i64 = 30_000;

/// The words of each piece, read in strips of at most [`MAX_STRIP_HEIGHT`] pixels.
fn recognize_pieces(
    pieces: &[(usize, GrayImage)],
    engine: &dyn Engine,
    script: Script,
) -> Result<Vec<(usize, Vec<Word>)>, OcrError> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < pieces.len() {
        let mut end = start;
        let mut height = GAP;
        while end < pieces.len()
            && (end == start
                || height + i64::from(pieces[end].1.height()) + GAP <= MAX_STRIP_HEIGHT)
        {
            height += i64::from(pieces[end].1.height()) + GAP;
            end += 1;
        }
        let s = strip(&pieces[start..end]);
        let words = engine.recognize(&s.image, script)?;
        out.extend(assign(&words, &s));
        start = end;
    }
    Ok(out)
}

/// Height in pixels the engine reads best for a line of a table's text (a digit's height).
const TEXT_PIXELS: u32 = 28;

/// How much a table's cells are enlarged for the engine, from the height of their text (the
/// median height of the inked cells, cut to their ink): an image of a table alone says nothing
/// of its resolution by its width. `None` without cells.
fn table_scale(pieces: &[(usize, GrayImage)]) -> Option<u32> {
    let mut heights: Vec<u32> = pieces
        .iter()
        .map(|(_, p)| p.height().saturating_sub(32))
        .collect();
    if heights.is_empty() {
        return None;
    }
    heights.sort_unstable();
    let median = heights[heights.len() / 2].max(1);
    Some(((TEXT_PIXELS + median / 2) / median).clamp(1, 4))
}

/// Scale for the engine: pages under 250 dpi are enlarged twice.
fn scale_of(image: &GrayImage) -> u32 {
    // A4 is 8.27 inches wide.
    let dpi = f64::from(image.width()) / 8.27;
    if dpi < 250.0 {
        2
    } else {
        1
    }
}

fn enlarge(piece: GrayImage, scale: u32) -> GrayImage {
    if scale == 1 {
        return piece;
    }
    image::imageops::resize(
        &piece,
        piece.width() * scale,
        piece.height() * scale,
        image::imageops::FilterType::Triangle,
    )
}

/// Reads one page into `doc`: its text and tables in order from the top. Returns the readings
/// of the cells that hold numbers.
pub fn read_page(
    image: &GrayImage,
    page: u32,
    engine: &dyn Engine,
    doc: &mut Document,
) -> Result<Vec<CellReading>, OcrError> {
    let frame = Frame::new(image);
    let tables = grid::tables(&frame);
    let scale = scale_of(image);
    let slack = (i64::from(image.width()) / 600).max(2);
    let mut readings = Vec::new();
    let mut line = 0u32;
    let mut y = 0i64;
    let bottom = i64::from(image.height());
    for t in tables.iter().map(Some).chain(std::iter::once(None)) {
        let until = t.map_or(bottom, |t| t.top() - slack * 2);
        if until > y + 8 {
            let band = despeckle(&frame.crop(0, y, i64::from(image.width()), until));
            if has_ink(&band) {
                let words = engine.recognize(&enlarge(band, scale), Script::Chinese)?;
                let mut by_line: Vec<(&EngineLine, Vec<Word>)> = Vec::new();
                for w in &words {
                    match by_line.iter_mut().find(|(k, _)| **k == w.line) {
                        Some((_, ws)) => ws.push(w.clone()),
                        None => by_line.push((&w.line, vec![w.clone()])),
                    }
                }
                for (_, mut ws) in by_line {
                    ws.sort_by_key(|w| w.left);
                    line += 1;
                    doc.paragraph(&text_of(&ws), Origin::page_line(page, line));
                }
            }
        }
        let Some(t) = t else { break };
        line += 1;
        doc.blank(Origin::page_line(page, line));
        read_table(
            &frame,
            t,
            page,
            &mut line,
            scale,
            slack,
            engine,
            doc,
            &mut readings,
        )?;
        line += 1;
        doc.blank(Origin::page_line(page, line));
        y = t.bottom() + slack * 2;
    }
    Ok(readings)
}

#[allow(clippy::too_many_arguments)]
fn read_table(
    frame: &Frame,
    t: &grid::Table,
    page: u32,
    line: &mut u32,
    scale: u32,
    slack: i64,
    engine: &dyn Engine,
    doc: &mut Document,
    readings: &mut Vec<CellReading>,
) -> Result<(), OcrError> {
    let inset = slack * 2 + 2;
    let mut trimmed = Vec::new();
    for (i, c) in t.cells.iter().enumerate() {
        let piece = despeckle(&frame.crop(c.x0 + inset, c.y0 + inset, c.x1 - inset, c.y1 - inset));
        if has_ink(&piece) {
            trimmed.push((i, trim(&piece)));
        }
    }
    let scale = table_scale(&trimmed).unwrap_or(scale);
    let pieces: Vec<(usize, GrayImage)> = trimmed
        .into_iter()
        .map(|(i, p)| (i, enlarge(p, scale)))
        .collect();
    let mut texts: Vec<(String, f32)> = vec![(String::new(), 100.0); t.cells.len()];
    if !pieces.is_empty() {
        for (i, ws) in recognize_pieces(&pieces, engine, Script::Chinese)? {
            let conf = ws.iter().map(|w| w.confidence).fold(100.0_f32, f32::min);
            texts[i] = (text_of(&ws), if ws.is_empty() { 0.0 } else { conf });
        }
        // The second, digits-only reading of the cells that look like numbers (or that the
        // first reading could not read at all).
        let numeric: Vec<(usize, GrayImage)> = pieces
            .iter()
            .filter(|(i, _)| not_chinese(&texts[*i].0))
            .cloned()
            .collect();
        if !numeric.is_empty() {
            for (i, ws) in recognize_pieces(&numeric, engine, Script::Digits)? {
                let text = text_of(&ws);
                if !text.is_empty() {
                    let conf = ws.iter().map(|w| w.confidence).fold(100.0_f32, f32::min);
                    texts[i] = (text, conf);
                } else if texts[i].0.is_empty() {
                    // Ink that neither reading could read: kept as printed-but-unread (below),
                    // never as a blank.
                    texts[i] = (String::new(), 0.0);
                }
            }
        }
    }
    // A cell with ink that no reading could read is not blank: it is given the text
    // [`UNREAD`] (a text, never a number) and a reading of confidence 0, so that a finding
    // names it.
    for (i, _) in &pieces {
        if texts[*i].0.is_empty() {
            texts[*i] = (UNREAD.to_owned(), 0.0);
        }
    }
    let nrows = t.ys.len().saturating_sub(1);
    let ncols = t.xs.len().saturating_sub(1);
    for r in 0..nrows {
        *line += 1;
        let mut fields = vec![String::new(); ncols];
        let mut provenance = Vec::new();
        for (i, c) in t.cells.iter().enumerate() {
            if c.row == r && c.col < ncols {
                fields[c.col] = texts[i].0.clone();
                let reading = CellReading {
                    page,
                    line: *line,
                    field: c.col,
                    text: texts[i].0.clone(),
                    confidence: texts[i].1,
                    bbox: (c.x0, c.y0, c.x1, c.y1),
                };
                if !texts[i].0.is_empty() {
                    provenance.push((c.col as u32, reading.provenance()));
                }
                if looks_numeric(&texts[i].0) || texts[i].0 == UNREAD {
                    readings.push(reading);
                }
            }
        }
        doc.table_row_ocr(&fields, Origin::page_line(page, *line), &provenance);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine that reads nothing.
    struct Blind;
    impl Engine for Blind {
        fn recognize(&self, _: &GrayImage, _: Script) -> Result<Vec<Word>, OcrError> {
            Ok(Vec::new())
        }
        fn name(&self) -> String {
            "blind".to_owned()
        }
    }

    /// Ink that no reading reads is kept as printed-but-unread with a reading of confidence 0,
    /// never turned into a blank; a cell without ink stays blank.
    #[test]
    fn unread_ink_is_not_a_blank() {
        let mut img = GrayImage::from_pixel(1000, 1400, image::Luma([255]));
        // One row of two cells: x 100–500–900, y 200–300, rulings 3 px thick.
        for x in 100..=902 {
            for t in 0..3 {
                img.put_pixel(x, 200 + t, image::Luma([0]));
                img.put_pixel(x, 300 + t, image::Luma([0]));
            }
        }
        for y in 200..=302 {
            for x0 in [100, 500, 900] {
                for t in 0..3 {
                    img.put_pixel(x0 + t, y, image::Luma([0]));
                }
            }
        }
        // A 20×16 blot in the first cell (shorter than a vertical ruling).
        for y in 242..258 {
            for x in 290..310 {
                img.put_pixel(x, y, image::Luma([0]));
            }
        }
        let mut doc = Document::new();
        let readings = read_page(&img, 1, &Blind, &mut doc).expect("page");
        let row = doc
            .lines()
            .iter()
            .find(|l| l.contains('\t'))
            .expect("the table row");
        assert_eq!(row, &format!("{UNREAD}\t"));
        assert_eq!(readings.len(), 1);
        assert_eq!(readings[0].text, UNREAD);
        assert_eq!(readings[0].confidence, 0.0);
        assert_eq!(readings[0].field, 0);
    }
}
