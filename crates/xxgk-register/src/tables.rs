//! Tables 三 and 四 of year Y derived from the register, in Y's format (2019 trial format for
//! 2019–2020, 2021 format from 2021), as the cells of an [`xxgk_model::Report`] so that the
//! writers and `xxgk check` take them as they take a report read from a file.
//!
//! Table 三 (one application = one count, in its applicant column):
//! - 一、本年新收 = applications received in Y;
//! - 二、上年结转 = received before Y and not closed before 1 January Y;
//! - each outcome row = closed (answered, withdrawn, （六）) in Y with that outcome (the three （六）
//!   rows of 2021 are the single （六） of 2019); （七）总计 = their sum;
//! - 四、结转下年度 = received by 31 December Y and not closed by then;
//! - the 总计 column = the sum of the six applicant columns.
//!
//!   So 一 + 二 = （七） + 四 in every column by construction, and 二 of Y is 四 of Y − 1.
//!
//! Table 四, the counting rule adopted (no national text settles it, `rules.md` §4.2 item 9): a
//! 行政复议 / 行政诉讼 case is counted in year Y when it was filed by 31 December Y and not
//! concluded before 1 January Y — concluded in Y: in its result column (维持 / 纠正 / 其他);
//! not concluded by 31 December Y: 尚未审结. A case pending over several year ends is thus
//! 尚未审结 in each of those years and counted by its result in the year it is concluded, the
//! same rule as table 三's 二 / 四. 总计 = the four columns.
//!
//! Every cell comes with its provenance: the numbers (编号) of the cases behind it. A case whose
//! events are not a valid sequence ([`Case::validate`] errors) is not counted; it is listed in
//! [`DerivedTables::excluded`] with the reason, never dropped silently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use xxgk_model::catalogue::{self, Format, TableId, APPEAL_COLUMNS};
use xxgk_model::{Cell, CellId, Located, Meta, Report, ReportKind, Span, Value};

use crate::calendar::Calendar;
use crate::case::{ApplicantType, Case, Outcome};
use crate::day::Day;

/// Which row of table 四 an appeal belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    /// 行政复议.
    Review,
    /// 行政诉讼，未经复议直接起诉.
    LitigationDirect,
    /// 行政诉讼，复议后起诉.
    LitigationAfterReview,
}

impl AppealKind {
    /// The row id of table 四 in the catalogue.
    pub fn row_key(self) -> &'static str {
        match self {
            AppealKind::Review => "review",
            AppealKind::LitigationDirect => "litigation_direct",
            AppealKind::LitigationAfterReview => "litigation_after_review",
        }
    }
}

/// The result of a concluded appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    /// 维持.
    Upheld,
    /// 纠正 (撤销、变更、确认违法、责令履行).
    Corrected,
    /// 其他 (驳回、终止、撤回、调解 …).
    Other,
}

impl AppealResult {
    /// The column id of table 四 in the catalogue.
    pub fn column_key(self) -> &'static str {
        match self {
            AppealResult::Upheld => "upheld",
            AppealResult::Corrected => "corrected",
            AppealResult::Other => "other",
        }
    }
}

/// A 行政复议 or 行政诉讼 case about the agency's information disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealCase {
    pub number: String,
    pub kind: AppealKind,
    pub filed: Day,
    /// The date concluded and the result; `None` while pending (尚未审结).
    pub concluded: Option<(Day, AppealResult)>,
}

/// Tables 三 and 四 of one year, with the cases behind every cell.
#[derive(Debug, Clone)]
pub struct DerivedTables {
    pub year: i32,
    pub format: Format,
    /// A report holding the cells of tables 三 and 四 (and `meta.year`) only.
    pub report: Report,
    /// The case numbers behind each cell (empty for a 0); no entry at all when derived from
    /// counts ([`derive_tables_from_counts`]).
    pub provenance: BTreeMap<CellId, Vec<String>>,
    /// Cases not counted, with the reason (Chinese).
    pub excluded: Vec<(String, String)>,
}

/// The year cannot be derived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeriveError {
    #[error("{0} 年度没有标准表格格式（标准格式自 2019 年度起使用），无法生成表三、表四")]
    NoFormat(i32),
}

/// What the tables need of a case: a store can keep these as columns and derive a year without
/// reading the cases ([`derive_tables_from`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub number: String,
    pub applicant_type: ApplicantType,
    pub received: Day,
    /// The closing date and outcome ([`Case::closing`]).
    pub closing: Option<(Day, Outcome)>,
    /// Why the case is not counted: its [`Case::validate`] errors, joined (`None`: counted).
    pub excluded: Option<String>,
}

impl CaseSummary {
    /// The summary of a case, validated with `cal`.
    pub fn of(case: &Case, cal: &Calendar) -> CaseSummary {
        let v = case.validate(cal);
        CaseSummary {
            number: case.application.number.clone(),
            applicant_type: case.application.applicant_type,
            received: case.application.received,
            closing: case.closing().map(|c| (c.date, c.outcome)),
            excluded: (!v.is_ok()).then(|| {
                v.errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("；")
            }),
        }
    }
}

/// Derives tables 三 and 四 of `year` from the register.
pub fn derive_tables(
    year: i32,
    cases: &[Case],
    appeals: &[AppealCase],
    cal: &Calendar,
) -> Result<DerivedTables, DeriveError> {
    let summaries: Vec<CaseSummary> = cases.iter().map(|c| CaseSummary::of(c, cal)).collect();
    derive_tables_from(year, &summaries, appeals)
}

/// Cases that count alike in every year: the same applicant type, received date, closing date
/// and outcome (a store can group its cases so, or by anything finer; see
/// [`derive_tables_from_groups`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseGroup {
    pub applicant_type: ApplicantType,
    pub received: Day,
    pub closing: Option<(Day, Outcome)>,
    /// The numbers (编号) of the cases, in the order the cells list them.
    pub numbers: Vec<String>,
}

/// What the counting rules see of one case or of a group of cases alike.
enum Entry<'a> {
    Counted {
        applicant_type: ApplicantType,
        received: Day,
        closing: Option<(Day, Outcome)>,
        /// How many cases (`numbers.len()` when the numbers are given).
        count: usize,
        numbers: &'a [String],
    },
    Excluded {
        number: &'a str,
        why: &'a str,
    },
}

/// Derives tables 三 and 四 of `year` from case summaries (as [`derive_tables`]).
pub fn derive_tables_from(
    year: i32,
    cases: &[CaseSummary],
    appeals: &[AppealCase],
) -> Result<DerivedTables, DeriveError> {
    derive(
        year,
        cases.iter().map(|c| match &c.excluded {
            Some(why) => Entry::Excluded {
                number: &c.number,
                why,
            },
            None => Entry::Counted {
                applicant_type: c.applicant_type,
                received: c.received,
                closing: c.closing,
                count: 1,
                numbers: std::slice::from_ref(&c.number),
            },
        }),
        appeals,
        true,
    )
}

/// Derives tables 三 and 四 of `year` from groups of cases alike and the cases not counted
/// (number, reason), by the same rules as [`derive_tables_from`]: the result is that of the
/// summaries of the groups' cases in group order, then the excluded ones.
pub fn derive_tables_from_groups(
    year: i32,
    groups: &[CaseGroup],
    excluded: &[(String, String)],
    appeals: &[AppealCase],
) -> Result<DerivedTables, DeriveError> {
    derive(
        year,
        groups
            .iter()
            .map(|g| Entry::Counted {
                applicant_type: g.applicant_type,
                received: g.received,
                closing: g.closing,
                count: g.numbers.len(),
                numbers: &g.numbers,
            })
            .chain(
                excluded
                    .iter()
                    .map(|(number, why)| Entry::Excluded { number, why }),
            ),
        appeals,
        true,
    )
}

/// A number of cases that count alike (as [`CaseGroup`], without their numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseCount {
    pub applicant_type: ApplicantType,
    pub received: Day,
    pub closing: Option<(Day, Outcome)>,
    pub count: usize,
}

/// The cells of tables 三 and 四 of `year` from counts of cases alike, by the same rules as
/// [`derive_tables_from_groups`] but without the numbers: [`DerivedTables::provenance`] is
/// empty (a page fetches the numbers of one cell when asked).
pub fn derive_tables_from_counts(
    year: i32,
    counts: &[CaseCount],
    excluded: &[(String, String)],
    appeals: &[AppealCase],
) -> Result<DerivedTables, DeriveError> {
    derive(
        year,
        counts
            .iter()
            .map(|c| Entry::Counted {
                applicant_type: c.applicant_type,
                received: c.received,
                closing: c.closing,
                count: c.count,
                numbers: &[],
            })
            .chain(
                excluded
                    .iter()
                    .map(|(number, why)| Entry::Excluded { number, why }),
            ),
        appeals,
        false,
    )
}

/// The counting rules. `with_numbers`: the provenance is filled (else left empty).
fn derive<'a>(
    year: i32,
    cases: impl Iterator<Item = Entry<'a>>,
    appeals: &'a [AppealCase],
    with_numbers: bool,
) -> Result<DerivedTables, DeriveError> {
    let format = Format::for_year(year).ok_or(DeriveError::NoFormat(year))?;
    let (Some(first), Some(last)) = (Day::from_ymd(year, 1, 1), Day::from_ymd(year, 12, 31)) else {
        return Err(DeriveError::NoFormat(year));
    };
    let mut prov: BTreeMap<CellId, Vec<String>> = BTreeMap::new();
    let mut excluded = Vec::new();
    for table in [TableId::Requests, TableId::Appeals] {
        for (row, col) in catalogue::table(format, table).cells() {
            let id = CellId {
                table,
                row: row.key,
                column: col.key,
            };
            prov.insert(id, Vec::new());
        }
    }
    // Counts `numbers` in (row, column) and in (row, 总计): noted here, the cells are filled
    // below at their final size (a year of 60,000 cases puts some 400,000 numbers in cells; lists
    // growing among them made most of the time of a derivation go to the allocator).
    let mut counted: Vec<(CellId, &'a [String])> = Vec::new();
    let mut counts: BTreeMap<CellId, usize> = BTreeMap::new();
    let mut add = |table: TableId,
                   row: &'static str,
                   column: &'static str,
                   count: usize,
                   numbers: &'a [String]| {
        for column in [column, "total"] {
            let id = CellId { table, row, column };
            if prov.contains_key(&id) {
                *counts.entry(id).or_default() += count;
                if with_numbers {
                    counted.push((id, numbers));
                }
            }
        }
    };

    for case in cases {
        let (applicant_type, received, closed, count, numbers) = match case {
            Entry::Excluded { number, why } => {
                excluded.push((number.to_string(), why.to_string()));
                continue;
            }
            Entry::Counted {
                applicant_type,
                received,
                closing,
                count,
                numbers,
            } => (applicant_type, received, closing, count, numbers),
        };
        if received > last {
            continue;
        }
        if closed.is_some_and(|(date, _)| date < first) {
            continue;
        }
        let column = applicant_type.key();
        if received >= first {
            add(TableId::Requests, "new_received", column, count, numbers);
        } else {
            add(TableId::Requests, "carried_over", column, count, numbers);
        }
        match closed {
            Some((date, outcome)) if date <= last => {
                let row = match format {
                    Format::F2019 => outcome.key_2019(),
                    Format::F2021 => outcome.key(),
                };
                add(TableId::Requests, row, column, count, numbers);
                add(TableId::Requests, "total", column, count, numbers);
            }
            _ => add(TableId::Requests, "carried_forward", column, count, numbers),
        }
    }

    for a in appeals {
        if let Some((date, _)) = a.concluded {
            if date < a.filed {
                excluded.push((
                    a.number.clone(),
                    format!("审结日期 {date} 早于立案日期 {}", a.filed),
                ));
                continue;
            }
        }
        if a.filed > last || a.concluded.is_some_and(|(d, _)| d < first) {
            continue;
        }
        let column = match a.concluded {
            Some((d, r)) if d <= last => r.column_key(),
            _ => "pending",
        };
        debug_assert!(APPEAL_COLUMNS.iter().any(|c| c.key == column));
        add(
            TableId::Appeals,
            a.kind.row_key(),
            column,
            1,
            std::slice::from_ref(&a.number),
        );
    }

    let mut sizes: BTreeMap<CellId, usize> = BTreeMap::new();
    for (id, numbers) in &counted {
        *sizes.entry(*id).or_default() += numbers.len();
    }
    for (id, n) in sizes {
        if let Some(v) = prov.get_mut(&id) {
            v.reserve_exact(n);
        }
    }
    for (id, numbers) in counted {
        if let Some(v) = prov.get_mut(&id) {
            v.extend_from_slice(numbers);
        }
    }

    let cells = prov
        .keys()
        .map(|k| {
            (
                *k,
                Cell {
                    value: Value::int(counts.get(k).copied().unwrap_or(0) as i64),
                    span: Span::default(),
                    printed_column: None,
                    located: Located::Label,
                    ocr: None,
                },
            )
        })
        .collect();
    let report = Report {
        source: None,
        kind: ReportKind::Standard(format),
        meta: Meta {
            year: Some(year),
            ..Meta::default()
        },
        sections: Vec::new(),
        tables: Vec::new(),
        cells,
        findings: Vec::new(),
    };
    if !with_numbers {
        prov.clear();
    }
    Ok(DerivedTables {
        year,
        format,
        report,
        provenance: prov,
        excluded,
    })
}

/// The counting rules of [`derive_tables`] in Chinese, as the pages state them beside the
/// derived tables (the module's documentation says the same in English).
pub const COUNTING_RULES_ZH: [&str; 6] = [
    "表三按申请件数统计，每件申请计入其申请人类型一列；“总计”列为六类申请人之和。",
    "一、本年新收：本年度 1 月 1 日至 12 月 31 日收到的申请。",
    "二、上年结转：本年度以前收到、至本年度 1 月 1 日尚未办结的申请（即上一年度的“四、结转下年度”）。",
    "三、本年度办理结果：本年度内办结（答复、撤回等）的申请，按办理结果计入相应的行；（七）总计为各行之和。",
    "四、结转下年度：至本年度 12 月 31 日已收到、尚未办结的申请。因此每一列都有 一 + 二 = （七）总计 + 四。",
    "表四按案件统计：本年度 12 月 31 日以前立案、且未在本年度 1 月 1 日以前审结的行政复议、行政诉讼案件；本年度审结的按结果计入“结果维持”“结果纠正”“其他结果”，至 12 月 31 日尚未审结的计入“尚未审结”；跨越多个年度的案件在每个年度末都计为“尚未审结”，在审结的年度按结果计入。申请事件顺序有误（如答复早于收到申请）的申请不计入，并在表下列出原因。",
];
