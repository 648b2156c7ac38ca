//! The office's 台账 as a file: CSV (UTF-8, with or without BOM, or GBK) or XLSX (the first
//! sheet) with the columns of [`COLUMNS`] in any order. Pure: bytes in, cases and per-row
//! problems out.
//!
//! What a 台账 row does not say is never made up as a number or a date: a 补正 notice without a
//! 补正期限 column has no deadline, a fee notice has [`FeeBasis::Unstated`], an application has
//! [`Channel::Unstated`]. Where the domain requires a text the 台账 has no column for (the
//! consulted party, the extension's approver, the parts withheld of a 部分公开), the text says
//! that the 台账 does not state it. A 延期 of 是 is recorded on the date the clock starts (the
//! 台账 has no date for it; the clock does not use the date).

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use crate::calendar::Calendar;
use crate::case::{
    ApplicantType, Application, Case, Channel, ConsultKind, Event, FeeBasis, Outcome,
};
use crate::clock::ClockState;
use crate::day::Day;

/// The columns of the 台账, in the order the export writes them.
pub const COLUMNS: [&str; 14] = [
    "编号",
    "收到日期",
    "申请人类型",
    "申请人",
    "申请内容",
    "补正告知日期",
    "补正收到日期",
    "征求意见日期",
    "意见收回日期",
    "延期",
    "收费通知日期",
    "缴费日期",
    "答复日期",
    "办理结果",
];

/// The columns a file must have.
pub const REQUIRED: [&str; 3] = ["编号", "收到日期", "申请人类型"];

/// The columns the export adds after [`COLUMNS`].
pub const EXPORT_EXTRA: [&str; 2] = ["答复期限", "状态"];

/// The party of a consultation imported from a 台账 (which has no column for it).
pub const UNSTATED_PARTY: &str = "台账未写明征求对象";
/// The approver of an extension imported from a 台账.
pub const UNSTATED_APPROVER: &str = "台账未写明批准人";
/// The parts withheld of a 部分公开 imported from a 台账.
pub const UNSTATED_WITHHELD: &str = "台账未写明不予公开的部分";

/// A cell as read: text, or a date cell of a workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Date(Day),
    /// A number cell (written without a trailing `.0` when whole).
    Number(f64),
}

impl CellValue {
    fn text(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(s) => s.trim().to_string(),
            CellValue::Date(d) => d.to_string(),
            CellValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            CellValue::Number(n) => n.to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        // `text()` without its allocation: only a blank text is empty.
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            CellValue::Date(_) | CellValue::Number(_) => false,
        }
    }
}

/// A problem of one row (or of the header, row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "第 {} 行“{c}”列：{}", self.row, self.message),
            None => write!(f, "第 {} 行：{}", self.row, self.message),
        }
    }
}

/// One good row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRow {
    pub row: usize,
    pub case: Case,
}

/// What a file gave.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The rows without problems, in file order.
    pub rows: Vec<ImportedRow>,
    /// Every problem, by row; a row with a problem is not in `rows`.
    pub errors: Vec<RowError>,
    /// Header cells that are not columns of the 台账 (ignored).
    pub unknown_columns: Vec<String>,
    /// What the file was read as (`XLSX`, `CSV（UTF-8）`, `CSV（GBK）`).
    pub read_as: &'static str,
}

impl Imported {
    /// The row numbers left out (each once, in order).
    pub fn bad_rows(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.errors.iter().map(|e| e.row).collect();
        rows.dedup();
        rows
    }
}

/// The file cannot be read as a 台账 at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("文件是空的（没有表头行）")]
    Empty,
    #[error("表头缺少必需的列：{}（表头应包含：{}）", .0.join("、"), COLUMNS.join("、"))]
    MissingColumns(Vec<&'static str>),
    #[error("表头中“{0}”列出现了两次")]
    DuplicateColumn(String),
    #[error("无法读取 XLSX 文件：{0}")]
    Xlsx(String),
    #[error("无法读取 CSV 文件：{0}")]
    Csv(String),
    #[error("文件既不是 UTF-8 也不是 GBK 编码的文本")]
    Encoding,
}

/// Reads a 台账 file (CSV or XLSX, told by its content) and turns each row into a case,
/// validated with `cal` ([`Case::validate`]: its errors are row errors, in the event's column).
pub fn import(bytes: &[u8], cal: &Calendar) -> Result<Imported, ImportError> {
    let (rows, read_as) = if bytes.starts_with(b"PK\x03\x04") {
        (xlsx_rows(bytes)?, "XLSX")
    } else {
        csv_rows(bytes)?
    };
    let mut out = cases_from_rows(rows, cal)?;
    out.read_as = read_as;
    Ok(out)
}

/// Rows of cells with their spreadsheet row numbers.
type Rows = Vec<(usize, Vec<CellValue>)>;

fn csv_rows(bytes: &[u8]) -> Result<(Rows, &'static str), ImportError> {
    let (text, read_as) = match std::str::from_utf8(bytes) {
        Ok(t) => (t.trim_start_matches('\u{feff}').to_string(), "CSV（UTF-8）"),
        Err(_) => {
            let (t, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(ImportError::Encoding);
            }
            (t.into_owned(), "CSV（GBK）")
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ImportError::Csv(format!("第 {} 行：{e}", i + 1)))?;
        let cells = record
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    CellValue::Empty
                } else {
                    CellValue::Text(s.to_string())
                }
            })
            .collect();
        rows.push((i + 1, cells));
    }
    Ok((rows, read_as))
}

fn xlsx_rows(bytes: &[u8]) -> Result<Rows, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Xlsx(e.to_string()))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| ImportError::Xlsx(e.to_string()))?,
        None => return Err(ImportError::Empty),
    };
    let first = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![CellValue::Empty; first_col];
        cells.extend(row.iter().map(|d: &Data| {
            match d {
                Data::Empty => CellValue::Empty,
                Data::String(s) => CellValue::Text(s.clone()),
                Data::Int(n) => CellValue::Number(*n as f64),
                Data::Float(f) => CellValue::Number(*f),
                Data::Bool(b) => CellValue::Text(if *b { "是" } else { "否" }.to_string()),
                Data::DateTime(dt) => excel_day(dt.as_f64())
                    .map_or_else(|| CellValue::Number(dt.as_f64()), CellValue::Date),
                Data::DateTimeIso(s) => {
                    CellValue::Text(s.get(..10).unwrap_or(s.as_str()).to_string())
                }
                Data::DurationIso(s) => CellValue::Text(s.clone()),
                Data::Error(e) => CellValue::Text(format!("#{e}")),
            }
        }));
        rows.push((first + i + 1, cells));
    }
    Ok(rows)
}

/// The day of an Excel date serial (1900 system: serial 1 = 1900-01-01, with Excel's fictitious
/// 1900-02-29, so serials from 61 on count from 1899-12-30).
fn excel_day(serial: f64) -> Option<Day> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    Day::from_ymd(1899, 12, 30).map(|base| base.plus(serial.floor() as i32))
}

/// A date in one of the forms of a 台账: `YYYY-MM-DD`, `YYYY/M/D`, `YYYY-M-D`, `YYYY.M.D`,
/// `YYYY年M月D日`.
pub fn parse_date(s: &str) -> Option<Day> {
    let t = s.trim();
    let parts: Vec<&str> = if t.contains('年') {
        let (y, rest) = t.split_once('年')?;
        let (m, rest) = rest.split_once('月')?;
        vec![y, m, rest.strip_suffix('日')?]
    } else {
        let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
        t.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    if y.len() != 4 {
        return None;
    }
    Day::from_ymd(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?)
}

fn cases_from_rows(rows: Rows, cal: &Calendar) -> Result<Imported, ImportError> {
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((header_row, header)) = rows.next() else {
        return Err(ImportError::Empty);
    };
    let mut out = Imported::default();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, cell) in header.iter().enumerate() {
        let name = cell.text();
        if name.is_empty() {
            continue;
        }
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) => {
                if index.insert(c, i).is_some() {
                    return Err(ImportError::DuplicateColumn(name));
                }
            }
            None => out.unknown_columns.push(name),
        }
    }
    let missing: Vec<&'static str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !index.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    let _ = header_row;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in rows {
        let get = |col: &str| cell(&index, &cells, col);
        let mut errors = Vec::new();
        match row_case(row, &get, cal, &mut errors) {
            Some(case) if errors.is_empty() => {
                let number = case.application.number.clone();
                if let Some(first) = seen.get(&number) {
                    out.errors.push(RowError {
                        row,
                        column: Some("编号".to_string()),
                        message: format!("编号“{number}”与第 {first} 行重复"),
                    });
                } else {
                    seen.insert(number, row);
                    out.rows.push(ImportedRow { row, case });
                }
            }
            _ => out.errors.extend(errors),
        }
    }
    Ok(out)
}

/// The column of the 台账 an event comes from.
fn event_column(e: &Event) -> &'static str {
    match e {
        Event::CorrectionNotice { .. } => "补正告知日期",
        Event::CorrectionReceived { .. } => "补正收到日期",
        Event::ConsultationSent { .. } => "征求意见日期",
        Event::ConsultationReplied { .. } => "意见收回日期",
        Event::Extension { .. } => "延期",
        Event::FeeNotice { .. } => "收费通知日期",
        Event::FeePaid { .. } => "缴费日期",
        Event::Answer { .. } | Event::Withdrawal { .. } | Event::LaterDeadline { .. } => "办理结果",
    }
}

/// The cell of a row in a column (empty when the file has no such column or the row is short).
fn cell<'c>(
    index: &HashMap<&'static str, usize>,
    cells: &'c [CellValue],
    col: &str,
) -> &'c CellValue {
    static EMPTY: CellValue = CellValue::Empty;
    index.get(col).and_then(|&i| cells.get(i)).unwrap_or(&EMPTY)
}

fn row_case<'c>(
    row: usize,
    get: &dyn Fn(&str) -> &'c CellValue,
    cal: &Calendar,
    errors: &mut Vec<RowError>,
) -> Option<Case> {
    let mut bad = |column: &str, message: String| {
        errors.push(RowError {
            row,
            column: Some(column.to_string()),
            message,
        })
    };
    let mut date = |column: &str| -> Option<Day> {
        match get(column) {
            CellValue::Empty => None,
            CellValue::Date(d) => Some(*d),
            v => {
                let t = v.text();
                if t.is_empty() {
                    return None;
                }
                let d = parse_date(&t);
                if d.is_none() {
                    bad(
                        column,
                        format!("“{t}”不是日期（应为 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日）"),
                    );
                }
                d
            }
        }
    };
    let received = date("收到日期");
    let correction_notice = date("补正告知日期");
    let correction_received = date("补正收到日期");
    let consultation = date("征求意见日期");
    let reply = date("意见收回日期");
    let fee_notice = date("收费通知日期");
    let fee_paid = date("缴费日期");
    let answered = date("答复日期");
    let mut bad = |column: &str, message: String| {
        errors.push(RowError {
            row,
            column: Some(column.to_string()),
            message,
        })
    };
    let number = get("编号").text();
    if number.is_empty() {
        bad("编号", "编号为空".to_string());
    }
    if received.is_none() && get("收到日期").is_empty() {
        bad("收到日期", "收到日期为空".to_string());
    }
    let type_text = get("申请人类型").text();
    let applicant_type = ApplicantType::parse(&type_text);
    if applicant_type.is_none() {
        let labels: Vec<&str> = ApplicantType::all().map(|t| t.label()).collect();
        bad(
            "申请人类型",
            if type_text.is_empty() {
                format!("申请人类型为空（应为 {} 之一）", labels.join("、"))
            } else {
                format!(
                    "“{type_text}”不是申请人类型（应为 {} 之一）",
                    labels.join("、")
                )
            },
        );
    }
    let extension = match get("延期").text().as_str() {
        "" | "否" => false,
        "是" => true,
        t => {
            bad("延期", format!("“{t}”应为“是”“否”或空"));
            false
        }
    };
    let outcome_text = get("办理结果").text();
    let outcome = if outcome_text.is_empty() {
        None
    } else {
        let o = Outcome::parse(&outcome_text);
        if o.is_none() {
            bad(
                "办理结果",
                format!("“{outcome_text}”不是表三的办理结果（应为表三某一行的名称，如 予以公开、部分公开，或其编号，如 granted）"),
            );
        }
        o
    };
    match (answered, outcome, outcome_text.is_empty()) {
        (Some(_), None, true) => bad("办理结果", "有答复日期而没有办理结果".to_string()),
        (None, _, false) if get("答复日期").is_empty() => {
            bad("答复日期", "有办理结果而没有答复日期".to_string())
        }
        _ => {}
    }
    if correction_received.is_some() && correction_notice.is_none() {
        bad(
            "补正收到日期",
            "有补正收到日期而没有补正告知日期".to_string(),
        );
    }
    if reply.is_some() && consultation.is_none() {
        bad(
            "意见收回日期",
            "有意见收回日期而没有征求意见日期".to_string(),
        );
    }
    if fee_paid.is_some() && fee_notice.is_none() {
        bad("缴费日期", "有缴费日期而没有收费通知日期".to_string());
    }
    if !errors.is_empty() {
        return None;
    }
    let (received, applicant_type) = (received?, applicant_type?);
    let mut events = Vec::new();
    if let Some(date) = correction_notice {
        events.push(Event::CorrectionNotice {
            date,
            deadline: None,
        });
    }
    if let Some(date) = correction_received {
        events.push(Event::CorrectionReceived { date });
    }
    if extension {
        events.push(Event::Extension {
            date: correction_received.unwrap_or(received),
            approver: UNSTATED_APPROVER.to_string(),
        });
    }
    if let Some(date) = consultation {
        events.push(Event::ConsultationSent {
            date,
            kind: ConsultKind::ThirdParty,
            party: UNSTATED_PARTY.to_string(),
        });
    }
    if let Some(date) = reply {
        events.push(Event::ConsultationReplied { date });
    }
    if let Some(date) = fee_notice {
        events.push(Event::FeeNotice {
            date,
            basis: FeeBasis::Unstated,
        });
    }
    if let Some(date) = fee_paid {
        events.push(Event::FeePaid { date });
    }
    if let (Some(date), Some(outcome)) = (answered, outcome) {
        events.push(Event::Answer {
            date,
            outcome,
            withheld: (outcome.key() == "partially_granted").then(|| UNSTATED_WITHHELD.to_string()),
        });
    }
    let case = Case {
        application: Application {
            number,
            applicant_type,
            applicant_name: get("申请人").text(),
            contact: String::new(),
            channel: Channel::Unstated,
            received,
            content: get("申请内容").text(),
            form: String::new(),
        },
        events,
    };
    let v = case.validate(cal);
    for e in &v.errors {
        errors.push(RowError {
            row,
            column: Some(
                e.event
                    .and_then(|i| case.events.get(i))
                    .map_or("编号", event_column)
                    .to_string(),
            ),
            message: format!("{}（{}）", e.message, e.rule),
        });
    }
    Some(case)
}

/// The row of a case in the export: the cells of [`COLUMNS`] then [`EXPORT_EXTRA`] (dates
/// `YYYY-MM-DD`, blank when the case has none).
pub fn export_row(case: &Case, clock: &ClockState) -> Vec<String> {
    let a = &case.application;
    let mut cells = vec![String::new(); COLUMNS.len() + EXPORT_EXTRA.len()];
    cells[0] = a.number.clone();
    cells[1] = a.received.to_string();
    cells[2] = a.applicant_type.label().to_string();
    cells[3] = a.applicant_name.clone();
    cells[4] = a.content.clone();
    cells[9] = "否".to_string();
    let mut set = |i: usize, d: Day| {
        if cells[i].is_empty() {
            cells[i] = d.to_string();
        }
    };
    for (_, e) in case.ordered_events() {
        match e {
            Event::CorrectionNotice { date, .. } => set(5, *date),
            Event::CorrectionReceived { date } => set(6, *date),
            Event::ConsultationSent { date, .. } => set(7, *date),
            Event::ConsultationReplied { date } => set(8, *date),
            Event::FeeNotice { date, .. } => set(10, *date),
            Event::FeePaid { date } => set(11, *date),
            _ => {}
        }
    }
    if case
        .events
        .iter()
        .any(|e| matches!(e, Event::Extension { .. }))
    {
        cells[9] = "是".to_string();
    }
    if let Some(c) = case.closing() {
        cells[12] = c.date.to_string();
        // The printed label, or the row id where the label names more than one row (其他).
        let label = c.outcome.row().label;
        cells[13] = if Outcome::parse(label) == Some(c.outcome) {
            label.to_string()
        } else {
            c.outcome.key().to_string()
        };
    }
    cells[14] = clock.due.map(|d| d.to_string()).unwrap_or_default();
    cells[15] = clock.status.label().to_string();
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        Calendar::shipped().expect("shipped calendar")
    }

    #[test]
    fn dates_in_the_forms_of_a_register() {
        let want = Day::from_ymd(2025, 3, 4);
        for s in [
            "2025-03-04",
            "2025/3/4",
            "2025-3-4",
            "2025年3月4日",
            " 2025.03.04 ",
        ] {
            assert_eq!(parse_date(s), want, "{s}");
        }
        for s in [
            "25-03-04",
            "2025-02-30",
            "2025/3",
            "2025年3月4",
            "三月四日",
            "",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        // Excel serial 45658 is 2025-01-01 (1900 date system).
        assert_eq!(excel_day(45658.0), Day::from_ymd(2025, 1, 1));
        assert_eq!(excel_day(45658.75), Day::from_ymd(2025, 1, 1));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_row_and_column() {
        let text = "备注,编号,收到日期,申请人类型,答复日期,办理结果,延期,补正收到日期\n\
                    x,A1,2025-03-04,自然人,2025/3/20,予以公开,否,\n\
                    ,A2,2025-13-01,个人,,,也许,\n\
                    ,A3,2025年3月5日,商业企业,2025-03-06,granted,是,2025-03-05\n\
                    ,A1,2025-03-04,自然人,,,,\n\
                    ,A4,2025-03-04,其他,2025-03-01,部分公开,,\n";
        let got = import(text.as_bytes(), &cal()).expect("a register");
        assert_eq!(got.read_as, "CSV（UTF-8）");
        assert_eq!(got.unknown_columns, ["备注"]);
        let rows: Vec<(usize, &str)> = got
            .rows
            .iter()
            .map(|r| (r.row, r.case.application.number.as_str()))
            .collect();
        assert_eq!(rows, [(2, "A1")]);
        let errors: Vec<String> = got.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "第 3 行“收到日期”列：“2025-13-01”不是日期（应为 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日）",
                "第 3 行“申请人类型”列：“个人”不是申请人类型（应为 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他 之一）",
                "第 3 行“延期”列：“也许”应为“是”“否”或空",
                "第 4 行“补正收到日期”列：有补正收到日期而没有补正告知日期",
                "第 5 行“编号”列：编号“A1”与第 2 行重复",
                "第 6 行“办理结果”列：答复日期 2025-03-01 早于收到申请之日 2025-03-04（第三十一条）",
            ]
        );
        assert_eq!(got.bad_rows(), [3, 4, 5, 6]);
    }

    #[test]
    fn gbk_text_and_missing_columns() {
        let text = "编号,收到日期,申请人类型,办理结果,答复日期\r\nG1,2025-03-04,法律服务机构,属于国家秘密,2025-03-10\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let got = import(&gbk, &cal()).expect("a register");
        assert_eq!(got.read_as, "CSV（GBK）");
        assert!(got.errors.is_empty(), "{:?}", got.errors);
        let case = &got.rows[0].case;
        assert_eq!(
            case.application.applicant_type.key(),
            "legal_service_organization"
        );
        let closing = case.closing().expect("answered");
        assert_eq!(closing.outcome.key(), "denied_state_secret");
        assert_eq!(closing.date, Day::from_ymd(2025, 3, 10).expect("date"));
        assert_eq!(
            import("编号,申请人\nA,张三\n".as_bytes(), &cal()).map(|_| ()),
            Err(ImportError::MissingColumns(vec!["收到日期", "申请人类型"]))
        );
    }
}
