//! What the report page and report API tests share: the seeds they upload (seed 002 as printed,
//! and copies changed by hand), a signed-in browser's cookie, and requests with it.
#![allow(dead_code)]

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use xxgk_store::Store;

/// Seed 002 (广州开发区知识产权局 2023): one cell per line; its line 83 is the cell
/// 一、本年新收…·自然人 ("\t3"), its line 233 the blank cell （四）3.补正后申请内容仍不明确·自然人.
pub const SEED_002: &str = "002_34c254d3798047bd.txt";
/// Seed 003 (济宁高新区科技创新局 2024).
pub const SEED_003: &str = "003_3dd38cd922b2f941.txt";

pub fn seed(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/seeds")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `bytes` with line `number` (1-based) replaced, after checking what it was.
pub fn with_line(bytes: &[u8], number: usize, was: &str, now: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8 seed");
    let mut lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines[number - 1], was, "line {number}");
    lines[number - 1] = now;
    lines.join("\n").into_bytes()
}

/// Seed 002 with 一、本年新收·自然人 changed by hand from 3 to 4: the row's 总计 stays 3
/// (0 in every other column, so 4 ≠ 3) and 本年新收 + 上年结转 (4 + 0) no longer equals
/// 办理结果总计 + 结转下年度 (3 + 0) for 自然人: errors naming that cell.
pub fn seed_002_changed() -> Vec<u8> {
    with_line(&seed(SEED_002), 83, "\t3", "\t4")
}

/// Seed 002 with its one blank cell (line 233) filled with 0.
pub fn seed_002_filled() -> Vec<u8> {
    with_line(&seed(SEED_002), 233, "\t", "\t0")
}

/// A session cookie for the user of an API token (as if signed in).
pub async fn cookie_of(store: &Store, token: &str) -> String {
    let user = store
        .user_by_token(token)
        .await
        .expect("token")
        .expect("a user");
    let s = store
        .create_session(&user, now(), 3600)
        .await
        .expect("session");
    format!("xxgk_session={}", s.cookie)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Page {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 page")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// A GET with a cookie (empty: none) or a bearer token.
pub async fn get(app: &axum::Router, uri: &str, cookie: &str, token: Option<&str>) -> Page {
    let mut builder = Request::builder().method("GET").uri(uri);
    if !cookie.is_empty() {
        builder = builder.header("cookie", cookie);
    }
    if let Some(t) = token {
        builder = builder.header("authorization", format!("Bearer {t}"));
    }
    let response = app
        .clone()
        .oneshot(builder.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Page {
        status,
        headers,
        body,
    }
}

/// The element that starts at the first occurrence of `start` up to `end` (inclusive).
pub fn element<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &html[from..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("no {end} after {start}"));
    &rest[..to + end.len()]
}
