//! The statutory clock (条例 第三十、三十二、三十三、三十五条; 国办函〔2020〕109号), exactly:
//!
//! - working days are counted from the day after the start (day 1 = the first working day after
//!   it);
//! - start = the receipt date, or the date the 补正 supplement was received when there is one;
//! - due = the (20 + 20 if extended + paused)-th working day after the start, where paused = the
//!   working days d with A < d ≤ B of the completed pauses (consultation: A = sent, B = reply;
//!   fee: A = notice, B = payment) that begin on or after the start (A ≥ start; a pause that
//!   began before a 补正 restart is not carried over). Overlapping pauses count each working day
//!   once;
//! - a reasonable later deadline set under 第三十五条 replaces the computed one;
//! - while a pause is open, or a 补正 notice awaits its supplement, there is no due date
//!   (暂停计时);
//! - a year without calendar data: no due date, status 日历缺失 (never a guess from weekends).
//!
//! "Today" is always an argument: nothing here reads a clock.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarMissing};
use crate::case::{
    Case, ConsultKind, Event, FeeBasis, ANSWER_DAYS, CONSULTATION_DAYS, EXTENSION_DAYS,
    FEE_PAYMENT_DAYS,
};
use crate::day::Day;

/// 临期: at most this many working days left.
pub const DUE_SOON_DAYS: u32 = 3;

/// The status of a case on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 正常: more than 3 working days left.
    Normal,
    /// 临期: at most 3 working days left (today before or on the due date).
    DueSoon,
    /// 逾期: today is after the due date and the case is not answered.
    Overdue,
    /// 暂停计时: a consultation or fee is open, or a 补正 awaits its supplement.
    Paused,
    /// 已答复: answered (or closed by withdrawal / （六）).
    Answered,
    /// 日历缺失: the due date falls in (or the count runs through) a year without calendar data.
    CalendarMissing,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Normal,
        Status::DueSoon,
        Status::Overdue,
        Status::Paused,
        Status::Answered,
        Status::CalendarMissing,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Normal => "正常",
            Status::DueSoon => "临期",
            Status::Overdue => "逾期",
            Status::Paused => "暂停计时",
            Status::Answered => "已答复",
            Status::CalendarMissing => "日历缺失",
        }
    }

    /// From the label or the id (`normal`, `due_soon`, …).
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim();
        Status::ALL
            .into_iter()
            .find(|st| st.label() == s || st.id() == s)
    }

    /// The id as serialised (`normal`, `due_soon`, …).
    pub fn id(self) -> &'static str {
        match self {
            Status::Normal => "normal",
            Status::DueSoon => "due_soon",
            Status::Overdue => "overdue",
            Status::Paused => "paused",
            Status::Answered => "answered",
            Status::CalendarMissing => "calendar_missing",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why the clock starts where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartReason {
    /// 收到申请之日 (第三十一条).
    Receipt,
    /// 收到补正之日 (第三十条: the clock restarts).
    Supplement,
}

/// What a pause was for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PauseKind {
    Consultation {
        consulted: ConsultKind,
        party: String,
    },
    Fee {
        basis: FeeBasis,
    },
}

impl PauseKind {
    pub fn label(&self) -> String {
        match self {
            PauseKind::Consultation { consulted, party } => {
                format!("{}：{party}", consulted.label())
            }
            PauseKind::Fee {
                basis: FeeBasis::Unstated,
            } => format!("收费通知（{}）至缴费", FeeBasis::Unstated.describe()),
            PauseKind::Fee { basis } => format!(
                "收费通知（{}，{} 元）至缴费",
                basis.describe(),
                basis.amount_yuan()
            ),
        }
    }
}

/// A pause of the clock: the working days d with `from < d ≤ to` are not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub kind: PauseKind,
    pub from: Day,
    /// `None` while open.
    pub to: Option<Day>,
    /// The working days in (from, to], once closed and counted.
    pub working_days: Option<u32>,
    /// Whether it counts (closed and beginning on or after the start).
    pub counted: bool,
}

/// How a due date was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueExplanation {
    pub start: Day,
    pub start_reason: StartReason,
    /// 20 (第三十三条).
    pub base_days: u32,
    /// 20 if extended, else 0.
    pub extension_days: u32,
    pub extension_approver: Option<String>,
    /// Every pause of the case (counted or not, with the reason in `counted`).
    pub pauses: Vec<Pause>,
    /// The working days excluded (the union of the counted pauses).
    pub paused_days: u32,
    /// base + extension + paused: the due date is this-th working day after the start.
    pub working_days: u32,
    /// The computed date (before a 第三十五条 deadline).
    pub computed_due: Day,
    /// A later deadline under 第三十五条, which replaces the computed date.
    pub later_deadline: Option<Day>,
    /// The due date in force.
    pub due: Day,
    /// The days off of the notices in (start, computed_due], with the holiday's name.
    pub holidays_skipped: Vec<(Day, String)>,
    /// Ordinary Saturdays and Sundays in (start, computed_due].
    pub weekend_days_skipped: u32,
    /// The make-up workdays (调休上班) in (start, computed_due], counted as working days.
    pub makeup_workdays: Vec<(Day, String)>,
}

impl DueExplanation {
    /// The Chinese rendering, one line per step.
    pub fn render_zh(&self) -> Vec<String> {
        let mut out = Vec::new();
        let why = match self.start_reason {
            StartReason::Receipt => "收到申请之日",
            StartReason::Supplement => "收到补正材料之日，第三十条：答复期限自此重新计算",
        };
        out.push(format!(
            "起算日：{}（{}）；自次日起计算工作日。",
            self.start.zh(),
            why
        ));
        out.push(format!(
            "法定答复期限：{} 个工作日（第三十三条第一款）。",
            self.base_days
        ));
        if self.extension_days > 0 {
            out.push(format!(
                "延长答复期限：{} 个工作日（第三十三条第一款，批准人：{}）。",
                self.extension_days,
                self.extension_approver.as_deref().unwrap_or("未写明")
            ));
        }
        for p in &self.pauses {
            let to = p.to.map_or_else(|| "尚未结束".to_string(), Day::zh);
            let line = match (p.counted, p.working_days) {
                (true, Some(n)) => format!(
                    "暂停计时（不计入期限）：{}，{} 至 {}，{} 个工作日。",
                    p.kind.label(),
                    p.from.zh(),
                    to,
                    n
                ),
                _ => format!(
                    "{}，{} 至 {}：开始于起算日之前，不计入本次期限。",
                    p.kind.label(),
                    p.from.zh(),
                    to
                ),
            };
            out.push(line);
        }
        if self.pauses.iter().filter(|p| p.counted).count() > 1 {
            out.push(format!(
                "暂停计时合计 {} 个工作日（重叠的日期只计一次）。",
                self.paused_days
            ));
        }
        out.push(format!(
            "合计：起算日后第 {} 个工作日，即 {}（{}）。",
            self.working_days,
            self.computed_due.zh(),
            self.computed_due.weekday_zh()
        ));
        if !self.holidays_skipped.is_empty() {
            out.push(format!(
                "其间跳过的节假日：{}。",
                group_days(&self.holidays_skipped)
            ));
        }
        if self.weekend_days_skipped > 0 {
            out.push(format!(
                "其间跳过的周末：{} 天。",
                self.weekend_days_skipped
            ));
        }
        if !self.makeup_workdays.is_empty() {
            out.push(format!(
                "其间计为工作日的调休上班日：{}。",
                group_days(&self.makeup_workdays)
            ));
        }
        if let Some(d) = self.later_deadline {
            out.push(format!(
                "依第三十五条另行确定的答复期限：{}，以此为准。",
                d.zh()
            ));
        }
        out
    }
}

/// `春节 2024年2月10日至2024年2月17日（8 天）；国庆节 2024年10月1日`: days grouped by holiday
/// in order, consecutive days as one range.
fn group_days(days: &[(Day, String)]) -> String {
    let mut groups: Vec<(String, Vec<(Day, Day)>)> = Vec::new();
    for (d, name) in days {
        match groups.last_mut() {
            Some((n, runs)) if n == name => match runs.last_mut() {
                Some((_, end)) if end.next() == *d => *end = *d,
                _ => runs.push((*d, *d)),
            },
            _ => groups.push((name.clone(), vec![(*d, *d)])),
        }
    }
    groups
        .iter()
        .map(|(name, runs)| {
            let ds: Vec<String> = runs
                .iter()
                .map(|(a, b)| {
                    if a == b {
                        a.zh()
                    } else {
                        format!("{}至{}（{} 天）", a.zh(), b.zh(), a.days_until(*b) + 1)
                    }
                })
                .collect();
            format!("{name} {}", ds.join("、"))
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// The clock of a case on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    pub status: Status,
    /// The due date in force (`None` while paused or when the calendar is missing).
    pub due: Option<Day>,
    /// Working days left after today up to the due date (0 on the due date; `None` when overdue,
    /// answered, paused or unknown).
    pub working_days_left: Option<u32>,
    pub explanation: Option<DueExplanation>,
    /// For a closed case: whether it was closed after the due date.
    pub answered_late: Option<bool>,
    /// Why there is no due date or what to do next (Chinese).
    pub notes: Vec<String>,
    /// The calendar year missing, when the status is 日历缺失.
    pub missing_year: Option<i32>,
}

/// Computes the clock of `case` on `today` with `cal`.
pub fn clock(case: &Case, cal: &Calendar, today: Day) -> ClockState {
    let received = case.application.received;
    let events = case.ordered_events();
    let closing = case.closing();
    let mut start = received;
    let mut start_reason = StartReason::Receipt;
    let mut awaiting_correction: Option<Option<Day>> = None;
    let mut extension: Option<String> = None;
    let mut later_deadline = None;
    let mut pauses: Vec<Pause> = Vec::new();
    let mut open_consultations: Vec<usize> = Vec::new();
    let mut open_fee: Option<usize> = None;
    let mut fee_notice_date = None;
    for (_, e) in &events {
        if closing.is_some_and(|c| e.date() > c.date) {
            break;
        }
        match e {
            Event::CorrectionNotice { deadline, .. } => awaiting_correction = Some(*deadline),
            Event::CorrectionReceived { date } => {
                awaiting_correction = None;
                start = *date;
                start_reason = StartReason::Supplement;
            }
            Event::ConsultationSent { date, kind, party } => {
                open_consultations.push(pauses.len());
                pauses.push(Pause {
                    kind: PauseKind::Consultation {
                        consulted: *kind,
                        party: party.clone(),
                    },
                    from: *date,
                    to: None,
                    working_days: None,
                    counted: false,
                });
            }
            Event::ConsultationReplied { date } => {
                if !open_consultations.is_empty() {
                    let i = open_consultations.remove(0);
                    pauses[i].to = Some(*date);
                }
            }
            Event::Extension { approver, .. } => {
                if extension.is_none() {
                    extension = Some(approver.clone());
                }
            }
            Event::LaterDeadline { deadline, .. } => later_deadline = Some(*deadline),
            Event::FeeNotice { date, basis } => {
                if open_fee.is_none() && fee_notice_date.is_none() {
                    open_fee = Some(pauses.len());
                    fee_notice_date = Some(*date);
                    pauses.push(Pause {
                        kind: PauseKind::Fee { basis: *basis },
                        from: *date,
                        to: None,
                        working_days: None,
                        counted: false,
                    });
                }
            }
            Event::FeePaid { date } => {
                if let Some(i) = open_fee.take() {
                    pauses[i].to = Some(*date);
                }
            }
            Event::Answer { .. } | Event::Withdrawal { .. } => {}
        }
    }

    let mut state = ClockState {
        status: Status::Normal,
        due: None,
        working_days_left: None,
        explanation: None,
        answered_late: None,
        notes: Vec::new(),
        missing_year: None,
    };
    let missing = |state: &mut ClockState, m: CalendarMissing| {
        state.status = Status::CalendarMissing;
        state.missing_year = Some(m.year);
        state.notes.push(m.to_string());
    };

    // Open pauses and a pending 补正: no due date.
    if closing.is_none() {
        if let Some(deadline) = awaiting_correction {
            state.status = Status::Paused;
            state.notes.push(format!(
                "已告知补正，等待申请人补正（补正期限 {}）；收到补正后答复期限重新计算（第三十条）",
                deadline.map_or_else(|| "未登记".to_string(), Day::zh)
            ));
            if deadline.is_some_and(|d| today > d) {
                state.notes.push(
                    "补正期限已过：申请人无正当理由逾期不补正的，视为放弃申请，可按（六）1 办结（第三十条）"
                        .to_string(),
                );
            }
            return state;
        }
        let open: Vec<&Pause> = pauses.iter().filter(|p| p.to.is_none()).collect();
        if !open.is_empty() {
            state.status = Status::Paused;
            for p in open {
                state.notes.push(format!(
                    "暂停计时：{}，自 {} 起，尚未结束",
                    p.kind.label(),
                    p.from.zh()
                ));
                if let PauseKind::Consultation { consulted, .. } = &p.kind {
                    let after = match consulted {
                        ConsultKind::ThirdParty => "第三方逾期未提出意见的，由行政机关依照条例的规定决定是否公开（第三十二条）",
                        ConsultKind::OtherAgency => "被征求意见机关逾期未提出意见的视为同意公开（第三十四条）",
                    };
                    match cal.add_working_days(p.from, CONSULTATION_DAYS) {
                        Ok(last) if today > last => state.notes.push(format!(
                            "征求意见的答复期（{CONSULTATION_DAYS} 个工作日，至 {}）已过：{after}",
                            last.zh()
                        )),
                        Ok(last) => state.notes.push(format!(
                            "征求意见的答复期至 {}（发出后第 {CONSULTATION_DAYS} 个工作日）",
                            last.zh()
                        )),
                        Err(m) => state.notes.push(m.to_string()),
                    }
                }
                if let PauseKind::Fee { .. } = p.kind {
                    match cal.add_working_days(p.from, FEE_PAYMENT_DAYS) {
                        Ok(last) if today > last => state.notes.push(format!(
                            "缴费期（收费通知后 {FEE_PAYMENT_DAYS} 个工作日，至 {}）已过：可按（六）2 办结（国办函〔2020〕109号）",
                            last.zh()
                        )),
                        Ok(last) => state.notes.push(format!(
                            "缴费期至 {}（收费通知后第 {FEE_PAYMENT_DAYS} 个工作日）",
                            last.zh()
                        )),
                        Err(m) => state.notes.push(m.to_string()),
                    }
                }
            }
            return state;
        }
    }

    match explain(cal, start, start_reason, extension, pauses, later_deadline) {
        Ok(ex) => {
            let due = ex.due;
            state.due = Some(due);
            state.explanation = Some(ex);
            if let Some(c) = closing {
                state.status = Status::Answered;
                state.answered_late = Some(c.date > due);
            } else if today > due {
                state.status = Status::Overdue;
            } else {
                match cal.working_days_between(today, due) {
                    Ok(left) => {
                        state.working_days_left = Some(left);
                        state.status = if left <= DUE_SOON_DAYS {
                            Status::DueSoon
                        } else {
                            Status::Normal
                        };
                    }
                    Err(m) => missing(&mut state, m),
                }
            }
        }
        Err(m) => {
            if closing.is_some() {
                state.status = Status::Answered;
                state.notes.push(m.to_string());
                state.missing_year = Some(m.year);
            } else {
                missing(&mut state, m);
            }
        }
    }
    state
}

fn explain(
    cal: &Calendar,
    start: Day,
    start_reason: StartReason,
    extension: Option<String>,
    mut pauses: Vec<Pause>,
    later_deadline: Option<Day>,
) -> Result<DueExplanation, CalendarMissing> {
    let mut excluded: BTreeSet<Day> = BTreeSet::new();
    for p in &mut pauses {
        let Some(to) = p.to else { continue };
        if p.from < start {
            continue;
        }
        let mut n = 0;
        let mut d = p.from.next();
        while d <= to {
            if cal.is_working_day(d)? {
                n += 1;
                excluded.insert(d);
            }
            d = d.next();
        }
        p.working_days = Some(n);
        p.counted = true;
    }
    let paused_days = excluded.len() as u32;
    let extension_days = if extension.is_some() {
        EXTENSION_DAYS
    } else {
        0
    };
    let working_days = ANSWER_DAYS + extension_days + paused_days;
    // One walk from the day after the start to the due date: the `working_days`-th working
    // day (as `Calendar::add_working_days` counts) and what was skipped or worked on the way,
    // two look-ups a day (the clock of every case of a 100,000-case import walks it).
    let mut holidays_skipped = Vec::new();
    let mut makeup_workdays = Vec::new();
    let mut weekend_days_skipped = 0;
    let mut d = start;
    let mut left = working_days;
    let mut covered = None;
    while left > 0 {
        d = d.next();
        if covered != Some(d.year()) {
            if !cal.has_year(d.year()) {
                return Err(CalendarMissing { year: d.year() });
            }
            covered = Some(d.year());
        }
        let holiday = cal.holiday_of(d);
        let makeup = cal.makeup_of(d);
        // `Calendar::is_working_day`: a make-up workday, or a weekday that is no holiday.
        if makeup.is_some() || (!d.is_weekend() && holiday.is_none()) {
            left -= 1;
        }
        if let Some(h) = holiday {
            holidays_skipped.push((d, h.to_string()));
        } else if let Some(h) = makeup {
            makeup_workdays.push((d, h.to_string()));
        } else if d.is_weekend() {
            weekend_days_skipped += 1;
        }
    }
    let computed_due = d;
    Ok(DueExplanation {
        start,
        start_reason,
        base_days: ANSWER_DAYS,
        extension_days,
        extension_approver: extension,
        pauses,
        paused_days,
        working_days,
        computed_due,
        later_deadline,
        due: later_deadline.unwrap_or(computed_due),
        holidays_skipped,
        weekend_days_skipped,
        makeup_workdays,
    })
}
