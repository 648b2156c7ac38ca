//! `xxgk rules`: the rule catalogues (identifier, severity, title, explanation, reference) of the
//! reader (`xxgk_read::rules`, 读取) and of the checks (`xxgk_check::RULES`, 校验, grouped by what
//! the rules look at), as Chinese text or a JSON array.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use xxgk_check::{RuleDef, RULES};
use xxgk_read::rules::RULES as READ_RULES;

use crate::cli::{RulesArgs, RulesFormat};

#[cfg(test)]
use xxgk_check::groups::group_of;
use xxgk_check::groups::{grouped, CHECK_GROUP, READ_GROUP};

/// The rule of a finding's id, from either catalogue.
pub fn rule_def(id: &str) -> Option<&'static RuleDef> {
    xxgk_check::rule_by_id(id).or_else(|| xxgk_read::rules::rule_by_id(id))
}

/// The stage of a rule (读取 for the reader's, 校验 otherwise) and its definition: the rule
/// sheet of the xlsx workbook.
pub fn rule_stage(id: &str) -> (&'static str, Option<&'static RuleDef>) {
    let stage = if xxgk_read::rules::rule_by_id(id).is_some() {
        READ_GROUP
    } else {
        CHECK_GROUP
    };
    (stage, rule_def(id))
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
