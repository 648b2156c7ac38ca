//! Render a report as a self-contained HTML page: the title, the preamble, the six parts with
//! their official headings and the three tables as semantic tables (`th` for headers and row
//! labels, `td` for values) whose `rowspan`/`colspan` follow the official tables, then the agency
//! and the publication date. A print stylesheet lays it out on A4.
//!
//! The tables come from the same grids as the text layouts ([`crate::grid`]), so the HTML and the
//! text print the same cells. Every text is escaped. A blank cell is an empty `td`.

use xxgk_model::catalogue::PARTS;
use xxgk_model::{Report, Value};

use crate::grid::{self, Grid, Kind};
use crate::narrative::{self, Para};
use crate::RenderOptions;

/// The page's stylesheet: screen and print (A4, tables not split inside a row).
const STYLE: &str = "body{font-family:\"Noto Serif CJK SC\",\"SimSun\",serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.7}\
h1{font-size:1.5em;text-align:center}h2{font-size:1.15em;margin-top:1.5em}\
p{text-indent:2em;margin:.4em 0}p.signature{text-align:right;text-indent:0}\
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.9em}\
th,td{border:1px solid #000;padding:.2em .4em}td{text-align:center}th{font-weight:normal}\
div.unchecked{border:3px solid #c00;color:#c00;font-weight:bold;padding:.5em 1em;margin:1em 0;text-align:center}\
@media print{@page{size:A4;margin:2cm}body{max-width:none;margin:0}h2{break-after:avoid}tr{break-inside:avoid}}";

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
        if let Some(g) = grid {
            table(&mut out, &g);
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

/// Print a grid as a table: each anchor cell spans right over the filler cells after it and down
/// over the empty cells below it.
fn table(out: &mut String, g: &Grid) {
    let rows = &g.rows;
    let mut covered: Vec<Vec<bool>> = rows.iter().map(|r| vec![false; r.len()]).collect();
    out.push_str("<table>\n");
    for (r, row) in rows.iter().enumerate() {
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
            escape_into(out, &cell.text);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

/// Append `s` with `&`, `<`, `>` and `"` escaped.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
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
        assert_eq!(html.matches("<table>").count(), 3);
        // Table 三: the note over 3×3, 申请人情况 over the 7 value columns, 三、本年度办理结果
        // down the outcome rows (（一）…（七）: 2 + 8 + 3 + 5 + 3 + 1 = 22 rows), （三）不予公开
        // down its 8 items.
        assert!(html.contains(&format!(
            "<th colspan=\"3\" rowspan=\"3\">{}</th>",
            catalogue::NOTE_BALANCE
        )));
        assert!(html.contains(&format!(
            "<th colspan=\"7\">{}</th>",
            catalogue::APPLICANT_HEADER
        )));
        assert!(html.contains(&format!(
            "<th rowspan=\"22\" scope=\"row\">{}</th>",
            catalogue::OUTCOMES_GROUP
        )));
        assert!(html.contains("<th rowspan=\"8\" scope=\"row\">（三）不予公开</th>"));
        assert!(html.contains("<th colspan=\"2\" scope=\"row\">（一）予以公开</th>"));
        assert!(
            html.contains("<th colspan=\"3\" scope=\"row\">一、本年新收政府信息公开申请数量</th>")
        );
        // Table 四: 行政复议 over 5 columns, 行政诉讼 over 10, the review columns down 2 rows.
        assert!(html.contains("<th colspan=\"5\">行政复议</th><th colspan=\"10\">行政诉讼</th>"));
        assert!(html.contains("<th rowspan=\"2\">结果维持</th>"));
        assert!(html.contains("<th colspan=\"5\">未经复议直接起诉</th>"));
    }
}
