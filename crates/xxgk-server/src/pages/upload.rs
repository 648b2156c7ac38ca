//! Uploading from the browser: `GET /upload` (the form: agency, files), `POST /upload`
//! (multipart: the session's CSRF token, the agency, one or more files — a ZIP unpacked), queued
//! as a background job like `POST /api/v1/uploads`, then `GET /jobs/{id}`: the job's progress
//! (the page refreshes itself every 2 seconds while the job runs: no JavaScript) and each file's
//! result, with a form to choose the agency of a file whose agency was uncertain.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use xxgk_store::{JobFileStatus, JobState, Role, Session};

use super::{render, render_status, server_error};
use crate::auth::{check_csrf, page_session, Nav};
use crate::{jobs, upload, App};

#[derive(Template)]
#[template(path = "upload.html")]
struct UploadPage {
    nav: Nav,
    error: Option<String>,
    /// (code, name) of the agencies the user may upload to.
    agencies: Vec<(String, String)>,
    /// Whether the agency may be left to matching (not for staff: always their own).
    can_match: bool,
}

async fn upload_page(app: &App, s: &Session, error: Option<String>) -> Response {
    let agencies = match app.store.agencies_visible(&s.user).await {
        Ok(a) => a,
        Err(_) => return server_error(),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &UploadPage {
            nav: Nav::new(s, "upload", "上传年报"),
            error,
            agencies: agencies.into_iter().map(|a| (a.code, a.name)).collect(),
            can_match: s.user.role != Role::Staff,
        },
    )
}

/// `GET /upload`.
pub(crate) async fn form(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match page_session(&app, &headers).await {
        Ok(s) => upload_page(&app, &s, None).await,
        Err(r) => r,
    }
}

/// `POST /upload`: the form's fields in any order; nothing is queued unless the CSRF token is
/// the session's.
pub(crate) async fn submit(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let s = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut csrf = String::new();
    let mut code = String::new();
    let mut entries = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return upload_page(&app, &s, Some(format!("表单数据有误：{}", e.body_text())))
                    .await
            }
        };
        let field_name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(|n| n.as_bytes().to_vec());
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return upload_page(&app, &s, Some(format!("表单数据有误：{}", e.body_text())))
                    .await
            }
        };
        match (field_name.as_str(), file_name) {
            ("csrf", _) => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            ("agency", _) => code = String::from_utf8_lossy(&bytes).trim().to_owned(),
            (_, Some(name)) if !name.is_empty() => match upload::part_entries(&name, bytes) {
                Ok(e) => entries.extend(e),
                Err(e) => return upload_page(&app, &s, Some(e.message().to_owned())).await,
            },
            _ => {}
        }
    }
    if !check_csrf(&s, &csrf) {
        return render_status(
            StatusCode::FORBIDDEN,
            &UploadPage {
                nav: Nav::new(&s, "upload", "上传年报"),
                error: Some("页面已过期，请重新打开本页再上传。".to_owned()),
                agencies: Vec::new(),
                can_match: false,
            },
        );
    }
    if entries.is_empty() {
        return upload_page(&app, &s, Some("请选择要上传的文件。".to_owned())).await;
    }
    // The same choice as the API's: the named agency (in scope), staff's own, or matching.
    let query = upload::UploadQuery {
        agency: Some(code).filter(|c| !c.is_empty()),
    };
    let agency = match upload::chosen_agency(&app, &s.user, &query).await {
        Ok(a) => a,
        Err(e) => return upload_page(&app, &s, Some(e.message().to_owned())).await,
    };
    match upload::enqueue_entries(&app, &s.user, agency.as_ref(), entries).await {
        Ok(job) => Redirect::to(&format!("/jobs/{}", job.id)).into_response(),
        Err(e) => upload_page(&app, &s, Some(e.message().to_owned())).await,
    }
}

struct FileRow {
    n: i64,
    name: String,
    status: &'static str,
    status_label: &'static str,
    report: Option<i64>,
    agency: String,
    reason: String,
    /// (code, name) of the agencies a `needs-agency` file may belong to.
    candidates: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    nav: Nav,
    id: i64,
    state: &'static str,
    state_label: &'static str,
    running: bool,
    done: i64,
    total: i64,
    counts: Vec<(&'static str, i64)>,
    notice: Option<String>,
    files: Vec<FileRow>,
}

#[derive(Template)]
#[template(path = "job_missing.html")]
struct JobMissing {
    nav: Nav,
}

/// The one answer for a job that does not exist or that the user may not see.
fn job_missing(s: &Session) -> Response {
    render_status(
        StatusCode::NOT_FOUND,
        &JobMissing {
            nav: Nav::new(s, "reports", "任务不存在"),
        },
    )
}

fn file_status_label(s: JobFileStatus) -> &'static str {
    match s {
        JobFileStatus::Queued => "等待读取",
        JobFileStatus::Read => "已读取",
        JobFileStatus::Unreadable => "无法读取",
        JobFileStatus::Duplicate => "重复文件",
        JobFileStatus::NeedsAgency => "待确认机构",
        JobFileStatus::Skipped => "已跳过",
    }
}

fn job_state_label(s: JobState) -> &'static str {
    match s {
        JobState::Queued => "排队中",
        JobState::Running => "处理中",
        JobState::Done => "已完成",
        JobState::Failed => "失败",
        JobState::Cancelled => "已取消",
    }
}

async fn job_page(app: &App, s: &Session, id: &str, notice: Option<String>) -> Response {
    let job = match jobs::job_for_page(app, &s.user, id).await {
        Ok(Some(j)) => j,
        Ok(None) => return job_missing(s),
        Err(_) => return server_error(),
    };
    let (files, counts) = match (
        app.store.job_files_page(job.id, 0, 1000).await,
        app.store.job_counts(job.id).await,
    ) {
        (Ok(f), Ok(c)) => (f, c),
        _ => return server_error(),
    };
    // A file whose agency matched none: any agency the user may upload to.
    let all: Vec<(String, String)> = match app.store.agencies_visible(&s.user).await {
        Ok(v) => v.into_iter().map(|a| (a.code, a.name)).collect(),
        Err(_) => return server_error(),
    };
    let files: Vec<FileRow> = files
        .into_iter()
        .map(|f| FileRow {
            n: f.n,
            name: f.name,
            status: f.status.as_str(),
            status_label: file_status_label(f.status),
            report: f.report_id,
            agency: f.agency_code.unwrap_or_default(),
            reason: f.reason.unwrap_or_default(),
            candidates: if f.status == JobFileStatus::NeedsAgency {
                f.candidates
                    .as_deref()
                    .and_then(|c| serde_json::from_str::<serde_json::Value>(c).ok())
                    .and_then(|v| v.as_array().cloned())
                    .unwrap_or_default()
                    .iter()
                    .map(|c| {
                        (
                            c["code"].as_str().unwrap_or_default().to_owned(),
                            c["name"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            } else {
                Vec::new()
            },
        })
        .collect();
    render(&JobPage {
        nav: Nav::new(s, "reports", format!("上传任务 #{}", job.id)),
        id: job.id,
        state: job.state.as_str(),
        state_label: job_state_label(job.state),
        running: matches!(job.state, JobState::Queued | JobState::Running),
        done: job.progress_done,
        total: job.progress_total,
        counts: counts
            .into_iter()
            .map(|(st, n)| (file_status_label(st), n))
            .collect(),
        notice,
        files: files
            .into_iter()
            .map(|mut f: FileRow| {
                if f.status == "needs-agency" && f.candidates.is_empty() {
                    f.candidates = all.clone();
                }
                f
            })
            .collect(),
    })
}

/// `GET /jobs/{id}`: a job the user may not see is the not-found page.
pub(crate) async fn job(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match page_session(&app, &headers).await {
        Ok(s) => job_page(&app, &s, &id, None).await,
        Err(r) => r,
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct AgencyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agency: String,
}

/// `POST /jobs/{id}/files/{n}/agency`: the agency chosen for a file that waits for it.
pub(crate) async fn confirm(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((id, n)): Path<(String, String)>,
    Form(form): Form<AgencyForm>,
) -> Response {
    let s = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !check_csrf(&s, &form.csrf) {
        return job_page(&app, &s, &id, Some("页面已过期，请重试。".to_owned())).await;
    }
    let job = match jobs::job_for_page(&app, &s.user, &id).await {
        Ok(Some(j)) => j,
        Ok(None) => return job_missing(&s),
        Err(_) => return server_error(),
    };
    let agency = match app.store.agencies_visible(&s.user).await {
        Ok(v) => v.into_iter().find(|a| a.code == form.agency.trim()),
        Err(_) => return server_error(),
    };
    let (Some(agency), Ok(n)) = (agency, n.parse::<i64>()) else {
        return job_page(&app, &s, &id, Some("机构不存在或无权上传。".to_owned())).await;
    };
    let notice = match jobs::confirm_file(&app, &s.user, &job, n, &agency).await {
        Ok(true) => format!("第 {n} 个文件已归入{}。", agency.name),
        Ok(false) => "该文件不在等待选择机构。".to_owned(),
        Err(e) => e.message().to_owned(),
    };
    job_page(&app, &s, &id, Some(notice)).await
}
