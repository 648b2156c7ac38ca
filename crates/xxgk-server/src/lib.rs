//! The server of `xxgk serve` (issue 10): the JSON API under `/api/v1`.
//!
//! Thin: every piece of data comes from and goes to [`xxgk_store::Store`], and every read of a
//! report goes through the store's scoped reads (`Store::report`, `Store::report_json`), which
//! take the caller: a report outside the caller's scope is `None`, answered `404` exactly like
//! one that does not exist. An uploaded file is read and checked by [`process`], with the same
//! library calls as `xxgk extract` and `xxgk check` (xxgk-read, xxgk-check), so that the stored
//! `extract` and `findings` are what the command line prints for the file.

pub mod api;
pub mod auth;
pub mod pages;

use std::future::Future;
use std::sync::Arc;

use auth::Caller;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use xxgk_model::json::ReportJson;
use xxgk_model::{Finding, Severity};
use xxgk_store::{Actor, NewReport, ReportStatus, Store, StoreError, User};

/// The largest upload accepted (bytes); a larger body is refused with `413`.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct App {
    store: Store,
}

/// The application's routes over a store.
pub fn router(store: Store) -> Router {
    router_with_limit(store, MAX_UPLOAD_BYTES)
}

/// [`router`] with another upload limit (tests).
pub fn router_with_limit(store: Store, max_upload: usize) -> Router {
    let app = Arc::new(App { store });
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route(
            "/password",
            get(pages::password::form).post(pages::password::change),
        )
        .route("/static/app.css", get(pages::stylesheet))
        .route("/api/v1/reports", post(upload))
        .route("/api/v1/reports/{id}", get(report))
        .route("/api/v1/reports/{id}/extract", get(extract))
        .route("/api/v1/reports/{id}/findings", get(findings))
        // The lists, the rule catalogue, administration, the OpenAPI document (pages/*.rs, api.rs).
        .route("/reports", get(pages::reports::list))
        .route("/reports.xlsx", get(pages::reports::xlsx))
        .route("/agencies", get(pages::agencies::tree))
        .route("/rules", get(pages::rules::catalogue))
        .route("/admin", get(pages::admin::page))
        .route("/admin/agencies", post(pages::admin::add_agency))
        .route("/admin/users", post(pages::admin::add_user))
        .route("/admin/users/state", post(pages::admin::user_state))
        .route("/admin/users/password", post(pages::admin::user_password))
        .route("/admin/tokens", post(pages::admin::create_token))
        .route("/admin/tokens/revoke", post(pages::admin::revoke_token))
        .route("/api/v1/reports", get(api::reports))
        .route("/api/v1/agencies", get(api::agencies))
        .route("/api/v1/rules", get(api::rules))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route(
            "/api/v1/admin/agencies",
            get(api::admin_agencies).post(api::admin_add_agency),
        )
        .route(
            "/api/v1/admin/users",
            get(api::admin_users).post(api::admin_add_user),
        )
        .route(
            "/api/v1/admin/users/{name}/password",
            post(api::admin_user_password),
        )
        .route(
            "/api/v1/admin/users/{name}/disable",
            post(api::admin_user_disable),
        )
        .route(
            "/api/v1/admin/users/{name}/enable",
            post(api::admin_user_enable),
        )
        .route(
            "/api/v1/admin/tokens",
            get(api::admin_tokens).post(api::admin_create_token),
        )
        .route(
            "/api/v1/admin/tokens/{prefix}/revoke",
            post(api::admin_revoke_token),
        )
        .route("/api/v1/admin/audit", get(api::admin_audit))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_upload))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

/// The Content-Security-Policy of every answer: nothing but this server's stylesheet, no
/// scripts, no frames, forms only to this server.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Serves the application on a bound listener until `shutdown` completes; requests in flight
/// finish first.
pub async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The client address is what the login rate limit counts per (pages::login).
    axum::serve(
        listener,
        router(store).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// What reading and checking one file gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    pub status: ReportStatus,
    pub unreadable_reason: Option<String>,
    /// What `xxgk extract FILE` prints (pretty JSON and a final newline).
    pub extract_json: Option<String>,
    /// The `findings` array of `xxgk check --format json FILE`.
    pub findings: Vec<Value>,
    pub year: Option<i32>,
    pub errors: i64,
    pub warnings: i64,
}

/// Reads and checks one file as `xxgk extract` and `xxgk check` do: the reader, then the checks
/// (on the report as read, before a PDF's lines are mapped to pages), then the cross-year
/// checks of the one report. Never panics on bad input: a file that cannot be read is
/// `unreadable`, with the one `READ-UNREADABLE` finding.
pub fn process(bytes: &[u8], name: &str) -> Processed {
    // The extract is the report with the reader's findings only (as `xxgk extract` prints it);
    // the checks' findings join them after it is written.
    let read = xxgk_read::read_with(bytes, Some(name), &mut xxgk_check::check);
    let (mut report, checked) = match read {
        Ok(r) => r,
        Err(e) => {
            let reason = e.to_string();
            let finding = xxgk_read::rules::unreadable(reason.clone());
            return Processed {
                status: ReportStatus::Unreadable,
                unreadable_reason: Some(reason),
                extract_json: None,
                findings: vec![finding.to_json()],
                year: None,
                errors: 1,
                warnings: 0,
            };
        }
    };
    let extract_json = serde_json::to_string_pretty(&ReportJson(&report))
        .ok()
        .map(|mut s| {
            s.push('\n');
            s
        });
    let mut all = std::mem::take(&mut report.findings);
    all.extend(checked);
    let mut series = xxgk_check::Series::new();
    all.extend(
        series
            .add(0, xxgk_check::SeriesFacts::of(&report))
            .into_iter()
            .map(|(_, f)| f),
    );
    let count = |s: Severity| all.iter().filter(|f| f.severity == s).count() as i64;
    Processed {
        status: ReportStatus::Ready,
        unreadable_reason: None,
        extract_json,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        findings: all.iter().map(Finding::to_json).collect(),
        year: report.meta.year,
    }
}

/// An error answer: a status and a JSON body with a Chinese message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "报告不存在或无权查看")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Database(_) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "数据库出错，请稍后再试")
            }
            other => ApiError::new(StatusCode::BAD_REQUEST, other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "页面不存在")
}

#[derive(serde::Deserialize)]
struct UploadQuery {
    agency: Option<String>,
}

/// `POST /api/v1/reports?agency=CODE`: the body is the file, `X-Filename` its percent-encoded
/// name. Read and checked now (synchronously); `201` with the report.
async fn upload(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    headers: HeaderMap,
    Query(query): Query<UploadQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    let code = query
        .agency
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "缺少参数 agency（机构代码）"))?;
    let no_agency = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("机构不存在或无权上传：{code}"),
        )
    };
    let visible = app.store.agencies_visible(&user).await?;
    let agency = visible
        .into_iter()
        .find(|a| a.code == code)
        .ok_or_else(no_agency)?;
    let name = match headers.get("x-filename") {
        Some(v) => percent_encoding::percent_decode(v.as_bytes())
            .decode_utf8()
            .map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "X-Filename 不是百分号编码的 UTF-8 文件名",
                )
            })?
            .into_owned(),
        None => String::new(),
    };
    let name = name.trim().to_owned();
    if name.is_empty() || name.contains(['/', '\\', '\0']) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "缺少文件名：请在 X-Filename 中给出（百分号编码的 UTF-8，不含路径）",
        ));
    }
    if body.is_empty() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "上传的文件是空的"));
    }
    let bytes = body.clone();
    let file_name = name.clone();
    let processed = tokio::task::spawn_blocking(move || process(&bytes, &file_name))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "读取文件时出错"))?;
    let findings_json = serde_json::to_string(&processed.findings)
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "无法生成检查结果"))?;
    let stored = app
        .store
        .add_report(
            &Actor::user(&user),
            &NewReport {
                agency_id: agency.id,
                year: processed.year.unwrap_or(0),
                file_name: &name,
                bytes: &body,
                status: processed.status,
                unreadable_reason: processed.unreadable_reason.as_deref(),
                extract_json: processed.extract_json.as_deref(),
                findings_json: Some(&findings_json),
                error_count: processed.errors,
                warning_count: processed.warnings,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(report_object(&stored))).into_response())
}

pub(crate) fn report_object(r: &xxgk_store::StoredReport) -> Value {
    json!({
        "id": r.id,
        "status": r.status.as_str(),
        "agency": r.agency_code,
        "agency_name": r.agency_name,
        "year": if r.year == 0 { None } else { Some(r.year) },
        "version": r.version,
        "file_name": r.file_name,
        "sha256": r.file_sha256,
        "size": r.file_size,
        "errors": r.error_count,
        "warnings": r.warning_count,
        "unreadable_reason": r.unreadable_reason,
        "uploaded_at": r.uploaded_at,
    })
}

/// A report id from the path; anything else is a report that does not exist.
fn report_id(raw: &str) -> ApiResult<i64> {
    raw.parse::<i64>().map_err(|_| ApiError::not_found())
}

/// `GET /api/v1/reports/{id}`.
async fn report(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = report_id(&id)?;
    let stored = app
        .store
        .report(&user, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(report_object(&stored)))
}

fn json_body(text: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// The stored JSON of report `id` as the caller may see it: 404 when it may not, exactly as
/// when there is no such report.
async fn stored_json(app: &App, user: &User, id: &str) -> ApiResult<xxgk_store::ReportJson> {
    app.store
        .report_json(user, report_id(id)?)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// `GET /api/v1/reports/{id}/extract`: exactly what `xxgk extract` prints for the file.
async fn extract(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    match stored_json(&app, &user, &id).await?.extract_json {
        Some(text) => Ok(json_body(text)),
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            "该文件无法读取，没有读出的内容（见其检查结果）",
        )),
    }
}

/// `GET /api/v1/reports/{id}/findings`: the `findings` array of `xxgk check --format json`.
async fn findings(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    match stored_json(&app, &user, &id).await?.findings_json {
        Some(text) => Ok(json_body(text)),
        None => Err(ApiError::new(StatusCode::CONFLICT, "该报告仍在处理中")),
    }
}
