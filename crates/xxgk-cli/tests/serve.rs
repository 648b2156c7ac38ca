//! `xxgk serve`'s API against the command line itself: the five seeds and the two real reports
//! of `../shared/corpus`, uploaded through the API (in-process, `xxgk_server::router`), give
//! `extract` byte for byte what `xxgk extract FILE` prints and `findings` the `findings` array
//! that `xxgk check --format json FILE` prints; a staff token of another agency gets 404 for each.
//! On SQLite, and on PostgreSQL when `XXGK_TEST_POSTGRES_URL` is set. And `xxgk serve` itself:
//! it prints its URL and how to create the first administrator, and answers on it.

#[path = "../../xxgk-server/tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin_cmd;
use axum::http::StatusCode;
use support::{send, upload};
use xxgk_store::Store;

/// What the command line prints for a file (run in its directory, so `source` is its name).
fn cli(args: &[&str], file: &Path) -> Vec<u8> {
    let dir = file.parent().expect("directory");
    let name = file.file_name().expect("name");
    let output = cargo_bin_cmd!("xxgk")
        .current_dir(dir)
        .args(args)
        .arg(name)
        .output()
        .expect("run xxgk");
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "xxgk {args:?} {name:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

async fn same_as_the_command_line(store: &Store) {
    let tokens = support::people(store).await;
    let app = xxgk_server::router(store.clone());
    for path in support::corpus() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name")
            .to_owned();
        let bytes = std::fs::read(&path).expect("corpus file");
        let created = upload(&app, &tokens.staff_a, "A", &name, bytes).await;
        assert_eq!(created.status, StatusCode::CREATED, "{name}");
        let id = created.json()["id"].as_i64().expect("id");

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
        assert!(
            extract.body == cli(&["extract"], &path),
            "{name}: the API's extract differs from `xxgk extract`"
        );

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
        let checked: serde_json::Value =
            serde_json::from_slice(&cli(&["check", "--format", "json"], &path)).expect("JSON");
        assert_eq!(
            findings.json(),
            checked["findings"],
            "{name}: findings differ"
        );

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
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_matches_the_command_line_on_sqlite() {
    let f = support::sqlite().await;
    same_as_the_command_line(&f.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_matches_the_command_line_on_postgres() {
    if let Some(f) = support::postgres("cli_api").await {
        same_as_the_command_line(&f.store).await;
        support::drop_postgres(f).await;
    }
}

/// Stops the server when the test ends, whatever happens.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_prints_its_url_and_the_first_administrator_command_and_answers() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data = dir.path().join("data");
    let mut server = Server(
        Command::new(assert_cmd::cargo::cargo_bin!("xxgk"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(&data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start xxgk serve"),
    );
    let stdout = server.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("text");
    let url = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_owned();
    let second = lines.next().expect("a line").expect("text");
    assert!(second.contains("还没有管理员"), "{second}");
    let third = lines.next().expect("a line").expect("text");
    assert!(
        third.contains("xxgk user add") && third.contains("--role admin"),
        "{third}"
    );
    assert!(data.join(xxgk_store::DB_FILE).exists());

    // A request without a token: 401, as JSON with a Chinese message.
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(&url).expect("connect");
    write!(
        stream,
        "GET /api/v1/reports/1 HTTP/1.1\r\nHost: {url}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("令牌"), "{answer}");
}

#[test]
fn serve_has_chinese_help() {
    let output = cargo_bin_cmd!("xxgk")
        .args(["serve", "--help"])
        .output()
        .expect("run xxgk");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("--listen") && text.contains("127.0.0.1:8080"),
        "{text}"
    );
}

/// `xxgk serve --files DIR`: an uploaded file is kept in DIR under its sha256, not in the
/// database, and read back from there; Ctrl-C (SIGINT) stops the server cleanly.
#[test]
fn serve_keeps_original_files_in_a_directory() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("temporary directory");
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    let xxgk = |args: &[&str], stdin: &str| {
        let output = cargo_bin_cmd!("xxgk")
            .args(args)
            .arg("--data")
            .arg(&data)
            .write_stdin(stdin)
            .output()
            .expect("run xxgk");
        assert!(output.status.success(), "{args:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    xxgk(&["agency", "add", "A", "某市甲局"], "");
    xxgk(
        &["user", "add", "u", "--role", "staff", "--agency", "A"],
        "correct horse battery\n",
    );
    let token = xxgk(&["token", "create", "u"], "");
    let token = token
        .split_whitespace()
        .find(|w| w.starts_with("xxgk_"))
        .expect("a token")
        .to_owned();
    let mut server = Server(
        Command::new(assert_cmd::cargo::cargo_bin!("xxgk"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(&data)
            .arg("--files")
            .arg(&files)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start xxgk serve"),
    );
    // Standard output closed after the first line (the server prints more: no administrator
    // yet): the server goes on.
    let stdout = server.0.stdout.take().expect("stdout");
    let first = BufReader::new(stdout)
        .lines()
        .next()
        .expect("a line")
        .expect("text");
    let url = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("URL")
        .to_owned();
    let seed = support::corpus()[0].clone();
    let bytes = std::fs::read(&seed).expect("seed");
    let request = |head: String, body: &[u8]| {
        let mut stream = std::net::TcpStream::connect(&url).expect("connect");
        stream.write_all(head.as_bytes()).expect("head");
        stream.write_all(body).expect("body");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("answer");
        String::from_utf8_lossy(&answer).into_owned()
    };
    let answer = request(
        format!(
            "POST /api/v1/reports?agency=A HTTP/1.1\r\nHost: {url}\r\nAuthorization: Bearer {token}\r\n\
             X-Filename: seed.txt\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            bytes.len()
        ),
        &bytes,
    );
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let sha = xxgk_store::sha256_hex(&bytes);
    let kept = files.join(&sha[..2]).join(&sha);
    assert_eq!(std::fs::read(&kept).expect("kept in the directory"), bytes);

    // Ctrl-C: the server stops by itself (requests and jobs finished or released).
    let pid = server.0.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = server.0.wait().expect("wait");
    assert!(status.success(), "{status:?}");
}
