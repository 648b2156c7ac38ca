//! Tests of [`super`]: table-二 values a converter displaced above their table. Every expected
//! value below is read off the fixture by hand.

use xxgk_model::{CellId, Finding, Number, Report, Value};

use super::{DISPLACED, DISPLACED_UNREADABLE};

const TITLE: &str = "某市某局2024年政府信息公开工作年度报告";

fn read(text: &str) -> Report {
    let decoded = crate::decode::decode(text.as_bytes()).unwrap();
    crate::read_lines(&decoded.lines, None).unwrap()
}

fn doc(body: &str) -> String {
    format!("{TITLE}\n一、主动公开政府信息情况\n{body}\n二、收到和处理政府信息公开申请情况\n")
}

fn id(key: &str) -> CellId {
    CellId::parse(key).unwrap()
}

fn value(r: &Report, key: &str) -> Option<Value> {
    r.cells.get(&id(key)).map(|c| c.value.clone())
}

fn int(i: i64) -> Option<Value> {
    Some(Value::int(i))
}

fn findings<'a>(r: &'a Report, rule: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

/// No cell of the report holds `n` (the number inside a note).
fn no_cell_is(r: &Report, n: i64) {
    for (k, c) in &r.cells {
        assert_ne!(c.value, Value::int(n), "{k} holds the note's number");
    }
}

const RULES: [&str; 3] = [
    "active.rules.issued",
    "active.rules.repealed",
    "active.rules.in_force",
];
const NORMATIVE: [&str; 3] = [
    "active.normative_documents.issued",
    "active.normative_documents.repealed",
    "active.normative_documents.in_force",
];

/// The example of the issue: values with their note above a Markdown table of empty cells.
const SEED: &str = "第二十条第（一）项
22 （其中修订 16 件） 3 150
5 0 37
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|---|---|---|---|
| 规章 | | | |
| 规范性文件 | | | |";

#[test]
fn the_seed_reads_in_reading_order_with_the_note_kept_out_of_the_value() {
    let r = read(&doc(SEED));
    let got: Vec<_> = RULES
        .iter()
        .chain(&NORMATIVE)
        .map(|k| value(&r, k))
        .collect();
    assert_eq!(got, [int(22), int(3), int(150), int(5), int(0), int(37)]);
    no_cell_is(&r, 16);
    // Provenance: the line and column of the value (line 1 is the title, 2 the heading).
    let c = &r.cells[&id("active.rules.issued")];
    assert_eq!((c.span.line, c.span.column), (4, Some(1)));
    let c = &r.cells[&id("active.rules.in_force")];
    assert_eq!((c.span.line, c.span.column), (4, Some(18)));
    let c = &r.cells[&id("active.normative_documents.in_force")];
    assert_eq!((c.span.line, c.span.column), (5, Some(5)));
    // One finding says so, quoting the note; the lines are no longer stray values.
    let f = findings(&r, DISPLACED);
    assert_eq!(f.len(), 1, "{:?}", r.findings);
    assert!(
        f[0].message.contains("22（其中修订 16 件）"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].cells.len(), 6);
    assert!(
        findings(&r, "READ-STRAY-VALUES").is_empty(),
        "{:?}",
        r.findings
    );
    assert!(findings(&r, DISPLACED_UNREADABLE).is_empty());
}

#[test]
fn today_the_seed_lost_its_values_as_blanks() {
    // The table reader alone (what xxgk read before this pass): the six cells are blank and
    // the values are stray. This pins the layout the pass exists for.
    let decoded = crate::decode::decode(doc(SEED).as_bytes()).unwrap();
    let t = crate::tables::read(&crate::rows::split(&decoded.lines));
    assert_eq!(t.cells[&id("active.rules.issued")].value, Value::Blank);
    assert!(t.findings.iter().any(|f| f.rule == "READ-STRAY-VALUES"));
}

#[test]
fn each_value_and_the_note_on_lines_of_their_own() {
    let r = read(&doc("第二十条第（一）项
22
（其中修订 16 件）
3
150
5
0
37
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|---|---|---|---|
| 规章 | | | |
| 规范性文件 | | | |"));
    let got: Vec<_> = RULES
        .iter()
        .chain(&NORMATIVE)
        .map(|k| value(&r, k))
        .collect();
    assert_eq!(got, [int(22), int(3), int(150), int(5), int(0), int(37)]);
    no_cell_is(&r, 16);
    assert_eq!(
        r.cells[&id("active.normative_documents.in_force")]
            .span
            .line,
        10
    );
    let f = findings(&r, DISPLACED);
    assert!(
        f[0].message.contains("22（其中修订 16 件）"),
        "{}",
        f[0].message
    );
}

#[test]
fn a_note_wrapped_over_two_lines_is_still_a_note() {
    let r = read(&doc("第二十条第（一）项
22 （其中修订
16 件） 3 150
5 0 37
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | | | |
| 规范性文件 | | | |"));
    let got: Vec<_> = RULES
        .iter()
        .chain(&NORMATIVE)
        .map(|k| value(&r, k))
        .collect();
    assert_eq!(got, [int(22), int(3), int(150), int(5), int(0), int(37)]);
    no_cell_is(&r, 16);
    assert_eq!(r.cells[&id("active.rules.repealed")].span.line, 5);
}

#[test]
fn values_above_a_plain_text_table_of_bare_labels_under_a_split_header() {
    let r = read(&doc("第二十条第（一）项
22 （其中修订 16 件） 3 150
5 0 37
信息内容 本年制
发件数 本年废止
件数 现行有效件数
规章
规范性文件
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 97"));
    let got: Vec<_> = RULES
        .iter()
        .chain(&NORMATIVE)
        .map(|k| value(&r, k))
        .collect();
    assert_eq!(got, [int(22), int(3), int(150), int(5), int(0), int(37)]);
    assert_eq!(value(&r, "active.licensing.decisions"), int(97));
    no_cell_is(&r, 16);
    // The two rows are read now: no finding says they are missing.
    assert!(findings(&r, "READ-ROW-MISSING")
        .iter()
        .all(|f| !f.cells.contains(&id("active.rules.issued"))));
    // The rows not printed at all are still reported missing.
    assert!(findings(&r, "READ-ROW-MISSING")
        .iter()
        .any(|f| f.cells.contains(&id("active.fees.amount"))));
}

#[test]
fn one_row_displaced_the_other_in_place() {
    let r = read(&doc("第二十条第（一）项
22 （其中修订 16 件） 3 150
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | | | |
| 规范性文件 | 5 | 0 | 37 |"));
    let got: Vec<_> = RULES
        .iter()
        .chain(&NORMATIVE)
        .map(|k| value(&r, k))
        .collect();
    assert_eq!(got, [int(22), int(3), int(150), int(5), int(0), int(37)]);
    assert_eq!(
        r.cells[&id("active.normative_documents.issued")].span.line,
        7
    );
    // Reversed: the first row in place, the second row's values displaced above the table.
    let r = read(&doc("第二十条第（一）项
5 0 37
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 22 | 3 | 150 |
| 规范性文件 | | | |"));
    let got: Vec<_> = RULES
        .iter()
        .chain(&NORMATIVE)
        .map(|k| value(&r, k))
        .collect();
    assert_eq!(got, [int(22), int(3), int(150), int(5), int(0), int(37)]);
}

#[test]
fn one_column_blocks_and_the_fee_with_a_decimal() {
    let r = read(&doc("第二十条第（一）项
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 0 | 0 | 0 |
| 规范性文件 | 13 | 0 | 55 |
第二十条第（六）项
12
3
| 信息内容 | 本年处理决定数量 |
|---|---|
| 行政处罚 | |
| 行政强制 | |
第二十条第（八）项
1.25
| 信息内容 | 本年收费金额（单位：万元） |
|---|---|
| 行政事业性收费 | |"));
    assert_eq!(value(&r, "active.punishment.decisions"), int(12));
    assert_eq!(value(&r, "active.coercion.decisions"), int(3));
    assert_eq!(
        value(&r, "active.fees.amount"),
        Some(Value::Number(Number::Decimal {
            mantissa: 125,
            scale: 2
        }))
    );
    assert_eq!(value(&r, "active.normative_documents.issued"), int(13));
    // Two segments, one finding each.
    assert_eq!(findings(&r, DISPLACED).len(), 2, "{:?}", r.findings);
}

/// Every cell in `keys` is absent, named by exactly one unreadable finding that lists `candidates`.
fn absent_with_findings(r: &Report, keys: &[&str], candidates: &str) {
    let f = findings(r, DISPLACED_UNREADABLE);
    for k in keys {
        assert_eq!(value(r, k), None, "{k} should be absent");
        let named: Vec<_> = f.iter().filter(|f| f.cells.contains(&id(k))).collect();
        assert_eq!(named.len(), 1, "{k}: {:?}", r.findings);
        assert_eq!(named[0].cells.len(), 1);
        assert!(
            named[0].message.contains(candidates),
            "{k}: {}",
            named[0].message
        );
        // No other finding reports the cell's row as missing.
        assert!(!r
            .findings
            .iter()
            .any(|g| g.rule == "READ-ROW-MISSING" && g.cells.contains(&id(k))));
    }
    assert_eq!(f.len(), keys.len(), "{:?}", r.findings);
    assert!(findings(r, DISPLACED).is_empty());
    no_cell_is(r, 16);
}

#[test]
fn more_values_than_empty_cells_reads_none() {
    let r = read(&doc("第二十条第（一）项
22 （其中修订 16 件） 3 150
5 0 37 8
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | | | |
| 规范性文件 | | | |"));
    let all: Vec<&str> = RULES.iter().chain(&NORMATIVE).copied().collect();
    absent_with_findings(&r, &all, "22（其中修订 16 件）、3、150、5、0、37、8");
    assert!(findings(&r, DISPLACED_UNREADABLE)[0]
        .message
        .contains("数值有 7 个，而空白单元格有 6 个"));
}

#[test]
fn fewer_values_than_empty_cells_reads_none() {
    let r = read(&doc("第二十条第（一）项
22 （其中修订 16 件） 3 150
5 0
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | | | |
| 规范性文件 | | | |"));
    let all: Vec<&str> = RULES.iter().chain(&NORMATIVE).copied().collect();
    absent_with_findings(&r, &all, "22（其中修订 16 件）、3、150、5、0");
}

#[test]
fn a_decimal_in_a_count_column_reads_none() {
    let r = read(&doc("第二十条第（一）项
22 （其中修订 16 件） 3 1.5
5 0 37
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | | | |
| 规范性文件 | | | |"));
    let all: Vec<&str> = RULES.iter().chain(&NORMATIVE).copied().collect();
    absent_with_findings(&r, &all, "22（其中修订 16 件）、3、1.5、5、0、37");
    assert!(findings(&r, DISPLACED_UNREADABLE)[0]
        .message
        .contains("数值“1.5”不符合“规章”行“现行有效件数”的要求"));
}

#[test]
fn two_blocks_competing_for_the_values_read_none() {
    // Six values fit block （一） alone, but the empty rows of block （五） follow with no
    // values of their own: the values may be theirs as well.
    let r = read(&doc("第二十条第（一）项
22 （其中修订 16 件） 3 150
5 0 37
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | | | |
| 规范性文件 | | | |
第二十条第（五）项
| 信息内容 | 本年处理决定数量 |
| 行政许可 | |"));
    let mut all: Vec<&str> = RULES.iter().chain(&NORMATIVE).copied().collect();
    all.push("active.licensing.decisions");
    absent_with_findings(&r, &all, "22（其中修订 16 件）、3、150、5、0、37");
    assert!(findings(&r, DISPLACED_UNREADABLE)[0]
        .message
        .contains("分属 2 个栏目"));
}

#[test]
fn values_in_their_cells_are_left_to_the_table_reader() {
    let text = doc("第二十条第（一）项
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 22 | 3 | 150 |
| 规范性文件 | | | |
5 0 37");
    let r = read(&text);
    // Values below the table are not displaced above it: the blank row stays blank.
    assert_eq!(value(&r, "active.rules.issued"), int(22));
    assert_eq!(
        value(&r, "active.normative_documents.issued"),
        Some(Value::Blank)
    );
    assert!(findings(&r, DISPLACED).is_empty());
    assert!(findings(&r, DISPLACED_UNREADABLE).is_empty());
}

#[test]
fn values_in_narrative_are_not_displaced_values() {
    // A narrative sentence between the values and the table ends the area.
    let r = read(&doc("第二十条第（一）项
22 3 150
5 0 37
本机关严格落实规范性文件管理制度，全年未发生违规发文情况。
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | | | |
| 规范性文件 | | | |"));
    assert_eq!(value(&r, "active.rules.issued"), Some(Value::Blank));
    assert!(findings(&r, DISPLACED).is_empty());
}

/// The table-二 part of the real converter output `real/shanghai-stcsm-2024.md`, with the
/// values of block （一） displaced above as the file had them: the block's caption
/// line gets the values, the Markdown table at the end keeps its rows with empty cells.
#[test]
fn the_real_converter_layout_with_the_seed_sentence() {
    let Some(mut lines) = crate::test_corpus::corpus("real/shanghai-stcsm-2024.md") else {
        return;
    };
    let at = |lines: &[String], s: &str| lines.iter().position(|l| l == s).unwrap();
    let caption = at(&lines, "第二十条第（一）项");
    lines.insert(caption + 1, "2 0 9".to_string());
    lines.insert(caption + 2, "22 （其中修订 16 件） 3 150".to_string());
    let rules = at(&lines, "| 规章 | 0 | 0 | 0 |");
    lines[rules] = "| 规章 | | | |".to_string();
    let normative = at(&lines, "| 规范性文件 | 13 | 0 | 55 |");
    lines[normative] = "| 规范性文件 | | | |".to_string();
    let r = crate::read_lines(&lines, None).unwrap();

    let got: Vec<_> = RULES
        .iter()
        .chain(&NORMATIVE)
        .map(|k| value(&r, k))
        .collect();
    assert_eq!(got, [int(2), int(0), int(9), int(22), int(3), int(150)]);
    no_cell_is(&r, 16);
    assert_eq!(
        r.cells[&id("active.normative_documents.issued")].span.line,
        caption as u32 + 3
    );
    assert_eq!(findings(&r, DISPLACED).len(), 1, "{:?}", r.findings);
    assert!(findings(&r, DISPLACED_UNREADABLE).is_empty());

    // Every other cell as the real file's truth says.
    let truth = format!(
        "{}/../../../shared/corpus/truth/shanghai-stcsm-2024.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(truth).unwrap()).unwrap();
    let cells = truth["cells"].as_object().unwrap();
    let mut compared = 0;
    for (k, want) in cells {
        if k.starts_with("active.rules.") || k.starts_with("active.normative_documents.") {
            continue;
        }
        let got = r.cells.get(&id(k)).map(|c| c.value.to_json());
        assert_eq!(got.as_ref(), Some(want), "{k}");
        compared += 1;
    }
    assert!(compared > 50, "{compared}");
}

mod no_panic {
    use proptest::prelude::*;

    /// Pieces of the layouts this pass reads, in any order and any amount.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "第二十条第（一）项",
            "第二十条第（六）项",
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
            "|---|---|---|---|",
            "| 规章 | | | |",
            "| 规范性文件 | | | |",
            "| 行政处罚 | |",
            "行政事业性收费",
            "规章 1 2 3",
            "22 （其中修订 16 件） 3 150",
            "22 （其中修订",
            "16 件） 3",
            "（其中修订 16 件）",
            "（",
            "）",
            "(",
            "1.5",
            "-3",
            "1,234",
            "5 0 37",
            "| | 7 | 8 |",
            "本机关全年制发规范性文件 5 件。",
            "三、收到和处理政府信息公开申请情况",
            "",
            "项）（一",
            "\t9\t\t",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_arrangement_reads_without_panic_and_never_reads_a_note(
            pieces in prop::collection::vec(piece(), 0..40)
        ) {
            let text = format!("{}\n{}", super::TITLE, pieces.join("\n"));
            let decoded = crate::decode::decode(text.as_bytes()).unwrap();
            if let Ok(r) = crate::read_lines(&decoded.lines, None) {
                // The 16 inside a note is never a cell's value read from a displaced line.
                for f in r.findings.iter().filter(|f| f.rule == super::DISPLACED) {
                    for c in &f.cells {
                        prop_assert_ne!(&r.cells[c].value, &xxgk_model::Value::int(16));
                    }
                }
            }
        }
    }
}

#[test]
fn a_table_printed_twice_with_other_values_is_not_read() {
    // Two copies (values, empty rows) with different values: the table reader names the
    // repeated rows (READ-ROW-DUPLICATE); neither copy's values are read into them.
    let r = read(&doc(&format!("{SEED}\n{}", SEED.replace("22 ", "99 "))));
    assert!(findings(&r, DISPLACED).is_empty(), "{:?}", r.findings);
    assert!(!findings(&r, "READ-ROW-DUPLICATE").is_empty());
    no_cell_is(&r, 99);
    no_cell_is(&r, 22);
}

#[test]
fn repeated_segments_are_bounded() {
    // Hostile: the layout repeated 20,000 times (1.3 MB). Beyond a report's few blocks nothing
    // is read from displaced values, and the text is still read (time: scripts, not here).
    let r = read(&doc(&SEED.repeat(20_000)));
    assert!(findings(&r, DISPLACED).is_empty());
    assert!(findings(&r, DISPLACED_UNREADABLE).is_empty());
    assert_eq!(value(&r, "active.rules.issued"), Some(Value::Blank));
    // Many empty rows after one run of values: not this layout either.
    let rows = "| 规章 | | | |\n".repeat(20_000);
    let r = read(&doc(&format!("第二十条第（一）项\n22 3 150\n{rows}")));
    assert!(findings(&r, DISPLACED).is_empty());
    assert!(findings(&r, DISPLACED_UNREADABLE).is_empty());
}

#[test]
fn a_run_of_wrapped_notes_is_bounded() {
    // Hostile: every line closes a note, prints a value and opens the next note. More values
    // than table 二 has cells: not read, and no finding lists them all.
    let body = format!(
        "第二十条第（一）项\n1 （a\n{}b）\n| 规章 | | | |",
        "x） 2 （y\n".repeat(5_000)
    );
    let r = read(&doc(&body));
    assert!(findings(&r, DISPLACED).is_empty());
    assert!(findings(&r, DISPLACED_UNREADABLE).is_empty());
    assert_eq!(value(&r, "active.rules.issued"), Some(Value::Blank));
}
