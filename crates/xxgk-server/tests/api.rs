//! The JSON API, in-process (`tower::ServiceExt::oneshot`), on SQLite and, when
//! `XXGK_TEST_POSTGRES_URL` is set, on PostgreSQL: the corpus files uploaded and read back
//! (`extract` as the reader renders it, `findings` as `xxgk_server::process` gives them; the
//! comparison with the `xxgk` binary itself is `crates/xxgk-cli/tests/serve.rs`), and the
//! scoping: another agency's staff gets 404 for every report endpoint, exactly like a missing
//! report; no token is 401.

mod support;

use axum::http::StatusCode;
use support::{send, upload, Fixture};
use xxgk_store::Store;

/// One test function, run on both backends.
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let f: super::Fixture = super::support::sqlite().await;
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

both!(corpus_round_trip_and_scoping);
both!(authentication_and_upload_refusals);

async fn corpus_round_trip_and_scoping(store: &Store) {
    let tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    let missing = send(
        &app,
        "GET",
        "/api/v1/reports/999999",
        Some(&tokens.staff_b),
        None,
        vec![],
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for path in support::corpus() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name")
            .to_owned();
        let bytes = std::fs::read(&path).expect("corpus file");
        let created = upload(&app, &tokens.staff_a, "A", &name, bytes.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{name}");
        let created = created.json();
        let id = created["id"].as_i64().expect("id");
        assert_eq!(created["status"], "ready", "{name}");

        let meta = send(
            &app,
            "GET",
            &format!("/api/v1/reports/{id}"),
            Some(&tokens.staff_a),
            None,
            vec![],
        )
        .await;
        assert_eq!(meta.status, StatusCode::OK);
        let meta = meta.json();
        assert_eq!(meta["id"], id);
        assert_eq!(meta["status"], "ready");
        assert_eq!(meta["agency"], "A");
        assert_eq!(meta["file_name"], name.as_str());

        // extract: what the reader gives for the file, rendered as `xxgk extract` renders it.
        let report = xxgk_read::read(&bytes, Some(&name)).expect("the corpus file reads");
        assert_eq!(meta["year"], serde_json::json!(report.meta.year));
        let mut expected =
            serde_json::to_vec_pretty(&xxgk_model::json::ReportJson(&report)).expect("render");
        expected.push(b'\n');
        let extract = send(
            &app,
            "GET",
            &format!("/api/v1/reports/{id}/extract"),
            Some(&tokens.staff_a),
            None,
            vec![],
        )
        .await;
        assert_eq!(extract.status, StatusCode::OK);
        assert!(extract
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("application/json")));
        assert!(extract.body == expected, "{name}: extract differs");
        assert_eq!(extract.json()["source"], name.as_str());

        let findings = send(
            &app,
            "GET",
            &format!("/api/v1/reports/{id}/findings"),
            Some(&tokens.staff_a),
            None,
            vec![],
        )
        .await;
        assert_eq!(findings.status, StatusCode::OK);
        assert_eq!(
            findings.json(),
            serde_json::Value::Array(xxgk_server::process(&bytes, &name).findings),
            "{name}"
        );

        // The supervisor of the city sees the department's report.
        let seen = send(
            &app,
            "GET",
            &format!("/api/v1/reports/{id}"),
            Some(&tokens.supervisor),
            None,
            vec![],
        )
        .await;
        assert_eq!(seen.status, StatusCode::OK);

        // Another department's staff: 404 everywhere, the same answer as a missing report.
        for suffix in ["", "/extract", "/findings"] {
            let other = send(
                &app,
                "GET",
                &format!("/api/v1/reports/{id}{suffix}"),
                Some(&tokens.staff_b),
                None,
                vec![],
            )
            .await;
            assert_eq!(other.status, StatusCode::NOT_FOUND, "{name}{suffix}");
            assert_eq!(other.body, missing.body);
            let anonymous = send(
                &app,
                "GET",
                &format!("/api/v1/reports/{id}{suffix}"),
                None,
                None,
                vec![],
            )
            .await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        }
    }
}

async fn authentication_and_upload_refusals(store: &Store) {
    let tokens = support::people(store).await;
    let app = xxgk_server::router_with_limit(store.clone(), 1024);
    let seed = support::corpus()[0].clone();
    let bytes = std::fs::read(&seed).expect("seed");

    // No token, a wrong token: 401 with a Chinese message.
    let anonymous = send(
        &app,
        "POST",
        "/api/v1/reports?agency=A",
        None,
        Some("a.txt"),
        b"x".to_vec(),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.json()["error"]
        .as_str()
        .is_some_and(|m| m.contains("令牌")));
    let wrong = send(
        &app,
        "GET",
        "/api/v1/reports/1",
        Some("xxgk_0000"),
        None,
        vec![],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    // Another agency, an unknown agency: 404, the same answer.
    let other = upload(&app, &tokens.staff_a, "B", "a.txt", b"x".to_vec()).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let unknown = upload(&app, &tokens.staff_a, "NOPE", "a.txt", b"x".to_vec()).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Too large: 413.
    assert!(bytes.len() > 1024);
    let large = upload(&app, &tokens.staff_a, "A", "big.txt", bytes).await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);

    // No name, no agency: 400.
    let unnamed = send(
        &app,
        "POST",
        "/api/v1/reports?agency=A",
        Some(&tokens.staff_a),
        None,
        b"x".to_vec(),
    )
    .await;
    assert_eq!(unnamed.status, StatusCode::BAD_REQUEST);
    // Staff who name no agency upload to their own.
    let own = upload(&app, &tokens.staff_a, "", "a.txt", b"x".to_vec()).await;
    assert_eq!(own.status, StatusCode::CREATED);
    assert_eq!(own.json()["agency"], "A");

    // A file that cannot be read is stored as unreadable, with the one READ-UNREADABLE finding;
    // a Chinese name survives the percent-encoding.
    let created = upload(
        &app,
        &tokens.staff_a,
        "A",
        "年报（无法读取）.txt",
        b"\x00\x01\x02".to_vec(),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let created = created.json();
    assert_eq!(created["status"], "unreadable");
    assert_eq!(created["file_name"], "年报（无法读取）.txt");
    // The year is unknown: null, not 0.
    assert!(created["year"].is_null());
    let id = created["id"].as_i64().expect("id");
    let findings = send(
        &app,
        "GET",
        &format!("/api/v1/reports/{id}/findings"),
        Some(&tokens.staff_a),
        None,
        vec![],
    )
    .await;
    assert_eq!(findings.json()[0]["rule"], "READ-UNREADABLE");
    let extract = send(
        &app,
        "GET",
        &format!("/api/v1/reports/{id}/extract"),
        Some(&tokens.staff_a),
        None,
        vec![],
    )
    .await;
    assert_eq!(extract.status, StatusCode::CONFLICT);

    // Not a number: a report that does not exist.
    let junk = send(
        &app,
        "GET",
        "/api/v1/reports/abc",
        Some(&tokens.staff_a),
        None,
        vec![],
    )
    .await;
    assert_eq!(junk.status, StatusCode::NOT_FOUND);
}
