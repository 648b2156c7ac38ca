//! Findings: what a reader or a check says about a report, pointing to cells and source spans.
//!
//! One type serves both the readers (a row that could not be read, a placement by order) and the
//! checks (a violated identity), so that every output lists them the same way.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::report::{CellId, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// 错误: a violated identity, an impossible value, input that could not be read.
    Error,
    /// 警告: a likely defect.
    Warning,
    /// 提示: worth knowing.
    Info,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The Chinese word users see.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable rule identifier, e.g. `READ-ROW-UNREADABLE` or `T3-BALANCE`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The message in Chinese, naming tables, rows and columns in the report's words.
    pub message: String,
    /// The cells involved.
    pub cells: Vec<CellId>,
    pub expected: Option<String>,
    pub found: Option<String>,
    /// Where in the source.
    pub spans: Vec<Span>,
}

impl Finding {
    pub fn new(rule: &'static str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity,
            message: message.into(),
            cells: Vec::new(),
            expected: None,
            found: None,
            spans: Vec::new(),
        }
    }

    pub fn at(mut self, span: Span) -> Finding {
        self.spans.push(span);
        self
    }

    pub fn cells(mut self, cells: impl IntoIterator<Item = CellId>) -> Finding {
        self.cells.extend(cells);
        self
    }

    pub fn expected_found(mut self, expected: impl ToString, found: impl ToString) -> Finding {
        self.expected = Some(expected.to_string());
        self.found = Some(found.to_string());
        self
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "rule": self.rule,
            "severity": self.severity.id(),
            "message": self.message,
            "cells": self.cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            "expected": self.expected,
            "found": self.found,
            "spans": self.spans.iter().map(|s| s.to_json()).collect::<Vec<_>>(),
        })
    }
}
