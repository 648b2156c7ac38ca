//! The lists, the agency tree, the rule catalogue and administration (pages and JSON API), in
//! process, on SQLite and (with `XXGK_TEST_POSTGRES_URL`) PostgreSQL: every role (admin,
//! supervisor of the parent, staff of the agency, staff of another agency), each filter of the
//! report list with hand-counted expectations, pagination, CSRF refusals, escaping, the login
//! rate limit, and the OpenAPI document against the routes registered in lib.rs.

mod support;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use xxgk_store::{Actor, NewAgency, NewReport, NewUser, ReportStatus, Role, Store};

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let f = super::support::sqlite().await;
                super::$name(&f.store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(f) = super::support::postgres(stringify!($name)).await {
                    super::$name(&f.store).await;
                    super::support::drop_postgres(f).await;
                }
            }
        }
    };
}

both!(report_list_filters_and_roles);
both!(report_list_pagination);
both!(report_list_export);
both!(agency_tree_and_rules);
both!(administration);
both!(login_rate_limit);

const PASSWORD: &str = "correct horse battery";

/// One request: method, path, optional session (cookie, CSRF header), bearer token, form or
/// JSON body, client address.
#[derive(Default)]
struct Req<'a> {
    method: &'a str,
    uri: &'a str,
    cookie: Option<&'a str>,
    csrf_header: Option<&'a str>,
    token: Option<&'a str>,
    form: Option<String>,
    json: Option<Value>,
    address: Option<SocketAddr>,
}

struct Answer {
    status: StatusCode,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn send(app: &axum::Router, r: Req<'_>) -> Answer {
    let mut b = Request::builder()
        .method(if r.method.is_empty() { "GET" } else { r.method })
        .uri(r.uri);
    if let Some(c) = r.cookie {
        b = b.header("cookie", c);
    }
    if let Some(c) = r.csrf_header {
        b = b.header("x-csrf-token", c);
    }
    if let Some(t) = r.token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    let body = if let Some(f) = r.form {
        b = b.header("content-type", "application/x-www-form-urlencoded");
        Body::from(f)
    } else if let Some(j) = r.json {
        b = b.header("content-type", "application/json");
        Body::from(j.to_string())
    } else {
        Body::empty()
    };
    let mut request = b.body(body).expect("request");
    if let Some(a) = r.address {
        request.extensions_mut().insert(ConnectInfo(a));
    }
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

async fn get(app: &axum::Router, uri: &str, token: &str) -> Answer {
    send(
        app,
        Req {
            uri,
            token: Some(token),
            ..Req::default()
        },
    )
    .await
}

/// A browser session of a user: the cookie header and the session's CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

async fn browser(store: &Store, name: &str) -> Browser {
    let user = store
        .user_by_name(name)
        .await
        .expect("user")
        .expect("exists");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let s = store
        .create_session(&user, now, 3600)
        .await
        .expect("session");
    Browser {
        cookie: format!("xxgk_session={}", s.cookie),
        csrf: s.csrf_token,
    }
}

async fn page(app: &axum::Router, b: &Browser, uri: &str) -> Answer {
    send(
        app,
        Req {
            uri,
            cookie: Some(&b.cookie),
            ..Req::default()
        },
    )
    .await
}

async fn post_form(app: &axum::Router, b: &Browser, uri: &str, form: String) -> Answer {
    send(
        app,
        Req {
            method: "POST",
            uri,
            cookie: Some(&b.cookie),
            form: Some(form),
            ..Req::default()
        },
    )
    .await
}

/// The people of `support::people` plus an administrator; returns the admin's token.
async fn admin(store: &Store) -> String {
    store
        .add_user(
            &Actor::command_line(),
            &NewUser {
                name: "root",
                password: PASSWORD,
                role: Role::Admin,
                agency_code: None,
            },
        )
        .await
        .expect("admin");
    store
        .create_token(&Actor::command_line(), "root")
        .await
        .expect("token")
        .token
}

/// A finding of a rule, as the findings array holds it.
fn finding(rule: &str, severity: &str) -> Value {
    serde_json::json!({"rule": rule, "severity": severity, "message": "测试", "cells": [],
        "expected": null, "found": null, "spans": []})
}

struct Seed<'a> {
    agency: &'a str,
    year: i32,
    format: Option<&'a str>,
    findings: Vec<Value>,
}

/// Stores a report as the upload would: the extract names the format; errors and warnings are
/// counted from the findings.
async fn seed(store: &Store, s: Seed<'_>) -> i64 {
    let agency = store
        .agency_by_code(s.agency)
        .await
        .expect("agency")
        .expect("exists");
    let extract = s
        .format
        .map(|f| serde_json::json!({"format": f, "year": s.year}).to_string());
    let findings = Value::Array(s.findings.clone()).to_string();
    let count = |sev: &str| s.findings.iter().filter(|f| f["severity"] == sev).count() as i64;
    let bytes = format!("{} {} {:?} {}", s.agency, s.year, s.format, findings);
    store
        .add_report(
            &Actor::command_line(),
            &NewReport {
                agency_id: agency.id,
                year: Some(s.year),
                file_name: "年报.txt",
                bytes: bytes.as_bytes(),
                status: if s.format.is_some() {
                    ReportStatus::Ready
                } else {
                    ReportStatus::Unreadable
                },
                unreadable_reason: s.format.is_none().then_some("无法读取"),
                extract_json: extract.as_deref(),
                findings_json: Some(&findings),
                error_count: count("error"),
                warning_count: count("warning"),
            },
        )
        .await
        .expect("report")
        .id
}

/// The corpus of the list tests. Agencies: C (city) with A and B (departments, support) and X
/// (a department whose name holds a script tag). Reports (latest version marked *):
///
/// | id   | agency | year | version | format   | findings                        |
/// |------|--------|------|---------|----------|---------------------------------|
/// | a23* | A      | 2023 | 1       | 2021     | T3-BALANCE (error)              |
/// | a24₁ | A      | 2024 | 1       | 2021     | STRUCT-OLD (warning)            |
/// | a24* | A      | 2024 | 2       | 2021     | VALUE-X (warning)               |
/// | b23* | B      | 2023 | 1       | 2019     | T3-BALANCE, DATE-X (2 errors)   |
/// | b24* | B      | 2024 | 1       | unknown  | READ-UNREADABLE (error)         |
/// | c24* | C      | 2024 | 1       | pre-2019 | none                            |
/// | x24* | X      | 2024 | 1       | 2021     | none                            |
struct Corpus {
    a23: i64,
    a24_1: i64,
    a24: i64,
    b23: i64,
    b24: i64,
    c24: i64,
    x24: i64,
}

async fn corpus(store: &Store) -> Corpus {
    store
        .add_agency(
            &Actor::command_line(),
            &NewAgency {
                code: "X",
                name: "<script>alert(1)</script>局",
                parent_code: Some("C"),
                kind: Default::default(),
            },
        )
        .await
        .expect("agency X");
    let s = |agency, year, format, findings| Seed {
        agency,
        year,
        format,
        findings,
    };
    Corpus {
        a23: seed(
            store,
            s(
                "A",
                2023,
                Some("2021"),
                vec![finding("T3-BALANCE", "error")],
            ),
        )
        .await,
        a24_1: seed(
            store,
            s(
                "A",
                2024,
                Some("2021"),
                vec![finding("STRUCT-OLD", "warning")],
            ),
        )
        .await,
        a24: seed(
            store,
            s("A", 2024, Some("2021"), vec![finding("VALUE-X", "warning")]),
        )
        .await,
        b23: seed(
            store,
            s(
                "B",
                2023,
                Some("2019"),
                vec![finding("T3-BALANCE", "error"), finding("DATE-X", "error")],
            ),
        )
        .await,
        b24: seed(
            store,
            s("B", 2024, None, vec![finding("READ-UNREADABLE", "error")]),
        )
        .await,
        c24: seed(store, s("C", 2024, Some("pre-2019"), vec![])).await,
        x24: seed(store, s("X", 2024, Some("2021"), vec![])).await,
    }
}

/// The ids of a list answer, in order, and its total.
fn ids(a: &Answer) -> (Vec<i64>, i64) {
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    let list = v["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect();
    (list, v["total"].as_i64().expect("total"))
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

async fn report_list_filters_and_roles(store: &Store) {
    let tokens = support::people(store).await;
    let root = admin(store).await;
    let c = corpus(store).await;
    let app = xxgk_server::router(store.clone());
    let list = |q: &str| format!("/api/v1/reports{q}");

    // Latest versions by default; every version with versions=all.
    let (all, total) = ids(&get(&app, &list(""), &root).await);
    assert_eq!(total, 6);
    assert_eq!(
        sorted(all.clone()),
        sorted(vec![c.a23, c.a24, c.b23, c.b24, c.c24, c.x24])
    );
    // Default order: newest year first, then agency code (A, B, C, X).
    assert_eq!(all, [c.a24, c.b24, c.c24, c.x24, c.a23, c.b23]);
    let (every, total) = ids(&get(&app, &list("?versions=all"), &root).await);
    assert_eq!(total, 7);
    assert!(every.contains(&c.a24_1));

    // Each filter, counted by hand from the table of `corpus`.
    for (query, expected) in [
        ("?year=2024", vec![c.a24, c.b24, c.c24, c.x24]),
        ("?year=2023", vec![c.a23, c.b23]),
        ("?agency=A", vec![c.a23, c.a24]),
        ("?agency=C", vec![c.a23, c.a24, c.b23, c.b24, c.c24, c.x24]),
        ("?agency=NOPE", vec![]),
        ("?format=2021", vec![c.a23, c.a24, c.x24]),
        ("?format=2019", vec![c.b23]),
        ("?format=pre-2019", vec![c.c24]),
        ("?format=unknown", vec![c.b24]),
        ("?status=unreadable", vec![c.b24]),
        ("?status=ready", vec![c.a23, c.a24, c.b23, c.c24, c.x24]),
        ("?status=processing", vec![]),
        ("?errors=yes", vec![c.a23, c.b23, c.b24]),
        ("?errors=no", vec![c.a24, c.c24, c.x24]),
        ("?rule=T3-BALANCE", vec![c.a23, c.b23]),
        ("?rule=VALUE-X", vec![c.a24]),
        ("?rule=STRUCT-OLD", vec![]),
        ("?rule=STRUCT-OLD&versions=all", vec![c.a24_1]),
        ("?year=2024&errors=no&format=2021", vec![c.a24, c.x24]),
    ] {
        let (got, total) = ids(&get(&app, &list(query), &root).await);
        assert_eq!(sorted(got), sorted(expected.clone()), "{query}");
        assert_eq!(total, expected.len() as i64, "{query}");
    }

    // Sorts.
    let (by_errors, _) = ids(&get(&app, &list("?sort=errors&order=desc"), &root).await);
    assert_eq!(by_errors[0], c.b23, "2 errors first");
    let (by_year, _) = ids(&get(&app, &list("?sort=year"), &root).await);
    assert_eq!(&by_year[..2], [c.a23, c.b23], "2023 first, A before B");
    let (by_agency, _) = ids(&get(&app, &list("?sort=agency&order=desc"), &root).await);
    assert_eq!(by_agency[0], c.x24, "X last by code, first descending");
    let (uploaded, _) = ids(&get(&app, &list("?sort=uploaded&order=desc"), &root).await);
    assert_eq!(uploaded[0], c.x24, "stored last");

    // Bad parameters: 400 with a Chinese message.
    for query in [
        "?year=abc",
        "?format=2020",
        "?errors=maybe",
        "?sort=size",
        "?page=0",
    ] {
        let a = get(&app, &list(query), &root).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(a.json()["error"].as_str().is_some_and(|e| !e.is_ascii()));
    }

    // Roles: the supervisor of C sees the subtree, staff their own agency, nobody else's.
    let (sup, total) = ids(&get(&app, &list(""), &tokens.supervisor).await);
    assert_eq!(total, 6);
    assert_eq!(sorted(sup), sorted(all.clone()));
    let (a, _) = ids(&get(&app, &list(""), &tokens.staff_a).await);
    assert_eq!(sorted(a), sorted(vec![c.a23, c.a24]));
    let (b, _) = ids(&get(&app, &list(""), &tokens.staff_b).await);
    assert_eq!(sorted(b), sorted(vec![c.b23, c.b24]));
    let (b_on_a, total) = ids(&get(&app, &list("?agency=A"), &tokens.staff_b).await);
    assert_eq!((b_on_a, total), (vec![], 0));
    let (b_rule, _) = ids(&get(&app, &list("?rule=T3-BALANCE"), &tokens.staff_b).await);
    assert_eq!(b_rule, [c.b23]);
    let none = send(
        &app,
        Req {
            uri: "/api/v1/reports",
            ..Req::default()
        },
    )
    .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);

    // The page: the same list, filters, links to the report page, the hostile name escaped.
    let admin_browser = browser(store, "root").await;
    let html = page(&app, &admin_browser, "/reports").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("id=\"report-list\""));
    assert!(html.body.contains("class=\"filters\""));
    assert!(
        html.body.contains("共 <strong>6</strong> 份年报"),
        "{}",
        html.body
    );
    assert!(html.body.contains(&format!("href=\"/reports/{}\"", c.x24)));
    assert!(html
        .body
        .contains("&#60;script&#62;alert(1)&#60;/script&#62;局"));
    assert!(!html.body.contains("<script"));
    // The agency select: three levels below the caller's top (C → A → A1), deeper ones (A11)
    // only when chosen.
    for (code, parent) in [("A1", "A"), ("A11", "A1")] {
        store
            .add_agency(
                &Actor::command_line(),
                &NewAgency {
                    code,
                    name: &format!("{code}科"),
                    parent_code: Some(parent),
                    kind: Default::default(),
                },
            )
            .await
            .expect("agency");
    }
    let html = page(&app, &admin_browser, "/reports").await;
    assert!(html.body.contains("<option value=\"A1\">"));
    assert!(!html.body.contains("<option value=\"A11\""));
    let html = page(&app, &admin_browser, "/reports?agency=A11").await;
    assert!(html.body.contains("<option value=\"A11\" selected>"));
    assert!(html.body.contains("共 <strong>0</strong> 份年报"));
    let filtered = page(&app, &admin_browser, "/reports?format=2019&errors=yes").await;
    assert!(filtered.body.contains("共 <strong>1</strong> 份年报"));
    assert_eq!(filtered.body.matches("<tr class=\"report").count(), 1);
    assert!(filtered.body.contains("<option value=\"2019\" selected>"));
    let bad = page(&app, &admin_browser, "/reports?year=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("年度应为数字"));
    let staff = browser(store, "staff-a").await;
    let mine = page(&app, &staff, "/reports").await;
    assert!(mine.body.contains("共 <strong>2</strong> 份年报"));
    assert!(!mine.body.contains("某市乙局") && !mine.body.contains("alert(1)"));
    let other = browser(store, "staff-b").await;
    let theirs = page(&app, &other, "/reports?agency=A").await;
    assert!(theirs.body.contains("共 <strong>0</strong> 份年报"));
    assert!(theirs.body.contains("id=\"report-list-empty\""));
    // Without a session: the login page.
    let anonymous = send(
        &app,
        Req {
            uri: "/reports",
            ..Req::default()
        },
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

/// The sheets of an exported workbook (as text cells), or the status when it is not one.
async fn export(
    app: &axum::Router,
    b: &Browser,
    uri: &str,
) -> Result<Vec<(String, Vec<Vec<String>>)>, StatusCode> {
    use calamine::Reader;
    let request = Request::get(uri)
        .header("cookie", &b.cookie)
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    if response.status() != StatusCode::OK {
        return Err(response.status());
    }
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        let rows = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        sheets.push((name, rows));
    }
    Ok(sheets)
}

async fn report_list_export(store: &Store) {
    support::people(store).await;
    admin(store).await;
    let c = corpus(store).await;
    let app = xxgk_server::router(store.clone());
    let root = browser(store, "root").await;
    let html = page(&app, &root, "/reports?rule=T3-BALANCE&page=1").await;
    assert!(
        html.body
            .contains("id=\"report-export\" href=\"/reports.xlsx?rule=T3-BALANCE\""),
        "the export keeps the filters, not the page"
    );
    // The reports with a T3-BALANCE finding: a23 (1 error) and b23 (2 errors).
    let sheets = export(&app, &root, "/reports.xlsx?rule=T3-BALANCE")
        .await
        .expect("exported");
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["汇总", "问题清单", "规则统计"]);
    let summary = &sheets[0].1;
    assert_eq!(summary[0][0], "文件");
    // Two reports, newest year first then agency: A's 2023, B's 2023 — then a blank row and
    // the totals.
    assert_eq!(summary[1][2], "2023");
    assert_eq!(summary[1][3], "2021 年格式");
    assert_eq!(summary[1][4], "1", "A 2023: one error");
    assert_eq!(summary[2][3], "2019 年试行格式");
    assert_eq!(summary[2][4], "2", "B 2023: two errors");
    assert_eq!(summary[4][0], "合计");
    assert_eq!(summary[4][4], "3");
    let findings = &sheets[1].1;
    assert_eq!(findings.len(), 1 + 3, "header and three findings");
    assert_eq!(findings.iter().filter(|r| r[3] == "T3-BALANCE").count(), 2);
    let rules = &sheets[2].1;
    let t3 = rules
        .iter()
        .find(|r| r[0] == "T3-BALANCE")
        .expect("T3-BALANCE counted");
    assert_eq!(
        (t3[1].as_str(), t3[4].as_str(), t3[5].as_str()),
        ("校验", "2", "2")
    );
    // Staff of B: only B's report.
    let b = browser(store, "staff-b").await;
    let theirs = export(&app, &b, "/reports.xlsx?rule=T3-BALANCE")
        .await
        .expect("exported");
    assert_eq!(
        theirs[0].1.len(),
        1 + 1 + 2,
        "header, B 2023, blank, totals"
    );
    let a = browser(store, "staff-a").await;
    let mine = export(&app, &a, "/reports.xlsx").await.expect("exported");
    assert_eq!(mine[0].1.len(), 1 + 2 + 2, "A 2023 and A 2024 (latest)");
    let _ = c;
    assert_eq!(
        export(&app, &root, "/reports.xlsx?year=abc").await.err(),
        Some(StatusCode::BAD_REQUEST)
    );
    // Without a session: the login page, no workbook.
    let anonymous = send(
        &app,
        Req {
            uri: "/reports.xlsx",
            ..Req::default()
        },
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

async fn report_list_pagination(store: &Store) {
    support::people(store).await;
    let root = admin(store).await;
    let agency = store.agency_by_code("A").await.expect("agency").expect("A");
    // 120 reports of A (years 1901…2020) and 3 of B: 123 in all, 3 pages of 50, 50, 23.
    let texts: Vec<String> = (0..123).map(|i| format!("report {i}")).collect();
    let b = store.agency_by_code("B").await.expect("agency").expect("B");
    let new: Vec<NewReport> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| NewReport {
            agency_id: if i < 120 { agency.id } else { b.id },
            year: if i < 120 {
                Some(1901 + i as i32)
            } else {
                Some(2000 + i as i32)
            },
            file_name: "r.txt",
            bytes: text.as_bytes(),
            status: ReportStatus::Ready,
            unreadable_reason: None,
            extract_json: Some("{\"format\": \"2021\"}"),
            findings_json: Some("[]"),
            error_count: 0,
            warning_count: 0,
        })
        .collect();
    let stored = store
        .add_reports_bulk(&Actor::command_line(), &new)
        .await
        .expect("bulk");
    assert_eq!(stored.len(), 123);
    let app = xxgk_server::router(store.clone());
    let mut seen = Vec::new();
    for (page, expected) in [(1, 50), (2, 50), (3, 23)] {
        let a = get(&app, &format!("/api/v1/reports?page={page}"), &root).await;
        let v = a.json();
        assert_eq!(v["total"], 123);
        assert_eq!(v["pages"], 3);
        assert_eq!(v["page"], page);
        let (list, _) = ids(&a);
        assert_eq!(list.len(), expected, "page {page}");
        seen.extend(list);
    }
    assert_eq!(sorted(seen), sorted(stored), "every report once");
    let (beyond, total) = ids(&get(&app, "/api/v1/reports?page=4", &root).await);
    assert_eq!((beyond.len(), total), (0, 123));
    // The staff of B: 3 reports, one page.
    let b_staff = store
        .create_token(&Actor::command_line(), "staff-b")
        .await
        .expect("token")
        .token;
    let v = get(&app, "/api/v1/reports", &b_staff).await.json();
    assert_eq!(
        (v["total"].as_i64(), v["pages"].as_i64()),
        (Some(3), Some(1))
    );

    // The page: links to the pages, the filters kept in them.
    let b = browser(store, "root").await;
    let html = page(&app, &b, "/reports?page=2&agency=A").await;
    assert!(html
        .body
        .contains("共 <strong>120</strong> 份年报，第 2 / 3 页"));
    assert!(html.body.contains("id=\"report-pages\""));
    assert!(html
        .body
        .contains("href=\"/reports?agency=A&#38;page=3\" rel=\"next\""));
    assert!(html
        .body
        .contains("href=\"/reports?agency=A&#38;page=1\" rel=\"prev\""));
    assert!(html.body.contains("<span aria-current=\"page\">2</span>"));
    assert_eq!(html.body.matches("<tr class=\"report").count(), 50);
}

async fn agency_tree_and_rules(store: &Store) {
    let tokens = support::people(store).await;
    let root = admin(store).await;
    let c = corpus(store).await;
    let app = xxgk_server::router(store.clone());

    let codes = |v: &Value| -> Vec<String> {
        v["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .map(|a| a["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let all = get(&app, "/api/v1/agencies", &root).await.json();
    assert_eq!(codes(&all), ["C", "A", "B", "X"], "tree order");
    let a = &all["agencies"][1];
    assert_eq!(a["parent"], "C");
    assert_eq!(a["depth"], 1);
    // A's reports: the latest of each year, newest first.
    let years: Vec<(i64, i64)> = a["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| {
            (
                r["year"].as_i64().unwrap_or(0),
                r["id"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(years, [(2024, c.a24), (2023, c.a23)]);
    assert_eq!(a["reports"][1]["errors"], 1);
    let sup = get(&app, "/api/v1/agencies", &tokens.supervisor)
        .await
        .json();
    assert_eq!(codes(&sup), ["C", "A", "B", "X"]);
    let staff = get(&app, "/api/v1/agencies", &tokens.staff_b).await.json();
    assert_eq!(codes(&staff), ["B"]);
    assert_eq!(staff["agencies"][0]["depth"], 0);

    let b = browser(store, "super-c").await;
    let html = page(&app, &b, "/agencies").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("id=\"agency-tree\""));
    assert!(html
        .body
        .contains("class=\"agency depth-1\" id=\"agency-A\""));
    assert!(html
        .body
        .contains(&format!("href=\"/reports/{}\">2023 年度", c.b23)));
    assert!(html.body.contains("&#60;script&#62;") && !html.body.contains("<script"));
    assert!(html.body.contains("无法读取"), "B's 2024 report");
    let staff = browser(store, "staff-a").await;
    let mine = page(&app, &staff, "/agencies").await;
    assert!(mine.body.contains("某市甲局") && !mine.body.contains("某市乙局"));

    // The rule catalogue: both catalogues, an anchor per rule.
    let rules = get(&app, "/api/v1/rules", &tokens.staff_a).await.json();
    let items = rules.as_array().expect("array");
    let of = |id: &str| items.iter().find(|r| r["id"] == id).cloned();
    assert_eq!(
        of("T3-BALANCE").map(|r| r["stage"].clone()),
        Some("check".into())
    );
    assert_eq!(
        of("READ-UNREADABLE").map(|r| r["stage"].clone()),
        Some("read".into())
    );
    assert_eq!(
        of("T3-BALANCE").map(|r| r["group"].clone()),
        Some("表格勾稽关系".into())
    );
    let html = page(&app, &staff, "/rules").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html
        .body
        .contains("<article class=\"rule\" id=\"T3-BALANCE\">"));
    assert!(html
        .body
        .contains("<article class=\"rule\" id=\"READ-UNREADABLE\">"));
    assert_eq!(
        html.body.matches("<article class=\"rule\"").count(),
        items.len()
    );
    assert!(html.body.contains("id=\"rule-list\""));
}

async fn administration(store: &Store) {
    let tokens = support::people(store).await;
    let root = admin(store).await;
    let app = xxgk_server::router(store.clone());

    // Nobody but an administrator: 404, as for a path that does not exist.
    for token in [&tokens.staff_a, &tokens.supervisor] {
        for uri in [
            "/api/v1/admin/agencies",
            "/api/v1/admin/users",
            "/api/v1/admin/tokens",
            "/api/v1/admin/audit",
        ] {
            assert_eq!(
                get(&app, uri, token).await.status,
                StatusCode::NOT_FOUND,
                "{uri}"
            );
        }
        let post = send(
            &app,
            Req {
                method: "POST",
                uri: "/api/v1/admin/agencies",
                token: Some(token),
                json: Some(serde_json::json!({"code": "Z", "name": "某局"})),
                ..Req::default()
            },
        )
        .await;
        assert_eq!(post.status, StatusCode::NOT_FOUND);
    }
    assert!(store.agency_by_code("Z").await.expect("get").is_none());
    for name in ["super-c", "staff-a"] {
        let b = browser(store, name).await;
        assert_eq!(page(&app, &b, "/admin").await.status, StatusCode::NOT_FOUND);
        let post = post_form(
            &app,
            &b,
            "/admin/agencies",
            format!("csrf={}&code=Z&name=x", b.csrf),
        )
        .await;
        assert_eq!(post.status, StatusCode::NOT_FOUND);
    }

    // The JSON API.
    let json_post = |uri: &'static str, body: Value| Req {
        method: "POST",
        uri,
        token: Some(&root),
        json: Some(body),
        ..Req::default()
    };
    let made = send(
        &app,
        json_post(
            "/api/v1/admin/agencies",
            serde_json::json!({"code": "D", "name": "某市丙局", "parent": "C", "kind": "department"}),
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.json()["parent"], "C");
    let dup = send(
        &app,
        json_post(
            "/api/v1/admin/agencies",
            serde_json::json!({"code": "D", "name": "重复"}),
        ),
    )
    .await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
    assert!(dup.json()["error"]
        .as_str()
        .unwrap_or_default()
        .contains("机构代码已存在"));
    let user = send(
        &app,
        json_post(
            "/api/v1/admin/users",
            serde_json::json!({"name": "staff-d", "password": PASSWORD, "role": "staff", "agency": "D"}),
        ),
    )
    .await;
    assert_eq!(user.status, StatusCode::CREATED, "{}", user.body);
    let token = send(
        &app,
        json_post(
            "/api/v1/admin/tokens",
            serde_json::json!({"user": "staff-d"}),
        ),
    )
    .await;
    assert_eq!(token.status, StatusCode::CREATED);
    let token = token.json();
    let plain = token["token"].as_str().expect("token").to_owned();
    let prefix = token["prefix"].as_str().expect("prefix").to_owned();
    assert_eq!(
        get(&app, "/api/v1/agencies", &plain).await.status,
        StatusCode::OK
    );
    // Disabled: its token stops working; enabled again: it works.
    let disable = send(
        &app,
        Req {
            method: "POST",
            uri: "/api/v1/admin/users/staff-d/disable",
            token: Some(&root),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(disable.json()["disabled"], true);
    assert_eq!(
        get(&app, "/api/v1/agencies", &plain).await.status,
        StatusCode::UNAUTHORIZED
    );
    let enable = send(
        &app,
        Req {
            method: "POST",
            uri: "/api/v1/admin/users/staff-d/enable",
            token: Some(&root),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(enable.json()["disabled"], false);
    let users = get(&app, "/api/v1/admin/users", &root).await.json();
    assert_eq!(users["users"].as_array().map(Vec::len), Some(5));
    let listed = get(&app, "/api/v1/admin/tokens", &root).await.json();
    assert!(listed.to_string().contains(&prefix) && !listed.to_string().contains(&plain));
    let revoke_uri = format!("/api/v1/admin/tokens/{prefix}/revoke");
    let revoked = send(
        &app,
        Req {
            method: "POST",
            uri: &revoke_uri,
            token: Some(&root),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(
        get(&app, "/api/v1/agencies", &plain).await.status,
        StatusCode::UNAUTHORIZED
    );
    let reset = send(
        &app,
        Req {
            method: "POST",
            uri: "/api/v1/admin/users/staff-d/password",
            token: Some(&root),
            json: Some(serde_json::json!({"password": "another long secret"})),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    let now = 2_000_000_000;
    assert!(store
        .verify_password("staff-d", "another long secret", now)
        .await
        .is_ok());
    let audit = get(&app, "/api/v1/admin/audit?limit=6", &root).await.json();
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        actions,
        [
            "user.password",
            "token.revoke",
            "user.enable",
            "user.disable",
            "token.create",
            "user.create"
        ]
    );

    // With the session cookie, a change needs the X-CSRF-Token header.
    let b = browser(store, "root").await;
    let no_header = send(
        &app,
        Req {
            method: "POST",
            uri: "/api/v1/admin/agencies",
            cookie: Some(&b.cookie),
            json: Some(serde_json::json!({"code": "E", "name": "某市丁局"})),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(no_header.status, StatusCode::FORBIDDEN);
    let with_header = send(
        &app,
        Req {
            method: "POST",
            uri: "/api/v1/admin/agencies",
            cookie: Some(&b.cookie),
            csrf_header: Some(&b.csrf),
            json: Some(serde_json::json!({"code": "E", "name": "某市丁局"})),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(with_header.status, StatusCode::CREATED);

    // The page and its forms, each refused without the session's CSRF token.
    let html = page(&app, &b, "/admin").await;
    assert_eq!(html.status, StatusCode::OK);
    for id in [
        "admin-agencies",
        "admin-users",
        "admin-tokens",
        "admin-audit",
        "user-list",
    ] {
        assert!(html.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    for (uri, form) in [
        ("/admin/agencies", "code=F&name=%E6%9F%90%E5%B1%80"),
        ("/admin/users", "name=u2&password=long+enough+pw&role=admin"),
        ("/admin/users/state", "name=staff-a&action=disable"),
        (
            "/admin/users/password",
            "name=staff-a&password=long+enough+pw",
        ),
        ("/admin/tokens", "user=staff-a"),
    ] {
        for csrf in ["", "csrf=wrong&"] {
            let a = post_form(&app, &b, uri, format!("{csrf}{form}")).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri} {csrf}");
            assert!(a.body.contains("页面已过期"));
        }
    }
    assert!(store.agency_by_code("F").await.expect("get").is_none());
    assert!(store.user_by_name("u2").await.expect("get").is_none());
    assert!(
        !store
            .user_by_name("staff-a")
            .await
            .expect("get")
            .expect("u")
            .disabled
    );

    let csrf = &b.csrf;
    let added = post_form(
        &app,
        &b,
        "/admin/agencies",
        format!("csrf={csrf}&code=F&name=%3Cb%3E%E6%9F%90%E5%B1%80&parent=C&kind=department"),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK);
    assert!(
        added.body.contains("已添加机构：&#60;b&#62;某局（F）"),
        "{}",
        added.body
    );
    let f = store.agency_by_code("F").await.expect("get").expect("F");
    assert_eq!(f.depth(), 1);
    let user = post_form(
        &app,
        &b,
        "/admin/users",
        format!("csrf={csrf}&name=u2&password=long+enough+pw&role=supervisor&agency=F"),
    )
    .await;
    assert!(user.body.contains("已添加用户：u2（监督人员）"));
    let short = post_form(
        &app,
        &b,
        "/admin/users",
        format!("csrf={csrf}&name=u3&password=short&role=staff&agency=F"),
    )
    .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("密码至少需要"));
    let off = post_form(
        &app,
        &b,
        "/admin/users/state",
        format!("csrf={csrf}&name=u2&action=disable"),
    )
    .await;
    assert!(off.body.contains("已停用用户：u2"));
    assert!(
        store
            .user_by_name("u2")
            .await
            .expect("get")
            .expect("u2")
            .disabled
    );
    let myself = post_form(
        &app,
        &b,
        "/admin/users/state",
        format!("csrf={csrf}&name=root&action=disable"),
    )
    .await;
    assert_eq!(myself.status, StatusCode::BAD_REQUEST);
    let created = post_form(
        &app,
        &b,
        "/admin/tokens",
        format!("csrf={csrf}&user=staff-a"),
    )
    .await;
    let start = created
        .body
        .find("<code>xxgk_")
        .expect("the new token shown")
        + 6;
    let token: String = created.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert_eq!(
        get(&app, "/api/v1/agencies", &token).await.status,
        StatusCode::OK
    );
    // Shown once: the next page lists only its prefix.
    let again = page(&app, &b, "/admin").await;
    assert!(!again.body.contains(&token) && again.body.contains(&token[..13]));
    let gone = post_form(
        &app,
        &b,
        "/admin/tokens/revoke",
        format!("csrf={csrf}&prefix={}", &token[..13]),
    )
    .await;
    assert!(gone.body.contains("已撤销令牌"));
    assert_eq!(
        get(&app, "/api/v1/agencies", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let log = page(&app, &b, "/admin").await;
    assert!(log.body.contains("token.revoke") && log.body.contains("agency.create"));
}

async fn login_rate_limit(store: &Store) {
    support::people(store).await;
    let app = xxgk_server::router(store.clone());
    let at = |n: u8| SocketAddr::from(([10, 0, 0, n], 40000));
    let login = |name: &str, password: &str, address: SocketAddr| {
        let form = format!("name={name}&password={password}&csrf=t");
        let app = app.clone();
        async move {
            send(
                &app,
                Req {
                    method: "POST",
                    uri: "/login",
                    cookie: Some("xxgk_csrf=t"),
                    form: Some(form),
                    address: Some(address),
                    ..Req::default()
                },
            )
            .await
        }
    };
    let good = "correct+horse+battery";
    // Ten failures from one address, each for another name: the eleventh try from there is
    // refused even with the right password; another address still logs in.
    for i in 0..10 {
        let a = login(&format!("ghost{i}"), "wrong", at(1)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }
    let limited = login("staff-a", good, at(1)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("登录尝试过于频繁，请 10 分钟后再试"));
    assert_eq!(
        login("staff-a", good, at(2)).await.status,
        StatusCode::SEE_OTHER
    );
    // Ten failures for one name from ten addresses: that name is refused from an eleventh.
    for i in 0..10 {
        let a = login("nobody", "wrong", at(10 + i)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }
    assert_eq!(
        login("nobody", "wrong", at(30)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Failures older than the window do not count.
    let now = 2_000_000_000;
    for _ in 0..10 {
        store
            .record_login_failure("10.9.9.9", "old", now - 601)
            .await
            .expect("record");
    }
    assert!(store
        .login_allowed("10.9.9.9", "old", now)
        .await
        .expect("allowed"));
    store
        .record_login_failure("10.9.9.9", "old", now - 10)
        .await
        .expect("record");
    assert!(store
        .login_allowed("10.9.9.9", "other", now)
        .await
        .expect("allowed"));
}

/// Every route registered under `/api/v1` in lib.rs is in the OpenAPI document, which is
/// served at `/api/v1/openapi.json` without a token.
#[tokio::test]
async fn openapi_lists_every_api_route() {
    let source = include_str!("../src/lib.rs");
    let doc: Value = serde_json::from_str(xxgk_server::api::OPENAPI).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let mut routes = 0;
    for piece in source.split("\"/api/v1").skip(1) {
        let path = format!("/api/v1{}", piece.split('"').next().unwrap_or_default());
        routes += 1;
        assert!(
            doc["paths"].get(&path).is_some(),
            "{path} is not in assets/openapi.json"
        );
    }
    assert!(routes >= 15, "found {routes} routes");
    for path in [
        "/api/v1/uploads",
        "/api/v1/jobs/{id}",
        "/api/v1/reports/{id}/versions",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
    let f = support::sqlite().await;
    let app = xxgk_server::router(f.store.clone());
    let served = send(
        &app,
        Req {
            uri: "/api/v1/openapi.json",
            ..Req::default()
        },
    )
    .await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.json(), doc);
}
