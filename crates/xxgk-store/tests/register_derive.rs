//! Store tests of the fast paths of the request register (issue 11, speed): the tables of a year
//! derived from the database's groups are those `xxgk_register::derive_tables` gives for the same
//! cases, on random registers; the cases behind one cell (`register_cell_cases`) for the pages.
//! SQLite always, PostgreSQL with `XXGK_TEST_POSTGRES_URL`.

use sqlx::{Connection, Executor};
use xxgk_model::catalogue::TableId;
use xxgk_model::CellId;
use xxgk_register::{
    derive_tables, AppealCase, AppealKind, AppealResult, ApplicantType, Application, Calendar,
    Case, Channel, Day, Event, Outcome,
};
use xxgk_store::{Actor, AgencyKind, Backend, NewAgency, NewUser, Role, Store, User};

/// A store on a fresh database; the guard keeps the SQLite directory alive.
struct Fixture {
    store: Store,
    url: String,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_data_dir(dir.path())
        .await
        .expect("open SQLite store");
    assert_eq!(store.backend(), Backend::Sqlite);
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
async fn postgres(test: &str) -> Option<Fixture> {
    let Ok(url) = std::env::var("XXGK_TEST_POSTGRES_URL") else {
        eprintln!("{test}: XXGK_TEST_POSTGRES_URL not set, PostgreSQL variant skipped");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!(
        "xxgk_{test}_{}_{}",
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
    assert_eq!(store.backend(), Backend::Postgres);
    Some(Fixture {
        store,
        url,
        _dir: None,
    })
}

/// Drops a test database after its test passed (a failed one is kept to look at).
async fn drop_postgres(f: Fixture) {
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
    // FORCE: the pool's connections may still be closing.
    if let Err(e) = admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
    {
        eprintln!("test database {name} not dropped: {e}");
    }
    admin.close().await.ok();
}

/// One test function, run on both backends.
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let f = super::sqlite().await;
                super::$name(&f.store, &f.url).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(f) = super::postgres(stringify!($name)).await {
                    super::$name(&f.store, &f.url).await;
                    super::drop_postgres(f).await;
                }
            }
        }
    };
}

fn cli() -> Actor {
    Actor::command_line()
}

async fn agency(store: &Store, code: &str, parent: Option<&str>) -> i64 {
    store
        .add_agency(
            &cli(),
            &NewAgency {
                code,
                name: code,
                parent_code: parent,
                kind: AgencyKind::Government,
            },
        )
        .await
        .expect("add agency")
        .id
}

async fn user(store: &Store, name: &str, role: Role, agency: &str) -> User {
    store
        .add_user(
            &cli(),
            &NewUser {
                name,
                password: "correct horse",
                role,
                agency_code: Some(agency),
            },
        )
        .await
        .expect("add user")
}

fn d(s: &str) -> Day {
    s.parse().expect("a date")
}

fn cal() -> Calendar {
    Calendar::shipped().expect("shipped calendar")
}

fn application(number: &str, kind: ApplicantType, received: Day) -> Application {
    Application {
        number: number.to_owned(),
        applicant_type: kind,
        applicant_name: format!("申请人{number}"),
        contact: String::new(),
        channel: Channel::Online,
        received,
        content: "某文件".to_owned(),
        form: String::new(),
    }
}

/// A random register (a fixed seed) over 2023–2025: open and answered cases of every type and
/// outcome, some withdrawn, some with a consultation, a few impossible (answered before they
/// were received: not counted, listed as excluded).
fn random_register(prefix: &str, n: usize, mut seed: u64) -> Vec<Case> {
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    let types: Vec<ApplicantType> = ApplicantType::all().collect();
    let outcomes: Vec<Outcome> = Outcome::all().collect();
    let first = d("2023-01-01");
    (0..n)
        .map(|i| {
            let received = first.plus(next(1095) as i32);
            let kind = types[next(types.len() as u64) as usize];
            let mut events = Vec::new();
            let mut last = received;
            if next(8) == 0 {
                let sent = received.plus(1 + next(5) as i32);
                events.push(Event::ConsultationSent {
                    date: sent,
                    kind: xxgk_register::ConsultKind::ThirdParty,
                    party: "第三方".to_owned(),
                });
                last = sent.plus(1 + next(20) as i32);
                events.push(Event::ConsultationReplied { date: last });
            }
            match next(10) {
                0 | 1 => {}
                2 => events.push(Event::Withdrawal {
                    date: last.plus(next(40) as i32),
                }),
                3 => events.push(Event::Answer {
                    // Impossible: before the receipt.
                    date: received.plus(-1 - next(10) as i32),
                    outcome: outcomes[0],
                    withheld: None,
                }),
                _ => {
                    let outcome = outcomes[next(outcomes.len() as u64) as usize];
                    events.push(Event::Answer {
                        date: last.plus(next(60) as i32),
                        outcome,
                        withheld: (outcome.key() == "partially_granted")
                            .then(|| "第三人信息".to_owned()),
                    });
                }
            }
            Case {
                application: application(&format!("{prefix}{i:04}"), kind, received),
                events,
            }
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn tables_match_derive_tables(store: &Store, _url: &str) {
    let a = agency(store, "A", None).await;
    let b = agency(store, "B", None).await;
    let admin = User::command_line();
    let today = d("2025-06-30");
    let mut cases = random_register("R", 600, 7);
    store
        .put_cases(&cli(), a, &cases, &cal(), today)
        .await
        .expect("put");
    // Another agency's cases never count for A.
    store
        .put_cases(&cli(), b, &random_register("R", 200, 8), &cal(), today)
        .await
        .expect("put");
    // A re-import where some cases changed (answered now, or later with another outcome).
    let changed = random_register("R", 600, 9);
    for i in (0..600).step_by(7) {
        cases[i].events = changed[i].events.clone();
        cases[i].application.received = changed[i].application.received;
    }
    store
        .put_cases(&cli(), a, &cases, &cal(), today)
        .await
        .expect("put again");
    let appeals = vec![
        AppealCase {
            number: "复议1".to_owned(),
            kind: AppealKind::Review,
            filed: d("2024-11-01"),
            concluded: Some((d("2025-02-01"), AppealResult::Corrected)),
        },
        AppealCase {
            number: "诉讼1".to_owned(),
            kind: AppealKind::LitigationDirect,
            filed: d("2025-05-01"),
            concluded: None,
        },
    ];
    for appeal in &appeals {
        store.put_appeal(&cli(), a, appeal).await.expect("appeal");
    }
    let mut counted = 0;
    for year in 2022..=2026 {
        let stored = store
            .register_tables(&admin, a, year)
            .await
            .expect("tables")
            .expect("visible")
            .expect("a format");
        let direct = derive_tables(year, &cases, &appeals, &cal()).expect("a format");
        assert_eq!(stored.report.cells, direct.report.cells, "cells of {year}");
        let counts = store
            .register_table_counts(&admin, a, year)
            .await
            .expect("counts")
            .expect("visible")
            .expect("a format");
        assert_eq!(counts.report.cells, direct.report.cells, "counts of {year}");
        assert!(counts.provenance.is_empty(), "counts come without numbers");
        assert_eq!(counts.excluded, stored.excluded, "excluded in {year}");
        // The store lists the cases not counted that the year could have counted (received by
        // 31 December, not closed before 1 January), derive_tables every one it was given.
        let (first, last) = (
            Day::from_ymd(year, 1, 1).expect("a day"),
            Day::from_ymd(year, 12, 31).expect("a day"),
        );
        let in_year: Vec<String> = direct
            .excluded
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| {
                cases.iter().any(|c| {
                    c.application.number == *n
                        && c.application.received <= last
                        && c.closing().is_none_or(|c| c.date >= first)
                })
            })
            .collect();
        assert_eq!(
            sorted(stored.excluded.iter().map(|(n, _)| n.clone()).collect()),
            sorted(in_year),
            "excluded in {year}"
        );
        for (id, numbers) in &direct.provenance {
            assert_eq!(
                sorted(stored.provenance[id].clone()),
                sorted(numbers.clone()),
                "cases behind {id:?} in {year}"
            );
            counted += numbers.len();
        }
    }
    assert!(counted > 1000, "the register counts somewhere ({counted})");
    let none = store
        .register_tables(&admin, a, 2018)
        .await
        .expect("tables")
        .expect("visible");
    assert!(none.is_err(), "no format before 2019");
}
both!(tables_match_derive_tables);

fn answered(number: &str, kind: &str, received: &str, date: &str, outcome: &str) -> Case {
    let outcome = Outcome::parse(outcome).expect("an outcome");
    Case {
        application: application(
            number,
            ApplicantType::parse(kind).expect("a type"),
            d(received),
        ),
        events: vec![Event::Answer {
            date: d(date),
            outcome,
            withheld: (outcome.key() == "partially_granted").then(|| "第三人信息".to_owned()),
        }],
    }
}

async fn cell_cases(store: &Store, _url: &str) {
    let root = agency(store, "ROOT", None).await;
    let a = agency(store, "A", Some("ROOT")).await;
    let b = agency(store, "B", Some("ROOT")).await;
    let _ = (root, b);
    let staff_a = user(store, "staff_a", Role::Staff, "A").await;
    let staff_b = user(store, "staff_b", Role::Staff, "B").await;
    let sup = user(store, "sup", Role::Supervisor, "ROOT").await;
    // 2025: R1 and R2 new (自然人), R2 answered 予以公开 in March, R1 open; R3 (商业企业)
    // received 2024-12-20 and answered 2025-01-10 部分公开: carried over into 2025.
    let cases = vec![
        Case {
            application: application(
                "R1",
                ApplicantType::parse("自然人").expect("a type"),
                d("2025-03-03"),
            ),
            events: Vec::new(),
        },
        answered("R2", "自然人", "2025-03-03", "2025-03-20", "予以公开"),
        answered("R3", "商业企业", "2024-12-20", "2025-01-10", "部分公开"),
        // The order of a cell: its cases grouped by outcome (open first), each group by
        // received date, then 编号. Z9 (open) and Z8 (予以公开) are received before R1 / R2; Z7
        // (received between them) is answered only in 2026, so open at the end of 2025 like R1
        // and Z9.
        Case {
            application: application(
                "Z9",
                ApplicantType::parse("自然人").expect("a type"),
                d("2025-01-02"),
            ),
            events: Vec::new(),
        },
        answered("Z8", "自然人", "2025-01-02", "2025-01-10", "予以公开"),
        answered("Z7", "自然人", "2025-02-03", "2026-01-05", "予以公开"),
    ];
    store
        .put_cases(&cli(), a, &cases, &cal(), d("2025-03-25"))
        .await
        .expect("put");
    let r = TableId::Requests;
    let id = |table, row, column| CellId { table, row, column };
    let get = |caller: User, cell: CellId, year: i32| async move {
        store
            .register_cell_cases(&caller, a, year, &cell)
            .await
            .expect("cell")
    };
    let numbers = |v: &[&str]| Some(v.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>());
    let cell = |row, column| id(r, row, column);
    assert_eq!(
        get(
            staff_a.clone(),
            cell("new_received", "natural_person"),
            2025
        )
        .await,
        numbers(&["Z9", "Z7", "R1", "Z8", "R2"])
    );
    assert_eq!(
        get(staff_a.clone(), cell("granted", "natural_person"), 2025).await,
        numbers(&["Z8", "R2"])
    );
    assert_eq!(
        get(staff_a.clone(), id(r, "carried_over", "total"), 2025).await,
        Some(vec!["R3".to_owned()])
    );
    assert_eq!(
        get(
            staff_a.clone(),
            id(r, "partially_granted", "commercial_enterprise"),
            2025
        )
        .await,
        Some(vec!["R3".to_owned()])
    );
    assert_eq!(
        get(
            staff_a.clone(),
            cell("carried_forward", "natural_person"),
            2025
        )
        .await,
        numbers(&["Z9", "Z7", "R1"])
    );
    assert_eq!(
        get(
            staff_a.clone(),
            id(r, "granted", "commercial_enterprise"),
            2025
        )
        .await,
        Some(Vec::new()),
        "a 0 has no case behind it"
    );
    // 2024: R3 new and carried forward.
    assert_eq!(
        get(
            staff_a.clone(),
            id(r, "carried_forward", "commercial_enterprise"),
            2024
        )
        .await,
        Some(vec!["R3".to_owned()])
    );
    // A supervisor above A sees the numbers (no personal data); staff of B does not see A,
    // exactly like a missing agency; a cell not in the year's tables and a year without a
    // format are not found either.
    assert_eq!(
        get(sup.clone(), id(r, "new_received", "total"), 2025).await,
        numbers(&["Z9", "Z7", "R1", "Z8", "R2"])
    );
    assert_eq!(
        get(staff_b.clone(), id(r, "new_received", "total"), 2025).await,
        None
    );
    assert_eq!(
        get(staff_a.clone(), id(r, "no_such_row", "total"), 2025).await,
        None
    );
    assert_eq!(
        get(staff_a.clone(), id(r, "new_received", "total"), 2018).await,
        None
    );
    let counts = store
        .register_table_counts(&staff_b, a, 2025)
        .await
        .expect("counts");
    assert!(counts.is_none(), "another agency's counts are not found");
    let counts = store
        .register_table_counts(&sup, a, 2025)
        .await
        .expect("counts")
        .expect("visible to the supervisor")
        .expect("a format");
    // 一 自然人: Z9, Z7, R1, Z8, R2; 二 商业企业: R3; 四 自然人: Z9, Z7, R1.
    let value = |row, column| counts.report.cells[&cell(row, column)].value.clone();
    assert_eq!(
        value("new_received", "natural_person"),
        xxgk_model::Value::int(5)
    );
    assert_eq!(
        value("carried_over", "commercial_enterprise"),
        xxgk_model::Value::int(1)
    );
    assert_eq!(value("carried_forward", "total"), xxgk_model::Value::int(3));
    let missing = store
        .register_cell_cases(&staff_a, 9999, 2025, &id(r, "new_received", "total"))
        .await
        .expect("cell");
    assert_eq!(missing, None);
}
both!(cell_cases);
