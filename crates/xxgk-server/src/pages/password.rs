//! Change password: `GET /password` (the form), `POST /password` (the current password, the new
//! one twice, the session's CSRF token). The store enforces the minimum length and hashes with
//! argon2id; a wrong current password counts as a failed login (lockout).

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use xxgk_store::{Actor, StoreError, MIN_PASSWORD_CHARS};

use super::{now, render, render_status, server_error};
use crate::auth::{check_csrf, page_session, Nav};
use crate::App;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    nav: Nav,
    error: Option<String>,
    done: bool,
    min_chars: usize,
}

fn page(nav: Nav, error: Option<String>, done: bool) -> PasswordPage {
    PasswordPage {
        nav,
        error,
        done,
        min_chars: MIN_PASSWORD_CHARS,
    }
}

/// `GET /password`.
pub(crate) async fn form(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match page_session(&app, &headers).await {
        Ok(s) => render(&page(Nav::new(&s, "", "修改密码"), None, false)),
        Err(r) => r,
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// `POST /password`.
pub(crate) async fn change(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let nav = Nav::new(&session, "", "修改密码");
    let fail = |status: StatusCode, message: &str| {
        render_status(status, &page(nav.clone(), Some(message.to_owned()), false))
    };
    if !check_csrf(&session, &form.csrf) {
        return fail(StatusCode::FORBIDDEN, "页面已过期，请重新打开本页再试。");
    }
    if form.new != form.repeat {
        return fail(StatusCode::BAD_REQUEST, "两次输入的新密码不一致。");
    }
    let name = session.user.name.clone();
    match app.store.verify_password(&name, &form.current, now()).await {
        Ok(_) => {}
        Err(StoreError::BadCredentials) => {
            return fail(StatusCode::UNAUTHORIZED, "当前密码不正确。")
        }
        Err(StoreError::Locked { minutes }) => {
            return fail(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("失败次数过多，账户已锁定，请 {minutes} 分钟后再试。"),
            )
        }
        Err(_) => return server_error(),
    }
    match app
        .store
        .set_password(&Actor::user(&session.user), &name, &form.new)
        .await
    {
        Ok(()) => render(&page(nav, None, true)),
        Err(StoreError::Database(_)) => server_error(),
        Err(e) => fail(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}
