//! Round trip: generate a valid report (xxgk-write), render it as text in each layout, read it
//! back, and compare. The reader must recover every cell exactly — numbers, blanks (`null`) and
//! placeholders — together with the format, the year, the agency and the publication date.
//!
//! Blanks are only generated for layouts that can print them (not `Spaced`, where a blank cell
//! prints as nothing at all). Every case is reproducible from its seed:
//! `random_report(seed, …)` and `render_text(…, TextOptions { seed, … })`.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use xxgk_model::{cell_differences, Format, Report};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::text::{render_text, TextLayout, TextOptions};

/// Which table variant a case draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// 2021 format, table 三 with the three （六） sub-rows.
    F2021,
    /// 2021 format printing the single （六）其他处理 row.
    F2021SingleOther,
    /// 2019 trial format.
    F2019,
}

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    variant: Variant,
    wrap_labels: bool,
    blanks: bool,
    placeholders: bool,
    full_width_digits: bool,
    crlf: bool,
    space_around_numbers: bool,
    padded: bool,
}

fn variant() -> impl Strategy<Value = Variant> {
    prop_oneof![
        3 => Just(Variant::F2021),
        1 => Just(Variant::F2021SingleOther),
        2 => Just(Variant::F2019),
    ]
}

prop_compose! {
    fn case()(
        seed in any::<u64>(),
        variant in variant(),
        wrap_labels in any::<bool>(),
        blanks in prop::bool::weighted(0.3),
        placeholders in prop::bool::weighted(0.2),
        full_width_digits in prop::bool::weighted(0.15),
        crlf in prop::bool::weighted(0.2),
        space_around_numbers in prop::bool::weighted(0.3),
        padded in prop::bool::weighted(0.1),
    ) -> Case {
        Case {
            seed,
            variant,
            wrap_labels,
            blanks,
            placeholders,
            full_width_digits,
            crlf,
            space_around_numbers,
            padded,
        }
    }
}

fn generate(layout: TextLayout, case: &Case) -> (Report, String) {
    let (format, single) = match case.variant {
        Variant::F2021 => (Format::F2021, false),
        Variant::F2021SingleOther => (Format::F2021, true),
        Variant::F2019 => (Format::F2019, false),
    };
    let opts = GenOptions {
        blank_probability: if case.blanks && layout.represents_blanks() {
            0.05
        } else {
            0.0
        },
        text_probability: if case.placeholders { 0.03 } else { 0.0 },
        other_single_row: single,
        format: Some(format),
        narrative_bytes: if case.padded { 16_000 } else { 0 },
        ..GenOptions::default()
    };
    let report = random_report(case.seed, &opts);
    let text_opts = TextOptions {
        wrap_labels: case.wrap_labels,
        full_width_digits: case.full_width_digits,
        crlf: case.crlf,
        space_around_numbers: case.space_around_numbers,
        seed: case.seed,
    };
    let text = render_text(&report, layout, &text_opts);
    (report, text)
}

fn check(layout: TextLayout, case: &Case) -> Result<(), TestCaseError> {
    let (expected, text) = generate(layout, case);
    let context = || {
        format!(
            "layout {} case {case:?}\n--- text ---\n{text}",
            layout.name()
        )
    };
    let read = xxgk_read::read(text.as_bytes(), None)
        .map_err(|e| TestCaseError::fail(format!("read failed: {e}\n{}", context())))?;

    let diff = cell_differences(&expected.flat_cells(), &read.flat_cells());
    if !diff.is_empty() {
        let shown = diff.len().min(40);
        return Err(TestCaseError::fail(format!(
            "{} cells differ (expected → read):\n{}{}\n{}",
            diff.len(),
            diff[..shown].join("\n"),
            if diff.len() > shown { "\n…" } else { "" },
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
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(cases),
        // Cases are named by their seed; do not write regression files into the crate.
        failure_persistence: None,
        // Shrinking a seed does not simplify a report; keep failures fast.
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn roundtrip_tsv(case in case()) {
        check(TextLayout::Tsv, &case)?;
    }

    #[test]
    fn roundtrip_cell_per_line(case in case()) {
        check(TextLayout::CellPerLine, &case)?;
    }

    #[test]
    fn roundtrip_markdown(case in case()) {
        check(TextLayout::Markdown, &case)?;
    }

    #[test]
    fn roundtrip_spaced(case in case()) {
        check(TextLayout::Spaced, &case)?;
    }
}

/// The simplest cases, outside proptest, so that a failure names one layout and format plainly:
/// no blanks, no placeholders, no wrapping.
#[test]
fn plain_reports_read_back_in_every_layout_and_format() {
    let mut failures = Vec::new();
    for layout in TextLayout::ALL {
        for variant in [Variant::F2021, Variant::F2021SingleOther, Variant::F2019] {
            for seed in 0..4 {
                let case = Case {
                    seed,
                    variant,
                    wrap_labels: false,
                    blanks: false,
                    placeholders: false,
                    full_width_digits: false,
                    crlf: false,
                    space_around_numbers: false,
                    padded: false,
                };
                if let Err(e) = check(layout, &case) {
                    let msg = e.to_string();
                    let head: Vec<&str> = msg.lines().take(12).collect();
                    failures.push(format!(
                        "{} {variant:?} seed {seed}:\n  {}",
                        layout.name(),
                        head.join("\n  ")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 48 plain cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Cases proptest once found failing, kept so that every run checks them.
#[test]
fn regressions() {
    let cases = [
        // Table 四 of a spaced 2019 report with wrapped labels and placeholders was lost.
        (
            TextLayout::Spaced,
            Case {
                seed: 15800670803576163623,
                variant: Variant::F2019,
                wrap_labels: true,
                blanks: true,
                placeholders: true,
                full_width_digits: false,
                crlf: false,
                space_around_numbers: false,
                padded: false,
            },
        ),
    ];
    for (layout, case) in cases {
        if let Err(e) = check(layout, &case) {
            if let Ok(path) = std::env::var("XXGK_DUMP") {
                std::fs::write(path, generate(layout, &case).1).expect("dump");
            }
            panic!("{e}");
        }
    }
}
