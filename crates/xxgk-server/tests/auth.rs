//! The API with a browser's session instead of a token (auth.rs): reads need the cookie only;
//! a request that changes something also needs the session's CSRF token in `X-CSRF-Token`;
//! a wrong token or none is 403 and nothing is stored. On SQLite.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, serde_json::Value) {
    let mut r = Request::builder()
        .method(method)
        .uri(uri)
        .header("cookie", cookie)
        .header("x-filename", support::encode("报告.txt"));
    if let Some(t) = csrf {
        r = r.header("x-csrf-token", t);
    }
    let response = app
        .clone()
        .oneshot(r.body(Body::from(body)).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn the_api_with_a_session_cookie_needs_the_csrf_token_to_change_anything() {
    let f = support::sqlite().await;
    let tokens = support::people(&f.store).await;
    let app = xxgk_server::router(f.store.clone());
    let user = f
        .store
        .user_by_token(&tokens.staff_a)
        .await
        .expect("token")
        .expect("user");
    let session = f
        .store
        .create_session(&user, 0, i64::MAX / 4)
        .await
        .expect("session");
    let cookie = format!("xxgk_session={}", session.cookie);
    let seed = std::fs::read(&support::corpus()[0]).expect("seed");

    // No token, no cookie: 401.
    let (status, _) = call(
        &app,
        "POST",
        "/api/v1/reports?agency=A",
        "",
        None,
        seed.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The cookie without the CSRF token, or with another one: 403, nothing stored.
    let (status, body) = call(
        &app,
        "POST",
        "/api/v1/reports?agency=A",
        &cookie,
        None,
        seed.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.contains("X-CSRF-Token")));
    let (status, _) = call(
        &app,
        "POST",
        "/api/v1/reports?agency=A",
        &cookie,
        Some("0123456789abcdef"),
        seed.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        f.store
            .count_reports(&user, &Default::default())
            .await
            .expect("count"),
        0
    );
    // With the session's token: stored, and readable with the cookie alone.
    let (status, body) = call(
        &app,
        "POST",
        "/api/v1/reports?agency=A",
        &cookie,
        Some(&session.csrf_token),
        seed,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().expect("id");
    let (status, body) = call(
        &app,
        "GET",
        &format!("/api/v1/reports/{id}"),
        &cookie,
        None,
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["agency"], "A");
    // A forged or expired cookie is no session.
    let (status, _) = call(
        &app,
        "GET",
        &format!("/api/v1/reports/{id}"),
        "xxgk_session=forged",
        None,
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
