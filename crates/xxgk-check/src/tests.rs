//! One test per rule: it fires on a report with the defect and stays silent on a correct one.
//! Reports are built by hand ([`crate::testutil`]): a consistent report, then one thing broken.
//!
//! `every_rule_has_a_firing_and_a_silent_test` keeps this file complete: each rule of the
//! catalogue must appear in a `fires(…, "ID")` and a `silent(…, "ID")` call below.

use xxgk_model::catalogue::{Format, TableId};
use xxgk_model::{Date, Finding, Number, Report, Severity, Sourced, Span, Value};

use crate::testutil::{consistent, part_mut, set, set_text, AGENCY};
use crate::{check, check_series, RULES};

/// The findings of `rule`, at least one (panics with every finding otherwise).
fn fires(findings: &[Finding], rule: &str) -> Vec<Finding> {
    let of: Vec<Finding> = findings
        .iter()
        .filter(|f| f.rule == rule)
        .cloned()
        .collect();
    assert!(
        !of.is_empty(),
        "{rule} did not fire; findings: {:#?}",
        findings
            .iter()
            .map(|f| (f.rule, &f.message))
            .collect::<Vec<_>>()
    );
    of
}

/// No finding of `rule`.
fn silent(findings: &[Finding], rule: &str) {
    let of: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
    assert!(of.is_empty(), "{rule} fired: {of:#?}");
}

fn r21() -> Report {
    consistent(Format::F2021)
}

fn r19() -> Report {
    consistent(Format::F2019)
}

fn ids(f: &Finding) -> Vec<String> {
    f.cells.iter().map(ToString::to_string).collect()
}

fn decimal(mantissa: i64, scale: u8) -> Value {
    Value::Number(Number::Decimal { mantissa, scale })
}

/// Move a report to another year: title, year, statistics period, publication date and the
/// opening of part 一.
fn with_year(r: &mut Report, y: i32) {
    let old = r.meta.year.unwrap_or(y);
    if let Some(t) = r.meta.title.as_mut() {
        t.value = t.value.replace(&old.to_string(), &y.to_string());
    }
    r.meta.year = Some(y);
    r.meta.period = Date::new(y, 1, 1)
        .zip(Date::new(y, 12, 31))
        .map(|p| Sourced {
            value: p,
            span: Span::line(3),
        });
    r.meta.published = Date::new(y + 1, 1, 20).map(|d| Sourced {
        value: d,
        span: Span::line(90),
    });
    let s = part_mut(r, 1);
    s.text = s.text.replace(&old.to_string(), &y.to_string());
}

/// The findings of `cur` when checked after `prev` (asserting nothing is attached to `prev`).
fn series(prev: &Report, cur: &Report) -> Vec<Finding> {
    let out = check_series(&[prev, cur]);
    assert!(
        out.iter().all(|(i, _)| *i == 1),
        "finding attached to the earlier report"
    );
    out.into_iter().map(|(_, f)| f).collect()
}

/// Two consecutive years of one agency whose numbers and text differ and agree.
fn pair21() -> (Report, Report) {
    let mut prev = r21();
    with_year(&mut prev, 2023);
    set(
        &mut prev,
        "active.normative_documents.in_force",
        Value::int(18),
    );
    set(&mut prev, "active.licensing.decisions", Value::int(99));
    set_text(
        &mut prev,
        1,
        "2023年，本局围绕优化营商环境开展专项公开，新设惠企政策专栏，组织线上培训三次，群众对公开工作的满意度明显提高。",
    );
    set_text(
        &mut prev,
        5,
        "存在的问题主要是栏目更新不够及时、解读材料数量偏少。改进措施：建立栏目巡查制度，每月通报，并邀请专家参与政策解读。",
    );
    (prev, r21())
}

// ------------------------------------------------------------------------------ baseline

#[test]
fn consistent_reports_have_no_findings() {
    for r in [r21(), r19()] {
        let f = check(&r);
        assert!(
            f.is_empty(),
            "{:#?}",
            f.iter().map(|f| (f.rule, &f.message)).collect::<Vec<_>>()
        );
    }
    let (prev, cur) = pair21();
    assert!(series(&prev, &cur).is_empty(), "{:#?}", series(&prev, &cur));
}

#[test]
fn every_finding_has_the_catalogue_severity() {
    let mut r = r21();
    set(&mut r, "appeals.review.total", Value::Blank);
    set(&mut r, "requests.granted.total", Value::int(-5));
    r.meta.published = None;
    for f in check(&r) {
        let def = crate::rule_by_id(f.rule).expect("catalogue rule");
        assert_eq!(f.severity, def.severity, "{}", f.rule);
        assert!(!def.series, "{} is a series rule", f.rule);
    }
}

// ------------------------------------------------------------------------------ tables

#[test]
fn t3_balance() {
    silent(&check(&r21()), "T3-BALANCE");
    let mut r = r21();
    set(
        &mut r,
        "requests.new_received.natural_person",
        Value::int(4),
    );
    let f = fires(&check(&r), "T3-BALANCE");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.starts_with("表三“自然人”列："),
        "{}",
        f[0].message
    );
    assert!(f[0]
        .message
        .contains("一、本年新收政府信息公开申请数量（4）"));
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("5"), Some("8"))
    );
    assert!(ids(&f[0]).contains(&"requests.new_received.natural_person".to_string()));
    assert!(!f[0].spans.is_empty());
}

#[test]
fn t3_outcome_sum() {
    silent(&check(&r21()), "T3-OUTCOME-SUM");
    silent(&check(&r19()), "T3-OUTCOME-SUM");
    let mut r = r21();
    set(&mut r, "requests.granted.natural_person", Value::int(4));
    let f = fires(&check(&r), "T3-OUTCOME-SUM");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("8"), Some("7"))
    );
    assert!(f[0].message.contains("（七）总计"));
    // 2019: the single （六）其他处理 row counts.
    let mut r = r19();
    set(&mut r, "requests.other.research_institution", Value::int(0));
    let f = fires(&check(&r), "T3-OUTCOME-SUM");
    assert!(
        f[0].message.contains("法人或其他组织·科研机构"),
        "{}",
        f[0].message
    );
}

#[test]
fn t3_row_total() {
    silent(&check(&r21()), "T3-ROW-TOTAL");
    let mut r = r21();
    set(&mut r, "requests.granted.total", Value::int(19));
    let f = fires(&check(&r), "T3-ROW-TOTAL");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.starts_with("表三“（一）予以公开”行："),
        "{}",
        f[0].message
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("18"), Some("19"))
    );
    assert_eq!(f[0].cells.len(), 7);
}

#[test]
fn t3_carried_forward_bound() {
    silent(&check(&r21()), "T3-CARRIED-FORWARD-BOUND");
    let mut r = r21();
    set(
        &mut r,
        "requests.carried_forward.natural_person",
        Value::int(20),
    );
    let f = fires(&check(&r), "T3-CARRIED-FORWARD-BOUND");
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("≤ 8"), Some("20"))
    );
}

#[test]
fn t3_other_share() {
    silent(&check(&r21()), "T3-OTHER-SHARE");
    silent(&check(&r19()), "T3-OTHER-SHARE");
    let mut r = r21();
    set(&mut r, "requests.other_other.total", Value::int(30));
    set(&mut r, "requests.total.total", Value::int(60));
    let f = fires(&check(&r), "T3-OTHER-SHARE");
    assert!(
        f[0].message.contains("（六）其他处理·3.其他"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].found.as_deref(), Some("50%"));
}

#[test]
fn t2_in_force_bound() {
    silent(&check(&r21()), "T2-IN-FORCE-BOUND");
    let mut r = r21();
    set(&mut r, "active.normative_documents.repealed", Value::int(0));
    set(&mut r, "active.normative_documents.in_force", Value::int(2));
    let f = fires(&check(&r), "T2-IN-FORCE-BOUND");
    assert!(f[0].message.contains("行政规范性文件"));
}

#[test]
fn t2_published_bound() {
    silent(&check(&r19()), "T2-PUBLISHED-BOUND");
    let mut r = r19();
    set(
        &mut r,
        "active.normative_documents.new_published",
        Value::int(30),
    );
    let f = fires(&check(&r), "T2-PUBLISHED-BOUND");
    assert!(
        f[0].message
            .contains("本年新公开数量（30）大于对外公开总数量（20）"),
        "{}",
        f[0].message
    );
}

#[test]
fn t4_group_total() {
    silent(&check(&r21()), "T4-GROUP-TOTAL");
    let mut r = r21();
    set(&mut r, "appeals.review.total", Value::int(3));
    let f = fires(&check(&r), "T4-GROUP-TOTAL");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.starts_with("表四“行政复议”："),
        "{}",
        f[0].message
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("2"), Some("3"))
    );
}

#[test]
fn unverifiable_identities_are_neither_passed_nor_failed() {
    silent(&check(&r21()), "UNVERIFIABLE");
    let mut r = r21();
    for c in ["upheld", "corrected", "other", "pending", "total"] {
        set(&mut r, &format!("appeals.review.{c}"), Value::Blank);
    }
    let found = check(&r);
    silent(&found, "T4-GROUP-TOTAL");
    let f = fires(&found, "UNVERIFIABLE");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Info);
    assert!(f[0].message.contains("T4-GROUP-TOTAL"));
    assert!(f[0].message.contains("无法核验"));
    assert!(f[0].message.contains("单元格空白"));
    assert_eq!(f[0].cells.len(), 5);

    // One blank cell of table 三: its column sum and its row total cannot be checked; the
    // balance of its column does not involve it and is still checked.
    let mut r = r21();
    set(
        &mut r,
        "requests.unavailable_unclear_after_correction.natural_person",
        Value::Blank,
    );
    set(
        &mut r,
        "requests.granted.commercial_enterprise",
        Value::Text("/".into()),
    );
    let found = check(&r);
    let f = fires(&found, "UNVERIFIABLE");
    let rules: Vec<&str> = f
        .iter()
        .filter_map(|f| {
            ["T3-OUTCOME-SUM", "T3-ROW-TOTAL", "T3-BALANCE"]
                .into_iter()
                .find(|r| f.message.contains(r))
        })
        .collect();
    assert_eq!(
        rules,
        [
            "T3-OUTCOME-SUM",
            "T3-OUTCOME-SUM",
            "T3-ROW-TOTAL",
            "T3-ROW-TOTAL"
        ]
    );
    assert!(f.iter().any(|f| f.message.contains("填写“/”")));
    silent(&found, "T3-OUTCOME-SUM");
    silent(&found, "T3-ROW-TOTAL");
    silent(&found, "T3-BALANCE");
}

// ------------------------------------------------------------------------------ values

#[test]
fn value_negative() {
    silent(&check(&r21()), "VALUE-NEGATIVE");
    // 2019 本年增/减 may be negative.
    silent(&check(&r19()), "VALUE-NEGATIVE");
    let mut r = r21();
    set(&mut r, "requests.granted.natural_person", Value::int(-1));
    let f = fires(&check(&r), "VALUE-NEGATIVE");
    assert_eq!(ids(&f[0]), ["requests.granted.natural_person"]);
    assert_eq!(f[0].found.as_deref(), Some("-1"));
}

#[test]
fn value_not_integer() {
    // Amounts may be decimals.
    silent(&check(&r21()), "VALUE-NOT-INTEGER");
    silent(&check(&r19()), "VALUE-NOT-INTEGER");
    let mut r = r21();
    set(&mut r, "active.licensing.decisions", decimal(125, 1));
    let f = fires(&check(&r), "VALUE-NOT-INTEGER");
    assert!(
        f[0].message
            .contains("表二“行政许可”行“本年处理决定数量”列为 12.5"),
        "{}",
        f[0].message
    );
}

#[test]
fn value_text() {
    silent(&check(&r21()), "VALUE-TEXT");
    let mut r = r21();
    set(
        &mut r,
        "requests.granted.commercial_enterprise",
        Value::Text("/".into()),
    );
    set(
        &mut r,
        "requests.granted.research_institution",
        Value::Text("无".into()),
    );
    let f = fires(&check(&r), "VALUE-TEXT");
    assert_eq!(f.len(), 1, "one finding per row");
    assert!(
        f[0].message
            .contains("“法人或其他组织·商业企业”单元格填写“/”"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].found.as_deref(), Some("/、无"));
}

#[test]
fn value_blank() {
    silent(&check(&r21()), "VALUE-BLANK");
    let mut r = r21();
    for c in ["upheld", "corrected", "other", "pending", "total"] {
        set(&mut r, &format!("appeals.review.{c}"), Value::Blank);
    }
    set(&mut r, "requests.carried_forward.total", Value::Blank);
    let f = fires(&check(&r), "VALUE-BLANK");
    assert_eq!(f.len(), 2, "one finding per row");
    assert!(f.iter().any(|f| f.cells.len() == 5
        && f.message.starts_with(
            "表四“行政复议”的“结果维持”“结果纠正”“其他结果”“尚未审结”“总计”单元格空白"
        )));
    assert!(f
        .iter()
        .any(|f| ids(f) == ["requests.carried_forward.total"]));
}

#[test]
fn value_fee_unit() {
    silent(&check(&r21()), "VALUE-FEE-UNIT");
    let mut r = r21();
    set(&mut r, "active.fees.amount", Value::int(251000));
    let f = fires(&check(&r), "VALUE-FEE-UNIT");
    assert_eq!(f[0].expected.as_deref(), Some("25.1（万元）"));
    let mut r = r21();
    set(&mut r, "active.fees.amount", Value::Text("3000元".into()));
    fires(&check(&r), "VALUE-FEE-UNIT");
    let mut r = r21();
    set(&mut r, "active.fees.amount", Value::Text("1.2万元".into()));
    let found = check(&r);
    silent(&found, "VALUE-FEE-UNIT");
    fires(&found, "VALUE-TEXT");
}

// ------------------------------------------------------------------------------ structure

#[test]
fn struct_parts() {
    silent(&check(&r21()), "STRUCT-PARTS");
    let mut r = r21();
    r.sections.retain(|s| s.part != 5);
    let f = fires(&check(&r), "STRUCT-PARTS");
    assert!(
        f[0].message.contains("第五部分“存在的主要问题及改进情况”"),
        "{}",
        f[0].message
    );
}

#[test]
fn struct_order() {
    silent(&check(&r21()), "STRUCT-ORDER");
    let mut r = r21();
    r.sections.swap(4, 5);
    let f = fires(&check(&r), "STRUCT-ORDER");
    assert_eq!(f[0].found.as_deref(), Some("一、二、三、四、六、五"));
}

#[test]
fn struct_numbering() {
    silent(&check(&r21()), "STRUCT-NUMBERING");
    let mut r = r21();
    part_mut(&mut r, 5).marker = "5、".into();
    let f = fires(&check(&r), "STRUCT-NUMBERING");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("五、"), Some("5、"))
    );
    assert!(!f[0].spans.is_empty());
}

#[test]
fn struct_table_missing() {
    silent(&check(&r21()), "STRUCT-TABLE-MISSING");
    let mut r = r21();
    r.cells.retain(|id, _| id.table != TableId::Appeals);
    let f = fires(&check(&r), "STRUCT-TABLE-MISSING");
    assert!(
        f[0].message.contains("表四") && f[0].message.contains("图片"),
        "{}",
        f[0].message
    );
    // Not repeated when the reader said so: its finding names the missing table's cells.
    let review_total = xxgk_model::CellId::parse("appeals.review.total").unwrap();
    r.findings.push(
        Finding::new("READ-TABLE-MISSING", Severity::Error, "未读到表四").cells([review_total]),
    );
    silent(&check(&r), "STRUCT-TABLE-MISSING");
    // A reader finding about another table does not hide this one.
    let mut r2 = r21();
    r2.cells.retain(|id, _| id.table != TableId::Appeals);
    let granted = xxgk_model::CellId::parse("requests.granted.total").unwrap();
    r2.findings
        .push(Finding::new("READ-TABLE-MISSING", Severity::Error, "未读到表四").cells([granted]));
    fires(&check(&r2), "STRUCT-TABLE-MISSING");
}

#[test]
fn format_year() {
    silent(&check(&r21()), "FORMAT-YEAR");
    silent(&check(&r19()), "FORMAT-YEAR");
    let mut r = r19();
    with_year(&mut r, 2022);
    let f = fires(&check(&r), "FORMAT-YEAR");
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("2021"), Some("2019"))
    );
    assert!(f[0].message.contains("国办公开办函〔2021〕30号"));
    assert!(f[0].message.contains("本年新制作数量"), "{}", f[0].message);
    let mut r = r21();
    with_year(&mut r, 2020);
    fires(&check(&r), "FORMAT-YEAR");
}

/// A 2021+ report whose table 二 is read in the 2021 format (most of it prints 2021 labels) but
/// prints one old header or row: the old labels are found in part 二's printed cells.
#[test]
fn format_year_old_labels_in_a_table_of_the_right_format() {
    let table =
        "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0";
    let mut r = r21();
    set_text(&mut r, 2, table);
    silent(&check(&r), "FORMAT-YEAR");
    // Prose that names an old label is not a table cell.
    set_text(
        &mut r,
        2,
        &format!("{table}\n本年新制作数量较上年有所增加。"),
    );
    silent(&check(&r), "FORMAT-YEAR");

    set_text(&mut r, 2, &table.replace("本年制发件数", "本年新制作数量"));
    let f = fires(&check(&r), "FORMAT-YEAR");
    assert!(
        f[0].message.contains("“本年新制作数量”"),
        "{}",
        f[0].message
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("2021"), Some("2019（本年新制作数量）"))
    );
    // The header is on the second line of the part's text, which ends at `end_line`.
    let s = part_mut(&mut r, 2);
    assert_eq!(f[0].spans, vec![Span::line(s.end_line - 1)]);

    // An old row in a pipe table, and a 2021 header with its unit in a 2020 report.
    set_text(&mut r, 2, "| 政府集中采购 | 3 | 12.5 |");
    fires(&check(&r), "FORMAT-YEAR");
    let mut r = r19();
    set_text(
        &mut r,
        2,
        "信息内容 本年收费金额（单位：万元）\n行政事业性收费 0",
    );
    let f = fires(&check(&r), "FORMAT-YEAR");
    assert!(f[0].message.contains("“本年收费金额”"), "{}", f[0].message);
}

#[test]
fn format_self_modified() {
    silent(&check(&r21()), "FORMAT-SELF-MODIFIED");
    silent(&check(&r19()), "FORMAT-SELF-MODIFIED");
    let mut r = r21();
    r.cells
        .retain(|id, _| !(id.table == TableId::Requests && id.row.starts_with("other_")));
    for c in [
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "social_welfare_organization",
        "legal_service_organization",
        "other_organization",
    ] {
        set(&mut r, &format!("requests.other.{c}"), Value::int(1));
    }
    set(&mut r, "requests.other.total", Value::int(6));
    let found = check(&r);
    let f = fires(&found, "FORMAT-SELF-MODIFIED");
    assert_eq!(f[0].cells.len(), 7);
    // The totals are checked with the single row.
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn part1_accountability() {
    silent(&check(&r21()), "PART1-ACCOUNTABILITY");
    let mut r = r21();
    r.meta.agency = Some("某市人民政府".into());
    fires(&check(&r), "PART1-ACCOUNTABILITY");
    let s = part_mut(&mut r, 1);
    s.text
        .push_str("本年度政务公开工作纳入绩效考核，未发生责任追究情况。");
    silent(&check(&r), "PART1-ACCOUNTABILITY");
}

#[test]
fn part6_items() {
    for rule in ["PART6-FEES", "PART6-KEY-POINTS", "PART6-PROPOSALS"] {
        silent(&check(&r21()), rule);
    }
    let mut r = r21();
    set_text(&mut r, 6, "无。");
    let found = check(&r);
    fires(&found, "PART6-FEES");
    fires(&found, "PART6-KEY-POINTS");
    let f = fires(&found, "PART6-PROPOSALS");
    assert!(
        f[0].message
            .starts_with("第六部分“其他需要报告的事项”没有说明"),
        "{}",
        f[0].message
    );
    // Real statements of the fee without the word 收费 or 信息处理费 (seeds, real reports).
    for said in [
        "本机关未收取任何费用。",
        "本年度无因政府信息公开申请收取费用的情况。",
        "依申请公开工作中未向申请人收取相关费用。",
    ] {
        set_text(&mut r, 6, said);
        silent(&check(&r), "PART6-FEES");
    }
    // A 2020 report (2019 format) need not state them.
    let mut r = r19();
    set_text(&mut r, 6, "无。");
    let found = check(&r);
    silent(&found, "PART6-FEES");
    silent(&found, "PART6-KEY-POINTS");
    silent(&found, "PART6-PROPOSALS");
}

// ------------------------------------------------------------------------------ dates

#[test]
fn date_year_mismatch() {
    silent(&check(&r21()), "DATE-YEAR-MISMATCH");
    let mut r = r21();
    r.meta.period = Date::new(2023, 1, 1)
        .zip(Date::new(2023, 12, 31))
        .map(|p| Sourced {
            value: p,
            span: Span::line(3),
        });
    let f = fires(&check(&r), "DATE-YEAR-MISMATCH");
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("2024"), Some("2023"))
    );
    assert_eq!(f[0].spans, [Span::line(1), Span::line(3)]);
    let mut r = r21();
    let s = part_mut(&mut r, 1);
    s.text = s.text.replacen("2024年，", "2023年，", 1);
    fires(&check(&r), "DATE-YEAR-MISMATCH");
}

#[test]
fn date_published_missing() {
    silent(&check(&r21()), "DATE-PUBLISHED-MISSING");
    let mut r = r21();
    r.meta.published = None;
    fires(&check(&r), "DATE-PUBLISHED-MISSING");
}

#[test]
fn date_late() {
    silent(&check(&r21()), "DATE-LATE");
    let mut r = r21();
    r.meta.published = Date::new(2025, 2, 15).map(|d| Sourced {
        value: d,
        span: Span::line(90),
    });
    let f = fires(&check(&r), "DATE-LATE");
    assert_eq!(f[0].expected.as_deref(), Some("不晚于 2025-01-31"));
    // A government's own report is due by 31 March.
    r.meta.agency = Some("某市人民政府".into());
    silent(&check(&r), "DATE-LATE");
    r.meta.published = Date::new(2025, 4, 2).map(|d| Sourced {
        value: d,
        span: Span::line(90),
    });
    fires(&check(&r), "DATE-LATE");
}

#[test]
fn date_published_before_year_end() {
    silent(&check(&r21()), "DATE-PUBLISHED-BEFORE-YEAR-END");
    let mut r = r21();
    r.meta.published = Date::new(2024, 12, 30).map(|d| Sourced {
        value: d,
        span: Span::line(90),
    });
    let found = check(&r);
    fires(&found, "DATE-PUBLISHED-BEFORE-YEAR-END");
    silent(&found, "DATE-LATE");
}

// ------------------------------------------------------------------------------ narrative

/// r21 with part 一 replaced.
fn text21(t: &str) -> Vec<Finding> {
    let mut r = r21();
    set_text(&mut r, 1, t);
    check(&r)
}

#[test]
fn text_received() {
    silent(&check(&r21()), "TEXT-RECEIVED");
    let f = fires(&text21("全年收到政府信息公开申请50件。"), "TEXT-RECEIVED");
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("42"), Some("50"))
    );
    assert!(
        f[0].message.contains("“全年收到政府信息公开申请50件”"),
        "{}",
        f[0].message
    );
    assert_eq!(ids(&f[0]), ["requests.new_received.total"]);
    // 一 + 二 (受理 counted with the carried-over requests) agrees.
    silent(&text21("共受理政府信息公开申请48件。"), "TEXT-RECEIVED");
    // Another period, another object.
    silent(
        &text21("2023年收到申请50件。收到人大代表建议50件。"),
        "TEXT-RECEIVED",
    );
    fires(&text21("全年共接收政府信息公开申请41件。"), "TEXT-RECEIVED");
    // Words between the verb and the application noun.
    let f = fires(
        &text21("全年共受理公民、法人和其他组织提出的政府信息公开申请26件。"),
        "TEXT-RECEIVED",
    );
    assert_eq!(f[0].found.as_deref(), Some("26"));
    silent(
        &text21("全年共受理公民、法人和其他组织提出的政府信息公开申请42件。"),
        "TEXT-RECEIVED",
    );
    for said in [
        // Another kind of application, another period, a negation, applicants.
        "全年受理行政许可申请1200件，政府信息公开工作有序开展。",
        "全年收到较上年有所增加的政府信息公开申请50件。",
        "全年收到人大代表建议和政协提案涉及政府信息公开申请的5件。",
        "全年收到的政府信息公开申请人数为30人。",
    ] {
        silent(&text21(said), "TEXT-RECEIVED");
    }
}

/// Counts of documents by disclosure attribute (主动公开 / 依申请公开 / 不予公开) are not counts of
/// applications: no narrative rule of table 三 reads them.
#[test]
fn text_attribute_counts_are_not_applications() {
    for said in [
        "2024年共制发公文365件，经公开属性审查，其中主动公开49件，依申请公开316件，不予公开0件。",
        "全年共受理公文公开属性审核365件，主动公开49件，依申请公开316件。",
        "全年共办理公文365件，主动公开49件，依申请公开316件。",
        "本年度主动公开政府信息1049条，依申请公开316条。",
        // Items by attribute or applications? Not tied to one reading: not compared.
        "2024年，本机关主动公开政府信息1049条，办理依申请公开316件。",
        "全年主动公开政府信息1049条，受理依申请公开316件。",
    ] {
        let found = text21(said);
        for rule in [
            "TEXT-RECEIVED",
            "TEXT-WORKLOAD",
            "TEXT-HANDLED",
            "TEXT-CARRIED-FORWARD",
            "TEXT-SUBTOTALS",
        ] {
            silent(&found, rule);
        }
    }
    // The same words about applications are read: "受理依申请公开…".
    fires(
        &text21("本年度主动公开政府信息1049条，受理依申请公开申请316件。"),
        "TEXT-RECEIVED",
    );
}

/// A part 一 paragraph as county departments write it: every count agrees with r21's table
/// three (一 42, 二 6, （七）总计 42, 四 6), then the same paragraph with three wrong numbers.
#[test]
fn text_paragraph_of_a_real_report() {
    let agrees = "（二）依申请公开情况。2024年，我局共受理政府信息公开申请42件，上年结转6件，\
                  本年度共办理政府信息公开申请48件。其中，予以公开18件，部分公开6件。\n\
                  全年办结政府信息公开申请42件，均在法定期限内答复，结转至2025年继续办理6件。";
    let found = text21(agrees);
    let text: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule.starts_with("TEXT-"))
        .collect();
    assert!(text.is_empty(), "{text:#?}");
    let wrong = agrees
        .replace("办理政府信息公开申请48件", "办理政府信息公开申请50件")
        .replace("办结政府信息公开申请42件", "办结政府信息公开申请40件")
        .replace("继续办理6件", "继续办理8件");
    let found = text21(&wrong);
    for (rule, stated) in [
        ("TEXT-WORKLOAD", "50"),
        ("TEXT-HANDLED", "40"),
        ("TEXT-CARRIED-FORWARD", "8"),
    ] {
        let f = fires(&found, rule);
        assert_eq!(f.len(), 1, "{rule}");
        assert_eq!(f[0].found.as_deref(), Some(stated), "{rule}");
    }
    let others: Vec<&Finding> = found
        .iter()
        .filter(|f| {
            f.rule.starts_with("TEXT-")
                && !["TEXT-WORKLOAD", "TEXT-HANDLED", "TEXT-CARRIED-FORWARD"].contains(&f.rule)
        })
        .collect();
    assert!(others.is_empty(), "{others:#?}");
}

#[test]
fn text_workload() {
    // r21: 一 = 42, 二 = 6, （七）总计 = 42, 四 = 6.
    silent(&check(&r21()), "TEXT-WORKLOAD");
    let f = fires(
        &text21("2024年，全年共办理政府信息公开申请50件，已办结42件，结转下年度继续办理6件。"),
        "TEXT-WORKLOAD",
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("48"), Some("50"))
    );
    assert_eq!(
        ids(&f[0]),
        ["requests.new_received.total", "requests.carried_over.total"]
    );
    assert!(
        f[0].message.contains("“全年共办理政府信息公开申请50件”"),
        "{}",
        f[0].message
    );
    fires(&text21("共办理依申请公开事项37件。"), "TEXT-WORKLOAD");
    // Part 三 needs no disclosure word in the sentence.
    let mut r = r21();
    set_text(&mut r, 3, "本年度共办理申请45件。");
    fires(&check(&r), "TEXT-WORKLOAD");
    // 一 + 二, 一 alone and （七）总计 are all readings of "办理".
    for said in [
        "全年共办理政府信息公开申请48件，已办结42件，结转下年度继续办理6件。",
        "本年度共办理政府信息公开申请48件（含上年结转6件），均按时办结。",
        "全年依法依规办理政府信息公开申请42件，上年结转6件。",
        // Other counts with 办理: carried forward, carried over, proposals, other services.
        "结转下年度继续办理5件。",
        "办理上年结转的政府信息公开申请5件。",
        // 办结 (TEXT-HANDLED's), not the workload.
        "全年办理完成政府信息公开申请40件。",
        "办理人大代表建议和政协提案共15件，办理结果均已公开。",
        "全年政务服务中心共办理各类事项12000件。",
        "全年共办理行政复议案件5件。",
    ] {
        silent(&text21(said), "TEXT-WORKLOAD");
    }
}

#[test]
fn text_carried_over() {
    silent(&check(&r21()), "TEXT-CARRIED-OVER");
    fires(
        &text21("上年结转的政府信息公开申请2件已全部办结。"),
        "TEXT-CARRIED-OVER",
    );
    // 一 + 二 together, not 二.
    silent(
        &text21("本年新收和上年结转政府信息公开申请共48件。"),
        "TEXT-CARRIED-OVER",
    );
    let f = fires(
        &text21("上年结转政府信息公开申请 3 件。"),
        "TEXT-CARRIED-OVER",
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("6"), Some("3"))
    );
}

#[test]
fn text_handled() {
    silent(&check(&r21()), "TEXT-HANDLED");
    fires(&text21("全年共办结政府信息公开申请40件。"), "TEXT-HANDLED");
    // One outcome, not all.
    silent(
        &text21("同意公开答复 18 件，不予公开答复 2 件。"),
        "TEXT-HANDLED",
    );
    // Other phrasings of 办结.
    fires(
        &text21("全年办理完成政府信息公开申请40件，结转下年度继续办理6件。"),
        "TEXT-HANDLED",
    );
    let f = fires(
        &text21("2024年共收到政府信息公开申请42件，上年结转6件，已按时办结40件。"),
        "TEXT-HANDLED",
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("42"), Some("40"))
    );
    silent(
        &text21("2024年共收到政府信息公开申请42件，上年结转6件，按时办结42件，结转下年度办理6件。"),
        "TEXT-HANDLED",
    );
    // On time and late: each is a part of the whole.
    silent(
        &text21("全年按时办结政府信息公开申请40件，逾期办结2件。"),
        "TEXT-HANDLED",
    );
}

#[test]
fn text_carried_forward() {
    silent(&check(&r21()), "TEXT-CARRIED-FORWARD");
    let f = fires(&text21("另有9件顺延到下年度答复。"), "TEXT-CARRIED-FORWARD");
    assert_eq!(f[0].found.as_deref(), Some("9"));
    fires(
        &text21("转下一\n年度办理答复的有 1 件。"),
        "TEXT-CARRIED-FORWARD",
    );
    silent(&text21("结转下年办理6件。"), "TEXT-CARRIED-FORWARD");
    // The next year by name, 下一年度, 次年.
    let f = fires(
        &text21(
            "全年共受理政府信息公开申请48件（含上年结转6件），办结42件，结转至2025年继续办理5件。",
        ),
        "TEXT-CARRIED-FORWARD",
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("6"), Some("5"))
    );
    assert_eq!(ids(&f[0]), ["requests.carried_forward.total"]);
    fires(
        &text21("另有5件结转至下一年度办理。"),
        "TEXT-CARRIED-FORWARD",
    );
    fires(&text21("另有5件结转至次年办理。"), "TEXT-CARRIED-FORWARD");
    silent(
        &text21(
            "全年共受理政府信息公开申请48件（含上年结转6件），办结42件，结转至2025年继续办理6件。",
        ),
        "TEXT-CARRIED-FORWARD",
    );
    // A plain "结转 N 件" after the year's outcomes (rules.md §4.5 #20, 高平市 2023).
    let f = fires(
        &text21("全年收到政府信息公开申请42件，予以公开18件，部分公开6件，无法提供12件，其他处理6件，结转5件。"),
        "TEXT-CARRIED-FORWARD",
    );
    assert_eq!(f[0].found.as_deref(), Some("5"));
    silent(
        &text21("全年收到政府信息公开申请42件，予以公开18件，部分公开6件，无法提供12件，其他处理6件，结转6件。"),
        "TEXT-CARRIED-FORWARD",
    );
    // A plain "结转" that may be the carried-over requests is not read.
    for said in [
        "全年收到政府信息公开申请48件（含结转5件）。",
        "全年收到政府信息公开申请47件，其中新收42件，结转5件。",
        "全年办结政府信息公开申请42件，其中结转申请5件。",
        "全年办结政府信息公开申请42件，上年结转5件。",
        // Another year: the one after next.
        "另有5件结转至2026年办理。",
    ] {
        silent(&text21(said), "TEXT-CARRIED-FORWARD");
    }
}

#[test]
fn text_review() {
    silent(&check(&r21()), "TEXT-REVIEW");
    let f = fires(&text21("全年发生政府信息公开行政复议5件。"), "TEXT-REVIEW");
    assert_eq!(ids(&f[0]), ["appeals.review.total"]);
    // Reviews in general (法治政府建设), not about disclosure.
    silent(&text21("全年共办理行政复议案件5件。"), "TEXT-REVIEW");
}

#[test]
fn text_litigation() {
    silent(&check(&r21()), "TEXT-LITIGATION");
    let f = fires(
        &text21("涉及政府信息公开的行政诉讼数为 0 件。"),
        "TEXT-LITIGATION",
    );
    // Two counts joined by "、", each with its number (r21: 行政复议 2, 行政诉讼 1).
    let g = fires(
        &text21("全年发生政府信息公开行政复议2件、行政诉讼3件。"),
        "TEXT-LITIGATION",
    );
    assert_eq!(g[0].found.as_deref(), Some("3"));
    assert_eq!(
        ids(&f[0]),
        [
            "appeals.litigation_direct.total",
            "appeals.litigation_after_review.total"
        ]
    );
}

#[test]
fn text_fee_notice() {
    silent(&check(&r21()), "TEXT-FEE-NOTICE");
    let mut r = r21();
    set(
        &mut r,
        "requests.other_unpaid_fee.natural_person",
        Value::int(1),
    );
    set(&mut r, "requests.other_unpaid_fee.total", Value::int(1));
    // r21's part 六 says "本年度未收取信息处理费": consistent (the applicant did not pay).
    silent(&check(&r), "TEXT-FEE-NOTICE");
    // Part 六 names the fee but says nothing of what was charged or noticed.
    set_text(
        &mut r,
        6,
        "严格落实《政府信息公开信息处理费管理办法》。认真落实上级年度政务公开工作要点。\
         办理人大代表建议和政协提案共15件，办理结果均已公开。",
    );
    let f = fires(&check(&r), "TEXT-FEE-NOTICE");
    assert_eq!(ids(&f[0]), ["requests.other_unpaid_fee.total"]);
    let s = part_mut(&mut r, 6);
    s.text.push_str("本年发出收费通知1件，申请人逾期未缴纳。");
    silent(&check(&r), "TEXT-FEE-NOTICE");
    // What real reports say of the fees: an amount charged (huaian-city-2024.pdf, whose
    // （六）2 is 6), or nothing charged (the applicant did not pay after the notice).
    for said in [
        "2024 年，市政府严格落实《政府信息公开信息处理费管理\n办法》，全年收取政府信息公开信息处理费 3940 元。",
        "本年度未收取信息处理费。",
        "本机关未收取任何费用。",
        "本年度无因政府信息公开申请收取费用的情况。",
        "我局2023年度不存在收费情况。",
    ] {
        set_text(&mut r, 6, said);
        let found = check(&r);
        silent(&found, "TEXT-FEE-NOTICE");
        silent(&found, "PART6-FEES");
    }
}

#[test]
fn text_none_received() {
    silent(&check(&r21()), "TEXT-NONE-RECEIVED");
    let f = fires(
        &text21("2024年，本局未收到政府信息公开申请。"),
        "TEXT-NONE-RECEIVED",
    );
    assert_eq!(f[0].found.as_deref(), Some("42"));
    silent(
        &text21("本年度未收到申请人的补正材料。"),
        "TEXT-NONE-RECEIVED",
    );
}

#[test]
fn text_no_appeals() {
    silent(&check(&r21()), "TEXT-NO-APPEALS");
    let f = fires(
        &text21("本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"),
        "TEXT-NO-APPEALS",
    );
    assert_eq!(f.len(), 2, "review and litigation");
    silent(
        &text21("本年度未发生被行政复议纠错的情况。"),
        "TEXT-NO-APPEALS",
    );
}

#[test]
fn text_all_handled() {
    silent(&check(&r21()), "TEXT-ALL-HANDLED");
    let f = fires(
        &text21("全年收到政府信息公开申请 42 件，所有申请均已按要求办理完成。"),
        "TEXT-ALL-HANDLED",
    );
    assert_eq!(ids(&f[0]), ["requests.carried_forward.total"]);
    fires(
        &text21("全年收到政府信息公开申请 42 件，均按时办结。"),
        "TEXT-ALL-HANDLED",
    );
    silent(&text21("上年结转的申请均已办结。"), "TEXT-ALL-HANDLED");
    silent(&text21("行政审批申请均已办结。"), "TEXT-ALL-HANDLED");
}

#[test]
fn text_subtotals() {
    silent(&check(&r21()), "TEXT-SUBTOTALS");
    // A residual item ("其他") claims the list is complete: 4 + 82 + 64 + 3 = 153.
    let f = fires(
        &text21("主动公开政府信息154条，其中：1.组织机构4条；2.通知公告82条；3.信息公开64条；4.其他3条。"),
        "TEXT-SUBTOTALS",
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("154"), Some("153"))
    );
    // "分别为" claims it too (rules.md §4.5 #20's 高平市 sentence, one item short): 2 + 5 = 7.
    let f = fires(
        &text21("全年共办结政府信息公开申请9件，分别为：部分公开2件，信息不存在5件。"),
        "TEXT-SUBTOTALS",
    );
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("9"), Some("7"))
    );
    let f = fires(
        &text21("全年发布信息10条，其中分别为：通知公告4条、政策解读5条。"),
        "TEXT-SUBTOTALS",
    );
    assert_eq!(f[0].found.as_deref(), Some("9"));
    // Residual items after a Chinese item number or a conjunction.
    fires(
        &text21(
            "主动公开政府信息154条，其中：（一）组织机构4条；（二）通知公告82条；（三）其他60条。",
        ),
        "TEXT-SUBTOTALS",
    );
    fires(
        &text21("主动公开政府信息154条，其中组织机构4条，通知公告82条，以及其他信息60条。"),
        "TEXT-SUBTOTALS",
    );
    // A complete list that adds up.
    silent(
        &text21("全年共办结政府信息公开申请9件，分别为：部分公开2件，信息不存在5件，结转2件。"),
        "TEXT-SUBTOTALS",
    );
    // A "其中" that names only some items is not a claim of completeness.
    silent(
        &text21("主动公开政府信息154条，其中：1.组织机构4条；2.通知公告82条；3.信息公开64条。"),
        "TEXT-SUBTOTALS",
    );
    silent(
        &text21("全年办结政府信息公开申请42件，其中，予以公开12件，部分公开6件。"),
        "TEXT-SUBTOTALS",
    );
    // shanghai-stcsm-2024.md (part 六 of its own outline): overlapping categories, no claim.
    silent(
        &text21(
            "“上海科技”网站全年累计发布信息 2139 条，其中动态类\n信息发布 1744 条，政务信息发布 393 条，\
             解读类信息发布 21 条，\n回应公众关注热点信息 2 条。",
        ),
        "TEXT-SUBTOTALS",
    );
    // "其他法律行政法规禁止公开" is a category of its own, not the rest.
    silent(
        &text21("不予公开10件，其中属于国家秘密2件，其他法律行政法规禁止公开3件。"),
        "TEXT-SUBTOTALS",
    );
    // Partial or incomplete lists are not added up.
    silent(
        &text21(
            "发布政府信息 393 件，其中包括：行政规范性文件 13 件；规划计划文件 2 件；其他 5 件。",
        ),
        "TEXT-SUBTOTALS",
    );
    silent(
        &text21("发布信息 393 件，其中：行政规范性文件 13 件；部门预算、决算信息；其他 2 件。"),
        "TEXT-SUBTOTALS",
    );
    silent(
        &text21("行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件。"),
        "TEXT-SUBTOTALS",
    );
}

// ------------------------------------------------------------------------------ across years

#[test]
fn cross_carry_over() {
    let (mut prev, cur) = pair21();
    silent(&series(&prev, &cur), "CROSS-CARRY-OVER");
    set(
        &mut prev,
        "requests.carried_forward.natural_person",
        Value::int(2),
    );
    let f = fires(&series(&prev, &cur), "CROSS-CARRY-OVER");
    assert_eq!(f.len(), 1);
    assert_eq!(ids(&f[0]), ["requests.carried_over.natural_person"]);
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("2"), Some("1"))
    );
    assert!(
        f[0].message
            .contains("2023 年度报告“四、结转下年度继续办理”为 2"),
        "{}",
        f[0].message
    );
}

#[test]
fn cross_stock() {
    let (mut prev, cur) = pair21();
    silent(&series(&prev, &cur), "CROSS-STOCK");
    set(
        &mut prev,
        "active.normative_documents.in_force",
        Value::int(20),
    );
    let f = fires(&series(&prev, &cur), "CROSS-STOCK");
    assert_eq!(
        (f[0].expected.as_deref(), f[0].found.as_deref()),
        (Some("22"), Some("20"))
    );
    assert!(f[0].message.contains("相差 -2"), "{}", f[0].message);
}

#[test]
fn cross_repealed_bound() {
    let (prev, mut cur) = pair21();
    silent(&series(&prev, &cur), "CROSS-REPEALED-BOUND");
    set(
        &mut cur,
        "active.normative_documents.repealed",
        Value::int(30),
    );
    fires(&series(&prev, &cur), "CROSS-REPEALED-BOUND");
}

#[test]
fn cross_2019_items() {
    let mut prev = r19();
    with_year(&mut prev, 2019);
    set_text(&mut prev, 1, "2019年，本局围绕优化营商环境开展专项公开，新设惠企政策专栏，组织线上培训三次，群众满意度明显提高。");
    set_text(&mut prev, 5, "存在的问题主要是栏目更新不够及时、解读材料数量偏少。改进措施：建立栏目巡查制度，每月通报。");
    let mut cur = r19();
    let found = series(&prev, &cur);
    let f = fires(&found, "CROSS-2019-ITEMS");
    assert!(
        f.iter()
            .any(|f| f.message.contains("表二“行政许可”行：上一年项目数量为 50")),
        "{f:#?}"
    );
    for (row, v) in [
        ("licensing", 48),
        ("other_services", 11),
        ("punishment", 40),
        ("coercion", 5),
        ("fees", 2),
    ] {
        set(
            &mut cur,
            &format!("active.{row}.previous_items"),
            Value::int(v),
        );
    }
    let found = series(&prev, &cur);
    silent(&found, "CROSS-2019-ITEMS");
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn cross_pending() {
    let (mut prev, cur) = pair21();
    silent(&series(&prev, &cur), "CROSS-PENDING");
    set(&mut prev, "appeals.review.pending", Value::int(1));
    let f = fires(&series(&prev, &cur), "CROSS-PENDING");
    assert_eq!(f[0].severity, Severity::Info);
    assert!(
        f[0].message.contains("“行政复议”尚未审结 1"),
        "{}",
        f[0].message
    );
}

#[test]
fn cross_fee_unit() {
    let (prev, mut cur) = pair21();
    silent(&series(&prev, &cur), "CROSS-FEE-UNIT");
    set(&mut cur, "active.fees.amount", Value::int(12500));
    fires(&series(&prev, &cur), "CROSS-FEE-UNIT");
}

#[test]
fn cross_copied_text() {
    let (prev, cur) = pair21();
    silent(&series(&prev, &cur), "CROSS-COPIED-TEXT");
    let mut copy = r21();
    with_year(&mut copy, 2023);
    let f = fires(&series(&copy, &cur), "CROSS-COPIED-TEXT");
    assert_eq!(f.len(), 2, "parts 一 and 五");
    assert_eq!(f[0].found.as_deref(), Some("100%"));
}

#[test]
fn cross_same_tables() {
    let (prev, cur) = pair21();
    silent(&series(&prev, &cur), "CROSS-SAME-TABLES");
    let mut copy = r21();
    with_year(&mut copy, 2023);
    let f = fires(&series(&copy, &cur), "CROSS-SAME-TABLES");
    assert!(f[0].cells.len() >= 3);
}

#[test]
fn series_pairs_only_one_agency_in_consecutive_years() {
    let mut copy = r21();
    with_year(&mut copy, 2023);
    let cur = r21();
    let mut other = copy.clone();
    other.meta.agency = Some("某市卫生健康委员会".into());
    assert!(check_series(&[&other, &cur]).is_empty());
    let mut older = copy.clone();
    with_year(&mut older, 2022);
    assert!(check_series(&[&older, &cur]).is_empty());
    // The later report may come first; the finding names its index.
    let out = check_series(&[&cur, &copy]);
    assert!(!out.is_empty() && out.iter().all(|(i, _)| *i == 0));
    assert!(cur.meta.agency.as_deref() == Some(AGENCY));
}

#[test]
fn cross_duplicate() {
    let (mut prev, mut cur) = pair21();
    prev.source = Some("2023.txt".into());
    cur.source = Some("2024.txt".into());
    // Two years, one report each: no duplicate.
    let out = check_series(&[&prev, &cur]);
    silent(
        &out.into_iter().map(|(_, f)| f).collect::<Vec<_>>(),
        "CROSS-DUPLICATE",
    );
    // The 2024 report given twice (a .txt and a .pdf of it).
    let mut copy = cur.clone();
    copy.source = Some("2024.pdf".into());
    let out = check_series(&[&prev, &cur, &copy]);
    let dup: Vec<&(usize, Finding)> = out
        .iter()
        .filter(|(_, f)| f.rule == "CROSS-DUPLICATE")
        .collect();
    assert_eq!(dup.len(), 1, "{out:#?}");
    assert_eq!(dup[0].0, 2, "the duplicate belongs to the later input");
    let f = &dup[0].1;
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.message.contains("“2024.txt”") && f.message.contains("数字相同"),
        "{}",
        f.message
    );
    assert_eq!(
        (f.expected.as_deref(), f.found.as_deref()),
        (Some("2024.txt"), Some("2024.pdf"))
    );
    // A copy with other numbers says so.
    set(&mut copy, "requests.new_received.total", Value::int(999));
    let out = check_series(&[&prev, &cur, &copy]);
    let f = fires(
        &out.into_iter().map(|(_, f)| f).collect::<Vec<_>>(),
        "CROSS-DUPLICATE",
    );
    assert!(f[0].message.contains("数字不同"), "{}", f[0].message);
}

/// With duplicates on both sides, each pair of years is compared once: one carry-over finding
/// per column, for the first report of the later year.
#[test]
fn duplicates_compare_each_pair_of_years_once() {
    let (mut prev, cur) = pair21();
    set(
        &mut prev,
        "requests.carried_forward.natural_person",
        Value::int(2),
    );
    let out = check_series(&[&prev, &prev, &cur, &cur]);
    let carry: Vec<usize> = out
        .iter()
        .filter(|(_, f)| f.rule == "CROSS-CARRY-OVER")
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(carry, [2]);
    let dups: Vec<usize> = out
        .iter()
        .filter(|(_, f)| f.rule == "CROSS-DUPLICATE")
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(dups, [1, 3]);
    assert_eq!(out.len(), 3, "{out:#?}");
}

/// Fed one report at a time, the later year first: the findings of the pair come when the
/// earlier year arrives, and belong to the later report.
#[test]
fn series_fed_incrementally_attaches_findings_to_the_later_year() {
    let (mut prev, cur) = pair21();
    set(
        &mut prev,
        "requests.carried_forward.natural_person",
        Value::int(2),
    );
    let mut s = crate::Series::new();
    assert!(s.add(10, crate::SeriesFacts::of(&cur)).is_empty());
    let out = s.add(20, crate::SeriesFacts::of(&prev));
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].0, 10);
    assert_eq!(out[0].1.rule, "CROSS-CARRY-OVER");
    // The finding points to the later report's cell and line.
    let span = cur.cells
        [&xxgk_model::CellId::parse("requests.carried_over.natural_person").expect("id")]
        .span;
    assert_eq!(out[0].1.spans, [span]);
    assert_eq!(s.len(), 2);
    // A report with neither agency nor year is not kept.
    let mut anonymous = r21();
    anonymous.meta.agency = None;
    anonymous.meta.agency_printed = None;
    assert!(s.add(30, crate::SeriesFacts::of(&anonymous)).is_empty());
    assert_eq!(s.len(), 2);
}

// ------------------------------------------------------------------------------ coverage

#[test]
fn every_rule_has_a_firing_and_a_silent_test() {
    let src = include_str!("tests.rs");
    let code = src
        .split("fn every_rule_has_a_firing_and_a_silent_test")
        .next()
        .unwrap_or(src);
    // The last string literal among the arguments of each call of `call`.
    let called = |call: &str| -> Vec<String> {
        let mut out = Vec::new();
        for (i, _) in code.match_indices(call) {
            let mut depth = 1;
            let mut literal: Option<String> = None;
            let mut last = None;
            for c in code[i + call.len()..].chars() {
                match (&mut literal, c) {
                    (Some(l), '"') => {
                        last = Some(std::mem::take(l));
                        literal = None;
                    }
                    (Some(l), c) => l.push(c),
                    (None, '"') => literal = Some(String::new()),
                    (None, '(') => depth += 1,
                    (None, ')') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out.extend(last);
        }
        out
    };
    let fired = called("fires(");
    let mut quiet = called("silent(");
    // Rules checked in a loop over their ids.
    for line in code.lines().filter(|l| l.contains("for rule in [")) {
        quiet.extend(line.split('"').skip(1).step_by(2).map(str::to_string));
    }
    for r in RULES {
        assert!(
            fired.iter().any(|f| f == r.id),
            "no test where {} fires",
            r.id
        );
        assert!(
            quiet.iter().any(|f| f == r.id),
            "no test where {} is silent",
            r.id
        );
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    let texts = [
        "",
        "其中",
        "154条，其中",
        "其中：",
        "其中：；；",
        "未收到",
        "行政复议",
        "答复",
        "另有",
        "1件顺延到下年",
        "顺延到下年1",
        "999999999999999999999件申请收到",
        "收到申请999999999999999999999件",
        "１２３\t\n  4 5,6",
        "2024年，",
        "年",
    ];
    for t in texts {
        for part in [1, 3, 4, 6] {
            let mut r = r21();
            set_text(&mut r, part, t);
            let _ = check(&r);
        }
    }
    let mut r = r21();
    for s in &mut r.sections {
        s.part = s.part.wrapping_mul(7);
        s.marker.clear();
        s.line = 0;
        s.end_line = 0;
    }
    r.meta = Default::default();
    let _ = check(&r);
    r.cells.clear();
    r.sections.clear();
    let _ = check(&r);
    let _ = check_series(&[&r, &r]);
}

/// Findings are capped per rule: a report whose every count is negative gives one VALUE-NEGATIVE
/// per cell (over 200), of which MAX_PER_RULE are listed and one more finding counts the rest.
#[test]
fn findings_of_one_rule_are_capped_with_a_count_of_the_rest() {
    let mut r = consistent(Format::F2021);
    let ids: Vec<String> = r.cells.keys().map(|id| id.to_string()).collect();
    for id in &ids {
        set(&mut r, id, Value::Number(Number::Int(-1)));
    }
    let max = xxgk_model::finding::MAX_PER_RULE;
    let negative: Vec<Finding> = check(&r)
        .into_iter()
        .filter(|f| f.rule == "VALUE-NEGATIVE")
        .collect();
    assert!(ids.len() > max + 50, "{} cells", ids.len());
    assert_eq!(negative.len(), max + 1);
    let last = &negative[max];
    assert!(last.cells.is_empty());
    let more: usize = last
        .found
        .as_deref()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    // A signed-count cell (本年增/减) may be negative: every other cell is counted.
    let unsigned = r
        .cells
        .keys()
        .filter(|id| {
            xxgk_model::catalogue::find_cell(Some(Format::F2021), id.table, id.row, id.column)
                .is_some_and(|(_, c)| c.unit != xxgk_model::catalogue::Unit::SignedCount)
        })
        .count();
    assert_eq!(more, unsigned - max);
    assert!(
        last.message.contains(&format!("另有 {more} 条")),
        "{}",
        last.message
    );
}
