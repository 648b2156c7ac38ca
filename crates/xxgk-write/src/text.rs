//! Render a report as the plain text that real publications turn into.
//!
//! [`render_text`] prints a complete report — title, preamble with the statistics period, the six
//! parts with their official headings, tables 二, 三 and 四 laid out like the official tables, and
//! the agency and publication date at the end — in one of four layouts:
//!
//! * [`TextLayout::Tsv`]: one table row per line, cells separated by tabs, as Word exports a
//!   table (spanned cells print as empty cells);
//! * [`TextLayout::CellPerLine`]: every cell on its own line starting with a tab, rows separated
//!   by blank lines; a wrapped cell continues on the next line without a tab;
//! * [`TextLayout::Markdown`]: pipe tables over the full official grid;
//! * [`TextLayout::Spaced`]: `label value value …` lines separated by single spaces, as pdftotext
//!   writes a PDF table.
//!
//! Cells print what the report holds: a number as printed, [`Value::Blank`] as an empty cell,
//! [`Value::Text`] as its text. **`Spaced` cannot represent a blank cell**: a blank prints as
//! nothing, so the row has fewer values than columns and a reader must refuse it. Generate
//! reports for `Spaced` without blanks (and without text containing whitespace).
//!
//! Rows of the catalogue that the report does not hold are not printed; a missing cell in a
//! printed row prints as an empty cell.

use xxgk_model::catalogue::PARTS;
use xxgk_model::{Number, Report, Value};

use crate::grid::{self, char_len, GCell, Grid, Kind};
use crate::narrative::{self, Para};
use crate::rng::Rng;
use crate::safe;

/// How the text lays out the tables (and, following the tools that produce each layout, the
/// prose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextLayout {
    /// Tab-separated rows (Word "save as text").
    Tsv,
    /// One cell per line, each starting with a tab; rows separated by blank lines.
    CellPerLine,
    /// Markdown pipe tables.
    Markdown,
    /// Space-separated `label value …` lines (pdftotext); prose hard-wrapped.
    Spaced,
}

impl TextLayout {
    pub const ALL: [TextLayout; 4] = [
        TextLayout::Tsv,
        TextLayout::CellPerLine,
        TextLayout::Markdown,
        TextLayout::Spaced,
    ];

    /// A short name for file names and messages.
    pub fn name(self) -> &'static str {
        match self {
            TextLayout::Tsv => "tsv",
            TextLayout::CellPerLine => "cell-per-line",
            TextLayout::Markdown => "markdown",
            TextLayout::Spaced => "spaced",
        }
    }

    /// Whether a blank cell survives the layout (every layout but `Spaced`).
    pub fn represents_blanks(self) -> bool {
        self != TextLayout::Spaced
    }
}

/// Options of [`render_text`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Wrap long labels as real reports do. `Tsv`: a long 表三 row label is broken by a page
    /// break, its last characters on a continuation row (`\t请\t\t…`) after an empty line.
    /// `CellPerLine`: long row labels, 4-character column headers and the 勾稽 note continue on
    /// the next line without a tab. `Spaced`: a long row label is printed over several lines,
    /// its last piece followed by the values; the 勾稽 note is wrapped. `Markdown`: no effect (a
    /// pipe table cell cannot hold a line break).
    pub wrap_labels: bool,
    /// Print the digits, sign and decimal point of table values in full width ("１２．５").
    pub full_width_digits: bool,
    /// End lines with CR LF.
    pub crlf: bool,
    /// Put a space between a number and an adjacent Chinese character in the title and the
    /// prose ("2024 年"), as many Word and PDF exports do. Tables and the date line are not
    /// affected.
    pub space_around_numbers: bool,
    /// Seed of the layout's variations (where the page breaks fall).
    pub seed: u64,
}

/// Render `report` as a Markdown document (`TextLayout::Markdown`, default options), with `opts`
/// (the "未通过校验" banner is a blockquote before the title).
pub fn render_markdown(report: &Report, opts: &crate::RenderOptions) -> String {
    let text = render_text(report, TextLayout::Markdown, &TextOptions::default());
    if opts.unchecked {
        format!("> {}\n\n{text}", crate::UNCHECKED_BANNER)
    } else {
        text
    }
}

/// Render `report` as text in `layout`.
pub fn render_text(report: &Report, layout: TextLayout, opts: &TextOptions) -> String {
    let n = narrative::of_report(report);
    let mut out = Out {
        layout,
        opts,
        lines: Vec::new(),
        rng: Rng::derive(opts.seed, 0x7465_7874),
    };
    let format = crate::report_format(report);

    let title = out.prose_spacing(&crate::report_title(report));
    out.heading(1, &title);
    out.paras(&n.preamble);

    for part in &PARTS {
        let val = |v: Option<&Value>| out.value_text(v);
        let grid = grid::part_grid(report, format, part, &val);
        if !n.shows_part(part.number, grid.is_some()) {
            continue;
        }
        out.heading(2, &n.heading_line(part.number));
        out.paras(n.part(part.number));
        if let Some(g) = grid {
            out.grid(g);
        }
        out.paras(n.after_table(part.number));
    }

    for s in [&n.signature_agency, &n.signature_date]
        .into_iter()
        .flatten()
    {
        out.text_line(s);
    }
    out.finish()
}

// ---------------------------------------------------------------------------------------------
// Output lines and prose
// ---------------------------------------------------------------------------------------------

struct Out<'a> {
    layout: TextLayout,
    opts: &'a TextOptions,
    lines: Vec<String>,
    rng: Rng,
}

/// Prose line width of the `Spaced` layout, in characters.
const SPACED_PROSE_WIDTH: usize = 32;

impl Out<'_> {
    fn line(&mut self, s: String) {
        self.lines.push(s);
    }

    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    /// Layouts whose converters separate paragraphs by an empty line.
    fn spaced_paragraphs(&self) -> bool {
        matches!(self.layout, TextLayout::Tsv | TextLayout::Markdown)
    }

    fn prose_spacing(&self, s: &str) -> String {
        if self.opts.space_around_numbers {
            narrative::space_numbers(s)
        } else {
            s.to_string()
        }
    }

    /// A heading of `level` (1 the title, 2 a part, 3 a sub-item): Markdown prints it as an ATX
    /// heading (`#`, `##`, `###`), the other layouts as a line of text.
    fn heading(&mut self, level: usize, s: &str) {
        if self.layout == TextLayout::Markdown {
            self.line(safe::markdown_heading(level, s));
        } else {
            self.line(s.to_string());
        }
        if self.spaced_paragraphs() {
            self.blank();
        }
    }

    /// A line of the report's own text (the signature): escaped in Markdown.
    fn text_line(&mut self, s: &str) {
        if self.layout == TextLayout::Markdown {
            self.line(safe::markdown_block(s));
        } else {
            self.line(s.to_string());
        }
    }

    fn paras(&mut self, paras: &[Para]) {
        for p in paras {
            let text = self.prose_spacing(p.text());
            match (self.layout, p) {
                (TextLayout::Spaced, Para::Body(_)) => {
                    for chunk in chunks(&text, SPACED_PROSE_WIDTH) {
                        self.line(chunk);
                    }
                }
                (TextLayout::Markdown, Para::Subheading(_)) => {
                    self.line(safe::markdown_heading(3, &text));
                }
                (TextLayout::Markdown, Para::Body(_)) => {
                    let block = safe::markdown_block(&text);
                    if block.is_empty() {
                        continue;
                    }
                    self.line(block);
                }
                _ => self.line(text),
            }
            if self.spaced_paragraphs() {
                self.blank();
            }
        }
    }

    fn finish(self) -> String {
        let eol = if self.opts.crlf { "\r\n" } else { "\n" };
        let mut s = self.lines.join(eol);
        s.push_str(eol);
        s
    }
}

/// Punctuation that typesetting never puts at the start of a line.
const NO_LINE_START: &[char] = &['，', '。', '、', '；', '：', '）', '”', '》', '！', '？'];

/// Split `s` into pieces of `width` characters; a piece takes one more character when the next
/// would start with closing punctuation (as Word and PDF typesetting do).
fn chunks(s: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let width = width.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = (start + width).min(chars.len());
        while end < chars.len() && NO_LINE_START.contains(&chars[end]) {
            end += 1;
        }
        out.push(chars[start..end].iter().collect());
        start = end;
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Split `s` after `at` characters (no split when `s` is not longer than that).
fn split_at_char(s: &str, at: usize) -> Vec<String> {
    match s.char_indices().nth(at) {
        Some((i, _)) if at > 0 => vec![s[..i].to_string(), s[i..].to_string()],
        _ => vec![s.to_string()],
    }
}

/// `Spaced`: the width of the label column, in characters.
const SPACED_LABEL_WIDTH: usize = 18;
/// Where the 勾稽 note wraps (after "…第一项加第二项之和，").
const NOTE_SPLIT: usize = 22;

impl Out<'_> {
    fn value_text(&self, v: Option<&Value>) -> String {
        match v {
            None | Some(Value::Blank) => String::new(),
            Some(Value::Text(t)) => t.clone(),
            Some(Value::Number(n)) => self.number_text(*n),
        }
    }

    fn number_text(&self, n: Number) -> String {
        let s = n.to_string();
        if !self.opts.full_width_digits {
            return s;
        }
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(0xFF10 + (c as u32 - '0' as u32)).unwrap_or(c),
                '-' => '\u{FF0D}',
                '.' => '\u{FF0E}',
                _ => c,
            })
            .collect()
    }

    fn grid(&mut self, grid: Grid) {
        match self.layout {
            TextLayout::Tsv => self.grid_tsv(grid),
            TextLayout::CellPerLine => self.grid_cpl(grid),
            TextLayout::Markdown => self.grid_markdown(grid),
            TextLayout::Spaced => self.grid_spaced(grid),
        }
    }

    fn grid_tsv(&mut self, grid: Grid) {
        for row in grid.rows {
            let cells: Vec<&GCell> = row.iter().filter(|c| c.kind != Kind::LabelSpan).collect();
            let broken = cells.iter().position(|c| {
                self.opts.wrap_labels
                    && matches!(
                        c.kind,
                        Kind::Label {
                            page_break: true,
                            ..
                        }
                    )
            });
            match broken {
                Some(i) => {
                    let label = &cells[i].text;
                    let keep = char_len(label) - 1 - self.rng.below(3) as usize;
                    let parts = split_at_char(label, keep);
                    let rest = parts.get(1).cloned().unwrap_or_default();
                    let values = cells.iter().filter(|c| c.kind == Kind::Value).count();
                    let line: Vec<&str> = cells
                        .iter()
                        .enumerate()
                        .map(|(j, c)| {
                            if j == i {
                                parts[0].as_str()
                            } else {
                                c.text.as_str()
                            }
                        })
                        .collect();
                    self.line(line.join("\t"));
                    // The page break: an empty line, then the rest of the label in a row of its
                    // own with empty value cells (seed 000).
                    self.blank();
                    self.line(format!("\t{rest}{}", "\t".repeat(values)));
                }
                None => {
                    let line: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
                    self.line(line.join("\t"));
                }
            }
        }
        self.blank();
    }

    fn grid_cpl(&mut self, grid: Grid) {
        let wrap = self.opts.wrap_labels;
        for row in grid.rows {
            for c in &row {
                let pieces = match c.kind {
                    Kind::Filler | Kind::LabelSpan => continue,
                    Kind::Label { cpl_width, .. } if wrap && char_len(&c.text) > cpl_width => {
                        chunks(&c.text, cpl_width)
                    }
                    Kind::Header { cpl_split } if wrap && cpl_split > 0 => {
                        split_at_char(&c.text, cpl_split)
                    }
                    Kind::Note if wrap => split_at_char(&c.text, NOTE_SPLIT),
                    _ => vec![c.text.clone()],
                };
                for (i, p) in pieces.into_iter().enumerate() {
                    if i == 0 {
                        self.line(format!("\t{p}"));
                    } else {
                        self.line(p);
                    }
                }
            }
            self.blank();
        }
        self.blank();
    }

    fn grid_markdown(&mut self, grid: Grid) {
        let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return;
        }
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.blank();
        }
        for (i, row) in grid.rows.iter().enumerate() {
            // Every cell escaped: a text cell holding "|" or "<…>" stays one cell of text.
            let mut cells: Vec<String> = row
                .iter()
                .map(|c| safe::markdown_inline(&c.text).trim().to_string())
                .collect();
            cells.resize(width, String::new());
            let line = cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        " ".to_string()
                    } else {
                        format!(" {c} ")
                    }
                })
                .collect::<Vec<_>>()
                .join("|");
            self.line(format!("|{line}|"));
            if i == 0 {
                self.line(format!("|{}", "---|".repeat(width)));
            }
        }
        self.blank();
    }

    fn grid_spaced(&mut self, grid: Grid) {
        let wrap = self.opts.wrap_labels;
        for row in grid.rows {
            let mut current: Vec<String> = Vec::new();
            for c in &row {
                match c.kind {
                    Kind::Filler | Kind::LabelSpan | Kind::Empty => {}
                    Kind::OutcomeGroup => self.line(c.text.clone()),
                    Kind::Note if wrap => {
                        for p in split_at_char(&c.text, NOTE_SPLIT) {
                            self.line(p);
                        }
                    }
                    Kind::Label { .. } if wrap && char_len(&c.text) > SPACED_LABEL_WIDTH => {
                        let pieces = chunks(&c.text, SPACED_LABEL_WIDTH);
                        let last = pieces.len() - 1;
                        for (i, p) in pieces.into_iter().enumerate() {
                            current.push(p);
                            if i < last {
                                self.line(current.join(" "));
                                current.clear();
                            }
                        }
                    }
                    _ if c.text.is_empty() => {}
                    // A note or caption is a line of its own.
                    Kind::Note | Kind::Caption => self.line(c.text.clone()),
                    _ => current.push(c.text.clone()),
                }
            }
            if !current.is_empty() {
                self.line(current.join(" "));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::catalogue;
    use xxgk_model::catalogue::APPEALS_WIDTH;
    use xxgk_model::catalogue::{Format, TableId};
    use xxgk_model::CellId;
    use xxgk_testgen::{random_report, GenOptions};

    #[test]
    fn chunks_keep_closing_punctuation_on_the_line() {
        assert_eq!(chunks("甲乙，丙丁", 2), vec!["甲乙，", "丙丁"]);
        assert_eq!(chunks("甲乙丙", 5), vec!["甲乙丙"]);
        assert_eq!(chunks("", 5), vec![""]);
    }

    fn opts(wrap: bool) -> TextOptions {
        TextOptions {
            wrap_labels: wrap,
            seed: 9,
            ..TextOptions::default()
        }
    }

    fn all_labels(format: Format, single: bool) -> Vec<String> {
        let mut v = Vec::new();
        for t in TableId::ALL {
            for r in crate::printed_rows(format, t, single) {
                v.push(r.printed_label());
                if let Some(g) = r.group {
                    v.push(g.to_string());
                }
                if let Some(b) = r.block {
                    v.push(b.to_string());
                }
                for c in r.columns {
                    v.push(c.label.to_string());
                }
            }
        }
        v.extend(
            [
                catalogue::NOTE_BALANCE,
                catalogue::APPLICANT_HEADER,
                catalogue::ORGANISATION_HEADER,
                catalogue::ACTIVE_ROW_HEADER,
            ]
            .map(String::from),
        );
        v
    }

    fn reports() -> Vec<Report> {
        let mut v = Vec::new();
        for seed in 0..12 {
            for (format, single) in [
                (Format::F2021, false),
                (Format::F2021, true),
                (Format::F2019, true),
            ] {
                v.push(random_report(
                    seed,
                    &GenOptions {
                        format: Some(format),
                        other_single_row: single,
                        ..GenOptions::default()
                    },
                ));
            }
        }
        v
    }

    #[test]
    fn every_label_heading_and_the_title_appear_unwrapped() {
        for r in reports() {
            let single = crate::has_single_other(&r);
            let format = r.format().expect("format");
            for layout in TextLayout::ALL {
                let text = render_text(&r, layout, &opts(false));
                let title = &r.meta.title.as_ref().expect("title").value;
                // Markdown: the title is a level-1 heading, the parts level-2 ones.
                let (h1, h2) = match layout {
                    TextLayout::Markdown => ("# ", "## "),
                    _ => ("", ""),
                };
                assert_eq!(text.lines().next(), Some(format!("{h1}{title}").as_str()));
                for label in all_labels(format, single) {
                    assert!(text.contains(&label), "{layout:?}: {label} missing");
                }
                for (i, p) in PARTS.iter().enumerate() {
                    let h = format!("{h2}{}、{}", catalogue::CHINESE_NUMERALS[i], p.heading);
                    assert!(text.lines().any(|l| l == h), "{layout:?}: {h}");
                }
                let year = r.meta.year.expect("year");
                // Spaced hard-wraps prose: join the lines before looking for the sentence.
                let joined = text.replace('\n', "");
                assert!(joined.contains(&format!(
                    "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
                )));
                let last = text.lines().last().unwrap_or_default();
                match &r.meta.published {
                    Some(d) => assert_eq!(
                        last,
                        format!("{}年{}月{}日", d.value.year, d.value.month, d.value.day)
                    ),
                    None => assert_eq!(Some(last), r.meta.agency_printed.as_deref()),
                }
                // The rows of the other format are absent.
                if format == Format::F2021 {
                    for l in catalogue::LABELS_ONLY_2019 {
                        assert!(!text.contains(l), "{layout:?}: {l}");
                    }
                }
            }
        }
    }

    #[test]
    fn markdown_rows_have_the_width_of_their_table() {
        for r in reports() {
            let text = render_text(&r, TextLayout::Markdown, &opts(true));
            let mut widths: Vec<Vec<usize>> = Vec::new();
            let mut current: Vec<usize> = Vec::new();
            for line in text.lines() {
                if line.starts_with('|') {
                    current.push(line.matches('|').count() - 1);
                } else if !current.is_empty() {
                    widths.push(std::mem::take(&mut current));
                }
            }
            assert_eq!(widths.len(), 3);
            let grid_2 = 1 + catalogue::table(crate::report_format(&r), TableId::Active)
                .rows
                .iter()
                .map(|x| x.columns.len())
                .max()
                .unwrap_or(0);
            let expect = [
                grid_2,
                3 + catalogue::APPLICANT_COLUMNS.len(),
                APPEALS_WIDTH,
            ];
            for (w, e) in widths.iter().zip(expect) {
                assert!(w.iter().all(|x| *x == e), "{w:?} != {e}");
            }
        }
    }

    #[test]
    fn tsv_rows_end_with_their_values() {
        let r = random_report(4, &GenOptions::default());
        let text = render_text(&r, TextLayout::Tsv, &opts(false));
        let format = crate::report_format(&r);
        let single = crate::has_single_other(&r);
        for row in crate::printed_rows(format, TableId::Requests, single) {
            let label = row.printed_label();
            let line = text
                .lines()
                .find(|l| l.split('\t').any(|c| c == label))
                .expect("row line");
            let cells: Vec<&str> = line.split('\t').collect();
            let tail = &cells[cells.len() - 7..];
            for (c, col) in tail.iter().zip(row.columns) {
                let v = r
                    .value(&CellId {
                        table: TableId::Requests,
                        row: row.key,
                        column: col.key,
                    })
                    .expect("value");
                assert_eq!(*c, v.to_string());
            }
        }
        // Table 四: one line of exactly 15 values.
        let appeals: Vec<String> = catalogue::table(format, TableId::Appeals)
            .cells()
            .map(|(row, col)| {
                r.value(&CellId {
                    table: TableId::Appeals,
                    row: row.key,
                    column: col.key,
                })
                .map(|v| v.to_string())
                .unwrap_or_default()
            })
            .collect();
        assert!(text.lines().any(|l| l == appeals.join("\t")));
    }

    #[test]
    fn wrapping_follows_the_real_layouts() {
        let r = random_report(
            11,
            &GenOptions {
                format: Some(Format::F2021),
                ..GenOptions::default()
            },
        );
        // CellPerLine: continuation lines have no tab.
        let text = render_text(&r, TextLayout::CellPerLine, &opts(true));
        assert!(text.contains("\t5.要求行政机关确认或重新\n出具已获取信息\n"));
        assert!(text.contains("\t商业\n企业\n"));
        let note: String = catalogue::NOTE_BALANCE.chars().take(NOTE_SPLIT).collect();
        assert!(text.contains(&format!("\t{note}\n")));
        // Tsv: the page break leaves the end of the label on a row of its own.
        let text = render_text(&r, TextLayout::Tsv, &opts(true));
        assert!(text.contains("\n\n\t"));
        assert!(text
            .lines()
            .any(|l| l.starts_with('\t') && l.ends_with(&"\t".repeat(7)) && l.len() < 20));
        // Spaced: the label's end is followed by the values.
        let text = render_text(&r, TextLayout::Spaced, &opts(true));
        let row = catalogue::table(Format::F2021, TableId::Requests)
            .row("partially_granted")
            .expect("row");
        let label = row.printed_label();
        let head: String = label.chars().take(SPACED_LABEL_WIDTH).collect();
        let tail: String = label.chars().skip(SPACED_LABEL_WIDTH).collect();
        let vals: Vec<String> = row
            .columns
            .iter()
            .map(|c| {
                r.value(&CellId {
                    table: TableId::Requests,
                    row: row.key,
                    column: c.key,
                })
                .map(|v| v.to_string())
                .unwrap_or_default()
            })
            .collect();
        assert!(
            text.contains(&format!("\n{head}\n{tail} {}\n", vals.join(" "))),
            "{text}"
        );
    }

    #[test]
    fn blanks_full_width_crlf_and_padding() {
        let r = random_report(
            2,
            &GenOptions {
                blank_probability: 0.3,
                narrative_bytes: 20_000,
                ..GenOptions::default()
            },
        );
        let o = TextOptions {
            full_width_digits: true,
            crlf: true,
            ..TextOptions::default()
        };
        for layout in TextLayout::ALL {
            let text = render_text(&r, layout, &o);
            assert!(
                text.len() >= 20_000 && text.len() < 34_000,
                "{}",
                text.len()
            );
            assert!(!text.replace("\r\n", "").contains('\n'));
            assert!(text.contains('０'));
        }
        // CellPerLine prints a blank as a lone tab.
        let text = render_text(&r, TextLayout::CellPerLine, &TextOptions::default());
        assert!(text.lines().any(|l| l == "\t"));
    }

    #[test]
    fn spaced_rows_are_label_then_values() {
        let r = random_report(8, &GenOptions::default());
        let text = render_text(&r, TextLayout::Spaced, &opts(false));
        let format = crate::report_format(&r);
        let single = crate::has_single_other(&r);
        for row in crate::printed_rows(format, TableId::Requests, single) {
            let label = row.printed_label();
            let line = text
                .lines()
                .find(|l| l.split(' ').any(|t| t == label))
                .unwrap_or_else(|| panic!("{label}"));
            let tokens: Vec<&str> = line.split(' ').collect();
            assert_eq!(tokens[tokens.len() - 8], label);
        }
        assert!(text.lines().any(|l| l == catalogue::OUTCOMES_GROUP));
    }

    #[test]
    fn markdown_headings_and_escaped_report_text() {
        let mut r = random_report(
            3,
            &GenOptions {
                format: Some(Format::F2021),
                ..GenOptions::default()
            },
        );
        let section = |part: u8, text: &str| xxgk_model::Section {
            part,
            marker: String::new(),
            heading: String::new(),
            line: 1,
            end_line: 1,
            text: text.to_string(),
        };
        r.sections = vec![
            section(
                1,
                // Each line ends a sentence (a line that does not is joined to the next, as
                // wrapped lines of one paragraph are).
                "（一）主动公开\n# 不是标题 <script>alert(1)</script>。\n\
                 [点此](javascript:alert(1)) 1. 不是列表。\n- 不是列表。\n1.主动公开2条。",
            ),
            section(
                5,
                "> 不是引用 | 不是表格 `代码` *强调* <img src=x onerror=alert(1)>",
            ),
        ];
        let md = render_markdown(&r, &crate::RenderOptions::default());
        let lines: Vec<&str> = md.lines().collect();
        // Title `#`, parts `##`, sub-items `###`.
        assert!(lines[0].starts_with("# "), "{}", lines[0]);
        assert!(lines.contains(&"## 一、总体情况"));
        assert!(lines.contains(&"### （一）主动公开"));
        // The report's text, escaped where it would make markup, unchanged elsewhere.
        assert!(lines.contains(&"\\# 不是标题 \\<script>alert(1)\\</script>。"));
        assert!(lines.contains(&"\\[点此\\](javascript:alert(1)) 1. 不是列表。"));
        assert!(lines.contains(&"\\- 不是列表。"));
        assert!(lines.contains(&"1.主动公开2条。"));
        assert!(lines.contains(
            &"\\> 不是引用 \\| 不是表格 \\`代码\\` \\*强调\\* \\<img src=x onerror=alert(1)>"
        ));
        // No `<` of the report's text is left unescaped.
        for l in &lines {
            let unescaped = l
                .char_indices()
                .any(|(i, c)| c == '<' && !l[..i].ends_with('\\'));
            assert!(!unescaped, "{l}");
        }
    }
}
