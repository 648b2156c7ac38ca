//! The JSON API of the lists and of administration (`/api/v1/reports` GET, `/api/v1/agencies`,
//! `/api/v1/rules`, `/api/v1/admin/…`, `/api/v1/openapi.json`), and what the pages of the same
//! data share with it: the report list's parameters ([`ListParams`]), the agency tree with its
//! reports ([`agency_tree`]), the rule catalogue ([`rule_groups`]).
//!
//! Every read goes through the store's scoped reads; administration is for administrators only
//! and is `404` for anyone else, exactly like a path that does not exist.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};
use xxgk_model::RuleDef;
use xxgk_store::{
    Actor, Agency, AgencyKind, ApiToken, AuditEntry, NewAgency, NewUser, ReportFilter,
    ReportFormat, ReportSort, ReportStatus, Role, Store, StoredReport, User,
};

use crate::auth::Caller;
use crate::{report_object, ApiError, ApiResult, App};

/// What a query value keeps unescaped: letters, digits and `-._~` (RFC 3986's unreserved).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Reports per page of the list.
pub const PER_PAGE: i64 = 50;

/// The OpenAPI document (`assets/openapi.json`), served at `/api/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("../assets/openapi.json");

/// The parameters of the report list, as the query string gives them (the page's filter form
/// and `GET /api/v1/reports` take the same). Kept as text so that a bad value gets a Chinese
/// message rather than a bare rejection.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListParams {
    /// A year, e.g. `2024`.
    pub year: String,
    /// An agency code: that agency and its subtree.
    pub agency: String,
    /// `2021`, `2019`, `pre-2019`, `unknown`.
    pub format: String,
    /// `ready`, `unreadable`, `processing`.
    pub status: String,
    /// `yes` (with errors) or `no` (without).
    pub errors: String,
    /// A rule id: reports with a finding of it.
    pub rule: String,
    /// `year`, `agency`, `errors`, `uploaded` (default: year, then agency).
    pub sort: String,
    /// `asc` or `desc`.
    pub order: String,
    /// `all`: every version, not only the latest.
    pub versions: String,
    /// From 1.
    pub page: String,
}

/// A parsed list request: the store's filter (paged) and the page number.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub filter: ReportFilter,
    pub page: i64,
}

impl ListParams {
    /// The store's filter for these parameters, or a Chinese message naming the bad one. An
    /// agency code the caller may not see, or that does not exist, lists nothing (the scope of
    /// the store's list applies either way).
    pub async fn request(&self, store: &Store) -> Result<ListRequest, String> {
        let mut filter = ReportFilter {
            latest_only: self.versions != "all",
            limit: Some(PER_PAGE),
            ..ReportFilter::default()
        };
        let year = self.year.trim();
        if !year.is_empty() {
            filter.year = Some(
                year.parse()
                    .map_err(|_| format!("年度应为数字，例如 2024：{year}"))?,
            );
        }
        let agency = self.agency.trim();
        if !agency.is_empty() {
            filter.agency_id = Some(
                store
                    .agency_by_code(agency)
                    .await
                    .map_err(|_| "数据库出错，请稍后再试".to_owned())?
                    .map_or(-1, |a| a.id),
            );
        }
        if !self.format.is_empty() {
            filter.format = Some(ReportFormat::parse(&self.format).ok_or_else(|| {
                format!("格式应为 2021、2019、pre-2019 或 unknown：{}", self.format)
            })?);
        }
        filter.status = match self.status.as_str() {
            "" => None,
            "ready" => Some(ReportStatus::Ready),
            "unreadable" => Some(ReportStatus::Unreadable),
            "processing" => Some(ReportStatus::Processing),
            other => return Err(format!("状态应为 ready、unreadable 或 processing：{other}")),
        };
        filter.has_errors = match self.errors.as_str() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            other => return Err(format!("errors 应为 yes 或 no：{other}")),
        };
        let rule = self.rule.trim();
        if !rule.is_empty() {
            filter.rule = Some(rule.to_owned());
        }
        if !self.sort.is_empty() {
            filter.sort = ReportSort::parse(&self.sort).ok_or_else(|| {
                format!("排序应为 year、agency、errors 或 uploaded：{}", self.sort)
            })?;
        }
        filter.descending = match self.order.as_str() {
            "" | "asc" => false,
            "desc" => true,
            other => return Err(format!("order 应为 asc 或 desc：{other}")),
        };
        let page = match self.page.trim() {
            "" => 1,
            p => p
                .parse::<i64>()
                .ok()
                .filter(|&p| p >= 1)
                .ok_or_else(|| format!("页码应为正整数：{p}"))?,
        };
        filter.offset = Some((page - 1) * PER_PAGE);
        Ok(ListRequest { filter, page })
    }

    /// The query string of these parameters (empty ones left out), `page` replaced when given:
    /// for the page links, the sort links and the XLSX export.
    pub fn query(&self, page: Option<i64>) -> String {
        let page = page.map(|p| p.to_string());
        let pairs = [
            ("year", self.year.as_str()),
            ("agency", self.agency.as_str()),
            ("format", self.format.as_str()),
            ("status", self.status.as_str()),
            ("errors", self.errors.as_str()),
            ("rule", self.rule.as_str()),
            ("sort", self.sort.as_str()),
            ("order", self.order.as_str()),
            ("versions", self.versions.as_str()),
            ("page", page.as_deref().unwrap_or(self.page.as_str())),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v.trim(), QUERY_VALUE)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One page of the list: the reports, the total and the number of pages.
pub struct ListPage {
    pub reports: Vec<StoredReport>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The page of the list a request asks for, as the caller may see it.
pub async fn list_page(
    store: &Store,
    user: &User,
    request: &ListRequest,
) -> xxgk_store::Result<ListPage> {
    let total = store.count_reports(user, &request.filter).await?;
    let reports = store.reports(user, &request.filter).await?;
    Ok(ListPage {
        reports,
        total,
        page: request.page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
    })
}

/// `GET /api/v1/reports?…`: the report list, filtered, sorted, 50 a page.
pub(crate) async fn reports(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Value>> {
    let request = params
        .request(&app.store)
        .await
        .map_err(|m| ApiError::new(StatusCode::BAD_REQUEST, m))?;
    let page = list_page(&app.store, &user, &request).await?;
    Ok(Json(json!({
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "per_page": PER_PAGE,
        "reports": page.reports.iter().map(list_item).collect::<Vec<_>>(),
    })))
}

fn list_item(r: &StoredReport) -> Value {
    let mut item = report_object(r);
    item["format"] = json!(r.format.as_str());
    item["latest"] = json!(r.is_latest);
    item
}

/// An agency of the visible tree with its reports (latest version of each year, newest year
/// first).
pub struct AgencyNode {
    pub agency: Agency,
    pub depth: usize,
    pub reports: Vec<StoredReport>,
}

/// The caller's visible tree in tree order, each agency with its reports by year. Depths are
/// relative to the shallowest agency shown (a supervisor's own agency is depth 0).
pub async fn agency_tree(store: &Store, user: &User) -> xxgk_store::Result<Vec<AgencyNode>> {
    let agencies = store.agencies_visible(user).await?;
    let reports = store
        .reports(
            user,
            &ReportFilter {
                latest_only: true,
                ..ReportFilter::default()
            },
        )
        .await?;
    let mut by_agency: HashMap<i64, Vec<StoredReport>> = HashMap::new();
    for r in reports {
        by_agency.entry(r.agency_id).or_default().push(r);
    }
    let top = agencies.iter().map(Agency::depth).min().unwrap_or(0);
    Ok(agencies
        .into_iter()
        .map(|agency| {
            let mut reports = by_agency.remove(&agency.id).unwrap_or_default();
            reports.sort_by_key(|r| std::cmp::Reverse(r.year));
            AgencyNode {
                depth: agency.depth() - top,
                agency,
                reports,
            }
        })
        .collect())
}

/// The Chinese name of an agency kind.
pub fn kind_label(kind: AgencyKind) -> &'static str {
    match kind {
        AgencyKind::Government => "人民政府",
        AgencyKind::Department => "政府部门",
        AgencyKind::Other => "其他",
    }
}

fn parse_kind(s: &str) -> Result<AgencyKind, String> {
    match s {
        "" | "other" => Ok(AgencyKind::Other),
        "government" => Ok(AgencyKind::Government),
        "department" => Ok(AgencyKind::Department),
        other => Err(format!(
            "机构类型应为 government、department 或 other：{other}"
        )),
    }
}

/// `GET /api/v1/agencies`: the caller's visible tree, each agency with its latest reports.
pub(crate) async fn agencies(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
) -> ApiResult<Json<Value>> {
    let tree = agency_tree(&app.store, &user).await?;
    let codes: HashMap<i64, String> = tree
        .iter()
        .map(|n| (n.agency.id, n.agency.code.clone()))
        .collect();
    let items: Vec<Value> = tree
        .iter()
        .map(|n| {
            json!({
                "code": n.agency.code,
                "name": n.agency.name,
                "kind": n.agency.kind.as_str(),
                "parent": n.agency.parent_id.and_then(|p| codes.get(&p)),
                "depth": n.depth,
                "reports": n.reports.iter().map(|r| json!({
                    "id": r.id,
                    "year": r.year,
                    "version": r.version,
                    "status": r.status.as_str(),
                    "errors": r.error_count,
                    "warnings": r.warning_count,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({ "agencies": items })))
}

/// A group of the rule catalogue: its heading and its rules.
pub struct RuleGroup {
    pub stage: &'static str,
    pub title: String,
    pub rules: Vec<&'static RuleDef>,
}

/// The catalogue as `xxgk rules` lists it: the reader's rules, then the checks' by group.
pub fn rule_groups() -> Vec<RuleGroup> {
    use xxgk_check::groups::{grouped, CHECK_GROUP, READ_GROUP};
    std::iter::once(RuleGroup {
        stage: "read",
        title: READ_GROUP.to_owned(),
        rules: xxgk_read::rules::RULES.iter().collect(),
    })
    .chain(grouped().into_iter().map(|(group, rules)| RuleGroup {
        stage: "check",
        title: format!("{CHECK_GROUP}·{group}"),
        rules,
    }))
    .collect()
}

/// `GET /api/v1/rules`: every rule (the items of `xxgk rules --format json`).
pub(crate) async fn rules(Caller { .. }: Caller) -> Json<Value> {
    let items: Vec<Value> = rule_groups()
        .iter()
        .flat_map(|g| {
            let group = g.title.rsplit('·').next().unwrap_or_default().to_owned();
            g.rules.iter().map(move |rule| {
                json!({
                    "id": rule.id,
                    "severity": rule.severity.label(),
                    "severity_id": rule.severity.id(),
                    "stage": g.stage,
                    "group": group,
                    "title": rule.title,
                    "explanation": rule.explanation,
                    "reference": rule.reference,
                    "series": rule.series,
                })
            })
        })
        .collect();
    Json(Value::Array(items))
}

/// `GET /api/v1/openapi.json`: the OpenAPI document (public: it describes, it shows no data).
pub(crate) async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        OPENAPI,
    )
        .into_response()
}

// ---- administration ------------------------------------------------------------------------

/// Administration is `404` for anyone but an administrator, like a path that does not exist.
fn admin_only(user: &User) -> ApiResult<()> {
    if user.role == Role::Admin && !user.disabled {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::NOT_FOUND, "页面不存在"))
    }
}

pub fn agency_json(a: &Agency, parent_code: Option<&str>) -> Value {
    json!({
        "id": a.id,
        "code": a.code,
        "name": a.name,
        "kind": a.kind.as_str(),
        "parent": parent_code,
        "depth": a.depth(),
        "created_at": a.created_at,
    })
}

fn user_json(u: &User) -> Value {
    json!({
        "id": u.id,
        "name": u.name,
        "role": u.role.as_str(),
        "agency": u.agency_code,
        "disabled": u.disabled,
        "created_at": u.created_at,
    })
}

fn token_json(t: &ApiToken) -> Value {
    json!({
        "id": t.id,
        "user": t.user_name,
        "prefix": t.prefix,
        "created_at": t.created_at,
        "last_used_at": t.last_used_at,
        "revoked_at": t.revoked_at,
    })
}

fn audit_json(e: &AuditEntry) -> Value {
    json!({
        "id": e.id,
        "at": e.at,
        "actor": e.actor,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "detail": e.detail.as_deref().and_then(|d| serde_json::from_str::<Value>(d).ok()),
        "before_sha256": e.before_sha256,
        "after_sha256": e.after_sha256,
    })
}

/// `GET /api/v1/admin/agencies`: every agency, in tree order.
pub(crate) async fn admin_agencies(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
) -> ApiResult<Json<Value>> {
    admin_only(&user)?;
    let all = app.store.agencies().await?;
    let codes: HashMap<i64, &str> = all.iter().map(|a| (a.id, a.code.as_str())).collect();
    let items: Vec<Value> = all
        .iter()
        .map(|a| agency_json(a, a.parent_id.and_then(|p| codes.get(&p).copied())))
        .collect();
    Ok(Json(json!({ "agencies": items })))
}

#[derive(serde::Deserialize)]
pub(crate) struct NewAgencyBody {
    code: String,
    name: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    kind: String,
}

/// `POST /api/v1/admin/agencies` `{"code", "name", "parent"?, "kind"?}` → `201`.
pub(crate) async fn admin_add_agency(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Json(body): Json<NewAgencyBody>,
) -> ApiResult<Response> {
    admin_only(&user)?;
    let kind = parse_kind(&body.kind).map_err(|m| ApiError::new(StatusCode::BAD_REQUEST, m))?;
    let parent = body
        .parent
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let created = app
        .store
        .add_agency(
            &Actor::user(&user),
            &NewAgency {
                code: &body.code,
                name: &body.name,
                parent_code: parent,
                kind,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(agency_json(&created, parent))).into_response())
}

/// `GET /api/v1/admin/users`.
pub(crate) async fn admin_users(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
) -> ApiResult<Json<Value>> {
    admin_only(&user)?;
    let users = app.store.users().await?;
    Ok(Json(
        json!({ "users": users.iter().map(user_json).collect::<Vec<_>>() }),
    ))
}

#[derive(serde::Deserialize)]
pub(crate) struct NewUserBody {
    name: String,
    password: String,
    role: String,
    #[serde(default)]
    agency: Option<String>,
}

/// `POST /api/v1/admin/users` `{"name", "password", "role", "agency"?}` → `201`.
pub(crate) async fn admin_add_user(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Json(body): Json<NewUserBody>,
) -> ApiResult<Response> {
    admin_only(&user)?;
    let role: Role = body
        .role
        .parse()
        .map_err(|m: String| ApiError::new(StatusCode::BAD_REQUEST, m))?;
    let agency = body
        .agency
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let created = app
        .store
        .add_user(
            &Actor::user(&user),
            &NewUser {
                name: &body.name,
                password: &body.password,
                role,
                agency_code: agency,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user_json(&created))).into_response())
}

/// `POST /api/v1/admin/users/{name}/disable`.
pub(crate) async fn admin_user_disable(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    set_disabled(&app, &user, &name, true).await
}

/// `POST /api/v1/admin/users/{name}/enable`.
pub(crate) async fn admin_user_enable(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    set_disabled(&app, &user, &name, false).await
}

async fn set_disabled(
    app: &App,
    user: &User,
    name: &str,
    disabled: bool,
) -> ApiResult<Json<Value>> {
    admin_only(user)?;
    if disabled && name == user.name {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "不能停用自己的账户"));
    }
    app.store
        .set_user_disabled(&Actor::user(user), name, disabled)
        .await?;
    let changed = app
        .store
        .user_by_name(name)
        .await?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "用户不存在"))?;
    Ok(Json(user_json(&changed)))
}

#[derive(serde::Deserialize)]
pub(crate) struct PasswordBody {
    password: String,
}

/// `POST /api/v1/admin/users/{name}/password` `{"password"}`: resets a password.
pub(crate) async fn admin_user_password(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(name): Path<String>,
    Json(body): Json<PasswordBody>,
) -> ApiResult<StatusCode> {
    admin_only(&user)?;
    app.store
        .set_password(&Actor::user(&user), &name, &body.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/admin/tokens`: every token (without its secret).
pub(crate) async fn admin_tokens(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
) -> ApiResult<Json<Value>> {
    admin_only(&user)?;
    let tokens = app.store.tokens().await?;
    Ok(Json(
        json!({ "tokens": tokens.iter().map(token_json).collect::<Vec<_>>() }),
    ))
}

#[derive(serde::Deserialize)]
pub(crate) struct NewTokenBody {
    user: String,
}

/// `POST /api/v1/admin/tokens` `{"user"}` → `201` with `"token"` (shown this once only).
pub(crate) async fn admin_create_token(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Json(body): Json<NewTokenBody>,
) -> ApiResult<Response> {
    admin_only(&user)?;
    let created = app
        .store
        .create_token(&Actor::user(&user), body.user.trim())
        .await?;
    let mut item = token_json(&created.info);
    item["token"] = json!(created.token);
    Ok((StatusCode::CREATED, Json(item)).into_response())
}

/// `POST /api/v1/admin/tokens/{prefix}/revoke`.
pub(crate) async fn admin_revoke_token(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(prefix): Path<String>,
) -> ApiResult<Json<Value>> {
    admin_only(&user)?;
    if !prefix.starts_with("xxgk_") {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "令牌不存在"));
    }
    let revoked = app.store.revoke_token(&Actor::user(&user), &prefix).await?;
    Ok(Json(
        json!({ "revoked": revoked.iter().map(token_json).collect::<Vec<_>>() }),
    ))
}

#[derive(serde::Deserialize)]
pub(crate) struct AuditQuery {
    limit: Option<i64>,
}

/// `GET /api/v1/admin/audit?limit=N`: the newest entries of the audit log (100 by default,
/// at most 1000), newest first.
pub(crate) async fn admin_audit(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Value>> {
    admin_only(&user)?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let entries = app.store.audit_log_latest(limit).await?;
    Ok(Json(
        json!({ "entries": entries.iter().map(audit_json).collect::<Vec<_>>() }),
    ))
}
