//! Lines → rows of cells, whatever the layout.

/// One printed row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row;

pub fn split(_lines: &[String]) -> Vec<Row> {
    Vec::new()
}
