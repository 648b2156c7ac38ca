//! Report-level facts: title, agency, year, statistics period, publication date, contact.

use xxgk_model::{Finding, Meta, Section};

/// Read the metadata of a report.
pub fn read(_lines: &[String], _sections: &[Section]) -> (Meta, Vec<Finding>) {
    (Meta::default(), Vec::new())
}
