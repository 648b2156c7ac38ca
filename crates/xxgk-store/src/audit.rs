//! The append-only audit log: one entry per change, written in the change's transaction.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;

use crate::register::{rows_per_statement, values_list};
use crate::{get, now, sha256_hex, Actor, AuditEntry, Backend, Result, Store};

/// A change to record.
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<i64>,
    pub detail: Option<serde_json::Value>,
    /// The state before and after (hashed: sha256 of the JSON text), or a hash already made.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The sha256 of an object's state as JSON.
pub(crate) fn state_hash(state: &serde_json::Value) -> String {
    sha256_hex(state.to_string().as_bytes())
}

pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, object_type, object_id, detail, \
         before_sha256, after_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now())
    .bind(actor.user_id)
    .bind(actor.name.as_str())
    .bind(change.action)
    .bind(change.object_type)
    .bind(change.object_id)
    .bind(change.detail.map(|d| d.to_string()))
    .bind(change.before)
    .bind(change.after)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records many changes with multi-row inserts (a bulk import: one entry per object; see
/// [`crate::register::values_list`] for the parameters).
pub(crate) async fn record_many(
    conn: &mut AnyConnection,
    backend: Backend,
    actor: &Actor,
    changes: Vec<Change<'_>>,
) -> Result<()> {
    const COLUMNS: usize = 9;
    let at = now();
    for chunk in changes.chunks(rows_per_statement(backend, COLUMNS)) {
        let sql = format!(
            "INSERT INTO audit_log (at, actor_id, actor, action, object_type, object_id, detail, \
             before_sha256, after_sha256) VALUES {}",
            values_list(backend, chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for change in chunk {
            query = query
                .bind(at)
                .bind(actor.user_id)
                .bind(actor.name.as_str())
                .bind(change.action)
                .bind(change.object_type)
                .bind(change.object_id)
                .bind(change.detail.as_ref().map(|d| d.to_string()))
                .bind(change.before.as_deref())
                .bind(change.after.as_deref());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) fn entry(row: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: get(row, "id")?,
        at: get(row, "at")?,
        actor_id: get(row, "actor_id")?,
        actor: get(row, "actor")?,
        action: get(row, "action")?,
        object_type: get(row, "object_type")?,
        object_id: get(row, "object_id")?,
        detail: get(row, "detail")?,
        before_sha256: get(row, "before_sha256")?,
        after_sha256: get(row, "after_sha256")?,
    })
}

impl Store {
    /// The audit log, oldest first (for administrators; the caller checks the role).
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor_id, actor, action, object_type, object_id, detail, \
             before_sha256, after_sha256 FROM audit_log ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry).collect()
    }
}
