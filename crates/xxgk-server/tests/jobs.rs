//! Batch uploads and background jobs, in-process, on SQLite and (with `XXGK_TEST_POSTGRES_URL`)
//! PostgreSQL: a ZIP of the five seeds with junk entries, each file's result, the job's
//! scoping (another agency's staff → 404), the agency matched from the report's own name and
//! confirmed later, the content checks of uploads (415, 400), zip-bomb limits, a job resumed
//! after its worker died (no file stored twice) and a graceful stop of the workers.

mod support;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;
use support::{send, Tokens};
use xxgk_store::{Actor, JobOutcome, NewAgency, ReportResult, ReportStatus, Store};

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let f: super::support::Fixture = super::support::sqlite().await;
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

both!(zip_of_seeds_with_junk);
both!(agency_matched_from_the_report);
both!(content_checks_and_limits);
both!(stale_job_is_resumed_without_duplicates);
both!(graceful_stop_releases_the_job);
both!(multipart_batch);

/// The five seeds: (name, bytes).
fn seeds() -> Vec<(String, Vec<u8>)> {
    support::corpus()
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("seeds"))
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_owned();
            (name, std::fs::read(&p).expect("seed"))
        })
        .collect()
}

/// A ZIP of `(name, bytes)` entries (deflated).
fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options).expect("entry");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

async fn post(
    app: &axum::Router,
    uri: &str,
    token: &str,
    name: Option<&str>,
    body: Vec<u8>,
) -> support::Answer {
    send(app, "POST", uri, Some(token), name, body).await
}

async fn get_job(app: &axum::Router, token: &str, id: i64) -> support::Answer {
    send(
        app,
        "GET",
        &format!("/api/v1/jobs/{id}"),
        Some(token),
        None,
        vec![],
    )
    .await
}

/// Polls a job until it is done (at most about two minutes: a bound, not a speed test).
async fn wait_done(app: &axum::Router, token: &str, id: i64) -> Value {
    for _ in 0..1200 {
        let job = get_job(app, token, id).await;
        assert_eq!(job.status, StatusCode::OK);
        let job = job.json();
        if job["status"] == "done" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {id} did not finish");
}

fn workers(store: &Store) -> xxgk_server::jobs::Workers {
    xxgk_server::jobs::spawn_workers(store.clone(), 2, Arc::default())
}

fn file<'a>(job: &'a Value, name: &str) -> &'a Value {
    job["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} listed"))
}

async fn zip_of_seeds_with_junk(store: &Store) {
    let tokens: Tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    let running = workers(store);
    let mut entries: Vec<(String, Vec<u8>)> = seeds()
        .into_iter()
        .map(|(name, bytes)| (format!("年报/2024/{name}"), bytes))
        .collect();
    entries.push((
        "__MACOSX/年报/._000.txt".into(),
        b"\x00\x05\x16\x07".to_vec(),
    ));
    entries.push((
        "年报/扫描件.png".into(),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
    ));
    entries.push(("年报/坏文件.txt".into(), b"\x00\x01\x02\x03".to_vec()));
    let body = zip(&entries);

    let accepted = post(
        &app,
        "/api/v1/uploads?agency=A",
        &tokens.staff_a,
        Some("批量.zip"),
        body.clone(),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    let accepted = accepted.json();
    assert_eq!(accepted["status"], "queued");
    let id = accepted["job"].as_i64().expect("job id");

    // Scoping: another agency's staff gets 404, as for a job that does not exist; the
    // supervisor of the city sees it; no token is 401.
    let other = get_job(&app, &tokens.staff_b, id).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let missing = get_job(&app, &tokens.staff_b, 999_999).await;
    assert_eq!(other.body, missing.body);
    assert_eq!(
        get_job(&app, &tokens.supervisor, id).await.status,
        StatusCode::OK
    );
    let anonymous = send(
        &app,
        "GET",
        &format!("/api/v1/jobs/{id}"),
        None,
        None,
        vec![],
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let job = wait_done(&app, &tokens.staff_a, id).await;
    assert_eq!(job["progress"]["total"], 8);
    assert_eq!(job["progress"]["done"], 8);
    assert_eq!(job["files"].as_array().expect("files").len(), 8);
    for (name, bytes) in seeds() {
        let f = file(&job, &format!("年报/2024/{name}"));
        assert_eq!(f["status"], "read", "{name}");
        assert_eq!(f["agency"], "A");
        let report = f["report"].as_i64().expect("report id");
        let findings = send(
            &app,
            "GET",
            &format!("/api/v1/reports/{report}/findings"),
            Some(&tokens.staff_a),
            None,
            vec![],
        )
        .await;
        assert_eq!(findings.status, StatusCode::OK);
        assert_eq!(
            findings.json(),
            Value::Array(xxgk_server::process(&bytes, &name).findings)
        );
        let hidden = send(
            &app,
            "GET",
            &format!("/api/v1/reports/{report}"),
            Some(&tokens.staff_b),
            None,
            vec![],
        )
        .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    }
    let mac = file(&job, "__MACOSX/年报/._000.txt");
    assert_eq!(mac["status"], "skipped");
    assert_eq!(mac["report"], Value::Null);
    let png = file(&job, "年报/扫描件.png");
    assert_eq!(png["status"], "skipped");
    assert!(png["reason"].as_str().is_some_and(|r| r.contains("图片")));
    let bad = file(&job, "年报/坏文件.txt");
    assert_eq!(bad["status"], "unreadable");
    assert!(bad["report"].as_i64().is_some());
    assert_eq!(job["summary"]["read"], 5);
    assert_eq!(job["summary"]["skipped"], 2);
    assert_eq!(job["summary"]["unreadable"], 1);
    // A page of the files; none (to poll the progress).
    let page = send(
        &app,
        "GET",
        &format!("/api/v1/jobs/{id}?offset=5&limit=2"),
        Some(&tokens.staff_a),
        None,
        vec![],
    )
    .await
    .json();
    let names: Vec<&str> = page["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["__MACOSX/年报/._000.txt", "年报/扫描件.png"]);
    let bare = send(
        &app,
        "GET",
        &format!("/api/v1/jobs/{id}?limit=0"),
        Some(&tokens.staff_a),
        None,
        vec![],
    )
    .await
    .json();
    assert_eq!(bare["files"], serde_json::json!([]));
    assert_eq!(bare["progress"]["done"], 8);

    // The same ZIP again, sent to the single-file endpoint: 202 with a job, every report a
    // duplicate of the one already stored.
    let again = post(
        &app,
        "/api/v1/reports?agency=A",
        &tokens.staff_a,
        Some("批量.zip"),
        body,
    )
    .await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    let again = wait_done(
        &app,
        &tokens.staff_a,
        again.json()["job"].as_i64().expect("id"),
    )
    .await;
    for (name, _) in seeds() {
        let f = file(&again, &format!("年报/2024/{name}"));
        assert_eq!(f["status"], "duplicate", "{name}");
        assert_eq!(
            f["report"],
            file(&job, &format!("年报/2024/{name}"))["report"]
        );
    }
    running.shutdown().await;
}

async fn add_agency(store: &Store, code: &str, name: &str) {
    store
        .add_agency(
            &Actor::command_line(),
            &NewAgency {
                code,
                name,
                parent_code: Some("C"),
                kind: Default::default(),
            },
        )
        .await
        .expect("agency");
}

async fn agency_matched_from_the_report(store: &Store) {
    let tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    let running = workers(store);
    let seeds = seeds();
    let agencies: Vec<String> = seeds
        .iter()
        .map(|(n, b)| {
            xxgk_read::read(b, Some(n))
                .expect("seed reads")
                .meta
                .agency
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        agencies,
        [
            "昌乐县知识产权事业发展中心",
            "昌乐县知识产权保护中心",
            "广州开发区知识产权局",
            "济宁高新区科技创新局",
            "卫东区工业和信息化局",
        ]
    );
    add_agency(store, "M0", "昌乐县知识产权事业发展中心").await; // the same name
    add_agency(store, "M1", "潍坊市昌乐县知识产权保护中心").await; // with a region prefix
    add_agency(store, "M2a", "广州开发区知识产权局").await; // two of that name
    add_agency(store, "M2b", "广州开发区知识产权局").await;
    add_agency(store, "M4", "卫东区工信局").await; // an abbreviation of the catalogue
                                                   // (seed 3's agency is nowhere in the tree)

    let body = zip(&seeds);
    let accepted = post(
        &app,
        "/api/v1/uploads",
        &tokens.supervisor,
        Some("s.zip"),
        body.clone(),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    let id = accepted.json()["job"].as_i64().expect("id");
    let job = wait_done(&app, &tokens.supervisor, id).await;
    let status = |i: usize| file(&job, &seeds[i].0).clone();
    assert_eq!(
        (status(0)["status"].clone(), status(0)["agency"].clone()),
        ("read".into(), "M0".into())
    );
    assert_eq!(
        (status(1)["status"].clone(), status(1)["agency"].clone()),
        ("read".into(), "M1".into())
    );
    assert_eq!(
        (status(4)["status"].clone(), status(4)["agency"].clone()),
        ("read".into(), "M4".into())
    );
    let several = status(2);
    assert_eq!(several["status"], "needs-agency");
    let codes: Vec<&str> = several["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.contains(&"M2a") && codes.contains(&"M2b"));
    let none = status(3);
    assert_eq!(none["status"], "needs-agency");
    assert_eq!(none["candidates"], serde_json::json!([]));
    assert_eq!(none["report"], Value::Null);

    // Confirmed later: stored there, read and checked.
    let n = none["n"].as_i64().expect("n");
    let confirm = |token: &str, code: &str| {
        let uri = format!("/api/v1/jobs/{id}/files/{n}/agency?agency={code}");
        let app = app.clone();
        let token = token.to_owned();
        async move { post(&app, &uri, &token, None, vec![]).await }
    };
    // Another agency's staff cannot see the job: 404.
    assert_eq!(
        confirm(&tokens.staff_b, "B").await.status,
        StatusCode::NOT_FOUND
    );
    // An agency outside the tree: 404.
    assert_eq!(
        confirm(&tokens.supervisor, "NOPE").await.status,
        StatusCode::NOT_FOUND
    );
    let done = confirm(&tokens.supervisor, "A").await;
    assert_eq!(done.status, StatusCode::OK);
    let done = done.json();
    assert_eq!(done["status"], "read");
    assert_eq!(done["agency"], "A");
    let report = done["report"].as_i64().expect("report");
    let meta = send(
        &app,
        "GET",
        &format!("/api/v1/reports/{report}"),
        Some(&tokens.staff_a),
        None,
        vec![],
    )
    .await;
    assert_eq!(meta.json()["year"], 2024);
    assert_eq!(meta.json()["file_name"], seeds[3].0.as_str());
    // Twice: the file no longer waits.
    assert_eq!(
        confirm(&tokens.supervisor, "A").await.status,
        StatusCode::CONFLICT
    );

    // Staff always upload to their own agency, whatever the report names.
    let accepted = post(
        &app,
        "/api/v1/uploads",
        &tokens.staff_a,
        Some("s.zip"),
        zip(&seeds[..1]),
    )
    .await;
    let job = wait_done(
        &app,
        &tokens.staff_a,
        accepted.json()["job"].as_i64().expect("id"),
    )
    .await;
    assert_eq!(file(&job, &seeds[0].0)["agency"], "A");
    assert_eq!(file(&job, &seeds[0].0)["status"], "read");

    // One file with no agency named, by the supervisor: matched in a job too (202).
    let single = post(
        &app,
        "/api/v1/reports",
        &tokens.supervisor,
        Some(&seeds[4].0),
        seeds[4].1.clone(),
    )
    .await;
    assert_eq!(single.status, StatusCode::ACCEPTED);
    let job = wait_done(
        &app,
        &tokens.supervisor,
        single.json()["job"].as_i64().expect("id"),
    )
    .await;
    assert_eq!(file(&job, &seeds[4].0)["status"], "duplicate");
    assert_eq!(file(&job, &seeds[4].0)["agency"], "M4");
    running.shutdown().await;
}

async fn content_checks_and_limits(store: &Store) {
    let tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    for (body, kind) in [
        (b"\x7fELF\x02\x01\x01\x00".to_vec(), "可执行文件"),
        (b"MZ\x90\x00\x03\x00".to_vec(), "可执行文件"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "图片"),
        (b"\xFF\xD8\xFF\xE0\x00\x10JFIF".to_vec(), "图片"),
        (b"\x1f\x8b\x08\x00\x00\x00".to_vec(), "gzip"),
    ] {
        for uri in ["/api/v1/reports?agency=A", "/api/v1/uploads?agency=A"] {
            let refused = post(&app, uri, &tokens.staff_a, Some("x.txt"), body.clone()).await;
            assert_eq!(
                refused.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{uri} {kind}"
            );
            let message = refused.json()["error"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(
                message.contains("不是年度报告") && message.contains(kind),
                "{message}"
            );
        }
    }
    for uri in ["/api/v1/reports?agency=A", "/api/v1/uploads?agency=A"] {
        let empty = post(&app, uri, &tokens.staff_a, Some("x.txt"), vec![]).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert_eq!(empty.json()["error"], "上传的文件是空的");
    }
    // Another agency in a batch: 404 like an unknown one.
    let other = post(
        &app,
        "/api/v1/uploads?agency=B",
        &tokens.staff_a,
        Some("x.zip"),
        zip(&seeds()[..1]),
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    // A batch may be larger than one file: the single-file limit does not apply to it.
    let small = xxgk_server::router_with_limit(store.clone(), 1024);
    // (seed 2: not the seed of the batch below, which must not be a duplicate of this one)
    let batch = zip(&seeds()[1..2]);
    assert!(batch.len() > 1024);
    let single = post(
        &small,
        "/api/v1/reports?agency=A",
        &tokens.staff_a,
        Some("x.zip"),
        batch.clone(),
    )
    .await;
    assert_eq!(single.status, StatusCode::PAYLOAD_TOO_LARGE);
    let queued = post(
        &small,
        "/api/v1/uploads?agency=A",
        &tokens.staff_a,
        None,
        batch,
    )
    .await;
    assert_eq!(queued.status, StatusCode::ACCEPTED);

    // Too many entries: refused before anything is stored.
    let many: Vec<(String, Vec<u8>)> = (0..=xxgk_server::upload::MAX_ZIP_ENTRIES)
        .map(|i| (format!("{i}.txt"), Vec::new()))
        .collect();
    let refused = post(
        &app,
        "/api/v1/uploads?agency=A",
        &tokens.staff_a,
        None,
        zip(&many),
    )
    .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.json()["error"]
        .as_str()
        .is_some_and(|m| m.contains("文件过多")));

    // A bomb entry (20 MB of zeros, ~1000:1) is skipped, the rest of the batch goes on. (Seed
    // 0: the batch queued above holds seed 1, and whichever worker records first, neither is
    // a duplicate of the other.)
    let mut entries = seeds()[..1].to_vec();
    entries.push(("炸弹.txt".into(), vec![b'0'; 20 * 1024 * 1024]));
    let accepted = post(
        &app,
        "/api/v1/uploads?agency=A",
        &tokens.staff_a,
        None,
        zip(&entries),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    let running = workers(store);
    let job = wait_done(
        &app,
        &tokens.staff_a,
        accepted.json()["job"].as_i64().expect("id"),
    )
    .await;
    let bomb = file(&job, "炸弹.txt");
    assert_eq!(bomb["status"], "skipped");
    assert!(bomb["reason"]
        .as_str()
        .is_some_and(|r| r.contains("压缩比")));
    assert_eq!(file(&job, &entries[0].0)["status"], "read");
    running.shutdown().await;
}

/// A job claimed by a worker that died after recording its first file: claimed again once its
/// heartbeat is stale, completed, and no file stored twice.
async fn stale_job_is_resumed_without_duplicates(store: &Store) {
    let tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    let seeds = seeds();
    let accepted = post(
        &app,
        "/api/v1/uploads?agency=A",
        &tokens.staff_a,
        None,
        zip(&seeds),
    )
    .await;
    let id = accepted.json()["job"].as_i64().expect("id");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs() as i64;
    // The dead worker claimed it long ago and stored file 1.
    let long_ago = now - 10 * xxgk_server::jobs::STALE_SECONDS;
    let claimed = store
        .claim_job("dead", long_ago, long_ago - 60)
        .await
        .expect("claim")
        .expect("a job");
    assert_eq!(claimed.id, id);
    let agency = store.agency_by_code("A").await.expect("agency").expect("A");
    let p = xxgk_server::process(&seeds[0].1, &seeds[0].0);
    let findings = serde_json::to_string(&p.findings).expect("json");
    let recorded = store
        .record_job_files(
            &Actor::command_line(),
            id,
            Some("dead"),
            &[JobOutcome::Store {
                n: 1,
                agency_id: agency.id,
                year: p.year,
                result: ReportResult {
                    status: ReportStatus::Ready,
                    unreadable_reason: None,
                    extract_json: p.extract_json.as_deref(),
                    findings_json: Some(&findings),
                    error_count: p.errors,
                    warning_count: p.warnings,
                },
            }],
        )
        .await
        .expect("record");
    assert!(recorded);
    // Its heartbeat was renewed when it recorded: make it stale again (the worker died).
    assert!(store
        .job_heartbeat(id, "dead", long_ago)
        .await
        .expect("heartbeat"));
    let first = get_job(&app, &tokens.staff_a, id).await.json();
    assert_eq!(first["status"], "running");
    assert_eq!(first["progress"]["done"], 1);
    let first_report = first["files"][0]["report"].clone();

    let running = workers(store);
    let job = wait_done(&app, &tokens.staff_a, id).await;
    running.shutdown().await;
    assert_eq!(job["files"][0]["report"], first_report);
    assert!(job["files"]
        .as_array()
        .expect("files")
        .iter()
        .all(|f| f["status"] == "read"));
    let a = store
        .user_by_name("staff-a")
        .await
        .expect("user")
        .expect("staff-a");
    let reports = store.reports(&a, &Default::default()).await.expect("list");
    assert_eq!(reports.len(), 5, "each seed stored once");
    // The dead worker can no longer record anything.
    assert!(!store
        .record_job_files(&Actor::command_line(), id, Some("dead"), &[])
        .await
        .expect("record"));
}

/// Stopping the workers mid-batch: the job is finished or put back in the queue, never left
/// claimed; started again, it completes with each file stored once.
async fn graceful_stop_releases_the_job(store: &Store) {
    let tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    let (name, seed) = seeds().swap_remove(0);
    let entries: Vec<(String, Vec<u8>)> = (0..300)
        .map(|i| {
            let mut bytes = seed.clone();
            bytes.extend_from_slice(format!("\n附：第 {i} 份\n").as_bytes());
            (format!("{i:03}-{name}"), bytes)
        })
        .collect();
    let accepted = post(
        &app,
        "/api/v1/uploads?agency=A",
        &tokens.staff_a,
        None,
        zip(&entries),
    )
    .await;
    let id = accepted.json()["job"].as_i64().expect("id");
    let running = workers(store);
    for _ in 0..600 {
        if get_job(&app, &tokens.staff_a, id).await.json()["status"] != "queued" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    running.shutdown().await;
    let job = store.job(id).await.expect("job").expect("exists");
    assert!(
        job.claimed_by.is_none() && job.state == xxgk_store::JobState::Queued
            || job.state == xxgk_store::JobState::Done,
        "{job:?}"
    );
    let running = workers(store);
    let done = wait_done(&app, &tokens.staff_a, id).await;
    running.shutdown().await;
    assert_eq!(done["progress"]["done"], 300);
    let a = store
        .user_by_name("staff-a")
        .await
        .expect("user")
        .expect("staff-a");
    let reports = store.reports(&a, &Default::default()).await.expect("list");
    assert_eq!(reports.len(), 300);
    let mut versions: Vec<i32> = reports.iter().map(|r| r.version).collect();
    versions.sort();
    assert_eq!(versions, (1..=300).collect::<Vec<i32>>());
}

/// `multipart/form-data` with several files: each a file of the job; a ZIP among them
/// unpacked under its name; an image skipped.
async fn multipart_batch(store: &Store) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    let seeds = seeds();
    let inner = zip(&[(format!("内层/{}", seeds[2].0), seeds[2].1.clone())]);
    let parts: Vec<(String, Vec<u8>)> = vec![
        (seeds[0].0.clone(), seeds[0].1.clone()),
        (seeds[1].0.clone(), seeds[1].1.clone()),
        ("照片.png".into(), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("合集.zip".into(), inner),
    ];
    let boundary = "xxgkBOUNDARY7d91";
    let mut body = Vec::new();
    // A form field without a file name is ignored.
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n说明\r\n")
            .as_bytes(),
    );
    for (name, bytes) in &parts {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/uploads?agency=A")
        .header("authorization", format!("Bearer {}", tokens.staff_a))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let answer: Value = serde_json::from_slice(
        &response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes(),
    )
    .expect("json");
    let id = answer["job"].as_i64().expect("id");
    let running = workers(store);
    let job = wait_done(&app, &tokens.staff_a, id).await;
    running.shutdown().await;
    assert_eq!(job["progress"]["total"], 4);
    assert_eq!(file(&job, &seeds[0].0)["status"], "read");
    assert_eq!(file(&job, &seeds[1].0)["status"], "read");
    assert_eq!(file(&job, "照片.png")["status"], "skipped");
    assert_eq!(
        file(&job, &format!("合集.zip/内层/{}", seeds[2].0))["status"],
        "read"
    );
}
