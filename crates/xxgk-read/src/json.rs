//! The JSON of schema.md (what `xxgk extract` prints) → [`Report`], so that an extracted report
//! can be checked and rendered again.
//!
//! Read back: `format`, `agency`, `agency_printed`, `year`, `published`, `title`, `period`,
//! `contact`, `government_level`, `tables` (every cell by its identifier; `null` = blank),
//! `sections` and `provenance` (each cell's span in the original document, so that findings
//! point at the report the JSON was extracted from; `source` is then the JSON's own `source`
//! when it names one). `findings` are not read back: checking the report again produces them.
//! JSON keeps a decimal's value but not its trailing zeros (12.30 reads as 12.3): use the TOML
//! input file to keep a number exactly as printed.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};
use xxgk_model::catalogue::{self, Format, TableId, PARTS, ROW_OTHER_SINGLE};
use xxgk_model::{
    Cell, CellId, Date, Finding, Located, Meta, Report, ReportKind, Section, Sourced, Span,
    TableSpan, Value,
};

use crate::input::{parse_date, InputProblem};
use crate::ReadError;

/// Whether `bytes` look like a JSON object (the first character that is not whitespace is `{`).
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{')
}

fn problem(message: impl Into<String>) -> InputProblem {
    InputProblem {
        line: 0,
        message: message.into(),
    }
}

/// Read the JSON of one report.
pub fn read_json(text: &str, source: Option<&str>) -> Result<Report, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json: Json = serde_json::from_str(text).map_err(|e| {
        ReadError::Input(vec![InputProblem {
            line: e.line() as u32,
            message: format!("JSON 格式错误（第 {} 列：{e}）", e.column()),
        }])
    })?;
    let Some(obj) = json.as_object() else {
        return Err(ReadError::Input(vec![problem(
            "JSON 应当是一个报告对象 {…}（xxgk extract 的输出）",
        )]));
    };
    let mut problems = Vec::new();

    let str_of = |k: &str| obj.get(k).and_then(Json::as_str).map(str::to_string);
    let year = obj
        .get("year")
        .and_then(Json::as_i64)
        .and_then(|y| i32::try_from(y).ok());
    let kind = match obj.get("format").and_then(Json::as_str) {
        Some("pre-2019") => Some(ReportKind::Pre2019),
        Some(f) => match Format::from_id(f) {
            Some(f) => Some(ReportKind::Standard(f)),
            None => {
                problems.push(problem(format!("未知的表格格式 format = \"{f}\"")));
                None
            }
        },
        None => year.and_then(Format::for_year).map(ReportKind::Standard),
    };
    let zero = Span::line(0);
    let date = |k: &str, problems: &mut Vec<InputProblem>| -> Option<Date> {
        let s = obj.get(k)?.as_str()?;
        let d = parse_date(s);
        if d.is_none() {
            problems.push(problem(format!("{k} 不是有效的日期：“{s}”")));
        }
        d
    };
    let published = date("published", &mut problems);
    let period = obj.get("period").and_then(Json::as_object).and_then(|p| {
        let s = parse_date(p.get("start")?.as_str()?)?;
        let e = parse_date(p.get("end")?.as_str()?)?;
        Some((s, e))
    });
    let meta = Meta {
        title: str_of("title").map(|value| Sourced { value, span: zero }),
        agency_printed: str_of("agency_printed"),
        agency: str_of("agency"),
        year,
        period: period.map(|value| Sourced { value, span: zero }),
        published: published.map(|value| Sourced { value, span: zero }),
        contact: str_of("contact").map(|value| Sourced { value, span: zero }),
        government_level: obj.get("government_level").and_then(Json::as_bool),
        preamble: obj
            .get("preamble")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    };

    let format = kind.and_then(ReportKind::format);
    let provenance = obj.get("provenance").and_then(Json::as_object);
    let mut cells = BTreeMap::new();
    if let Some(tables) = obj.get("tables") {
        match tables.as_object() {
            Some(t) => read_tables(t, format, provenance, &mut cells, &mut problems),
            None => problems.push(problem("tables 应当是对象")),
        }
    }

    let mut sections = Vec::new();
    if let Some(list) = obj.get("sections").and_then(Json::as_array) {
        for s in list {
            let part = s
                .get("part")
                .and_then(Json::as_u64)
                .and_then(|p| u8::try_from(p).ok())
                .filter(|p| (1..=6).contains(p));
            let Some(part) = part else {
                problems.push(problem("sections 中的 part 应当是 1 到 6"));
                continue;
            };
            let text_of = |k: &str| s.get(k).and_then(Json::as_str).map(str::to_string);
            let line_of = |k: &str| {
                s.get(k)
                    .and_then(Json::as_u64)
                    .and_then(|l| u32::try_from(l).ok())
                    .unwrap_or(0)
            };
            sections.push(Section {
                part,
                marker: text_of("marker").unwrap_or_else(|| {
                    catalogue::part(part).map_or_else(String::new, |p| p.marker())
                }),
                heading: text_of("heading")
                    .unwrap_or_else(|| PARTS[usize::from(part - 1)].heading.to_string()),
                line: line_of("line"),
                end_line: line_of("end_line"),
                text: text_of("text").unwrap_or_default(),
            });
        }
    }

    if !problems.is_empty() {
        return Err(ReadError::Input(problems));
    }
    let Some(kind) = kind else {
        return Err(ReadError::Input(vec![problem(
            "JSON 中既没有表格格式 format，也没有可确定格式的年度 year",
        )]));
    };
    Ok(Report {
        source: str_of("source").or_else(|| source.map(str::to_string)),
        kind,
        meta,
        sections,
        tables: table_spans(obj.get("table_spans")),
        cells,
        findings: reader_findings(obj.get("findings")),
    })
}

fn span_of(v: Option<&Json>) -> Option<Span> {
    let v = v?;
    let num = |k: &str| {
        v.get(k)
            .and_then(Json::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    Some(Span {
        line: num("line")?,
        column: num("column"),
        page: num("page"),
    })
}

/// The located tables of `table_spans` (what a writer needs to leave them out of the text);
/// entries it cannot read are skipped.
fn table_spans(v: Option<&Json>) -> Vec<TableSpan> {
    let Some(list) = v.and_then(Json::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|t| {
            Some(TableSpan {
                table: TableId::from_key(t.get("table")?.as_str()?)?,
                start: span_of(t.get("start"))?,
                end: span_of(t.get("end"))?,
            })
        })
        .collect()
}

/// The reader's findings of the JSON (`READ-…` rules of this crate's catalogue): the report
/// read back is the report that was read, errors included. Findings of other rules (the
/// checks') are made again by the checks.
fn reader_findings(v: Option<&Json>) -> Vec<Finding> {
    let Some(list) = v.and_then(Json::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|f| {
            let rule = crate::rules::rule_by_id(f.get("rule")?.as_str()?)?;
            let mut finding = Finding::new(
                rule.id,
                rule.severity,
                f.get("message")?.as_str()?.to_string(),
            );
            if let Some(spans) = f.get("spans").and_then(Json::as_array) {
                finding.spans = spans.iter().filter_map(|s| span_of(Some(s))).collect();
            }
            Some(finding)
        })
        .collect()
}

fn read_tables(
    tables: &Map<String, Json>,
    format: Option<Format>,
    provenance: Option<&Map<String, Json>>,
    cells: &mut BTreeMap<CellId, Cell>,
    problems: &mut Vec<InputProblem>,
) {
    for (tkey, rows) in tables {
        let Some(table) = TableId::from_key(tkey) else {
            problems.push(problem(format!("未知的表“{tkey}”")));
            continue;
        };
        let Some(rows) = rows.as_object() else {
            problems.push(problem(format!("tables.{tkey} 应当是对象")));
            continue;
        };
        for (rkey, cols) in rows {
            let Some(cols) = cols.as_object() else {
                problems.push(problem(format!("tables.{tkey}.{rkey} 应当是对象")));
                continue;
            };
            for (ckey, v) in cols {
                let flat = format!("{tkey}.{rkey}.{ckey}");
                // A row of the other format (an old-format row printed in a 2021 report) is kept
                // as the extraction had it.
                let def = catalogue::find_cell(format, table, rkey, ckey).or_else(|| {
                    (table == TableId::Requests && rkey == ROW_OTHER_SINGLE.key)
                        .then_some(&ROW_OTHER_SINGLE)
                        .and_then(|r| r.columns.iter().find(|c| c.key == ckey).map(|c| (r, c)))
                });
                let Some((row, col)) = def else {
                    problems.push(problem(format!("未知的单元格标识 {flat}")));
                    continue;
                };
                let Some(value) = Value::from_json(v) else {
                    problems.push(problem(format!(
                        "单元格 {flat} 的值应当是数字、null 或文字"
                    )));
                    continue;
                };
                let prov = provenance.and_then(|p| p.get(&flat));
                let num = |k: &str| {
                    prov.and_then(|p| p.get(k))
                        .and_then(Json::as_u64)
                        .and_then(|n| u32::try_from(n).ok())
                };
                let located = match prov.and_then(|p| p.get("located")).and_then(Json::as_str) {
                    Some("order") => Located::Order,
                    _ => Located::Label,
                };
                cells.insert(
                    CellId {
                        table,
                        row: row.key,
                        column: col.key,
                    },
                    Cell {
                        value,
                        span: Span {
                            line: num("line").unwrap_or(0),
                            column: num("column"),
                            page: num("page"),
                        },
                        printed_column: num("printed_column"),
                        located,
                        ocr: prov.and_then(|p| p.get("ocr")).and_then(ocr_cell),
                    },
                );
            }
        }
    }
}

/// A cell's OCR provenance as `xxgk extract` prints it (`{"page", "box", "confidence"}`).
fn ocr_cell(v: &Json) -> Option<xxgk_model::OcrCell> {
    let n = |v: &Json| v.as_u64().and_then(|n| u32::try_from(n).ok());
    let b = v.get("box")?.as_array()?;
    let bbox: Vec<u32> = b.iter().filter_map(n).collect();
    Some(xxgk_model::OcrCell {
        page: n(v.get("page")?)?,
        bbox: bbox.try_into().ok()?,
        confidence: u8::try_from(n(v.get("confidence")?)?).ok()?.min(100),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A cell read by OCR carries its provenance into `xxgk extract`'s JSON (`provenance.…
    /// .ocr`) and back; a cell read from text prints no `ocr` key, so the JSON of every other
    /// report is unchanged.
    #[test]
    fn ocr_provenance_is_printed_only_when_present_and_read_back() {
        let text = "某某局2024年政府信息公开工作年度报告\n\
                    二、主动公开政府信息情况\n\
                    信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n\
                    规章\t1\t0\t5\n";
        let mut report = crate::read(text.as_bytes(), Some("a.txt")).unwrap();
        let plain = xxgk_model::json::report_json(&report).to_string();
        assert!(!plain.contains("\"ocr\""), "{plain}");
        let id = CellId::parse("active.rules.issued").unwrap();
        let cell = report.cells.get_mut(&id).unwrap();
        cell.ocr = Some(xxgk_model::OcrCell {
            page: 2,
            bbox: [10, 20, 110, 60],
            confidence: 87,
        });
        let json = xxgk_model::json::report_json(&report);
        assert_eq!(
            json["provenance"]["active.rules.issued"]["ocr"],
            serde_json::json!({"page": 2, "box": [10, 20, 110, 60], "confidence": 87})
        );
        let back = read_json(&json.to_string(), None).unwrap();
        assert_eq!(back.cells[&id].ocr, report.cells[&id].ocr);
        let other = CellId::parse("active.rules.repealed").unwrap();
        assert_eq!(back.cells[&other].ocr, None);
    }

    #[test]
    fn what_a_writer_prints_is_read_back() {
        let json = r#"{"format": "2021", "year": 2017,
            "preamble": ["根据《条例》编制。", "联系电话：0591-23162606"],
            "table_spans": [{"table": "requests", "start": {"line": 3, "page": 2},
                             "end": {"line": 9, "page": 2}}, {"table": "nonsense"}],
            "findings": [{"rule": "READ-TABLE-MISSING", "severity": "error",
                          "message": "未读到表二", "spans": [{"line": 4}]},
                         {"rule": "T3-BALANCE", "severity": "error", "message": "x"}]}"#;
        let r = read_json(json, None).unwrap();
        assert_eq!(
            r.meta.preamble,
            ["根据《条例》编制。", "联系电话：0591-23162606"]
        );
        assert_eq!(
            r.tables,
            [TableSpan {
                table: TableId::Requests,
                start: Span {
                    line: 3,
                    column: None,
                    page: Some(2)
                },
                end: Span {
                    line: 9,
                    column: None,
                    page: Some(2)
                },
            }]
        );
        // The reader's own finding comes back (with its catalogue severity); a check's is
        // made again by the checks.
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].rule, "READ-TABLE-MISSING");
        assert_eq!(r.findings[0].message, "未读到表二");
        assert_eq!(r.findings[0].spans, [Span::line(4)]);
    }
}
