//! The report list with 100,000 reports: fills a store fast (`Store::add_reports_bulk`, batched
//! transactions) and times N list requests through the router in-process (the JSON API, the
//! same store queries as the page), with a mix of filters, as an administrator (the whole tree)
//! and as the supervisor of one city. Prints the median and p99 per caller. Not a test.
//!
//!     cargo run --release -p xxgk-server --example list_bench -- [sqlite|postgres://…] [REPORTS] [N]
//!
//! With `sqlite` (the default) the store is a fresh data directory in a temporary directory;
//! with a PostgreSQL URL, that database must be empty (a fresh one: `createdb …`).

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use xxgk_store::{Actor, AgencyKind, NewAgency, NewReport, NewUser, ReportStatus, Role, Store};

const RULES: [&str; 12] = [
    "T3-BALANCE",
    "T3-TOTAL",
    "T2-SUM",
    "VALUE-NEGATIVE",
    "DATE-PUBLISHED-LATE",
    "TEXT-RECEIVED",
    "STRUCT-PART-MISSING",
    "FORMAT-TABLE-TITLE",
    "READ-ROW-MISSING",
    "T4-TOTAL",
    "CROSS-CARRY-OVER",
    "T1-COLUMN",
];

/// One report to store: agency, year, extract, findings, file bytes, errors, warnings,
/// unreadable.
type Row = (i64, i32, String, String, String, i64, i64, bool);

/// A small deterministic generator (xorshift), so that every run stores the same data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().cloned().unwrap_or_else(|| "sqlite".to_owned());
    let wanted: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir()?;
    let store = if target == "sqlite" {
        Store::open_data_dir(dir.path()).await?
    } else {
        Store::open(&target).await?
    };
    let cli = Actor::command_line();

    // The tree: a province, 20 cities, 20 counties each, 24 townships and departments each:
    // 10,021 agencies; ten years of reports each (2015–2024) is 100,210 reports.
    let t = Instant::now();
    let mut leaves = Vec::new();
    let add = |code: String, name: String, parent: Option<String>, kind| {
        let store = store.clone();
        let cli = cli.clone();
        async move {
            store
                .add_agency(
                    &cli,
                    &NewAgency {
                        code: &code,
                        name: &name,
                        parent_code: parent.as_deref(),
                        kind,
                    },
                )
                .await
        }
    };
    let province = add(
        "P".into(),
        "某省人民政府".into(),
        None,
        AgencyKind::Government,
    )
    .await?;
    let mut all = vec![province.id];
    'tree: for c in 0..20 {
        let city = format!("P{c:02}");
        all.push(
            add(
                city.clone(),
                format!("某省第{c}市人民政府"),
                Some("P".into()),
                AgencyKind::Government,
            )
            .await?
            .id,
        );
        for k in 0..20 {
            let county = format!("{city}{k:02}");
            all.push(
                add(
                    county.clone(),
                    format!("第{c}市第{k}县人民政府"),
                    Some(city.clone()),
                    AgencyKind::Government,
                )
                .await?
                .id,
            );
            for d in 0..24 {
                let a = add(
                    format!("{county}{d:02}"),
                    format!("第{c}市第{k}县第{d}局"),
                    Some(county.clone()),
                    AgencyKind::Department,
                )
                .await?;
                leaves.push(a.id);
                all.push(a.id);
                if all.len() * 10 >= wanted {
                    break 'tree;
                }
            }
        }
    }
    eprintln!("{} agencies in {:.1?}", all.len(), t.elapsed());

    let t = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut rows: Vec<Row> = Vec::new();
    for &agency in &all {
        for year in 2015..2025 {
            if rows.len() >= wanted {
                break;
            }
            let unreadable = rng.below(50) == 0;
            let format = match year {
                2021.. => "2021",
                2019 | 2020 => "2019",
                _ => "pre-2019",
            };
            let mut findings = Vec::new();
            let (mut errors, mut warnings) = (0, 0);
            for _ in 0..rng.below(4) {
                let rule = RULES[rng.below(RULES.len() as u64) as usize];
                let error = rng.below(3) == 0;
                if error {
                    errors += 1;
                } else {
                    warnings += 1;
                }
                findings.push(serde_json::json!({"rule": rule,
                    "severity": if error { "error" } else { "warning" },
                    "message": "表三第一行与各项之和不符", "cells": ["t3.r1.c1"],
                    "expected": "12", "found": "13", "spans": [{"line": 40}]}));
            }
            let extract = serde_json::json!({"format": format, "year": year,
                "agency": format!("机构{agency}")})
            .to_string();
            rows.push((
                agency,
                year,
                extract,
                serde_json::Value::Array(findings).to_string(),
                format!("{agency}-{year}"),
                errors,
                warnings,
                unreadable,
            ));
        }
    }
    for chunk in rows.chunks(2_000) {
        let batch: Vec<NewReport> = chunk
            .iter()
            .map(
                |(agency, year, extract, findings, bytes, errors, warnings, unreadable)| {
                    NewReport {
                        agency_id: *agency,
                        year: Some(*year),
                        file_name: "年报.txt",
                        bytes: bytes.as_bytes(),
                        status: if *unreadable {
                            ReportStatus::Unreadable
                        } else {
                            ReportStatus::Ready
                        },
                        unreadable_reason: unreadable.then_some("无法读取"),
                        extract_json: (!unreadable).then_some(extract.as_str()),
                        findings_json: Some(findings.as_str()),
                        error_count: *errors,
                        warning_count: *warnings,
                    }
                },
            )
            .collect();
        store.add_reports_bulk(&cli, &batch).await?;
    }
    eprintln!("{} reports in {:.1?}", rows.len(), t.elapsed());
    if std::env::var_os("XXGK_BENCH_NO_OPTIMIZE").is_none() {
        let t = Instant::now();
        store.optimize().await?;
        eprintln!("planner statistics in {:.1?}", t.elapsed());
    }

    for (name, role, agency) in [
        ("bench-admin", Role::Admin, None),
        ("bench-city", Role::Supervisor, Some("P03")),
    ] {
        store
            .add_user(
                &cli,
                &NewUser {
                    name,
                    password: "benchmark password",
                    role,
                    agency_code: agency,
                },
            )
            .await?;
    }
    let app = xxgk_server::router(store.clone());
    let queries = [
        "",
        "?year=2023",
        "?format=2019",
        "?errors=yes",
        "?errors=no&year=2024",
        "?rule=T3-BALANCE",
        "?rule=CROSS-CARRY-OVER&year=2022",
        "?agency=P05",
        "?agency=P0707",
        "?status=unreadable",
        "?sort=errors&order=desc",
        "?sort=uploaded&order=desc",
        "?sort=agency",
        "?page=37",
        "?versions=all&sort=year",
        "?format=2021&errors=yes&sort=errors&order=desc&page=3",
    ];
    println!(
        "backend: {target}; reports: {}; requests: {n} per caller",
        rows.len()
    );
    for user in ["bench-admin", "bench-city"] {
        let token = store.create_token(&cli, user).await?.token;
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let uri = format!("/api/v1/reports{}", queries[i % queries.len()]);
            let request = Request::get(&uri)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())?;
            let t = Instant::now();
            let response = app.clone().oneshot(request).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if status != StatusCode::OK {
                return Err(format!("{uri}: {status} {}", String::from_utf8_lossy(&body)).into());
            }
        }
        let mut per_query: Vec<(f64, &str)> = queries
            .iter()
            .enumerate()
            .map(|(q, text)| {
                let mut own: Vec<f64> = times
                    .iter()
                    .skip(q)
                    .step_by(queries.len())
                    .copied()
                    .collect();
                own.sort_by(f64::total_cmp);
                (own.get(own.len() / 2).copied().unwrap_or(0.0), *text)
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let at =
            |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
        println!(
            "{user}: median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            at(0.5),
            at(0.99),
            times[times.len() - 1]
        );
        per_query.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, q) in per_query.iter().take(4) {
            println!("  slowest: {ms:.1} ms  {q}");
        }
    }
    // The page itself (HTML, with the filter form's agencies and years), as the administrator.
    let admin = store
        .user_by_name("bench-admin")
        .await?
        .ok_or("no bench-admin")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let session = store.create_session(&admin, now, 3600).await?;
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let uri = format!("/reports{}", queries[i % queries.len()]);
        let request = Request::get(&uri)
            .header("cookie", format!("xxgk_session={}", session.cookie))
            .body(Body::empty())?;
        let t = Instant::now();
        let response = app.clone().oneshot(request).await?;
        let status = response.status();
        let _ = response.into_body().collect().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if status != StatusCode::OK {
            return Err(format!("{uri}: {status}").into());
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "page /reports (bench-admin): median {:.1} ms, p99 {:.1} ms",
        at(0.5),
        at(0.99)
    );
    store.close().await;
    Ok(())
}
