//! What the API tests share: a store on a fresh database (SQLite always; PostgreSQL when
//! `XXGK_TEST_POSTGRES_URL` is set, as in `crates/xxgk-store/tests`), the agencies, users and
//! tokens of the scoping tests, and requests sent in-process to the router.
#![allow(dead_code)]

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::{Connection, Executor};
use tower::ServiceExt;
use xxgk_store::{Actor, NewAgency, NewUser, Role, Store};

/// A store on a fresh database; the guard keeps the SQLite directory alive.
pub struct Fixture {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_data_dir(dir.path())
        .await
        .expect("open SQLite store");
    Fixture {
        store,
        url: format!(
            "sqlite://{}",
            dir.path().join(xxgk_store::DB_FILE).display()
        ),
        _dir: Some(dir),
    }
}

/// A fresh database on the test cluster, or `None` (with a note) when none is configured.
pub async fn postgres(test: &str) -> Option<Fixture> {
    let Ok(url) = std::env::var("XXGK_TEST_POSTGRES_URL") else {
        eprintln!("{test}: XXGK_TEST_POSTGRES_URL not set, PostgreSQL variant skipped");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!(
        "xxgk_api_{test}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let mut admin = sqlx::AnyConnection::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url.as_str(), String::new()),
    };
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    let url = format!("{base}/{name}{query}");
    let store = Store::open(&url).await.expect("open PostgreSQL store");
    Some(Fixture {
        store,
        url,
        _dir: None,
    })
}

/// Drops a test database after its test passed (a failed one is kept to look at).
pub async fn drop_postgres(f: Fixture) {
    f.store.close().await;
    let (Ok(admin_url), Some((_, name))) = (
        std::env::var("XXGK_TEST_POSTGRES_URL"),
        f.url.split('?').next().and_then(|u| u.rsplit_once('/')),
    ) else {
        return;
    };
    let mut admin = sqlx::AnyConnection::connect(&admin_url)
        .await
        .expect("connect");
    if let Err(e) = admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
    {
        eprintln!("test database {name} not dropped: {e}");
    }
    admin.close().await.ok();
}

/// The tokens of the scoping tests: a city (C) with two departments (A, B), a staff user of
/// each department, a supervisor of the city.
pub struct Tokens {
    pub staff_a: String,
    pub staff_b: String,
    pub supervisor: String,
}

pub async fn people(store: &Store) -> Tokens {
    let actor = Actor::command_line();
    for (code, name, parent) in [
        ("C", "某市人民政府", None),
        ("A", "某市甲局", Some("C")),
        ("B", "某市乙局", Some("C")),
    ] {
        store
            .add_agency(
                &actor,
                &NewAgency {
                    code,
                    name,
                    parent_code: parent,
                    kind: Default::default(),
                },
            )
            .await
            .expect("add agency");
    }
    for (name, role, agency) in [
        ("staff-a", Role::Staff, "A"),
        ("staff-b", Role::Staff, "B"),
        ("super-c", Role::Supervisor, "C"),
    ] {
        store
            .add_user(
                &actor,
                &NewUser {
                    name,
                    password: "correct horse battery",
                    role,
                    agency_code: Some(agency),
                },
            )
            .await
            .expect("add user");
    }
    let token = |name: &'static str| async move {
        store
            .create_token(&actor_of_cli(), name)
            .await
            .expect("create token")
            .token
    };
    Tokens {
        staff_a: token("staff-a").await,
        staff_b: token("staff-b").await,
        supervisor: token("super-c").await,
    }
}

fn actor_of_cli() -> Actor {
    Actor::command_line()
}

/// The corpus files the acceptance names: the five seeds and two real reports.
pub fn corpus() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("seeds"))
        .expect("corpus seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five seeds");
    files.push(root.join("real/huaian-city-2024.pdf"));
    files.push(root.join("real/shanghai-stcsm-2024.md"));
    files
}

/// The percent-encoding of a name for `X-Filename`.
pub fn encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A response: status and body.
pub struct Answer {
    pub status: StatusCode,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// Sends one request to the router.
pub async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    file_name: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    if let Some(n) = file_name {
        request = request.header("x-filename", encode(n));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Answer {
        status,
        body,
        content_type,
    }
}

/// Uploads a file as a user to an agency: the answer.
pub async fn upload(
    app: &axum::Router,
    token: &str,
    agency: &str,
    name: &str,
    bytes: Vec<u8>,
) -> Answer {
    send(
        app,
        "POST",
        &format!("/api/v1/reports?agency={agency}"),
        Some(token),
        Some(name),
        bytes,
    )
    .await
}
