//! The text a writer prints besides the tables: the report's own preamble, the paragraphs and
//! sub-headings of its parts and its signature, as read. Nothing is composed for a report whose
//! document prints a preamble; one without (an input file, the blank template) gets a preamble
//! of what its data states (the format its tables were read in, statistics period, contact) and
//! a signature of its agency and date.
//!
//! Lines a published document wrapped are joined back into paragraphs (a PDF prints a paragraph
//! over several lines); the agency and date closing the last part are the signature, printed
//! once, as printed.

use xxgk_model::catalogue::{Format, TableId, PARTS};
use xxgk_model::Report;

/// One paragraph of a part: a numbered sub-heading or a body paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Para {
    Subheading(String),
    Body(String),
}

impl Para {
    pub(crate) fn text(&self) -> &str {
        match self {
            Para::Subheading(s) | Para::Body(s) => s,
        }
    }
}

/// The prose of one report.
#[derive(Debug, Clone, Default)]
pub(crate) struct Narrative {
    pub preamble: Vec<Para>,
    /// The paragraphs of each part (1–6) besides its table.
    parts: [Vec<Para>; 6],
    /// The paragraphs printed after each part's table (a document that goes on after it).
    after_table: [Vec<Para>; 6],
    /// The headings of the six parts when the report has its own (else the catalogue's).
    headings: [Option<String>; 6],
    /// The markers of the six parts as printed ("一、" where the document numbers its parts
    /// its own way), else the catalogue's.
    markers: [Option<String>; 6],
    /// Which parts the report prints: a part it does not print shows only when it has a
    /// table (a report read as text only prints its text).
    printed: [bool; 6],
    /// The signature: the agency and the date, as printed (or, for a report without document
    /// text, as its data states them).
    pub signature_agency: Option<String>,
    pub signature_date: Option<String>,
}

impl Narrative {
    /// The heading of part `number` (1–6) after its marker.
    pub(crate) fn heading(&self, number: u8) -> &str {
        let i = usize::from(number.saturating_sub(1));
        match self.headings.get(i) {
            Some(Some(h)) => h,
            _ => PARTS.get(i).map_or("", |p| p.heading),
        }
    }

    /// The paragraphs printed in part `number` (1–6) besides its table.
    pub(crate) fn part(&self, number: u8) -> &[Para] {
        self.parts
            .get(usize::from(number.saturating_sub(1)))
            .map_or(&[], Vec::as_slice)
    }

    /// The paragraphs printed in part `number` (1–6) after its table.
    pub(crate) fn after_table(&self, number: u8) -> &[Para] {
        self.after_table
            .get(usize::from(number.saturating_sub(1)))
            .map_or(&[], Vec::as_slice)
    }

    /// The heading line of part `number`: its marker (as printed) and heading.
    pub(crate) fn heading_line(&self, number: u8) -> String {
        let i = usize::from(number.saturating_sub(1));
        let marker = match self.markers.get(i) {
            Some(Some(m)) => m.clone(),
            _ => PARTS.get(i).map_or_else(String::new, |p| p.marker()),
        };
        format!("{marker}{}", self.heading(number))
    }

    /// Whether part `number` prints its heading: when the report prints the part, or the part
    /// prints a table.
    pub(crate) fn shows_part(&self, number: u8, has_table: bool) -> bool {
        has_table
            || self
                .printed
                .get(usize::from(number.saturating_sub(1)))
                .copied()
                .unwrap_or(false)
    }
}

/// Whether `report` holds cells of the table printed in part `part`.
fn has_table(report: &Report, part: u8) -> bool {
    report.cells.keys().any(|k| k.table.part() == part)
}

/// The prose a writer prints for `report`.
pub(crate) fn of_report(report: &Report) -> Narrative {
    let mut n = Narrative::default();
    // A report read from a document prints the lines before its first part (all its lines
    // when no part was recognised); only a report without any (an input file) gets a preamble
    // composed from its data.
    let from_document = !report.meta.preamble.is_empty();
    n.preamble = if from_document {
        paragraphs(report.meta.preamble.clone())
    } else {
        composed_preamble(report)
    };
    let mut signature = Vec::new();
    for part in 1..=6u8 {
        let (mut before, mut after) = part_lines(report, part);
        let i = usize::from(part - 1);
        if usize::from(part) == PARTS.len() {
            let last = if after.is_empty() {
                &mut before
            } else {
                &mut after
            };
            for _ in 0..2 {
                if last.last().is_some_and(|l| is_signature(report, l)) {
                    signature.extend(last.pop());
                }
            }
        }
        n.parts[i] = paragraphs(before);
        n.after_table[i] = paragraphs(after);
        let section = report.sections.iter().find(|s| s.part == part);
        n.printed[i] = section.is_some();
        n.headings[i] = section
            .filter(|s| !s.heading.trim().is_empty())
            .map(|s| s.heading.trim().to_string());
        n.markers[i] = section
            .map(|s| s.marker.trim().to_string())
            .filter(|m| !m.is_empty());
    }
    signature.reverse();
    if signature.is_empty() && !from_document {
        n.signature_agency = report.meta.agency_printed.clone();
        n.signature_date = report.meta.published.as_ref().map(|d| {
            let d = d.value;
            format!("{}年{}月{}日", d.year, d.month, d.day)
        });
    } else {
        for line in signature {
            if is_date_line(&line) {
                n.signature_date = Some(line);
            } else {
                n.signature_agency = Some(line);
            }
        }
    }
    n
}

/// The preamble of a report without document text: only what its data states — the format its
/// tables follow (a report with tables in a standard format), the statistics period, the
/// contact details.
fn composed_preamble(report: &Report) -> Vec<Para> {
    let mut pre = String::new();
    if let (Some(format), false) = (report.format(), report.cells.is_empty()) {
        pre.push_str(&format_sentence(format));
    }
    if let Some(p) = &report.meta.period {
        let (a, b) = p.value;
        pre.push_str(&format!(
            "本报告所列数据的统计期限自{}年{}月{}日起至{}年{}月{}日止。",
            a.year, a.month, a.day, b.year, b.month, b.day
        ));
    }
    let mut out = Vec::new();
    if !pre.is_empty() {
        out.push(Para::Body(pre));
    }
    if let Some(c) = &report.meta.contact {
        let c = c.value.trim();
        if !c.is_empty() {
            let end = if c.ends_with(['。', '；', '.', '）']) {
                ""
            } else {
                "。"
            };
            out.push(Para::Body(format!("{c}{end}")));
        }
    }
    out
}

/// The preamble as the report prints it, one paragraph per entry (wrapped lines joined); empty
/// for a report without one (whose writers compose a preamble of its data).
pub(crate) fn printed_preamble(report: &Report) -> Vec<String> {
    paragraphs(report.meta.preamble.clone())
        .iter()
        .map(|p| p.text().to_string())
        .collect()
}

/// The sentence naming the format a report's tables follow.
pub(crate) fn format_sentence(format: Format) -> String {
    format!(
        "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（{}）要求编制。",
        format.instrument()
    )
}

/// Every paragraph `report` prints besides its tables, in order: title, preamble, each printed
/// part's heading (marker included) and paragraphs, signature. A report re-rendered and read
/// back gives the same paragraphs as the report it was rendered from.
pub fn report_paragraphs(report: &Report) -> Vec<String> {
    let n = of_report(report);
    let mut out = vec![crate::report_title(report)];
    out.extend(n.preamble.iter().map(|p| p.text().to_string()));
    for part in &PARTS {
        if !n.shows_part(part.number, has_table(report, part.number)) {
            continue;
        }
        out.push(n.heading_line(part.number));
        out.extend(n.part(part.number).iter().map(|p| p.text().to_string()));
        out.extend(
            n.after_table(part.number)
                .iter()
                .map(|p| p.text().to_string()),
        );
    }
    out.extend(n.signature_agency.clone());
    out.extend(n.signature_date.clone());
    out
}

/// The lines of the report's text for `part`, before and after its table, as printed, without
/// the table: lines inside a located table and lines laid out as table rows are left out; in
/// the text of part 二, 三 or 四 that shows its table's labels, the lines before the table keep
/// only sentences and sub-headings (the table itself is written from the cells). Converter
/// artefacts and page numbers are left out everywhere.
fn part_lines(report: &Report, part: u8) -> (Vec<String>, Vec<String>) {
    use crate::input::{is_prose, is_subheading, is_table_label, is_table_line};
    let in_table = in_table(report);
    let table = TableId::ALL.into_iter().find(|t| t.part() == part);
    let notes: Vec<&str> = table.map_or(Vec::new(), |t| {
        Format::ALL
            .iter()
            .flat_map(|f| xxgk_model::catalogue::table(*f, t).notes.iter().copied())
            .collect()
    });
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for sec in report.sections.iter().filter(|s| s.part == part) {
        let lines: Vec<&str> = sec.text.split('\n').collect();
        let shows_table = table.is_some_and(|t| {
            lines
                .iter()
                .any(|l| is_table_line(l) || is_table_label(t, l.trim()))
        });
        let n = lines.len() as u32;
        // The text ends at `end_line` (it is trimmed at its start, not line by line).
        let number = |i: usize| sec.end_line.saturating_sub(n - 1 - i as u32);
        // The last line of a table in this part: the document goes on after it.
        let table_end = (0..lines.len())
            .rev()
            .find(|&i| in_table(number(i)) || is_table_line(lines[i]));
        for (i, line) in lines.iter().enumerate() {
            let line = strip_artefacts(line.trim());
            if line.is_empty() || is_artefact(&line) {
                continue;
            }
            if in_table(number(i)) || is_table_line(&line) {
                continue;
            }
            // A wrapped piece of a table's printed note.
            if line.chars().count() >= 6 && notes.iter().any(|n| n.contains(line.as_str())) {
                continue;
            }
            if is_caption(&line) {
                continue;
            }
            if table_end.is_some_and(|e| i > e) {
                if !table.is_some_and(|t| is_table_label(t, &line)) {
                    after.push(line);
                }
                continue;
            }
            if shows_table
                && (!(is_prose(&line) || is_subheading(&line))
                    || table.is_some_and(|t| is_table_label(t, &line)))
            {
                continue;
            }
            before.push(line);
        }
    }
    (before, after)
}

/// Whether line `line` of a section's text lies inside one of the report's located tables.
/// Line numbers place a table only in a text file: a structured reader's spans are lines of a
/// page (PDF) or paragraphs, which the sections' lines are not; there the tables' rows are
/// tab-separated lines.
pub(crate) fn in_table(report: &Report) -> impl Fn(u32) -> bool + '_ {
    let by_line = !report.tables.is_empty() && report.tables.iter().all(|t| t.start.page.is_none());
    move |line: u32| {
        by_line
            && report
                .tables
                .iter()
                .any(|t| t.start.line <= line && line <= t.end.line)
    }
}

/// Whether `line` is a table's caption as a writer prints it ("## 表三：收到和处理政府信息公开申请情况").
fn is_caption(line: &str) -> bool {
    let line = compact(line.trim_start_matches('#'));
    TableId::ALL.into_iter().any(|t| {
        let heading = PARTS
            .get(usize::from(t.part().saturating_sub(1)))
            .map_or("", |p| p.heading);
        line.strip_prefix(t.short_name())
            .and_then(|rest| rest.strip_prefix(['：', ':']))
            .is_some_and(|rest| rest == heading)
    })
}

/// Converter artefacts printed inside a line: "[image: ]", "[bookmark: _GoBack]".
const INLINE_ARTEFACTS: [&str; 2] = ["[image:", "[bookmark:"];

/// `line` without the converter artefacts it holds.
fn strip_artefacts(line: &str) -> String {
    let mut out = line.to_string();
    for a in INLINE_ARTEFACTS {
        while let Some(at) = out.find(a) {
            let end = out[at..].find(']').map_or(out.len(), |e| at + e + 1);
            out.replace_range(at..end, "");
        }
    }
    out.trim().to_string()
}

/// Whether `line` is a page number or running head a converter kept: "- 1 -", "— 2 —",
/// "第 3 页", "3 / 12", a bare number.
fn is_artefact(line: &str) -> bool {
    let core: String = compact(line);
    let core = core.trim_matches(|c: char| "-—–_－".contains(c));
    if core.is_empty() {
        return line
            .chars()
            .all(|c| "-—–_－=".contains(c) || c.is_whitespace());
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    digits(core)
        || core
            .strip_prefix('第')
            .and_then(|r| r.strip_suffix('页'))
            .is_some_and(digits)
        || core
            .split_once('/')
            .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// Text without whitespace.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `line` prints only a date ("2025年1月11日", "2025-01-11").
fn is_date_line(line: &str) -> bool {
    let line = compact(line);
    !line.is_empty()
        && line.chars().any(|c| c.is_ascii_digit())
        && line
            .chars()
            .all(|c| c.is_ascii_digit() || "年月日-./".contains(c))
}

/// Whether `line` is the signature of `report`: its agency, or its publication date in any
/// spelling ("2025年1月11日", "2025-01-11").
fn is_signature(report: &Report, line: &str) -> bool {
    let line = compact(line);
    if line.is_empty() {
        return false;
    }
    let agencies = [&report.meta.agency_printed, &report.meta.agency];
    if agencies
        .iter()
        .any(|a| a.as_deref().is_some_and(|a| compact(a) == line))
    {
        return true;
    }
    let Some(d) = report.meta.published.as_ref().map(|d| d.value) else {
        return false;
    };
    if !is_date_line(&line) {
        return false;
    }
    let numbers: Vec<i64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers == [i64::from(d.year), i64::from(d.month), i64::from(d.day)]
}

/// The display width of `s` (a CJK character 2, ASCII 1).
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The width of a full line when `lines` were wrapped at a fixed width (a PDF's, a converter's
/// lines): the most common width among long lines, when at least three and two fifths of them
/// have it (within one character). `None` for lines that are paragraphs each.
fn full_width(lines: &[String]) -> Option<usize> {
    let widths: Vec<usize> = lines
        .iter()
        .map(|l| width(l))
        .filter(|w| *w >= 30)
        .collect();
    let near = |a: usize, b: usize| a.abs_diff(b) <= 2;
    let best = widths
        .iter()
        .map(|&w| (widths.iter().filter(|&&v| near(v, w)).count(), w))
        .max()?;
    (best.0 >= 3 && best.0 * 5 >= widths.len() * 2).then_some(best.1)
}

/// Whether the paragraph goes on after `line`: a line filled to the wrapping width goes on
/// whatever it ends with; otherwise one that does not end a sentence.
fn continues(line: &str, full: Option<usize>) -> bool {
    if full.is_some_and(|f| width(line) + 2 >= f) {
        return true;
    }
    !ends_paragraph(line)
}

/// Whether `line` ends a paragraph: a sentence end, a short line (a heading, an item).
fn ends_paragraph(line: &str) -> bool {
    line.chars().count() < 15
        || line
            .chars()
            .last()
            .is_some_and(|c| "。！？；：…”’）】》.!?;:)".contains(c))
}

/// Whether `line` starts an item: "（二）", "二、", "2." or "2、".
fn starts_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('（') | Some('(') => true,
        Some(c) if c.is_ascii_digit() || "一二三四五六七八九十".contains(c) => {
            let rest: String = chars.take(3).collect();
            rest.contains(['、', '.', '．'])
        }
        _ => false,
    }
}

/// Join `lines` into paragraphs: a line that does not end a paragraph continues on the next,
/// unless the next starts an item or is a sub-heading. Latin words split over two lines keep a
/// space between them.
fn paragraphs(lines: Vec<String>) -> Vec<Para> {
    let lines: Vec<String> = lines
        .iter()
        .map(|l| strip_artefacts(l))
        .filter(|l| !l.is_empty() && !is_artefact(l))
        .collect();
    let full = full_width(&lines);
    let mut out: Vec<Para> = Vec::new();
    let mut open = false;
    for l in lines {
        let sub = crate::input::is_subheading(&l);
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        // A long Latin run (an e-mail address, a URL) the line could not hold goes on after
        // a colon.
        // An address or a number, not a year: "2024年…" after "（一）主动公开：" is a new
        // paragraph.
        let run: String = l.chars().take_while(|c| c.is_ascii_graphic()).collect();
        let after_colon = matches!(out.last(), Some(Para::Body(p)) if p.ends_with('：'))
            && (run.chars().any(|c| c.is_ascii_alphabetic()) || run.chars().count() >= 7);
        if let (true, false, false, Some(Para::Body(prev))) =
            (open || after_colon, sub, starts_item(&l), out.last_mut())
        {
            if latin(prev.chars().last()) && latin(l.chars().next()) {
                prev.push(' ');
            }
            prev.push_str(&l);
            open = continues(&l, full);
            continue;
        }
        open = !sub && continues(&l, full);
        out.push(if sub {
            Para::Subheading(l)
        } else {
            Para::Body(l)
        });
    }
    out
}

/// Insert a space between an ASCII digit run and an adjacent CJK character, as Word and PDF
/// exports often do ("2024 年").
pub(crate) fn space_numbers(s: &str) -> String {
    fn cjk(c: char) -> bool {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 {
            let p = chars[i - 1];
            if (p.is_ascii_digit() && cjk(c)) || (cjk(p) && c.is_ascii_digit()) {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use xxgk_model::{Date, ReportKind, Section, Sourced, Span};

    fn report(preamble: &[&str], part6: &str) -> Report {
        let mut r = Report {
            source: None,
            kind: ReportKind::Pre2019,
            meta: Default::default(),
            sections: Vec::new(),
            tables: Vec::new(),
            cells: Default::default(),
            findings: Vec::new(),
        };
        r.meta.preamble = preamble.iter().map(|s| s.to_string()).collect();
        r.meta.agency_printed = Some("某县某局".into());
        r.meta.published = Some(Sourced {
            value: Date::new(2025, 1, 11).unwrap(),
            span: Span::line(9),
        });
        if !part6.is_empty() {
            r.sections = PARTS
                .iter()
                .map(|p| Section {
                    part: p.number,
                    marker: p.marker(),
                    heading: p.heading.to_string(),
                    line: 0,
                    end_line: 0,
                    text: if p.number == 6 {
                        part6.to_string()
                    } else {
                        String::new()
                    },
                })
                .collect();
        }
        r
    }

    #[test]
    fn wrapped_lines_are_one_paragraph_and_the_signature_is_kept_as_printed() {
        let r = report(
            &["根据《条例》要求，本机关编制了本报告，", "报告全文包括六部分。"],
            "本年度本机关无其他需要报告的事项，\n也未收取任何费用。\n（一）小标题\n某 县 某 局\n2025-01-11",
        );
        let n = of_report(&r);
        assert_eq!(
            n.preamble,
            [Para::Body(
                "根据《条例》要求，本机关编制了本报告，报告全文包括六部分。".into()
            )]
        );
        assert_eq!(
            n.part(6),
            [
                Para::Body("本年度本机关无其他需要报告的事项，也未收取任何费用。".into()),
                Para::Subheading("（一）小标题".into())
            ]
        );
        assert_eq!(n.signature_agency.as_deref(), Some("某 县 某 局"));
        assert_eq!(n.signature_date.as_deref(), Some("2025-01-11"));
        let all = report_paragraphs(&r);
        assert_eq!(all.iter().filter(|p| p.contains("2025")).count(), 1);
    }

    #[test]
    fn an_item_heading_ending_in_a_colon_is_its_own_paragraph() {
        // Seed 004 prints "（一）主动公开：" on its own line, then the paragraph starting with a
        // year; an e-mail address wrapped after "电子邮箱：" still goes on.
        let r = report(
            &[],
            "（一）主动公开：\n2024年我单位主要通过区政府网站发布信息，全年主动公开信息12条。\n\
             联系人电子邮箱：\nxxgk-office@example.gov.cn",
        );
        assert_eq!(
            of_report(&r).part(6),
            [
                Para::Body("（一）主动公开：".into()),
                Para::Body("2024年我单位主要通过区政府网站发布信息，全年主动公开信息12条。".into()),
                Para::Body("联系人电子邮箱：xxgk-office@example.gov.cn".into()),
            ]
        );
    }

    #[test]
    fn a_document_without_parts_prints_its_text_and_no_heading_or_composed_sentence() {
        let r = report(&["当前位置：首页 某县2017年度报告 正文一段。"], "");
        let all = report_paragraphs(&r);
        // No title was read: the composed title is the catalogue's words only.
        assert_eq!(all[1..], ["当前位置：首页 某县2017年度报告 正文一段。"]);
        assert!(!all.iter().any(|p| p.contains("30号") || p.contains("一、")));
    }

    #[test]
    fn without_document_text_the_preamble_states_only_the_data() {
        let mut r = report(&[], "");
        r.meta.contact = Some(Sourced {
            value: "联系电话：0591-23162606".into(),
            span: Span::line(3),
        });
        let n = of_report(&r);
        // Pre-2019, no tables: no format is named.
        assert_eq!(n.preamble, [Para::Body("联系电话：0591-23162606。".into())]);
        assert_eq!(n.signature_date.as_deref(), Some("2025年1月11日"));
    }

    #[test]
    fn part_text_wrapped_lines_joined_signature_left_to_the_signature() {
        let mut r = report(&["前言。"], "");
        r.meta.agency_printed = Some("某县某局".into());
        r.meta.published = Some(Sourced {
            value: Date {
                year: 2025,
                month: 1,
                day: 11,
            },
            span: Span::line(1),
        });
        let text = "（一）收费情况\n本年度未收取信息处理费，也未发生其他需要报告的事项。根据上\n级工作安排，增加培训次数。\n短行\n（二）其他\n无。\n某县某局\n2025年1月11日";
        r.sections = vec![Section {
            part: 6,
            marker: "六、".into(),
            heading: "其他需要报告的事项".into(),
            line: 1,
            end_line: 9,
            text: text.into(),
        }];
        assert_eq!(
            of_report(&r).part(6),
            [
                Para::Subheading("（一）收费情况".into()),
                Para::Body(
                    "本年度未收取信息处理费，也未发生其他需要报告的事项。根据上级工作安排，增加培训次数。"
                        .into()
                ),
                Para::Body("短行".into()),
                Para::Subheading("（二）其他".into()),
                Para::Body("无。".into()),
            ]
        );
        assert!(is_signature(&r, "2025-01-11"));
        assert!(!is_signature(&r, "2025年1月12日"));
    }

    #[test]
    fn parts_as_printed_and_text_after_a_table_after_it() {
        use xxgk_model::{Cell, CellId, Located, TableSpan};
        let mut r = report(&["前言。"], "");
        let section = |part: u8, marker: &str, heading: &str, line: u32, text: &str| Section {
            part,
            marker: marker.into(),
            heading: heading.into(),
            line,
            end_line: line + text.split('\n').count() as u32,
            text: text.into(),
        };
        // The document numbers its parts its own way ("一、" twice) and has no part 三–五.
        r.sections = vec![
            section(1, "一、", "总体情况", 10, "概述一句。"),
            section(
                2,
                "一、",
                "主动公开政府信息情况",
                20,
                "表前一句。\n信息内容\t本年制发件数\n规章\t1\n（一）主要问题\n表后一句。",
            ),
            section(6, "五、", "其他需要报告的事项", 30, "无。"),
        ];
        r.tables = vec![TableSpan {
            table: xxgk_model::TableId::Active,
            start: Span::line(22),
            end: Span::line(23),
        }];
        r.cells.insert(
            CellId {
                table: xxgk_model::TableId::Requests,
                row: "total",
                column: "total",
            },
            Cell {
                value: xxgk_model::Value::int(1),
                span: Span::line(25),
                printed_column: None,
                located: Located::Label,
                ocr: None,
            },
        );
        let n = of_report(&r);
        assert_eq!(n.heading_line(2), "一、主动公开政府信息情况");
        assert_eq!(n.part(2), [Para::Body("表前一句。".into())]);
        assert_eq!(
            n.after_table(2),
            [
                Para::Subheading("（一）主要问题".into()),
                Para::Body("表后一句。".into())
            ]
        );
        // Part 三 is not printed but holds a table: its catalogue heading; 四, 五 not at all.
        assert!(n.shows_part(3, true));
        assert_eq!(n.heading_line(3), "三、收到和处理政府信息公开申请情况");
        assert!(!n.shows_part(4, false) && !n.shows_part(5, false));
        assert_eq!(
            report_paragraphs(&r)[1..],
            [
                "前言。",
                "一、总体情况",
                "概述一句。",
                "一、主动公开政府信息情况",
                "表前一句。",
                "（一）主要问题",
                "表后一句。",
                "三、收到和处理政府信息公开申请情况",
                "五、其他需要报告的事项",
                "无。"
            ]
        );
    }

    #[test]
    fn numbers_are_spaced_from_cjk_only() {
        assert_eq!(space_numbers("自2024年1月1日起"), "自 2024 年 1 月 1 日起");
        assert_eq!(
            space_numbers("电话：0536-6270236。"),
            "电话：0536-6270236。"
        );
    }
}
