//! The pages (server-rendered HTML, Chinese, no JavaScript, the stylesheet inside the binary):
//! for now the login page, the signed-in page and logout. Sessions are the store's (the cookie
//! `xxgk_session`, HttpOnly, SameSite=Strict; only its sha256 is stored). Every form carries a
//! CSRF token: the login form's is a random value also set as the cookie `xxgk_csrf`
//! (double submit: a page of another site can neither read it nor send the cookie, SameSite),
//! the signed-in forms' is the session's own.

pub(crate) mod admin;
pub(crate) mod agencies;
pub(crate) mod password;
pub(crate) mod register;
pub(crate) mod report;
pub(crate) mod reports;
pub(crate) mod rules;
pub(crate) mod upload;

use std::sync::Arc;

use askama::Template;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use xxgk_store::StoreError;

use crate::auth::Nav;
use crate::App;

/// The session cookie.
pub const SESSION_COOKIE: &str = "xxgk_session";
/// The CSRF cookie of the login form.
pub const CSRF_COOKIE: &str = "xxgk_csrf";
/// How long a session lasts (seconds): a working day.
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// The stylesheet, served from the binary (`assets/app.css`).
pub const CSS: &str = include_str!("../../assets/app.css");

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A cookie's value from the request.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// HTML text with `& < > " '` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn random_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two tokens in time independent of where they differ.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} - xxgk 政府信息公开年报</title>\n\
         <link rel=\"stylesheet\" href=\"/static/app.css\">\n</head>\n<body>\n<main class=\"narrow\">\n{body}</main>\n\
         </body>\n</html>\n",
        escape(title)
    )
}

pub(crate) fn html(status: StatusCode, text: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

fn cookie_header(name: &str, value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `303 See Other` to a path built at run time (percent-encoded by the caller).
pub(crate) fn redirect_to(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => server_error(),
    }
}

fn redirect(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// The 404 page: what a missing path, and a page the caller may not see, both answer.
pub(crate) fn not_found_page() -> Response {
    html(
        StatusCode::NOT_FOUND,
        page(
            "页面不存在",
            "<h1>页面不存在</h1>\n<p>该页面不存在或无权查看。<a href=\"/\">返回首页</a></p>\n",
        ),
    )
}

/// A Unix time as `YYYY-MM-DD HH:MM` (UTC, the server's clock: no time zone is configured).
pub(crate) fn format_time(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60
    )
}

pub(crate) fn server_error() -> Response {
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        page(
            "出错了",
            "<h1>出错了</h1>\n<p class=\"error\">服务器出错，请稍后再试。</p>\n",
        ),
    )
}

/// The login page, with a fresh CSRF token (set as a cookie too).
fn login_page(status: StatusCode, error: Option<&str>, name: &str) -> Response {
    let Some(token) = random_token() else {
        return server_error();
    };
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<h1>登录</h1>\n{error}<form method=\"post\" action=\"/login\">\n\
         <input type=\"hidden\" name=\"csrf\" value=\"{token}\">\n\
         <label>用户名<input type=\"text\" name=\"name\" value=\"{}\" autocomplete=\"username\" required autofocus></label>\n\
         <label>密码<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\n\
         <button type=\"submit\">登录</button>\n</form>\n",
        escape(name)
    );
    let mut response = html(status, page("登录", &body));
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie_header(CSRF_COOKIE, &token, 3600));
    response
}

/// `GET /`: the signed-in home page, or the login page.
pub(crate) async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match crate::auth::session(&app, &headers).await {
        Ok(Some(s)) => {
            let (due, due_until) = register::due_soon(&app, &s.user).await;
            render(&HomePage {
                nav: Nav::new(&s, "home", "首页"),
                due,
                due_until,
                due_days: register::DUE_AHEAD_DAYS,
            })
        }
        Ok(None) => login_page(StatusCode::OK, None, ""),
        Err(_) => server_error(),
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    /// The cases due within [`register::DUE_AHEAD_DAYS`] working days, and the overdue ones.
    due: Vec<register::CaseRow>,
    due_until: String,
    due_days: u32,
}

/// A page from its template (`200`), or the error page when the template fails.
pub(crate) fn render(page: &impl Template) -> Response {
    render_status(StatusCode::OK, page)
}

/// A page from its template with a status.
pub(crate) fn render_status(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(text) => html(status, text),
        Err(_) => server_error(),
    }
}

/// `GET /login`.
pub(crate) async fn login_form() -> Response {
    login_page(StatusCode::OK, None, "")
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /login`: the CSRF token, the rate limit per client address and per name (failures
/// counted in the database, so that every server process sees them), then the password (the
/// store counts failures and locks the account).
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let address = connect.map_or_else(|| "unknown".to_owned(), |c| c.0 .0.ip().to_string());
    let csrf_ok = cookie(&headers, CSRF_COOKIE)
        .is_some_and(|c| !form.csrf.is_empty() && same_token(c, &form.csrf));
    if !csrf_ok {
        return login_page(
            StatusCode::FORBIDDEN,
            Some("页面已过期，请重新登录。"),
            &form.name,
        );
    }
    match app.store.login_allowed(&address, &form.name, now()).await {
        Ok(true) => {}
        Ok(false) => {
            return login_page(
                StatusCode::TOO_MANY_REQUESTS,
                Some(&format!(
                    "登录尝试过于频繁，请 {} 分钟后再试。",
                    xxgk_store::LOGIN_WINDOW_SECONDS / 60
                )),
                &form.name,
            )
        }
        Err(_) => return server_error(),
    }
    let result = app
        .store
        .verify_password(&form.name, &form.password, now())
        .await;
    if matches!(
        result,
        Err(StoreError::BadCredentials | StoreError::Locked { .. })
    ) && app
        .store
        .record_login_failure(&address, &form.name, now())
        .await
        .is_err()
    {
        return server_error();
    }
    let user = match result {
        Ok(user) => user,
        Err(StoreError::BadCredentials) => {
            return login_page(
                StatusCode::UNAUTHORIZED,
                Some("用户名或密码错误。"),
                &form.name,
            )
        }
        Err(StoreError::Locked { minutes }) => {
            return login_page(
                StatusCode::TOO_MANY_REQUESTS,
                Some(&format!(
                    "登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试。"
                )),
                &form.name,
            )
        }
        Err(StoreError::Disabled) => {
            return login_page(StatusCode::FORBIDDEN, Some("该账户已停用。"), &form.name)
        }
        Err(_) => return server_error(),
    };
    match app
        .store
        .create_session(&user, now(), SESSION_SECONDS)
        .await
    {
        Ok(s) => {
            let mut response = redirect("/");
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                cookie_header(SESSION_COOKIE, &s.cookie, SESSION_SECONDS),
            );
            headers.append(header::SET_COOKIE, cookie_header(CSRF_COOKIE, "", 0));
            response
        }
        Err(_) => server_error(),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: with the session's CSRF token.
pub(crate) async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let current = match crate::auth::session(&app, &headers).await {
        Ok(s) => s,
        Err(_) => return server_error(),
    };
    let Some(current) = current else {
        return redirect("/login");
    };
    if !same_token(&current.csrf_token, &form.csrf) {
        return html(
            StatusCode::FORBIDDEN,
            page(
                "请求无效",
                "<h1>请求无效</h1>\n<p class=\"error\">页面已过期，请返回首页重试。</p>\n",
            ),
        );
    }
    if let Some(value) = cookie(&headers, SESSION_COOKIE) {
        if app.store.delete_session(value).await.is_err() {
            return server_error();
        }
    }
    let mut response = redirect("/login");
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie_header(SESSION_COOKIE, "", 0));
    response
}

/// `GET /static/app.css`.
pub(crate) async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        CSS,
    )
        .into_response()
}
