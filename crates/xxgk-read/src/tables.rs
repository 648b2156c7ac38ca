//! Rows → table cells.

use std::collections::BTreeMap;
use xxgk_model::{Cell, CellId, Finding, Format, TableSpan};

use crate::rows::Row;

#[derive(Debug, Default)]
pub struct TablesRead {
    pub format: Option<Format>,
    pub cells: BTreeMap<CellId, Cell>,
    pub spans: Vec<TableSpan>,
    pub findings: Vec<Finding>,
}

pub fn read(_rows: &[Row], _lines: &[String]) -> TablesRead {
    TablesRead::default()
}
