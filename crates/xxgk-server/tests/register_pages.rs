//! The register's pages (issue 11 item 7), on SQLite and on PostgreSQL (`XXGK_TEST_POSTGRES_URL`):
//! staff register an application, record a 补正 and the answer, and see the due date move and
//! the derived table count the case; the dates are checked; a supervisor sees counts and dates
//! but no personal data and cannot record; staff of another agency get the not-found page on
//! every register path; every change is in the audit log.
//!
//! The due dates are worked out by hand from 国办发明电〔2024〕12号 (2025: 国庆节、中秋节 10月1日至8日
//! 放假，9月28日（周日）、10月11日（周六）上班):
//! - received Mon 2025-09-22: counting from 9-23: 9-23..9-26 = 1..4, Sun 9-28 (worked) = 5,
//!   9-29 = 6, 9-30 = 7, (10-1..10-8 off) 10-9 = 8, 10-10 = 9, Sat 10-11 (worked) = 10,
//!   10-13..10-17 = 11..15, 10-20..10-24 = 16..20 → due Fri 2025-10-24;
//! - 补正 supplement received Thu 2025-10-09, the clock restarts: 10-10 = 1, Sat 10-11 = 2,
//!   10-13..10-17 = 3..7, 10-20..10-24 = 8..12, 10-27..10-31 = 13..17, 11-3, 11-4, 11-5 =
//!   18..20 → due Wed 2025-11-05.

#![allow(clippy::unwrap_used)]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use xxgk_store::{Store, User};

struct Page {
    status: StatusCode,
    location: Option<String>,
    body: Vec<u8>,
}

impl Page {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8")
    }
}

async fn send(app: &axum::Router, method: &str, uri: &str, cookie: &str, form: &str) -> Page {
    let mut b = Request::builder().method(method).uri(uri);
    if !cookie.is_empty() {
        b = b.header("cookie", cookie);
    }
    if method == "POST" {
        b = b.header("content-type", "application/x-www-form-urlencoded");
    }
    let r = app
        .clone()
        .oneshot(b.body(Body::from(form.to_owned())).expect("request"))
        .await
        .expect("response");
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = r.into_body().collect().await.expect("body").to_bytes();
    Page {
        status,
        location,
        body: body.to_vec(),
    }
}

/// A signed-in user: the cookie and the session's CSRF token.
struct Who {
    cookie: String,
    csrf: String,
    user: User,
}

async fn sign_in(store: &Store, token: &str) -> Who {
    let user = store.user_by_token(token).await.unwrap().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let s = store.create_session(&user, now, 3600).await.unwrap();
    Who {
        cookie: format!("xxgk_session={}", s.cookie),
        csrf: s.csrf_token,
        user,
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The text of the element with `id` (up to its closing tag `end`).
fn by_id<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

const CASE: &str = "/register/A/cases/%E4%BE%9D%E7%94%B3%E8%AF%B7-1";
const NUMBER: &str = "依申请-1";

async fn register_flow(store: Store) {
    let t = support::people(&store).await;
    let app = xxgk_server::router(store.clone());
    let a = sign_in(&store, &t.staff_a).await;
    let b = sign_in(&store, &t.staff_b).await;
    let sup = sign_in(&store, &t.supervisor).await;
    let agency_a = store.agency_by_code("A").await.unwrap().unwrap().id;

    // The form, then a new application.
    let page = send(&app, "GET", "/register/new", &a.cookie, "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("name=\"applicant_type\""));
    let new = [
        ("csrf", a.csrf.as_str()),
        ("agency", "A"),
        ("number", NUMBER),
        ("applicant_type", "natural_person"),
        ("applicant", "张三丰"),
        ("contact", "13800000000"),
        ("channel", "online"),
        ("received", "2025-09-22"),
        ("content", "某路段拆迁补偿方案<script>"),
    ];
    // Without the CSRF token: refused, nothing stored.
    let no_csrf = form(&new[1..]);
    let page = send(&app, "POST", "/register/new", &a.cookie, &no_csrf).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(store
        .register_case(&a.user, agency_a, NUMBER)
        .await
        .unwrap()
        .is_none());
    let page = send(&app, "POST", "/register/new", &a.cookie, &form(&new)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
    assert_eq!(page.location.as_deref(), Some(CASE));
    // The same 编号 again: refused with the reason.
    let again = send(&app, "POST", "/register/new", &a.cookie, &form(&new)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.text().contains("已登记过"));

    // The case page: due 2025-10-24 (hand count above), the computation shown, the text escaped.
    let html = send(&app, "GET", CASE, &a.cookie, "").await.text();
    assert!(
        by_id(&html, "case-due", "</dd>").contains("2025年10月24日"),
        "{html}"
    );
    let explain = by_id(&html, "case-explanation", "</ol>");
    assert!(explain.contains("起算日：2025年9月22日"), "{explain}");
    assert!(explain.contains("国庆节"), "{explain}");
    assert!(explain.contains("2025年9月28日"), "{explain}");
    assert!(html.contains("张三丰") && html.contains("13800000000"));
    assert!(
        html.contains("补偿方案&") && !html.contains("<script>"),
        "escaped"
    );

    // Dates are checked: a supplement with no notice, an answer before receipt, a date after
    // today are refused, and nothing changes.
    let events = format!("{CASE}/events");
    for (f, why) in [
        (
            form(&[
                ("csrf", &a.csrf),
                ("kind", "correction_received"),
                ("date", "2025-10-09"),
            ]),
            "没有补正告知",
        ),
        (
            form(&[
                ("csrf", &a.csrf),
                ("kind", "answer"),
                ("date", "2025-09-01"),
                ("outcome", "granted"),
            ]),
            "早于收到申请之日",
        ),
        (
            form(&[
                ("csrf", &a.csrf),
                ("kind", "withdrawal"),
                ("date", "2999-01-01"),
            ]),
            "晚于今天",
        ),
    ] {
        let page = send(&app, "POST", &events, &a.cookie, &f).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(page.text().contains(why), "{why}: {}", page.text());
    }
    let stored = store
        .register_case(&a.user, agency_a, NUMBER)
        .await
        .unwrap()
        .expect("stored");
    assert!(stored.case.events.is_empty());

    // 补正: notice, then the supplement: the clock restarts → due 2025-11-05.
    for f in [
        form(&[
            ("csrf", &a.csrf),
            ("kind", "correction_notice"),
            ("date", "2025-09-24"),
        ]),
        form(&[
            ("csrf", &a.csrf),
            ("kind", "correction_received"),
            ("date", "2025-10-09"),
        ]),
    ] {
        let page = send(&app, "POST", &events, &a.cookie, &f).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
    }
    let html = send(&app, "GET", CASE, &a.cookie, "").await.text();
    assert!(
        by_id(&html, "case-due", "</dd>").contains("2025年11月5日"),
        "{html}"
    );
    assert!(by_id(&html, "case-explanation", "</ol>").contains("收到补正材料之日"));
    let timeline = by_id(&html, "case-timeline", "</ol>");
    assert!(timeline.contains("补正告知") && timeline.contains("收到补正"));
    // A second 补正 notice is not offered, and refused when sent.
    assert!(!html.contains("id=\"form-correction_notice\""));
    let page = send(
        &app,
        "POST",
        &events,
        &a.cookie,
        &form(&[
            ("csrf", &a.csrf),
            ("kind", "correction_notice"),
            ("date", "2025-10-10"),
        ]),
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text().contains("一次性告知"));

    // The answer.
    let page = send(
        &app,
        "POST",
        &events,
        &a.cookie,
        &form(&[
            ("csrf", &a.csrf),
            ("kind", "answer"),
            ("date", "2025-10-30"),
            ("outcome", "granted"),
        ]),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
    let html = send(&app, "GET", CASE, &a.cookie, "").await.text();
    assert!(by_id(&html, "case-status", "</span>").contains("已答复"));
    assert!(html.contains("在答复期限内答复"));
    assert!(
        !html.contains("id=\"case-forms\""),
        "a closed case offers no forms"
    );

    // A second case, still open at the end of 2025 (received Mon 2025-12-01).
    let second = [
        ("csrf", a.csrf.as_str()),
        ("agency", "A"),
        ("number", "依申请-2"),
        ("applicant_type", "legal_service_organization"),
        ("received", "2025-12-01"),
    ];
    let page = send(&app, "POST", "/register/new", &a.cookie, &form(&second)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());

    // The 2025 tables: 一、本年新收 自然人 1, 法律服务机构 1, 总计 2; （一）予以公开 自然人 1;
    // 四、结转下年度 法律服务机构 1.
    let tables = send(&app, "GET", "/register/A/tables/2025", &a.cookie, "")
        .await
        .text();
    let cell = |id: &str| by_id(&tables, &format!("cell-requests.{id}"), "</td>").to_owned();
    for (id, value) in [
        ("new_received.natural_person", "1"),
        ("new_received.legal_service_organization", "1"),
        ("new_received.total", "2"),
        ("granted.natural_person", "1"),
        ("granted.total", "1"),
        ("carried_forward.legal_service_organization", "1"),
        ("carried_forward.natural_person", "0"),
    ] {
        let td = cell(id);
        assert_eq!(text_of(&td), value, "{id}: {td}");
    }
    assert!(by_id(&tables, "counting-rules", "</ul>").contains("结转下年度"));
    // The number links to the cases behind it.
    let granted = cell("granted.natural_person");
    let href = granted
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a link")
        .replace("&amp;", "&");
    let behind = send(&app, "GET", &href, &a.cookie, "").await;
    assert_eq!(behind.status, StatusCode::OK, "{href}");
    let behind = behind.text();
    assert!(by_id(&behind, "cell-cases", "</table>").contains(NUMBER));
    assert!(!by_id(&behind, "cell-cases", "</table>").contains("依申请-2"));
    // A 0 has no link.
    assert!(!cell("carried_forward.natural_person").contains("href"));

    // The list: colour by status, search.
    let list = send(&app, "GET", "/register?q=%E5%BC%A0%E4%B8%89", &a.cookie, "")
        .await
        .text();
    let rows = by_id(&list, "register-list", "</table>");
    assert!(rows.contains("class=\"case st-answered\"") && rows.contains(NUMBER));
    assert!(
        !rows.contains("依申请-2"),
        "the search for 张三 finds one case"
    );

    // The supervisor of the city: counts, dates, no personal data, no recording.
    let html = send(&app, "GET", "/register?agency=A", &sup.cookie, "")
        .await
        .text();
    assert!(by_id(&html, "register-counts", "</table>").contains("某市甲局"));
    assert!(html.contains(NUMBER));
    assert!(!html.contains("张三丰") && !html.contains("拆迁"));
    let searched = send(
        &app,
        "GET",
        "/register?agency=A&q=%E5%BC%A0%E4%B8%89",
        &sup.cookie,
        "",
    )
    .await
    .text();
    assert!(
        searched.contains("id=\"register-empty\""),
        "a supervisor cannot find a case by the applicant's name"
    );
    let case = send(&app, "GET", CASE, &sup.cookie, "").await.text();
    assert!(case.contains("2025年11月5日"));
    assert!(!case.contains("张三丰") && !case.contains("13800000000") && !case.contains("拆迁"));
    let page = send(&app, "GET", "/register/new", &sup.cookie, "").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = send(
        &app,
        "POST",
        "/register/A/cases/%E4%BE%9D%E7%94%B3%E8%AF%B7-2/events",
        &sup.cookie,
        &form(&[
            ("csrf", &sup.csrf),
            ("kind", "withdrawal"),
            ("date", "2025-12-02"),
        ]),
    )
    .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The supervisor's export is anonymised; staff's has the name.
    let xlsx = send(
        &app,
        "GET",
        "/register/export.xlsx?agency=A",
        &sup.cookie,
        "",
    )
    .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let strings = shared_strings(&xlsx.body);
    assert!(strings.contains("（已隐去）") && strings.contains(NUMBER));
    assert!(!strings.contains("张三丰") && !strings.contains("13800000000"));
    let xlsx = send(&app, "GET", "/register/export.xlsx?agency=A", &a.cookie, "").await;
    let strings = shared_strings(&xlsx.body);
    assert!(strings.contains("张三丰") && strings.contains("2025-11-05"));

    // Staff of another agency: the not-found page everywhere, nothing recorded.
    for path in [
        CASE,
        "/register/A/tables/2025",
        "/register/A/tables/2025/requests.granted.natural_person",
        "/register?agency=A",
        "/register/export.xlsx?agency=A",
    ] {
        let page = send(&app, "GET", path, &b.cookie, "").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.text().contains(NUMBER), "{path}");
    }
    let page = send(
        &app,
        "POST",
        "/register/A/cases/%E4%BE%9D%E7%94%B3%E8%AF%B7-2/events",
        &b.cookie,
        &form(&[
            ("csrf", &b.csrf),
            ("kind", "withdrawal"),
            ("date", "2025-12-02"),
        ]),
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let own = send(&app, "GET", "/register", &b.cookie, "").await.text();
    assert!(own.contains("id=\"register-empty\"") && !own.contains(NUMBER));
    let open = store
        .register_case(&a.user, agency_a, "依申请-2")
        .await
        .unwrap()
        .unwrap();
    assert!(open.case.events.is_empty());

    // Every change is in the audit log, with the user who made it.
    let log = store.audit_log(1000).await.unwrap();
    let by_a: Vec<&str> = log
        .iter()
        .filter(|e| e.actor == "staff-a" && e.action.starts_with("register.case"))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        by_a,
        [
            "register.case.add",
            "register.case.update",
            "register.case.update",
            "register.case.update",
            "register.case.add"
        ]
    );
}

/// The text of a `td` cut by [`by_id`] (from its `id` attribute): its content without tags.
fn text_of(td: &str) -> String {
    let content = &td[td.find('>').map_or(0, |i| i + 1)..];
    let mut out = String::new();
    let mut in_tag = false;
    for c in content.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The shared strings of a workbook.
fn shared_strings(xlsx: &[u8]) -> String {
    assert_eq!(&xlsx[..2], b"PK");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx.to_vec())).expect("a ZIP");
    let mut s = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").expect("strings"),
        &mut s,
    )
    .expect("read");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_pages_sqlite() {
    let f = support::sqlite().await;
    register_flow(f.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_pages_postgres() {
    let Some(f) = support::postgres("register_pages").await else {
        return;
    };
    register_flow(f.store.clone()).await;
    support::drop_postgres(f).await;
}

/// An overdue case is on the home page of its staff (and of the supervisor, without names); a
/// case of another agency is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_lists_overdue_and_due_cases() {
    let f = support::sqlite().await;
    let store = f.store.clone();
    let t = support::people(&store).await;
    let app = xxgk_server::router(store.clone());
    let a = sign_in(&store, &t.staff_a).await;
    let b = sign_in(&store, &t.staff_b).await;
    // Received 2025-01-02 and never answered: overdue on any later day with calendar data.
    let page = send(
        &app,
        "POST",
        "/register/new",
        &a.cookie,
        &form(&[
            ("csrf", &a.csrf),
            ("agency", "A"),
            ("number", "逾期-1"),
            ("applicant_type", "natural_person"),
            ("applicant", "李四"),
            ("received", "2025-01-02"),
        ]),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
    let home = send(&app, "GET", "/", &a.cookie, "").await.text();
    let due = by_id(&home, "home-due", "</table>");
    assert!(
        due.contains("逾期-1") && due.contains("st-overdue"),
        "{due}"
    );
    let home = send(&app, "GET", "/", &b.cookie, "").await.text();
    assert!(!home.contains("逾期-1"));
    assert!(home.contains("id=\"home-due-none\""));
}

/// A path built from a 编号 with a slash and spaces reaches its case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_with_slashes_reach_their_case() {
    let f = support::sqlite().await;
    let store = f.store.clone();
    let t = support::people(&store).await;
    let app = xxgk_server::router(store.clone());
    let a = sign_in(&store, &t.staff_a).await;
    let page = send(
        &app,
        "POST",
        "/register/new",
        &a.cookie,
        &form(&[
            ("csrf", &a.csrf),
            ("agency", "A"),
            ("number", "2025/第 3 号"),
            ("applicant_type", "other_organization"),
            ("received", "2025-03-03"),
        ]),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
    let location = page.location.expect("a location");
    assert_eq!(
        location,
        "/register/A/cases/2025%2F%E7%AC%AC%203%20%E5%8F%B7"
    );
    let html = send(&app, "GET", &location, &a.cookie, "").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.text().contains("2025/第 3 号"));
}

/// One API request with a bearer token and a JSON body: the status and the JSON answer.
async fn api(
    app: &axum::Router,
    method: &str,
    uri: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"));
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    let r = app
        .clone()
        .oneshot(
            b.body(Body::from(body.map(|v| v.to_string()).unwrap_or_default()))
                .expect("request"),
        )
        .await
        .expect("response");
    let status = r.status();
    let bytes = r.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

/// The JSON twin of the pages: the same checks and scopes (due dates as in the page test).
async fn register_api_flow(store: Store) {
    use serde_json::json;
    let t = support::people(&store).await;
    let app = xxgk_server::router(store.clone());
    let cases = "/api/v1/register/A/cases";
    let (status, created) = api(
        &app,
        "POST",
        cases,
        &t.staff_a,
        Some(
            json!({"number": "J-1", "applicant_type": "自然人", "applicant": "赵六",
            "received": "2025-09-22", "channel": "post"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["due"], "2025-10-24");
    assert_eq!(created["case"]["application"]["applicant_name"], "赵六");
    let events = "/api/v1/register/A/cases/J-1/events";
    let (status, after) = api(
        &app,
        "POST",
        events,
        &t.staff_a,
        Some(json!({"kind": "correction_notice", "date": "2025-09-24"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["status"], "paused");
    assert_eq!(after["due"], serde_json::Value::Null);
    let (_, after) = api(
        &app,
        "POST",
        events,
        &t.staff_a,
        Some(json!({"kind": "correction_received", "date": "2025-10-09"})),
    )
    .await;
    assert_eq!(after["due"], "2025-11-05");
    // An answer before the receipt: 400 with the reason, nothing stored.
    let (status, refused) = api(
        &app,
        "POST",
        events,
        &t.staff_a,
        Some(json!({"kind": "answer", "date": "2025-09-01", "outcome": "granted"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .contains("早于收到申请之日"));
    let (_, after) = api(
        &app,
        "POST",
        events,
        &t.staff_a,
        Some(
            json!({"kind": "answer", "date": "2025-10-30", "outcome": "部分公开",
            "withheld": "第三方商业秘密"}),
        ),
    )
    .await;
    assert_eq!(after["status"], "answered");

    // The list and the tables.
    let (status, list) = api(&app, "GET", &format!("{cases}?year=2025"), &t.staff_a, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["cases"][0]["outcome"], "partially_granted");
    assert_eq!(list["cases"][0]["applicant"], "赵六");
    let (status, tables) = api(
        &app,
        "GET",
        "/api/v1/register/A/tables/2025",
        &t.staff_a,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{tables}");
    assert_eq!(
        tables["provenance"]["requests.partially_granted.natural_person"],
        json!(["J-1"])
    );
    let text = tables.to_string();
    assert!(text.contains("partially_granted"), "{text}");

    // The supervisor reads without personal data and may not record.
    let (status, seen) = api(
        &app,
        "GET",
        "/api/v1/register/A/cases/J-1",
        &t.supervisor,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["due"], "2025-11-05");
    assert_eq!(
        seen["case"]["application"]["applicant_name"],
        serde_json::Value::Null
    );
    assert!(!seen.to_string().contains("赵六"));
    let (_, list) = api(&app, "GET", cases, &t.supervisor, None).await;
    assert!(list["cases"][0].get("applicant").is_none());
    let (status, _) = api(
        &app,
        "POST",
        cases,
        &t.supervisor,
        Some(json!({"number": "J-2", "applicant_type": "其他", "received": "2025-09-22"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An administrator reads everything, without personal data, and records nothing.
    let actor = xxgk_store::Actor::command_line();
    store
        .add_user(
            &actor,
            &xxgk_store::NewUser {
                name: "root",
                password: "correct horse battery",
                role: xxgk_store::Role::Admin,
                agency_code: None,
            },
        )
        .await
        .unwrap();
    let admin = store.create_token(&actor, "root").await.unwrap().token;
    let (status, seen) = api(&app, "GET", "/api/v1/register/A/cases/J-1", &admin, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!seen.to_string().contains("赵六"), "{seen}");
    let (status, _) = api(
        &app,
        "POST",
        events,
        &admin,
        Some(json!({"kind": "withdrawal", "date": "2025-12-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Staff of B: 404 on every register endpoint of A, as for a missing agency.
    for (method, path, body) in [
        ("GET", cases.to_owned(), None),
        ("GET", "/api/v1/register/A/cases/J-1".to_owned(), None),
        ("GET", "/api/v1/register/A/tables/2025".to_owned(), None),
        (
            "POST",
            cases.to_owned(),
            Some(json!({"number": "J-3", "applicant_type": "其他", "received": "2025-09-22"})),
        ),
        (
            "POST",
            events.to_owned(),
            Some(json!({"kind": "withdrawal", "date": "2025-12-01"})),
        ),
        ("GET", "/api/v1/register/NOPE/cases".to_owned(), None),
    ] {
        let (status, body) = api(&app, method, &path, &t.staff_b, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert!(!body.to_string().contains("J-1"));
    }
    let agency_a = store.agency_by_code("A").await.unwrap().unwrap().id;
    let me = store.user_by_token(&t.staff_a).await.unwrap().unwrap();
    assert!(store
        .register_case(&me, agency_a, "J-3")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_api_sqlite() {
    let f = support::sqlite().await;
    register_api_flow(f.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_api_postgres() {
    let Some(f) = support::postgres("register_api").await else {
        return;
    };
    register_api_flow(f.store.clone()).await;
    support::drop_postgres(f).await;
}
