//! Table-二 values displaced above their table, as PDF converters print them: random reports
//! rendered as Markdown or as space-separated text, then the values of some blocks of table 二 moved out of their cells
//! onto the lines under the block's caption (on one line or one value per line, the first with
//! a note "（其中修订 16 件）"), the cells left empty. Every cell must read back exactly.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use xxgk_model::{cell_differences, Format};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::text::{render_text, TextLayout, TextOptions};

/// Move the values of the table-二 blocks picked by `mask` (bit i: the i-th caption) above
/// their table. `text` is the Markdown or the space-separated layout.
fn displace(text: &str, mask: u8, note: bool, one_per_line: bool) -> (String, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let markdown = text.contains("| 第二十条");
    let caption = |l: &str| l.trim_start_matches("| ").starts_with("第二十条");
    // A row of the block: a pipe row, or a text line of a label and numbers.
    let in_block = |l: &str| {
        if markdown {
            l.starts_with('|')
        } else {
            let mut t = l.split_whitespace();
            t.next().is_some_and(|w| !w.starts_with("三、")) && t.clone().count() > 0
                || l.starts_with("信息内容")
                || ["规章", "行政规范性文件", "规范性文件"].contains(&l.trim())
        }
    };
    let mut out: Vec<String> = Vec::new();
    let mut displaced = 0;
    let mut i = 0;
    let mut block = 0;
    while i < lines.len() {
        let line = lines[i];
        if !caption(line) {
            out.push(line.to_string());
            i += 1;
            continue;
        }
        let picked = mask & (1 << block) != 0;
        block += 1;
        out.push(line.to_string());
        i += 1;
        // The block's rows: up to the next caption or the end of the table.
        let mut rows = Vec::new();
        while i < lines.len() && in_block(lines[i]) && !caption(lines[i]) {
            rows.push(lines[i]);
            i += 1;
        }
        if !picked {
            out.extend(rows.iter().map(|r| r.to_string()));
            continue;
        }
        let mut values: Vec<String> = Vec::new();
        let mut emptied = Vec::new();
        for r in &rows {
            let cells: Vec<&str> = if markdown {
                r.trim_matches('|').split('|').map(str::trim).collect()
            } else {
                r.split_whitespace().collect()
            };
            if r.starts_with("|---") || cells[0] == "信息内容" {
                emptied.push(r.to_string());
                continue;
            }
            values.extend(
                cells[1..]
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| c.to_string()),
            );
            if markdown {
                let blanks = vec![" "; cells.len() - 1].join("|");
                emptied.push(format!("| {} |{blanks}|", cells[0]));
            } else {
                emptied.push(cells[0].to_string());
            }
        }
        if note {
            values[0].push_str(" （其中修订 16 件）");
        }
        if one_per_line {
            out.extend(values.iter().cloned());
        } else {
            out.push(values.join(" "));
        }
        out.extend(emptied);
        displaced += 1;
    }
    (out.join("\n"), displaced)
}

fn check(
    seed: u64,
    f2019: bool,
    markdown: bool,
    mask: u8,
    note: bool,
    one_per_line: bool,
) -> Result<(), TestCaseError> {
    let opts = GenOptions {
        format: Some(if f2019 { Format::F2019 } else { Format::F2021 }),
        ..GenOptions::default()
    };
    let report = random_report(seed, &opts);
    let layout = if markdown {
        TextLayout::Markdown
    } else {
        TextLayout::Spaced
    };
    let text = render_text(&report, layout, &TextOptions::default());
    let (text, displaced) = displace(&text, mask, note, one_per_line);
    let read = xxgk_read::read(text.as_bytes(), None)
        .map_err(|e| TestCaseError::fail(format!("read failed: {e}\n{text}")))?;
    let diff = cell_differences(&report.flat_cells(), &read.flat_cells());
    prop_assert!(diff.is_empty(), "{diff:?}\n{text}");
    let rule = |r: &str| read.findings.iter().filter(|f| f.rule == r).count();
    prop_assert_eq!(rule("READ-DISPLACED-UNREADABLE"), 0, "{}", text);
    prop_assert!(rule("READ-DISPLACED") >= displaced.min(1), "{}", text);
    prop_assert_eq!(rule("READ-STRAY-VALUES"), 0, "{}", text);
    Ok(())
}

#[test]
fn the_transformation_moves_values() {
    // The fixture maker does what it says (so that the property below tests something).
    let report = random_report(7, &GenOptions::default());
    let text = render_text(&report, TextLayout::Markdown, &TextOptions::default());
    let (moved, n) = displace(&text, 0b1, true, false);
    assert_eq!(n, 1);
    assert!(moved.contains("| 规章 | | | |"), "{moved}");
    assert!(moved.contains("（其中修订 16 件）"));
    assert_ne!(moved, text);
    let text = render_text(&report, TextLayout::Spaced, &TextOptions::default());
    let (moved, n) = displace(&text, 0b11, false, false);
    assert_eq!(n, 2);
    assert!(moved.lines().any(|l| l == "规章"), "{moved}");
    assert!(moved.lines().any(|l| l == "行政许可"), "{moved}");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        max_shrink_iters: 16,
        ..ProptestConfig::default()
    })]

    #[test]
    fn displaced_blocks_read_back_exactly(
        seed in any::<u64>(),
        f2019 in any::<bool>(),
        markdown in any::<bool>(),
        mask in 1u8..32,
        note in any::<bool>(),
        one_per_line in any::<bool>(),
    ) {
        check(seed, f2019, markdown, mask, note, one_per_line)?;
    }
}
