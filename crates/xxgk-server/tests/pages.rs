//! The login page: the form and its CSRF cookie, the session cookie's attributes, the
//! Content-Security-Policy, wrong passwords, a missing or wrong CSRF token, logout. On SQLite.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn request(app: &axum::Router, method: &str, uri: &str, cookie: &str, form: &str) -> Answer {
    let mut builder = Request::builder().method(method).uri(uri);
    if !cookie.is_empty() {
        builder = builder.header("cookie", cookie);
    }
    if method == "POST" {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    let response = app
        .clone()
        .oneshot(builder.body(Body::from(form.to_owned())).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(body.to_vec()).expect("UTF-8"),
    }
}

/// The `name=value` of a Set-Cookie header of that name, and the whole header.
fn set_cookie(a: &Answer, name: &str) -> (String, String) {
    let header = a
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned();
    let pair = header.split(';').next().unwrap_or_default().to_owned();
    (pair, header)
}

fn hidden_csrf(body: &str) -> String {
    let start = body.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    body[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_session_csrf_and_logout() {
    let f = support::sqlite().await;
    support::people(&f.store).await;
    let app = xxgk_server::router(f.store.clone());

    let page = request(&app, "GET", "/", "", "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("<form method=\"post\" action=\"/login\">"));
    assert!(page.body.contains("用户名") && page.body.contains("密码"));
    assert!(!page.body.contains("<script"));
    let csp = page.headers["content-security-policy"]
        .to_str()
        .expect("CSP");
    assert!(csp.contains("default-src 'none'") && csp.contains("style-src 'self'"));
    let (csrf_cookie, attributes) = set_cookie(&page, "xxgk_csrf");
    assert!(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict"));
    let csrf = hidden_csrf(&page.body);
    assert_eq!(csrf_cookie, format!("xxgk_csrf={csrf}"));
    let css = request(&app, "GET", "/static/app.css", "", "").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers["content-type"]
        .to_str()
        .is_ok_and(|c| c.starts_with("text/css")));

    let good = "name=staff-a&password=correct+horse+battery";
    // No CSRF token, or one that is not the cookie's: refused before the password is tried.
    let missing = request(&app, "POST", "/login", "", good).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let forged = request(
        &app,
        "POST",
        "/login",
        &csrf_cookie,
        &format!("{good}&csrf=00{csrf}"),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // A wrong password: 401, the name kept (escaped), no session.
    let wrong = request(
        &app,
        "POST",
        "/login",
        &csrf_cookie,
        &format!("name=staff-a&password=nope&csrf={csrf}"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("用户名或密码错误"));
    assert!(wrong
        .headers
        .get_all("set-cookie")
        .iter()
        .all(|v| !v.to_str().unwrap_or_default().starts_with("xxgk_session=")));
    let hostile = request(
        &app,
        "POST",
        "/login",
        &csrf_cookie,
        &format!("name=%3Cscript%3E&password=x&csrf={csrf}"),
    )
    .await;
    assert!(hostile.body.contains("&lt;script&gt;") && !hostile.body.contains("<script>"));

    // The right password: a session cookie, HttpOnly and SameSite=Strict, and the home page.
    let ok = request(
        &app,
        "POST",
        "/login",
        &csrf_cookie,
        &format!("{good}&csrf={csrf}"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let (session, attributes) = set_cookie(&ok, "xxgk_session");
    assert!(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict"));
    let home = request(&app, "GET", "/", &session, "").await;
    assert!(home.body.contains("已登录：staff-a"), "{}", home.body);
    let session_csrf = hidden_csrf(&home.body);

    // Logout needs the session's CSRF token.
    let forged = request(&app, "POST", "/logout", &session, "csrf=nope").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let out = request(
        &app,
        "POST",
        "/logout",
        &session,
        &format!("csrf={session_csrf}"),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = request(&app, "GET", "/", &session, "").await;
    assert!(after.body.contains("action=\"/login\""));
}
