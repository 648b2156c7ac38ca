//! Acceptance (issue 5): the rendered DOCX's tables have the structure of the official
//! template's (official-template-2021.docx of /work/shared/corpus/template, copied to
//! crates/xxgk-read/tests/fixtures/template/): the same rows and columns, the same merged cells
//! (`w:gridSpan` / `w:vMerge`), the same labels. Values aside: where the template's cell is empty
//! the rendered one holds the report's number.
//!
//! Both documents are parsed by `support::wordgrid` (zip + quick-xml), not by xxgk's DOCX
//! reader.

mod support;

use support::wordgrid::{tables, Rect};
use xxgk_model::Format;
use xxgk_testgen::{placeholders, random_report, GenOptions};
use xxgk_write::docx::{render_docx, render_docx_with};
use xxgk_write::RenderOptions;

fn template() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../xxgk-read/tests/fixtures/template/official-template-2021.docx"
    ))
    .expect("template fixture")
}

fn shape(rects: &[Rect]) -> Vec<(usize, usize, usize, usize)> {
    rects
        .iter()
        .map(|r| (r.row, r.col, r.rows, r.cols))
        .collect()
}

fn compare(rendered: &[u8], what: &str) {
    let template = tables(&template());
    let ours = tables(rendered);
    assert_eq!(template.len(), 3, "the template has the three tables");
    assert_eq!(ours.len(), 3, "{what}: three tables");
    for (i, ((n_t, t), (n_o, o))) in template.iter().zip(&ours).enumerate() {
        let name = ["表二", "表三", "表四"][i];
        assert_eq!(n_t, n_o, "{what} {name}: rows");
        assert_eq!(shape(t), shape(o), "{what} {name}: merged cells");
        for (a, b) in t.iter().zip(o) {
            if a.text.is_empty() {
                // A value cell: the rendered one prints a number (or a placeholder / blank).
                assert!(
                    b.text.is_empty()
                        || b.text.parse::<f64>().is_ok()
                        || placeholders().any(|p| p == b.text),
                    "{what} {name} ({}, {}): {:?}",
                    a.row,
                    a.col,
                    b.text
                );
            } else {
                assert_eq!(a.text, b.text, "{what} {name} ({}, {})", a.row, a.col);
            }
        }
    }
}

#[test]
fn rendered_tables_have_the_official_structure() {
    for seed in 0..8 {
        let report = random_report(
            seed,
            &GenOptions {
                format: Some(Format::F2021),
                ..GenOptions::default()
            },
        );
        compare(&render_docx(&report), &format!("seed {seed}"));
    }
}

#[test]
fn blanks_placeholders_and_the_banner_keep_the_structure() {
    let report = random_report(
        3,
        &GenOptions {
            format: Some(Format::F2021),
            blank_probability: 0.2,
            text_probability: 0.1,
            ..GenOptions::default()
        },
    );
    compare(
        &render_docx_with(&report, &RenderOptions { unchecked: true }),
        "blanks",
    );
}

#[test]
fn the_comparison_sees_a_changed_merge() {
    // The test can fail: a template whose note spans two rows instead of three differs.
    let t = tables(&template());
    let mut changed = t[1].1.clone();
    changed[0].rows = 2;
    assert_ne!(shape(&t[1].1), shape(&changed));
    // And the template's 表三 is what the official format prints: the note over 3 × 3 cells,
    // 申请人情况 over 7 columns, 三、本年度办理结果 over 22 rows, 28 rows in all.
    assert_eq!(t[1].0, 28);
    assert_eq!(shape(&t[1].1[..2]), [(0, 0, 3, 3), (0, 3, 1, 7)]);
    assert!(t[1]
        .1
        .iter()
        .any(|r| r.text == "三、本年度办理结果" && (r.rows, r.cols) == (22, 1)));
}
