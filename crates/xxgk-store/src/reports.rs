//! Report versions and their files, read through the caller's scope.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

use crate::audit::{self, Change};
use crate::{
    get, now, sha256_hex, Actor, NewReport, ReportFilter, ReportFormat, ReportJson, ReportResult,
    ReportSort, ReportStatus, ReportVersion, Result, Role, Store, StoreError, StoredReport, User,
};

const REPORT_COLUMNS: &str = "r.id, r.agency_id, a.code AS agency_code, a.name AS agency_name, \
    r.year, r.version, r.status, r.unreadable_reason, r.file_id, r.file_name, \
    f.sha256 AS file_sha256, f.size AS file_size, r.error_count, r.warning_count, \
    r.uploaded_by, r.uploaded_at, r.format, r.is_latest";
const REPORT_FROM: &str =
    "reports r JOIN agencies a ON a.id = r.agency_id JOIN files f ON f.id = r.file_id";

fn report(row: &AnyRow) -> Result<StoredReport> {
    Ok(StoredReport {
        id: get(row, "id")?,
        agency_id: get(row, "agency_id")?,
        agency_code: get(row, "agency_code")?,
        agency_name: get(row, "agency_name")?,
        year: get::<Option<i64>>(row, "year")?.map(|y| y as i32),
        version: get::<i64>(row, "version")? as i32,
        status: ReportStatus::parse(&get::<String>(row, "status")?),
        unreadable_reason: get(row, "unreadable_reason")?,
        file_id: get(row, "file_id")?,
        file_name: get(row, "file_name")?,
        file_sha256: get(row, "file_sha256")?,
        file_size: get(row, "file_size")?,
        error_count: get(row, "error_count")?,
        warning_count: get(row, "warning_count")?,
        uploaded_by: get(row, "uploaded_by")?,
        uploaded_at: get(row, "uploaded_at")?,
        format: ReportFormat::of_column(get::<Option<String>>(row, "format")?.as_deref()),
        is_latest: get::<i64>(row, "is_latest")? != 0,
    })
}

/// The scope of a caller as a condition on the agency `a` of a row, with the one text value
/// it binds as `$n`: an admin sees every path, a supervisor its agency's subtree, staff their
/// own agency, anyone else nothing.
pub(crate) fn scope(user: &User, n: usize) -> (String, String) {
    if user.disabled {
        return (format!("a.path = ${n}"), String::new());
    }
    match (user.role, &user.agency_path) {
        (Role::Admin, _) => (format!("a.path LIKE ${n}"), "/%".to_owned()),
        (Role::Supervisor, Some(path)) => (format!("a.path LIKE ${n}"), format!("{path}%")),
        (Role::Staff, Some(path)) => (format!("a.path = ${n}"), path.clone()),
        _ => (format!("a.path = ${n}"), String::new()),
    }
}

/// The list query of [`Store::reports`]: the ids of the page in order (`ordered`), or the
/// count; and the values it binds. Every condition is on `reports` alone — the caller's scope
/// and the agency filter as `r.agency_id IN (agencies of the subtree)`, none for an
/// administrator — so the database can walk the reports' indexes; `agencies` is joined only
/// when the order needs the agency code, and the files not at all (the page's rows are read
/// by id afterwards, [`Store::reports_by_ids`]).
fn list_query(caller: &User, filter: &ReportFilter, ordered: bool) -> (String, Vec<Value>) {
    let mut values = Vec::new();
    let mut sql = String::new();
    let by_code = ordered
        && matches!(
            filter.sort,
            ReportSort::Default | ReportSort::Year | ReportSort::Agency
        );
    sql.push_str(if !ordered {
        "SELECT COUNT(*) AS n FROM reports r WHERE 1 = 1"
    } else if by_code {
        "SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE 1 = 1"
    } else {
        "SELECT r.id FROM reports r WHERE 1 = 1"
    });
    let all = caller.role == Role::Admin && !caller.disabled;
    if !all {
        let (condition, value) = scope(caller, 1);
        values.push(Value::Text(value));
        let condition = condition.replace("a.path", "s.path");
        sql.push_str(&format!(
            " AND r.agency_id IN (SELECT s.id FROM agencies s WHERE {condition})"
        ));
    }
    if let Some(year) = filter.year {
        values.push(Value::Int(i64::from(year)));
        sql.push_str(&format!(" AND r.year = ${}", values.len()));
    }
    if let Some(agency_id) = filter.agency_id {
        values.push(Value::Int(agency_id));
        sql.push_str(&format!(
            " AND r.agency_id IN (SELECT t.id FROM agencies t WHERE t.path LIKE \
             (SELECT path FROM agencies WHERE id = ${}) || '%')",
            values.len()
        ));
    }
    if filter.latest_only {
        sql.push_str(" AND r.is_latest = 1");
    }
    match filter.format {
        None => {}
        Some(ReportFormat::Unknown) => sql.push_str(" AND r.format IS NULL"),
        Some(f) => {
            values.push(Value::Text(f.as_str().to_owned()));
            sql.push_str(&format!(" AND r.format = ${}", values.len()));
        }
    }
    if let Some(status) = filter.status {
        values.push(Value::Text(status.as_str().to_owned()));
        sql.push_str(&format!(" AND r.status = ${}", values.len()));
    }
    match filter.has_errors {
        Some(true) => sql.push_str(" AND r.error_count > 0"),
        Some(false) => sql.push_str(" AND r.error_count = 0"),
        None => {}
    }
    if let Some(rule) = &filter.rule {
        values.push(Value::Text(rule.clone()));
        sql.push_str(&format!(
            " AND r.id IN (SELECT rr.report_id FROM report_rules rr WHERE rr.rule = ${})",
            values.len()
        ));
    }
    if ordered {
        let dir = if filter.descending { "DESC" } else { "ASC" };
        let order = match filter.sort {
            ReportSort::Default => "r.year DESC, a.code, r.version DESC, r.id DESC".to_owned(),
            ReportSort::Year => format!("r.year {dir}, a.code, r.version DESC, r.id DESC"),
            ReportSort::Agency => format!("a.code {dir}, r.year DESC, r.version DESC, r.id DESC"),
            ReportSort::Errors => format!("r.error_count {dir}, r.year DESC, r.id DESC"),
            ReportSort::Uploaded => format!("r.uploaded_at {dir}, r.id {dir}"),
        };
        sql.push_str(&format!(" ORDER BY {order}"));
    }
    if let Some(limit) = filter.limit {
        values.push(Value::Int(limit));
        sql.push_str(&format!(" LIMIT ${}", values.len()));
        if let Some(offset) = filter.offset {
            values.push(Value::Int(offset));
            sql.push_str(&format!(" OFFSET ${}", values.len()));
        }
    }
    (sql, values)
}

enum Value {
    Int(i64),
    Text(String),
}

/// What is stored of one report version beside its file (shared by [`Store::add_report`] and
/// the upload jobs).
pub(crate) struct Version<'a> {
    pub agency_id: i64,
    pub year: Option<i32>,
    pub file_id: i64,
    pub sha256: &'a str,
    pub file_name: &'a str,
    pub result: &'a ReportResult<'a>,
}

/// Inserts a report as the next version of its agency and year (an unknown year is a series of
/// its own), with its audit entry: the id and version. The version is computed in the INSERT
/// itself; two transactions racing for the same number meet the unique index
/// `reports_version`, and the caller retries ([`crate::retrying`]).
pub(crate) async fn insert_version(
    conn: &mut AnyConnection,
    actor: &Actor,
    v: &Version<'_>,
) -> Result<(i64, i64)> {
    let year = v.year.map(i64::from);
    let previous = sqlx::query(
        "SELECT f.sha256 FROM reports r JOIN files f ON f.id = r.file_id \
         WHERE r.agency_id = $1 AND COALESCE(r.year, 0) = COALESCE($2, 0) \
         ORDER BY r.version DESC LIMIT 1",
    )
    .bind(v.agency_id)
    .bind(year)
    .fetch_optional(&mut *conn)
    .await?;
    let before = previous
        .as_ref()
        .map(|row| get::<String>(row, "sha256"))
        .transpose()?;
    let r = v.result;
    let row = sqlx::query(
        "INSERT INTO reports (agency_id, year, version, file_id, file_name, status, \
         unreadable_reason, extract_json, findings_json, error_count, warning_count, \
         uploaded_by, uploaded_at) \
         SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 \
         FROM reports WHERE agency_id = $1 AND COALESCE(year, 0) = COALESCE($2, 0) \
         RETURNING id, version",
    )
    .bind(v.agency_id)
    .bind(year)
    .bind(v.file_id)
    .bind(v.file_name)
    .bind(r.status.as_str())
    .bind(r.unreadable_reason)
    .bind(r.extract_json)
    .bind(r.findings_json)
    .bind(r.error_count)
    .bind(r.warning_count)
    .bind(actor.user_id)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = get(&row, "id")?;
    let version: i64 = get(&row, "version")?;
    crate::listing::index_report(
        &mut *conn,
        id,
        Some((v.agency_id, v.year)),
        r.extract_json,
        r.findings_json,
    )
    .await?;
    audit::record(
        conn,
        actor,
        Change {
            action: "report.upload",
            object_type: "report",
            object_id: Some(id),
            detail: Some(json!({"agency_id": v.agency_id, "year": v.year,
                "version": version, "file_name": v.file_name,
                "status": r.status.as_str()})),
            before,
            after: Some(v.sha256.to_owned()),
        },
    )
    .await?;
    Ok((id, version))
}

impl Store {
    /// Stores a report version: the file once per content (sha256), the report as a new
    /// version of its agency and year, and an audit entry (before = the previous version's
    /// file hash, after = this one's). Concurrent uploads of one agency and year get
    /// consecutive versions (a transaction that lost the race is retried).
    pub async fn add_report(&self, actor: &Actor, new: &NewReport<'_>) -> Result<StoredReport> {
        let id = crate::retrying(|| self.try_add_report(actor, new)).await?;
        let row = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        report(&row)
    }

    async fn try_add_report(&self, actor: &Actor, new: &NewReport<'_>) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.insert_report(&mut tx, actor, new).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Inserts one report version in the caller's transaction (see [`Store::add_report`]):
    /// its file once per content, the version, the list's index, the audit entry.
    pub(crate) async fn insert_report(
        &self,
        tx: &mut sqlx::AnyConnection,
        actor: &Actor,
        new: &NewReport<'_>,
    ) -> Result<i64> {
        // The first statement writes: on SQLite the transaction takes the write lock here
        // (waiting for another writer), so what it reads next is not stale.
        let (file_id, sha) = self.put_file(tx, new.file_name, new.bytes).await?;
        let agency = sqlx::query("SELECT id FROM agencies WHERE id = $1")
            .bind(new.agency_id)
            .fetch_optional(&mut *tx)
            .await?;
        if agency.is_none() {
            return Err(StoreError::AgencyNotFound(new.agency_id.to_string()));
        }
        let result = ReportResult {
            status: new.status,
            unreadable_reason: new.unreadable_reason,
            extract_json: new.extract_json,
            findings_json: new.findings_json,
            error_count: new.error_count,
            warning_count: new.warning_count,
        };
        let (id, _) = insert_version(
            tx,
            actor,
            &Version {
                agency_id: new.agency_id,
                year: new.year,
                file_id,
                sha256: &sha,
                file_name: new.file_name,
                result: &result,
            },
        )
        .await?;
        Ok(id)
    }

    /// Records what reading and checking a report gave (a report uploaded as `processing` by
    /// a background job becomes `ready` or `unreadable`), with an audit entry (after = the
    /// sha256 of the new findings).
    pub async fn set_report_result(
        &self,
        actor: &Actor,
        id: i64,
        result: &ReportResult<'_>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let before = sqlx::query("SELECT findings_json FROM reports WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(before) = before else {
            return Err(StoreError::ReportNotFound(id));
        };
        let before: Option<String> = get(&before, "findings_json")?;
        sqlx::query(
            "UPDATE reports SET status = $1, unreadable_reason = $2, extract_json = $3, \
             findings_json = $4, error_count = $5, warning_count = $6 WHERE id = $7",
        )
        .bind(result.status.as_str())
        .bind(result.unreadable_reason)
        .bind(result.extract_json)
        .bind(result.findings_json)
        .bind(result.error_count)
        .bind(result.warning_count)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        crate::listing::index_report(&mut tx, id, None, result.extract_json, result.findings_json)
            .await?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "report.result",
                object_type: "report",
                object_id: Some(id),
                detail: Some(json!({"status": result.status.as_str()})),
                before: before.map(|b| sha256_hex(b.as_bytes())),
                after: result.findings_json.map(|f| sha256_hex(f.as_bytes())),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many reports the caller may see under a filter (its limit and offset ignored).
    pub async fn count_reports(&self, caller: &User, filter: &ReportFilter) -> Result<i64> {
        let unpaged = ReportFilter {
            limit: None,
            offset: None,
            ..filter.clone()
        };
        let (sql, values) = list_query(caller, &unpaged, false);
        let mut query = sqlx::query(&sql);
        for v in values {
            query = match v {
                Value::Int(i) => query.bind(i),
                Value::Text(s) => query.bind(s),
            };
        }
        let row = query.fetch_one(&self.pool).await?;
        get(&row, "n")
    }

    /// A report by id, if the caller may see it: one outside the caller's scope is `None`,
    /// exactly like one that does not exist.
    pub async fn report(&self, caller: &User, id: i64) -> Result<Option<StoredReport>> {
        let (condition, value) = scope(caller, 2);
        let row = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE r.id = $1 AND {condition}"
        ))
        .bind(id)
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(report).transpose()
    }

    /// The extract and findings JSON of a report the caller may see.
    pub async fn report_json(&self, caller: &User, id: i64) -> Result<Option<ReportJson>> {
        let (condition, value) = scope(caller, 2);
        let row = sqlx::query(&format!(
            "SELECT r.extract_json, r.findings_json FROM reports r \
             JOIN agencies a ON a.id = r.agency_id WHERE r.id = $1 AND {condition}"
        ))
        .bind(id)
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(ReportJson {
                extract_json: get(&row, "extract_json")?,
                findings_json: get(&row, "findings_json")?,
            })
        })
        .transpose()
    }

    /// The original file of a report the caller may see: its uploaded name and bytes.
    pub async fn report_file(&self, caller: &User, id: i64) -> Result<Option<(String, Vec<u8>)>> {
        let (condition, value) = scope(caller, 2);
        let row = sqlx::query(&format!(
            "SELECT r.file_name, f.content, f.external_path FROM {REPORT_FROM} \
             WHERE r.id = $1 AND {condition}"
        ))
        .bind(id)
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok((
                get(&row, "file_name")?,
                self.file_content(get(&row, "content")?, get(&row, "external_path")?)?,
            ))
        })
        .transpose()
    }

    /// [`Store::reports`] with each report's extract and findings JSON (the list's export).
    pub async fn reports_with_json(
        &self,
        caller: &User,
        filter: &ReportFilter,
    ) -> Result<Vec<(StoredReport, ReportJson)>> {
        let ids = self.report_ids(caller, filter).await?;
        let columns = format!("{REPORT_COLUMNS}, r.extract_json, r.findings_json");
        let rows = self.rows_by_ids(&columns, &ids).await?;
        rows.iter()
            .map(|row| {
                Ok((
                    report(row)?,
                    ReportJson {
                        extract_json: get(row, "extract_json")?,
                        findings_json: get(row, "findings_json")?,
                    },
                ))
            })
            .collect()
    }

    /// The ids of the list, in order.
    async fn report_ids(&self, caller: &User, filter: &ReportFilter) -> Result<Vec<i64>> {
        let (sql, values) = list_query(caller, filter, true);
        let mut query = sqlx::query(&sql);
        for v in values {
            query = match v {
                Value::Int(i) => query.bind(i),
                Value::Text(s) => query.bind(s),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(|row| get::<i64>(row, "id")).collect()
    }

    /// The rows of reports by id (ids the caller's scoped list gave), in the order of `ids`.
    async fn rows_by_ids(&self, columns: &str, ids: &[i64]) -> Result<Vec<AnyRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT {columns} FROM {REPORT_FROM} WHERE r.id IN ({})",
                marks.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            let mut rows = query.fetch_all(&self.pool).await?;
            let mut by_id = std::collections::HashMap::with_capacity(rows.len());
            for row in rows.drain(..) {
                by_id.insert(get::<i64>(&row, "id")?, row);
            }
            out.extend(chunk.iter().filter_map(|id| by_id.remove(id)));
        }
        Ok(out)
    }

    /// The reports the caller may see, filtered; newest year first, then agency code and
    /// version (latest first).
    pub async fn reports(&self, caller: &User, filter: &ReportFilter) -> Result<Vec<StoredReport>> {
        let ids = self.report_ids(caller, filter).await?;
        let rows = self.rows_by_ids(REPORT_COLUMNS, &ids).await?;
        rows.iter().map(report).collect()
    }

    /// Every version of the agency and year of report `id` (newest first), each with its
    /// uploader's name, if the caller may see report `id`: `None` when it may not, exactly
    /// like a missing report. (Versions share their agency, so the caller sees all or none.)
    pub async fn report_versions(
        &self,
        caller: &User,
        id: i64,
    ) -> Result<Option<Vec<ReportVersion>>> {
        let (condition, value) = scope(caller, 2);
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS}, u.name AS uploaded_by_name FROM {REPORT_FROM} \
             LEFT JOIN users u ON u.id = r.uploaded_by \
             JOIN reports cur ON cur.agency_id = r.agency_id AND cur.year = r.year \
             WHERE cur.id = $1 AND {condition} ORDER BY r.version DESC"
        ))
        .bind(id)
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        rows.iter()
            .map(|row| {
                Ok(ReportVersion {
                    report: report(row)?,
                    uploaded_by_name: get(row, "uploaded_by_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }
}
