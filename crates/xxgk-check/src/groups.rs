//! The groups the check rules are listed under (`xxgk rules`, the rule catalogue page of
//! `xxgk serve`): one list for both, so the command line and the page cannot differ.

use crate::rules::{RuleDef, RULES};

/// A group of rules: its title and whether a rule belongs to it.
type Group = (&'static str, fn(&RuleDef) -> bool);

/// The groups, in the order they are listed.
const GROUPS: [Group; 6] = [
    ("表格勾稽关系", |r| {
        !r.series && (r.id.starts_with('T') && !r.id.starts_with("TEXT-") || r.id == "UNVERIFIABLE")
    }),
    ("单元格数值", |r| {
        !r.series && r.id.starts_with("VALUE-")
    }),
    ("结构与格式", |r| {
        !r.series
            && (r.id.starts_with("STRUCT-")
                || r.id.starts_with("FORMAT-")
                || r.id.starts_with("PART"))
    }),
    ("日期", |r| !r.series && r.id.starts_with("DATE-")),
    ("正文与表格", |r| {
        !r.series && r.id.starts_with("TEXT-")
    }),
    ("跨年度（同一机关相邻年度）", |r| r.series),
];

/// The heading of the reader's rules (`xxgk_read::rules::RULES`).
pub const READ_GROUP: &str = "读取";
/// The heading of the checks' rules (then grouped by [`grouped`]).
pub const CHECK_GROUP: &str = "校验";

/// The title of the group a check rule is listed under ("其他" when none fits: a new prefix).
pub fn group_of(rule: &RuleDef) -> &'static str {
    GROUPS
        .iter()
        .find(|(_, member)| member(rule))
        .map_or("其他", |(title, _)| title)
}

/// The check rules grouped, groups in their listing order (then "其他"), rules in catalogue
/// order; empty groups left out.
pub fn grouped() -> Vec<(&'static str, Vec<&'static RuleDef>)> {
    let mut out: Vec<(&'static str, Vec<&'static RuleDef>)> = GROUPS
        .iter()
        .map(|(title, _)| (*title, Vec::new()))
        .chain(std::iter::once(("其他", Vec::new())))
        .collect();
    for rule in RULES {
        let group = group_of(rule);
        if let Some((_, rules)) = out.iter_mut().find(|(title, _)| *title == group) {
            rules.push(rule);
        }
    }
    out.retain(|(_, rules)| !rules.is_empty());
    out
}
