//! Applications (依申请公开) and their events, per 条例 第二十七–四十五条 and 国办函〔2020〕109号,
//! with the validation of an event sequence.
//!
//! Applicant types and outcomes are indices into the catalogue (`xxgk_model::catalogue`): the
//! six applicant columns of table 三 and its outcome rows (2021 ids). Nothing here spells a
//! table label.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xxgk_model::catalogue::{self, RowDef, APPLICANT_COLUMNS, REQUESTS_2021};

use crate::calendar::Calendar;
use crate::day::Day;

/// 第三十条: the 补正 notice within this many working days of receipt.
pub const CORRECTION_NOTICE_DAYS: u32 = 7;
/// 第三十三条: the answer within this many working days.
pub const ANSWER_DAYS: u32 = 20;
/// 第三十三条: at most one extension of this many working days.
pub const EXTENSION_DAYS: u32 = 20;
/// 第三十二条 / 第三十四条: the consulted party's reply within this many working days.
pub const CONSULTATION_DAYS: u32 = 15;
/// 109号: the fee paid within this many working days of the notice.
pub const FEE_PAYMENT_DAYS: u32 = 20;

/// One of the six applicant columns of table 三 (自然人 … 其他), as its catalogue column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicantType(u8);

impl ApplicantType {
    /// The six types, in the printed column order.
    pub fn all() -> impl Iterator<Item = ApplicantType> {
        (0..APPLICANT_COLUMNS.len())
            .filter(|&i| APPLICANT_COLUMNS[i].key != "total")
            .map(|i| ApplicantType(i as u8))
    }

    /// The column id (`natural_person`, …).
    pub fn key(self) -> &'static str {
        APPLICANT_COLUMNS[self.0 as usize].key
    }

    /// The printed label (自然人, 商业企业, …).
    pub fn label(self) -> &'static str {
        APPLICANT_COLUMNS[self.0 as usize].label
    }

    /// From the column id or the printed label.
    pub fn parse(s: &str) -> Option<ApplicantType> {
        let s = s.trim();
        ApplicantType::all().find(|t| t.key() == s || t.label() == s)
    }
}

impl Serialize for ApplicantType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for ApplicantType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ApplicantType::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("未知的申请人类型“{s}”")))
    }
}

/// An outcome row of table 三 (the 2021 rows （一）…（六）3), as its catalogue row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome(u8);

impl Outcome {
    fn is_outcome(row: &RowDef) -> bool {
        row.group.is_some() && row.key != "total"
    }

    /// Every outcome row, in printed order.
    pub fn all() -> impl Iterator<Item = Outcome> {
        (0..REQUESTS_2021.rows.len())
            .filter(|&i| Outcome::is_outcome(&REQUESTS_2021.rows[i]))
            .map(|i| Outcome(i as u8))
    }

    pub fn row(self) -> &'static RowDef {
        &REQUESTS_2021.rows[self.0 as usize]
    }

    /// The row id (`granted`, `other_no_correction`, …).
    pub fn key(self) -> &'static str {
        self.row().key
    }

    /// The printed label with its group and marker, e.g. `（三）不予公开 1.属于国家秘密`.
    pub fn label(self) -> String {
        let row = self.row();
        match row.group {
            Some(g) if g != catalogue::OUTCOMES_GROUP => {
                format!("{g} {}{}", row.marker, row.label)
            }
            _ => format!("{}{}", row.marker, row.label),
        }
    }

    /// The 条例 article the answer rests on, where the spec names one.
    pub fn basis(self) -> Option<&'static str> {
        catalogue::requests_outcome_basis(self.key())
    }

    /// The row of the 2019 trial format the outcome is counted in (the three （六） rows of 2021
    /// are the single （六） of 2019).
    pub fn key_2019(self) -> &'static str {
        match self.key() {
            "other_no_correction" | "other_unpaid_fee" | "other_other" => "other",
            k => k,
        }
    }

    /// From the row id, the printed label (予以公开, 部分公开, 属于国家秘密 …, with or without its
    /// marker) or an alias; `other` (2019) is （六）3. An ambiguous label (其他) is （六）3.
    pub fn parse(s: &str) -> Option<Outcome> {
        let s = s.trim();
        let key = if s == "other" { "other_other" } else { s };
        if let Some(o) = Outcome::all().find(|o| o.key() == key) {
            return Some(o);
        }
        let stripped = s.trim_start_matches(|c: char| {
            c.is_ascii_digit() || "（）()一二三四五六七.、． ".contains(c)
        });
        Outcome::all().find(|o| {
            let row = o.row();
            row.label == s
                || row.label == stripped
                || row.aliases.contains(&s)
                || row.aliases.contains(&stripped)
                || o.label() == s
        })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Outcome::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("未知的办理结果“{s}”")))
    }
}

/// How the application arrived; 第三十一条 defines the receipt date for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交: the date it was handed in.
    InPerson,
    /// 邮寄（需签收）: the date the agency signed for it.
    Post,
    /// 平常信函: the date the office confirmed with the applicant on the day it arrived.
    OrdinaryMail,
    /// 互联网渠道: the date both sides confirmed.
    Online,
    /// 传真: the date both sides confirmed.
    Fax,
    /// Not recorded (a 台账 imported without a channel column).
    Unstated,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交",
            Channel::Post => "邮寄",
            Channel::OrdinaryMail => "平常信函",
            Channel::Online => "互联网",
            Channel::Fax => "传真",
            Channel::Unstated => "未登记",
        }
    }

    /// What the receipt date is for this channel (第三十一条).
    pub fn receipt_rule(self) -> &'static str {
        match self {
            Channel::InPerson => "第三十一条第（一）项：以提交之日为收到申请之日",
            Channel::Post => "第三十一条第（二）项：以行政机关签收之日为收到申请之日",
            Channel::OrdinaryMail => {
                "第三十一条第（二）项：以政府信息公开工作机构与申请人确认之日为收到申请之日"
            }
            Channel::Online | Channel::Fax => "第三十一条第（三）项：以双方确认之日为收到申请之日",
            Channel::Unstated => "提交渠道未登记：以登记的收到申请之日为准（第三十一条）",
        }
    }
}

/// An application as registered (第二十九条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// 编号, as the office gives it.
    pub number: String,
    pub applicant_type: ApplicantType,
    /// The applicant's name (personal data: the agency's staff only).
    pub applicant_name: String,
    /// The applicant's contact (personal data: the agency's staff only).
    pub contact: String,
    pub channel: Channel,
    /// 收到申请之日 as 第三十一条 defines it for the channel.
    pub received: Day,
    /// The information requested (名称、文号或者便于查询的其他特征性描述).
    pub content: String,
    /// The form requested (提供方式、获取方式).
    pub form: String,
}

/// Whom a consultation went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultKind {
    /// 第三十二条: a third party whose rights may be harmed.
    ThirdParty,
    /// 第三十四条: other agencies that made the information jointly.
    OtherAgency,
}

impl ConsultKind {
    pub fn label(self) -> &'static str {
        match self {
            ConsultKind::ThirdParty => "征求第三方意见（第三十二条）",
            ConsultKind::OtherAgency => "征求其他机关意见（第三十四条）",
        }
    }
}

/// The basis of an information-processing fee (国办函〔2020〕109号): one of the two, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FeeBasis {
    /// 按件计收: this request is the `nth` of the same applicant in the calendar month.
    PerRequest { nth_in_month: u32 },
    /// 按量计收: the pages of this request.
    PerPage { pages: u32 },
    /// The record does not say (a 台账 imported with only the notice date): no amount is shown.
    Unstated,
}

impl FeeBasis {
    /// The amount in yuan by the 109号 excess-progressive rules (`rules.md` §3.4); 0 for
    /// [`FeeBasis::Unstated`] (not shown: see [`FeeBasis::describe`]).
    pub fn amount_yuan(self) -> u64 {
        match self {
            FeeBasis::PerRequest { nth_in_month: k } => {
                let k = u64::from(k);
                match k {
                    0..=10 => 0,
                    11..=30 => 100,
                    _ => 100 * (1 + (k - 30).div_ceil(10)),
                }
            }
            FeeBasis::PerPage { pages } => {
                let p = u64::from(pages);
                let band = |lo: u64, hi: u64| p.min(hi).saturating_sub(lo);
                band(30, 100) * 10 + band(100, 200) * 20 + p.saturating_sub(200) * 40
            }
            FeeBasis::Unstated => 0,
        }
    }

    pub fn describe(self) -> String {
        match self {
            FeeBasis::PerRequest { nth_in_month } => {
                format!("按件计收（本月第 {nth_in_month} 件）")
            }
            FeeBasis::PerPage { pages } => format!("按量计收（{pages} 页）"),
            FeeBasis::Unstated => "台账未写明计费方式和金额".to_string(),
        }
    }
}

/// For 109号 按件计收: which application of its applicant in the calendar month of its receipt
/// `case` is (1 = the first). The same applicant = the same name (spaces trimmed) and applicant
/// type; applications are ordered by receipt date, then 编号. `case` itself need not be in
/// `register` (a new application counts as the next one).
pub fn nth_in_month(register: &[Case], case: &Case) -> u32 {
    let a = &case.application;
    let key = |x: &Application| (x.received, x.number.clone());
    let same = |x: &Application| {
        x.applicant_name.trim() == a.applicant_name.trim()
            && x.applicant_type == a.applicant_type
            && x.received.year() == a.received.year()
            && x.received.month() == a.received.month()
    };
    let before = register
        .iter()
        .map(|c| &c.application)
        .filter(|x| same(x) && key(x) < key(a))
        .count();
    before as u32 + 1
}

/// An event of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// 补正告知 (第三十条), with the deadline given to the applicant (`None` when the record does
    /// not state it, e.g. a 台账 imported without a 补正期限 column).
    CorrectionNotice {
        date: Day,
        #[serde(default)]
        deadline: Option<Day>,
    },
    /// The supplemented application received: the clock restarts from this date.
    CorrectionReceived { date: Day },
    /// A consultation sent (第三十二条 / 第三十四条): the clock is paused from this date.
    ConsultationSent {
        date: Day,
        kind: ConsultKind,
        party: String,
    },
    /// The reply to the earliest open consultation: the pause ends on this date.
    ConsultationReplied { date: Day },
    /// 延长答复期限 (第三十三条), approved by the head of the office.
    Extension { date: Day, approver: String },
    /// A reasonable later deadline set under 第三十五条.
    LaterDeadline { date: Day, deadline: Day },
    /// 收费通知 (109号): the clock is paused until payment.
    FeeNotice { date: Day, basis: FeeBasis },
    /// The fee paid: the pause ends on this date.
    FeePaid { date: Day },
    /// The answer (第三十六条), with the parts withheld for （二）部分公开.
    Answer {
        date: Day,
        outcome: Outcome,
        withheld: Option<String>,
    },
    /// The applicant withdrew the application (（六）3).
    Withdrawal { date: Day },
}

impl Event {
    pub fn date(&self) -> Day {
        match self {
            Event::CorrectionNotice { date, .. }
            | Event::CorrectionReceived { date }
            | Event::ConsultationSent { date, .. }
            | Event::ConsultationReplied { date }
            | Event::Extension { date, .. }
            | Event::LaterDeadline { date, .. }
            | Event::FeeNotice { date, .. }
            | Event::FeePaid { date }
            | Event::Answer { date, .. }
            | Event::Withdrawal { date } => *date,
        }
    }

    /// The event's name in the register.
    pub fn label(&self) -> &'static str {
        match self {
            Event::CorrectionNotice { .. } => "补正告知",
            Event::CorrectionReceived { .. } => "收到补正",
            Event::ConsultationSent { kind, .. } => kind.label(),
            Event::ConsultationReplied { .. } => "收回意见",
            Event::Extension { .. } => "延长答复期限",
            Event::LaterDeadline { .. } => "另行确定答复期限（第三十五条）",
            Event::FeeNotice { .. } => "收费通知",
            Event::FeePaid { .. } => "缴费",
            Event::Answer { .. } => "答复",
            Event::Withdrawal { .. } => "申请人撤回申请",
        }
    }
}

/// An application and its events, in the order they happened (events on one day in the order
/// recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub application: Application,
    pub events: Vec<Event>,
}

/// A problem of a case's event sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseProblem {
    /// The event (index into [`Case::events`]) it concerns, if one.
    pub event: Option<usize>,
    /// The rule it rests on (第三十条 …).
    pub rule: String,
    pub message: String,
}

impl fmt::Display for CaseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（{}）", self.message, self.rule)
    }
}

/// The result of [`Case::validate`]: errors make the sequence impossible; warnings are flags
/// (a late 补正 notice) the register shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    pub errors: Vec<CaseProblem>,
    pub warnings: Vec<CaseProblem>,
}

impl Validation {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// How a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub date: Day,
    pub outcome: Outcome,
}

impl Case {
    /// The events in date order (stable: same-day events keep their recorded order), with their
    /// indices.
    pub fn ordered_events(&self) -> Vec<(usize, &Event)> {
        let mut v: Vec<(usize, &Event)> = self.events.iter().enumerate().collect();
        v.sort_by_key(|(i, e)| (e.date(), *i));
        v
    }

    /// The answer or withdrawal that closed the case, if any (the first one).
    pub fn closing(&self) -> Option<Closing> {
        self.ordered_events()
            .into_iter()
            .find_map(|(_, e)| match e {
                Event::Answer { date, outcome, .. } => Some(Closing {
                    date: *date,
                    outcome: *outcome,
                }),
                Event::Withdrawal { date } => {
                    Outcome::parse("other_other").map(|outcome| Closing {
                        date: *date,
                        outcome,
                    })
                }
                _ => None,
            })
    }

    /// Checks the event sequence against 条例 第三十–三十七条 and 109号. The calendar is needed
    /// for the working-day limits (the 补正 notice within 7 working days, the fee within 20);
    /// a limit whose year has no calendar data is reported as a warning, not guessed.
    pub fn validate(&self, cal: &Calendar) -> Validation {
        let mut v = Validation::default();
        let received = self.application.received;
        let mut err = |event: Option<usize>, rule: &'static str, message: String| {
            v.errors.push(CaseProblem {
                event,
                rule: rule.to_string(),
                message,
            })
        };
        let mut warnings: Vec<CaseProblem> = Vec::new();
        if self.application.number.trim().is_empty() {
            err(None, "第四十五条", "申请缺少编号".to_string());
        }
        let mut correction_notice: Option<(usize, Day, Option<Day>)> = None;
        let mut correction_received: Option<Day> = None;
        let mut open_consultations: Vec<Day> = Vec::new();
        let mut extension = false;
        let mut later_deadline = false;
        let mut fee_notice: Option<Day> = None;
        let mut fee_paid = false;
        let mut closed: Option<Day> = None;
        for (i, e) in self.ordered_events() {
            let date = e.date();
            let at = Some(i);
            if date < received {
                err(
                    at,
                    "第三十一条",
                    format!("{}日期 {date} 早于收到申请之日 {received}", e.label()),
                );
                continue;
            }
            if let Some(c) = closed {
                err(
                    at,
                    "第三十六条",
                    format!("申请已于 {c} 办结，不能再登记{}（{date}）", e.label()),
                );
                continue;
            }
            match e {
                Event::CorrectionNotice { deadline, .. } => {
                    if correction_notice.is_some() {
                        err(
                            at,
                            "第三十条",
                            "补正应一次性告知，本申请已有一次补正告知".to_string(),
                        );
                        continue;
                    }
                    if let Some(deadline) = deadline.filter(|d| *d <= date) {
                        err(
                            at,
                            "第三十条",
                            format!("补正期限 {deadline} 应晚于补正告知之日 {date}"),
                        );
                    }
                    match cal.working_days_between(received, date) {
                        Ok(n) if n > CORRECTION_NOTICE_DAYS => warnings.push(CaseProblem {
                            event: at,
                            rule: "第三十条".to_string(),
                            message: format!(
                                "补正告知晚于收到申请之日起 {CORRECTION_NOTICE_DAYS} 个工作日（第 {n} 个工作日告知）"
                            ),
                        }),
                        Ok(_) => {}
                        Err(m) => warnings.push(CaseProblem {
                            event: at,
                            rule: "第三十条".to_string(),
                            message: format!("无法核对补正告知是否在 7 个工作日内：{m}"),
                        }),
                    }
                    correction_notice = Some((i, date, *deadline));
                }
                Event::CorrectionReceived { .. } => {
                    if correction_notice.is_none() {
                        err(at, "第三十条", "没有补正告知，不能登记收到补正".to_string());
                    } else if correction_received.is_some() {
                        err(at, "第三十条", "补正材料已经收到过一次".to_string());
                    } else {
                        correction_received = Some(date);
                    }
                }
                Event::ConsultationSent { party, .. } => {
                    if party.trim().is_empty() {
                        err(at, "第三十二条", "征求意见应写明征求对象".to_string());
                    }
                    open_consultations.push(date);
                }
                Event::ConsultationReplied { .. } => {
                    if open_consultations.is_empty() {
                        err(
                            at,
                            "第三十二条",
                            "没有未收回的征求意见，不能登记收回意见".to_string(),
                        );
                    } else {
                        open_consultations.remove(0);
                    }
                }
                Event::Extension { approver, .. } => {
                    if extension {
                        err(
                            at,
                            "第三十三条",
                            "答复期限只能延长一次（延长期限最长不超过20个工作日）".to_string(),
                        );
                    } else if approver.trim().is_empty() {
                        err(
                            at,
                            "第三十三条",
                            "延长答复期限须经政府信息公开工作机构负责人同意，应写明批准人"
                                .to_string(),
                        );
                    }
                    if !extension {
                        // The extension is decided within the period it extends.
                        let before = Case {
                            application: self.application.clone(),
                            events: self
                                .ordered_events()
                                .into_iter()
                                .filter(|(j, x)| x.date() < date || (x.date() == date && *j < i))
                                .map(|(_, x)| x.clone())
                                .collect(),
                        };
                        if let Some(due) = crate::clock::clock(&before, cal, date).due {
                            if date > due {
                                warnings.push(CaseProblem {
                                    event: at,
                                    rule: "第三十三条".to_string(),
                                    message: format!(
                                        "延长答复期限晚于原答复期限 {due}：延长应在期限内经负责人同意并告知申请人"
                                    ),
                                });
                            }
                        }
                    }
                    extension = true;
                }
                Event::LaterDeadline { deadline, .. } => {
                    if later_deadline {
                        err(at, "第三十五条", "已另行确定过答复期限".to_string());
                    }
                    if *deadline <= date {
                        err(
                            at,
                            "第三十五条",
                            format!("另行确定的答复期限 {deadline} 应晚于告知之日 {date}"),
                        );
                    }
                    later_deadline = true;
                }
                Event::FeeNotice { basis, .. } => {
                    if fee_notice.is_some() {
                        err(
                            at,
                            "国办函〔2020〕109号",
                            "同一申请只能发出一次收费通知（按件、按量只能选择一种）".to_string(),
                        );
                        continue;
                    }
                    if *basis != FeeBasis::Unstated && basis.amount_yuan() == 0 {
                        err(
                            at,
                            "国办函〔2020〕109号",
                            format!("{}不收费，不应发出收费通知", basis.describe()),
                        );
                    }
                    fee_notice = Some(date);
                }
                Event::FeePaid { .. } => {
                    if fee_notice.is_none() {
                        err(
                            at,
                            "国办函〔2020〕109号",
                            "没有收费通知，不能登记缴费".to_string(),
                        );
                    } else if fee_paid {
                        err(at, "国办函〔2020〕109号", "已经登记过缴费".to_string());
                    }
                    fee_paid = true;
                }
                Event::Answer {
                    outcome, withheld, ..
                } => {
                    let withheld = withheld.as_deref().map(str::trim).unwrap_or("");
                    match outcome.key() {
                        "partially_granted" if withheld.is_empty() => err(
                            at,
                            "第三十七条",
                            "部分公开应写明不予公开的部分及理由".to_string(),
                        ),
                        "partially_granted" => {}
                        _ if !withheld.is_empty() => err(
                            at,
                            "第三十七条",
                            "只有部分公开的答复才登记不予公开的部分".to_string(),
                        ),
                        "other_no_correction" => match correction_notice {
                            None => err(
                                at,
                                "第三十条",
                                "没有补正告知，不能按“逾期不补正”办结".to_string(),
                            ),
                            Some(_) if correction_received.is_some() => err(
                                at,
                                "第三十条",
                                "补正材料已经收到，不能按“逾期不补正”办结".to_string(),
                            ),
                            Some((_, _, Some(deadline))) if date <= deadline => err(
                                at,
                                "第三十条",
                                format!("补正期限 {deadline} 尚未届满，不能按“逾期不补正”办结"),
                            ),
                            Some(_) => {}
                        },
                        "other_unpaid_fee" => match fee_notice {
                            None => err(
                                at,
                                "国办函〔2020〕109号",
                                "没有收费通知，不能按“逾期未缴费”办结".to_string(),
                            ),
                            Some(_) if fee_paid => err(
                                at,
                                "国办函〔2020〕109号",
                                "费用已经缴纳，不能按“逾期未缴费”办结".to_string(),
                            ),
                            Some(n) => match cal.working_days_between(n, date) {
                                Ok(k) if k <= FEE_PAYMENT_DAYS => err(
                                    at,
                                    "国办函〔2020〕109号",
                                    format!(
                                        "收费通知（{n}）后的 {FEE_PAYMENT_DAYS} 个工作日缴费期尚未届满（至 {date} 为第 {k} 个工作日）"
                                    ),
                                ),
                                Ok(_) => {}
                                Err(m) => warnings.push(CaseProblem {
                                    event: at,
                                    rule: "国办函〔2020〕109号".to_string(),
                                    message: format!("无法核对缴费期是否届满：{m}"),
                                }),
                            },
                        },
                        "unavailable_unclear_after_correction" if correction_received.is_none() => {
                            err(
                                at,
                                "第三十条",
                                "没有收到补正材料，不能按“补正后申请内容仍不明确”答复".to_string(),
                            )
                        }
                        _ => {}
                    }
                    closed = Some(date);
                }
                Event::Withdrawal { .. } => closed = Some(date),
            }
        }
        v.warnings = warnings;
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applicant_types_are_the_six_catalogue_columns() {
        let labels: Vec<_> = ApplicantType::all().map(|t| t.label()).collect();
        assert_eq!(
            labels,
            [
                "自然人",
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他"
            ]
        );
        assert_eq!(
            ApplicantType::parse("法律服务机构").map(|t| t.key()),
            Some("legal_service_organization")
        );
        assert_eq!(ApplicantType::parse("总计"), None);
    }

    #[test]
    fn outcomes_are_the_2021_outcome_rows() {
        let keys: Vec<_> = Outcome::all().map(|o| o.key()).collect();
        assert_eq!(keys.len(), 21);
        assert_eq!(keys[0], "granted");
        assert_eq!(keys[20], "other_other");
        assert!(!keys.contains(&"total") && !keys.contains(&"new_received"));
        assert_eq!(
            Outcome::parse("部分公开").map(|o| o.key()),
            Some("partially_granted")
        );
        assert_eq!(
            Outcome::parse("属于国家秘密").map(|o| o.key()),
            Some("denied_state_secret")
        );
        assert_eq!(Outcome::parse("其他").map(|o| o.key()), Some("other_other"));
        assert_eq!(
            Outcome::parse("重复申请").map(|o| o.key()),
            Some("unprocessed_duplicate")
        );
        assert_eq!(
            Outcome::parse("本机关不掌握相关政府信息").map(|o| o.key()),
            Some("unavailable_not_held")
        );
        assert_eq!(
            Outcome::parse("granted").map(|o| o.key_2019()),
            Some("granted")
        );
        assert_eq!(
            Outcome::parse("other_unpaid_fee").map(|o| o.key_2019()),
            Some("other")
        );
        assert_eq!(Outcome::parse("没有的结果"), None);
    }

    #[test]
    fn nth_in_month_counts_the_applicants_requests_of_the_month() {
        let mk = |number: &str, name: &str, received: &str| Case {
            application: Application {
                number: number.to_string(),
                applicant_type: ApplicantType::parse("自然人").expect("a type"),
                applicant_name: name.to_string(),
                contact: String::new(),
                channel: Channel::Online,
                received: received.parse().expect("a date"),
                content: String::new(),
                form: String::new(),
            },
            events: vec![],
        };
        let register = vec![
            mk("1", "张三", "2025-02-28"),
            mk("2", "张三", "2025-03-03"),
            mk("3", "李四", "2025-03-04"),
            mk("4", "张三 ", "2025-03-04"),
            mk("5", "张三", "2025-03-04"),
            mk("6", "张三", "2025-04-01"),
        ];
        // In March 张三 has 2 (03-03), 4 and 5 (03-04, by 编号): 5 is the third.
        assert_eq!(nth_in_month(&register, &register[4]), 3);
        assert_eq!(nth_in_month(&register, &register[1]), 1);
        assert_eq!(nth_in_month(&register, &register[5]), 1);
        assert_eq!(nth_in_month(&register, &mk("7", "张三", "2025-03-31")), 4);
    }

    #[test]
    fn fees_follow_109() {
        // rules.md §3.4, worked by hand: 250 pages = 70×10 + 100×20 + 50×40 = 4700.
        assert_eq!(FeeBasis::PerPage { pages: 250 }.amount_yuan(), 4700);
        assert_eq!(FeeBasis::PerPage { pages: 30 }.amount_yuan(), 0);
        assert_eq!(FeeBasis::PerPage { pages: 31 }.amount_yuan(), 10);
        // 100 pages: 70×10 = 700; 101 pages: 700 + 20.
        assert_eq!(FeeBasis::PerPage { pages: 100 }.amount_yuan(), 700);
        assert_eq!(FeeBasis::PerPage { pages: 101 }.amount_yuan(), 720);
        // 按件: 1–10 free, 11–30 100, 31–40 200, 41–50 300.
        for (k, fee) in [
            (10, 0),
            (11, 100),
            (30, 100),
            (31, 200),
            (40, 200),
            (41, 300),
            (51, 400),
        ] {
            assert_eq!(
                FeeBasis::PerRequest { nth_in_month: k }.amount_yuan(),
                fee,
                "{k}"
            );
        }
    }
}
