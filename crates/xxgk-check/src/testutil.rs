//! Test reports built by hand: every cell of a format filled with consistent numbers, six parts
//! whose text agrees with the tables, and a timely publication date. Tests then break one thing.

use std::collections::BTreeMap;

use xxgk_model::catalogue::{self, Format, TableId, CHINESE_NUMERALS, PARTS};
use xxgk_model::{
    Cell, CellId, Date, Located, Meta, Number, Report, ReportKind, Section, Sourced, Span, Value,
};

/// The agency of the test reports (a department: its deadline is 31 January).
pub(crate) const AGENCY: &str = "某市教育局";

/// The value of a table-三 outcome cell in an applicant column.
fn outcome(row: &str) -> i64 {
    match row {
        "granted" => 3,
        "partially_granted" => 1,
        "unavailable_not_held" => 2,
        "other_no_correction" | "other" => 1,
        _ => 0,
    }
}

fn active_value(format: Format, row: &str, col: &str) -> Value {
    let v = match (format, row, col) {
        (Format::F2021, "normative_documents", "issued") => 3,
        (Format::F2021, "normative_documents", "repealed") => 1,
        (Format::F2021, "normative_documents", "in_force") => 20,
        (Format::F2021, "licensing", _) => 120,
        (Format::F2021, "punishment", _) => 15,
        (Format::F2021, "coercion", _) => 2,
        (Format::F2021, "fees", "amount") => {
            return Value::Number(Number::Decimal {
                mantissa: 125,
                scale: 2,
            })
        }
        (Format::F2019, "normative_documents", "new_made" | "new_published") => 3,
        (Format::F2019, "normative_documents", "total_published") => 20,
        (Format::F2019, "licensing", "previous_items") => 50,
        (Format::F2019, "licensing", "change") => -2,
        (Format::F2019, "licensing", "decisions") => 120,
        (Format::F2019, "other_services", "previous_items") => 10,
        (Format::F2019, "other_services", "change") => 1,
        (Format::F2019, "other_services", "decisions") => 30,
        (Format::F2019, "punishment", "previous_items") => 40,
        (Format::F2019, "punishment", "decisions") => 15,
        (Format::F2019, "coercion", "previous_items") => 5,
        (Format::F2019, "coercion", "decisions") => 2,
        (Format::F2019, "fees", "previous_items") => 3,
        (Format::F2019, "fees", "change") => -1,
        (Format::F2019, "procurement", "items") => 4,
        (Format::F2019, "procurement", "amount") => {
            return Value::Number(Number::Decimal {
                mantissa: 125,
                scale: 1,
            })
        }
        _ => 0,
    };
    Value::int(v)
}

fn appeal_value(row: &str, col: &str) -> i64 {
    match (row, col) {
        ("review", "upheld" | "other") => 1,
        ("review", "total") => 2,
        ("litigation_after_review", "upheld" | "total") => 1,
        _ => 0,
    }
}

/// A report of `format` (2024 for 2021, 2020 for 2019) in which every rule holds.
pub(crate) fn consistent(format: Format) -> Report {
    let year = match format {
        Format::F2021 => 2024,
        Format::F2019 => 2020,
    };
    let mut cells = BTreeMap::new();
    let mut line = 100u32;
    let mut put = |cells: &mut BTreeMap<CellId, Cell>, id: CellId, value: Value| {
        line += 1;
        cells.insert(
            id,
            Cell {
                value,
                span: Span::line(line),
                printed_column: None,
                located: Located::Label,
                ocr: None,
            },
        );
    };
    for (row, col) in catalogue::table(format, TableId::Active).cells() {
        let id = CellId {
            table: TableId::Active,
            row: row.key,
            column: col.key,
        };
        put(&mut cells, id, active_value(format, row.key, col.key));
    }
    let req = catalogue::table(format, TableId::Requests);
    let per_column_total: i64 = req
        .rows
        .iter()
        .filter(|r| r.group.is_some() && r.key != "total")
        .map(|r| outcome(r.key))
        .sum();
    let n_applicant = catalogue::APPLICANT_COLUMNS.len() as i64 - 1;
    for row in req.rows {
        for col in row.columns {
            let each = match row.key {
                "carried_over" | "carried_forward" => 1,
                "new_received" | "total" => per_column_total,
                k => outcome(k),
            };
            let v = if col.key == "total" {
                each * n_applicant
            } else {
                each
            };
            let id = CellId {
                table: TableId::Requests,
                row: row.key,
                column: col.key,
            };
            put(&mut cells, id, Value::int(v));
        }
    }
    for (row, col) in catalogue::table(format, TableId::Appeals).cells() {
        let id = CellId {
            table: TableId::Appeals,
            row: row.key,
            column: col.key,
        };
        put(&mut cells, id, Value::int(appeal_value(row.key, col.key)));
    }

    let received = per_column_total * n_applicant;
    let texts = [
        format!(
            "{year}年，{AGENCY}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。\n\
             全年收到政府信息公开申请{received}件，上年结转{n_applicant}件，办结{received}件，\
             结转下年度继续办理{n_applicant}件。全年发生政府信息公开行政复议2件，行政诉讼1件。\n\
             主动公开政府信息154条，其中：1.组织机构4条；2.通知公告82条；3.信息公开64条；\
             4.信息公开目录1条；5.其他3条。"
        ),
        "详见下表。".to_string(),
        "详见下表。".to_string(),
        "详见下表。".to_string(),
        "一是公开内容的深度和广度还需拓展，政策解读形式较为单一；二是依申请公开办理质量有待提升。\n\
         下一步，将进一步完善公开目录，丰富解读形式，加强业务培训，提高答复的规范化水平。"
            .to_string(),
        "本年度未收取信息处理费。认真落实上级年度政务公开工作要点，各项任务按期完成。\
         办理人大代表建议和政协提案共15件，办理结果均已公开。"
            .to_string(),
    ];
    let mut sections = Vec::new();
    let mut l = 10u32;
    for (i, (p, text)) in PARTS.iter().zip(texts).enumerate() {
        let start = l;
        let end = start + 1 + text.matches('\n').count() as u32;
        sections.push(Section {
            part: p.number,
            marker: format!("{}、", CHINESE_NUMERALS[i]),
            heading: p.heading.to_string(),
            line: start,
            end_line: end,
            text,
        });
        l = end + 5;
    }

    let span = Span::line(1);
    let meta = Meta {
        title: Some(Sourced {
            value: format!("{AGENCY}{year}年政府信息公开工作年度报告"),
            span,
        }),
        agency_printed: Some(AGENCY.to_string()),
        agency: Some(AGENCY.to_string()),
        year: Some(year),
        period: Date::new(year, 1, 1)
            .zip(Date::new(year, 12, 31))
            .map(|p| Sourced {
                value: p,
                span: Span::line(3),
            }),
        published: Date::new(year + 1, 1, 20).map(|d| Sourced {
            value: d,
            span: Span::line(90),
        }),
        contact: None,
        government_level: None,
        preamble: Vec::new(),
    };
    Report {
        source: None,
        kind: ReportKind::Standard(format),
        meta,
        sections,
        tables: Vec::new(),
        cells,
        findings: Vec::new(),
    }
}

/// Set a cell by flat key (it must exist in the catalogue).
pub(crate) fn set(r: &mut Report, flat: &str, value: Value) {
    let id = CellId::parse(flat).unwrap_or_else(|| panic!("no cell {flat}"));
    let span = r.cells.get(&id).map_or(Span::line(999), |c| c.span);
    r.cells.insert(
        id,
        Cell {
            value,
            span,
            printed_column: None,
            located: Located::Label,
            ocr: None,
        },
    );
}

/// The section of part `n`.
pub(crate) fn part_mut(r: &mut Report, n: u8) -> &mut Section {
    r.sections
        .iter_mut()
        .find(|s| s.part == n)
        .unwrap_or_else(|| panic!("no part {n}"))
}

/// Replace part `n`'s text.
pub(crate) fn set_text(r: &mut Report, n: u8, text: &str) {
    let s = part_mut(r, n);
    s.text = text.to_string();
    s.end_line = s.line + 1 + text.matches('\n').count() as u32;
}
