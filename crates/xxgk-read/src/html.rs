//! HTML pages (the agency's 年报 web page): tables as a true grid, the article inside a portal page.
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.

use xxgk_model::Report;

use crate::ReadError;

/// Read a report from the bytes of a HTML file.
pub fn read(_bytes: &[u8], _source: Option<&str>) -> Result<Report, ReadError> {
    Err(ReadError::Unsupported { kind: "HTML" })
}
