//! xxgk-write: writers and generators of annual reports.
//!
//! * [`gen`] — a deterministic random generator of *valid* reports ([`gen::random_report`]): every
//!   identity of the official tables holds unless the options ask for blanks or placeholders.
//! * [`text`] — renders a report as the plain text real publications are converted to
//!   ([`text::render_text`]) in four layouts: tab-separated rows (Word export), one cell per line,
//!   Markdown pipe tables and space-separated `label value …` lines (pdftotext).
//!
//! Architecture invariant: every table label printed comes from `xxgk_model::catalogue`; this
//! crate spells none of them.

pub mod gen;
mod grid;
pub mod html;
pub mod text;

mod names;
mod narrative;
mod rng;

use xxgk_model::catalogue::{self, Format, RowDef, TableId};
use xxgk_model::Report;

/// The rows of `table` in printed order, for a report of `format` (see
/// [`catalogue::TableDef::rows_for`]).
pub fn printed_rows(format: Format, table: TableId, single_other: bool) -> Vec<&'static RowDef> {
    catalogue::table(format, table).rows_for(single_other)
}

/// Whether `report` holds the single （六）其他处理 row in table 三.
pub fn has_single_other(report: &Report) -> bool {
    report
        .cells
        .keys()
        .any(|id| id.table == TableId::Requests && id.row == catalogue::ROW_OTHER_SINGLE.key)
}

/// The format a report's tables are printed in (2021 when the report names none).
pub fn report_format(report: &Report) -> Format {
    report.format().unwrap_or(Format::F2021)
}
