//! The report API of the report page: `GET /api/v1/reports/{id}/versions`, `/diff?from=ID` and
//! `/file`, for every role (staff of the agency, staff of another agency, the supervisor of the
//! city, an administrator), without a token, for missing and malformed ids; on SQLite, and on
//! PostgreSQL with `XXGK_TEST_POSTGRES_URL`.

#[path = "support/report.rs"]
mod report_support;
mod support;

use axum::http::StatusCode;
use report_support::{get, seed, seed_002_changed, seed_002_filled, SEED_002};
use serde_json::{json, Value};
use xxgk_store::{Actor, NewUser, Role, Store};

/// One test function, run on both backends.
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

const NATURAL: &str = "requests.new_received.natural_person";
const BLANK: &str = "requests.unavailable_unclear_after_correction.natural_person";
const NOT_FOUND: &str = "报告不存在或无权查看";

async fn admin_token(store: &Store) -> String {
    let actor = Actor::command_line();
    store
        .add_user(
            &actor,
            &NewUser {
                name: "root",
                password: "correct horse battery",
                role: Role::Admin,
                agency_code: None,
            },
        )
        .await
        .expect("admin");
    store
        .create_token(&actor, "root")
        .await
        .expect("token")
        .token
}

async fn upload(app: &axum::Router, token: &str, agency: &str, name: &str, bytes: Vec<u8>) -> i64 {
    let a = support::upload(app, token, agency, name, bytes).await;
    assert_eq!(a.status, StatusCode::CREATED);
    a.json()["id"].as_i64().expect("id")
}

fn json_of(page: &report_support::Page) -> Value {
    serde_json::from_slice(&page.body).expect("JSON")
}

/// 404 with the one message, exactly like a missing report.
fn assert_not_found(page: &report_support::Page) {
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(json_of(page), json!({ "error": NOT_FOUND }));
}

async fn versions(store: &Store) {
    let t = support::people(store).await;
    let admin = admin_token(store).await;
    let app = xxgk_server::router(store.clone());
    let v1 = upload(&app, &t.staff_a, "A", "v1.txt", seed(SEED_002)).await;
    let v2 = upload(&app, &t.staff_a, "A", "v2.txt", seed_002_changed()).await;
    let other_year = upload(
        &app,
        &t.staff_a,
        "A",
        "2024.txt",
        seed("003_3dd38cd922b2f941.txt"),
    )
    .await;
    for (who, id) in [
        (&t.staff_a, v1),
        (&t.staff_a, v2),
        (&t.supervisor, v1),
        (&admin, v2),
    ] {
        let page = get(
            &app,
            &format!("/api/v1/reports/{id}/versions"),
            "",
            Some(who),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let list = json_of(&page);
        let list = list.as_array().expect("an array");
        // Newest first, both of agency A's 2023 report, not its 2024 one.
        let got: Vec<(i64, i64)> = list
            .iter()
            .map(|v| {
                (
                    v["id"].as_i64().unwrap_or(0),
                    v["version"].as_i64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(got, [(v2, 2), (v1, 1)]);
        assert_eq!(list[0]["uploaded_by"], "staff-a");
        assert_eq!(list[0]["file_name"], "v2.txt");
        assert_eq!(list[0]["year"], 2023);
        assert_eq!(list[0]["agency"], "A");
        assert_eq!(list[0]["status"], "ready");
        // v2 breaks two identities (see report_support::seed_002_changed); v1 none.
        assert_eq!(list[0]["errors"], 2);
        assert_eq!(list[1]["errors"], 0);
    }
    let single = get(
        &app,
        &format!("/api/v1/reports/{other_year}/versions"),
        "",
        Some(&t.staff_a),
    )
    .await;
    assert_eq!(json_of(&single).as_array().map(Vec::len), Some(1));
    // Another agency's staff, a missing id, a malformed id: the same 404; no token: 401.
    assert_not_found(
        &get(
            &app,
            &format!("/api/v1/reports/{v1}/versions"),
            "",
            Some(&t.staff_b),
        )
        .await,
    );
    assert_not_found(
        &get(
            &app,
            "/api/v1/reports/987654/versions",
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    assert_not_found(&get(&app, "/api/v1/reports/x1/versions", "", Some(&t.staff_a)).await);
    let anonymous = get(&app, &format!("/api/v1/reports/{v1}/versions"), "", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
both!(versions);

async fn diff(store: &Store) {
    let t = support::people(store).await;
    let admin = admin_token(store).await;
    let app = xxgk_server::router(store.clone());
    let v1 = upload(&app, &t.staff_a, "A", "v1.txt", seed(SEED_002)).await;
    let v2 = upload(&app, &t.staff_a, "A", "v2.txt", seed_002_changed()).await;
    let v3 = upload(&app, &t.staff_a, "A", "v3.txt", seed_002_filled()).await;
    let elsewhere = upload(&app, &t.staff_b, "B", "b.txt", seed(SEED_002)).await;

    for who in [&t.staff_a, &t.supervisor, &admin] {
        let page = get(
            &app,
            &format!("/api/v1/reports/{v2}/diff?from={v1}"),
            "",
            Some(who),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let d = json_of(&page);
        assert_eq!(d["from"], json!({"id": v1, "version": 1}));
        assert_eq!(d["to"], json!({"id": v2, "version": 2}));
        // The one cell changed by hand, 3 → 4, named by the catalogue's labels.
        assert_eq!(
            d["cells"],
            json!([{
                "id": NATURAL,
                "label": "表三“一、本年新收政府信息公开申请数量”行“自然人”列",
                "old": 3,
                "new": 4
            }])
        );
        // The two identities it breaks appeared (each naming the cell); nothing went away.
        let appeared = d["findings_appeared"].as_array().expect("array");
        let mut rules: Vec<&str> = appeared.iter().filter_map(|f| f["rule"].as_str()).collect();
        rules.sort_unstable();
        assert_eq!(rules, ["T3-BALANCE", "T3-ROW-TOTAL"]);
        for f in appeared {
            assert_eq!(f["severity"], "error");
            assert!(f["cells"]
                .as_array()
                .is_some_and(|c| c.contains(&json!(NATURAL))));
        }
        assert_eq!(d["findings_gone"], json!([]));
    }

    // Blank → number: v3 fills the one blank cell with 0; its VALUE-BLANK warning went away.
    let d = json_of(
        &get(
            &app,
            &format!("/api/v1/reports/{v3}/diff?from={v1}"),
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    assert_eq!(
        d["cells"],
        json!([{
            "id": BLANK,
            "label": "表三“（四）无法提供·3.补正后申请内容仍不明确”行“自然人”列",
            "old": null,
            "new": 0
        }])
    );
    assert_eq!(d["findings_appeared"], json!([]));
    let gone = d["findings_gone"].as_array().expect("array");
    assert!(gone
        .iter()
        .any(|f| f["rule"] == "VALUE-BLANK" && f["cells"] == json!([BLANK])));
    // The same version with itself: nothing.
    let d = json_of(
        &get(
            &app,
            &format!("/api/v1/reports/{v1}/diff?from={v1}"),
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    assert_eq!(d["cells"], json!([]));
    assert_eq!(d["findings_appeared"], json!([]));
    assert_eq!(d["findings_gone"], json!([]));

    // Either side outside the caller's scope, or missing: the same 404.
    assert_not_found(
        &get(
            &app,
            &format!("/api/v1/reports/{v2}/diff?from={v1}"),
            "",
            Some(&t.staff_b),
        )
        .await,
    );
    assert_not_found(
        &get(
            &app,
            &format!("/api/v1/reports/{v2}/diff?from={elsewhere}"),
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    assert_not_found(
        &get(
            &app,
            &format!("/api/v1/reports/{elsewhere}/diff?from={v2}"),
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    assert_not_found(
        &get(
            &app,
            &format!("/api/v1/reports/{v2}/diff?from=987654"),
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    assert_not_found(
        &get(
            &app,
            &format!("/api/v1/reports/{v2}/diff?from=abc"),
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    // The supervisor of the city sees both agencies: A's v2 against B's report is allowed.
    let cross = get(
        &app,
        &format!("/api/v1/reports/{v2}/diff?from={elsewhere}"),
        "",
        Some(&t.supervisor),
    )
    .await;
    assert_eq!(cross.status, StatusCode::OK);
    // No `from`: 400 with a Chinese message; no token: 401.
    let no_from = get(
        &app,
        &format!("/api/v1/reports/{v2}/diff"),
        "",
        Some(&t.staff_a),
    )
    .await;
    assert_eq!(no_from.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(&no_from),
        json!({"error": "缺少参数 from（比较的版本）"})
    );
    let anonymous = get(
        &app,
        &format!("/api/v1/reports/{v2}/diff?from={v1}"),
        "",
        None,
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // An unreadable version: no cells to compare (null), its findings compared.
    let bad = upload(
        &app,
        &t.staff_a,
        "A",
        "bad.xlsx",
        b"PK\x03\x04 xl/workbook.xml".to_vec(),
    )
    .await;
    let d = json_of(
        &get(
            &app,
            &format!("/api/v1/reports/{bad}/diff?from={v1}"),
            "",
            Some(&t.staff_a),
        )
        .await,
    );
    assert_eq!(d["cells"], Value::Null);
    assert!(d["findings_appeared"]
        .as_array()
        .is_some_and(|a| a.iter().any(|f| f["rule"] == "READ-UNREADABLE")));
}
both!(diff);

async fn file(store: &Store) {
    let t = support::people(store).await;
    let admin = admin_token(store).await;
    let app = xxgk_server::router(store.clone());
    let bytes = seed(SEED_002);
    let id = upload(&app, &t.staff_a, "A", "年报 2023.txt", bytes.clone()).await;
    for who in [&t.staff_a, &t.supervisor, &admin] {
        let page = get(&app, &format!("/api/v1/reports/{id}/file"), "", Some(who)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body, bytes);
        assert_eq!(
            page.header("content-type").as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(
            page.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        // 年 = E5 B9 B4, 报 = E6 8A A5; the space is %20; the ASCII fallback replaces the two.
        assert_eq!(
            page.header("content-disposition").as_deref(),
            Some("attachment; filename=\"__ 2023.txt\"; filename*=UTF-8''%E5%B9%B4%E6%8A%A5%202023.txt")
        );
    }
    assert_not_found(
        &get(
            &app,
            &format!("/api/v1/reports/{id}/file"),
            "",
            Some(&t.staff_b),
        )
        .await,
    );
    assert_not_found(&get(&app, "/api/v1/reports/987654/file", "", Some(&t.staff_a)).await);
    let anonymous = get(&app, &format!("/api/v1/reports/{id}/file"), "", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
both!(file);
