//! `xxgk rules`: the rule catalogues (identifier, severity, title, explanation, reference) of the
//! reader (`xxgk_read::rules`, 读取) and of the checks (`xxgk_check::RULES`, 校验, grouped by what
//! the rules look at), as Chinese text or a JSON array.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use xxgk_check::{RuleDef, RULES};
use xxgk_read::rules::RULES as READ_RULES;

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

/// The heading of the reader's rules.
const READ_GROUP: &str = "读取";
/// The heading of the checks' rules (then grouped by [`GROUPS`]).
const CHECK_GROUP: &str = "校验";

/// The rule of a finding's id, from either catalogue.
pub fn rule_def(id: &str) -> Option<&'static RuleDef> {
    xxgk_check::rule_by_id(id).or_else(|| xxgk_read::rules::rule_by_id(id))
}

/// The title of the group a check rule is listed under ("其他" when none fits: a new prefix).
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

/// One rule as a block of text.
fn rule_block(out: &mut String, rule: &RuleDef) {
    out.push_str(&format!(
        "\n  {}  {}  {}\n    {}\n    依据：{}\n",
        rule.id,
        rule.severity.label(),
        rule.title,
        rule.explanation,
        rule.reference
    ));
}

/// The catalogues as Chinese text: the reader's rules, then the checks' under their groups.
pub fn text() -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "共 {} 条规则：{READ_GROUP}（读取报告时发现的问题）{} 条，{CHECK_GROUP}（检查报告内容发现的问题）{} 条\n",
        READ_RULES.len() + RULES.len(),
        READ_RULES.len(),
        RULES.len()
    ));
    out.push_str(&format!("\n{READ_GROUP}（{} 条）\n", READ_RULES.len()));
    for rule in READ_RULES {
        rule_block(&mut out, rule);
    }
    out.push_str(&format!("\n{CHECK_GROUP}（{} 条）\n", RULES.len()));
    for (group, rules) in grouped() {
        out.push_str(&format!("\n{CHECK_GROUP}·{group}（{} 条）\n", rules.len()));
        for rule in rules {
            rule_block(&mut out, rule);
        }
    }
    out
}

/// The catalogues as a pretty-printed JSON array, in the order of [`text`].
pub fn json() -> Result<String> {
    let item = |stage: &str, group: &str, rule: &RuleDef| {
        serde_json::json!({
            "id": rule.id,
            "severity": rule.severity.label(),
            "severity_id": rule.severity.id(),
            "stage": stage,
            "group": group,
            "title": rule.title,
            "explanation": rule.explanation,
            "reference": rule.reference,
            "series": rule.series,
        })
    };
    let items: Vec<serde_json::Value> = READ_RULES
        .iter()
        .map(|rule| item("read", READ_GROUP, rule))
        .chain(grouped().into_iter().flat_map(|(group, rules)| {
            rules
                .into_iter()
                .map(move |rule| item("check", group, rule))
        }))
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

    #[test]
    fn reader_and_check_ids_do_not_collide_and_both_are_listed() {
        for r in READ_RULES {
            assert!(xxgk_check::rule_by_id(r.id).is_none(), "{}", r.id);
        }
        let text = text();
        assert!(text.contains("\n读取（"), "{text}");
        assert!(text.contains("\n  READ-ROW-MISSING  警告  未读到表格中的某一行\n"));
        assert!(text.contains("\n校验·表格勾稽关系（"));
        let read_at = text.find("READ-TABLE-MISSING").expect("listed");
        let check_at = text.find("T3-BALANCE").expect("listed");
        assert!(read_at < check_at);
        let json: serde_json::Value = serde_json::from_str(&json().expect("json")).expect("parses");
        let items = json.as_array().expect("array");
        assert_eq!(items.len(), READ_RULES.len() + RULES.len());
        let stage_of = |id: &str| {
            items
                .iter()
                .find(|i| i["id"] == id)
                .map(|i| i["stage"].clone())
        };
        assert_eq!(stage_of("READ-ROW-BY-ORDER"), Some("read".into()));
        assert_eq!(stage_of("CROSS-CARRY-OVER"), Some("check".into()));
    }

    #[test]
    fn the_unreadable_rule_of_the_command_line_is_in_the_reader_catalogue() {
        let def = rule_def(xxgk_read::rules::UNREADABLE).expect("listed");
        assert_eq!(def.severity, xxgk_model::Severity::Error);
        assert_eq!(rule_def("T3-BALANCE").map(|r| r.id), Some("T3-BALANCE"));
        assert!(rule_def("NO-SUCH").is_none());
    }

    #[test]
    fn references_never_cite_a_file_users_do_not_have() {
        let all = xxgk_read::rules::RULES
            .iter()
            .chain(xxgk_check::RULES.iter());
        for rule in all {
            for text in [rule.reference, rule.explanation] {
                assert!(
                    !text.contains(".md") && !text.contains("spec"),
                    "{} cites a file users do not have: {text}",
                    rule.id
                );
            }
        }
    }
}
