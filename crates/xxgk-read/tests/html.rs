//! The HTML reader: hand-written portal pages with known cells, a page whose tables are images,
//! LibreOffice's export of the official template, and a property test reading back random
//! reports rendered by `xxgk_write::html::render_html` (bare and inside a portal page).

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use xxgk_model::{cell_differences, Format, Report, Value};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::html::render_html;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The expected cells of a fixture: a JSON object of flat keys to numbers, strings or null.
fn truth(name: &str) -> BTreeMap<String, Value> {
    let json: serde_json::Value =
        serde_json::from_slice(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let cells = json.get("cells").unwrap_or(&json);
    cells
        .as_object()
        .unwrap_or_else(|| panic!("{name}: not an object"))
        .iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::Null => Value::Blank,
                serde_json::Value::String(s) => Value::Text(s.clone()),
                serde_json::Value::Number(n) => Value::Number(
                    xxgk_model::Number::parse(&n.to_string())
                        .unwrap_or_else(|| panic!("{name}: {k}: {n}")),
                ),
                other => panic!("{name}: {k}: unexpected {other}"),
            };
            (k.clone(), value)
        })
        .collect()
}

fn rules(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.rule).collect()
}

// ---------------------------------------------------------------------------------------------
// Hand-written portal pages
// ---------------------------------------------------------------------------------------------

fn check_portal(name: &str) -> Report {
    let report = xxgk_read::read(&fixture(name), Some(name)).unwrap_or_else(|e| panic!("{e}"));
    let diff = cell_differences(&truth("portal.json"), &report.flat_cells());
    assert!(diff.is_empty(), "{name}: {}", diff.join("\n"));
    assert_eq!(report.format(), Some(Format::F2021), "{name}");
    assert_eq!(report.meta.year, Some(2024), "{name}");
    assert_eq!(
        report.meta.agency.as_deref(),
        Some("青山区人民政府办公室"),
        "{name}"
    );
    assert_eq!(
        report.meta.published.as_ref().map(|d| d.value.to_string()),
        Some("2025-01-20".to_string()),
        "{name}"
    );
    assert!(report.findings.is_empty(), "{name}: {:?}", report.findings);
    assert_eq!(report.sections.len(), 6, "{name}");
    report
}

#[test]
fn gbk_portal_page_reads_exactly() {
    let r = check_portal("portal_gbk.html");
    // Provenance: the source lines of the rows (<tr>) and of the title (<h1>).
    let line = |key: &str| r.get(key).unwrap_or_else(|| panic!("{key}")).span.line;
    assert_eq!(line("active.rules.in_force"), 75);
    assert_eq!(line("requests.new_received.total"), 118);
    assert_eq!(line("requests.denied_state_secret.natural_person"), 148);
    assert_eq!(line("requests.carried_forward.total"), 232);
    assert_eq!(line("appeals.review.upheld"), 251);
    assert_eq!(r.meta.title.as_ref().map(|t| t.span.line), Some(55));
    // A blank cell is blank, not 0: an empty <td> and one of &nbsp;.
    assert_eq!(
        r.value(
            &xxgk_model::CellId::parse(
                "requests.denied_enforcement_case_file.research_institution"
            )
            .unwrap()
        ),
        Some(&Value::Blank)
    );
}

#[test]
fn utf8_page_mislabelled_gb2312_reads_exactly() {
    check_portal("portal.utf8.html");
}

#[test]
fn layout_table_portal_reads_exactly() {
    check_portal("portal_layout.html");
}

#[test]
fn tables_printed_as_images_are_reported_not_silent() {
    let r =
        xxgk_read::read(&fixture("portal_images_gbk.html"), None).unwrap_or_else(|e| panic!("{e}"));
    // Table 二 is text and reads exactly; tables 三 and 四 are images and read nothing.
    let expected: BTreeMap<String, Value> = truth("portal.json")
        .into_iter()
        .filter(|(k, _)| k.starts_with("active."))
        .collect();
    let diff = cell_differences(&expected, &r.flat_cells());
    assert!(diff.is_empty(), "{}", diff.join("\n"));
    let images: Vec<&xxgk_model::Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == "READ-TABLE-IMAGE")
        .collect();
    assert_eq!(images.len(), 2, "{:?}", r.findings);
    // Table 三: one <img> in place of the table, on line 90.
    assert!(images[0]
        .message
        .starts_with("表三（收到和处理政府信息公开申请情况）表格为图片，无法核验"));
    assert!(images[0].message.contains("W020250120360124561234.png"));
    assert_eq!(images[0].spans.first().map(|s| s.line), Some(90));
    // Table 四: its 15 value cells are images (line 106).
    assert!(images[1]
        .message
        .starts_with("表四（政府信息公开行政复议、行政诉讼情况）表格为图片，无法核验"));
    assert!(images[1].message.contains("t4_0.gif"));
    assert!(images[1].message.contains("15 张图片"));
    assert_eq!(images[1].spans.first().map(|s| s.line), Some(106));
    assert!(images
        .iter()
        .all(|f| f.severity == xxgk_model::Severity::Warning));
    // The missing cells are named by the common pipeline.
    let missing: Vec<&xxgk_model::Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == "READ-TABLE-MISSING")
        .collect();
    assert_eq!(missing.len(), 2);
    assert_eq!(missing[0].cells.len(), 25 * 7);
    assert_eq!(missing[1].cells.len(), 15);
}

// ---------------------------------------------------------------------------------------------
// Small pages: cells, nesting, malformed input
// ---------------------------------------------------------------------------------------------

/// A page holding table 四 only, with `cells` as its data row.
fn appeals_page(cells: &str) -> String {
    format!(
        "<html><body><h1>某某局2024年政府信息公开工作年度报告</h1>\
<p>四、政府信息公开行政复议、行政诉讼情况</p>\
<table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>{cells}</table>\
<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>"
    )
}

#[test]
fn nested_table_is_read_as_its_own_rows() {
    // The outer cell holds a caption and the real table; the inner table's text is not merged
    // into the outer cell.
    let page = "<html><body><h1>某某局2024年政府信息公开工作年度报告</h1>\
<p>二、主动公开政府信息情况</p>\
<table><tr><td>附表</td><td>第二十条第（一）项\
<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>\
<tr><td>规章</td><td>1</td><td>&nbsp;</td><td>4</td></tr></table></td></tr></table>\
<p>三、收到和处理政府信息公开申请情况</p></body></html>";
    let doc = xxgk_read::html::document(page.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let lines = doc.lines();
    assert!(
        lines.contains(&"附表\t第二十条第（一）项".to_string()),
        "{lines:?}"
    );
    assert!(lines.contains(&"规章\t1\t\t4".to_string()), "{lines:?}");
    let r = xxgk_read::read(page.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    let get = |k: &str| r.get(k).map(|c| c.value.clone());
    assert_eq!(
        get("active.rules.issued"),
        Some(Value::Number(xxgk_model::Number::Int(1)))
    );
    assert_eq!(get("active.rules.repealed"), Some(Value::Blank));
    assert_eq!(
        get("active.rules.in_force"),
        Some(Value::Number(xxgk_model::Number::Int(4)))
    );
}

#[test]
fn cell_breaks_join_as_a_browser_shows_them() {
    let page = "<table><tr><td>本年新<br>收<p>政府信息</p>公开申请数量</td><td>1<br/>2</td><td>&nbsp;</td></tr></table>";
    let doc = xxgk_read::html::document(page.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.lines()[0], "本年新收政府信息公开申请数量\t1 2\t");
}

#[test]
fn appeals_row_with_blank_cells_reads_blanks() {
    let row = "<tr><td>1</td><td>0</td><td></td><td>0</td><td>1</td>\
<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>&nbsp;</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>";
    let r = xxgk_read::read(appeals_page(row).as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.get("appeals.review.other").map(|c| &c.value),
        Some(&Value::Blank)
    );
    assert_eq!(
        r.get("appeals.litigation_after_review.upheld")
            .map(|c| &c.value),
        Some(&Value::Blank)
    );
    assert_eq!(
        r.get("appeals.review.total").map(|c| &c.value),
        Some(&Value::Number(xxgk_model::Number::Int(1)))
    );
}

#[test]
fn malformed_and_hostile_pages_never_panic() {
    let deep = "<div>".repeat(100_000);
    assert!(matches!(
        xxgk_read::read(deep.as_bytes(), None),
        Err(xxgk_read::ReadError::TooDeep { .. })
    ));
    // Huge spans are clamped; unclosed tags and stray end tags are repaired by the parser.
    let spans = format!(
        "<html><table>{}</table>",
        "<tr><td colspan=100000 rowspan=100000>x</td></tr>".repeat(2000)
    );
    let _ = xxgk_read::read(spans.as_bytes(), None);
    for page in [
        "<html><body><table><tr><td>规章<td>1<td>2<td>3</table></p></div></body>",
        "<html><body></td></tr></table><p>一、总体情况<p>二、主动公开政府信息情况",
        "<html><!-- unclosed comment <table>",
        "<html><body><img src=x.png><table><tr><td><img src=y.png></table>",
        "<html>",
        "<html><body>\u{0}\u{1}<script>",
    ] {
        let _ = xxgk_read::read(page.as_bytes(), None);
    }
    assert!(matches!(
        xxgk_read::read(b"<html><body></body></html>", None),
        Err(xxgk_read::ReadError::Empty)
    ));
}

// ---------------------------------------------------------------------------------------------
// Property test: random reports rendered as HTML and read back
// ---------------------------------------------------------------------------------------------

/// A portal page around the article of a rendered report: top navigation, left menu,
/// breadcrumb, the article in `div#zoom > div.TRS_Editor`, tools and a footer with 网站标识码/ICP.
fn in_portal(page: &str) -> String {
    let start = page.find("<article>").map_or(0, |i| i + "<article>".len());
    let end = page.find("</article>").unwrap_or(page.len());
    let article = &page[start..end];
    let (title, body) = match (article.find("<h1>"), article.find("</h1>")) {
        (Some(a), Some(b)) => (&article[a + 4..b], &article[b + 5..]),
        _ => ("", article),
    };
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}_某某市人民政府</title>\
<script>var s = '<p>一、总体情况</p>';</script></head>\n<body>\n\
<div class=\"header\"><img src=\"/logo.png\" width=\"300\" height=\"80\"></div>\n\
<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li>政务公开</li><li>政府信息公开年报</li></ul></div>\n\
<div class=\"con\"><div class=\"left\"><ul class=\"menu\"><li>政府信息公开指南</li><li>政府信息公开年报</li><li>一、总体情况</li></ul></div>\n\
<div class=\"right\"><div class=\"breadcrumb\">当前位置：首页 &gt; 政务公开 &gt; 年报</div>\n\
<h2 class=\"title\">{title}</h2>\n<div class=\"info\">发布时间：2025-01-15 来源：本机关</div>\n\
<div id=\"zoom\"><div class=\"TRS_Editor\">\n{body}\n</div></div>\n\
<div class=\"tools\">【打印本页】【关闭窗口】</div></div></div>\n\
<div class=\"footer\"><p>主办：某某市人民政府办公室</p><p>网站标识码：1100000001 京ICP备00000000号</p></div>\n\
</body></html>\n"
    )
}

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    format: Format,
    single_other: bool,
    blanks: bool,
    placeholders: bool,
    portal: bool,
    gbk: bool,
}

prop_compose! {
    fn case()(
        seed in any::<u64>(),
        f2019 in prop::bool::weighted(0.3),
        single_other in prop::bool::weighted(0.2),
        blanks in prop::bool::weighted(0.4),
        placeholders in prop::bool::weighted(0.2),
        portal in any::<bool>(),
        gbk in prop::bool::weighted(0.3),
    ) -> Case {
        Case {
            seed,
            format: if f2019 { Format::F2019 } else { Format::F2021 },
            single_other: single_other || f2019,
            blanks,
            placeholders,
            portal,
            gbk,
        }
    }
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let expected = random_report(
        case.seed,
        &GenOptions {
            blank_probability: if case.blanks { 0.05 } else { 0.0 },
            text_probability: if case.placeholders { 0.03 } else { 0.0 },
            other_single_row: case.single_other,
            format: Some(case.format),
            ..GenOptions::default()
        },
    );
    let mut page = render_html(&expected);
    if case.portal {
        page = in_portal(&page);
    }
    let bytes = if case.gbk {
        let page = page.replace("charset=\"utf-8\"", "charset=\"gbk\"");
        encoding_rs::GBK.encode(&page).0.into_owned()
    } else {
        page.clone().into_bytes()
    };
    let context = || format!("case {case:?}\n--- page ---\n{page}");
    let read = xxgk_read::read(&bytes, None)
        .map_err(|e| TestCaseError::fail(format!("read failed: {e}\n{}", context())))?;
    let diff = cell_differences(&expected.flat_cells(), &read.flat_cells());
    if !diff.is_empty() {
        let shown = diff.len().min(40);
        return Err(TestCaseError::fail(format!(
            "{} cells differ (expected → read):\n{}\n{}",
            diff.len(),
            diff[..shown].join("\n"),
            context()
        )));
    }
    prop_assert_eq!(read.format(), expected.format(), "format; {}", context());
    prop_assert_eq!(read.meta.year, expected.meta.year, "year; {}", context());
    prop_assert_eq!(
        &read.meta.agency,
        &expected.meta.agency,
        "agency; {}",
        context()
    );
    prop_assert_eq!(
        read.meta.published.as_ref().map(|d| d.value),
        expected.meta.published.as_ref().map(|d| d.value),
        "published; {}",
        context()
    );
    prop_assert_eq!(read.sections.len(), 6, "sections; {}", context());
    let table_findings: Vec<&str> = rules(&read)
        .into_iter()
        .filter(|r| r.starts_with("READ-TABLE") || r.starts_with("READ-ROW"))
        .collect();
    prop_assert!(
        table_findings.is_empty(),
        "{:?}; {}",
        table_findings,
        context()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_reports_read_back_from_html(case in case()) {
        check(&case)?;
    }
}

// ---------------------------------------------------------------------------------------------
// LibreOffice's HTML export of the official template
// ---------------------------------------------------------------------------------------------

#[test]
fn libreoffice_export_of_the_official_template_reads_exactly() {
    // The shared fixture of the template conversions (tests/fixtures/template/).
    let name = "../template/filled-2021.html";
    let r = xxgk_read::read(&fixture(name), Some(name)).unwrap_or_else(|e| panic!("{e}"));
    let expected = truth("../template/filled-2021.truth.json");
    assert_eq!(expected.len(), 200);
    let diff = cell_differences(&expected, &r.flat_cells());
    assert!(diff.is_empty(), "{}", diff.join("\n"));
    assert_eq!(r.format(), Some(Format::F2021));
    let table_findings: Vec<&str> = rules(&r)
        .into_iter()
        .filter(|x| x.starts_with("READ-TABLE") || x.starts_with("READ-ROW"))
        .collect();
    assert!(table_findings.is_empty(), "{table_findings:?}");
}

#[test]
fn a_value_widened_over_a_split_column_reads_as_one_cell() {
    // LibreOffice's HTML export of a Word table splits a column where widths disagree and
    // widens one value cell over it (colspan=2): 15 visible values on a 16-column grid.
    let row = "<tr><td>2</td><td>1</td><td>0</td><td>1</td><td colspan=2>4</td>\
<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>";
    let r = xxgk_read::read(appeals_page(row).as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    let n = |v: i64| Some(Value::Number(xxgk_model::Number::Int(v)));
    let get = |k: &str| r.get(k).map(|c| c.value.clone());
    assert_eq!(get("appeals.review.total"), n(4));
    assert_eq!(get("appeals.litigation_direct.upheld"), n(0));
    assert_eq!(r.cells.len(), 15, "{:?}", r.findings);
}
