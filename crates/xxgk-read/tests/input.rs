//! The editable input file (TOML) and the JSON of schema.md, read back.
//!
//! * hand-written files: blank vs 0, exact decimals, text cells, missing cells, errors with
//!   their line numbers;
//! * a property test: random valid reports (both formats, blanks and placeholders, random
//!   paragraph text) → `render_input` → `read_input` give identical cells, metadata and text;
//! * the seeds: extract → JSON → `read_json` gives the same cells, spans and metadata, and
//!   extract → `render_input` → `read_input` the same cells.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use xxgk_model::catalogue::{self, Format, TableId, CHINESE_NUMERALS, PARTS};
use xxgk_model::{json::ReportJson, CellId, Number, Report, Section, Value};
use xxgk_read::input::read_input;
use xxgk_read::json::read_json;
use xxgk_read::{sniff, FileKind, ReadError};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::input::{new_input, render_input};
use xxgk_write::report_paragraphs;

fn template() -> String {
    new_input("某某市某某局", 2025, None).unwrap()
}

fn id(flat: &str) -> CellId {
    CellId::parse(flat).unwrap()
}

/// The template with the line `key = old` of row `[tables.T.R]` replaced by `new_line`.
fn edit(text: &str, row: &str, column: &str, new_line: &str) -> String {
    let header = format!("[tables.{row}]");
    let mut in_row = false;
    let mut done = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with('[') {
                in_row = l.starts_with(&header);
            }
            if in_row && !done && l.starts_with(&format!("{column} = ")) {
                done = true;
                new_line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done, "{row}.{column} not found");
    out.join("\n")
}

/// The 1-based line of the first line of `text` starting with `prefix` after `after`.
fn line_of(text: &str, after: &str, prefix: &str) -> u32 {
    let start = text.lines().position(|l| l.starts_with(after)).unwrap();
    (text
        .lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.starts_with(prefix))
        .unwrap()
        .0
        + 1) as u32
}

fn problems(e: ReadError) -> Vec<(u32, String)> {
    match e {
        ReadError::Input(p) => p.into_iter().map(|p| (p.line, p.message)).collect(),
        other => panic!("expected input problems, got {other}"),
    }
}

#[test]
fn the_template_reads_back_as_zeros_with_placeholder_errors() {
    let text = template();
    assert_eq!(sniff(text.as_bytes()), FileKind::Input);
    let r = read_input(&text, Some("t.toml")).unwrap();
    assert_eq!(r.format(), Some(Format::F2021));
    assert_eq!(r.meta.agency.as_deref(), Some("某某市某某局"));
    assert_eq!(r.meta.year, Some(2025));
    assert_eq!(r.meta.government_level, Some(false));
    assert_eq!(r.meta.published, None);
    assert_eq!(
        r.meta.title.as_ref().map(|t| t.value.as_str()),
        Some("某某市某某局2025年政府信息公开工作年度报告")
    );
    // Every cell of the 2021 tables (200, as the truth files have), all 0.
    assert_eq!(r.cells.len(), 200);
    assert!(r.cells.values().all(|c| c.value == Value::int(0)));
    // Six parts with the official headings; part 六 with its three items.
    let parts: Vec<u8> = r.sections.iter().map(|s| s.part).collect();
    assert_eq!(parts, [1, 2, 3, 4, 5, 6]);
    for (s, def) in r.sections.iter().zip(&PARTS) {
        assert_eq!(s.heading, def.heading);
    }
    let six = &r.sections[5].text;
    assert!(six.contains("（一）信息处理费收取情况"), "{six}");
    assert!(six.contains("（三）人大代表建议和政协提案办理结果公开情况"));
    assert!(r.sections[0].text.contains("（五）监督保障"));
    // The placeholders stop a render: an error finding for parts 一, 五, 六.
    let placeholder: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "READ-INPUT-PLACEHOLDER")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(placeholder.len(), 3, "{placeholder:?}");
    assert!(r
        .findings
        .iter()
        .all(|f| f.rule == "READ-INPUT-PLACEHOLDER"));
}

#[test]
fn a_cell_points_at_its_line() {
    let text = template();
    let r = read_input(&text, None).unwrap();
    let line = line_of(&text, "[tables.requests.carried_over]", "total = ");
    let cell = &r.cells[&id("requests.carried_over.total")];
    assert_eq!(cell.span.line, line);
    assert_eq!(cell.span.column, Some(9)); // "total = 0": the value starts at column 9
}

#[test]
fn blank_is_not_zero() {
    let text = edit(
        &template(),
        "requests.new_received",
        "natural_person",
        "natural_person = \"\"",
    );
    let text = edit(&text, "requests.new_received", "total", "total = \"  \"");
    let r = read_input(&text, None).unwrap();
    assert_eq!(
        r.cells[&id("requests.new_received.natural_person")].value,
        Value::Blank
    );
    assert_eq!(
        r.cells[&id("requests.new_received.total")].value,
        Value::Blank
    );
    assert_eq!(
        r.cells[&id("requests.new_received.commercial_enterprise")].value,
        Value::int(0)
    );
}

#[test]
fn a_left_out_cell_is_absent_with_a_finding() {
    let text = edit(&template(), "appeals.review", "pending", "# pending = 0");
    let r = read_input(&text, None).unwrap();
    assert!(!r.cells.contains_key(&id("appeals.review.pending")));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "READ-CELL-MISSING")
        .unwrap();
    assert_eq!(f.cells, [id("appeals.review.pending")]);
}

#[test]
fn decimals_stay_exact() {
    let text = edit(&template(), "active.fees", "amount", "amount = 12.30");
    let r = read_input(&text, None).unwrap();
    assert_eq!(
        r.cells[&id("active.fees.amount")].value,
        Value::Number(Number::Decimal {
            mantissa: 1230,
            scale: 2
        })
    );
    // 0.1 has no exact binary float; read from the text it is exactly 1/10.
    for (written, mantissa, scale) in [
        ("0.1", 1, 1),
        ("\"96171.6\"", 961716, 1),
        ("123456789012.345678", 123456789012345678, 6),
        ("-0.05", -5, 2),
    ] {
        let text = edit(
            &template(),
            "active.fees",
            "amount",
            &format!("amount = {written}"),
        );
        let r = read_input(&text, None).unwrap();
        assert_eq!(
            r.cells[&id("active.fees.amount")].value,
            Value::Number(Number::Decimal { mantissa, scale }),
            "{written}"
        );
    }
    let text = edit(&template(), "active.rules", "issued", "issued = 1_000");
    let r = read_input(&text, None).unwrap();
    assert_eq!(r.cells[&id("active.rules.issued")].value, Value::int(1000));
}

#[test]
fn text_cells_are_kept_as_text() {
    let text = edit(&template(), "active.fees", "amount", "amount = \"/\"");
    let r = read_input(&text, None).unwrap();
    assert_eq!(
        r.cells[&id("active.fees.amount")].value,
        Value::Text("/".into())
    );
}

#[test]
fn errors_name_the_line() {
    let base = template();
    // An unknown identifier.
    let text = edit(&base, "requests.granted", "total", "totl = 0");
    let line = line_of(&text, "[tables.requests.granted]", "totl");
    let p = problems(read_input(&text, None).unwrap_err());
    assert_eq!(
        p,
        [(line, "未知的单元格标识 requests.granted.totl".to_string())]
    );
    let shown = read_input(&text, None).unwrap_err().to_string();
    assert_eq!(
        shown,
        format!("输入文件有误：未知的单元格标识 requests.granted.totl，第 {line} 行")
    );

    // A 2019 column in a 2021 file.
    let text = edit(&base, "active.rules", "issued", "new_made = 0");
    let line = line_of(&text, "[tables.active.rules]", "new_made");
    let p = problems(read_input(&text, None).unwrap_err());
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, line);
    assert!(p[0].1.contains("不属于 2021 年格式"), "{}", p[0].1);

    // A wrong type, and a float in scientific notation: both reported, each at its line.
    let text = edit(&base, "active.licensing", "decisions", "decisions = true");
    let text = edit(&text, "active.fees", "amount", "amount = 1e5");
    let l1 = line_of(&text, "[tables.active.licensing]", "decisions");
    let l2 = line_of(&text, "[tables.active.fees]", "amount");
    let p = problems(read_input(&text, None).unwrap_err());
    assert_eq!(p.iter().map(|x| x.0).collect::<Vec<_>>(), [l1, l2]);
    assert!(p[0].1.contains("active.licensing.decisions"));
    assert!(p[1].1.contains("1e5"));

    // A syntax error: Chinese quotes.
    let text = base.replace("agency = \"某某市某某局\"", "agency = “某某市某某局”");
    let line = line_of(&text, "[meta]", "agency");
    let p = problems(read_input(&text, None).unwrap_err());
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, line);
    assert!(p[0].1.contains("英文双引号"), "{}", p[0].1);

    // The same row twice.
    let text = format!("{base}\n[tables.appeals.review]\nupheld = 1\n");
    let p = problems(read_input(&text, None).unwrap_err());
    assert_eq!(p.len(), 1);
    assert!(p[0].0 > 0);

    // An unknown table, an unknown key of [meta], a bad date.
    let text = base
        .replace("[tables.appeals.review]", "[tables.appeal.review]")
        .replace("published = \"\"", "published = \"2026-02-30\"")
        .replace("contact = \"\"", "contakt = \"\"");
    let p = problems(read_input(&text, None).unwrap_err());
    let msgs: Vec<&str> = p.iter().map(|x| x.1.as_str()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("未知的表“appeal”")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("contakt")), "{msgs:?}");
    assert!(
        msgs.iter().any(|m| m.contains("不是有效的日期")),
        "{msgs:?}"
    );
    assert!(p.iter().all(|x| x.0 > 0), "{p:?}");

    // No year.
    let text = base.replace("year = 2025", "");
    let p = problems(read_input(&text, None).unwrap_err());
    assert!(p[0].1.contains("year"), "{p:?}");
}

#[test]
fn the_2019_template() {
    let r = read_input(&new_input("某某县人民政府", 2020, None).unwrap(), None).unwrap();
    assert_eq!(r.format(), Some(Format::F2019));
    assert_eq!(r.cells.len(), 198);
    assert_eq!(r.meta.government_level, Some(true));
    assert!(r.cells.contains_key(&id("active.procurement.amount")));
    assert!(r.cells.contains_key(&id("requests.other.total")));
    // A government's part 一 asks for the 第五十条第（四）项 statement.
    assert!(r.sections[0].text.contains("责任追究"));
}

// ---------------------------------------------------------------------------------------------
// Round trip of random reports
// ---------------------------------------------------------------------------------------------

/// Random text for a part: paragraphs, sub-headings, quotes, backslashes and control characters.
fn part_text() -> impl Strategy<Value = Vec<String>> {
    let line = prop_oneof![
        "[一-龥，。、“”\"'\\\\a-z0-9#=\\[\\]{} ]{1,40}",
        (0usize..10, "[一-龥]{2,12}").prop_map(|(i, t)| format!("（{}）{t}", CHINESE_NUMERALS[i])),
        "[一-龥\u{1}\u{7f}]{1,5}",
    ]
    .prop_map(|s| s.trim().to_string())
    .prop_filter("a paragraph has text", |s| !s.is_empty());
    prop::collection::vec(line, 0..6)
}

fn with_sections(mut r: Report, texts: &[Vec<String>]) -> Report {
    r.sections = texts
        .iter()
        .enumerate()
        .map(|(i, lines)| Section {
            part: i as u8 + 1,
            marker: format!("{}、", CHINESE_NUMERALS[i]),
            heading: PARTS[i].heading.to_string(),
            line: 0,
            end_line: 0,
            text: lines.join("\n"),
        })
        .collect();
    r
}

fn values(r: &Report) -> BTreeMap<String, Value> {
    r.flat_cells()
}

fn meta_values(r: &Report) -> impl PartialEq + std::fmt::Debug {
    let m = &r.meta;
    (
        m.title.as_ref().map(|t| t.value.clone()),
        m.agency_printed.clone(),
        m.agency.clone(),
        m.year,
        m.period.as_ref().map(|p| p.value),
        m.published.as_ref().map(|p| p.value),
        m.contact.as_ref().map(|c| c.value.clone()),
        m.government_level,
        r.kind,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(300), ..ProptestConfig::default() })]

    #[test]
    fn random_reports_round_trip(
        seed in any::<u64>(),
        format in prop_oneof![Just(Format::F2021), Just(Format::F2019)],
        single_other in any::<bool>(),
        blanks in prop::bool::weighted(0.3),
        placeholders in prop::bool::weighted(0.3),
        government in prop::option::of(any::<bool>()),
        contact in prop::option::of("[一-龥0-9：-]{1,20}"),
        texts in prop::collection::vec(part_text(), 6),
    ) {
        let opts = GenOptions {
            format: Some(format),
            other_single_row: single_other,
            blank_probability: if blanks { 0.1 } else { 0.0 },
            text_probability: if placeholders { 0.1 } else { 0.0 },
            ..GenOptions::default()
        };
        let mut report = with_sections(random_report(seed, &opts), &texts);
        report.meta.government_level = government;
        report.meta.contact = contact.map(|value| xxgk_model::Sourced {
            value,
            span: xxgk_model::Span::line(0),
        });
        let text = render_input(&report);
        let back = read_input(&text, None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(values(&back), values(&report));
        prop_assert_eq!(meta_values(&back), meta_values(&report));
        let texts_back: Vec<(u8, String, String)> = back
            .sections
            .iter()
            .map(|s| (s.part, s.heading.clone(), s.text.clone()))
            .collect();
        let texts_in: Vec<(u8, String, String)> = report
            .sections
            .iter()
            .map(|s| (s.part, s.heading.clone(), s.text.clone()))
            .collect();
        prop_assert_eq!(texts_back, texts_in);
        // Every cell is where the file says.
        for (id, cell) in &back.cells {
            let line = text.lines().nth(cell.span.line as usize - 1).unwrap_or("");
            prop_assert!(line.starts_with(&format!("{} = ", id.column)), "{} at {}", id, line);
        }
        // The generator's reports are complete: nothing is reported missing.
        prop_assert!(back.findings.is_empty(), "{:?}", back.findings);
    }
}

// ---------------------------------------------------------------------------------------------
// The seeds: JSON and input file round trips
// ---------------------------------------------------------------------------------------------

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = format!(
        "{}/../../../shared/corpus/seeds",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {dir} not found");
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let p = e.path();
            (p.display().to_string(), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn extracted_json_reads_back_to_the_same_report() {
    for (path, bytes) in seeds() {
        let report = xxgk_read::read(&bytes, Some(&path)).unwrap();
        let json = serde_json::to_string_pretty(&ReportJson(&report)).unwrap();
        assert_eq!(sniff(json.as_bytes()), FileKind::Json);
        let back = xxgk_read::read(json.as_bytes(), Some("other.json")).unwrap();
        assert_eq!(back.source.as_deref(), Some(path.as_str()), "{path}");
        assert_eq!(values(&back), values(&report), "{path}");
        assert_eq!(meta_values(&back), meta_values(&report), "{path}");
        for (id, c) in &report.cells {
            let b = &back.cells[id];
            assert_eq!(
                (b.span, b.printed_column, b.located),
                (c.span, c.printed_column, c.located),
                "{path} {id}"
            );
        }
        assert_eq!(back.sections, report.sections, "{path}");
        // read_json directly, with the source the JSON does not name.
        let mut plain: serde_json::Value = serde_json::from_str(&json).unwrap();
        plain.as_object_mut().unwrap().remove("source");
        let back = read_json(&plain.to_string(), Some("x.json")).unwrap();
        assert_eq!(back.source.as_deref(), Some("x.json"));
        assert_eq!(values(&back), values(&report), "{path}");
    }
}

#[test]
fn extracted_reports_become_input_files() {
    for (path, bytes) in seeds() {
        let report = xxgk_read::read(&bytes, Some(&path)).unwrap();
        let text = render_input(&report);
        let back = read_input(&text, None).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        assert_eq!(values(&back), values(&report), "{path}");
        assert_eq!(meta_values(&back), meta_values(&report), "{path}");
        // The text of the parts is kept, without the tables (the seeds print no prose in
        // parts 二–四, only the tables).
        let five = back.sections.iter().find(|s| s.part == 5).unwrap();
        assert!(!five.text.is_empty(), "{path}");
        for part in [2, 3, 4] {
            let s = back.sections.iter().find(|s| s.part == part).unwrap();
            assert_eq!(s.text, "", "{path}: part {part}");
        }
        let three = back.sections.iter().find(|s| s.part == 3);
        let label = catalogue::table(report.format().unwrap(), TableId::Requests).rows[0].label;
        assert!(
            !three.is_some_and(|s| s.text.contains(label)),
            "{path}: table text left in part 三: {:?}",
            three.map(|s| &s.text)
        );
    }
}

/// The input file keeps the preamble (the text between the title and the first part): a
/// corpus report → `render_input` → `read_input` prints the same title and preamble paragraphs,
/// and the same paragraphs of its parts.
#[test]
fn input_files_keep_the_preamble() {
    let corpus = format!("{}/../../../shared/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<std::path::PathBuf> = ["seeds", "real"]
        .iter()
        .filter_map(|d| std::fs::read_dir(format!("{corpus}/{d}")).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    if paths.is_empty() {
        eprintln!("skipping: {corpus} not found");
        return;
    }
    paths.sort();
    let mut with_preamble = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let report = xxgk_read::read(&std::fs::read(&path).unwrap(), Some(&name)).unwrap();
        // An input file needs the year (the excerpt has none) and a standard format (not the
        // 2017 report).
        if report.meta.preamble.is_empty()
            || report.meta.year.is_none()
            || report.format().is_none()
        {
            continue;
        }
        with_preamble.push(path.file_name().unwrap().to_string_lossy().to_string());
        let text = render_input(&report);
        assert!(text.contains("\npreamble = \"\"\"\n"), "{name}\n{text}");
        let back = read_input(&text, None).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        let (want, got) = (report_paragraphs(&report), report_paragraphs(&back));
        let n = back.meta.preamble.len();
        assert!(n > 0, "{name}");
        assert_eq!(got[..=n], want[..=n], "{name}: title and preamble");
        // The PDF's sentences are kept too (its lines, numbered on their page, are not taken
        // for lines of its tables). Part headings are the catalogue's in an input file.
        if !name.ends_with(".pdf") {
            continue;
        }
        for p in want[n + 1..].iter().filter(|p| p.contains('。')) {
            assert!(got.contains(p), "{name}: lost {p}");
        }
    }
    // Seed 003 prints three lines before part 一, the PDF one (seed 004 none).
    for want in ["003_3dd38cd922b2f941.txt", "huaian-city-2024.pdf"] {
        assert!(with_preamble.iter().any(|n| n == want), "{with_preamble:?}");
    }
}

/// The preamble's quotes, backslashes and triple quotes survive the multi-line string; a report
/// without preamble writes no field (its writers compose one).
#[test]
fn preamble_text_is_quoted() {
    let mut report = random_report(7, &GenOptions::default());
    report.meta.preamble.clear();
    assert!(!render_input(&report).contains("preamble ="));
    let lines = vec![
        "本报告由“某某局”编制，路径 C:\\报告\\2024。".to_string(),
        "三个引号 \"\"\" 和一个 \" 也照印。".to_string(),
    ];
    report.meta.preamble = lines.clone();
    let text = render_input(&report);
    let back = read_input(&text, None).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.meta.preamble, lines, "{text}");
}

#[test]
fn json_errors() {
    let e = read_json("{\"format\": \"2021\", \"year\": 2024,\n \"tables\": {\"requests\": {\"foo\": {\"bar\": 1}}}}", None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("未知的单元格标识 requests.foo.bar"), "{e}");
    let e = read_json("{\"format\": \"2021\",\n \"year\": }", None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("第 2 行"), "{e}");
    // null is a blank cell, never 0.
    let r = read_json(
        "{\"format\": \"2021\", \"year\": 2024, \"tables\": {\"appeals\": {\"review\": {\"upheld\": null, \"total\": 0}}}}",
        None,
    )
    .unwrap();
    assert_eq!(r.cells[&id("appeals.review.upheld")].value, Value::Blank);
    assert_eq!(r.cells[&id("appeals.review.total")].value, Value::int(0));
}

#[test]
fn new_from_a_2019_format_report_notes_the_items_and_keeps_text_blank() {
    let mut prev = random_report(
        7,
        &GenOptions {
            format: Some(Format::F2019),
            year: Some(2019),
            ..GenOptions::default()
        },
    );
    prev.source = Some("2019.txt".into());
    let forward = id("requests.carried_forward.research_institution");
    prev.cells.get_mut(&forward).unwrap().value = Value::Text("/".into());
    let natural = prev.cells[&id("requests.carried_forward.natural_person")]
        .value
        .clone();
    let items = prev.cells[&id("active.licensing.previous_items")]
        .value
        .clone();
    let change = prev.cells[&id("active.licensing.change")].value.clone();

    let text = new_input("某某局", 2020, Some(&prev)).unwrap();
    let r = read_input(&text, None).unwrap();
    assert_eq!(r.format(), Some(Format::F2019));
    assert_eq!(
        r.cells[&id("requests.carried_over.natural_person")].value,
        natural
    );
    // Text last year: blank this year (never 0), with the reason.
    assert_eq!(
        r.cells[&id("requests.carried_over.research_institution")].value,
        Value::Blank
    );
    assert!(text.contains("注：上年报告这一格印的是“/”"));
    // 上一年项目数量: last year's two numbers, noted above this year's cell.
    let note = format!("“上一年项目数量” {items}，“本年增/减” {change}；");
    let at = text.find(&note).unwrap_or_else(|| panic!("{note}\n{text}"));
    let below = text[at..].lines().nth(1).unwrap();
    assert!(below.starts_with("previous_items = 0"), "{below}");
    assert!(
        text[..at].rfind("[tables.active.licensing]") > text[..at].rfind("[tables.active.rules]")
    );
}
