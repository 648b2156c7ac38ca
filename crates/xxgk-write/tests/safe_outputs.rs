//! Safe outputs whatever the input text (issue 9): random Unicode — every plane, control
//! characters, noncharacters, markup, `<script>`, `javascript:` links, Markdown syntax — in every
//! text field of a report (title, agency, contact, part headings and paragraphs, text cells),
//! rendered to every format of `xxgk render`, and each output validated:
//!
//! * DOCX and XLSX: every XML part well-formed (quick-xml) and free of the characters XML forbids,
//!   literal or as a character reference;
//! * HTML: parsed (html5ever through scraper) with no `script` element, no `on…` attribute, no
//!   `javascript:` URL, and no character an HTML page may not carry;
//! * Markdown: rendered to HTML as a Markdown viewer does (pulldown-cmark, every extension), then
//!   the same checks as the HTML;
//! * PDF: opened (lopdf), its page tree's count equal to its pages, at least one.
//!
//! Cases: 32 by default; `PROPTEST_CASES` sets another number.

use std::io::{Cursor, Read};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use xxgk_model::{CellId, Format, Report, Section, Sourced, Span, Value};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::safe::{html_char, xml_char};
use xxgk_write::{docx, html, text, xlsx, PdfOptions, RenderOptions};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(32),
        failure_persistence: None,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    }
}

/// Pieces that attack one output or another.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">点此</a>",
    "[点此](javascript:alert(1))",
    "![图](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<!-- ",
    "]]>",
    "<![CDATA[",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{0}",
    "\u{1B}[31m",
    "\u{7F}\u{85}\u{9F}",
    "\u{FDD0}",
    "\u{1FFFE}",
    "\u{10FFFF}",
    "\u{D7FF}\u{E000}",
    "# ",
    "> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "---",
    "===",
    "```",
    "~~~",
    "    ",
    "|",
    "`",
    "\\",
    "\n",
    "\r\n",
    "\t",
    "\"'",
    "政府信息公开",
    "2024年",
];

/// One piece of text: a hostile piece, any character of any plane, or a C0/C1 control.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(HOSTILE).prop_map(str::to_string),
        3 => any::<char>().prop_map(String::from),
        1 => (0u32..0x20).prop_map(|u| char::from_u32(u).map(String::from).unwrap_or_default()),
        1 => (0x7Fu32..0xA0).prop_map(|u| char::from_u32(u).map(String::from).unwrap_or_default()),
    ]
}

fn field() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    f2019: bool,
    banner: bool,
    title: String,
    agency: String,
    contact: String,
    headings: Vec<String>,
    paragraphs: Vec<String>,
    cells: Vec<String>,
}

prop_compose! {
    fn case()(
        seed in any::<u64>(),
        f2019 in any::<bool>(),
        banner in any::<bool>(),
        title in field(),
        agency in field(),
        contact in field(),
        headings in prop::collection::vec(field(), 6),
        paragraphs in prop::collection::vec(field(), 6),
        cells in prop::collection::vec(field(), 1..6),
    ) -> Case {
        Case { seed, f2019, banner, title, agency, contact, headings, paragraphs, cells }
    }
}

/// A generated report with the case's text in every text field.
fn report(case: &Case) -> Report {
    let mut r = random_report(
        case.seed,
        &GenOptions {
            format: Some(if case.f2019 {
                Format::F2019
            } else {
                Format::F2021
            }),
            ..GenOptions::default()
        },
    );
    let span = Span::line(1);
    r.meta.title = Some(Sourced {
        value: case.title.clone(),
        span,
    });
    r.meta.agency_printed = Some(case.agency.clone());
    r.meta.agency = Some(case.agency.clone());
    r.meta.contact = Some(Sourced {
        value: case.contact.clone(),
        span,
    });
    r.sections = (1..=6u8)
        .map(|part| {
            let i = usize::from(part - 1);
            Section {
                part,
                marker: String::new(),
                heading: case.headings[i].clone(),
                line: u32::from(part) * 10,
                end_line: u32::from(part) * 10 + 5,
                // A sub-item line, then the random text.
                text: format!("（一）{}\n{}", case.headings[i], case.paragraphs[i]),
            }
        })
        .collect();
    // Text cells spread over the tables.
    let ids: Vec<CellId> = r.cells.keys().copied().collect();
    for (i, t) in case.cells.iter().enumerate() {
        let at = (i * 37 + usize::try_from(case.seed % 101).unwrap_or(0)) % ids.len().max(1);
        if let Some(c) = ids.get(at).and_then(|id| r.cells.get_mut(id)) {
            c.value = Value::Text(t.clone());
        }
    }
    r
}

fn fail(what: &str, msg: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(format!("{what}: {msg}"))
}

/// Every character reference of `xml` (`&#…;`) names a character XML allows.
fn char_refs_allowed(xml: &str) -> Result<(), String> {
    for (i, _) in xml.match_indices("&#") {
        let rest = &xml[i + 2..];
        let end = rest.find(';').ok_or("unterminated character reference")?;
        let body = &rest[..end];
        let code = match body.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => body.parse(),
        }
        .map_err(|e| format!("&#{body};: {e}"))?;
        if !char::from_u32(code).is_some_and(xml_char) {
            return Err(format!("&#{body}; is not an XML character"));
        }
    }
    Ok(())
}

/// Every XML part of a zip package is well-formed and holds no character XML forbids.
fn check_package(bytes: &[u8], what: &str) -> Result<(), TestCaseError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(what, e))?;
    let mut parts = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| fail(what, e))?;
        let name = f.name().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        parts += 1;
        let mut xml = String::new();
        f.read_to_string(&mut xml)
            .map_err(|e| fail(what, format!("{name}: {e}")))?;
        if let Some(c) = xml.chars().find(|&c| !xml_char(c)) {
            return Err(fail(
                what,
                format!("{name}: forbidden U+{:04X}", u32::from(c)),
            ));
        }
        char_refs_allowed(&xml).map_err(|e| fail(what, format!("{name}: {e}")))?;
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut depth = 0i64;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(_) => {}
                Err(e) => return Err(fail(what, format!("{name}: not well-formed: {e}"))),
            }
        }
        prop_assert_eq!(depth, 0, "{}: {}: unbalanced elements", what, name);
    }
    prop_assert!(parts > 0, "{}: no XML part", what);
    Ok(())
}

/// A page (HTML) that runs nothing: no `script` element, no event-handler attribute, no
/// `javascript:` URL in any attribute, no character a page may not carry.
fn check_page(page: &str, what: &str) -> Result<(), TestCaseError> {
    if let Some(c) = page.chars().find(|&c| !html_char(c)) {
        return Err(fail(
            what,
            format!("control character U+{:04X}", u32::from(c)),
        ));
    }
    let doc = scraper::Html::parse_document(page);
    let all = scraper::Selector::parse("*").map_err(|e| fail(what, e))?;
    for el in doc.select(&all) {
        let v = el.value();
        let tag = v.name();
        prop_assert!(
            !matches!(
                tag,
                "script" | "iframe" | "object" | "embed" | "svg" | "img"
            ),
            "{}: a <{}> element",
            what,
            tag
        );
        for (name, value) in v.attrs() {
            prop_assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{}: attribute {}",
                what,
                name
            );
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            prop_assert!(
                !squeezed.contains("javascript:"),
                "{}: {}=\"{}\"",
                what,
                name,
                value
            );
        }
    }
    Ok(())
}

fn check_pdf(bytes: &[u8], what: &str) -> Result<(), TestCaseError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| fail(what, e))?;
    let pages = doc.get_pages().len();
    prop_assert!(pages > 0, "{}: no page", what);
    let count = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .and_then(|d| d.get(b"Count"))
        .and_then(lopdf::Object::as_i64)
        .map_err(|e| fail(what, e))?;
    prop_assert_eq!(
        usize::try_from(count).ok(),
        Some(pages),
        "{}: /Count differs from the pages",
        what
    );
    Ok(())
}

fn check_all(case: &Case) -> Result<(), TestCaseError> {
    let r = report(case);
    let opts = RenderOptions {
        unchecked: case.banner,
    };
    check_package(&docx::render_docx_with(&r, &opts), "docx")?;
    let book = xlsx::render_xlsx(&r, &opts).map_err(|e| fail("xlsx", e))?;
    check_package(&book, "xlsx")?;
    check_page(&html::render_html_with(&r, &opts), "html")?;
    let md = text::render_markdown(&r, &opts);
    let mut rendered = String::new();
    pulldown_cmark::html::push_html(
        &mut rendered,
        pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::all()),
    );
    check_page(&rendered, "markdown").map_err(|e| {
        fail(
            "markdown",
            format!("{e}\n--- source:\n{md}\n--- html:\n{rendered}"),
        )
    })?;
    match xxgk_write::render_pdf(
        &r,
        &PdfOptions {
            failed_checks: case.banner,
        },
    ) {
        Ok(pdf) => check_pdf(&pdf, "pdf")?,
        // A machine without a CJK font cannot write a PDF at all; the other formats are checked.
        Err(xxgk_write::PdfError::NoCjkFont) => {}
        Err(e) => return Err(fail("pdf", e)),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_format_is_safe_whatever_the_text(case in case()) {
        check_all(&case)?;
    }
}

/// The pieces that broke outputs before, one report with all of them in every field.
#[test]
fn every_hostile_piece_at_once() {
    let all = HOSTILE.concat();
    let case = Case {
        seed: 1,
        f2019: false,
        banner: true,
        title: all.clone(),
        agency: all.clone(),
        contact: all.clone(),
        headings: vec![all.clone(); 6],
        paragraphs: vec![all.clone(); 6],
        cells: vec![all; 5],
    };
    check_all(&case).expect("safe outputs");
}

/// The checks themselves catch what they look for (a test that cannot fail proves nothing).
#[test]
fn the_checks_catch_unsafe_outputs() {
    assert!(check_page("<p><script>x</script></p>", "t").is_err());
    assert!(check_page("<p><img src=x onerror=alert(1)></p>", "t").is_err());
    assert!(check_page("<a href=\" java\tscript:alert(1)\">x</a>", "t").is_err());
    assert!(check_page("<p>\u{1}</p>", "t").is_err());
    assert!(check_page("<p>&lt;script&gt;</p>", "t").is_ok());
    assert!(char_refs_allowed("a&#xFFFE;b").is_err());
    assert!(char_refs_allowed("a&#1;b").is_err());
    assert!(char_refs_allowed("a&#10;&#x4E00;b").is_ok());
    let mut md = String::new();
    pulldown_cmark::html::push_html(
        &mut md,
        pulldown_cmark::Parser::new_ext(
            "[x](javascript:alert(1)) <script>a</script>",
            pulldown_cmark::Options::all(),
        ),
    );
    assert!(check_page(&md, "md").is_err());
}
