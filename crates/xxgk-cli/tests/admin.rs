//! `xxgk agency`, `xxgk user`, `xxgk token` as a user runs them, on a temporary data directory
//! (and on PostgreSQL with `--database` when `XXGK_TEST_POSTGRES_URL` is set); then the data
//! they made, read through `xxgk_store`, scoped by user.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use xxgk_store::{Actor, NewReport, ReportFilter, ReportStatus, Store};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Runs `xxgk ARGS --data DIR` and returns (exit code, stdout, stderr).
fn run(data: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut cmd = cargo_bin_cmd!("xxgk");
    cmd.env_remove("XXGK_DATA")
        .args(args)
        .arg("--data")
        .arg(data)
        .write_stdin(stdin);
    let out = cmd.output().expect("run xxgk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

fn ok(data: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(data, args, "");
    assert_eq!(code, 0, "xxgk {args:?} failed: {err}");
    out
}

/// Province P → city C → counties K1, K2.
fn tree(data: &Path) {
    ok(
        data,
        &["agency", "add", "P", "某省人民政府", "--kind", "government"],
    );
    ok(
        data,
        &["agency", "add", "C", "某市人民政府", "--parent", "P"],
    );
    ok(
        data,
        &["agency", "add", "K1", "甲县人民政府", "--parent", "C"],
    );
    ok(
        data,
        &["agency", "add", "K2", "乙县人民政府", "--parent", "C"],
    );
}

fn add_user(data: &Path, name: &str, role: &str, agency: Option<&str>) {
    let mut args = vec!["user", "add", name, "--role", role];
    if let Some(code) = agency {
        args.extend(["--agency", code]);
    }
    let (code, _, err) = run(data, &args, "correct horse battery\n");
    assert_eq!(code, 0, "user add {name}: {err}");
}

#[test]
fn agency_tree_is_listed_by_level() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let out = ok(&data, &["agency", "add", "P", "某省人民政府"]);
    assert_eq!(out, "已添加机构：P 某省人民政府\n");
    let out = ok(
        &data,
        &["agency", "add", "C", "某市人民政府", "--parent", "P"],
    );
    assert_eq!(out, "已添加机构：C 某市人民政府（上级：P）\n");
    ok(
        &data,
        &["agency", "add", "K2", "乙县人民政府", "--parent", "C"],
    );
    ok(
        &data,
        &["agency", "add", "K1", "甲县人民政府", "--parent", "C"],
    );
    ok(&data, &["agency", "add", "Q", "另一省人民政府"]);
    assert!(data.join("xxgk.db").is_file());
    let list = ok(&data, &["agency", "list"]);
    assert_eq!(
        list,
        "P\t某省人民政府\n  C\t某市人民政府\n    K1\t甲县人民政府\n    K2\t乙县人民政府\nQ\t另一省人民政府\n"
    );
}

#[test]
fn duplicate_code_and_unknown_parent_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    tree(data);
    let (code, out, err) = run(
        data,
        &["agency", "add", "C", "重复的市", "--parent", "P"],
        "",
    );
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (2, "", "xxgk: 机构代码已存在：C\n")
    );
    let (code, _, err) = run(
        data,
        &["agency", "add", "X", "某局", "--parent", "NOPE"],
        "",
    );
    assert_eq!((code, err.as_str()), (2, "xxgk: 上级机构不存在：NOPE\n"));
    // Nothing was added.
    assert_eq!(ok(data, &["agency", "list"]).lines().count(), 4);
}

#[test]
fn data_directory_from_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("env-data");
    cargo_bin_cmd!("xxgk")
        .env("XXGK_DATA", &data)
        .args(["agency", "add", "P", "某省人民政府"])
        .assert()
        .success();
    assert!(data.join("xxgk.db").is_file());
    // --data and --database together are a usage error.
    cargo_bin_cmd!("xxgk")
        .args(["agency", "list", "--data", "x", "--database", "sqlite://y"])
        .assert()
        .code(2);
}

#[test]
fn user_password_from_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    tree(data);
    let (code, out, err) = run(
        data,
        &["user", "add", "li", "--role", "staff", "--agency", "K1"],
        "correct horse battery\r\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "已添加用户：li（工作人员，机构 K1）\n");
    let (code, out, _) = run(
        data,
        &["user", "add", "root", "--role", "admin"],
        "admin password\n",
    );
    assert_eq!((code, out.as_str()), (0, "已添加用户：root（管理员）\n"));

    // The password is the first line without its line end.
    let rt = runtime();
    rt.block_on(async {
        let store = Store::open_data_dir(data).await.expect("open");
        let li = store
            .verify_password("li", "correct horse battery", 1_900_000_000)
            .await
            .expect("login with the password given on stdin");
        assert_eq!(li.agency_code.as_deref(), Some("K1"));
        assert!(store
            .verify_password("li", "correct horse battery\r", 1_900_000_000)
            .await
            .is_err());
        store.close().await;
    });

    let (code, _, err) = run(
        data,
        &["user", "add", "li", "--role", "staff", "--agency", "K1"],
        "another one\n",
    );
    assert_eq!((code, err.as_str()), (2, "xxgk: 用户名已存在：li\n"));
    let (code, _, err) = run(
        data,
        &["user", "add", "wang", "--role", "staff"],
        "another one\n",
    );
    assert_eq!(
        (code, err.as_str()),
        (2, "xxgk: 工作人员账户必须属于一个机构（请指定机构代码）\n")
    );
    let (code, _, err) = run(
        data,
        &["user", "add", "wang", "--role", "staff", "--agency", "NOPE"],
        "another one\n",
    );
    assert_eq!((code, err.as_str()), (2, "xxgk: 机构不存在：NOPE\n"));
    let (code, _, err) = run(data, &["user", "add", "wang", "--role", "admin"], "short\n");
    assert_eq!((code, err.as_str()), (2, "xxgk: 密码至少需要 8 个字符\n"));
    let (code, _, err) = run(data, &["user", "add", "wang", "--role", "admin"], "");
    assert_eq!(code, 2);
    assert!(err.contains("标准输入中没有密码"), "{err}");
    let (code, _, _) = run(
        data,
        &["user", "add", "wang", "--role", "owner"],
        "long enough\n",
    );
    assert_eq!(code, 2);
    assert_eq!(
        ok(data, &["user", "list"]),
        "li\tstaff\tK1\nroot\tadmin\t-\n"
    );

    // A new password from standard input replaces the old one.
    let (code, out, err) = run(data, &["user", "passwd", "li"], "a new password\n");
    assert_eq!(
        (code, out.as_str()),
        (0, "已设置用户 li 的新密码\n"),
        "{err}"
    );
    let (code, _, err) = run(data, &["user", "passwd", "nobody"], "a new password\n");
    assert_eq!((code, err.as_str()), (2, "xxgk: 用户不存在：nobody\n"));
    runtime().block_on(async {
        let store = Store::open_data_dir(data).await.expect("open");
        assert!(store
            .verify_password("li", "correct horse battery", 1_900_000_000)
            .await
            .is_err());
        store
            .verify_password("li", "a new password", 1_900_000_000)
            .await
            .expect("the new password");
        store.close().await;
    });
}

#[test]
fn token_create_and_revoke() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    tree(data);
    add_user(data, "li", "staff", Some("K1"));
    let (code, out, err) = run(data, &["token", "create", "li"], "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "one line: {out}");
    let token = out.trim_end().to_owned();
    assert!(token.starts_with("xxgk_") && token.len() == 53, "{token}");
    let prefix = &token[..13];
    assert!(err.contains(prefix), "{err}");
    let second = ok(data, &["token", "create", "li"]).trim_end().to_owned();

    let rt = runtime();
    let owner = |t: String| {
        rt.block_on(async {
            let store = Store::open_data_dir(data).await.expect("open");
            let user = store
                .user_by_token(&t)
                .await
                .expect("lookup")
                .map(|u| u.name);
            store.close().await;
            user
        })
    };
    assert_eq!(owner(token.clone()).as_deref(), Some("li"));

    let out = ok(data, &["token", "revoke", prefix]);
    assert_eq!(out, format!("已撤销令牌：{prefix}（用户 li）\n"));
    assert_eq!(owner(token.clone()), None);
    assert_eq!(owner(second.clone()).as_deref(), Some("li"));
    // By user name: every live token of the user.
    let out = ok(data, &["token", "revoke", "li"]);
    assert_eq!(out.lines().count(), 1);
    assert_eq!(owner(second), None);
    let (code, _, err) = run(data, &["token", "revoke", "li"], "");
    assert_eq!((code, err.as_str()), (2, "xxgk: 令牌不存在或已撤销：li\n"));
    let (code, _, err) = run(data, &["token", "create", "nobody"], "");
    assert_eq!((code, err.as_str()), (2, "xxgk: 用户不存在：nobody\n"));
    let list = ok(data, &["token", "list"]);
    assert_eq!(list.lines().count(), 2);
    assert!(list.lines().all(|l| l.ends_with("\tli\t已撤销")), "{list}");
    assert!(!list.contains(&token[13..]), "the secret is never listed");
}

#[test]
fn a_staff_user_of_another_agency_cannot_get_a_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path();
    tree(data);
    add_user(data, "staff_k1", "staff", Some("K1"));
    add_user(data, "staff_k2", "staff", Some("K2"));
    add_user(data, "sup_c", "supervisor", Some("C"));
    add_user(data, "root", "admin", None);
    let rt = runtime();
    rt.block_on(async {
        let store = Store::open_data_dir(data).await.expect("open");
        let k1 = store
            .agency_by_code("K1")
            .await
            .expect("agency")
            .expect("K1");
        let id = store
            .add_report(
                &Actor::command_line(),
                &NewReport {
                    agency_id: k1.id,
                    year: Some(2024),
                    file_name: "甲县2024年报.txt",
                    bytes: "报告全文".as_bytes(),
                    status: ReportStatus::Ready,
                    unreadable_reason: None,
                    extract_json: Some("{}"),
                    findings_json: Some("[]"),
                    error_count: 0,
                    warning_count: 0,
                },
            )
            .await
            .expect("store report")
            .id;
        let user = |name: &'static str| {
            let store = store.clone();
            async move { store.user_by_name(name).await.expect("user").expect(name) }
        };
        let (k1_staff, k2_staff, sup, root) = (
            user("staff_k1").await,
            user("staff_k2").await,
            user("sup_c").await,
            user("root").await,
        );
        assert!(store.report(&k1_staff, id).await.expect("get").is_some());
        assert!(store.report(&sup, id).await.expect("get").is_some());
        assert!(store.report(&root, id).await.expect("get").is_some());
        // Another agency's staff: None, exactly like a report that does not exist.
        assert_eq!(store.report(&k2_staff, id).await.expect("get"), None);
        assert_eq!(store.report(&k2_staff, id + 1000).await.expect("get"), None);
        assert_eq!(store.report_file(&k2_staff, id).await.expect("file"), None);
        assert!(store
            .reports(&k2_staff, &ReportFilter::default())
            .await
            .expect("list")
            .is_empty());
        store.close().await;
    });
}

#[test]
fn the_same_commands_on_postgres() {
    use sqlx::{Connection, Executor};
    let Ok(url) = std::env::var("XXGK_TEST_POSTGRES_URL") else {
        eprintln!("XXGK_TEST_POSTGRES_URL not set, PostgreSQL variant skipped");
        return;
    };
    let name = format!("xxgk_cli_{}", std::process::id());
    let rt = runtime();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&url).await.expect("connect");
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
            .await
            .expect("drop");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create");
        admin.close().await.ok();
    });
    let base = url.split_once('?').map_or(url.as_str(), |(b, _)| b);
    let db = format!("{}/{name}", base.rsplit_once('/').map_or(base, |(b, _)| b));
    let pg = |args: &[&str], stdin: &str| {
        let out = cargo_bin_cmd!("xxgk")
            .args(args)
            .arg("--database")
            .arg(&db)
            .write_stdin(stdin)
            .output()
            .expect("run");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).expect("UTF-8"),
            String::from_utf8(out.stderr).expect("UTF-8"),
        )
    };
    assert_eq!(pg(&["agency", "add", "P", "某省人民政府"], "").0, 0);
    assert_eq!(
        pg(&["agency", "add", "C", "某市人民政府", "--parent", "P"], "").0,
        0
    );
    let (code, _, err) = pg(&["agency", "add", "C", "重复", "--parent", "P"], "");
    assert_eq!((code, err.as_str()), (2, "xxgk: 机构代码已存在：C\n"));
    assert_eq!(
        pg(&["agency", "list"], "").1,
        "P\t某省人民政府\n  C\t某市人民政府\n"
    );
    assert_eq!(
        pg(
            &["user", "add", "li", "--role", "supervisor", "--agency", "C"],
            "correct horse\n"
        )
        .0,
        0
    );
    let (code, token, _) = pg(&["token", "create", "li"], "");
    assert_eq!(code, 0);
    let (code, out, _) = pg(&["token", "revoke", &token[..13]], "");
    assert_eq!((code, out.lines().count()), (0, 1));
    runtime().block_on(async {
        let mut admin = sqlx::AnyConnection::connect(&url).await.expect("connect");
        admin
            .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
            .await
            .expect("drop");
        admin.close().await.ok();
    });
}
