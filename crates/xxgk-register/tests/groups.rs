//! `derive_tables_from_groups` (what the store derives a year from) gives what
//! `derive_tables_from` gives for the same cases one by one: the counting rules exist once.

use proptest::prelude::*;
use xxgk_register::tables::{
    derive_tables_from, derive_tables_from_counts, derive_tables_from_groups,
};
use xxgk_register::{ApplicantType, CaseCount, CaseGroup, CaseSummary, Day, Outcome};

fn outcomes() -> Vec<Outcome> {
    Outcome::all().collect()
}

fn types() -> Vec<ApplicantType> {
    ApplicantType::all().collect()
}

/// A summary: received over 2023–2025, closed 0–400 days later (or open), a few excluded.
fn arb_summary(i: usize) -> impl Strategy<Value = CaseSummary> {
    (
        0usize..6,
        0i32..1096,
        proptest::option::of((0i32..400, 0usize..64)),
        proptest::bool::weighted(0.05),
    )
        .prop_map(move |(t, r, closing, bad)| {
            let base = Day::from_ymd(2023, 1, 1).expect("a day");
            let received = base.plus(r);
            let outcomes = outcomes();
            CaseSummary {
                number: format!("N{i:04}"),
                applicant_type: types()[t],
                received,
                closing: closing
                    .map(|(after, o)| (received.plus(after), outcomes[o % outcomes.len()])),
                excluded: bad.then(|| "答复日期早于收到日期（第三十一条）".to_owned()),
            }
        })
}

fn arb_summaries() -> impl Strategy<Value = Vec<CaseSummary>> {
    (0usize..60).prop_flat_map(|n| (0..n).map(arb_summary).collect::<Vec<_>>())
}

/// The summaries grouped by (type, received, closing), groups in first-seen order.
fn grouped(cases: &[CaseSummary]) -> (Vec<CaseGroup>, Vec<(String, String)>, Vec<CaseSummary>) {
    let mut groups: Vec<CaseGroup> = Vec::new();
    let mut excluded = Vec::new();
    for c in cases {
        if let Some(why) = &c.excluded {
            excluded.push((c.number.clone(), why.clone()));
            continue;
        }
        match groups.iter_mut().find(|g| {
            g.applicant_type == c.applicant_type
                && g.received == c.received
                && g.closing == c.closing
        }) {
            Some(g) => g.numbers.push(c.number.clone()),
            None => groups.push(CaseGroup {
                applicant_type: c.applicant_type,
                received: c.received,
                closing: c.closing,
                numbers: vec![c.number.clone()],
            }),
        }
    }
    // The same cases one by one in the groups' order, then the excluded ones.
    let mut order: Vec<CaseSummary> = Vec::new();
    for g in &groups {
        for n in &g.numbers {
            order.push(CaseSummary {
                number: n.clone(),
                applicant_type: g.applicant_type,
                received: g.received,
                closing: g.closing,
                excluded: None,
            });
        }
    }
    for (n, why) in &excluded {
        order.push(CaseSummary {
            number: n.clone(),
            applicant_type: ApplicantType::all().next().expect("a type"),
            received: Day::from_ymd(2023, 1, 1).expect("a day"),
            closing: None,
            excluded: Some(why.clone()),
        });
    }
    (groups, excluded, order)
}

#[test]
fn a_group_counts_as_its_cases() {
    // Two 自然人 received 2024-12-30 and answered 2025-01-06 予以公开 (one group), one 其他
    // received 2025-03-01 still open: in 2025, 二 自然人 = both, 一 其他 = the third, 予以公开
    // 自然人 = both, 四 其他 = the third; 总计/总计 = all three.
    let d = |s: &str| s.parse::<Day>().expect("a day");
    let granted = Outcome::parse("予以公开").expect("an outcome");
    let other = ApplicantType::parse("其他").expect("a type");
    let person = ApplicantType::parse("自然人").expect("a type");
    let groups = [
        CaseGroup {
            applicant_type: person,
            received: d("2024-12-30"),
            closing: Some((d("2025-01-06"), granted)),
            numbers: vec!["A1".to_owned(), "A2".to_owned()],
        },
        CaseGroup {
            applicant_type: other,
            received: d("2025-03-01"),
            closing: None,
            numbers: vec!["B1".to_owned()],
        },
    ];
    let excluded = [("C1".to_owned(), "不计入".to_owned())];
    let t = derive_tables_from_groups(2025, &groups, &excluded, &[]).expect("2025");
    let cell = |row: &'static str, column: &'static str| {
        t.provenance[&xxgk_model::CellId {
            table: xxgk_model::catalogue::TableId::Requests,
            row,
            column,
        }]
            .clone()
    };
    assert_eq!(cell("carried_over", "natural_person"), ["A1", "A2"]);
    assert_eq!(cell("granted", "natural_person"), ["A1", "A2"]);
    assert_eq!(cell("new_received", "other_organization"), ["B1"]);
    assert_eq!(cell("carried_forward", "other_organization"), ["B1"]);
    assert_eq!(cell("total", "total"), ["A1", "A2"]);
    assert_eq!(cell("carried_forward", "total"), ["B1"]);
    assert_eq!(t.excluded, excluded);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn groups_give_what_the_cases_one_by_one_give(
        cases in arb_summaries(),
        year in 2022i32..2027,
    ) {
        let (groups, excluded, order) = grouped(&cases);
        let by_group = derive_tables_from_groups(year, &groups, &excluded, &[]).expect("a format");
        let one_by_one = derive_tables_from(year, &order, &[]).expect("a format");
        prop_assert_eq!(&by_group.provenance, &one_by_one.provenance);
        prop_assert_eq!(&by_group.report.cells, &one_by_one.report.cells);
        prop_assert_eq!(&by_group.excluded, &one_by_one.excluded);
        // Counts alone give the same cells, without numbers.
        let counts: Vec<CaseCount> = groups
            .iter()
            .map(|g| CaseCount {
                applicant_type: g.applicant_type,
                received: g.received,
                closing: g.closing,
                count: g.numbers.len(),
            })
            .collect();
        let by_count = derive_tables_from_counts(year, &counts, &excluded, &[]).expect("a format");
        prop_assert_eq!(&by_count.report.cells, &one_by_one.report.cells);
        prop_assert!(by_count.provenance.is_empty());
        // And the same cells as the cases in their own order, up to the order within a cell.
        let original = derive_tables_from(year, &cases, &[]).expect("a format");
        for (id, numbers) in &original.provenance {
            let mut a = numbers.clone();
            let mut b = by_group.provenance[id].clone();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }
    }
}
