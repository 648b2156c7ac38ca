//! Browser tests: the pages of `xxgk serve` in a real headless Chromium, driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`; `.ci/run` installs them). Each test starts its
//! own chromedriver on a free port and its own server on a fresh SQLite data directory.
//!
//! Without chromedriver the tests say so and pass, except under CI=true, where a missing
//! browser is a failure (the CI must run them). `XXGK_CHROMEDRIVER` and `XXGK_CHROMIUM` name
//! other binaries. With `XXGK_SCREENSHOTS=DIR` the tests save screenshots of the pages they
//! visit to DIR (how the PNGs in `docs/` are made: `scripts/render-web-pngs.sh`).

mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use xxgk_store::{Actor, NewAgency, NewUser, Role, Store};

const PASSWORD: &str = "correct horse battery";

/// A running server and browser for one test.
struct Harness {
    client: Client,
    base: String,
    store: Store,
    driver: Child,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.is_file())
}

impl Harness {
    /// Starts chromedriver, the server (with the agencies and users of [`people`]) and a
    /// browser session; `None` (with a note) when chromedriver is not installed, outside CI.
    async fn start(test: &str) -> Option<Harness> {
        let driver_bin = std::env::var_os("XXGK_CHROMEDRIVER")
            .map(PathBuf::from)
            .or_else(|| which("chromedriver"));
        let Some(driver_bin) = driver_bin else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: chromedriver not found (Debian: apt-get install chromium chromium-driver; .ci/run installs them)"
            );
            eprintln!("{test}: chromedriver not found, browser test skipped (apt-get install chromium chromium-driver)");
            return None;
        };
        let port = free_port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");

        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open_data_dir(dir.path()).await.expect("open store");
        people(&store).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = store.clone();
        tokio::spawn(async move {
            xxgk_server::serve(served, listener, async {
                rx.await.ok();
            })
            .await
            .ok();
        });

        let mut chrome = serde_json::json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=zh-CN"],
        });
        let chromium = std::env::var_os("XXGK_CHROMIUM")
            .map(PathBuf::from)
            .or_else(|| which("chromium"));
        if let Some(bin) = chromium {
            chrome["binary"] = serde_json::json!(bin.display().to_string());
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".to_owned(), chrome);
        let url = format!("http://127.0.0.1:{port}");
        let mut client = None;
        for _ in 0..100 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let client = client.expect("a WebDriver session with chromedriver");
        Some(Harness {
            client,
            base,
            store,
            driver,
            shutdown: Some(tx),
            _dir: dir,
        })
    }

    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    /// The path of the page shown, once it is `expected` (waiting up to 10 s for a navigation).
    async fn wait_path(&self, expected: &str) {
        for _ in 0..100 {
            if self.path().await == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(self.path().await, expected);
    }

    async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current URL")
            .path()
            .to_owned()
    }

    /// The text of the first element matching `css`, waiting up to 10 s for it to appear (a
    /// form's answer loads after the click returns).
    async fn text(&self, css: &str) -> String {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("no element {css}"))
            .text()
            .await
            .expect("text")
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("no field {css}"));
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }

    async fn click(&self, css: &str) {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("no element {css}"))
            .click()
            .await
            .expect("click");
    }

    async fn login(&self, name: &str, password: &str) {
        self.goto("/login").await;
        self.fill("input[name=name]", name).await;
        self.fill("input[name=password]", password).await;
        self.click("main button[type=submit]").await;
    }

    /// Saves a screenshot as `$XXGK_SCREENSHOTS/NAME.png` when that variable is set.
    async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("XXGK_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.expect("screenshot");
        let path = PathBuf::from(dir).join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    async fn finish(mut self) {
        self.client.clone().close().await.ok();
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.driver.kill().ok();
        self.driver.wait().ok();
    }
}

/// A city (C) with two departments (A, B); an administrator, a staff user of each department
/// and a supervisor of the city, all with [`PASSWORD`].
async fn people(store: &Store) {
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
        ("admin", Role::Admin, None),
        ("staff-a", Role::Staff, Some("A")),
        ("staff-b", Role::Staff, Some("B")),
        ("super-c", Role::Supervisor, Some("C")),
    ] {
        store
            .add_user(
                &actor,
                &NewUser {
                    name,
                    password: PASSWORD,
                    role,
                    agency_code: agency,
                },
            )
            .await
            .expect("add user");
    }
}

/// Log in (a wrong password first), see the signed-in page, change the password, log out, and
/// log in with the new password only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_change_password_logout() {
    let Some(h) = Harness::start("login_change_password_logout").await else {
        return;
    };
    h.goto("/").await;
    assert_eq!(h.text("h1").await, "登录");
    h.screenshot("serve-login").await;

    h.login("staff-a", "wrong password").await;
    assert_eq!(h.text(".error").await, "用户名或密码错误。");
    // The name typed is kept; the password is not.
    let kept = h
        .client
        .find(Locator::Css("input[name=name]"))
        .await
        .expect("name field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("staff-a"));

    h.login("staff-a", PASSWORD).await;
    h.wait_path("/").await;
    assert!(h
        .text("header.top .who")
        .await
        .contains("staff-a（工作人员）"));
    h.screenshot("serve-home").await;

    h.click("a[href='/password']").await;
    assert_eq!(h.text("h1").await, "修改密码");
    h.fill("input[name=current]", PASSWORD).await;
    h.fill("input[name=new]", "a new password 2026").await;
    h.fill("input[name=repeat]", "a different one").await;
    h.click("main button[type=submit]").await;
    assert_eq!(h.text(".error").await, "两次输入的新密码不一致。");
    h.fill("input[name=current]", PASSWORD).await;
    h.fill("input[name=new]", "a new password 2026").await;
    h.fill("input[name=repeat]", "a new password 2026").await;
    h.click("main button[type=submit]").await;
    assert_eq!(h.text(".notice").await, "密码已修改。");
    h.screenshot("serve-password").await;

    h.click("header.top form button").await;
    h.wait_path("/login").await;
    // Logged out: the home page is the login page again.
    h.goto("/").await;
    assert_eq!(h.text("h1").await, "登录");

    h.login("staff-a", PASSWORD).await;
    assert_eq!(h.text(".error").await, "用户名或密码错误。");
    h.login("staff-a", "a new password 2026").await;
    assert!(h.text("header.top .who").await.contains("staff-a"));
    // The store saw it too.
    assert!(h
        .store
        .verify_password("staff-a", "a new password 2026", 0)
        .await
        .is_ok());
    h.finish().await;
}

/// Seed 002 with 一、本年新收·自然人 changed by hand from 3 to 4 (line 83): its row total
/// stays 3 and 自然人's balance breaks (4 + 0 ≠ 3 + 0), so errors name that cell.
fn seed_002_changed() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/seeds/002_34c254d3798047bd.txt");
    let text = std::fs::read_to_string(&path).expect("seed 002");
    let mut lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines[82], "\t3", "line 83 of seed 002");
    lines[82] = "\t4";
    lines.join("\n").into_bytes()
}

impl Harness {
    /// Writes a file for the browser to upload (in the test's temporary directory).
    fn write_file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self._dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the file to upload");
        path
    }

    /// Waits (up to 10 s) until the first element matching `css` contains `needle` (the page
    /// may still be the one before a navigation, or be replaced while it is read).
    async fn wait_text(&self, css: &str, needle: &str) {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = e.text().await {
                    if t.contains(needle) {
                        return;
                    }
                    last = t;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} does not contain {needle:?}: {last:?}");
    }

    /// Waits (up to 3 minutes) until the job page shows its job done; the page reloads itself.
    async fn wait_job_done(&self) {
        for _ in 0..360 {
            if let Ok(e) = self.client.find(Locator::Css("#job-state")).await {
                if e.attr("data-state").await.ok().flatten().as_deref() == Some("done") {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        panic!("the job did not finish: {}", self.text("#job-state").await);
    }
}

/// The report page: the cell a finding names is highlighted as an error, its link leads to the
/// finding and the finding names its rule; staff of another agency get the not-found page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_page_highlights_the_cell_of_a_finding() {
    let Some(h) = Harness::start("report_page_highlights_the_cell_of_a_finding").await else {
        return;
    };
    h.login("staff-a", PASSWORD).await;
    h.wait_path("/").await;
    // Upload through the page: the job runs, its file links to the report.
    let file = h.write_file("002-changed.txt", &seed_002_changed());
    h.click("a#home-upload").await;
    h.fill("input#upload-files", &file.display().to_string())
        .await;
    h.click("#upload-form button[type=submit]").await;
    h.wait_job_done().await;
    assert_eq!(h.text("tr.job-file td:nth-child(3)").await, "已读取");
    h.click("tr.job-file a").await;
    let id: i64 = h
        .path()
        .await
        .trim_start_matches("/reports/")
        .parse()
        .expect("the report page's id");
    let cell = h
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(
            "td[id='cell-requests.new_received.natural_person']",
        ))
        .await
        .expect("the cell of 本年新收·自然人");
    let class = cell.attr("class").await.expect("class").unwrap_or_default();
    assert!(class.contains("sev-error"), "class {class:?}");
    assert_eq!(cell.text().await.expect("text"), "4");
    // Its background is the error colour of app.css (td.sev-error: #ffb3ad), as drawn.
    let colour = cell.css_value("background-color").await.expect("colour");
    assert_eq!(colour, "rgba(255, 179, 173, 1)");
    h.screenshot("serve-report").await;
    let arg = serde_json::to_value(&cell).expect("element as JSON");
    h.client
        .execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg])
        .await
        .expect("scroll to the cell");
    h.screenshot("serve-report-cell").await;

    cell.find(Locator::Css("a.cell-link"))
        .await
        .expect("the cell's link")
        .click()
        .await
        .expect("click");
    let fragment = h
        .client
        .current_url()
        .await
        .expect("URL")
        .fragment()
        .unwrap_or_default()
        .to_owned();
    assert!(fragment.starts_with("finding-"), "{fragment}");
    let finding = h
        .client
        .find(Locator::Css(&format!("li#{fragment}")))
        .await
        .expect("the finding");
    let rule = finding
        .attr("data-rule")
        .await
        .expect("rule")
        .unwrap_or_default();
    assert!(
        rule == "T3-ROW-TOTAL" || rule == "T3-BALANCE",
        "the finding's rule: {rule}"
    );

    // Staff of agency B: the same page is "not found", as for a report that does not exist.
    h.click("header.top form button").await;
    h.wait_path("/login").await;
    h.login("staff-b", PASSWORD).await;
    h.wait_path("/").await;
    h.goto(&format!("/reports/{id}")).await;
    assert!(h.text("p#not-found").await.contains("不存在"));
    h.goto(&format!("/reports/{}", id + 1000)).await;
    assert!(h.text("p#not-found").await.contains("不存在"));
    h.finish().await;
}

/// A ZIP of 50 reports (the five seeds, ten copies each made different by trailing blank
/// lines, in ten folders) uploaded by a supervisor with the agency left to matching: the job
/// page shows the progress and finishes with each file's result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_zip_of_50_reports_and_watch_the_job() {
    let Some(h) = Harness::start("upload_a_zip_of_50_reports_and_watch_the_job").await else {
        return;
    };
    let seeds_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&seeds_dir)
        .expect("the seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for copy in 0..10 {
        for seed in &seeds {
            let mut bytes = std::fs::read(seed).expect("seed");
            bytes.extend(std::iter::repeat_n(b'\n', copy + 1));
            let name = format!(
                "第{copy}批/{}",
                seed.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
            );
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("zip entry");
            std::io::Write::write_all(&mut zip, &bytes).expect("zip write");
        }
    }
    let bytes = zip.finish().expect("zip").into_inner();
    let file = h.write_file("年报.zip", &bytes);

    h.login("admin", PASSWORD).await;
    h.wait_path("/").await;
    h.goto("/upload").await;
    // The agency left to matching: the seeds' agencies are not in the tree, so each file waits
    // for its agency to be chosen.
    h.fill("input#upload-files", &file.display().to_string())
        .await;
    h.click("#upload-form button[type=submit]").await;
    assert_eq!(h.text("#job-total").await, "50");
    assert!(h.path().await.starts_with("/jobs/"));
    h.wait_job_done().await;
    assert_eq!(h.text("#job-done").await, "50");
    let rows = h
        .client
        .find_all(Locator::Css("tr.job-file"))
        .await
        .expect("the files");
    assert_eq!(rows.len(), 50);
    let waiting = h
        .client
        .find_all(Locator::Css("tr.job-file[data-status='needs-agency']"))
        .await
        .expect("files waiting");
    assert_eq!(waiting.len(), 50, "no seed agency is in the tree");
    // Every name keeps its folder.
    let first = h.text("tr.job-file td:nth-child(2)").await;
    assert!(first.starts_with("年报.zip/第0批/"), "{first}");
    h.screenshot("serve-job").await;

    // Choose the agency of the first file: it is read and stored there.
    h.click("form.confirm-agency button").await;
    assert!(h.text(".notice").await.contains("已归入"));
    let read = h
        .client
        .find_all(Locator::Css("tr.job-file[data-status='read']"))
        .await
        .expect("read files");
    assert_eq!(read.len(), 1);
    h.finish().await;
}

/// The administrator adds a department under the city; staff of A upload two reports through
/// the page (one with errors); the supervisor of the city finds them in the list, narrows it to
/// the reports with errors and to one rule, follows the rule to the catalogue, and sees the
/// agency tree with the years.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_list_filters_rules_and_tree() {
    let Some(h) = Harness::start("admin_list_filters_rules_and_tree").await else {
        return;
    };
    // Administration: add an agency under the city.
    h.login("admin", PASSWORD).await;
    h.wait_path("/").await;
    h.click("a[href='/admin']").await;
    h.fill("#add-agency input[name=code]", "D").await;
    h.fill("#add-agency input[name=name]", "某市丁局").await;
    h.client
        .find(Locator::Css(
            "#add-agency select[name=parent] option[value='C']",
        ))
        .await
        .expect("the city as parent")
        .click()
        .await
        .expect("choose");
    h.click("#add-agency button[type=submit]").await;
    h.wait_text("#agency-list", "某市丁局").await;
    h.screenshot("serve-admin").await;
    assert!(h.store.agency_by_code("D").await.expect("store").is_some());
    h.click("header.top form button").await;
    h.wait_path("/login").await;

    // Staff of A upload two reports at once.
    h.login("staff-a", PASSWORD).await;
    h.wait_path("/").await;
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let changed = h.write_file("002-changed.txt", &seed_002_changed());
    let clean = h.write_file(
        "003_3dd38cd922b2f941.txt",
        &std::fs::read(seeds.join("003_3dd38cd922b2f941.txt")).expect("seed 003"),
    );
    h.goto("/upload").await;
    h.fill(
        "input#upload-files",
        &format!("{}\n{}", changed.display(), clean.display()),
    )
    .await;
    h.click("#upload-form button[type=submit]").await;
    h.wait_job_done().await;
    assert_eq!(
        h.client
            .find_all(Locator::Css("tr.job-file[data-status='read']"))
            .await
            .expect("files")
            .len(),
        2
    );
    h.click("header.top form button").await;
    h.wait_path("/login").await;

    // The supervisor of the city: the list, then only the reports with errors, then one rule.
    h.login("super-c", PASSWORD).await;
    h.wait_path("/").await;
    h.click("a[href='/reports']").await;
    h.wait_text("#report-count", "共 2 份").await;
    h.screenshot("serve-reports").await;
    h.client
        .find(Locator::Css(
            "#report-filters select[name=errors] option[value='yes']",
        ))
        .await
        .expect("with errors")
        .click()
        .await
        .expect("choose");
    h.click("#report-filters button[type=submit]").await;
    h.wait_text("#report-count", "共 1 份").await;
    h.wait_text("#report-list tbody", "某市甲局").await;
    h.fill("#report-filters input[name=rule]", "T3-BALANCE")
        .await;
    h.click("#report-filters button[type=submit]").await;
    h.wait_text("#report-count", "共 1 份").await;
    h.fill("#report-filters input[name=rule]", "T2-NO-SUCH-RULE")
        .await;
    h.click("#report-filters button[type=submit]").await;
    h.wait_text("#report-list-empty", "没有符合条件").await;

    // The rule catalogue, at the rule's anchor.
    h.goto("/rules#T3-BALANCE").await;
    h.wait_text("article.rule[id='T3-BALANCE']", "T3-BALANCE")
        .await;
    h.screenshot("serve-rules").await;

    // The agency tree: A with its year, D without reports.
    h.goto("/agencies").await;
    h.wait_text("li#agency-A", "2023").await;
    h.wait_text("li#agency-D", "暂无年报").await;
    h.screenshot("serve-agencies").await;
    // Not an administrator: the administration page is not found.
    h.goto("/admin").await;
    h.wait_text("h1", "不存在").await;
    assert!(h.client.find(Locator::Css("#add-agency")).await.is_err());
    h.finish().await;
}

impl Harness {
    /// Sets a form field's value as a date picker would (`YYYY-MM-DD`): typing into a date
    /// input depends on the browser's locale.
    async fn set_value(&self, css: &str, value: &str) {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("no field {css}"));
        self.client
            .execute(
                "document.querySelector(arguments[0]).value = arguments[1];",
                vec![serde_json::json!(css), serde_json::json!(value)],
            )
            .await
            .expect("set the value");
    }
}

/// The register: staff register an application received Mon 2025-09-22, record a 补正 (notice
/// 9-24, supplement received Thu 10-09) and the answer (10-30), and see the due date move from
/// 2025-10-24 to 2025-11-05 and the derived 2025 table count the case under （一）予以公开 ·
/// 自然人, with a link to it. The dates are worked out by hand from 国办发明电〔2024〕12号 in
/// `tests/register_pages.rs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_an_application_and_record_its_events() {
    let Some(h) = Harness::start("register_an_application_and_record_its_events").await else {
        return;
    };
    h.login("staff-a", PASSWORD).await;
    h.wait_path("/").await;
    h.click("a#home-register").await;
    h.wait_path("/register").await;
    h.click("a#register-new").await;
    h.wait_path("/register/new").await;
    h.fill("input[name=number]", "依申请-7").await;
    h.click("select[name=applicant_type] option[value=natural_person]")
        .await;
    h.fill("input[name=applicant]", "王五").await;
    h.click("select[name=channel] option[value=online]").await;
    h.set_value("input[name=received]", "2025-09-22").await;
    h.fill("textarea[name=content]", "2025年某项目环评批复")
        .await;
    h.screenshot("serve-register-new").await;
    h.click("#register-new-form button[type=submit]").await;
    let case_path = "/register/A/cases/%E4%BE%9D%E7%94%B3%E8%AF%B7-7";
    h.wait_path(case_path).await;
    h.wait_text("#case-due", "2025年10月24日").await;
    assert!(h.text("#case-explanation").await.contains("国庆节"));

    // 补正: the notice, then the supplement; each form opens from its summary.
    h.click("#form-correction_notice summary").await;
    h.set_value("#form-correction_notice input[name=date]", "2025-09-24")
        .await;
    h.click("#form-correction_notice button[type=submit]").await;
    h.wait_text("#case-timeline", "补正告知").await;
    // Awaiting the supplement, the clock stands: no due date.
    assert_eq!(h.text("#case-status").await, "暂停计时");
    assert_eq!(h.text("#case-due").await, "—");
    h.click("#form-correction_received summary").await;
    h.set_value("#form-correction_received input[name=date]", "2025-10-09")
        .await;
    h.click("#form-correction_received button[type=submit]")
        .await;
    h.wait_text("#case-due", "2025年11月5日").await;
    assert!(h
        .text("#case-explanation")
        .await
        .contains("收到补正材料之日"));
    h.screenshot("serve-register-case").await;

    // The answer: the case is closed.
    h.set_value("#form-answer input[name=date]", "2025-10-30")
        .await;
    h.click("#form-answer select[name=outcome] option[value=granted]")
        .await;
    h.click("#form-answer button[type=submit]").await;
    h.wait_text("#case-status", "已答复").await;

    // The derived table counts it, and the number links to it.
    h.goto("/register/A/tables/2025").await;
    let cell = "td[id='cell-requests.granted.natural_person']";
    assert_eq!(h.text(cell).await, "1");
    assert_eq!(
        h.text("td[id='cell-requests.new_received.total']").await,
        "1"
    );
    h.screenshot("serve-register-tables").await;
    h.click(&format!("{cell} a.cell-link")).await;
    h.wait_text("#cell-cases", "依申请-7").await;

    // More cases in other states (stored directly): one long overdue, one awaiting a
    // supplement, one received today.
    use xxgk_register::{ApplicantType, Application, Case, Channel, Day, Event};
    let agency = h.store.agency_by_code("A").await.unwrap().unwrap();
    let today = xxgk_store::today();
    let case = |number: &str, received: Day, events: Vec<Event>| Case {
        application: Application {
            number: number.to_owned(),
            applicant_type: ApplicantType::parse("商业企业").unwrap(),
            applicant_name: "某科技有限公司".to_owned(),
            contact: String::new(),
            channel: Channel::Post,
            received,
            content: "某项目的审批文件".to_owned(),
            form: String::new(),
        },
        events,
    };
    let d = |y, m, day| Day::from_ymd(y, m, day).unwrap();
    let more = [
        case("依申请-8", d(2025, 1, 2), vec![]),
        case(
            "依申请-9",
            d(2025, 6, 3),
            vec![Event::CorrectionNotice {
                date: d(2025, 6, 5),
                deadline: None,
            }],
        ),
        case("依申请-10", today, vec![]),
    ];
    h.store
        .put_cases(
            &xxgk_store::Actor::command_line(),
            agency.id,
            &more,
            &xxgk_server::shipped_calendar(),
            today,
        )
        .await
        .expect("store the cases");
    h.goto("/").await;
    h.wait_text("#home-due", "依申请-8").await;
    h.screenshot("serve-register-home").await;

    // The list shows each in its colour, the first one answered.
    h.goto("/register").await;
    let overdue = h
        .client
        .find(Locator::Css("#register-list tr.case.st-overdue"))
        .await
        .expect("the overdue case's row");
    assert!(overdue.text().await.unwrap().contains("依申请-8"));
    h.client
        .find(Locator::Css("#register-list tr.case.st-paused"))
        .await
        .expect("the paused case's row");
    let row = h
        .client
        .find(Locator::Css(
            "#register-list tr.case[data-number='依申请-7']",
        ))
        .await
        .expect("a row");
    let class = row.attr("class").await.expect("class").unwrap_or_default();
    assert!(class.contains("st-answered"), "{class}");
    h.screenshot("serve-register-list").await;
    h.finish().await;
}
