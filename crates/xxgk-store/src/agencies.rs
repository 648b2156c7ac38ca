//! The agency tree.

use serde_json::json;
use sqlx::any::AnyRow;

use crate::audit::{self, state_hash, Change};
use crate::error::is_unique_violation;
use crate::{
    get, now, Actor, Agency, AgencyKind, NewAgency, Result, Role, Store, StoreError, User,
};

const COLUMNS: &str = "id, code, name, parent_id, kind, path, created_at";

fn agency(row: &AnyRow) -> Result<Agency> {
    Ok(Agency {
        id: get(row, "id")?,
        code: get(row, "code")?,
        name: get(row, "name")?,
        parent_id: get(row, "parent_id")?,
        kind: AgencyKind::parse(&get::<String>(row, "kind")?),
        path: get(row, "path")?,
        created_at: get(row, "created_at")?,
    })
}

pub(crate) fn agency_state(a: &Agency) -> serde_json::Value {
    json!({"code": a.code, "name": a.name, "parent_id": a.parent_id, "kind": a.kind.as_str()})
}

impl Store {
    /// Adds an agency under its parent (by code) or as a root.
    pub async fn add_agency(&self, actor: &Actor, new: &NewAgency<'_>) -> Result<Agency> {
        let code = new.code.trim();
        let name = new.name.trim();
        if code.is_empty() || name.is_empty() {
            return Err(StoreError::EmptyAgency);
        }
        let mut tx = self.pool.begin().await?;
        let parent = match new.parent_code {
            Some(parent_code) => {
                let row = sqlx::query(&format!("SELECT {COLUMNS} FROM agencies WHERE code = $1"))
                    .bind(parent_code.trim())
                    .fetch_optional(&mut *tx)
                    .await?;
                match row {
                    Some(row) => Some(agency(&row)?),
                    None => return Err(StoreError::ParentAgencyNotFound(parent_code.to_owned())),
                }
            }
            None => None,
        };
        let exists = sqlx::query("SELECT id FROM agencies WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::AgencyCodeExists(code.to_owned()));
        }
        let row = sqlx::query(
            "INSERT INTO agencies (code, name, parent_id, kind, path, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(parent.as_ref().map(|p| p.id))
        .bind(new.kind.as_str())
        .bind(format!("new:{code}"))
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::AgencyCodeExists(code.to_owned())
            } else {
                e.into()
            }
        })?;
        let id: i64 = get(&row, "id")?;
        let path = format!("{}{id}/", parent.as_ref().map_or("/", |p| p.path.as_str()));
        sqlx::query("UPDATE agencies SET path = $1 WHERE id = $2")
            .bind(path.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM agencies WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let created = agency(&row)?;
        let state = agency_state(&created);
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "agency.create",
                object_type: "agency",
                object_id: Some(id),
                after: Some(state_hash(&state)),
                detail: Some(state),
                before: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Every agency, in tree order (a parent before its children, siblings by code).
    pub async fn agencies(&self) -> Result<Vec<Agency>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM agencies"))
            .fetch_all(&self.pool)
            .await?;
        let all = rows.iter().map(agency).collect::<Result<Vec<_>>>()?;
        Ok(tree_order(all))
    }

    /// The agencies a user may see, in tree order: all for an admin, the subtree of a
    /// supervisor's agency, a staff member's own agency.
    pub async fn agencies_visible(&self, user: &User) -> Result<Vec<Agency>> {
        let rows = match (user.role, &user.agency_path, user.agency_id) {
            (Role::Admin, _, _) => {
                sqlx::query(&format!("SELECT {COLUMNS} FROM agencies"))
                    .fetch_all(&self.pool)
                    .await?
            }
            (Role::Supervisor, Some(path), _) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM agencies WHERE path LIKE $1"
                ))
                .bind(format!("{path}%"))
                .fetch_all(&self.pool)
                .await?
            }
            (Role::Staff, _, Some(id)) => {
                sqlx::query(&format!("SELECT {COLUMNS} FROM agencies WHERE id = $1"))
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?
            }
            _ => Vec::new(),
        };
        let all = rows.iter().map(agency).collect::<Result<Vec<_>>>()?;
        Ok(tree_order(all))
    }

    /// An agency by its code.
    pub async fn agency_by_code(&self, code: &str) -> Result<Option<Agency>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM agencies WHERE code = $1"))
            .bind(code.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(agency).transpose()
    }

    /// An agency by id.
    pub async fn agency_by_id(&self, id: i64) -> Result<Option<Agency>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM agencies WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(agency).transpose()
    }

    /// The agencies a user may see whose name is exactly `name` (whitespace ignored at the
    /// ends), to match the agency a report names against the tree: one is a match, several or
    /// none are for the uploader to choose.
    pub async fn agencies_named(&self, user: &User, name: &str) -> Result<Vec<Agency>> {
        let name = name.trim();
        Ok(self
            .agencies_visible(user)
            .await?
            .into_iter()
            .filter(|a| a.name == name)
            .collect())
    }

    /// An agency and all below it, in tree order.
    pub async fn agency_subtree(&self, code: &str) -> Result<Vec<Agency>> {
        let Some(root) = self.agency_by_code(code).await? else {
            return Err(StoreError::AgencyNotFound(code.to_owned()));
        };
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM agencies WHERE path LIKE $1"
        ))
        .bind(format!("{}%", root.path))
        .fetch_all(&self.pool)
        .await?;
        let all = rows.iter().map(agency).collect::<Result<Vec<_>>>()?;
        Ok(tree_order(all))
    }
}

/// Depth-first order: roots (and agencies whose parent is not in the list) by code, each
/// followed by its children by code.
fn tree_order(mut all: Vec<Agency>) -> Vec<Agency> {
    use std::collections::{HashMap, HashSet};
    all.sort_by(|a, b| a.code.cmp(&b.code));
    let ids: HashSet<i64> = all.iter().map(|a| a.id).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, a) in all.iter().enumerate() {
        let parent = a.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(i);
    }
    let mut out = Vec::with_capacity(all.len());
    let mut stack: Vec<usize> = children
        .get(&None)
        .into_iter()
        .flatten()
        .rev()
        .copied()
        .collect();
    while let Some(i) = stack.pop() {
        let id = all[i].id;
        out.push(all[i].clone());
        stack.extend(children.get(&Some(id)).into_iter().flatten().rev().copied());
    }
    out
}
