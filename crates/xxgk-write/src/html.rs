//! Render a report as a self-contained HTML page: the title, the preamble, the six parts with
//! their official headings and the three tables as semantic tables (`th` for headers and row
//! labels, `td` for values) whose `rowspan`/`colspan` follow the official tables, then the agency
//! and the publication date. A print stylesheet lays it out on A4.
//!
//! The tables come from the same grids as the text layouts ([`crate::grid`]), so the HTML and the
//! text print the same cells. Every text is escaped. A blank cell is an empty `td`.

use xxgk_model::catalogue::{TableId, PARTS};
use xxgk_model::{CellId, Report, Value};

use crate::grid::{self, Grid, Kind};
use crate::narrative::{self, Para};
use crate::{safe, RenderOptions};

/// The page's stylesheet, all of it in the page (no external file, font or script): screen,
/// phone and print (A4, tables not split inside a row).
///
/// Tables follow the official template (`official-template-2021.docx`): headers centred; the
/// row labels of table 二 centred under its left-aligned, shaded block captions
/// ("第二十条第（一）项"); the labels, group labels and 勾稽 note of table 三 left-aligned and
/// vertically centred; values centred. Column headers, short group labels and values never wrap
/// ("总计", "结果维持", "（三）不予公开"): on a narrow screen the table scrolls sideways inside its
/// `div.table` instead of breaking words, and the text keeps a readable size.
const STYLE: &str = "body{font-family:\"FangSong\",\"仿宋\",\"Noto Serif CJK SC\",\"SimSun\",serif;font-size:16px;max-width:64em;margin:2em auto;padding:0 1em;line-height:1.8;color:#000;background:#fff}\
h1{font-family:\"FZXiaoBiaoSong-B05S\",\"方正小标宋简体\",\"Noto Serif CJK SC\",\"SimSun\",serif;font-size:1.6em;line-height:1.4;text-align:center;font-weight:normal;margin:1em 0}\
h2{font-family:\"SimHei\",\"黑体\",\"Noto Sans CJK SC\",sans-serif;font-size:1.15em;font-weight:normal;margin:1.5em 0 .5em}\
h3{font-family:\"KaiTi\",\"楷体\",\"Noto Serif CJK SC\",serif;font-size:1em;font-weight:normal;margin:.8em 0 .3em;text-indent:2em}\
p{text-indent:2em;margin:.4em 0}p.signature{text-align:right;text-indent:0;margin:0}\
div.table{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:1em 0}\
table{border-collapse:collapse;width:100%;font-family:\"SimSun\",\"宋体\",\"Noto Serif CJK SC\",serif;font-size:.875em;line-height:1.5}\
th,td{border:1px solid #000;padding:.25em .4em;vertical-align:middle;font-weight:normal}\
th.h{text-align:center;white-space:nowrap}th.note,th.l,th.g{text-align:left}th.g.short{white-space:nowrap}\
th.c{text-align:left;background:#deeaf6}table.active th.l{text-align:center;min-width:7em}\
table.requests th.l{min-width:10em}th.g{min-width:4.5em}\
td{text-align:center;white-space:nowrap;min-width:2.5em;font-variant-numeric:tabular-nums}\
div.unchecked{border:3px solid #c00;color:#c00;font-weight:bold;padding:.5em 1em;margin:1em 0;text-align:center}\
@media (max-width:40em){body{font-size:15px;margin:1em auto;padding:0 .75em}h1{font-size:1.4em}table{font-size:.8em}th,td{padding:.2em .3em}}\
@media print{@page{size:A4;margin:2cm}body{max-width:none;margin:0;padding:0}h2{break-after:avoid}div.table{overflow:visible}tr{break-inside:avoid}thead{display:table-header-group}}";

/// Render `report` as an HTML page (UTF-8).
pub fn render_html(report: &Report) -> String {
    render_html_with(report, &RenderOptions::default())
}

/// Render `report` as an HTML page (UTF-8), with `opts` (the "未通过校验" banner is a
/// `div class="unchecked"` with `role="alert"` before the title).
pub fn render_html_with(report: &Report, opts: &RenderOptions) -> String {
    let n = narrative::of_report(report);
    let format = crate::report_format(report);
    let title = crate::report_title(report);
    let mut out = String::with_capacity(24 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    escape_into(&mut out, &title);
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    if opts.unchecked {
        out.push_str("<div class=\"unchecked\" role=\"alert\">");
        escape_into(&mut out, crate::UNCHECKED_BANNER);
        out.push_str("</div>\n");
    }
    out.push_str("<article>\n<h1>");
    escape_into(&mut out, &title);
    out.push_str("</h1>\n");
    paras(&mut out, &n.preamble);
    let val = |v: Option<&Value>| value_text(v);
    for part in &PARTS {
        let grid = grid::part_grid(report, format, part, &val);
        if !n.shows_part(part.number, grid.is_some()) {
            continue;
        }
        out.push_str("<h2>");
        escape_into(&mut out, &n.heading_line(part.number));
        out.push_str("</h2>\n");
        paras(&mut out, n.part(part.number));
        if let (Some(g), Some(id)) = (grid, part.table()) {
            table(&mut out, &g, id, None);
        }
        paras(&mut out, n.after_table(part.number));
    }
    for s in [&n.signature_agency, &n.signature_date]
        .into_iter()
        .flatten()
    {
        out.push_str("<p class=\"signature\">");
        escape_into(&mut out, s);
        out.push_str("</p>\n");
    }
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

/// What a page that embeds the tables adds to one value cell's `td` (see [`table_html`]): an
/// `id` and classes. Both are escaped by the writer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellAttrs {
    /// The `id` attribute (e.g. `cell-requests.new_received.natural_person`).
    pub id: Option<String>,
    /// The `class` attribute (e.g. `sev-error`).
    pub class: Option<String>,
    /// A link target: the cell's text (or nothing, for a blank cell) is wrapped in
    /// `<a class="cell-link" href="…">`.
    pub link: Option<String>,
}

/// The hook of [`table_html`]: the attributes of a value cell, by its canonical id.
pub type CellDecorator<'a> = &'a dyn Fn(&CellId) -> CellAttrs;

/// One official table of `report` as the HTML page draws it (a `div.table` holding the
/// `table`, with the official `rowspan`/`colspan`), with each value cell's `td` given the
/// attributes `decorate` returns for it: how the web application draws a report's tables with
/// its cells marked. `None` when the report prints no row of the table. The page of
/// [`render_html`] is unchanged by this hook (it passes none).
pub fn table_html(
    report: &Report,
    table_id: TableId,
    decorate: CellDecorator<'_>,
) -> Option<String> {
    let format = crate::report_format(report);
    let part = PARTS.iter().find(|p| p.table() == Some(table_id))?;
    let val = |v: Option<&Value>| value_text(v);
    let g = grid::part_grid(report, format, part, &val)?;
    let mut out = String::with_capacity(8 * 1024);
    table(&mut out, &g, table_id, Some(decorate));
    Some(out)
}

fn value_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Blank) => String::new(),
        Some(Value::Text(t)) => t.clone(),
        Some(Value::Number(n)) => n.to_string(),
    }
}

fn paras(out: &mut String, paras: &[Para]) {
    for p in paras {
        match p {
            Para::Subheading(s) => {
                out.push_str("<h3>");
                escape_into(out, s);
                out.push_str("</h3>\n");
            }
            Para::Body(s) => {
                out.push_str("<p>");
                escape_into(out, s);
                out.push_str("</p>\n");
            }
        }
    }
}

/// Is this grid cell covered by a merged cell (never an anchor of its own)?
fn is_covered_kind(k: Kind) -> bool {
    matches!(k, Kind::Filler | Kind::LabelSpan | Kind::Empty)
}

/// The class of a table (the stylesheet aligns table 二's row labels as the template does).
fn table_class(id: TableId) -> &'static str {
    match id {
        TableId::Active => "active",
        TableId::Requests => "requests",
        TableId::Appeals => "appeals",
    }
}

/// The class of a grid cell: `h` column header, `note` the 勾稽 note, `c` a block caption of
/// table 二, `l` a row label, `g` a group label (`short` when it should not wrap); values none.
fn cell_class(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Header { .. } => Some("h"),
        Kind::Note => Some("note"),
        Kind::Caption => Some("c"),
        Kind::Label { .. } => Some("l"),
        Kind::OutcomeGroup => Some("g"),
        _ => None,
    }
}

/// Group labels of at most this many characters ("（三）不予公开") are never wrapped.
const SHORT_GROUP: usize = 8;

/// How many leading rows of a grid are column headers (a `thead`, repeated on every printed
/// page): the rows before the first row label, value or block caption.
fn header_rows(g: &Grid) -> usize {
    g.rows
        .iter()
        .take_while(|row| {
            row.iter().all(|c| {
                matches!(
                    c.kind,
                    Kind::Header { .. } | Kind::Note | Kind::Empty | Kind::Filler | Kind::LabelSpan
                )
            })
        })
        .count()
}

/// Print a grid as a table inside a `div.table` (which scrolls sideways on a narrow screen):
/// each anchor cell spans right over the filler cells after it and down over the empty cells
/// below it. The leading header rows are a `thead`.
fn table(out: &mut String, g: &Grid, id: TableId, decorate: Option<CellDecorator<'_>>) {
    let rows = &g.rows;
    let head = header_rows(g);
    let mut covered: Vec<Vec<bool>> = rows.iter().map(|r| vec![false; r.len()]).collect();
    out.push_str("<div class=\"table\">\n<table class=\"");
    out.push_str(table_class(id));
    out.push_str("\">\n");
    if head > 0 {
        out.push_str("<thead>\n");
    }
    for (r, row) in rows.iter().enumerate() {
        if r == head {
            if head > 0 {
                out.push_str("</thead>\n");
            }
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            if covered[r][c] {
                continue;
            }
            let (colspan, rowspan) = if is_covered_kind(cell.kind) {
                // An empty cell with nothing above it to merge into: a cell of its own.
                (1, 1)
            } else {
                let colspan = 1 + row[c + 1..]
                    .iter()
                    .take_while(|x| matches!(x.kind, Kind::Filler | Kind::LabelSpan))
                    .count();
                let rowspan = 1 + rows[r + 1..]
                    .iter()
                    .take_while(|below| below.get(c).is_some_and(|x| x.kind == Kind::Empty))
                    .count();
                (colspan, rowspan)
            };
            for (dr, cov) in covered[r..r + rowspan].iter_mut().enumerate() {
                let from = c + usize::from(dr == 0);
                for x in cov.iter_mut().skip(from).take(c + colspan - from) {
                    *x = true;
                }
            }
            let tag = match cell.kind {
                Kind::Value | Kind::Empty | Kind::Filler | Kind::LabelSpan => "td",
                _ => "th",
            };
            out.push('<');
            out.push_str(tag);
            let attrs = match (decorate, cell.kind, &cell.id) {
                (Some(decorate), Kind::Value, Some(cell_id)) => Some(decorate(cell_id)),
                _ => None,
            };
            if let Some(attrs) = &attrs {
                for (name, value) in [(" id=\"", &attrs.id), (" class=\"", &attrs.class)] {
                    if let Some(v) = value {
                        out.push_str(name);
                        escape_into(out, v);
                        out.push('"');
                    }
                }
            }
            // A group label of table 三 (（三）不予公开) is a label spanning rows.
            let group = matches!(cell.kind, Kind::Label { .. }) && rowspan > 1;
            match (group, cell_class(cell.kind)) {
                (true, _) if grid::char_len(&cell.text) <= SHORT_GROUP => {
                    out.push_str(" class=\"g short\"");
                }
                (true, _) => out.push_str(" class=\"g\""),
                (false, Some(class)) => {
                    out.push_str(" class=\"");
                    out.push_str(class);
                    out.push('"');
                }
                (false, None) => {}
            }
            if colspan > 1 {
                out.push_str(&format!(" colspan=\"{colspan}\""));
            }
            if rowspan > 1 {
                out.push_str(&format!(" rowspan=\"{rowspan}\""));
            }
            if matches!(cell.kind, Kind::Label { .. } | Kind::OutcomeGroup) {
                out.push_str(" scope=\"row\"");
            }
            out.push('>');
            let link = attrs.and_then(|a| a.link);
            if let Some(href) = &link {
                out.push_str("<a class=\"cell-link\" href=\"");
                escape_into(out, href);
                out.push_str("\">");
            }
            escape_into(out, &cell.text);
            if link.is_some() {
                out.push_str("</a>");
            }
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        out.push_str("</tr>\n");
    }
    match (head, rows.len()) {
        (0, 0) => {}
        (h, n) if h >= n => out.push_str("</thead>\n"),
        _ => out.push_str("</tbody>\n"),
    }
    out.push_str("</table>\n</div>\n");
}

/// Append `s` with `&`, `<`, `>` and `"` escaped and the characters a page may not carry
/// (control characters but tab and line breaks, noncharacters: [`safe::html_char`]) dropped.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            c if !safe::html_char(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::catalogue;
    use xxgk_testgen::{random_report, GenOptions};

    #[test]
    fn escapes_text() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c\"");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&quot;");
    }

    #[test]
    fn page_has_title_parts_and_official_spans() {
        let r = random_report(
            5,
            &GenOptions {
                format: Some(xxgk_model::Format::F2021),
                ..GenOptions::default()
            },
        );
        let html = render_html(&r);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        let title = &r.meta.title.as_ref().expect("title").value;
        assert!(html.contains(&format!("<h1>{title}</h1>")));
        for p in &PARTS {
            let h = format!("<h2>{}{}</h2>", p.marker(), p.heading);
            assert!(html.contains(&h), "{h}");
        }
        assert_eq!(
            html.matches("<div class=\"table\">\n<table class=").count(),
            3
        );
        // Table 三: the note over 3×3, 申请人情况 over the 7 value columns, 三、本年度办理结果
        // down the outcome rows (（一）…（七）: 2 + 8 + 3 + 5 + 3 + 1 = 22 rows), （三）不予公开
        // down its 8 items.
        assert!(html.contains(&format!(
            "<th class=\"note\" colspan=\"3\" rowspan=\"3\">{}</th>",
            catalogue::NOTE_BALANCE
        )));
        assert!(html.contains(&format!(
            "<th class=\"h\" colspan=\"7\">{}</th>",
            catalogue::APPLICANT_HEADER
        )));
        assert!(html.contains(&format!(
            "<th class=\"g\" rowspan=\"22\" scope=\"row\">{}</th>",
            catalogue::OUTCOMES_GROUP
        )));
        assert!(
            html.contains("<th class=\"g short\" rowspan=\"8\" scope=\"row\">（三）不予公开</th>")
        );
        assert!(html.contains("<th class=\"l\" colspan=\"2\" scope=\"row\">（一）予以公开</th>"));
        assert!(html.contains(
            "<th class=\"l\" colspan=\"3\" scope=\"row\">一、本年新收政府信息公开申请数量</th>"
        ));
        // Table 四: 行政复议 over 5 columns, 行政诉讼 over 10, the review columns down 2 rows.
        assert!(html.contains(
            "<th class=\"h\" colspan=\"5\">行政复议</th><th class=\"h\" colspan=\"10\">行政诉讼</th>"
        ));
        assert!(html.contains("<th class=\"h\" rowspan=\"2\">结果维持</th>"));
        assert!(html.contains("<th class=\"h\" colspan=\"5\">未经复议直接起诉</th>"));
    }

    #[test]
    fn escapes_drop_control_characters_and_noncharacters() {
        let mut s = String::new();
        escape_into(
            &mut s,
            "a\u{0}\u{8}\u{1B}b\u{7F}\u{85}c\u{FFFE}\u{FDD0}d\te",
        );
        assert_eq!(s, "abcd\te");
    }

    #[test]
    fn tables_scroll_in_their_container_with_header_rows_as_thead() {
        let r = random_report(
            5,
            &GenOptions {
                format: Some(xxgk_model::Format::F2021),
                ..GenOptions::default()
            },
        );
        let html = render_html(&r);
        // Every table in a scrolling container, classed by table.
        for class in ["active", "requests", "appeals"] {
            assert!(
                html.contains(&format!(
                    "<div class=\"table\">\n<table class=\"{class}\">\n"
                )),
                "{class}"
            );
        }
        assert!(STYLE.contains("div.table{overflow-x:auto"));
        // Headers and values never wrap; table 二's labels are centred, the others left.
        assert!(STYLE.contains("th.h{text-align:center;white-space:nowrap}"));
        assert!(STYLE.contains("td{text-align:center;white-space:nowrap"));
        assert!(STYLE.contains("table.active th.l{text-align:center;min-width:7em}"));
        // Label columns keep a readable width (a phone scrolls the table instead).
        assert!(STYLE.contains("table.requests th.l{min-width:10em}"));
        // Table 三: its three header rows are the thead; table 四: its three; table 二 (block
        // captions between its rows) none.
        let requests = &html[html.find("<table class=\"requests\">").expect("三")..];
        let thead = &requests[..requests.find("</thead>").expect("thead")];
        assert_eq!(thead.matches("<tr>").count(), 3);
        let appeals = &html[html.find("<table class=\"appeals\">").expect("四")..];
        let thead = &appeals[..appeals.find("</thead>").expect("thead")];
        assert_eq!(thead.matches("<tr>").count(), 3);
        let active = &html[html.find("<table class=\"active\">").expect("二")..];
        let active = &active[..active.find("</table>").expect("end")];
        assert!(!active.contains("<thead>"));
        assert!(active.contains("<th class=\"c\" colspan=\"4\">第二十条第（一）项</th>"));
        // Phone: the viewport meta and a narrow-screen rule; nothing loaded from elsewhere.
        assert!(html
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(STYLE.contains("@media (max-width:40em)"));
        for external in ["<link", "<script", "src=", "@import", "url("] {
            assert!(!html.contains(external), "{external}");
        }
    }

    #[test]
    fn table_html_marks_value_cells_and_leaves_the_page_alone() {
        let mut r = random_report(
            7,
            &GenOptions {
                format: Some(xxgk_model::Format::F2021),
                ..GenOptions::default()
            },
        );
        let natural = CellId::parse("requests.new_received.natural_person").expect("id");
        let commercial = CellId::parse("requests.new_received.commercial_enterprise").expect("id");
        r.cells.get_mut(&natural).expect("cell").value = Value::int(12);
        r.cells.get_mut(&commercial).expect("cell").value = Value::Blank;
        let page_before = render_html(&r);
        let decorate = |id: &CellId| CellAttrs {
            id: Some(format!("cell-{id}")),
            class: (*id == natural).then(|| "sev-error".to_owned()),
            link: (*id == natural).then(|| "#finding-1".to_owned()),
        };
        let t = table_html(&r, TableId::Requests, &decorate).expect("table 三");
        assert!(t.starts_with("<div class=\"table\">\n<table class=\"requests\">"));
        assert!(t.contains(
            "<td id=\"cell-requests.new_received.natural_person\" class=\"sev-error\">\
             <a class=\"cell-link\" href=\"#finding-1\">12</a></td>"
        ));
        // A blank cell stays blank, with its id and no class.
        assert!(t.contains("<td id=\"cell-requests.new_received.commercial_enterprise\"></td>"));
        // Labels and headers get nothing.
        assert!(!t.contains("<th id="));
        // The page of `xxgk render` has no ids: the hook is not used there.
        assert_eq!(render_html(&r), page_before);
        assert!(!page_before.contains(" id=\""));
        // An attribute is escaped.
        let hostile = |_: &CellId| CellAttrs {
            id: Some("a\"><script>".to_owned()),
            class: None,
            link: Some("\"><script>".to_owned()),
        };
        let t = table_html(&r, TableId::Appeals, &hostile).expect("table 四");
        assert!(t.contains("id=\"a&quot;&gt;&lt;script&gt;\""));
        assert!(t.contains("href=\"&quot;&gt;&lt;script&gt;\""));
        assert!(!t.contains("<script>"));
    }
}
