//! Test support only (a dev-dependency; never linked into the `xxgk` binary): a deterministic
//! generator of valid annual reports, with the prose of their parts.
//!
//! [`random_report`] draws a report from a seed: an agency name built from real places and
//! bodies (different for any 74,593 consecutive seeds, so that generated reports checked
//! together never pose as one agency's consecutive years), a year and its format, a publication date, and the three tables filled so that every
//! identity of the official format holds:
//!
//! * table 三: in every row, 总计 = the sum of the six applicant columns; in every column,
//!   （七）总计 = the sum of the outcome rows, and 一 + 二 = （七）总计 + 四;
//! * table 四: in each group, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结;
//! * counts are non-negative integers; amounts may carry up to two decimals; the 2019 本年增/减
//!   may be negative but never below minus the previous year's items.
//!
//! Options can then blank cells or replace them with placeholders ("/", "无", …), which breaks the
//! identities on purpose: that is what real reports do and what the checks must report.
//! The same seed and options always give the same report.

use std::collections::BTreeMap;

use xxgk_model::catalogue::{self, ColumnDef, Format, RowDef, TableId, Unit};
use xxgk_model::{
    Cell, CellId, Date, Located, Meta, Number, Report, ReportKind, Sourced, Span, Value,
};

mod names;
mod narrative;
mod rng;

use names::agency as agency_name;
use rng::Rng;

pub use xxgk_model::catalogue::TITLE_SUFFIX;

/// Options of [`random_report`].
#[derive(Debug, Clone, PartialEq)]
pub struct GenOptions {
    /// Probability that a cell is printed blank ([`Value::Blank`]). Blanks cannot be
    /// represented in the `Spaced` text layout of xxgk-write.
    pub blank_probability: f64,
    /// Probability that a cell prints a placeholder instead of a number ([`Value::Text`], one of
    /// [`placeholders`]).
    pub text_probability: f64,
    /// For a 2021-format report: print the single （六）其他处理 row instead of its three
    /// sub-rows. (A 2019-format report always has the single row.)
    pub other_single_row: bool,
    /// Force the format; the year is then drawn from that format's years (unless `year` is set).
    pub format: Option<Format>,
    /// Force the year (2019..=2025 are realistic). Without `format`, the format follows the year.
    pub year: Option<i32>,
    /// Probability that a publication date is printed.
    pub published_probability: f64,
    /// Probability that the agency prints its name with an abbreviation ("住建局") that
    /// `meta.agency` expands, when its department has one.
    pub abbreviation_probability: f64,
    /// Force the size of the agency's numbers; drawn at random when `None`.
    pub scale: Option<Scale>,
    /// Pad parts 一 and 五 with about this many bytes (UTF-8) of general prose paragraphs, to
    /// make documents of realistic length (0: none).
    pub narrative_bytes: usize,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            blank_probability: 0.0,
            text_probability: 0.0,
            other_single_row: false,
            format: None,
            year: None,
            published_probability: 0.8,
            abbreviation_probability: 0.15,
            scale: None,
            narrative_bytes: 0,
        }
    }
}

/// How busy the agency is: most small bodies report tables of zeros, a city government
/// thousands of requests and millions of penalty decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Nearly everything 0.
    Quiet,
    /// A county department: a few requests.
    Small,
    /// A city government or a large department.
    Large,
}

/// The placeholders the generator prints in place of a number: those of the catalogue that a
/// reader keeps as they are (no backslash, no full-width minus that normalization turns into
/// "-").
pub fn placeholders() -> impl Iterator<Item = &'static str> {
    catalogue::PLACEHOLDERS
        .iter()
        .copied()
        .filter(|p| !p.contains(['\\', '\u{FF0D}']) && !p.chars().any(char::is_whitespace))
}

/// Expand the catalogue's abbreviations in an agency name ("住建局" → "住房和城乡建设局").
pub fn expand_agency(printed: &str) -> String {
    let mut out = printed.to_string();
    for (abbr, full) in catalogue::AGENCY_ABBREVIATIONS {
        if out.contains(abbr) && !out.contains(full) {
            out = out.replacen(abbr, full, 1);
        }
    }
    out
}

/// Draw a valid report from `seed`. See the module documentation for what holds.
pub fn random_report(seed: u64, opts: &GenOptions) -> Report {
    let mut rng = Rng::new(seed);

    let (format, year) = match (opts.format, opts.year) {
        (Some(f), Some(y)) => (f, y),
        (None, Some(y)) => (
            Format::for_year(y).unwrap_or(if y < 2019 {
                Format::F2019
            } else {
                Format::F2021
            }),
            y,
        ),
        (Some(Format::F2019), None) => (Format::F2019, rng.range(2019, 2020) as i32),
        (Some(Format::F2021), None) => (Format::F2021, rng.range(2021, 2025) as i32),
        (None, None) => {
            let y = rng.range(2019, 2025) as i32;
            (Format::for_year(y).unwrap_or(Format::F2021), y)
        }
    };
    let single_other = format == Format::F2019 || opts.other_single_row;

    let abbreviated = rng.chance(opts.abbreviation_probability);
    let agency_printed = agency_name(seed, abbreviated);
    let agency = expand_agency(&agency_printed);
    let published = if rng.chance(opts.published_probability) {
        let day = rng.range(1, 31) as u8;
        Date::new(year + 1, 1, day)
    } else {
        None
    };
    let scale = opts
        .scale
        .unwrap_or_else(|| [Scale::Quiet, Scale::Small, Scale::Large][rng.weighted(&[30, 45, 25])]);

    let mut cells = BTreeMap::new();
    let mut tables_rng = Rng::derive(seed, 0x7461_626c);
    active(&mut tables_rng, format, scale, &agency, &mut cells);
    requests(&mut tables_rng, format, scale, single_other, &mut cells);
    appeals(&mut tables_rng, format, scale, &mut cells);

    if opts.blank_probability > 0.0 || opts.text_probability > 0.0 {
        let marks: Vec<&'static str> = placeholders().collect();
        let mut noise = Rng::derive(seed, 0x6e6f_6973);
        for cell in cells.values_mut() {
            if noise.chance(opts.blank_probability) {
                cell.value = Value::Blank;
            } else if !marks.is_empty() && noise.chance(opts.text_probability) {
                cell.value = Value::Text(noise.pick(&marks).to_string());
            }
        }
    }

    let line0 = Span::line(0);
    let meta = Meta {
        title: Some(Sourced {
            value: format!("{agency_printed}{year}{TITLE_SUFFIX}"),
            span: line0,
        }),
        agency_printed: Some(agency_printed),
        agency: Some(agency),
        year: Some(year),
        period: Date::new(year, 1, 1)
            .zip(Date::new(year, 12, 31))
            .map(|p| Sourced {
                value: p,
                span: line0,
            }),
        published: published.map(|d| Sourced {
            value: d,
            span: line0,
        }),
        contact: None,
        government_level: None,
        preamble: Vec::new(),
    };

    let mut report = Report {
        source: None,
        kind: ReportKind::Standard(format),
        meta,
        sections: Vec::new(),
        tables: Vec::new(),
        cells,
        findings: Vec::new(),
    };
    narrative::write_into(&mut report, seed, opts.narrative_bytes);
    report
}

fn put(
    cells: &mut BTreeMap<CellId, Cell>,
    table: TableId,
    row: &'static RowDef,
    col: &'static ColumnDef,
    value: Value,
) {
    cells.insert(
        CellId {
            table,
            row: row.key,
            column: col.key,
        },
        Cell {
            value,
            span: Span::line(0),
            printed_column: None,
            located: Located::Label,
            ocr: None,
        },
    );
}

/// An amount with up to two decimals (no trailing zero in the fraction, as reports print).
fn amount(rng: &mut Rng, max_int: i64) -> Value {
    let int = rng.skewed(max_int);
    let scale = rng.weighted(&[4, 3, 3]) as u8;
    if scale == 0 {
        return Value::int(int);
    }
    let p = 10i64.pow(u32::from(scale));
    let mut frac = rng.range(1, p - 1);
    if frac % 10 == 0 {
        frac += 1;
    }
    Value::Number(Number::Decimal {
        mantissa: int * p + frac,
        scale,
    })
}

fn decisions(rng: &mut Rng, scale: Scale, large_max: i64) -> i64 {
    match scale {
        Scale::Quiet => {
            if rng.chance(0.1) {
                rng.skewed(5)
            } else {
                0
            }
        }
        Scale::Small => {
            if rng.chance(0.6) {
                rng.skewed(500)
            } else {
                0
            }
        }
        Scale::Large => rng.skewed(large_max),
    }
}

fn maybe(rng: &mut Rng, p: f64, max: i64) -> i64 {
    if rng.chance(p) {
        rng.skewed(max)
    } else {
        0
    }
}

/// Table 二. Values are drawn per row and column by the column's meaning.
fn active(
    rng: &mut Rng,
    format: Format,
    scale: Scale,
    agency: &str,
    cells: &mut BTreeMap<CellId, Cell>,
) {
    let def = catalogue::table(format, TableId::Active);
    let government =
        agency.ends_with("人民政府") || agency.ends_with("办公室") || agency.ends_with("办公厅");
    let busy = if scale == Scale::Quiet { 0.3 } else { 1.0 };
    for row in def.rows {
        // Values of the row, keyed by column, drawn together so that they are consistent.
        let mut vals: Vec<(&'static ColumnDef, Value)> = Vec::new();
        let docs = row.key == "rules" || row.key == "normative_documents";
        let (issue_p, issue_max, stock_max) = match row.key {
            "rules" if government => (0.4, 5, 60),
            "rules" => (0.03, 2, 5),
            _ => (0.5 * busy, 30, 200),
        };
        let issued = maybe(rng, issue_p, issue_max);
        let previous = maybe(rng, 0.6 * busy, 300);
        for col in row.columns {
            let v = match (col.key, col.unit) {
                ("issued" | "new_made", _) => Value::int(issued),
                ("new_published", _) => Value::int(issued - maybe(rng, 0.2, issued)),
                ("repealed", _) => Value::int(maybe(rng, 0.3 * busy, 10)),
                ("in_force" | "total_published", _) if docs => {
                    Value::int(issued + maybe(rng, 0.6 * busy, stock_max))
                }
                ("previous_items", _) => Value::int(previous),
                ("change", _) | (_, Unit::SignedCount) => {
                    let down = previous.min(30);
                    let up = down.max(10);
                    Value::int(if rng.chance(0.4) {
                        0
                    } else {
                        rng.range(-down, up)
                    })
                }
                ("decisions", _) => {
                    let large = match row.key {
                        "punishment" => 4_000_000,
                        "licensing" => 200_000,
                        "coercion" => 100_000,
                        _ => 50_000,
                    };
                    Value::int(decisions(rng, scale, large))
                }
                ("items", _) => Value::int(maybe(rng, 0.4 * busy, 200)),
                (_, Unit::Amount) => {
                    if rng.chance(0.35 * busy) {
                        amount(
                            rng,
                            if format == Format::F2021 {
                                100_000
                            } else {
                                5_000_000
                            },
                        )
                    } else {
                        Value::int(0)
                    }
                }
                (_, Unit::Count) => Value::int(maybe(rng, 0.3 * busy, 100)),
            };
            vals.push((col, v));
        }
        for (col, v) in vals {
            put(cells, TableId::Active, row, col, v);
        }
    }
}

/// Relative frequency of each outcome row of table 三 (by identifier).
fn outcome_weight(key: &str) -> u32 {
    match key {
        "granted" => 40,
        "partially_granted" => 8,
        "unavailable_not_held" => 20,
        "unavailable_needs_creation" => 6,
        "unavailable_unclear_after_correction" => 3,
        "denied_process_information" | "denied_third_party_rights" => 2,
        "unprocessed_petition_complaint" | "unprocessed_duplicate" => 4,
        "other_no_correction" => 5,
        "other_unpaid_fee" => 1,
        "other_other" => 8,
        "other" => 12,
        _ => 1,
    }
}

/// Distribute `total` requests over rows with the given weights.
fn distribute(rng: &mut Rng, total: i64, weights: &[u32]) -> Vec<i64> {
    let mut out = vec![0i64; weights.len()];
    if weights.is_empty() {
        return out;
    }
    if total <= 400 {
        for _ in 0..total {
            out[rng.weighted(weights)] += 1;
        }
        return out;
    }
    let sum_w: u64 = weights.iter().map(|w| u64::from(*w)).sum::<u64>().max(1);
    let mut left = total;
    let main = weights
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| **w)
        .map_or(0, |(i, _)| i);
    for (i, w) in weights.iter().enumerate() {
        if i == main {
            continue;
        }
        let expected = total as f64 * f64::from(*w) / sum_w as f64;
        let v = ((expected * (0.3 + 1.4 * rng.f64())) as i64).clamp(0, left);
        out[i] = v;
        left -= v;
    }
    out[main] = left;
    out
}

/// Table 三.
fn requests(
    rng: &mut Rng,
    format: Format,
    scale: Scale,
    single_other: bool,
    cells: &mut BTreeMap<CellId, Cell>,
) {
    let rows = catalogue::table(format, TableId::Requests).rows_for(single_other);
    let outcome_rows: Vec<&'static RowDef> = rows
        .iter()
        .copied()
        .filter(|r| r.group.is_some() && r.key != "total")
        .collect();
    let weights: Vec<u32> = outcome_rows.iter().map(|r| outcome_weight(r.key)).collect();
    let applicant_cols = catalogue::APPLICANT_COLUMNS;
    // (probability, max) of the number handled per applicant column, by scale.
    let draw = |rng: &mut Rng, col: usize| -> i64 {
        match (scale, col) {
            (Scale::Quiet, 0) => maybe(rng, 0.3, 3),
            (Scale::Quiet, _) => maybe(rng, 0.02, 1),
            (Scale::Small, 0) => maybe(rng, 0.8, 60),
            (Scale::Small, 1) => maybe(rng, 0.4, 10),
            (Scale::Small, 4 | 5) => maybe(rng, 0.15, 5),
            (Scale::Small, _) => maybe(rng, 0.05, 2),
            (Scale::Large, 0) => rng.range(100, 6000),
            (Scale::Large, 1) => rng.skewed(300),
            (Scale::Large, 4 | 5) => rng.skewed(100),
            (Scale::Large, _) => rng.skewed(20),
        }
    };

    let mut values: BTreeMap<&'static str, [i64; 7]> = BTreeMap::new();
    let total_col = applicant_cols.len() - 1;
    for c in 0..total_col {
        let handled = draw(rng, c);
        let split = distribute(rng, handled, &weights);
        for (r, v) in outcome_rows.iter().zip(split) {
            values.entry(r.key).or_insert([0; 7])[c] = v;
        }
        let forward = if scale == Scale::Quiet {
            0
        } else {
            maybe(rng, 0.3, handled / 8 + 2)
        };
        let over = rng
            .skewed((handled + forward) / 6 + 1)
            .min(handled + forward);
        let over = if rng.chance(0.4) { over } else { 0 };
        values.entry("total").or_insert([0; 7])[c] = handled;
        values.entry("carried_forward").or_insert([0; 7])[c] = forward;
        values.entry("carried_over").or_insert([0; 7])[c] = over;
        values.entry("new_received").or_insert([0; 7])[c] = handled + forward - over;
    }
    for row in &rows {
        let mut v = values.get(row.key).copied().unwrap_or([0; 7]);
        v[total_col] = v[..total_col].iter().sum();
        for (i, col) in row.columns.iter().enumerate() {
            put(
                cells,
                TableId::Requests,
                row,
                col,
                Value::int(v.get(i).copied().unwrap_or(0)),
            );
        }
    }
}

/// Table 四.
fn appeals(rng: &mut Rng, format: Format, scale: Scale, cells: &mut BTreeMap<CellId, Cell>) {
    let def = catalogue::table(format, TableId::Appeals);
    for (g, row) in def.rows.iter().enumerate() {
        let (p, max) = match (scale, g) {
            (Scale::Quiet, _) => (0.03, 1),
            (Scale::Small, _) => (0.2, 3),
            (Scale::Large, 0) => (0.9, 200),
            (Scale::Large, _) => (0.8, 60),
        };
        let n = row.columns.len();
        let mut parts: Vec<i64> = (0..n.saturating_sub(1))
            .map(|_| maybe(rng, p, max))
            .collect();
        parts.push(parts.iter().sum());
        for (col, v) in row.columns.iter().zip(parts) {
            put(cells, TableId::Appeals, row, col, Value::int(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(r: &Report, table: TableId, row: &'static str, column: &'static str) -> i64 {
        r.value(&CellId { table, row, column })
            .and_then(Value::as_int)
            .unwrap_or_else(|| panic!("{}.{row}.{column} is not an integer", table.key()))
    }

    fn expected_cells(format: Format, single: bool) -> Vec<CellId> {
        let mut ids = Vec::new();
        for t in TableId::ALL {
            for r in catalogue::table(format, t).rows_for(single) {
                for c in r.columns {
                    ids.push(CellId {
                        table: t,
                        row: r.key,
                        column: c.key,
                    });
                }
            }
        }
        ids.sort();
        ids
    }

    fn check_invariants(r: &Report, single: bool) {
        let format = r.format().expect("standard format");
        let year = r.meta.year.expect("year");
        assert_eq!(Format::for_year(year), Some(format));
        assert!((2019..=2025).contains(&year));
        let title = r.meta.title.as_ref().expect("title");
        let printed = r.meta.agency_printed.as_deref().expect("agency");
        assert_eq!(title.value, format!("{printed}{year}{TITLE_SUFFIX}"));
        assert_eq!(
            r.meta.agency.as_deref(),
            Some(expand_agency(printed).as_str())
        );
        if let Some(p) = &r.meta.published {
            assert_eq!((p.value.year, p.value.month), (year + 1, 1));
        }

        // Exactly the cells of the format.
        let ids: Vec<CellId> = r.cells.keys().copied().collect();
        assert_eq!(ids, expected_cells(format, single));
        for cell in r.cells.values() {
            assert_eq!(cell.span, Span::line(0));
            assert_eq!(cell.printed_column, None);
            assert_eq!(cell.located, Located::Label);
        }

        // Table 二: units.
        for row in catalogue::table(format, TableId::Active).rows {
            for col in row.columns {
                let id = CellId {
                    table: TableId::Active,
                    row: row.key,
                    column: col.key,
                };
                let n = r.value(&id).and_then(Value::as_number).expect("number");
                match col.unit {
                    Unit::Count => assert!(n.as_int().is_some_and(|i| i >= 0), "{id}"),
                    Unit::SignedCount => {
                        let prev = int(r, TableId::Active, row.key, "previous_items");
                        assert!(n.as_int().is_some_and(|i| i >= -prev), "{id}");
                    }
                    Unit::Amount => match n {
                        Number::Int(i) => assert!(i >= 0),
                        Number::Decimal { mantissa, scale } => {
                            assert!(mantissa >= 0 && (1..=2).contains(&scale), "{id}")
                        }
                    },
                }
            }
        }

        // Table 三.
        let rows = catalogue::table(format, TableId::Requests).rows_for(single);
        let cols = catalogue::APPLICANT_COLUMNS;
        for row in &rows {
            let parts: i64 = cols[..6]
                .iter()
                .map(|c| int(r, TableId::Requests, row.key, c.key))
                .sum();
            assert_eq!(
                parts,
                int(r, TableId::Requests, row.key, "total"),
                "{}",
                row.key
            );
        }
        for c in cols {
            let get = |row| int(r, TableId::Requests, row, c.key);
            let outcomes: i64 = rows
                .iter()
                .filter(|row| row.group.is_some() && row.key != "total")
                .map(|row| get(row.key))
                .sum();
            assert_eq!(outcomes, get("total"), "column {}", c.key);
            assert_eq!(
                get("new_received") + get("carried_over"),
                get("total") + get("carried_forward"),
                "column {}",
                c.key
            );
            for row in &rows {
                assert!(get(row.key) >= 0);
            }
        }

        // Table 四.
        for row in catalogue::table(format, TableId::Appeals).rows {
            let sum: i64 = row.columns[..4]
                .iter()
                .map(|c| int(r, TableId::Appeals, row.key, c.key))
                .sum();
            assert_eq!(sum, int(r, TableId::Appeals, row.key, "total"));
        }
    }

    #[test]
    fn identities_hold_for_200_seeds() {
        let mut formats = [0usize; 2];
        let mut published = 0;
        for seed in 0..200 {
            let r = random_report(seed, &GenOptions::default());
            check_invariants(&r, r.format() == Some(Format::F2019));
            formats[usize::from(r.format() == Some(Format::F2019))] += 1;
            published += usize::from(r.meta.published.is_some());
        }
        assert!(formats[0] > 50 && formats[1] > 20, "{formats:?}");
        assert!(published > 100 && published < 200, "{published}");
    }

    #[test]
    fn identities_hold_for_every_scale_and_the_single_other_row() {
        for seed in 0..200 {
            for scale in [Scale::Quiet, Scale::Small, Scale::Large] {
                let opts = GenOptions {
                    other_single_row: true,
                    format: Some(Format::F2021),
                    scale: Some(scale),
                    ..GenOptions::default()
                };
                let r = random_report(seed, &opts);
                check_invariants(&r, true);
                assert!(r
                    .cells
                    .keys()
                    .any(|id| id.table == TableId::Requests
                        && id.row == catalogue::ROW_OTHER_SINGLE.key));
                let opts = GenOptions {
                    format: Some(Format::F2019),
                    scale: Some(scale),
                    ..GenOptions::default()
                };
                check_invariants(&random_report(seed, &opts), true);
            }
        }
    }

    #[test]
    fn deterministic() {
        let opts = GenOptions {
            blank_probability: 0.1,
            text_probability: 0.05,
            ..GenOptions::default()
        };
        for seed in [0, 1, 42, u64::MAX] {
            assert_eq!(random_report(seed, &opts), random_report(seed, &opts));
        }
        assert_ne!(random_report(1, &opts).cells, random_report(2, &opts).cells);
    }

    #[test]
    fn blanks_and_placeholders_are_drawn_when_asked() {
        let opts = GenOptions {
            blank_probability: 0.2,
            text_probability: 0.2,
            ..GenOptions::default()
        };
        let r = random_report(5, &opts);
        let blanks = r.cells.values().filter(|c| c.value.is_blank()).count();
        let texts = r
            .cells
            .values()
            .filter(|c| matches!(c.value, Value::Text(_)))
            .count();
        assert!(blanks > 10 && texts > 5, "{blanks} {texts}");
        let none = random_report(5, &GenOptions::default());
        assert!(none.cells.values().all(|c| c.value.as_number().is_some()));
    }

    #[test]
    fn some_reports_are_large_and_have_decimals_and_negatives() {
        let mut decimals = 0;
        let mut negatives = 0;
        let mut big = 0;
        for seed in 0..200 {
            let r = random_report(seed, &GenOptions::default());
            for c in r.cells.values() {
                match c.value.as_number() {
                    Some(Number::Decimal { .. }) => decimals += 1,
                    Some(n) if n.is_negative() => negatives += 1,
                    Some(Number::Int(i)) if i > 1000 => big += 1,
                    _ => {}
                }
            }
        }
        assert!(
            decimals > 10 && negatives > 10 && big > 50,
            "{decimals} {negatives} {big}"
        );
    }

    #[test]
    fn forced_year_and_format() {
        let r = random_report(
            3,
            &GenOptions {
                year: Some(2020),
                ..GenOptions::default()
            },
        );
        assert_eq!(r.format(), Some(Format::F2019));
        assert_eq!(r.meta.year, Some(2020));
        assert_eq!(expand_agency("某县住建局"), "某县住房和城乡建设局");
        assert_eq!(expand_agency("某县教育局"), "某县教育局");
    }
}
