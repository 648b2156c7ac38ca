//! xxgk-write: writers of annual reports.
//!
//! Writers print what the report says and nothing else: its own title, preamble, parts and
//! signature as read (see [`report_paragraphs`]), and its cells. Random reports for tests and
//! benchmarks come from the dev-only crate `xxgk-testgen`.
//!
//! * [`text`] — renders a report as the plain text real publications are converted to
//!   ([`text::render_text`]) in four layouts: tab-separated rows (Word export), one cell per line,
//!   Markdown pipe tables and space-separated `label value …` lines (pdftotext).
//! * [`docx`] — renders a report as a Word document ([`docx::render_docx`]) with the merged
//!   cells of the official tables.
//! * [`pdf`] — renders a report as a PDF in the layout of 党政机关公文格式 (GB/T 9704-2012)
//!   ([`render_pdf`]) with embedded, subset CJK fonts.
//! * [`xlsx`] — renders the three tables as an Excel workbook ([`xlsx::render_xlsx`]) with the
//!   official merged headers, numbers as numbers, and a sheet of metadata.
//! * [`check_xlsx`] — the workbook of `xxgk check --format xlsx` (汇总, 问题清单, 规则统计), also
//!   the report list export of `xxgk serve`.
//! * [`safe`] — the sanitizers every writer uses on the report's text: the characters XML
//!   allows (DOCX, XLSX), those an HTML page may carry, and Markdown escaping.
//! * [`input`] — the editable TOML input file ([`input::render_input`]), the template of
//!   `xxgk new` ([`input::new_input`]) and the 本级政府 sums of `xxgk aggregate`
//!   ([`input::aggregate_input`]).
//!
//! Architecture invariant: every table label printed comes from `xxgk_model::catalogue`; this
//! crate spells none of them.

pub mod check_xlsx;
pub mod docx;
mod grid;
pub mod html;
pub mod input;
pub mod list_xlsx;
pub mod pdf;
pub mod safe;
pub mod text;
pub mod xlsx;

pub use pdf::{fallback_notice, font_fallbacks, render_pdf, FontFallback, PdfError, PdfOptions};

mod narrative;
mod rng;

pub use narrative::report_paragraphs;

use xxgk_model::catalogue::{self, Format, RowDef, TableId};
use xxgk_model::Report;

/// The banner every output of `xxgk render --force` carries where a reader sees it first: the
/// report did not pass its checks.
pub const UNCHECKED_BANNER: &str =
    "未通过校验：本报告的数据未通过 xxgk 的检查，可能有误，请核对改正后再发布。";

/// Options shared by the writers of `xxgk render` (DOCX, Markdown, XLSX).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// The report failed its checks and is rendered anyway (`--force`): print
    /// [`UNCHECKED_BANNER`] (DOCX: a red first paragraph; Markdown: a blockquote before the
    /// title; XLSX: a red note row at the top of every sheet).
    pub unchecked: bool,
}

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

/// The title a report prints: its own, else one made from its agency and year.
pub fn report_title(report: &Report) -> String {
    use catalogue::TITLE_SUFFIX;
    match (
        &report.meta.title,
        &report.meta.agency_printed,
        report.meta.year,
    ) {
        (Some(t), _, _) => t.value.clone(),
        (None, Some(a), Some(y)) => format!("{a}{y}{TITLE_SUFFIX}"),
        (None, None, Some(y)) => format!("{y}{TITLE_SUFFIX}"),
        (None, _, None) => TITLE_SUFFIX.trim_start_matches('年').to_string(),
    }
}

/// The format a report's tables are printed in (2021 when the report names none).
pub fn report_format(report: &Report) -> Format {
    report.format().unwrap_or(Format::F2021)
}
