//! The type of a rule catalogue entry, shared by the reader's catalogue (`xxgk_read::rules`,
//! ids `READ-…`) and the checks' (`xxgk_check::rules`), so that `xxgk rules` lists both alike.

use crate::finding::Severity;

/// One rule of a catalogue: what a finding's `rule` id means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDef {
    /// Stable identifier, SCREAMING-KEBAB-CASE, e.g. `T3-BALANCE`, `READ-ROW-MISSING`. Ids are
    /// never renamed or reused.
    pub id: &'static str,
    /// The severity of every finding of this rule.
    pub severity: Severity,
    /// Short Chinese title.
    pub title: &'static str,
    /// Chinese explanation: what the rule says, why it matters, how to fix the report.
    pub explanation: &'static str,
    /// Where the rule comes from: the 条例, the format (国办公开办函〔2021〕30号), `rules.md` §, or
    /// the reader's own conventions.
    pub reference: &'static str,
    /// Whether the rule compares reports of consecutive years of one agency rather than one
    /// report.
    pub series: bool,
}

impl RuleDef {
    /// A rule about one report.
    pub const fn new(
        id: &'static str,
        severity: Severity,
        title: &'static str,
        explanation: &'static str,
        reference: &'static str,
    ) -> RuleDef {
        RuleDef {
            id,
            severity,
            title,
            explanation,
            reference,
            series: false,
        }
    }

    /// A rule across the reports of one agency.
    pub const fn across_years(self) -> RuleDef {
        RuleDef {
            series: true,
            ..self
        }
    }
}

/// The rule of `id` in `catalogue`.
pub fn find_rule<'a>(catalogue: &'a [RuleDef], id: &str) -> Option<&'a RuleDef> {
    catalogue.iter().find(|r| r.id == id)
}
