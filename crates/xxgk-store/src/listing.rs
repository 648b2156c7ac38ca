//! What the report list filters on, kept when a report is stored: the `format` and
//! `is_latest` columns of `reports` and the `report_rules` table (migration 0003), and a bulk
//! loader for benchmarks and imports.

use std::collections::BTreeSet;

use sqlx::AnyConnection;

use crate::{get, AuditEntry, NewReport, Result, Store};

/// Fills what the list filters on for report `id`: its format (from the extract), the rules of
/// its findings, and — for a new version, `Some((agency, year))` — which version is the latest.
/// Called by `Store::add_report` and `Store::set_report_result` in their transactions.
pub(crate) async fn index_report(
    conn: &mut AnyConnection,
    id: i64,
    new_version_of: Option<(i64, Option<i32>)>,
    extract_json: Option<&str>,
    findings_json: Option<&str>,
) -> Result<()> {
    if let Some((agency_id, year)) = new_version_of {
        sqlx::query(
            "UPDATE reports SET is_latest = CASE WHEN id = $1 THEN 1 ELSE 0 END \
             WHERE agency_id = $2 AND COALESCE(year, 0) = COALESCE($3, 0)",
        )
        .bind(id)
        .bind(agency_id)
        .bind(year.map(i64::from))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE reports SET format = $1 WHERE id = $2")
        .bind(extract_json.and_then(format_of))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM report_rules WHERE report_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for rule in findings_json.map(rules_of).unwrap_or_default() {
        sqlx::query("INSERT INTO report_rules (report_id, rule) VALUES ($1, $2)")
            .bind(id)
            .bind(rule)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The `format` of an extract (`"2021"`, `"2019"`, `"pre-2019"`), if it names one.
pub(crate) fn format_of(extract_json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(extract_json).ok()?;
    value
        .get("format")
        .and_then(|f| f.as_str())
        .map(str::to_owned)
}

/// The distinct rules of a findings array.
pub(crate) fn rules_of(findings_json: &str) -> BTreeSet<String> {
    let value: serde_json::Value = serde_json::from_str(findings_json).unwrap_or_default();
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.get("rule").and_then(|r| r.as_str()))
        .map(str::to_owned)
        .collect()
}

impl Store {
    /// Stores many reports in one transaction each batch, as [`Store::add_report`] does one
    /// (files once per content, versions, the list's index, an audit entry each): for bulk
    /// imports and the list benchmark. Returns the ids.
    pub async fn add_reports_bulk(
        &self,
        actor: &crate::Actor,
        reports: &[NewReport<'_>],
    ) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(reports.len());
        let mut tx = self.pool.begin().await?;
        for new in reports {
            ids.push(self.insert_report(&mut tx, actor, new).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The newest entries of the audit log, newest first (for administrators; the caller
    /// checks the role).
    pub async fn audit_log_latest(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor_id, actor, action, object_type, object_id, detail, \
             before_sha256, after_sha256 FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(crate::audit::entry).collect()
    }

    /// The years that have reports the caller may see, newest first (the list's year filter).
    pub async fn report_years(&self, caller: &crate::User) -> Result<Vec<i32>> {
        let rows = if caller.role == crate::Role::Admin && !caller.disabled {
            sqlx::query(
                "SELECT DISTINCT year FROM reports WHERE year IS NOT NULL ORDER BY year DESC",
            )
            .fetch_all(&self.pool)
            .await?
        } else {
            let (condition, value) = crate::reports::scope(caller, 1);
            sqlx::query(&format!(
                "SELECT DISTINCT r.year FROM reports r WHERE r.year IS NOT NULL AND r.agency_id IN \
                 (SELECT a.id FROM agencies a WHERE {condition}) ORDER BY r.year DESC"
            ))
            .bind(value)
            .fetch_all(&self.pool)
            .await?
        };
        rows.iter()
            .map(|row| Ok(get::<i64>(row, "year")? as i32))
            .collect()
    }
}
