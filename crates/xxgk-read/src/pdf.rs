//! PDF with a text layer: positioned text → rows and columns.
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.

use xxgk_model::Report;

use crate::ReadError;

/// Read a report from the bytes of a PDF file.
pub fn read(_bytes: &[u8], _source: Option<&str>) -> Result<Report, ReadError> {
    Err(ReadError::Unsupported { kind: "PDF" })
}
