//! Store tests. Every test function runs on SQLite (a temporary data directory) and, when
//! `XXGK_TEST_POSTGRES_URL` is set (`scripts/pg-test-cluster.sh`), on PostgreSQL too, each in a
//! fresh database of its own.

use sqlx::{Connection, Executor};
use xxgk_store::{
    Actor, AgencyKind, Backend, NewAgency, NewReport, NewUser, ReportFilter, ReportStatus, Role,
    Store, StoreError, User, LOCKOUT_FAILURES,
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

async fn agency(store: &Store, code: &str, name: &str, parent: Option<&str>) -> i64 {
    store
        .add_agency(
            &cli(),
            &NewAgency {
                code,
                name,
                parent_code: parent,
                kind: AgencyKind::Government,
            },
        )
        .await
        .expect("add agency")
        .id
}

async fn user(store: &Store, name: &str, role: Role, agency: Option<&str>) -> User {
    store
        .add_user(
            &cli(),
            &NewUser {
                name,
                password: "correct horse",
                role,
                agency_code: agency,
            },
        )
        .await
        .expect("add user")
}

/// Province P → city C → counties K1, K2; another province Q.
async fn tree(store: &Store) -> [i64; 5] {
    let p = agency(store, "P", "某省人民政府", None).await;
    let c = agency(store, "C", "某市人民政府", Some("P")).await;
    let k1 = agency(store, "K1", "甲县人民政府", Some("C")).await;
    let k2 = agency(store, "K2", "乙县人民政府", Some("C")).await;
    let q = agency(store, "Q", "另一省人民政府", None).await;
    [p, c, k1, k2, q]
}

async fn upload(store: &Store, agency_id: i64, year: i32, bytes: &[u8]) -> i64 {
    store
        .add_report(
            &cli(),
            &NewReport {
                agency_id,
                year: Some(year),
                file_name: "年报.txt",
                bytes,
                status: ReportStatus::Ready,
                unreadable_reason: None,
                extract_json: Some(r#"{"year": 2024}"#),
                findings_json: Some("[]"),
                error_count: 0,
                warning_count: 1,
            },
        )
        .await
        .expect("add report")
        .id
}

async fn agency_tree(store: &Store, _url: &str) {
    let [p, c, k1, k2, q] = tree(store).await;
    let all = store.agencies().await.expect("agencies");
    let codes: Vec<&str> = all.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["P", "C", "K1", "K2", "Q"]);
    let depths: Vec<usize> = all.iter().map(|a| a.depth()).collect();
    assert_eq!(depths, [0, 1, 2, 2, 0]);
    assert_eq!(all[1].parent_id, Some(p));
    assert_eq!(all[2].path, format!("/{p}/{c}/{k1}/"));

    let sub = store.agency_subtree("C").await.expect("subtree");
    let ids: Vec<i64> = sub.iter().map(|a| a.id).collect();
    assert_eq!(ids, [c, k1, k2]);
    assert!(!ids.contains(&q));

    let err = agency_err(store, "C", Some("P")).await;
    assert_eq!(err.to_string(), "机构代码已存在：C");
    let err = agency_err(store, "X", Some("NOPE")).await;
    assert_eq!(err.to_string(), "上级机构不存在：NOPE");
    assert!(matches!(
        store.agency_subtree("NOPE").await,
        Err(StoreError::AgencyNotFound(_))
    ));

    let sup = user(store, "sup", Role::Supervisor, Some("C")).await;
    let visible: Vec<String> = store
        .agencies_visible(&sup)
        .await
        .expect("visible")
        .into_iter()
        .map(|a| a.code)
        .collect();
    assert_eq!(visible, ["C", "K1", "K2"]);
    let staff = user(store, "staff", Role::Staff, Some("K2")).await;
    let visible = store.agencies_visible(&staff).await.expect("visible");
    assert_eq!(visible.len(), 1);
    assert_eq!(visible[0].code, "K2");

    // Matching a report's agency name, inside what the uploader may see.
    let named = store
        .agencies_named(&sup, " 甲县人民政府 ")
        .await
        .expect("named");
    assert_eq!(named.iter().map(|a| a.id).collect::<Vec<_>>(), [k1]);
    assert!(store
        .agencies_named(&staff, "甲县人民政府")
        .await
        .expect("named")
        .is_empty());
    assert_eq!(
        store
            .agency_by_id(q)
            .await
            .expect("by id")
            .map(|a| a.code)
            .as_deref(),
        Some("Q")
    );
}
both!(agency_tree);

async fn agency_err(store: &Store, code: &str, parent: Option<&str>) -> StoreError {
    store
        .add_agency(
            &cli(),
            &NewAgency {
                code,
                name: "名称",
                parent_code: parent,
                kind: AgencyKind::Other,
            },
        )
        .await
        .expect_err("refused")
}

async fn users_and_passwords(store: &Store, _url: &str) {
    tree(store).await;
    assert!(!store.has_admin().await.expect("has admin"));
    let admin = user(store, "admin", Role::Admin, None).await;
    assert!(store.has_admin().await.expect("has admin"));
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(admin.agency_id, None);
    let staff = user(store, "li", Role::Staff, Some("K1")).await;
    assert_eq!(staff.agency_code.as_deref(), Some("K1"));

    let dup = store
        .add_user(
            &cli(),
            &NewUser {
                name: "li",
                password: "another password",
                role: Role::Staff,
                agency_code: Some("K1"),
            },
        )
        .await
        .expect_err("duplicate");
    assert_eq!(dup.to_string(), "用户名已存在：li");
    let no_agency = store
        .add_user(
            &cli(),
            &NewUser {
                name: "wang",
                password: "another password",
                role: Role::Staff,
                agency_code: None,
            },
        )
        .await
        .expect_err("agency required");
    assert_eq!(
        no_agency.to_string(),
        "工作人员账户必须属于一个机构（请指定机构代码）"
    );
    let short = store
        .add_user(
            &cli(),
            &NewUser {
                name: "zhao",
                password: "short",
                role: Role::Admin,
                agency_code: None,
            },
        )
        .await
        .expect_err("short password");
    assert!(matches!(short, StoreError::PasswordTooShort(8)));

    // The hash is argon2id, never the password.
    let t = 1_900_000_000;
    let ok = store
        .verify_password("li", "correct horse", t)
        .await
        .expect("login");
    assert_eq!(ok.id, staff.id);
    assert!(matches!(
        store.verify_password("nobody", "correct horse", t).await,
        Err(StoreError::BadCredentials)
    ));

    // Lockout: LOCKOUT_FAILURES wrong passwords lock the account, even for the right one.
    for _ in 0..LOCKOUT_FAILURES {
        assert!(matches!(
            store.verify_password("li", "wrong", t).await,
            Err(StoreError::BadCredentials)
        ));
    }
    let locked = store
        .verify_password("li", "correct horse", t + 60)
        .await
        .expect_err("locked");
    assert_eq!(
        locked.to_string(),
        "登录失败次数过多，账户已锁定，请 14 分钟后再试"
    );
    // After the lockout one more failure does not lock again at once.
    assert!(matches!(
        store.verify_password("li", "wrong", t + 16 * 60).await,
        Err(StoreError::BadCredentials)
    ));
    // After the lockout the right password works and resets the count.
    store
        .verify_password("li", "correct horse", t + 16 * 60)
        .await
        .expect("login after lockout");
    for _ in 0..LOCKOUT_FAILURES - 1 {
        let _ = store.verify_password("li", "wrong", t + 17 * 60).await;
    }
    store
        .verify_password("li", "correct horse", t + 17 * 60)
        .await
        .expect("four failures do not lock");
}
both!(users_and_passwords);

async fn tokens(store: &Store, _url: &str) {
    tree(store).await;
    let li = user(store, "li", Role::Staff, Some("K1")).await;
    let created = store.create_token(&cli(), "li").await.expect("token");
    assert!(created.token.starts_with("xxgk_"));
    assert_eq!(created.token.len(), 5 + 48);
    assert!(created.token.starts_with(&created.info.prefix));
    assert_eq!(created.info.prefix.len(), 13);
    let by_token = store.user_by_token(&created.token).await.expect("lookup");
    assert_eq!(by_token.map(|u| u.id), Some(li.id));
    assert_eq!(
        store.user_by_token("xxgk_wrong").await.expect("lookup"),
        None
    );

    let second = store.create_token(&cli(), "li").await.expect("token");
    let revoked = store
        .revoke_token(&cli(), &created.info.prefix)
        .await
        .expect("revoke by prefix");
    assert_eq!(revoked.len(), 1);
    assert!(revoked[0].revoked_at.is_some());
    assert_eq!(
        store.user_by_token(&created.token).await.expect("lookup"),
        None
    );
    assert!(store
        .user_by_token(&second.token)
        .await
        .expect("lookup")
        .is_some());

    let revoked = store
        .revoke_token(&cli(), "li")
        .await
        .expect("revoke by user");
    assert_eq!(revoked.len(), 1);
    assert_eq!(
        store.user_by_token(&second.token).await.expect("lookup"),
        None
    );
    let err = store
        .revoke_token(&cli(), "li")
        .await
        .expect_err("nothing left");
    assert_eq!(err.to_string(), "令牌不存在或已撤销：li");
    assert!(matches!(
        store.create_token(&cli(), "nobody").await,
        Err(StoreError::UserNotFound(_))
    ));
}
both!(tokens);

async fn report_versions_and_files(store: &Store, _url: &str) {
    let [_, _, k1, _, _] = tree(store).await;
    let admin = user(store, "admin", Role::Admin, None).await;
    let first = upload(store, k1, 2024, b"report text").await;
    let second = upload(store, k1, 2024, b"report text, corrected").await;
    let third = upload(store, k1, 2024, b"report text").await;
    let r1 = store
        .report(&admin, first)
        .await
        .expect("get")
        .expect("visible");
    let r2 = store
        .report(&admin, second)
        .await
        .expect("get")
        .expect("visible");
    let r3 = store
        .report(&admin, third)
        .await
        .expect("get")
        .expect("visible");
    assert_eq!((r1.version, r2.version, r3.version), (1, 2, 3));
    // The same bytes are one file.
    assert_eq!(r1.file_id, r3.file_id);
    assert_ne!(r1.file_id, r2.file_id);
    assert_eq!(r1.file_sha256, xxgk_store::sha256_hex(b"report text"));
    assert_eq!(r1.file_size, 11);
    assert_eq!(r1.agency_code, "K1");
    assert_eq!(r1.status, ReportStatus::Ready);
    let (name, bytes) = store
        .report_file(&admin, second)
        .await
        .expect("file")
        .expect("visible");
    assert_eq!(name, "年报.txt");
    assert_eq!(bytes, b"report text, corrected");
    let json = store
        .report_json(&admin, first)
        .await
        .expect("json")
        .expect("visible");
    assert_eq!(json.findings_json.as_deref(), Some("[]"));

    let all = store
        .reports(&admin, &ReportFilter::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 3);
    let latest = store
        .reports(
            &admin,
            &ReportFilter {
                latest_only: true,
                ..ReportFilter::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(latest.iter().map(|r| r.id).collect::<Vec<_>>(), [third]);

    // Every change is in the audit log, with the file hashes before and after.
    let log = store.audit_log(100).await.expect("audit");
    let uploads: Vec<_> = log.iter().filter(|e| e.action == "report.upload").collect();
    assert_eq!(uploads.len(), 3);
    assert_eq!(uploads[0].before_sha256, None);
    assert_eq!(
        uploads[1].before_sha256.as_deref(),
        Some(r1.file_sha256.as_str())
    );
    assert_eq!(
        uploads[1].after_sha256.as_deref(),
        Some(r2.file_sha256.as_str())
    );
    assert_eq!(uploads[0].actor, "命令行");
    assert_eq!(
        log.iter().filter(|e| e.action == "agency.create").count(),
        5
    );
    assert_eq!(log.iter().filter(|e| e.action == "user.create").count(), 1);
}
both!(report_versions_and_files);

async fn versions_of_a_report(store: &Store, _url: &str) {
    let [_, c, k1, k2, _] = tree(store).await;
    let staff_k1 = user(store, "staff-k1", Role::Staff, Some("K1")).await;
    let staff_k2 = user(store, "staff-k2", Role::Staff, Some("K2")).await;
    let supervisor = user(store, "super-c", Role::Supervisor, Some("C")).await;
    let first = upload(store, k1, 2024, b"v1").await;
    let other_year = upload(store, k1, 2023, b"2023").await;
    let other_agency = upload(store, k2, 2024, b"k2").await;
    let _ = c;
    // The second version uploaded by a user: its name comes back.
    let second = store
        .add_report(
            &Actor::user(&staff_k1),
            &NewReport {
                agency_id: k1,
                year: Some(2024),
                file_name: "更正.txt",
                bytes: b"v2",
                status: ReportStatus::Ready,
                unreadable_reason: None,
                extract_json: Some("{}"),
                findings_json: Some("[]"),
                error_count: 2,
                warning_count: 0,
            },
        )
        .await
        .expect("add")
        .id;
    for (who, id) in [
        (&staff_k1, first),
        (&staff_k1, second),
        (&supervisor, first),
    ] {
        let versions = store
            .report_versions(who, id)
            .await
            .expect("versions")
            .expect("visible");
        let got: Vec<(i64, i32, Option<&str>)> = versions
            .iter()
            .map(|v| (v.report.id, v.report.version, v.uploaded_by_name.as_deref()))
            .collect();
        // Newest first; not the other year's nor the other agency's report.
        assert_eq!(got, [(second, 2, Some("staff-k1")), (first, 1, None)]);
        assert_eq!(versions[0].report.error_count, 2);
    }
    // Another agency's staff: none, exactly like a missing id.
    assert_eq!(
        store.report_versions(&staff_k2, first).await.expect("q"),
        None
    );
    assert_eq!(
        store.report_versions(&staff_k1, 999_999).await.expect("q"),
        None
    );
    let single = store
        .report_versions(&staff_k1, other_year)
        .await
        .expect("q")
        .expect("visible");
    assert_eq!(single.len(), 1);
    assert_eq!(
        store
            .report_versions(&staff_k2, other_agency)
            .await
            .expect("q")
            .map(|v| v.len()),
        Some(1)
    );
}
both!(versions_of_a_report);

async fn scoping(store: &Store, _url: &str) {
    let [p, c, k1, k2, q] = tree(store).await;
    let admin = user(store, "admin", Role::Admin, None).await;
    let sup_c = user(store, "sup_c", Role::Supervisor, Some("C")).await;
    let staff_k1 = user(store, "staff_k1", Role::Staff, Some("K1")).await;
    let staff_k2 = user(store, "staff_k2", Role::Staff, Some("K2")).await;
    let sup_q = user(store, "sup_q", Role::Supervisor, Some("Q")).await;
    let rp = upload(store, p, 2024, b"province").await;
    let rc = upload(store, c, 2024, b"city").await;
    let rk1 = upload(store, k1, 2024, b"county one").await;
    let rk2 = upload(store, k2, 2023, b"county two").await;
    let rq = upload(store, q, 2024, b"other province").await;
    let all = [rp, rc, rk1, rk2, rq];

    async fn visible(store: &Store, who: &User, ids: &[i64]) -> Vec<i64> {
        let mut out = Vec::new();
        for &id in ids {
            let got = store.report(who, id).await.expect("get");
            let json = store.report_json(who, id).await.expect("json");
            let file = store.report_file(who, id).await.expect("file");
            assert_eq!(got.is_some(), json.is_some());
            assert_eq!(got.is_some(), file.is_some());
            if got.is_some() {
                out.push(id);
            }
        }
        let mut listed: Vec<i64> = store
            .reports(who, &ReportFilter::default())
            .await
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect();
        listed.sort();
        assert_eq!(
            listed, out,
            "the list shows what get shows, for {}",
            who.name
        );
        out
    }
    assert_eq!(visible(store, &admin, &all).await, all);
    assert_eq!(visible(store, &sup_c, &all).await, [rc, rk1, rk2]);
    assert_eq!(visible(store, &staff_k1, &all).await, [rk1]);
    assert_eq!(visible(store, &staff_k2, &all).await, [rk2]);
    assert_eq!(visible(store, &sup_q, &all).await, [rq]);
    // A report outside the scope is exactly like a missing one.
    assert_eq!(store.report(&staff_k2, rk1).await.expect("get"), None);
    assert_eq!(store.report(&staff_k2, 999_999).await.expect("get"), None);

    // Filters stay inside the scope.
    let filter = ReportFilter {
        year: Some(2024),
        agency_id: Some(c),
        ..ReportFilter::default()
    };
    let ids: Vec<i64> = store
        .reports(&admin, &filter)
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, [rc, rk1]);
    let filter = ReportFilter {
        agency_id: Some(p),
        ..ReportFilter::default()
    };
    assert_eq!(
        store.reports(&staff_k2, &filter).await.expect("list").len(),
        1
    );
    let page = ReportFilter {
        limit: Some(2),
        offset: Some(1),
        ..ReportFilter::default()
    };
    assert_eq!(store.reports(&admin, &page).await.expect("list").len(), 2);
}
both!(scoping);

async fn audit_log_is_append_only(store: &Store, url: &str) {
    tree(store).await;
    assert_eq!(store.audit_log(100).await.expect("audit").len(), 5);
    // No public API changes the log; the database refuses it too (triggers).
    let mut raw = sqlx::AnyConnection::connect(url)
        .await
        .expect("raw connection");
    assert!(raw
        .execute("UPDATE audit_log SET actor = 'x'")
        .await
        .is_err());
    assert!(raw.execute("DELETE FROM audit_log").await.is_err());
    raw.close().await.ok();
    assert_eq!(store.audit_log(100).await.expect("audit").len(), 5);
}
both!(audit_log_is_append_only);

async fn reopen_keeps_data(store: &Store, _url: &str) {
    // Migrations are idempotent: running them again on an opened database changes nothing.
    tree(store).await;
    store.migrate().await.expect("migrations again");
    assert_eq!(store.agencies().await.expect("agencies").len(), 5);
}
both!(reopen_keeps_data);

async fn sessions(store: &Store, _url: &str) {
    tree(store).await;
    let li = user(store, "li", Role::Staff, Some("K1")).await;
    let t = 1_900_000_000;
    let s = store.create_session(&li, t, 3600).await.expect("session");
    assert_eq!(s.cookie.len(), 64);
    assert_ne!(s.cookie, s.csrf_token);
    let got = store
        .session(&s.cookie, t + 10)
        .await
        .expect("lookup")
        .expect("live");
    assert_eq!(got.user.id, li.id);
    assert_eq!(got.csrf_token, s.csrf_token);
    assert_eq!(
        store.session(&s.cookie, t + 3600).await.expect("lookup"),
        None
    );
    assert_eq!(store.session("nonsense", t).await.expect("lookup"), None);
    // A disabled user's sessions and tokens stop working.
    let token = store.create_token(&cli(), "li").await.expect("token");
    store
        .set_user_disabled(&cli(), "li", true)
        .await
        .expect("disable");
    assert_eq!(
        store.session(&s.cookie, t + 10).await.expect("lookup"),
        None
    );
    assert_eq!(
        store.user_by_token(&token.token).await.expect("lookup"),
        None
    );
    assert!(matches!(
        store.verify_password("li", "correct horse", t).await,
        Err(StoreError::Disabled)
    ));
    store
        .set_user_disabled(&cli(), "li", false)
        .await
        .expect("enable");
    assert!(store
        .session(&s.cookie, t + 10)
        .await
        .expect("lookup")
        .is_some());
    store.delete_session(&s.cookie).await.expect("logout");
    assert_eq!(
        store.session(&s.cookie, t + 10).await.expect("lookup"),
        None
    );
    store.create_session(&li, t, 10).await.expect("session");
    assert_eq!(
        store.delete_expired_sessions(t + 20).await.expect("expire"),
        1
    );

    // A new password replaces the old one.
    store
        .set_password(&cli(), "li", "a new password")
        .await
        .expect("set password");
    assert!(store
        .verify_password("li", "correct horse", t)
        .await
        .is_err());
    store
        .verify_password("li", "a new password", t)
        .await
        .expect("new password");
    let actions: Vec<String> = store
        .audit_log(100)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "user.disable",
        "user.enable",
        "user.password",
        "token.create",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} audited");
    }
}
both!(sessions);

async fn jobs(store: &Store, _url: &str) {
    use xxgk_store::JobState;
    let t = 1_900_000_000;
    let a = store
        .enqueue_job("upload", "{\"files\": 3}", 3, None)
        .await
        .expect("enqueue");
    let b = store
        .enqueue_job("upload", "{}", 1, None)
        .await
        .expect("enqueue");
    assert_eq!(a.state, JobState::Queued);
    let first = store
        .claim_job("w1", t, t - 60)
        .await
        .expect("claim")
        .expect("a job");
    assert_eq!((first.id, first.state), (a.id, JobState::Running));
    assert_eq!(first.claimed_by.as_deref(), Some("w1"));
    let second = store
        .claim_job("w2", t, t - 60)
        .await
        .expect("claim")
        .expect("a job");
    assert_eq!(second.id, b.id);
    assert_eq!(store.claim_job("w3", t, t - 60).await.expect("claim"), None);
    assert!(store
        .job_progress(a.id, "w1", 2, t + 100)
        .await
        .expect("progress"));
    assert!(!store
        .job_progress(a.id, "w2", 2, t + 100)
        .await
        .expect("not w2's job"));
    // After w2's heartbeat is stale, w3 resumes its job (not w1's, which is alive).
    let resumed = store
        .claim_job("w3", t + 120, t + 60)
        .await
        .expect("claim")
        .expect("the stale job");
    assert_eq!(
        (resumed.id, resumed.claimed_by.as_deref()),
        (b.id, Some("w3"))
    );
    assert!(!store
        .job_progress(b.id, "w2", 1, t + 121)
        .await
        .expect("taken over"));
    assert!(store
        .finish_job(a.id, "w1", JobState::Done, "[]", t + 130)
        .await
        .expect("finish"));
    let done = store.job(a.id).await.expect("job").expect("exists");
    assert_eq!(
        (done.state, done.progress_done, done.progress_total),
        (JobState::Done, 2, 3)
    );
    assert_eq!(done.result.as_deref(), Some("[]"));
    assert_eq!(
        store.claim_job("w4", t + 140, t + 60).await.expect("claim"),
        None
    );
}
both!(jobs);

async fn report_results_and_counts(store: &Store, _url: &str) {
    let [_, c, k1, k2, _] = tree(store).await;
    let admin = user(store, "admin", Role::Admin, None).await;
    let staff = user(store, "staff", Role::Staff, Some("K2")).await;
    let id = store
        .add_report(
            &cli(),
            &NewReport {
                agency_id: k1,
                year: Some(2024),
                file_name: "a.docx",
                bytes: b"PK...",
                status: ReportStatus::Processing,
                unreadable_reason: None,
                extract_json: None,
                findings_json: None,
                error_count: 0,
                warning_count: 0,
            },
        )
        .await
        .expect("add")
        .id;
    store
        .set_report_result(
            &cli(),
            id,
            &xxgk_store::ReportResult {
                status: ReportStatus::Unreadable,
                unreadable_reason: Some("无法识别的文件格式"),
                extract_json: None,
                findings_json: Some("[]"),
                error_count: 1,
                warning_count: 0,
            },
        )
        .await
        .expect("result");
    let got = store
        .report(&admin, id)
        .await
        .expect("get")
        .expect("visible");
    assert_eq!(got.status, ReportStatus::Unreadable);
    assert_eq!(got.unreadable_reason.as_deref(), Some("无法识别的文件格式"));
    assert!(matches!(
        store
            .set_report_result(
                &cli(),
                id + 100,
                &xxgk_store::ReportResult {
                    status: ReportStatus::Ready,
                    unreadable_reason: None,
                    extract_json: None,
                    findings_json: None,
                    error_count: 0,
                    warning_count: 0,
                },
            )
            .await,
        Err(StoreError::ReportNotFound(_))
    ));
    upload(store, k2, 2024, b"k2").await;
    upload(store, k2, 2023, b"k2 2023").await;
    let all = ReportFilter::default();
    assert_eq!(store.count_reports(&admin, &all).await.expect("count"), 3);
    assert_eq!(store.count_reports(&staff, &all).await.expect("count"), 2);
    let filter = ReportFilter {
        year: Some(2024),
        agency_id: Some(c),
        limit: Some(1),
        ..ReportFilter::default()
    };
    assert_eq!(
        store.count_reports(&admin, &filter).await.expect("count"),
        2
    );
    assert_eq!(store.reports(&admin, &filter).await.expect("list").len(), 1);
}
both!(report_results_and_counts);

#[tokio::test]
async fn sqlite_data_directory_is_in_wal_mode() {
    let f = sqlite().await;
    tree(&f.store).await;
    let mut raw = sqlx::AnyConnection::connect(&f.url)
        .await
        .expect("raw connection");
    let row = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut raw)
        .await
        .expect("pragma");
    let mode: String = sqlx::Row::try_get(&row, 0).expect("mode");
    assert_eq!(mode, "wal");
    raw.close().await.ok();
}

#[tokio::test]
async fn unsupported_url_is_refused() {
    let err = Store::open("mysql://localhost/x")
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "不支持的数据库地址：mysql://localhost/x（应为 sqlite://… 或 postgres://…）"
    );
}

async fn concurrent_workers_claim_each_job_once(store: &Store, _url: &str) {
    let t = 1_900_000_000;
    for _ in 0..40 {
        store
            .enqueue_job("upload", "{}", 1, None)
            .await
            .expect("enqueue");
    }
    let mut workers = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let name = format!("w{w}");
            let mut claimed = Vec::new();
            while let Some(job) = store.claim_job(&name, t, t - 60).await.expect("claim") {
                claimed.push(job.id);
            }
            claimed
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a job was claimed twice");
    assert_eq!(all.len(), 40);
}
both!(concurrent_workers_claim_each_job_once);

#[tokio::test]
async fn data_directory_names_are_taken_literally() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data = dir.path().join("年报 数据%20?x#1");
    let store = Store::open_data_dir(&data).await.expect("open");
    tree(&store).await;
    store.close().await;
    assert!(data.join(xxgk_store::DB_FILE).is_file());
}

fn report_of(agency_id: i64, year: Option<i32>, bytes: &[u8]) -> NewReport<'_> {
    NewReport {
        agency_id,
        year,
        file_name: "年报.txt",
        bytes,
        status: ReportStatus::Ready,
        unreadable_reason: None,
        extract_json: Some("{}"),
        findings_json: Some("[]"),
        error_count: 0,
        warning_count: 0,
    }
}

/// A report that does not say its year is stored with no year (not 0), and its versions count
/// apart from every known year's.
async fn unknown_year_is_null(store: &Store, _url: &str) {
    let [_, _, k1, _, _] = tree(store).await;
    let admin = user(store, "admin", Role::Admin, None).await;
    let a = store
        .add_report(&cli(), &report_of(k1, None, b"no year"))
        .await
        .expect("add");
    assert_eq!(a.year, None);
    assert_eq!(a.version, 1);
    let b = store
        .add_report(&cli(), &report_of(k1, None, b"no year either"))
        .await
        .expect("add");
    assert_eq!((b.year, b.version), (None, 2));
    let c = store
        .add_report(&cli(), &report_of(k1, Some(2024), b"2024"))
        .await
        .expect("add");
    assert_eq!((c.year, c.version), (Some(2024), 1));
    let read = store
        .report(&admin, a.id)
        .await
        .expect("get")
        .expect("seen");
    assert_eq!(read.year, None);
    let latest = store
        .reports(
            &admin,
            &ReportFilter {
                latest_only: true,
                ..Default::default()
            },
        )
        .await
        .expect("list");
    let mut ids: Vec<i64> = latest.iter().map(|r| r.id).collect();
    ids.sort();
    assert_eq!(ids, [b.id, c.id]);
}
both!(unknown_year_is_null);

/// Twenty uploads of one agency and year at the same time: versions 1..=20, no error.
async fn concurrent_versions(store: &Store, _url: &str) {
    let [_, _, k1, _, _] = tree(store).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let bytes = format!("report {i}").into_bytes();
            store
                .add_report(&cli(), &report_of(k1, Some(2024), &bytes))
                .await
                .map(|r| r.version)
        }));
    }
    let mut versions = Vec::new();
    for t in tasks {
        versions.push(t.await.expect("task").expect("no error"));
    }
    versions.sort();
    assert_eq!(versions, (1..=20).collect::<Vec<i32>>());
}
both!(concurrent_versions);

/// Original files in a directory keyed by their sha256 instead of the database.
async fn files_directory(store: &Store, _url: &str) {
    let dir = tempfile::tempdir().expect("dir");
    let store = store.clone().with_files_dir(dir.path()).expect("files dir");
    let [_, _, k1, _, _] = tree(&store).await;
    let admin = user(&store, "admin", Role::Admin, None).await;
    let r = store
        .add_report(&cli(), &report_of(k1, Some(2024), b"kept outside"))
        .await
        .expect("add");
    let sha = xxgk_store::sha256_hex(b"kept outside");
    let on_disk = dir.path().join(&sha[..2]).join(&sha);
    assert_eq!(
        std::fs::read(&on_disk).expect("file on disk"),
        b"kept outside"
    );
    let (name, bytes) = store
        .report_file(&admin, r.id)
        .await
        .expect("file")
        .expect("visible");
    assert_eq!(name, "年报.txt");
    assert_eq!(bytes, b"kept outside");
}
both!(files_directory);

/// `optimize` refreshes the planner's statistics on both backends: on SQLite the statistics
/// table exists afterwards (it does not before the first analysis).
#[tokio::test]
async fn optimize_gathers_planner_statistics() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_data_dir(dir.path()).await.expect("open");
    store
        .add_agency(
            &Actor::command_line(),
            &NewAgency {
                code: "X",
                name: "某局",
                parent_code: None,
                kind: Default::default(),
            },
        )
        .await
        .expect("agency");
    store.optimize().await.expect("optimize");
    let url = format!(
        "sqlite://{}",
        dir.path().join(xxgk_store::DB_FILE).display()
    );
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("connect");
    let row = sqlx::query("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'")
        .fetch_one(&mut conn)
        .await
        .expect("query");
    let n: i64 = sqlx::Row::get(&row, "n");
    assert_eq!(n, 1, "sqlite_stat1 exists after optimize");
}
