//! A value printed with its unit inside the cell ("251000元", "22件"): read as the number, the
//! unit noted in a finding, never kept as text when the unit says what the number is.
//!
//! - A count column (件, 项 …) with a count's unit (件, 条, 项, 个, 次): the number, with
//!   `READ-VALUE-UNIT` (info).
//! - An amount column (2021 本年收费金额, whose unit is 万元; 2019 采购总金额, printed without a
//!   unit and read in 万元 like the 2021 amounts): "1.2万元" is 1.2; "251000元" is converted
//!   exactly to 万元 (25.1), with `READ-VALUE-UNIT` (warning) giving the printed text, so the
//!   conversion is never silent.
//! - Anything else (元 in a count column, a unit the column cannot have, a conversion that
//!   would need more than six decimals) stays text as printed, for the checks to report.

use std::collections::BTreeMap;

use xxgk_model::catalogue::{self, Format, Unit};
use xxgk_model::{Cell, CellId, Finding, Number, Severity, Value};

use crate::rules::VALUE_UNIT;

/// Units a count may print.
const COUNT_UNITS: &[&str] = &["件", "条", "项", "个", "次"];

/// Most decimals an amount keeps (as `Number::parse` accepts).
const MAX_SCALE: u8 = 6;

/// Reads the numbers with units among `cells` (see the module documentation).
pub fn read_units(
    format: Option<Format>,
    cells: &mut BTreeMap<CellId, Cell>,
    findings: &mut Vec<Finding>,
) {
    for (id, cell) in cells.iter_mut() {
        let Value::Text(text) = &cell.value else {
            continue;
        };
        let printed = text.trim().to_owned();
        let Some((_, col)) = catalogue::find_cell(format, id.table, id.row, id.column) else {
            continue;
        };
        let Some((number, unit)) = split_unit(&printed) else {
            continue;
        };
        let name = cell_name(format, id);
        let (value, finding) = match (col.unit, unit) {
            (Unit::Count | Unit::SignedCount, u) if COUNT_UNITS.contains(&u) => {
                if number.as_int().is_none() || (col.unit == Unit::Count && number.is_negative()) {
                    continue;
                }
                (
                    number,
                    Finding::new(
                        VALUE_UNIT,
                        Severity::Info,
                        format!("{name}印作“{printed}”，带单位“{u}”，读为 {number}"),
                    ),
                )
            }
            (Unit::Amount, "万元") => (
                number,
                Finding::new(
                    VALUE_UNIT,
                    Severity::Info,
                    format!("{name}印作“{printed}”，读为 {number}（万元）"),
                ),
            ),
            (Unit::Amount, "元") => {
                let Some(wan) = yuan_to_wan(number) else {
                    continue;
                };
                (
                    wan,
                    Finding::new(
                        VALUE_UNIT,
                        Severity::Warning,
                        format!(
                            "{name}印作“{printed}”，以元为单位；表格的金额以万元计，已换算为 {wan}（万元），请核对"
                        ),
                    )
                    .expected_found(format!("{wan}（万元）"), &printed),
                )
            }
            _ => continue,
        };
        cell.value = Value::Number(value);
        findings.push(finding.at(cell.span).cells(vec![*id]));
    }
}

/// "251000元" → (251000, "元"); the number as `Number::parse` reads it.
fn split_unit(text: &str) -> Option<(Number, &'static str)> {
    // Longest unit first: 万元 before 元.
    let units = ["万元", "元"].iter().chain(COUNT_UNITS.iter());
    for u in units {
        if let Some(n) = text.strip_suffix(u) {
            if let Some(number) = Number::parse(n.trim()) {
                return Some((number, u));
            }
        }
    }
    None
}

/// An amount in 元 as 万元, exactly (a shift of the decimal point by four places, trailing
/// zeros dropped); `None` when that needs more than [`MAX_SCALE`] decimals.
fn yuan_to_wan(n: Number) -> Option<Number> {
    let (mut mantissa, mut scale) = match n {
        Number::Int(i) => (i, 4u8),
        Number::Decimal { mantissa, scale } => (mantissa, scale + 4),
    };
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale > MAX_SCALE {
        return None;
    }
    Some(if scale == 0 {
        Number::Int(mantissa)
    } else {
        Number::Decimal { mantissa, scale }
    })
}

/// "表二“政府集中采购”的“采购总金额”".
fn cell_name(format: Option<Format>, id: &CellId) -> String {
    match catalogue::find_cell(format, id.table, id.row, id.column) {
        Some((row, col)) => format!("{}“{}”的“{}”", id.table.short_name(), row.label, col.label),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row that showed it (Shanghai 2019, spec D9): "251000元" in 采购总金额 is read as
    /// 25.1 (万元) with a warning that gives the printed text; the count beside it is plain.
    #[test]
    fn the_2019_procurement_amount_in_yuan_is_read_as_wan() {
        let text = "上海市某某局2019年政府信息公开工作年度报告\n\
                    二、主动公开政府信息情况\n\
                    第二十条第（九）项\n\
                    信息内容\t采购项目数量\t采购总金额\n\
                    政府集中采购\t3\t251000元\n";
        let r = crate::read(text.as_bytes(), Some("a.txt")).expect("read");
        assert_eq!(r.format(), Some(Format::F2019));
        assert_eq!(
            r.get("active.procurement.amount").map(|c| &c.value),
            Some(&Value::Number(Number::Decimal {
                mantissa: 251,
                scale: 1
            }))
        );
        assert_eq!(
            r.get("active.procurement.items").map(|c| &c.value),
            Some(&Value::int(3))
        );
        let f: Vec<&Finding> = r.findings.iter().filter(|f| f.rule == VALUE_UNIT).collect();
        assert_eq!(f.len(), 1, "{:?}", r.findings);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(
            f[0].message,
            "表二“政府集中采购”的“采购总金额”印作“251000元”，以元为单位；表格的金额以万元计，已换算为 25.1（万元），请核对"
        );
        assert_eq!(
            f[0].cells,
            vec![CellId::parse("active.procurement.amount").unwrap()]
        );
        assert_eq!(f[0].expected.as_deref(), Some("25.1（万元）"));
    }

    /// A count with its unit is the count (info); 元 in a count column stays text as printed.
    #[test]
    fn counts_with_units_and_money_in_a_count_column() {
        let text = "某某局2024年政府信息公开工作年度报告\n\
                    二、主动公开政府信息情况\n\
                    信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n\
                    规章\t22件\t300元\t5\n";
        let r = crate::read(text.as_bytes(), Some("a.txt")).expect("read");
        assert_eq!(
            r.get("active.rules.issued").map(|c| &c.value),
            Some(&Value::int(22))
        );
        assert_eq!(
            r.get("active.rules.repealed").map(|c| &c.value),
            Some(&Value::Text("300元".into()))
        );
        let f: Vec<&Finding> = r.findings.iter().filter(|f| f.rule == VALUE_UNIT).collect();
        assert_eq!(f.len(), 1, "{:?}", r.findings);
        assert_eq!(f[0].severity, Severity::Info);
        assert_eq!(
            f[0].message,
            "表二“规章”的“本年制发件数”印作“22件”，带单位“件”，读为 22"
        );
    }

    #[test]
    fn yuan_become_wan_exactly() {
        assert_eq!(
            yuan_to_wan(Number::Int(251000)),
            Some(Number::Decimal {
                mantissa: 251,
                scale: 1
            })
        );
        assert_eq!(yuan_to_wan(Number::Int(30000)), Some(Number::Int(3)));
        assert_eq!(
            yuan_to_wan(Number::Int(3940)),
            Some(Number::Decimal {
                mantissa: 394,
                scale: 3
            })
        );
        // 0.5 元 = 0.00005 万元 (five decimals); 0.005 元 would need seven.
        assert_eq!(
            yuan_to_wan(Number::Decimal {
                mantissa: 5,
                scale: 1
            }),
            Some(Number::Decimal {
                mantissa: 5,
                scale: 5
            })
        );
        assert_eq!(
            yuan_to_wan(Number::Decimal {
                mantissa: 5,
                scale: 3
            }),
            None
        );
    }

    #[test]
    fn units_are_split_off() {
        assert_eq!(split_unit("251000元"), Some((Number::Int(251000), "元")));
        assert_eq!(
            split_unit("1.2万元"),
            Some((
                Number::Decimal {
                    mantissa: 12,
                    scale: 1
                },
                "万元"
            ))
        );
        assert_eq!(split_unit("22 件"), Some((Number::Int(22), "件")));
        assert_eq!(split_unit("约22件"), None);
        assert_eq!(split_unit("元"), None);
    }
}
