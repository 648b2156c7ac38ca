//! Tables 三 and 四 derived from a small register, every cell worked out by hand; and the
//! property that `xxgk check` finds no error in tables derived from random valid registers.

use proptest::prelude::*;
use xxgk_model::{Format, Severity, TableId};
use xxgk_register::case::FeeBasis;
use xxgk_register::{
    derive_tables, AppealCase, AppealKind, AppealResult, ApplicantType, Application, Calendar,
    Case, Channel, Day, Event, Outcome,
};

fn day(s: &str) -> Day {
    s.parse().expect("a valid date")
}

fn cal() -> Calendar {
    Calendar::shipped().expect("loads")
}

fn app(number: &str, kind: &str, received: &str) -> Application {
    Application {
        number: number.to_string(),
        applicant_type: ApplicantType::parse(kind).expect("a type"),
        applicant_name: "申请人".to_string(),
        contact: "—".to_string(),
        channel: Channel::InPerson,
        received: day(received),
        content: "内容".to_string(),
        form: "纸质".to_string(),
    }
}

fn answered(number: &str, kind: &str, received: &str, date: &str, outcome: &str) -> Case {
    let withheld = (outcome == "partially_granted").then(|| "涉及个人隐私的部分".to_string());
    Case {
        application: app(number, kind, received),
        events: vec![Event::Answer {
            date: day(date),
            outcome: Outcome::parse(outcome).expect("an outcome"),
            withheld,
        }],
    }
}

fn open(number: &str, kind: &str, received: &str) -> Case {
    Case {
        application: app(number, kind, received),
        events: vec![],
    }
}

fn register() -> Vec<Case> {
    vec![
        answered("A", "自然人", "2023-12-20", "2024-01-10", "granted"),
        answered("B", "自然人", "2023-11-01", "2023-12-01", "granted"),
        answered(
            "C",
            "商业企业",
            "2024-03-01",
            "2024-03-20",
            "partially_granted",
        ),
        open("D", "商业企业", "2024-12-20"),
        Case {
            application: app("E", "法律服务机构", "2024-05-06"),
            events: vec![Event::Withdrawal {
                date: day("2024-05-10"),
            }],
        },
        answered(
            "F",
            "自然人",
            "2024-12-30",
            "2025-01-15",
            "denied_state_secret",
        ),
        // Answered before it was received: not counted, listed.
        answered("G", "其他", "2024-06-10", "2024-06-01", "granted"),
    ]
}

fn appeals() -> Vec<AppealCase> {
    let a = |n: &str, kind, filed: &str, concluded: Option<(&str, AppealResult)>| AppealCase {
        number: n.to_string(),
        kind,
        filed: day(filed),
        concluded: concluded.map(|(d, r)| (day(d), r)),
    };
    vec![
        a(
            "R1",
            AppealKind::Review,
            "2023-06-01",
            Some(("2024-02-01", AppealResult::Upheld)),
        ),
        a("R2", AppealKind::Review, "2024-03-01", None),
        a(
            "L1",
            AppealKind::LitigationDirect,
            "2022-01-01",
            Some(("2023-05-01", AppealResult::Corrected)),
        ),
        a(
            "L2",
            AppealKind::LitigationAfterReview,
            "2024-07-01",
            Some(("2025-01-10", AppealResult::Other)),
        ),
        a("L3", AppealKind::LitigationDirect, "2023-02-01", None),
    ]
}

/// 2024 (2021 format), by hand:
/// 一 new: 自然人 F; 商业企业 C, D; 法律服务机构 E → 1, 2, 1, total 4.
/// 二 carried over: A (received 2023-12-20, answered 2024) → 自然人 1. B closed in 2023: not counted.
/// 三: A granted (自然人), C partially (商业企业), E withdrawn → （六）3 (法律服务机构); （七） 3.
/// 四 carried forward: D (open), F (answered 2025) → 商业企业 1, 自然人 1, total 2.
/// 4 + 1 = 3 + 2. G excluded (answer before receipt).
/// Table 四: R1 concluded 2024 upheld; R2 pending; L2 concluded 2025 → pending in 2024; L3
/// pending since 2023 → pending; L1 concluded 2023: not counted.
#[test]
fn a_year_in_the_2021_format_by_hand() {
    let d = derive_tables(2024, &register(), &appeals(), &cal()).expect("derives");
    assert_eq!(d.format, Format::F2021);
    let v = |k: &str| d.report.get(k).and_then(|c| c.value.as_int());
    let expected = [
        ("requests.new_received.natural_person", 1),
        ("requests.new_received.commercial_enterprise", 2),
        ("requests.new_received.legal_service_organization", 1),
        ("requests.new_received.other_organization", 0),
        ("requests.new_received.total", 4),
        ("requests.carried_over.natural_person", 1),
        ("requests.carried_over.total", 1),
        ("requests.granted.natural_person", 1),
        ("requests.partially_granted.commercial_enterprise", 1),
        ("requests.other_other.legal_service_organization", 1),
        ("requests.other_other.total", 1),
        ("requests.denied_state_secret.total", 0),
        ("requests.total.natural_person", 1),
        ("requests.total.commercial_enterprise", 1),
        ("requests.total.legal_service_organization", 1),
        ("requests.total.total", 3),
        ("requests.carried_forward.natural_person", 1),
        ("requests.carried_forward.commercial_enterprise", 1),
        ("requests.carried_forward.total", 2),
        ("appeals.review.upheld", 1),
        ("appeals.review.pending", 1),
        ("appeals.review.total", 2),
        ("appeals.litigation_direct.corrected", 0),
        ("appeals.litigation_direct.pending", 1),
        ("appeals.litigation_direct.total", 1),
        ("appeals.litigation_after_review.other", 0),
        ("appeals.litigation_after_review.pending", 1),
        ("appeals.litigation_after_review.total", 1),
    ];
    for (k, n) in expected {
        assert_eq!(v(k), Some(n), "{k}");
    }
    // Every cell of both tables is present: 25 rows × 7 columns + 3 × 5.
    assert_eq!(d.report.cells.len(), 25 * 7 + 15);
    let prov = |k: &str| {
        let id = xxgk_model::CellId::parse(k).expect("a cell id");
        d.provenance[&id].clone()
    };
    assert_eq!(prov("requests.new_received.total"), ["C", "D", "E", "F"]);
    assert_eq!(prov("requests.carried_forward.total"), ["D", "F"]);
    assert_eq!(prov("appeals.litigation_direct.pending"), ["L3"]);
    assert!(prov("requests.denied_state_secret.total").is_empty());
    assert_eq!(d.excluded.len(), 1);
    assert_eq!(d.excluded[0].0, "G");
    assert!(d.excluded[0].1.contains("第三十一条"));
}

/// 2023 by hand: A (received 2023-12-20) and B are new (自然人 2); B granted; A carried forward.
/// Table 四: R1 pending; L1 concluded 2023 corrected; L3 pending.
/// Carried forward of 2023 (自然人 1: A) is carried over of 2024.
#[test]
fn the_year_before_and_the_carry_over() {
    let y23 = derive_tables(2023, &register(), &appeals(), &cal()).expect("derives");
    let y24 = derive_tables(2024, &register(), &appeals(), &cal()).expect("derives");
    let v =
        |d: &xxgk_register::DerivedTables, k: &str| d.report.get(k).and_then(|c| c.value.as_int());
    assert_eq!(v(&y23, "requests.new_received.natural_person"), Some(2));
    assert_eq!(v(&y23, "requests.granted.natural_person"), Some(1));
    assert_eq!(v(&y23, "requests.carried_forward.natural_person"), Some(1));
    assert_eq!(v(&y23, "appeals.review.pending"), Some(1));
    assert_eq!(v(&y23, "appeals.litigation_direct.corrected"), Some(1));
    assert_eq!(v(&y23, "appeals.litigation_direct.total"), Some(2));
    for col in [
        "natural_person",
        "commercial_enterprise",
        "other_organization",
        "total",
    ] {
        assert_eq!(
            v(&y23, &format!("requests.carried_forward.{col}")),
            v(&y24, &format!("requests.carried_over.{col}")),
            "{col}"
        );
    }
}

/// 2020 is in the 2019 trial format: a withdrawal is counted in the single （六）其他处理.
#[test]
fn the_2019_format_has_a_single_other_row() {
    let cases = vec![
        Case {
            application: app("W", "科研机构", "2020-05-06"),
            events: vec![Event::Withdrawal {
                date: day("2020-05-08"),
            }],
        },
        answered(
            "X",
            "科研机构",
            "2020-06-01",
            "2020-06-10",
            "unprocessed_duplicate",
        ),
    ];
    let d = derive_tables(2020, &cases, &[], &cal()).expect("derives");
    assert_eq!(d.format, Format::F2019);
    let v = |k: &str| d.report.get(k).and_then(|c| c.value.as_int());
    assert_eq!(v("requests.other.research_institution"), Some(1));
    assert_eq!(
        v("requests.unprocessed_duplicate.research_institution"),
        Some(1)
    );
    assert_eq!(v("requests.total.total"), Some(2));
    assert!(d.report.get("requests.other_other.total").is_none());
    assert_eq!(d.report.cells.len(), 23 * 7 + 15);
    assert!(derive_tables(2018, &cases, &[], &cal()).is_err());
}

/// The errors `xxgk check` finds on tables 三 and 四 (the derived report has no parts and no
/// table 二, whose findings are not about the derivation): those naming a cell of the two tables,
/// or naming no cell and the table by name.
fn table_errors(d: &xxgk_register::DerivedTables) -> Vec<String> {
    xxgk_check::check(&d.report)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| {
            f.cells
                .iter()
                .any(|c| matches!(c.table, TableId::Requests | TableId::Appeals))
                || (f.cells.is_empty()
                    && (f.message.contains("表三") || f.message.contains("表四")))
        })
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect()
}

#[test]
fn check_finds_no_error_in_the_hand_example() {
    let mut d = derive_tables(2024, &register(), &appeals(), &cal()).expect("derives");
    assert_eq!(table_errors(&d), Vec::<String>::new());
    // The filter does see the tables' errors: a wrong （七）总计 is one.
    let id = xxgk_model::CellId::parse("requests.total.total").expect("a cell id");
    if let Some(c) = d.report.cells.get_mut(&id) {
        c.value = xxgk_model::Value::int(99);
    }
    assert!(!table_errors(&d).is_empty());
}

/// A random valid case: received in 2019–2026, closed some days later (or not) with any outcome,
/// with the events its outcome needs.
fn arb_case(i: usize) -> impl Strategy<Value = Case> {
    let outcomes: Vec<Outcome> = Outcome::all().collect();
    let n = outcomes.len();
    (
        0i32..2900,
        0usize..6,
        proptest::option::of((0usize..n, 1i32..120)),
    )
        .prop_map(move |(offset, kind, closing)| {
            let received = day("2019-01-01").plus(offset);
            let applicant_type = ApplicantType::all().nth(kind).expect("six types");
            let mut events = Vec::new();
            if let Some((o, after)) = closing {
                let outcome = outcomes[o];
                let date = received.plus(after.max(1));
                match outcome.key() {
                    "other_no_correction" => events.push(Event::CorrectionNotice {
                        date: received,
                        deadline: Some(received.plus(1)),
                    }),
                    "unavailable_unclear_after_correction" => {
                        events.push(Event::CorrectionNotice {
                            date: received,
                            deadline: Some(received.plus(1)),
                        });
                        events.push(Event::CorrectionReceived { date: received });
                    }
                    _ => {}
                }
                let date = if outcome.key() == "other_no_correction" {
                    // After the 补正 deadline (received + 1).
                    received.plus(1 + after)
                } else if outcome.key() == "other_unpaid_fee" {
                    events.push(Event::FeeNotice {
                        date: received,
                        basis: FeeBasis::PerPage { pages: 31 },
                    });
                    // 20 working days are within 60 calendar days in every year shipped.
                    received.plus(60 + after)
                } else {
                    date
                };
                events.push(Event::Answer {
                    date,
                    outcome,
                    withheld: (outcome.key() == "partially_granted").then(|| "部分".to_string()),
                });
            }
            Case {
                application: Application {
                    number: format!("N{i}"),
                    applicant_type,
                    applicant_name: String::new(),
                    contact: String::new(),
                    channel: Channel::Online,
                    received,
                    content: String::new(),
                    form: String::new(),
                },
                events,
            }
        })
}

fn arb_appeal(i: usize) -> impl Strategy<Value = AppealCase> {
    (
        0usize..3,
        0i32..2900,
        proptest::option::of((0i32..700, 0usize..3)),
    )
        .prop_map(move |(k, offset, concluded)| AppealCase {
            number: format!("F{i}"),
            kind: [
                AppealKind::Review,
                AppealKind::LitigationDirect,
                AppealKind::LitigationAfterReview,
            ][k],
            filed: day("2019-01-01").plus(offset),
            concluded: concluded.map(|(after, r)| {
                (
                    day("2019-01-01").plus(offset + after),
                    [
                        AppealResult::Upheld,
                        AppealResult::Corrected,
                        AppealResult::Other,
                    ][r],
                )
            }),
        })
}

fn arb_register() -> impl Strategy<Value = (Vec<Case>, Vec<AppealCase>)> {
    (0usize..60, 0usize..12).prop_flat_map(|(n, m)| {
        (
            (0..n).map(arb_case).collect::<Vec<_>>(),
            (0..m).map(arb_appeal).collect::<Vec<_>>(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random valid registers → tables of every year 2019–2026 → `xxgk check` finds no error on
    /// them, and 二 of each year is 四 of the year before.
    #[test]
    fn derived_tables_pass_every_check((cases, appeals) in arb_register()) {
        let cal = cal();
        let mut previous: Option<xxgk_register::DerivedTables> = None;
        for year in 2019..=2026 {
            let d = derive_tables(year, &cases, &appeals, &cal).expect("derives");
            prop_assert!(d.excluded.is_empty(), "{:?}", d.excluded);
            prop_assert_eq!(table_errors(&d), Vec::<String>::new());
            if let Some(p) = &previous {
                for t in ApplicantType::all().map(|t| t.key()).chain(["total"]) {
                    prop_assert_eq!(
                        p.report.get(&format!("requests.carried_forward.{t}")).map(|c| c.value.clone()),
                        d.report.get(&format!("requests.carried_over.{t}")).map(|c| c.value.clone())
                    );
                }
            }
            previous = Some(d);
        }
    }
}
