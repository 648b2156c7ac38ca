//! xxgk-check: a [`Report`] → [`Finding`]s.
//!
//! * [`check`] runs the rules about one report: the identities of the tables, single cells,
//!   structure and format, dates, and the narrative against the tables.
//! * [`check_series`] runs the rules across years: one agency's reports of consecutive years;
//!   [`Series`] does the same incrementally, keeping only each report's [`SeriesFacts`].
//! * [`RULES`] is the catalogue: every rule's identifier, severity, Chinese title, explanation
//!   and reference, as static data ([`rule_by_id`] looks one up).
//!
//! Principles:
//! * **Blank is not zero.** A blank or text cell is reported (`VALUE-BLANK`, `VALUE-TEXT`), and
//!   an identity that involves one is neither passed nor failed: it is reported once under the
//!   rule `UNVERIFIABLE` (提示), whose message names the identity's rule (e.g. `T4-GROUP-TOTAL`)
//!   and lists the cells that block it. A cell the report does not print at all (a row or table
//!   the reader could not read) is skipped silently: the reader's `READ-…` findings say so.
//! * **One severity per rule.** Every finding takes its severity from the catalogue.
//! * **The reader's findings are not repeated.** `report.findings` (rule ids `READ-…`) are left
//!   where they are; `check` returns only its own findings, and the caller shows both.
//! * **Names from the catalogue.** Messages name tables, rows and columns by the labels of
//!   `xxgk_model::catalogue` and carry the canonical cell ids, the numbers (expected / found)
//!   and the source spans of the cells involved.
//! * **Conservative narrative checks.** The text is compared with the tables only where its
//!   phrase is unambiguous (see the `narrative` module); everything else is left alone.

#![warn(missing_docs)]

pub mod diff;
pub mod groups;
pub mod rules;

mod dates;
mod emit;
mod fees;
mod narrative;
mod series;
mod structure;
mod tables;
mod values;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;

pub use rules::{rule_by_id, RuleDef, RULES};
pub use series::{Series, SeriesFacts};

/// A cell as users find it in the report, named by the catalogue's labels (the report's format
/// first): 表三“（一）予以公开”行“自然人”列, 表四“行政复议”的“总计”.
pub fn cell_label(
    format: Option<xxgk_model::catalogue::Format>,
    id: &xxgk_model::CellId,
) -> String {
    emit::cell_name(format, id)
}

use xxgk_model::{Finding, Report, Severity};

/// Rules that are warnings for a published report but stop `xxgk render`: a report xxgk writes
/// prints a number in every cell (a blank cell is not 0, a placeholder such as "/" is not a
/// number), so these are errors of its input.
pub const BLOCKS_RENDERING: [&str; 2] = ["VALUE-BLANK", "VALUE-TEXT"];

/// The findings as `xxgk render` weighs them: those of [`BLOCKS_RENDERING`] become errors, the
/// others keep their severity.
pub fn for_rendering(findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .map(|mut f| {
            if BLOCKS_RENDERING.contains(&f.rule) {
                f.severity = Severity::Error;
            }
            f
        })
        .collect()
}

/// Check one report. Returns the findings of the single-report rules, in this order: structure
/// and format, dates, cells, table identities, narrative. The reader's findings
/// (`report.findings`) are not included.
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let cells = emit::Cells::new(report);
    structure::check(&cells, &mut out);
    dates::check(report, &mut out);
    values::check(&cells, &mut out);
    tables::check(&cells, &mut out);
    narrative::check(&cells, &mut out);
    // A hostile file (one row repeated 60,000 times) must not give a finding per row.
    xxgk_model::finding::cap_per_rule(out, xxgk_model::finding::MAX_PER_RULE)
}

/// Check reports across years. Pass every report; those of one agency (by `meta.agency`) in
/// consecutive years (`meta.year`) are paired, year N − 1 with year N, once per pair of years
/// (the first report of an agency and year represents it; a later one gets `CROSS-DUPLICATE`).
/// Returns each finding with the index (into `reports`) of the report it belongs to, in index
/// order. For many reports, feed a [`Series`] with each report's [`SeriesFacts`] instead: it
/// keeps only the facts, and gives each report's findings as soon as they are known.
pub fn check_series(reports: &[&Report]) -> Vec<(usize, Finding)> {
    series::check(reports)
}

#[cfg(test)]
mod rendering_tests {
    use super::*;

    #[test]
    fn blank_and_text_cells_stop_rendering() {
        for id in BLOCKS_RENDERING {
            let def = rule_by_id(id).expect("a rule of the catalogue");
            assert_eq!(def.severity, Severity::Warning, "{id}");
        }
        let findings = vec![
            Finding::new("VALUE-BLANK", Severity::Warning, "空白"),
            Finding::new("DATE-LATE", Severity::Warning, "晚"),
        ];
        let weighed: Vec<Severity> = for_rendering(findings).iter().map(|f| f.severity).collect();
        assert_eq!(weighed, [Severity::Error, Severity::Warning]);
    }
}
