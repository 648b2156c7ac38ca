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
pub mod jobs;
pub mod pages;
mod register_api;
mod report_api;
pub mod upload;

use std::future::Future;
use std::sync::Arc;

use auth::Caller;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use xxgk_model::json::ReportJson;
use xxgk_model::{Finding, Severity};
use xxgk_store::{ReportStatus, Store, StoreError, User};

/// The largest upload accepted (bytes); a larger body is refused with `413`.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The largest batch upload (`POST /api/v1/uploads`: a ZIP or a form of many files).
pub const MAX_BATCH_BYTES: usize = 256 * 1024 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct App {
    store: Store,
    /// Notified when a job is queued, so that an idle worker of this server starts at once.
    wake: Arc<tokio::sync::Notify>,
    /// The working-day calendar of the register (the shipped notices plus the data
    /// directory's overrides).
    calendar: Arc<xxgk_register::Calendar>,
    /// The day (days since 1970-01-01) the register's open cases were last recomputed on
    /// (`pages::register`); -1: not yet.
    register_day: Arc<std::sync::atomic::AtomicI32>,
}

/// The shipped calendar (a broken shipped file is a build defect the register crate's tests
/// catch; here it degrades to an empty calendar, which computes no due date: 日历缺失).
pub fn shipped_calendar() -> xxgk_register::Calendar {
    xxgk_register::Calendar::shipped().unwrap_or_else(|_| xxgk_register::Calendar::empty())
}

/// The application's routes over a store.
pub fn router(store: Store) -> Router {
    router_with_limit(store, MAX_UPLOAD_BYTES)
}

/// [`router`] with another upload limit (tests).
pub fn router_with_limit(store: Store, max_upload: usize) -> Router {
    router_with_wake(store, max_upload, Arc::default(), shipped_calendar())
}

/// [`router`] with the register's calendar (the data directory's overrides applied).
pub fn router_with_calendar(store: Store, calendar: xxgk_register::Calendar) -> Router {
    router_with_wake(store, MAX_UPLOAD_BYTES, Arc::default(), calendar)
}

fn router_with_wake(
    store: Store,
    max_upload: usize,
    wake: Arc<tokio::sync::Notify>,
    calendar: xxgk_register::Calendar,
) -> Router {
    let app = Arc::new(App {
        store,
        wake,
        calendar: Arc::new(calendar),
        register_day: Arc::new(std::sync::atomic::AtomicI32::new(-1)),
    });
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route(
            "/password",
            get(pages::password::form).post(pages::password::change),
        )
        .route("/static/app.css", get(pages::stylesheet))
        // Uploading from the browser and the job's progress (pages/upload.rs).
        .route(
            "/upload",
            get(pages::upload::form)
                .post(pages::upload::submit)
                .layer(DefaultBodyLimit::max(max_upload.max(MAX_BATCH_BYTES))),
        )
        .route("/jobs/{id}", get(pages::upload::job))
        // The request register (pages/register.rs).
        .route("/register", get(pages::register::list))
        .route(
            "/register/new",
            get(pages::register::new_form).post(pages::register::create),
        )
        .route("/register/export.xlsx", get(pages::register::export))
        .route(
            "/register/{agency}/cases/{number}",
            get(pages::register::case_page),
        )
        .route(
            "/register/{agency}/cases/{number}/events",
            post(pages::register::record_event),
        )
        .route(
            "/register/{agency}/tables/{year}",
            get(pages::register::tables),
        )
        .route(
            "/register/{agency}/tables/{year}/{cell}",
            get(pages::register::cell),
        )
        .route(
            "/api/v1/register/{agency}/cases",
            get(register_api::cases).post(register_api::post_case),
        )
        .route(
            "/api/v1/register/{agency}/cases/{number}",
            get(register_api::get_case),
        )
        .route(
            "/api/v1/register/{agency}/cases/{number}/events",
            post(register_api::post_event),
        )
        .route(
            "/api/v1/register/{agency}/tables/{year}",
            get(register_api::tables),
        )
        .route("/jobs/{id}/files/{n}/agency", post(pages::upload::confirm))
        .route("/api/v1/reports", post(upload::upload))
        .route(
            "/api/v1/uploads",
            post(upload::uploads).layer(DefaultBodyLimit::max(max_upload.max(MAX_BATCH_BYTES))),
        )
        .route("/api/v1/jobs/{id}", get(jobs::job))
        .route(
            "/api/v1/jobs/{id}/files/{n}/agency",
            post(jobs::confirm_agency),
        )
        .route("/api/v1/reports/{id}", get(report))
        .route("/api/v1/reports/{id}/extract", get(extract))
        .route("/api/v1/reports/{id}/findings", get(findings))
        // The report page and its API (pages/report.rs, report_api.rs).
        .route("/reports/{id}", get(pages::report::page))
        .route("/reports/{id}/diff", get(pages::report::diff))
        .route("/reports/{id}/file", get(pages::report::file))
        .route("/api/v1/reports/{id}/versions", get(report_api::versions))
        .route("/api/v1/reports/{id}/diff", get(report_api::diff))
        .route("/api/v1/reports/{id}/file", get(report_api::file))
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

/// Serves the application on a bound listener until `shutdown` completes, with the
/// background job workers ([`jobs::default_workers`] of them): requests in flight finish, and
/// each worker finishes its batch and puts its job back in the queue (resumed at the next
/// start, or by another server).
pub async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_workers(store, listener, shutdown, jobs::default_workers()).await
}

/// [`serve`] with `workers` job workers (0: none; jobs wait for another server).
pub async fn serve_with_workers(
    store: Store,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    workers: usize,
) -> std::io::Result<()> {
    serve_with(store, listener, shutdown, workers, shipped_calendar()).await
}

/// [`serve`] with `workers` job workers and the register's calendar.
pub async fn serve_with(
    store: Store,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    workers: usize,
    calendar: xxgk_register::Calendar,
) -> std::io::Result<()> {
    // Planner statistics for what is already stored (cheap when nothing changed).
    store.optimize().await.ok();
    let wake: Arc<tokio::sync::Notify> = Arc::default();
    let running = (workers > 0).then(|| jobs::spawn_workers(store.clone(), workers, wake.clone()));
    // The client address is what the login rate limit counts per (pages::login).
    let served = axum::serve(
        listener,
        router_with_wake(store, MAX_UPLOAD_BYTES, wake, calendar)
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    if let Some(w) = running {
        w.shutdown().await;
    }
    served
}

/// `n` random bytes as hex (names of workers); from the operating system, else the time.
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    if getrandom::fill(&mut bytes).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        bytes = t.to_le_bytes().iter().copied().cycle().take(n).collect();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
    /// The agency the report names (abbreviations expanded), to match against the tree.
    pub agency: Option<String>,
    pub errors: i64,
    pub warnings: i64,
}

impl Processed {
    /// A file that cannot be read: the one `READ-UNREADABLE` finding with the reason.
    pub fn unreadable(reason: String) -> Processed {
        let finding = xxgk_read::rules::unreadable(reason.clone());
        Processed {
            status: ReportStatus::Unreadable,
            unreadable_reason: Some(reason),
            extract_json: None,
            findings: vec![finding.to_json()],
            year: None,
            agency: None,
            errors: 1,
            warnings: 0,
        }
    }
}

/// Reads and checks one file as `xxgk extract` and `xxgk check` do: the reader, then the checks
/// (on the report as read, before a PDF's lines are mapped to pages), then the cross-year
/// checks of the one report. Never panics on bad input: a file that cannot be read is
/// `unreadable`, with the one `READ-UNREADABLE` finding.
pub fn process(bytes: &[u8], name: &str) -> Processed {
    // The extract is the report with the reader's findings only (as `xxgk extract` prints it);
    // the checks' findings join them after it is written.
    let engine = xxgk_ocr::default_engine().map(|e| e as &dyn xxgk_ocr::Engine);
    let read = xxgk_ocr::read_with(bytes, Some(name), &mut xxgk_check::check, engine);
    let (mut report, checked) = match read {
        Ok(r) => r,
        Err(e) => return Processed::unreadable(e.to_string()),
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
        agency: report.meta.agency.clone(),
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

    /// The Chinese message (the pages show it).
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn not_found() -> ApiError {
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

pub(crate) fn report_object(r: &xxgk_store::StoredReport) -> Value {
    json!({
        "id": r.id,
        "status": r.status.as_str(),
        "agency": r.agency_code,
        "agency_name": r.agency_name,
        "year": r.year,
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
