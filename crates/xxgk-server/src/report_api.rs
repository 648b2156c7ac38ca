//! One report's versions, the differences between two versions and the original file: the API
//! (`GET /api/v1/reports/{id}/versions`, `/diff?from=ID`, `/file`) and what the report page
//! (`pages/report.rs`) shares with it. Every read goes through the store's scoped reads with the
//! caller: a report (or the other version of a diff) the caller may not see is `404`, exactly
//! like a missing one.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use xxgk_check::diff::{self, CellChange, FindingKey};
use xxgk_model::{Report, Severity};
use xxgk_store::{ReportVersion, Store, StoredReport, User};

use crate::auth::Caller;
use crate::{ApiError, ApiResult, App};

/// A finding as stored (the `findings` array of `xxgk check --format json`), read back for
/// showing and comparing.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub(crate) struct StoredFinding {
    pub rule: String,
    pub severity: String,
    pub message: String,
    #[serde(default)]
    pub cells: Vec<String>,
    #[serde(default)]
    pub expected: Option<String>,
    #[serde(default)]
    pub found: Option<String>,
    #[serde(default)]
    pub spans: Vec<StoredSpan>,
}

/// A span of a stored finding (see `xxgk_model::Span::to_json`).
#[derive(Debug, Clone, Copy, serde::Deserialize, serde::Serialize)]
pub(crate) struct StoredSpan {
    pub line: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl StoredFinding {
    /// The severity; an unknown word is read as a note (提示), never dropped.
    pub(crate) fn severity(&self) -> Severity {
        match self.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        }
    }

    fn key(&self) -> FindingKey {
        FindingKey::new(self.rule.clone(), self.cells.iter().cloned())
    }
}

/// The stored findings of a report (none when the JSON is missing or not an array of findings).
pub(crate) fn parse_findings(json: Option<&str>) -> Vec<StoredFinding> {
    json.and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default()
}

/// The report read back from its stored extract JSON (`None` for an unreadable file).
pub(crate) fn parse_report(extract: Option<&str>, source: &str) -> Option<Report> {
    xxgk_read::json::read_json(extract?, Some(source)).ok()
}

/// Two versions compared (see [`compare`]).
pub(crate) struct Comparison {
    pub from: StoredReport,
    pub to: StoredReport,
    /// `None` when either version could not be read (no cells to compare).
    pub cells: Option<Vec<CellChange>>,
    pub appeared: Vec<StoredFinding>,
    pub gone: Vec<StoredFinding>,
}

/// Report `to` compared with report `from`, both as the caller may see them: `None` when the
/// caller may not see either (or either does not exist).
pub(crate) async fn compare(
    store: &Store,
    user: &User,
    to: i64,
    from: i64,
) -> Result<Option<Comparison>, xxgk_store::StoreError> {
    let (Some(to_report), Some(from_report)) = (
        store.report(user, to).await?,
        store.report(user, from).await?,
    ) else {
        return Ok(None);
    };
    let (Some(to_json), Some(from_json)) = (
        store.report_json(user, to).await?,
        store.report_json(user, from).await?,
    ) else {
        return Ok(None);
    };
    let new = parse_report(to_json.extract_json.as_deref(), &to_report.file_name);
    let old = parse_report(from_json.extract_json.as_deref(), &from_report.file_name);
    let cells = match (&old, &new) {
        (Some(old), Some(new)) => Some(diff::cell_changes(old, new)),
        _ => None,
    };
    let new_findings = parse_findings(to_json.findings_json.as_deref());
    let old_findings = parse_findings(from_json.findings_json.as_deref());
    let changes = diff::finding_changes(
        &old_findings
            .iter()
            .map(StoredFinding::key)
            .collect::<Vec<_>>(),
        &new_findings
            .iter()
            .map(StoredFinding::key)
            .collect::<Vec<_>>(),
    );
    Ok(Some(Comparison {
        from: from_report,
        to: to_report,
        cells,
        appeared: changes
            .appeared
            .iter()
            .map(|&i| new_findings[i].clone())
            .collect(),
        gone: changes
            .gone
            .iter()
            .map(|&i| old_findings[i].clone())
            .collect(),
    }))
}

/// A report id from the path or a query; anything else is a report that does not exist.
fn id_of(raw: &str) -> ApiResult<i64> {
    raw.parse::<i64>().map_err(|_| ApiError::not_found())
}

/// The JSON of one version in a list.
fn version_object(v: &ReportVersion) -> Value {
    let r = &v.report;
    json!({
        "id": r.id,
        "version": r.version,
        "status": r.status.as_str(),
        "year": r.year,
        "agency": r.agency_code,
        "file_name": r.file_name,
        "sha256": r.file_sha256,
        "size": r.file_size,
        "errors": r.error_count,
        "warnings": r.warning_count,
        "uploaded_at": r.uploaded_at,
        "uploaded_by": v.uploaded_by_name,
    })
}

/// `GET /api/v1/reports/{id}/versions`: every version of the report's agency and year, newest
/// first.
pub(crate) async fn versions(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let versions = app
        .store
        .report_versions(&user, id_of(&id)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(Value::Array(
        versions.iter().map(version_object).collect(),
    )))
}

#[derive(serde::Deserialize)]
pub(crate) struct DiffQuery {
    pub from: Option<String>,
}

/// One side of a changed cell: the value as in the extract JSON (a number, `null` for a blank
/// cell, a string for text); a cell the version does not print has no key at all.
fn insert_side(m: &mut serde_json::Map<String, Value>, key: &str, v: Option<&xxgk_model::Value>) {
    if let Some(v) = v {
        m.insert(key.to_owned(), v.to_json());
    }
}

/// The JSON of a comparison.
pub(crate) fn comparison_object(c: &Comparison) -> Value {
    let cells = c.cells.as_ref().map(|cells| {
        cells
            .iter()
            .map(|ch| {
                let mut m = serde_json::Map::new();
                m.insert("id".into(), ch.id.to_string().into());
                m.insert("label".into(), ch.label.clone().into());
                insert_side(&mut m, "old", ch.old.as_ref());
                insert_side(&mut m, "new", ch.new.as_ref());
                Value::Object(m)
            })
            .collect::<Vec<_>>()
    });
    json!({
        "from": {"id": c.from.id, "version": c.from.version},
        "to": {"id": c.to.id, "version": c.to.version},
        "cells": cells,
        "findings_appeared": c.appeared,
        "findings_gone": c.gone,
    })
}

/// `GET /api/v1/reports/{id}/diff?from=ID`: the cells that changed from report `from` to report
/// `id` and the findings that appeared or went away. `cells` is `null` when either version
/// could not be read.
pub(crate) async fn diff(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> ApiResult<Json<Value>> {
    let to = id_of(&id)?;
    let from = query
        .from
        .as_deref()
        .filter(|f| !f.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "缺少参数 from（比较的版本）"))?;
    let from = id_of(from)?;
    let comparison = compare(&app.store, &user, to, from)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(comparison_object(&comparison)))
}

/// The original file as a download: `application/octet-stream`, the UTF-8 name in
/// `Content-Disposition` (`filename*`, with an ASCII `filename` for old clients).
pub(crate) fn file_response(name: &str, bytes: Vec<u8>) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/v1/reports/{id}/file`: the original file as uploaded.
pub(crate) async fn file(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (name, bytes) = app
        .store
        .report_file(&user, id_of(&id)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(file_response(&name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_keep_utf8_and_never_break_the_header() {
        let r = file_response("某市 2024年报\".txt", b"x".to_vec());
        let d = r
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .expect("disposition");
        assert_eq!(
            d,
            "attachment; filename=\"__ 2024___.txt\"; \
             filename*=UTF-8''%E6%9F%90%E5%B8%82%202024%E5%B9%B4%E6%8A%A5%22.txt"
        );
        assert_eq!(
            r.headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("application/octet-stream")
        );
    }
}
