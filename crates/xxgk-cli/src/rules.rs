//! `xxgk rules`: the rule catalogue of `xxgk_check` (identifier, severity, title, explanation,
//! reference), grouped by what the rules look at, as Chinese text or a JSON array.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use xxgk_check::{RuleDef, RULES};

use crate::cli::{RulesArgs, RulesFormat};

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

/// The title of the group a rule is listed under ("其他" when none fits: a new prefix).
pub fn group_of(rule: &RuleDef) -> &'static str {
    GROUPS
        .iter()
        .find(|(_, member)| member(rule))
        .map_or("其他", |(title, _)| title)
}

/// The rules grouped, groups in the order of [`GROUPS`] (then "其他"), rules in catalogue order.
fn grouped() -> Vec<(&'static str, Vec<&'static RuleDef>)> {
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

pub fn run(args: &RulesArgs) -> Result<ExitCode> {
    let text = match args.format {
        RulesFormat::Text => text(),
        RulesFormat::Json => json()?,
    };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("无法写出结果")),
    }
}

/// The catalogue as Chinese text, one block per rule under its group's heading.
pub fn text() -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "共 {} 条检查规则（读取时发现的问题，规则 READ-…，由读取器给出，不在此列）\n",
        RULES.len()
    ));
    for (group, rules) in grouped() {
        out.push_str(&format!("\n{group}（{} 条）\n", rules.len()));
        for rule in rules {
            out.push_str(&format!(
                "\n  {}  {}  {}\n    {}\n    依据：{}\n",
                rule.id,
                rule.severity.label(),
                rule.title,
                rule.explanation,
                rule.reference
            ));
        }
    }
    out
}

/// The catalogue as a pretty-printed JSON array, in the order of [`text`].
pub fn json() -> Result<String> {
    let items: Vec<serde_json::Value> = grouped()
        .into_iter()
        .flat_map(|(group, rules)| {
            rules.into_iter().map(move |rule| {
                serde_json::json!({
                    "id": rule.id,
                    "severity": rule.severity.label(),
                    "severity_id": rule.severity.id(),
                    "group": group,
                    "title": rule.title,
                    "explanation": rule.explanation,
                    "reference": rule.reference,
                    "series": rule.series,
                })
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_once_and_in_a_named_group() {
        let listed: Vec<&str> = grouped()
            .iter()
            .flat_map(|(_, rules)| rules.iter().map(|r| r.id))
            .collect();
        assert_eq!(listed.len(), RULES.len());
        for rule in RULES {
            assert!(listed.contains(&rule.id), "{}", rule.id);
            assert_ne!(group_of(rule), "其他", "{} has no group", rule.id);
        }
        assert_eq!(
            group_of(xxgk_check::rule_by_id("TEXT-RECEIVED").expect("rule")),
            "正文与表格"
        );
        assert_eq!(
            group_of(xxgk_check::rule_by_id("T3-BALANCE").expect("rule")),
            "表格勾稽关系"
        );
    }
}
