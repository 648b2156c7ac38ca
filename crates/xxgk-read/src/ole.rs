//! Legacy Word .doc and WPS .wps (OLE compound files).
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.

use xxgk_model::Report;

use crate::ReadError;

/// Read a report from the bytes of a DOC/WPS file.
pub fn read(_bytes: &[u8], _source: Option<&str>) -> Result<Report, ReadError> {
    Err(ReadError::Unsupported { kind: "DOC/WPS" })
}
