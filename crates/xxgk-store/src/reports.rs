//! Report versions and their files, read through the caller's scope.

use serde_json::json;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::{
    get, now, sha256_hex, Actor, NewReport, ReportFilter, ReportFormat, ReportJson, ReportResult,
    ReportSort, ReportStatus, Result, Role, Store, StoreError, StoredReport, User,
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
        year: get::<i64>(row, "year")? as i32,
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

/// Inserts one report version (see [`Store::add_report`]) in a transaction: returns its id.
pub(crate) async fn insert_report(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    new: &NewReport<'_>,
) -> Result<i64> {
    let agency = sqlx::query("SELECT id FROM agencies WHERE id = $1")
        .bind(new.agency_id)
        .fetch_optional(&mut *conn)
        .await?;
    if agency.is_none() {
        return Err(StoreError::AgencyNotFound(new.agency_id.to_string()));
    }
    let sha = sha256_hex(new.bytes);
    let t = now();
    sqlx::query(
        "INSERT INTO files (sha256, size, name, content, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha.as_str())
    .bind(new.bytes.len() as i64)
    .bind(new.file_name)
    .bind(new.bytes.to_vec())
    .bind(t)
    .execute(&mut *conn)
    .await?;
    let file_id: i64 = get(
        &sqlx::query("SELECT id FROM files WHERE sha256 = $1")
            .bind(sha.as_str())
            .fetch_one(&mut *conn)
            .await?,
        "id",
    )?;
    let previous = sqlx::query(
        "SELECT r.version, f.sha256 FROM reports r JOIN files f ON f.id = r.file_id \
         WHERE r.agency_id = $1 AND r.year = $2 ORDER BY r.version DESC LIMIT 1",
    )
    .bind(new.agency_id)
    .bind(i64::from(new.year))
    .fetch_optional(&mut *conn)
    .await?;
    let (version, before) = match &previous {
        Some(row) => (
            get::<i64>(row, "version")? + 1,
            Some(get::<String>(row, "sha256")?),
        ),
        None => (1, None),
    };
    let row = sqlx::query(
        "INSERT INTO reports (agency_id, year, version, file_id, file_name, status, \
         unreadable_reason, extract_json, findings_json, error_count, warning_count, \
         uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(new.agency_id)
    .bind(i64::from(new.year))
    .bind(version)
    .bind(file_id)
    .bind(new.file_name)
    .bind(new.status.as_str())
    .bind(new.unreadable_reason)
    .bind(new.extract_json)
    .bind(new.findings_json)
    .bind(new.error_count)
    .bind(new.warning_count)
    .bind(actor.user_id)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = get(&row, "id")?;
    crate::listing::index_report(
        &mut *conn,
        id,
        Some((new.agency_id, new.year)),
        new.extract_json,
        new.findings_json,
    )
    .await?;
    audit::record(
        &mut *conn,
        actor,
        Change {
            action: "report.upload",
            object_type: "report",
            object_id: Some(id),
            detail: Some(json!({"agency_id": new.agency_id, "year": new.year,
                "version": version, "file_name": new.file_name,
                "status": new.status.as_str()})),
            before,
            after: Some(sha),
        },
    )
    .await?;
    Ok(id)
}

enum Value {
    Int(i64),
    Text(String),
}

impl Store {
    /// Stores a report version: the file once per content (sha256), the report as a new
    /// version of its agency and year, and an audit entry (before = the previous version's
    /// file hash, after = this one's).
    pub async fn add_report(&self, actor: &Actor, new: &NewReport<'_>) -> Result<StoredReport> {
        let mut tx = self.pool.begin().await?;
        let id = insert_report(&mut tx, actor, new).await?;
        tx.commit().await?;
        let row = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM {REPORT_FROM} WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        report(&row)
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
            "SELECT r.file_name, f.content FROM {REPORT_FROM} WHERE r.id = $1 AND {condition}"
        ))
        .bind(id)
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok((
                get(&row, "file_name")?,
                get::<Option<Vec<u8>>>(&row, "content")?.unwrap_or_default(),
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
}
