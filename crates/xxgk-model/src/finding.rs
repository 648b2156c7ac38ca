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

/// The most findings of one rule listed one by one for a report; the rest are counted in one
/// more finding (a file of 60,000 repeated rows must not give 60,000 findings of one kind).
pub const MAX_PER_RULE: usize = 100;

/// Keep, in order, at most `max` findings of each rule; for each rule that had more, one more
/// finding of that rule and severity, after the kept ones, says how many more there were. The
/// count is in `found`.
pub fn cap_per_rule(findings: Vec<Finding>, max: usize) -> Vec<Finding> {
    let mut seen: std::collections::HashMap<&'static str, usize> = Default::default();
    for f in &findings {
        *seen.entry(f.rule).or_default() += 1;
    }
    if seen.values().all(|n| *n <= max) {
        return findings;
    }
    let mut kept: std::collections::HashMap<&'static str, usize> = Default::default();
    let mut out = Vec::with_capacity(findings.len().min(seen.len() * (max + 1)));
    let mut capped: Vec<(&'static str, Severity)> = Vec::new();
    for f in findings {
        let k = kept.entry(f.rule).or_default();
        *k += 1;
        if *k <= max {
            out.push(f);
        } else if *k == max + 1 {
            capped.push((f.rule, f.severity));
        }
    }
    for (rule, severity) in capped {
        let more = seen[rule] - max;
        let mut f = Finding::new(
            rule,
            severity,
            format!(
                "同一规则（{rule}）的问题另有 {more} 条，未逐条列出（每条规则最多列出 {max} 条）"
            ),
        );
        f.found = Some(more.to_string());
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_capped_per_rule_with_a_count_of_the_rest() {
        let mut all = Vec::new();
        for i in 0..7 {
            all.push(Finding::new("A", Severity::Error, format!("a{i}")));
            if i < 2 {
                all.push(Finding::new("B", Severity::Info, format!("b{i}")));
            }
        }
        let capped = cap_per_rule(all, 3);
        let shown: Vec<(&str, &str)> = capped
            .iter()
            .map(|f| (f.rule, f.message.as_str()))
            .collect();
        // Three of A (in order), both of B, then one A saying 4 more.
        assert_eq!(
            &shown[..5],
            &[
                ("A", "a0"),
                ("B", "b0"),
                ("A", "a1"),
                ("B", "b1"),
                ("A", "a2")
            ]
        );
        assert_eq!(capped.len(), 6);
        let last = &capped[5];
        assert_eq!((last.rule, last.severity), ("A", Severity::Error));
        assert_eq!(last.found.as_deref(), Some("4"));
        assert!(last.message.contains("另有 4 条"), "{}", last.message);
        // Under the cap nothing changes.
        let few = vec![Finding::new("A", Severity::Info, "x")];
        assert_eq!(cap_per_rule(few.clone(), 1), few);
    }
}
