//! Acceptance tests of the statutory clock around the Spring Festival, National Day and the 调休
//! Saturdays of 2024, 2025 and 2026. Every expected date was counted by hand from the notices
//! (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号) on a printed month calendar; the comments list
//! the calendar days counted. Day 1 is the first working day after the start.

use xxgk_register::case::{ConsultKind, FeeBasis};
use xxgk_register::clock::StartReason;
use xxgk_register::{
    clock, ApplicantType, Application, Calendar, Case, Channel, Day, Event, Outcome, Status,
};

fn day(s: &str) -> Day {
    s.parse().expect("a valid date")
}

fn cal() -> Calendar {
    Calendar::shipped().expect("the shipped calendar loads")
}

fn case(received: &str, events: Vec<Event>) -> Case {
    Case {
        application: Application {
            number: "2024-001".to_string(),
            applicant_type: ApplicantType::parse("自然人").expect("a type"),
            applicant_name: "张三".to_string(),
            contact: "13800000000".to_string(),
            channel: Channel::Online,
            received: day(received),
            content: "某项目的批复文件".to_string(),
            form: "电子邮件".to_string(),
        },
        events,
    }
}

fn outcome(key: &str) -> Outcome {
    Outcome::parse(key).expect("an outcome row")
}

fn days(v: &[(Day, String)]) -> Vec<String> {
    v.iter().map(|(d, _)| d.to_string()).collect()
}

/// 2024 Spring Festival (国办发明电〔2023〕7号: 2月10日至17日放假调休；2月4日（星期日）、2月18日（星期日）上班).
/// Received Thu 2024-02-01. Working days counted:
///  1 Fri 02-02 · (Sat 02-03) · 2 Sun 02-04 调休 · 3 Mon 02-05 · 4 02-06 · 5 02-07 · 6 02-08 ·
///  7 Fri 02-09 · (02-10…02-17 春节) · 8 Sun 02-18 调休 · 9 Mon 02-19 · 10 02-20 · 11 02-21 ·
///  12 02-22 · 13 Fri 02-23 · (02-24, 02-25) · 14 Mon 02-26 · 15 02-27 · 16 02-28 · 17 Thu 02-29 ·
///  18 Fri 03-01 · (03-02, 03-03) · 19 Mon 03-04 · 20 Tue 03-05.
/// Due 2024-03-05; 8 holiday days and 5 ordinary weekend days skipped; 2 make-up days counted.
#[test]
fn spring_festival_2024_with_two_makeup_sundays() {
    let c = case("2024-02-01", vec![]);
    let s = clock(&c, &cal(), day("2024-02-01"));
    assert_eq!(s.due, Some(day("2024-03-05")));
    assert_eq!(s.status, Status::Normal);
    assert_eq!(s.working_days_left, Some(20));
    let ex = s.explanation.expect("an explanation");
    assert_eq!(ex.start, day("2024-02-01"));
    assert_eq!(ex.start_reason, StartReason::Receipt);
    assert_eq!(ex.working_days, 20);
    assert_eq!(
        days(&ex.holidays_skipped),
        [
            "2024-02-10",
            "2024-02-11",
            "2024-02-12",
            "2024-02-13",
            "2024-02-14",
            "2024-02-15",
            "2024-02-16",
            "2024-02-17"
        ]
    );
    assert_eq!(days(&ex.makeup_workdays), ["2024-02-04", "2024-02-18"]);
    assert_eq!(ex.weekend_days_skipped, 5);
    assert_eq!(
        ex.render_zh(),
        [
            "起算日：2024年2月1日（收到申请之日）；自次日起计算工作日。",
            "法定答复期限：20 个工作日（第三十三条第一款）。",
            "合计：起算日后第 20 个工作日，即 2024年3月5日（星期二）。",
            "其间跳过的节假日：春节 2024年2月10日至2024年2月17日（8 天）。",
            "其间跳过的周末：5 天。",
            "其间计为工作日的调休上班日：春节 2024年2月4日、2024年2月18日。",
        ]
    );

    // Status around the due date: on Wed 02-28 four working days are left (02-29, 03-01, 03-04,
    // 03-05): 正常; on Thu 02-29 three: 临期; on the due date itself none: 临期; the day after: 逾期.
    let at = |t: &str| clock(&c, &cal(), day(t));
    assert_eq!(at("2024-02-28").status, Status::Normal);
    assert_eq!(at("2024-02-28").working_days_left, Some(4));
    assert_eq!(at("2024-02-29").status, Status::DueSoon);
    assert_eq!(at("2024-02-29").working_days_left, Some(3));
    assert_eq!(at("2024-03-05").status, Status::DueSoon);
    assert_eq!(at("2024-03-05").working_days_left, Some(0));
    assert_eq!(at("2024-03-06").status, Status::Overdue);
    assert_eq!(at("2024-03-06").working_days_left, None);
}

/// 2024 National Day (〔2023〕7号: 10月1日至7日放假调休；9月29日（星期日）、10月12日（星期六）上班),
/// extended once (第三十三条). Received Mon 2024-09-23. Working days counted:
///  1 Tue 09-24 · 2 09-25 · 3 09-26 · 4 Fri 09-27 · (Sat 09-28) · 5 Sun 09-29 调休 · 6 Mon 09-30 ·
///  (10-01…10-07 国庆) · 7 Tue 10-08 · 8 10-09 · 9 10-10 · 10 Fri 10-11 · 11 Sat 10-12 调休 ·
///  (Sun 10-13) · 12 Mon 10-14 · 13 · 14 · 15 · 16 Fri 10-18 · 17 Mon 10-21 · 18 · 19 ·
///  20 Thu 10-24 (the due date without extension) · 21 Fri 10-25 · 22 Mon 10-28 … 26 Fri 11-01 ·
///  27 Mon 11-04 … 31 Fri 11-08 · 32 Mon 11-11 … 36 Fri 11-15 · 37 Mon 11-18 · 38 · 39 ·
///  40 Thu 11-21.
#[test]
fn national_day_2024_with_extension() {
    let plain = case("2024-09-23", vec![]);
    assert_eq!(
        clock(&plain, &cal(), day("2024-09-23")).due,
        Some(day("2024-10-24"))
    );

    let extended = case(
        "2024-09-23",
        vec![Event::Extension {
            date: day("2024-10-21"),
            approver: "李四".to_string(),
        }],
    );
    let s = clock(&extended, &cal(), day("2024-10-21"));
    assert_eq!(s.due, Some(day("2024-11-21")));
    let ex = s.explanation.expect("an explanation");
    assert_eq!(
        (ex.base_days, ex.extension_days, ex.working_days),
        (20, 20, 40)
    );
    assert_eq!(days(&ex.makeup_workdays), ["2024-09-29", "2024-10-12"]);
    assert_eq!(ex.holidays_skipped.len(), 7);
    assert!(ex.render_zh().iter().any(|l| l.contains("批准人：李四")));
}

/// 2025 Spring Festival (国办发明电〔2024〕12号: 1月28日至2月4日放假调休；1月26日（周日）、2月8日（周六）上班).
/// Received Mon 2025-01-20. Without 补正, working days counted:
///  1 Tue 01-21 · 2 01-22 · 3 01-23 · 4 Fri 01-24 · (Sat 01-25) · 5 Sun 01-26 调休 · 6 Mon 01-27 ·
///  (01-28…02-04 春节) · 7 Wed 02-05 · 8 Thu 02-06 · 9 Fri 02-07 · 10 Sat 02-08 调休 · (Sun 02-09) ·
///  11 Mon 02-10 … 15 Fri 02-14 · 16 Mon 02-17 … 20 Fri 02-21.   Due 2025-02-21.
/// With a 补正 notice on Wed 01-22 and the supplement received Fri 02-07, the clock restarts on
/// 02-07: 1 Sat 02-08 调休 · 2 Mon 02-10 … 6 Fri 02-14 · 7 Mon 02-17 … 11 Fri 02-21 ·
///  12 Mon 02-24 … 16 Fri 02-28 · (03-01, 03-02) · 17 Mon 03-03 · 18 · 19 · 20 Thu 03-06.
///  Due 2025-03-06.
#[test]
fn spring_festival_2025_and_the_correction_restart() {
    let plain = case("2025-01-20", vec![]);
    let s = clock(&plain, &cal(), day("2025-01-20"));
    assert_eq!(s.due, Some(day("2025-02-21")));
    let ex = s.explanation.expect("an explanation");
    assert_eq!(ex.holidays_skipped.len(), 8);
    assert_eq!(days(&ex.makeup_workdays), ["2025-01-26", "2025-02-08"]);

    let notice = Event::CorrectionNotice {
        date: day("2025-01-22"),
        deadline: Some(day("2025-02-14")),
    };
    // While the supplement is awaited there is no due date.
    let waiting = case("2025-01-20", vec![notice.clone()]);
    let s = clock(&waiting, &cal(), day("2025-01-23"));
    assert_eq!((s.status, s.due), (Status::Paused, None));

    let restarted = case(
        "2025-01-20",
        vec![
            notice,
            Event::CorrectionReceived {
                date: day("2025-02-07"),
            },
        ],
    );
    assert!(restarted.validate(&cal()).is_ok());
    let s = clock(&restarted, &cal(), day("2025-02-07"));
    assert_eq!(s.due, Some(day("2025-03-06")));
    let ex = s.explanation.expect("an explanation");
    assert_eq!(ex.start, day("2025-02-07"));
    assert_eq!(ex.start_reason, StartReason::Supplement);
    assert!(ex.holidays_skipped.is_empty());
    assert_eq!(days(&ex.makeup_workdays), ["2025-02-08"]);
}

/// 第三十条: the 补正 notice within 7 working days of receipt. Received Mon 2025-01-20; the 7th
/// working day is Wed 02-05 (21, 22, 23, 24, Sun 26 调休, 27, then 02-05 after the break), so a
/// notice on 02-05 is in time and one on Thu 02-06 (the 8th) is flagged.
#[test]
fn correction_notice_late_across_the_2025_spring_festival() {
    let with_notice = |date: &str| {
        case(
            "2025-01-20",
            vec![Event::CorrectionNotice {
                date: day(date),
                deadline: Some(day("2025-02-28")),
            }],
        )
    };
    let v = with_notice("2025-02-05").validate(&cal());
    assert!(v.is_ok() && v.warnings.is_empty(), "{v:?}");
    let v = with_notice("2025-02-06").validate(&cal());
    assert!(v.is_ok());
    assert_eq!(v.warnings.len(), 1);
    assert_eq!(v.warnings[0].rule, "第三十条");
    assert!(
        v.warnings[0].message.contains("第 8 个工作日"),
        "{}",
        v.warnings[0].message
    );
}

/// 2025 National Day (〔2024〕12号: 10月1日至8日放假调休；9月28日（周日）、10月11日（周六）上班),
/// a third party consulted (第三十二条) from Thu 09-25 to Fri 10-17. Received Mon 2025-09-22.
/// Paused working days d with 09-25 < d ≤ 10-17: Fri 09-26, Sun 09-28 调休, Mon 09-29, Tue 09-30,
///  Thu 10-09, Fri 10-10, Sat 10-11 调休, Mon 10-13 … Fri 10-17 = 4 + 3 + 5 = 12.
/// 20 + 12 = 32 working days after 09-22: 1 Tue 09-23 · 2 09-24 · 3 09-25 · 4 Fri 09-26 ·
///  5 Sun 09-28 · 6 09-29 · 7 09-30 · (10-01…10-08) · 8 Thu 10-09 · 9 10-10 · 10 Sat 10-11 ·
///  11 Mon 10-13 … 15 Fri 10-17 · 16 Mon 10-20 … 20 Fri 10-24 · 21 Mon 10-27 … 25 Fri 10-31 ·
///  26 Mon 11-03 … 30 Fri 11-07 · 31 Mon 11-10 · 32 Tue 11-11.   Due 2025-11-11.
#[test]
fn national_day_2025_with_a_consultation_pause() {
    let sent = Event::ConsultationSent {
        date: day("2025-09-25"),
        kind: ConsultKind::ThirdParty,
        party: "某公司".to_string(),
    };
    let open = case("2025-09-22", vec![sent.clone()]);
    let s = clock(&open, &cal(), day("2025-10-10"));
    assert_eq!((s.status, s.due), (Status::Paused, None));
    assert_eq!(s.status.label(), "暂停计时");
    // 第三十二条: 15 working days for the reply. After Thu 09-25: 1 09-26, 2 Sun 09-28, 3 09-29,
    // 4 09-30, 5 10-09, 6 10-10, 7 Sat 10-11, 8 10-13, 9 10-14, 10 10-15, 11 10-16, 12 10-17,
    // 13 10-20, 14 10-21, 15 Wed 10-22. On 10-22 the period runs; on 10-23 it has passed.
    let s = clock(&open, &cal(), day("2025-10-22"));
    assert!(
        s.notes
            .iter()
            .any(|n| n == "征求意见的答复期至 2025年10月22日（发出后第 15 个工作日）"),
        "{:?}",
        s.notes
    );
    let s = clock(&open, &cal(), day("2025-10-23"));
    assert!(
        s.notes.iter().any(|n| n
            .starts_with("征求意见的答复期（15 个工作日，至 2025年10月22日）已过")
            && n.contains("第三十二条")),
        "{:?}",
        s.notes
    );

    let closed = case(
        "2025-09-22",
        vec![
            sent,
            Event::ConsultationReplied {
                date: day("2025-10-17"),
            },
        ],
    );
    let s = clock(&closed, &cal(), day("2025-10-17"));
    assert_eq!(s.due, Some(day("2025-11-11")));
    let ex = s.explanation.expect("an explanation");
    assert_eq!(ex.paused_days, 12);
    assert_eq!(ex.working_days, 32);
    assert_eq!(ex.pauses.len(), 1);
    assert_eq!(ex.pauses[0].working_days, Some(12));
    assert_eq!(ex.holidays_skipped.len(), 8);
    assert_eq!(days(&ex.makeup_workdays), ["2025-09-28", "2025-10-11"]);
    let lines = ex.render_zh();
    assert_eq!(
        lines[2],
        "暂停计时（不计入期限）：征求第三方意见（第三十二条）：某公司，2025年9月25日 至 2025年10月17日，12 个工作日。"
    );
    assert_eq!(
        lines[3],
        "合计：起算日后第 32 个工作日，即 2025年11月11日（星期二）。"
    );
    assert_eq!(
        lines[4],
        "其间跳过的节假日：国庆节、中秋节 2025年10月1日至2025年10月8日（8 天）。"
    );
}

/// 2026 Spring Festival (国办发明电〔2025〕7号: 2月15日至23日放假调休；2月14日（周六）、2月28日（周六）上班).
/// Received Mon 2026-02-09. Working days counted:
///  1 Tue 02-10 · 2 02-11 · 3 02-12 · 4 Fri 02-13 · 5 Sat 02-14 调休 · (02-15…02-23 春节) ·
///  6 Tue 02-24 · 7 02-25 · 8 02-26 · 9 Fri 02-27 · 10 Sat 02-28 调休 · (Sun 03-01) ·
///  11 Mon 03-02 … 15 Fri 03-06 · (03-07, 03-08) · 16 Mon 03-09 · 17 03-10 · 18 03-11 · 19 03-12 ·
///  20 Fri 03-13.   Due 2026-03-13; 9 holiday days, 3 ordinary weekend days skipped.
#[test]
fn spring_festival_2026_with_two_makeup_saturdays() {
    let c = case("2026-02-09", vec![]);
    let s = clock(&c, &cal(), day("2026-02-13"));
    assert_eq!(s.due, Some(day("2026-03-13")));
    // On Fri 02-13 (day 4) 16 working days are left.
    assert_eq!((s.status, s.working_days_left), (Status::Normal, Some(16)));
    let ex = s.explanation.clone().expect("an explanation");
    assert_eq!(ex.holidays_skipped.len(), 9);
    assert_eq!(days(&ex.makeup_workdays), ["2026-02-14", "2026-02-28"]);
    assert_eq!(ex.weekend_days_skipped, 3);
    // On Sat 03-07 (not a working day) 5 are left (03-09 … 03-13); on Tue 03-10, 3: 临期.
    let s = clock(&c, &cal(), day("2026-03-07"));
    assert_eq!((s.status, s.working_days_left), (Status::Normal, Some(5)));
    let s = clock(&c, &cal(), day("2026-03-10"));
    assert_eq!((s.status, s.working_days_left), (Status::DueSoon, Some(3)));
    // Answered on Mon 03-16, after the due date.
    let mut answered = c.clone();
    answered.events.push(Event::Answer {
        date: day("2026-03-16"),
        outcome: outcome("granted"),
        withheld: None,
    });
    let s = clock(&answered, &cal(), day("2026-04-01"));
    assert_eq!((s.status, s.answered_late), (Status::Answered, Some(true)));
    assert_eq!(s.status.label(), "已答复");
    // The id is the serialised form; both parse back.
    assert_eq!(
        serde_json::to_string(&s.status).ok().as_deref(),
        Some("\"answered\"")
    );
    assert_eq!(Status::parse("answered"), Some(Status::Answered));
    assert_eq!(Status::parse("临期"), Some(Status::DueSoon));
    assert_eq!(Status::parse("due_soon").map(Status::id), Some("due_soon"));
}

/// 2026 National Day (〔2025〕7号: 中秋节 9月25日至27日放假；国庆节 10月1日至7日放假调休；
/// 9月20日（周日）、10月10日（周六）上班), a fee notice (按量 250 页 = 4700 元) on Fri 09-18, paid on
/// Mon 10-12. Received Tue 2026-09-15.
/// Paused working days d with 09-18 < d ≤ 10-12: Sun 09-20 调休, Mon 09-21 … Thu 09-24 (4),
///  Mon 09-28 … Wed 09-30 (3), Thu 10-08, Fri 10-09, Sat 10-10 调休, Mon 10-12 = 1+4+3+4 = 12.
/// 32 working days after 09-15: 1 Wed 09-16 · 2 09-17 · 3 Fri 09-18 · 4 Sun 09-20 · 5 Mon 09-21 ·
///  6 · 7 · 8 Thu 09-24 · (09-25…09-27) · 9 Mon 09-28 · 10 · 11 Wed 09-30 · (10-01…10-07) ·
///  12 Thu 10-08 · 13 Fri 10-09 · 14 Sat 10-10 · 15 Mon 10-12 · 16 Tue 10-13 … 19 Fri 10-16 ·
///  20 Mon 10-19 … 24 Fri 10-23 · 25 Mon 10-26 … 29 Fri 10-30 · 30 Mon 11-02 · 31 Tue 11-03 ·
///  32 Wed 11-04.   Due 2026-11-04.
#[test]
fn national_day_2026_with_a_fee_pause() {
    let notice = Event::FeeNotice {
        date: day("2026-09-18"),
        basis: FeeBasis::PerPage { pages: 250 },
    };
    let paid = case(
        "2026-09-15",
        vec![
            notice.clone(),
            Event::FeePaid {
                date: day("2026-10-12"),
            },
        ],
    );
    assert!(paid.validate(&cal()).is_ok());
    let s = clock(&paid, &cal(), day("2026-10-12"));
    assert_eq!(s.due, Some(day("2026-11-04")));
    let ex = s.explanation.expect("an explanation");
    assert_eq!((ex.paused_days, ex.working_days), (12, 32));
    assert_eq!(ex.holidays_skipped.len(), 10);
    assert_eq!(days(&ex.makeup_workdays), ["2026-09-20", "2026-10-10"]);
    assert!(ex.render_zh().iter().any(|l| l.contains("4700 元")));

    // Unpaid: the 20th working day after the notice is Thu 10-22 (Sun 09-20 1, 09-21…09-24 2–5,
    // 09-28…09-30 6–8, 10-08 9, 10-09 10, Sat 10-10 11, 10-12 12, 10-13…10-16 13–16,
    // 10-19 17, 10-20 18, 10-21 19, 10-22 20). Closing as （六）2 on 10-22 is too early; on
    // Fri 10-23 it is allowed.
    let unpaid = |date: &str| {
        case(
            "2026-09-15",
            vec![
                notice.clone(),
                Event::Answer {
                    date: day(date),
                    outcome: outcome("other_unpaid_fee"),
                    withheld: None,
                },
            ],
        )
    };
    let v = unpaid("2026-10-22").validate(&cal());
    assert_eq!(v.errors.len(), 1, "{v:?}");
    assert!(v.errors[0].message.contains("第 20 个工作日"));
    assert!(unpaid("2026-10-23").validate(&cal()).is_ok());
    // While unpaid: 暂停计时, and after 10-22 the note says （六）2 may close it.
    let open = case("2026-09-15", vec![notice]);
    let s = clock(&open, &cal(), day("2026-10-23"));
    assert_eq!((s.status, s.due), (Status::Paused, None));
    assert!(s
        .notes
        .iter()
        .any(|n| n.contains("2026年10月22日") && n.contains("（六）2")));
}

/// Received Thu 2026-12-10: working days after it in December are 11, 14–18, 21–25, 28–31 = 15,
/// so the 20th falls in January 2027, a year without data: 日历缺失, never a weekend guess.
/// With a (test) override for 2027 whose 元旦 is 1月1日 (Friday), the count goes on:
/// 16 Mon 2027-01-04 · 17 · 18 · 19 · 20 Fri 2027-01-08.
#[test]
fn a_year_without_data_is_refused_until_an_override_adds_it() {
    let c = case("2026-12-10", vec![]);
    let mut cal = cal();
    let s = clock(&c, &cal, day("2026-12-10"));
    assert_eq!(
        (s.status, s.due, s.missing_year),
        (Status::CalendarMissing, None, Some(2027))
    );
    assert_eq!(s.status.label(), "日历缺失");
    assert!(s.notes[0].starts_with("日历缺失"));
    assert!(cal.is_working_day(day("2027-01-04")).is_err());

    // From November the missing next year is announced; not in October.
    assert!(cal.next_year_warning(day("2026-11-01")).is_some());
    assert!(cal.next_year_warning(day("2026-10-31")).is_none());
    assert!(cal.next_year_warning(day("2025-11-15")).is_none());

    let year = cal
        .apply_override(
            "year = 2027\ntitle = \"测试用安排\"\n[[holiday]]\nname = \"元旦\"\noff = [\"2027-01-01\"]\n",
            "calendar/2027.toml",
        )
        .expect("a valid override");
    assert_eq!(year, 2027);
    let s = clock(&c, &cal, day("2026-12-10"));
    assert_eq!((s.status, s.due), (Status::Normal, Some(day("2027-01-08"))));
    assert_eq!(
        cal.year(2027).map(|y| y.source.to_string()),
        Some("数据目录覆盖文件（calendar/2027.toml）".to_string())
    );
    assert!(cal.next_year_warning(day("2026-11-01")).is_none());
}

/// An override replaces a shipped year: making Sat 2026-02-28 an ordinary Saturday moves the due
/// date of the 2026 Spring Festival case one working day later (03-13 → Mon 03-16), and the
/// year's source is the override file.
#[test]
fn an_override_corrects_a_shipped_year() {
    let c = case("2026-02-09", vec![]);
    let mut cal = cal();
    let text = include_str!("../data/calendar/2026.toml").replace(
        "work = [\"2026-02-14\", \"2026-02-28\"]",
        "work = [\"2026-02-14\"]",
    );
    cal.apply_override(&text, "calendar/2026.toml")
        .expect("valid");
    assert_eq!(
        clock(&c, &cal, day("2026-02-09")).due,
        Some(day("2026-03-16"))
    );
    assert!(matches!(
        cal.year(2026).map(|y| &y.source),
        Some(xxgk_register::CalendarSource::Override { .. })
    ));
    // A refused override leaves the calendar as it was.
    let before = cal.is_working_day(day("2026-02-14"));
    assert!(cal
        .apply_override("year = 2026\ntitle = \"x\"\n[[holiday]]\nname = \"春节\"\noff = [\"2026-02-15\"]\nwork = [\"2026-02-16\"]\n", "bad.toml")
        .is_err());
    assert_eq!(cal.is_working_day(day("2026-02-14")), before);
    assert!(cal.apply_override("year = 2026", "bad.toml").is_err());
    assert!(cal.apply_override("year = ", "bad.toml").is_err());
}
