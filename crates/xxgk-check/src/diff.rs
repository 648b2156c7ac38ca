//! Two versions of a report compared: the cells that changed (blank ↔ number included) and the
//! findings that appeared or went away. Pure: the web application's report page and its API
//! (`/reports/{id}/diff?from=OTHER`) show what this returns.

use xxgk_model::catalogue::TableId;
use xxgk_model::json::row_order;
use xxgk_model::{CellId, Report, Value};

/// One cell whose value differs between two versions. `None`: that version does not print the
/// cell at all (its row was not read), which is not the same as a blank cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellChange {
    /// The canonical cell id (`requests.new_received.natural_person`).
    pub id: CellId,
    /// The cell as users find it in the report, from the catalogue's labels:
    /// 表三“一、本年新收政府信息公开申请数量”行“自然人”列.
    pub label: String,
    /// The value in the older version.
    pub old: Option<Value>,
    /// The value in the newer version.
    pub new: Option<Value>,
}

/// The cells whose values differ between `old` and `new`, in printed order (table 二, 三, 四;
/// rows and columns as the newer version's format prints them), then any other cell in id
/// order. Equal values are left out; a blank and a number differ, a missing cell and a blank
/// differ.
pub fn cell_changes(old: &Report, new: &Report) -> Vec<CellChange> {
    let format = new.format().or(old.format());
    let mut ids: Vec<CellId> = Vec::new();
    for table in TableId::ALL {
        let template = if new.format().is_some() { new } else { old };
        for row in row_order(template, table) {
            for col in row.columns {
                ids.push(CellId {
                    table,
                    row: row.key,
                    column: col.key,
                });
            }
        }
    }
    let mut rest: Vec<CellId> = old
        .cells
        .keys()
        .chain(new.cells.keys())
        .filter(|id| !ids.contains(id))
        .copied()
        .collect();
    rest.sort();
    rest.dedup();
    ids.extend(rest);
    ids.into_iter()
        .filter_map(|id| {
            let (a, b) = (old.value(&id), new.value(&id));
            (a != b).then(|| CellChange {
                id,
                label: crate::emit::cell_name(format, &id),
                old: a.cloned(),
                new: b.cloned(),
            })
        })
        .collect()
}

/// What identifies a finding across versions: its rule and the cells it names (in any order).
/// Its message is not part of it (a message quotes numbers, which change with the cells).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingKey {
    /// The rule id (`T3-BALANCE`).
    pub rule: String,
    /// The canonical ids of the cells it names.
    pub cells: Vec<String>,
}

impl FindingKey {
    /// A key from a rule id and cell ids.
    pub fn new(
        rule: impl Into<String>,
        cells: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut cells: Vec<String> = cells.into_iter().map(Into::into).collect();
        cells.sort();
        FindingKey {
            rule: rule.into(),
            cells,
        }
    }
}

/// Which findings appeared and which went away between two versions: indices into `new`
/// (appeared) and into `old` (gone), each in its list's order. Findings are matched one to one
/// by [`FindingKey`], so a rule that fires twice on the same cells in the new version and once
/// in the old has one appeared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingChanges {
    /// Indices into the newer version's findings.
    pub appeared: Vec<usize>,
    /// Indices into the older version's findings.
    pub gone: Vec<usize>,
}

/// Compares the findings of two versions (see [`FindingChanges`]).
pub fn finding_changes(old: &[FindingKey], new: &[FindingKey]) -> FindingChanges {
    let mut matched = vec![false; old.len()];
    let mut appeared = Vec::new();
    for (i, key) in new.iter().enumerate() {
        match (0..old.len()).find(|&j| !matched[j] && old[j] == *key) {
            Some(j) => matched[j] = true,
            None => appeared.push(i),
        }
    }
    let gone = (0..old.len()).filter(|&j| !matched[j]).collect();
    FindingChanges { appeared, gone }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::consistent;
    use xxgk_model::catalogue::Format;

    fn id(flat: &str) -> CellId {
        CellId::parse(flat).expect("a cell id")
    }

    fn set(r: &mut Report, flat: &str, v: Value) {
        r.cells.get_mut(&id(flat)).expect("cell").value = v;
    }

    #[test]
    fn same_report_has_no_changes() {
        let r = consistent(Format::F2021);
        assert!(cell_changes(&r, &r.clone()).is_empty());
    }

    #[test]
    fn changed_blank_and_missing_cells_in_printed_order() {
        let mut old = consistent(Format::F2021);
        set(
            &mut old,
            "requests.new_received.natural_person",
            Value::int(7),
        );
        set(&mut old, "requests.carried_over.total", Value::int(4));
        let mut new = old.clone();
        // 表四 first in the edits, 表三 second: the result lists 表三 (printed earlier) first.
        set(&mut new, "appeals.review.upheld", Value::int(5));
        set(
            &mut new,
            "requests.new_received.natural_person",
            Value::Blank,
        );
        new.cells.remove(&id("requests.carried_over.total"));
        let changes = cell_changes(&old, &new);
        let got: Vec<(String, Option<Value>, Option<Value>)> = changes
            .iter()
            .map(|c| (c.id.to_string(), c.old.clone(), c.new.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "requests.new_received.natural_person".to_owned(),
                    Some(Value::int(7)),
                    Some(Value::Blank)
                ),
                (
                    "requests.carried_over.total".to_owned(),
                    Some(Value::int(4)),
                    None
                ),
                (
                    "appeals.review.upheld".to_owned(),
                    Some(Value::int(1)),
                    Some(Value::int(5))
                ),
            ]
        );
        assert_eq!(
            changes[0].label,
            "表三“一、本年新收政府信息公开申请数量”行“自然人”列"
        );
        assert_eq!(changes[2].label, "表四“行政复议”的“结果维持”");
    }

    #[test]
    fn blank_to_number_is_a_change() {
        let mut old = consistent(Format::F2021);
        set(&mut old, "active.licensing.decisions", Value::Blank);
        let mut new = old.clone();
        set(&mut new, "active.licensing.decisions", Value::int(120));
        let changes = cell_changes(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].old, Some(Value::Blank));
        assert_eq!(changes[0].new, Some(Value::int(120)));
    }

    #[test]
    fn findings_matched_by_rule_and_cells() {
        let old = vec![
            FindingKey::new(
                "T3-BALANCE",
                ["requests.total.total", "requests.new_received.total"],
            ),
            FindingKey::new("VALUE-BLANK", ["appeals.review.upheld"]),
            FindingKey::new("DATE-LATE", Vec::<String>::new()),
        ];
        let new = vec![
            // Same cells in another order: the same finding.
            FindingKey::new(
                "T3-BALANCE",
                ["requests.new_received.total", "requests.total.total"],
            ),
            // Same rule, another cell: appeared (and the old one gone).
            FindingKey::new("VALUE-BLANK", ["appeals.review.total"]),
            FindingKey::new("DATE-LATE", Vec::<String>::new()),
            // Twice the same: the second is new.
            FindingKey::new("DATE-LATE", Vec::<String>::new()),
        ];
        assert_eq!(
            finding_changes(&old, &new),
            FindingChanges {
                appeared: vec![1, 3],
                gone: vec![1],
            }
        );
        assert_eq!(
            finding_changes(&new, &old),
            FindingChanges {
                appeared: vec![1],
                gone: vec![1, 3],
            }
        );
        assert_eq!(finding_changes(&old, &old), FindingChanges::default());
    }
}
