//! xxgk-model: the annual report's formats as data ([`catalogue`]), the report type
//! ([`report`]), findings ([`finding`]), rule catalogue entries ([`rule`]) and the JSON of `schema.md` ([`json`]).
//!
//! This crate does no I/O and knows nothing of file formats; every other crate depends on it.

pub mod catalogue;
pub mod finding;
pub mod json;
pub mod report;
pub mod rule;

pub use catalogue::{Format, TableId};
pub use finding::{Finding, Severity};
pub use report::{
    cell_differences, Cell, CellId, Date, Located, Meta, Number, OcrCell, Report, ReportKind,
    Section, Sourced, Span, TableSpan, Value,
};
pub use rule::{find_rule, RuleDef};
