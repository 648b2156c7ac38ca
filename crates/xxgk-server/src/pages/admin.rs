//! Administration, `GET /admin` (administrators only; anyone else gets the 404 page, as for a
//! path that does not exist): agencies (add under a parent, list), users (add with role and
//! agency, disable / enable, reset password), API tokens (create — the token is shown once —,
//! revoke) and the newest entries of the audit log. Every form posts with the session's CSRF
//! token; every change is recorded in the audit log by the store. JSON: `/api/v1/admin/…`.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use xxgk_store::{Actor, AgencyKind, NewAgency, NewUser, Role, Session, StoreError};

use super::{format_time, render_status, server_error};
use crate::api::kind_label;
use crate::auth::{check_csrf, page_session, Nav};
use crate::App;

/// Audit entries shown.
const AUDIT_ENTRIES: i64 = 50;

struct AgencyRow {
    code: String,
    name: String,
    kind: &'static str,
    depth: usize,
    parent: String,
}

struct UserRow {
    name: String,
    role: &'static str,
    agency: String,
    disabled: bool,
    is_self: bool,
}

struct TokenRow {
    prefix: String,
    user: String,
    created: String,
    last_used: String,
    revoked: bool,
}

struct AuditRow {
    at: String,
    actor: String,
    action: String,
    object: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    nav: Nav,
    error: Option<String>,
    notice: Option<String>,
    /// A token just created: shown this once.
    new_token: Option<String>,
    agencies: Vec<AgencyRow>,
    users: Vec<UserRow>,
    tokens: Vec<TokenRow>,
    audit: Vec<AuditRow>,
}

/// The outcome of an action, shown at the top of the page.
enum Outcome {
    None,
    Notice(String),
    Error(StatusCode, String),
    Token(String),
}

/// The administrator's session, or the answer to give: the login redirect, or 404 for anyone
/// else.
async fn admin_session(app: &App, headers: &HeaderMap) -> Result<Session, Response> {
    let session = page_session(app, headers).await?;
    if session.user.role == Role::Admin && !session.user.disabled {
        Ok(session)
    } else {
        Err(super::not_found_page())
    }
}

async fn show(app: &App, session: &Session, outcome: Outcome) -> Response {
    let store = &app.store;
    let (Ok(agencies), Ok(users), Ok(tokens), Ok(audit)) = (
        store.agencies().await,
        store.users().await,
        store.tokens().await,
        store.audit_log_latest(AUDIT_ENTRIES).await,
    ) else {
        return server_error();
    };
    let codes: HashMap<i64, String> = agencies.iter().map(|a| (a.id, a.code.clone())).collect();
    let (status, error, notice, new_token) = match outcome {
        Outcome::None => (StatusCode::OK, None, None, None),
        Outcome::Notice(n) => (StatusCode::OK, None, Some(n), None),
        Outcome::Error(s, e) => (s, Some(e), None, None),
        Outcome::Token(t) => (
            StatusCode::OK,
            None,
            Some("令牌已创建。请立即复制保存：它只显示这一次。".to_owned()),
            Some(t),
        ),
    };
    let page = AdminPage {
        nav: Nav::new(session, "admin", "管理"),
        error,
        notice,
        new_token,
        agencies: agencies
            .iter()
            .map(|a| AgencyRow {
                code: a.code.clone(),
                name: a.name.clone(),
                kind: kind_label(a.kind),
                depth: a.depth().min(8),
                parent: a
                    .parent_id
                    .and_then(|p| codes.get(&p).cloned())
                    .unwrap_or_default(),
            })
            .collect(),
        users: users
            .iter()
            .map(|u| UserRow {
                name: u.name.clone(),
                role: u.role.label(),
                agency: u.agency_code.clone().unwrap_or_default(),
                disabled: u.disabled,
                is_self: u.id == session.user.id,
            })
            .collect(),
        tokens: tokens
            .iter()
            .rev()
            .map(|t| TokenRow {
                prefix: t.prefix.clone(),
                user: t.user_name.clone(),
                created: format_time(t.created_at),
                last_used: t.last_used_at.map(format_time).unwrap_or_default(),
                revoked: t.revoked_at.is_some(),
            })
            .collect(),
        audit: audit
            .iter()
            .map(|e| AuditRow {
                at: format_time(e.at),
                actor: e.actor.clone(),
                action: e.action.clone(),
                object: match e.object_id {
                    Some(id) => format!("{} #{id}", e.object_type),
                    None => e.object_type.clone(),
                },
                detail: e.detail.clone().unwrap_or_default(),
            })
            .collect(),
    };
    render_status(status, &page)
}

/// `GET /admin`.
pub(crate) async fn page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match admin_session(&app, &headers).await {
        Ok(s) => show(&app, &s, Outcome::None).await,
        Err(r) => r,
    }
}

/// The session of an administrator's form post with a valid CSRF token, or the answer.
async fn admin_post(app: &App, headers: &HeaderMap, csrf: &str) -> Result<Session, Response> {
    let session = admin_session(app, headers).await?;
    if !check_csrf(&session, csrf) {
        return Err(show(
            app,
            &session,
            Outcome::Error(
                StatusCode::FORBIDDEN,
                "页面已过期，请重新打开本页再试。".to_owned(),
            ),
        )
        .await);
    }
    Ok(session)
}

/// What a store error says to the administrator (a database failure is the error page).
async fn failed(app: &App, session: &Session, e: StoreError) -> Response {
    match e {
        StoreError::Database(_) => server_error(),
        e => {
            show(
                app,
                session,
                Outcome::Error(StatusCode::BAD_REQUEST, e.to_string()),
            )
            .await
        }
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct AgencyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    kind: String,
}

/// `POST /admin/agencies`.
pub(crate) async fn add_agency(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<AgencyForm>,
) -> Response {
    let session = match admin_post(&app, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let kind = match form.kind.as_str() {
        "government" => AgencyKind::Government,
        "department" => AgencyKind::Department,
        _ => AgencyKind::Other,
    };
    let parent = form.parent.trim();
    let result = app
        .store
        .add_agency(
            &Actor::user(&session.user),
            &NewAgency {
                code: &form.code,
                name: &form.name,
                parent_code: (!parent.is_empty()).then_some(parent),
                kind,
            },
        )
        .await;
    match result {
        Ok(a) => {
            show(
                &app,
                &session,
                Outcome::Notice(format!("已添加机构：{}（{}）", a.name, a.code)),
            )
            .await
        }
        Err(e) => failed(&app, &session, e).await,
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency: String,
}

/// `POST /admin/users`.
pub(crate) async fn add_user(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<UserForm>,
) -> Response {
    let session = match admin_post(&app, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let role: Role = match form.role.parse() {
        Ok(r) => r,
        Err(m) => {
            return show(&app, &session, Outcome::Error(StatusCode::BAD_REQUEST, m)).await;
        }
    };
    let agency = form.agency.trim();
    let result = app
        .store
        .add_user(
            &Actor::user(&session.user),
            &NewUser {
                name: &form.name,
                password: &form.password,
                role,
                agency_code: (!agency.is_empty()).then_some(agency),
            },
        )
        .await;
    match result {
        Ok(u) => {
            show(
                &app,
                &session,
                Outcome::Notice(format!("已添加用户：{}（{}）", u.name, u.role.label())),
            )
            .await
        }
        Err(e) => failed(&app, &session, e).await,
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct UserStateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    /// `disable` or `enable`.
    #[serde(default)]
    action: String,
}

/// `POST /admin/users/state`: disable or enable an account.
pub(crate) async fn user_state(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<UserStateForm>,
) -> Response {
    let session = match admin_post(&app, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let disabled = form.action == "disable";
    if disabled && form.name == session.user.name {
        return show(
            &app,
            &session,
            Outcome::Error(StatusCode::BAD_REQUEST, "不能停用自己的账户。".to_owned()),
        )
        .await;
    }
    match app
        .store
        .set_user_disabled(&Actor::user(&session.user), &form.name, disabled)
        .await
    {
        Ok(()) => {
            let done = if disabled { "已停用" } else { "已启用" };
            show(
                &app,
                &session,
                Outcome::Notice(format!("{done}用户：{}", form.name)),
            )
            .await
        }
        Err(e) => failed(&app, &session, e).await,
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/users/password`: sets a user's password.
pub(crate) async fn user_password(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Response {
    let session = match admin_post(&app, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match app
        .store
        .set_password(&Actor::user(&session.user), &form.name, &form.password)
        .await
    {
        Ok(()) => {
            show(
                &app,
                &session,
                Outcome::Notice(format!("已重设用户 {} 的密码。", form.name)),
            )
            .await
        }
        Err(e) => failed(&app, &session, e).await,
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    prefix: String,
}

/// `POST /admin/tokens`: creates a token for a user and shows it once.
pub(crate) async fn create_token(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let session = match admin_post(&app, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match app
        .store
        .create_token(&Actor::user(&session.user), form.user.trim())
        .await
    {
        Ok(created) => show(&app, &session, Outcome::Token(created.token)).await,
        Err(e) => failed(&app, &session, e).await,
    }
}

/// `POST /admin/tokens/revoke`: revokes a token by its prefix.
pub(crate) async fn revoke_token(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let session = match admin_post(&app, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let prefix = form.prefix.trim();
    if !prefix.starts_with("xxgk_") {
        return show(
            &app,
            &session,
            Outcome::Error(StatusCode::BAD_REQUEST, "令牌不存在。".to_owned()),
        )
        .await;
    }
    match app
        .store
        .revoke_token(&Actor::user(&session.user), prefix)
        .await
    {
        Ok(_) => {
            show(
                &app,
                &session,
                Outcome::Notice(format!("已撤销令牌：{prefix}")),
            )
            .await
        }
        Err(e) => failed(&app, &session, e).await,
    }
}
