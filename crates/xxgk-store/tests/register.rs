//! Store tests of the request register (issue 11): cases and appeals stored, scoped reads
//! (supervisors never see names), audit entries with before/after hashes, recomputation, tables
//! derived from what is stored. SQLite always, PostgreSQL with `XXGK_TEST_POSTGRES_URL`.

use sqlx::{Connection, Executor};
use xxgk_model::catalogue::TableId;
use xxgk_model::CellId;
use xxgk_register::{
    AppealCase, AppealKind, AppealResult, ApplicantType, Application, Calendar, Case, Channel, Day,
    Event, Outcome, Status,
};
use xxgk_store::{
    Actor, AgencyKind, Backend, CaseFilter, NewAgency, NewUser, PutSummary, Role, Store, User,
};

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

fn case(number: &str, kind: &str, received: &str, answer: Option<(&str, &str)>) -> Case {
    Case {
        application: Application {
            number: number.to_owned(),
            applicant_type: ApplicantType::parse(kind).expect("a type"),
            applicant_name: format!("申请人{number}"),
            contact: "13800000000".to_owned(),
            channel: Channel::Online,
            received: d(received),
            content: "某文件".to_owned(),
            form: String::new(),
        },
        events: answer
            .map(|(date, outcome)| {
                let outcome = Outcome::parse(outcome).expect("an outcome");
                vec![Event::Answer {
                    date: d(date),
                    outcome,
                    withheld: (outcome.key() == "partially_granted")
                        .then(|| "第三人信息".to_owned()),
                }]
            })
            .unwrap_or_default(),
    }
}

fn cal() -> Calendar {
    Calendar::shipped().expect("shipped calendar")
}

fn cell(
    t: &xxgk_register::DerivedTables,
    table: TableId,
    row: &'static str,
    column: &'static str,
) -> Vec<String> {
    t.provenance
        .get(&CellId { table, row, column })
        .cloned()
        .unwrap_or_else(|| panic!("no cell {row}/{column}"))
}

async fn register(store: &Store, _url: &str) {
    let root = agency(store, "ROOT", None).await;
    let a = agency(store, "A", Some("ROOT")).await;
    let b = agency(store, "B", Some("ROOT")).await;
    let staff_a = user(store, "staff_a", Role::Staff, "A").await;
    let staff_b = user(store, "staff_b", Role::Staff, "B").await;
    let sup = user(store, "sup", Role::Supervisor, "ROOT").await;
    let _ = root;

    // R1 received Monday 2025-03-03, open: day 1 = 03-04; March 2025 has no holiday, so the
    // 20th working day is 03-31 (4 + 5 + 5 + 5 + 1). On 03-25 the days left after today are
    // 26, 27, 28, 31 = 4 (正常); on 03-26 three (临期).
    let cases = vec![
        case("R1", "自然人", "2025-03-03", None),
        case(
            "R2",
            "自然人",
            "2025-03-03",
            Some(("2025-03-20", "予以公开")),
        ),
        case(
            "R3",
            "商业企业",
            "2024-12-20",
            Some(("2025-01-10", "部分公开")),
        ),
    ];
    // First with no calendar at all: 日历缺失, no due date (never a guess).
    let sum = store
        .put_cases(&cli(), a, &cases, &Calendar::empty(), d("2025-03-25"))
        .await
        .expect("put");
    assert_eq!(
        sum,
        PutSummary {
            added: 3,
            updated: 0,
            unchanged: 0
        }
    );
    let r1 = store
        .register_case(&staff_a, a, "R1")
        .await
        .expect("read")
        .expect("visible to its staff");
    assert_eq!((r1.status, r1.due), (Status::CalendarMissing, None));

    // The calendar loaded: the open case is recomputed (R1), the closed ones are not touched.
    let changed = store
        .recompute_register(&cli(), &cal(), d("2025-03-25"), "日历数据更新")
        .await
        .expect("recompute");
    assert_eq!(changed, 1);
    let r1 = store
        .register_case(&staff_a, a, "R1")
        .await
        .expect("read")
        .expect("case");
    assert_eq!((r1.status, r1.due), (Status::Normal, Some(d("2025-03-31"))));
    let changed = store
        .recompute_register(&cli(), &cal(), d("2025-03-26"), "每日更新")
        .await
        .expect("recompute");
    assert_eq!(changed, 1);
    let r1 = store
        .register_case(&staff_a, a, "R1")
        .await
        .expect("read")
        .expect("case");
    assert_eq!(r1.status, Status::DueSoon);
    assert_eq!(r1.case.application.applicant_name, "申请人R1");

    // Filters: year and status.
    let all = store
        .register_cases(
            &staff_a,
            &CaseFilter {
                agency_id: Some(a),
                ..CaseFilter::default()
            },
        )
        .await
        .expect("list");
    let numbers: Vec<&str> = all.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["R3", "R1", "R2"]);
    let y2025 = store
        .register_cases(
            &staff_a,
            &CaseFilter {
                agency_id: Some(a),
                year: Some(2025),
                status: None,
            },
        )
        .await
        .expect("list");
    assert_eq!(y2025.len(), 2);
    let answered = store
        .register_cases(
            &staff_a,
            &CaseFilter {
                agency_id: Some(a),
                year: None,
                status: Some(Status::Answered),
            },
        )
        .await
        .expect("list");
    let numbers: Vec<&str> = answered.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["R3", "R2"]);
    assert_eq!(answered[0].outcome.as_deref(), Some("partially_granted"));
    assert_eq!(answered[0].answered, Some(d("2025-01-10")));

    // Scope: the supervisor of the tree sees the cases without names or contacts; the staff
    // of another agency sees nothing, and the tables of A are `None` for it, like a missing one.
    let seen = store
        .register_cases(&sup, &CaseFilter::default())
        .await
        .expect("list");
    assert_eq!(seen.len(), 3);
    assert!(seen
        .iter()
        .all(|c| c.case.application.applicant_name.is_empty()
            && c.case.application.contact.is_empty()));
    assert!(store
        .register_cases(&staff_b, &CaseFilter::default())
        .await
        .expect("list")
        .is_empty());
    assert!(store
        .register_case(&staff_b, a, "R1")
        .await
        .expect("read")
        .is_none());
    assert!(store
        .register_tables(&staff_b, a, 2025)
        .await
        .expect("tables")
        .is_none());

    // Re-import: R2 changed (answered later with another outcome), R1 and R3 unchanged.
    let mut again = cases.clone();
    again[1] = case(
        "R2",
        "自然人",
        "2025-03-03",
        Some(("2025-03-21", "本机关不掌握相关政府信息")),
    );
    let sum = store
        .put_cases(&cli(), a, &again, &cal(), d("2025-03-26"))
        .await
        .expect("put");
    assert_eq!(
        sum,
        PutSummary {
            added: 0,
            updated: 1,
            unchanged: 2
        }
    );
    let log = store.audit_log(1000).await.expect("audit");
    let r2: Vec<_> = log
        .iter()
        .filter(|e| {
            e.object_type == "register_case"
                && e.detail.as_deref().is_some_and(|x| x.contains("\"R2\""))
        })
        .collect();
    assert_eq!(r2.len(), 2, "add and update of R2");
    assert_eq!(r2[0].action, "register.case.add");
    assert_eq!(r2[0].before_sha256, None);
    assert_eq!(r2[1].action, "register.case.update");
    assert_eq!(r2[1].before_sha256, r2[0].after_sha256);
    assert_ne!(r2[1].after_sha256, r2[0].after_sha256);
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "register.recompute")
            .count(),
        2
    );

    // A batch of many new cases (several insert statements): each is one audit entry naming
    // its own row.
    let many: Vec<Case> = (0..25)
        .map(|i| {
            case(
                &format!("M{i:02}"),
                "其他",
                "2024-03-01",
                Some(("2024-03-05", "予以公开")),
            )
        })
        .collect();
    let sum = store
        .put_cases(&cli(), b, &many, &cal(), d("2025-03-26"))
        .await
        .expect("put");
    assert_eq!(sum.added, 25);
    let listed = store
        .register_cases(&staff_b, &CaseFilter::default())
        .await
        .expect("list");
    assert_eq!(listed.len(), 25);
    let log = store.audit_log(1000).await.expect("audit");
    let mut ids: Vec<i64> = log
        .iter()
        .filter(|e| {
            e.action == "register.case.add"
                && e.detail.as_deref().is_some_and(|x| x.contains("\"M"))
        })
        .filter_map(|e| e.object_id)
        .collect();
    ids.sort_unstable();
    let mut want: Vec<i64> = listed.iter().map(|c| c.id).collect();
    want.sort_unstable();
    assert_eq!(ids, want);

    // Appeals: a review concluded in 2025 (纠正), a lawsuit filed in 2025 and pending.
    let review = AppealCase {
        number: "复议1".to_owned(),
        kind: AppealKind::Review,
        filed: d("2024-11-01"),
        concluded: Some((d("2025-02-01"), AppealResult::Corrected)),
    };
    let suit = AppealCase {
        number: "诉讼1".to_owned(),
        kind: AppealKind::LitigationDirect,
        filed: d("2025-05-01"),
        concluded: None,
    };
    assert!(store.put_appeal(&cli(), a, &review).await.expect("appeal"));
    assert!(store.put_appeal(&cli(), a, &suit).await.expect("appeal"));
    assert!(
        !store.put_appeal(&cli(), a, &suit).await.expect("appeal"),
        "unchanged"
    );
    assert_eq!(
        store.register_appeals(&staff_a, a).await.expect("appeals"),
        [review.clone(), suit.clone()]
    );
    assert!(store
        .register_appeals(&staff_b, a)
        .await
        .expect("appeals")
        .is_empty());

    // Tables of 2025, counted by hand: 新收 自然人 R1, R2; 上年结转 商业企业 R3; 本机关不掌握
    // 自然人 R2; 部分公开 商业企业 R3; 结转下年度 自然人 R1. Table 四: 复议 纠正 1, 直接起诉 尚未审结 1.
    let t = store
        .register_tables(&sup, a, 2025)
        .await
        .expect("tables")
        .expect("visible to the supervisor")
        .expect("a format");
    let r = TableId::Requests;
    assert_eq!(cell(&t, r, "new_received", "natural_person"), ["R1", "R2"]);
    assert_eq!(cell(&t, r, "new_received", "total"), ["R1", "R2"]);
    assert_eq!(cell(&t, r, "carried_over", "commercial_enterprise"), ["R3"]);
    assert_eq!(
        cell(&t, r, "unavailable_not_held", "natural_person"),
        ["R2"]
    );
    assert_eq!(
        cell(&t, r, "partially_granted", "commercial_enterprise"),
        ["R3"]
    );
    assert_eq!(
        cell(&t, r, "granted", "natural_person"),
        Vec::<String>::new()
    );
    assert_eq!(cell(&t, r, "carried_forward", "natural_person"), ["R1"]);
    let mut total = cell(&t, r, "total", "total");
    total.sort();
    assert_eq!(total, ["R2", "R3"]);
    assert!(t.excluded.is_empty());
    let ap = TableId::Appeals;
    assert_eq!(cell(&t, ap, "review", "corrected"), ["复议1"]);
    assert_eq!(cell(&t, ap, "litigation_direct", "pending"), ["诉讼1"]);
    // A case answered before it was received is not counted, and listed with the reason.
    let bad = case(
        "R9",
        "自然人",
        "2025-06-02",
        Some(("2025-06-01", "予以公开")),
    );
    store
        .put_cases(&cli(), a, &[bad], &cal(), d("2025-06-03"))
        .await
        .expect("put");
    let t = store
        .register_tables(&staff_a, a, 2025)
        .await
        .expect("t")
        .expect("v")
        .expect("f");
    assert_eq!(cell(&t, r, "new_received", "natural_person"), ["R1", "R2"]);
    assert_eq!(t.excluded.len(), 1);
    assert_eq!(t.excluded[0].0, "R9");
    assert!(
        t.excluded[0].1.contains("早于收到申请之日"),
        "{:?}",
        t.excluded
    );
    // 2024: R3 received and open at the year end; the review filed and pending.
    let t = store
        .register_tables(&staff_a, a, 2024)
        .await
        .expect("t")
        .expect("v")
        .expect("f");
    assert_eq!(cell(&t, r, "new_received", "commercial_enterprise"), ["R3"]);
    assert_eq!(
        cell(&t, r, "carried_forward", "commercial_enterprise"),
        ["R3"]
    );
    assert_eq!(cell(&t, ap, "review", "pending"), ["复议1"]);
    assert_eq!(
        cell(&t, ap, "litigation_direct", "pending"),
        Vec::<String>::new()
    );
}
both!(register);
