//! The register's JSON API, the twin of its pages (`pages/register.rs`, whose checks and
//! changes these call):
//!
//! - `GET /api/v1/register/{agency}/cases?year=&status=&q=&page=`: a page of cases (100), the
//!   fields of `xxgk register list --format json`;
//! - `POST /api/v1/register/{agency}/cases`: register an application (`201`);
//! - `GET /api/v1/register/{agency}/cases/{编号}`: the case, its clock (status, due date and
//!   how it was computed) and the problems of its sequence;
//! - `POST /api/v1/register/{agency}/cases/{编号}/events`: record an event;
//! - `GET /api/v1/register/{agency}/tables/{year}`: tables 三 and 四 derived, the JSON of
//!   `xxgk register tables`, with the case numbers behind each cell.
//!
//! Scoped like the pages: an agency or case outside the caller's scope is `404`, exactly like a
//! missing one; a supervisor reads without personal data and may not record (`403`).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use xxgk_register::{clock, Status};
use xxgk_store::{Agency, CaseFilter, StoredCase, User};

use crate::auth::Caller;
use crate::pages::register::{
    add_event, create_case, refresh, sees_names, EventForm, NewCaseForm, Refusal,
};
use crate::{ApiError, ApiResult, App};

const PAGE_SIZE: i64 = 100;

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> ApiError {
        ApiError::new(r.status, r.message)
    }
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "机关或申请不存在，或无权查看")
}

async fn agency(app: &App, user: &User, code: &str) -> ApiResult<Agency> {
    app.store
        .agencies_visible(user)
        .await?
        .into_iter()
        .find(|a| a.code == code.trim())
        .ok_or_else(not_found)
}

async fn case(app: &App, user: &User, agency: &Agency, number: &str) -> ApiResult<StoredCase> {
    app.store
        .register_case(user, agency.id, number)
        .await?
        .ok_or_else(not_found)
}

/// One case as a list entry (the fields of `xxgk register list --format json`).
fn entry(c: &StoredCase, names: bool) -> Value {
    let mut v = json!({
        "number": c.number,
        "received": c.received.to_string(),
        "due": c.due.map(|d| d.to_string()),
        "status": c.status.id(),
        "status_label": c.status.label(),
        "answered": c.answered.map(|d| d.to_string()),
        "outcome": c.outcome,
        "applicant_type": c.case.application.applicant_type.key(),
    });
    if names {
        v["applicant"] = json!(c.case.application.applicant_name);
    }
    v
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

/// `GET /api/v1/register/{agency}/cases`.
pub(crate) async fn cases(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    refresh(&app).await;
    let agency = agency(&app, &user, &code).await?;
    let status = match q.status.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(
            Status::parse(s)
                .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, format!("未知状态：{s}")))?,
        ),
        None => None,
    };
    let page = q.page.unwrap_or(1).max(1);
    let found = app
        .store
        .register_page(
            &user,
            &CaseFilter {
                agency_id: Some(agency.id),
                year: q.year,
                status,
            },
            q.q.as_deref(),
            (page - 1) * PAGE_SIZE,
            PAGE_SIZE,
        )
        .await?;
    let names = sees_names(&user);
    Ok(Json(json!({
        "agency": agency.code,
        "total": found.total,
        "page": page,
        "per_page": PAGE_SIZE,
        "cases": found.cases.iter().map(|c| entry(c, names)).collect::<Vec<_>>(),
    })))
}

/// A case with its clock on today.
fn case_json(app: &App, c: &StoredCase, names: bool, today: xxgk_register::Day) -> Value {
    let state = clock(&c.case, &app.calendar, today);
    let v = c.case.validate(&app.calendar);
    let mut case = serde_json::to_value(&c.case).unwrap_or(Value::Null);
    if !names {
        for k in ["applicant_name", "contact", "content"] {
            if let Some(a) = case.get_mut("application") {
                a[k] = Value::Null;
            }
        }
    }
    json!({
        "agency": c.agency_code,
        "number": c.number,
        "case": case,
        "status": state.status.id(),
        "status_label": state.status.label(),
        "due": state.due.map(|d| d.to_string()),
        "working_days_left": state.working_days_left,
        "explanation": state.explanation.as_ref().map(|e| e.render_zh()),
        "notes": state.notes,
        "errors": v.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "warnings": v.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/register/{agency}/cases/{number}`.
pub(crate) async fn get_case(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path((code, number)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let today = refresh(&app).await;
    let agency = agency(&app, &user, &code).await?;
    let c = case(&app, &user, &agency, &number).await?;
    Ok(Json(case_json(&app, &c, sees_names(&user), today)))
}

/// `POST /api/v1/register/{agency}/cases`: `201` with the case.
pub(crate) async fn post_case(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(code): Path<String>,
    Json(form): Json<NewCaseForm>,
) -> ApiResult<Response> {
    let today = refresh(&app).await;
    let agency = agency(&app, &user, &code).await?;
    let created = create_case(&app, &user, &agency, &form, today).await?;
    let stored = case(&app, &user, &agency, &created.application.number).await?;
    Ok((
        StatusCode::CREATED,
        Json(case_json(&app, &stored, sees_names(&user), today)),
    )
        .into_response())
}

/// `POST /api/v1/register/{agency}/cases/{number}/events`: the case after the event.
pub(crate) async fn post_event(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path((code, number)): Path<(String, String)>,
    Json(form): Json<EventForm>,
) -> ApiResult<Json<Value>> {
    let today = refresh(&app).await;
    let agency = agency(&app, &user, &code).await?;
    let stored = case(&app, &user, &agency, &number).await?;
    add_event(&app, &user, &agency, &stored, &form, today).await?;
    let stored = case(&app, &user, &agency, &number).await?;
    Ok(Json(case_json(&app, &stored, sees_names(&user), today)))
}

/// `GET /api/v1/register/{agency}/tables/{year}`.
pub(crate) async fn tables(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path((code, year)): Path<(String, i32)>,
) -> ApiResult<Json<Value>> {
    refresh(&app).await;
    let agency = agency(&app, &user, &code).await?;
    let mut t = app
        .store
        .register_tables(&user, agency.id, year)
        .await?
        .ok_or_else(not_found)?
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    t.report.meta.agency = Some(agency.name.clone());
    let mut report =
        serde_json::to_value(xxgk_model::json::ReportJson(&t.report)).unwrap_or(Value::Null);
    let provenance: serde_json::Map<String, Value> = t
        .provenance
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    report["provenance"] = Value::Object(provenance);
    report["excluded"] = json!(t
        .excluded
        .iter()
        .map(|(n, why)| json!({"number": n, "reason": why}))
        .collect::<Vec<_>>());
    Ok(Json(report))
}
