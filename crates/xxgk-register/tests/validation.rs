//! Invalid event sequences are errors naming the rule; valid ones pass.

use xxgk_register::case::{ConsultKind, FeeBasis};
use xxgk_register::{ApplicantType, Application, Calendar, Case, Channel, Day, Event, Outcome};

fn day(s: &str) -> Day {
    s.parse().expect("a valid date")
}

fn case(events: Vec<Event>) -> Case {
    Case {
        application: Application {
            number: "A-7".to_string(),
            applicant_type: ApplicantType::parse("商业企业").expect("a type"),
            applicant_name: "某公司".to_string(),
            contact: "010-1234".to_string(),
            channel: Channel::Post,
            received: day("2025-03-03"),
            content: "规划许可".to_string(),
            form: "纸质".to_string(),
        },
        events,
    }
}

fn answer(date: &str, key: &str, withheld: Option<&str>) -> Event {
    Event::Answer {
        date: day(date),
        outcome: Outcome::parse(key).expect("an outcome"),
        withheld: withheld.map(str::to_string),
    }
}

/// The rules of the errors of `events`.
fn errors(events: Vec<Event>) -> Vec<String> {
    let cal = Calendar::shipped().expect("loads");
    case(events)
        .validate(&cal)
        .errors
        .into_iter()
        .map(|p| p.rule)
        .collect()
}

#[test]
fn a_full_valid_sequence_passes() {
    let e = errors(vec![
        Event::CorrectionNotice {
            date: day("2025-03-05"),
            deadline: Some(day("2025-03-20")),
        },
        Event::CorrectionReceived {
            date: day("2025-03-10"),
        },
        Event::ConsultationSent {
            date: day("2025-03-11"),
            kind: ConsultKind::OtherAgency,
            party: "市发展改革委".to_string(),
        },
        Event::ConsultationReplied {
            date: day("2025-03-25"),
        },
        Event::Extension {
            date: day("2025-04-01"),
            approver: "王五".to_string(),
        },
        Event::FeeNotice {
            date: day("2025-04-02"),
            basis: FeeBasis::PerRequest { nth_in_month: 12 },
        },
        Event::FeePaid {
            date: day("2025-04-03"),
        },
        answer(
            "2025-04-20",
            "partially_granted",
            Some("第三方商业秘密部分"),
        ),
    ]);
    assert!(e.is_empty(), "{e:?}");
}

#[test]
fn an_answer_before_receipt_is_refused() {
    assert_eq!(
        errors(vec![answer("2025-03-02", "granted", None)]),
        ["第三十一条"]
    );
}

#[test]
fn a_second_correction_notice_is_refused() {
    let n = |d: &str| Event::CorrectionNotice {
        date: day(d),
        deadline: Some(day("2025-03-31")),
    };
    assert_eq!(errors(vec![n("2025-03-04"), n("2025-03-06")]), ["第三十条"]);
}

#[test]
fn a_supplement_without_a_notice_is_refused() {
    assert_eq!(
        errors(vec![Event::CorrectionReceived {
            date: day("2025-03-04")
        }]),
        ["第三十条"]
    );
}

#[test]
fn a_second_extension_and_one_without_approver_are_refused() {
    let ext = |d: &str, who: &str| Event::Extension {
        date: day(d),
        approver: who.to_string(),
    };
    assert_eq!(
        errors(vec![ext("2025-03-20", "王五"), ext("2025-03-25", "王五")]),
        ["第三十三条"]
    );
    assert_eq!(errors(vec![ext("2025-03-20", " ")]), ["第三十三条"]);
}

#[test]
fn events_after_the_answer_are_refused() {
    assert_eq!(
        errors(vec![
            answer("2025-03-10", "granted", None),
            Event::Withdrawal {
                date: day("2025-03-11")
            },
        ]),
        ["第三十六条"]
    );
}

#[test]
fn partial_disclosure_needs_the_parts_withheld_and_only_it_has_them() {
    assert_eq!(
        errors(vec![answer("2025-03-10", "partially_granted", None)]),
        ["第三十七条"]
    );
    assert_eq!(
        errors(vec![answer("2025-03-10", "granted", Some("x"))]),
        ["第三十七条"]
    );
}

#[test]
fn no_correction_closes_only_after_the_deadline_without_supplement() {
    let notice = Event::CorrectionNotice {
        date: day("2025-03-04"),
        deadline: Some(day("2025-03-14")),
    };
    assert_eq!(
        errors(vec![
            notice.clone(),
            answer("2025-03-14", "other_no_correction", None)
        ]),
        ["第三十条"]
    );
    assert!(errors(vec![
        notice,
        answer("2025-03-17", "other_no_correction", None)
    ])
    .is_empty());
    assert_eq!(
        errors(vec![answer("2025-03-17", "other_no_correction", None)]),
        ["第三十条"]
    );
}

#[test]
fn fees_one_notice_never_free_payment_after_notice() {
    let notice = |d: &str, basis| Event::FeeNotice {
        date: day(d),
        basis,
    };
    // 30 pages are free under 109号: no notice.
    assert_eq!(
        errors(vec![notice("2025-03-04", FeeBasis::PerPage { pages: 30 })]),
        ["国办函〔2020〕109号"]
    );
    assert_eq!(
        errors(vec![
            notice("2025-03-04", FeeBasis::PerPage { pages: 40 }),
            notice("2025-03-05", FeeBasis::PerRequest { nth_in_month: 15 }),
        ]),
        ["国办函〔2020〕109号"]
    );
    assert_eq!(
        errors(vec![Event::FeePaid {
            date: day("2025-03-05")
        }]),
        ["国办函〔2020〕109号"]
    );
}

#[test]
fn a_reply_without_a_consultation_is_refused() {
    assert_eq!(
        errors(vec![Event::ConsultationReplied {
            date: day("2025-03-05")
        }]),
        ["第三十二条"]
    );
}

#[test]
fn cases_round_trip_through_json() {
    let c = case(vec![
        Event::FeeNotice {
            date: day("2025-03-04"),
            basis: FeeBasis::PerPage { pages: 40 },
        },
        answer("2025-03-10", "denied_state_secret", None),
    ]);
    let json = serde_json::to_string(&c).expect("serialises");
    assert!(json.contains("\"applicant_type\":\"commercial_enterprise\""));
    assert!(json.contains("\"outcome\":\"denied_state_secret\""));
    assert!(json.contains("\"received\":\"2025-03-03\""));
    let back: Case = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, c);
}

/// Received Mon 2025-03-03: the 20th working day after it is Mon 03-31 (03-04…03-07 4,
/// 03-10…03-14 9, 03-17…03-21 14, 03-24…03-28 19, 03-31 20). An extension on 03-31 is in time;
/// one on Tue 04-01 is flagged (a warning, not an error).
#[test]
fn an_extension_after_the_original_deadline_is_flagged() {
    let cal = Calendar::shipped().expect("loads");
    let ext = |d: &str| {
        case(vec![Event::Extension {
            date: day(d),
            approver: "王五".to_string(),
        }])
        .validate(&cal)
    };
    let v = ext("2025-03-31");
    assert!(v.is_ok() && v.warnings.is_empty(), "{v:?}");
    let v = ext("2025-04-01");
    assert!(v.is_ok());
    assert_eq!(v.warnings.len(), 1);
    assert!(
        v.warnings[0].message.contains("2025-03-31"),
        "{}",
        v.warnings[0].message
    );
}
