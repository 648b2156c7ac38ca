//! Who is calling: one place for the API and the pages.
//!
//! - The API (`/api/v1/…`) accepts `Authorization: Bearer TOKEN` or the session cookie of a
//!   signed-in browser. With the cookie, a request that changes something (any method but GET
//!   and HEAD) must also carry the session's CSRF token in the header `X-CSRF-Token` (the
//!   cookie is SameSite=Strict as well); a bearer token needs none (a page of another site
//!   cannot send it).
//! - A page needs a session: [`page_session`] gives it, or the redirect to `/login`.
//! - Every form of a signed-in page carries the session's CSRF token ([`check_csrf`]).

use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use xxgk_store::{Role, Session, StoreError, User};

use crate::pages::{cookie, now, same_token, SESSION_COOKIE};
use crate::{ApiError, ApiResult, App};

/// The header that carries the session's CSRF token on cookie-authenticated API calls.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller of an API request was recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Token,
    Session,
}

/// The caller of an API request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub via: Via,
}

/// The session of a request, if any (an expired or unknown cookie is none).
pub(crate) async fn session(app: &App, headers: &HeaderMap) -> Result<Option<Session>, StoreError> {
    match cookie(headers, SESSION_COOKIE) {
        Some(value) => app.store.session(value, now()).await,
        None => Ok(None),
    }
}

/// The caller of an API request: a bearer token, else the session cookie (with the CSRF header
/// when the method changes something). `401` when neither.
pub(crate) async fn api_caller(
    app: &App,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Caller> {
    let unauthorized = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "未登录：请提供有效的 API 令牌或先登录",
        )
    };
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(unauthorized)?;
        let user = app
            .store
            .user_by_token(token)
            .await?
            .ok_or_else(unauthorized)?;
        return Ok(Caller {
            user,
            via: Via::Token,
        });
    }
    let session = session(app, headers).await?.ok_or_else(unauthorized)?;
    if !matches!(*method, Method::GET | Method::HEAD) {
        let sent = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if sent.is_empty() || !same_token(sent, &session.csrf_token) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "缺少或错误的 X-CSRF-Token：用登录会话调用接口时须提供",
            ));
        }
    }
    Ok(Caller {
        user: session.user,
        via: Via::Session,
    })
}

/// The session of a page request, or the answer to give instead: the redirect to the login
/// page, or a server error.
pub(crate) async fn page_session(app: &App, headers: &HeaderMap) -> Result<Session, Response> {
    match session(app, headers).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(_) => Err(crate::pages::server_error()),
    }
}

/// Whether a submitted form's CSRF token is the session's.
pub(crate) fn check_csrf(session: &Session, sent: &str) -> bool {
    !sent.is_empty() && same_token(&session.csrf_token, sent)
}

/// What the page layout shows of the signed-in user (templates/base.html).
#[derive(Debug, Clone)]
pub struct Nav {
    /// The page's title (escaped by the template).
    pub title: String,
    /// The navigation entry to mark as current: home, reports, agencies, rules, admin.
    pub section: &'static str,
    pub user_name: String,
    pub role_label: &'static str,
    pub is_admin: bool,
    pub csrf: String,
}

impl Nav {
    pub fn new(session: &Session, section: &'static str, title: impl Into<String>) -> Nav {
        Nav {
            title: title.into(),
            section,
            user_name: session.user.name.clone(),
            role_label: session.user.role.label(),
            is_admin: session.user.role == Role::Admin,
            csrf: session.csrf_token.clone(),
        }
    }
}

impl axum::extract::FromRequestParts<std::sync::Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &std::sync::Arc<App>,
    ) -> ApiResult<Caller> {
        api_caller(app, &parts.method, &parts.headers).await
    }
}
