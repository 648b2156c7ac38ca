//! `xxgk register` acceptance (issue 11): a generated register of 600 applications over 2024
//! and 2025, written as CSV (UTF-8), CSV (GBK) and XLSX, imported into a fresh data directory;
//! `register list --format json` and `register tables` must equal an independent computation
//! here: due dates by a day-by-day walk over the holidays written below from the State
//! Council's notices (not the crate's calendar), table-三 cells counted from the generated rows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use xxgk_register::Day;

/// Days off and make-up workdays of the notices:
/// 2024 国办发明电〔2023〕7号, 2025 国办发明电〔2024〕12号, 2026 国办发明电〔2025〕7号.
const OFF: &[(&str, &str)] = &[
    ("2024-01-01", "2024-01-01"),
    ("2024-02-10", "2024-02-17"),
    ("2024-04-04", "2024-04-06"),
    ("2024-05-01", "2024-05-05"),
    ("2024-06-10", "2024-06-10"),
    ("2024-09-15", "2024-09-17"),
    ("2024-10-01", "2024-10-07"),
    ("2025-01-01", "2025-01-01"),
    ("2025-01-28", "2025-02-04"),
    ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"),
    ("2025-05-31", "2025-06-02"),
    ("2025-10-01", "2025-10-08"),
    ("2026-01-01", "2026-01-03"),
    ("2026-02-15", "2026-02-23"),
    ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"),
    ("2026-06-19", "2026-06-21"),
    ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
];
const WORK: &[&str] = &[
    "2024-02-04",
    "2024-02-18",
    "2024-04-07",
    "2024-04-28",
    "2024-05-11",
    "2024-09-14",
    "2024-09-29",
    "2024-10-12",
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
];

fn d(s: &str) -> Day {
    s.parse().expect("a date")
}

struct Holidays {
    off: BTreeSet<Day>,
    work: BTreeSet<Day>,
}

impl Holidays {
    fn new() -> Holidays {
        let mut off = BTreeSet::new();
        for (a, b) in OFF {
            let mut x = d(a);
            while x <= d(b) {
                off.insert(x);
                x = x.plus(1);
            }
        }
        Holidays {
            off,
            work: WORK.iter().map(|s| d(s)).collect(),
        }
    }

    fn working(&self, x: Day) -> bool {
        assert!(x.year() <= 2026, "the walk ran past the notices: {x}");
        self.work.contains(&x) || (!x.is_weekend() && !self.off.contains(&x))
    }

    /// The n-th working day after `start` (day 1 = the first working day after it).
    fn nth_after(&self, start: Day, n: u32) -> Day {
        let mut x = start;
        let mut k = 0;
        while k < n {
            x = x.plus(1);
            if self.working(x) {
                k += 1;
            }
        }
        x
    }

    /// The working days in (a, b].
    fn between(&self, a: Day, b: Day) -> BTreeSet<Day> {
        let mut out = BTreeSet::new();
        let mut x = a.plus(1);
        while x <= b {
            if self.working(x) {
                out.insert(x);
            }
            x = x.plus(1);
        }
        out
    }
}

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const TYPES: [(&str, &str); 6] = [
    ("自然人", "natural_person"),
    ("商业企业", "commercial_enterprise"),
    ("科研机构", "research_institution"),
    ("社会公益组织", "social_welfare_organization"),
    ("法律服务机构", "legal_service_organization"),
    ("其他", "other_organization"),
];

/// (what the file says, the row id).
const OUTCOMES: [(&str, &str); 9] = [
    ("予以公开", "granted"),
    ("granted", "granted"),
    ("部分公开", "partially_granted"),
    ("属于国家秘密", "denied_state_secret"),
    ("本机关不掌握相关政府信息", "unavailable_not_held"),
    ("重复申请", "unprocessed_duplicate"),
    ("其他", "other_other"),
    ("other_other", "other_other"),
    ("保护第三方合法权益", "denied_third_party_rights"),
];

/// One generated row, with what the test expects of it.
struct Row {
    number: String,
    received: Day,
    type_label: &'static str,
    type_key: &'static str,
    correction: Option<(Day, Option<Day>)>,
    consultation: Option<(Day, Option<Day>)>,
    extension: bool,
    fee: Option<(Day, Day)>,
    answer: Option<(Day, &'static str, &'static str)>,
}

fn generate(seed: u64, n: usize) -> Vec<Row> {
    let mut rng = Rng(seed);
    let first = d("2024-01-02");
    let mut rows = Vec::new();
    for i in 0..n {
        let received = first.plus(rng.below(729) as i32);
        let (type_label, type_key) = TYPES[rng.below(6) as usize];
        let mut last = received;
        let mut correction = None;
        let mut awaiting = false;
        if rng.below(8) == 0 {
            let notice = last.plus(1 + rng.below(5) as i32);
            if rng.below(4) == 0 {
                correction = Some((notice, None));
                awaiting = true;
                last = notice;
            } else {
                let supplied = notice.plus(1 + rng.below(20) as i32);
                correction = Some((notice, Some(supplied)));
                last = supplied;
            }
        }
        let mut consultation = None;
        let mut open_pause = false;
        if !awaiting && rng.below(8) == 0 {
            let sent = last.plus(1 + rng.below(10) as i32);
            if rng.below(5) == 0 {
                consultation = Some((sent, None));
                open_pause = true;
                last = sent;
            } else {
                let reply = sent.plus(1 + rng.below(25) as i32);
                consultation = Some((sent, Some(reply)));
                last = reply;
            }
        }
        let extension = !awaiting && rng.below(7) == 0;
        let mut fee = None;
        if !awaiting && !open_pause && rng.below(12) == 0 {
            let notice = last.plus(1 + rng.below(5) as i32);
            let paid = notice.plus(1 + rng.below(15) as i32);
            fee = Some((notice, paid));
            last = paid;
        }
        // Most are answered (some after the year end); open ones stay open.
        let answer = if open_pause || rng.below(6) == 0 {
            None
        } else if awaiting {
            Some((
                last.plus(20 + rng.below(10) as i32),
                "other_no_correction",
                "other_no_correction",
            ))
        } else {
            let (said, key) = OUTCOMES[rng.below(OUTCOMES.len() as u64) as usize];
            Some((last.plus(rng.below(40) as i32), said, key))
        };
        rows.push(Row {
            number: format!("YSQ-{:04}", i + 1),
            received,
            type_label,
            type_key,
            correction,
            consultation,
            extension,
            fee,
            answer,
        });
    }
    rows
}

const HEADER: [&str; 15] = [
    "编号",
    "收到日期",
    "申请人类型",
    "申请人",
    "申请内容",
    "补正告知日期",
    "补正收到日期",
    "征求意见日期",
    "意见收回日期",
    "延期",
    "收费通知日期",
    "缴费日期",
    "答复日期",
    "办理结果",
    "经办人",
];

/// A date in one of the three text forms, chosen by `k`.
fn date_text(x: Day, k: usize) -> String {
    let (y, m, dd) = x.ymd();
    match k % 3 {
        0 => x.to_string(),
        1 => format!("{y}/{m}/{dd}"),
        _ => format!("{y}年{m}月{dd}日"),
    }
}

/// The cells of a row: `None` for an empty cell, `Some((text, date))`.
fn cells(r: &Row, k: usize) -> Vec<Option<(String, Option<Day>)>> {
    let date = |x: Option<Day>| x.map(|x| (date_text(x, k), Some(x)));
    let text = |s: &str| (!s.is_empty()).then(|| (s.to_string(), None));
    vec![
        text(&r.number),
        date(Some(r.received)),
        text(r.type_label),
        text(&format!("申请人{}", r.number)),
        text("某某文件"),
        date(r.correction.map(|c| c.0)),
        date(r.correction.and_then(|c| c.1)),
        date(r.consultation.map(|c| c.0)),
        date(r.consultation.and_then(|c| c.1)),
        text(if r.extension {
            "是"
        } else if k.is_multiple_of(2) {
            "否"
        } else {
            ""
        }),
        date(r.fee.map(|f| f.0)),
        date(r.fee.map(|f| f.1)),
        date(r.answer.map(|a| a.0)),
        r.answer.and_then(|a| text(a.1)),
        text("王五"),
    ]
}

fn csv_text(rows: &[Row]) -> String {
    let mut out = HEADER.join(",") + "\r\n";
    for (k, r) in rows.iter().enumerate() {
        let line: Vec<String> = cells(r, k)
            .into_iter()
            .map(|c| c.map(|c| c.0).unwrap_or_default())
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The workbook: dates as real date cells in every other row, text in the others.
fn xlsx_bytes(rows: &[Row]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (i, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).expect("header");
    }
    for (k, r) in rows.iter().enumerate() {
        let row = k as u32 + 1;
        for (i, c) in cells(r, k).into_iter().enumerate() {
            let col = i as u16;
            match c {
                None => {}
                Some((_, Some(x))) if k.is_multiple_of(2) => {
                    let (y, m, dd) = x.ymd();
                    let dt = ExcelDateTime::from_ymd(y as u16, m as u8, dd as u8).expect("date");
                    sheet
                        .write_datetime_with_format(row, col, &dt, &date_format)
                        .expect("date cell");
                }
                Some((t, _)) => {
                    sheet.write_string(row, col, &t).expect("text cell");
                }
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

/// The due date of a row by the statutory clock, counted here; `None` while a pause is open or
/// a 补正 awaits its supplement.
fn due(h: &Holidays, r: &Row) -> Option<Day> {
    let start = match r.correction {
        Some((_, Some(s))) => s,
        Some((_, None)) if r.answer.is_none() => return None,
        _ => r.received,
    };
    let mut paused = BTreeSet::new();
    if let Some((sent, reply)) = r.consultation {
        let reply = reply?;
        if sent >= start {
            paused.extend(h.between(sent, reply));
        }
    }
    if let Some((notice, paid)) = r.fee {
        if notice >= start {
            paused.extend(h.between(notice, paid));
        }
    }
    let n = 20 + if r.extension { 20 } else { 0 } + paused.len() as u32;
    Some(h.nth_after(start, n))
}

/// Table 三 of `year` counted from the rows: row id → column id → count.
fn table3(rows: &[Row], year: i32) -> BTreeMap<String, BTreeMap<String, i64>> {
    let first = Day::from_ymd(year, 1, 1).expect("date");
    let last = Day::from_ymd(year, 12, 31).expect("date");
    let mut t: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut add = |row: &str, col: &str| {
        for c in [col, "total"] {
            *t.entry(row.to_string())
                .or_default()
                .entry(c.to_string())
                .or_default() += 1;
        }
    };
    for r in rows {
        let answered = r.answer.map(|a| a.0);
        if r.received > last || answered.is_some_and(|a| a < first) {
            continue;
        }
        if r.received >= first {
            add("new_received", r.type_key);
        } else {
            add("carried_over", r.type_key);
        }
        match r.answer {
            Some((a, _, key)) if a <= last => {
                add(key, r.type_key);
                add("total", r.type_key);
            }
            _ => add("carried_forward", r.type_key),
        }
    }
    t
}

fn xxgk(data: &Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("xxgk");
    cmd.env_remove("XXGK_DATA").env("XXGK_DATA", data);
    cmd
}

fn run(cmd: &mut assert_cmd::Command) -> (String, String) {
    let out = cmd.output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8(out.stdout).expect("UTF-8"), stderr)
}

/// Imports one file into a fresh data directory; returns the list (JSON Lines parsed) and the
/// tables of 2024 and 2025.
fn import_and_read(file_name: &str, bytes: &[u8]) -> (Vec<Value>, Value, Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let file = dir.path().join(file_name);
    std::fs::write(&file, bytes).expect("write");
    run(xxgk(&data)
        .args(["agency", "add", "A01", "某县人民政府", "--data"])
        .arg(&data));
    let (out, err) = run(xxgk(&data)
        .args(["register", "import"])
        .arg(&file)
        .args(["--agency", "A01", "--data"])
        .arg(&data));
    assert!(
        out.contains("已导入 600 件") && out.contains("新增 600 件"),
        "{out}"
    );
    assert!(err.contains("已忽略：经办人"), "{err}");
    let (list, _) = run(xxgk(&data)
        .args([
            "register", "list", "--agency", "A01", "--format", "json", "--data",
        ])
        .arg(&data));
    let list: Vec<Value> = list
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let tables = |year: &str| -> Value {
        let (out, err) = run(xxgk(&data)
            .args([
                "register", "tables", "--agency", "A01", "--year", year, "--data",
            ])
            .arg(&data));
        assert!(!err.contains("未计入"), "{err}");
        serde_json::from_str(&out).expect("JSON")
    };
    (list, tables("2024"), tables("2025"))
}

#[test]
fn six_hundred_cases_in_three_file_forms_give_the_hand_computed_dates_and_cells() {
    let rows = generate(20_241_111, 600);
    let h = Holidays::new();
    let csv = csv_text(&rows);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&csv);
    assert!(!unmappable);
    let forms = [
        ("台账.csv", csv.as_bytes().to_vec()),
        ("台账-gbk.csv", gbk.into_owned()),
        ("台账.xlsx", xlsx_bytes(&rows)),
    ];
    let mut results = Vec::new();
    for (name, bytes) in &forms {
        let (list, t2024, t2025) = import_and_read(name, bytes);
        assert_eq!(list.len(), 600, "{name}");
        let by_number: BTreeMap<&str, &Value> = list
            .iter()
            .map(|v| (v["number"].as_str().expect("number"), v))
            .collect();
        for r in &rows {
            let got = by_number[r.number.as_str()];
            let due = due(&h, r);
            assert_eq!(
                got["due"].as_str(),
                due.map(|x| x.to_string()).as_deref(),
                "{name} {} received {}",
                r.number,
                r.received
            );
            assert_eq!(got["received"], r.received.to_string(), "{name}");
            assert_eq!(
                got["answered"].as_str(),
                r.answer.map(|a| a.0.to_string()).as_deref(),
                "{name}"
            );
            assert_eq!(got["outcome"].as_str(), r.answer.map(|a| a.2), "{name}");
            // Every due date here is before today (the tests run after 2026-06).
            let status = match (r.answer, due) {
                (Some(_), _) => "answered",
                (None, None) => "paused",
                (None, Some(_)) => "overdue",
            };
            assert_eq!(got["status"], status, "{name} {}", r.number);
        }
        for (year, t) in [(2024, &t2024), (2025, &t2025)] {
            let want = table3(&rows, year);
            let requests = t["tables"]["requests"].as_object().expect("requests");
            for (row, cols) in requests {
                for (col, v) in cols.as_object().expect("columns") {
                    let expected = want.get(row).and_then(|c| c.get(col)).copied().unwrap_or(0);
                    assert_eq!(v.as_i64(), Some(expected), "{name} {year} {row}/{col}");
                }
            }
            // Every counted row is a row of the table.
            for row in want.keys() {
                assert!(requests.contains_key(row), "{year}: {row}");
            }
        }
        results.push((list, t2024, t2025));
    }
    assert_eq!(results[0], results[1], "UTF-8 and GBK");
    assert_eq!(results[0], results[2], "CSV and XLSX");
    // The generator covers what it should: carried over, pauses, extensions, open cases.
    let t = table3(&rows, 2025);
    assert!(t["carried_over"]["total"] > 0 && t["carried_forward"]["total"] > 0);
    assert!(rows.iter().filter(|r| r.extension).count() > 30);
    assert!(rows.iter().filter(|r| r.fee.is_some()).count() > 10);
    assert!(
        rows.iter()
            .filter(|r| matches!(r.consultation, Some((_, Some(_)))))
            .count()
            > 20
    );
    assert!(
        results[0]
            .0
            .iter()
            .filter(|v| v["status"] == "paused")
            .count()
            > 5
    );
}

#[test]
fn bad_rows_stop_the_import_unless_skipped_and_a_reimport_updates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let file = dir.path().join("台账.csv");
    run(xxgk(&data)
        .args(["agency", "add", "A01", "某县人民政府", "--data"])
        .arg(&data));
    std::fs::write(
        &file,
        "编号,收到日期,申请人类型,答复日期,办理结果\n\
         A1,2025-03-03,自然人,2025-03-10,予以公开\n\
         A2,2025-03-32,自然人,,\n\
         A3,2025-03-03,单位,,\n",
    )
    .expect("write");
    let import = |skip: bool| {
        let mut cmd = xxgk(&data);
        cmd.args(["register", "import"])
            .arg(&file)
            .args(["--agency", "A01", "--data"])
            .arg(&data);
        if skip {
            cmd.arg("--skip-bad");
        }
        cmd.output().expect("runs")
    };
    let out = import(false);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("第 3 行“收到日期”列：“2025-03-32”不是日期"),
        "{err}"
    );
    assert!(
        err.contains("第 4 行“申请人类型”列：“单位”不是申请人类型"),
        "{err}"
    );
    assert!(err.contains("没有导入任何申请：2 行有问题"), "{err}");
    let (list, _) = run(xxgk(&data)
        .args([
            "register", "list", "--agency", "A01", "--format", "json", "--data",
        ])
        .arg(&data));
    assert_eq!(list, "", "nothing imported");

    let out = import(true);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已跳过有问题的 2 行：第 3、4 行"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("新增 1 件"));

    // The same 编号 again with another answer: updated, and the store's audit log has it.
    std::fs::write(
        &file,
        "编号,收到日期,申请人类型,答复日期,办理结果\nA1,2025-03-03,自然人,2025-03-11,部分公开\n",
    )
    .expect("write");
    let out = import(false);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("新增 0 件，更新 1 件"));
    let (list, _) = run(xxgk(&data)
        .args([
            "register", "list", "--agency", "A01", "--format", "json", "--data",
        ])
        .arg(&data));
    let v: Value = serde_json::from_str(list.trim()).expect("one line");
    assert_eq!(v["outcome"], "partially_granted");
    assert_eq!(v["answered"], "2025-03-11");
    // Received Monday 2025-03-03: the 20th working day after it is 03-31 (no holiday in March).
    assert_eq!(v["due"], "2025-03-31");
}

#[test]
fn new_with_the_register_fills_tables_three_and_four_and_lists_differences_with_the_stored_report()
{
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let file = dir.path().join("台账.csv");
    run(xxgk(&data)
        .args(["agency", "add", "A01", "某县人民政府", "--data"])
        .arg(&data));
    // Two natural persons in 2025, one answered 予以公开, one carried forward.
    std::fs::write(
        &file,
        "编号,收到日期,申请人类型,答复日期,办理结果\n\
         A1,2025-03-03,自然人,2025-03-10,予以公开\n\
         A2,2025-12-29,自然人,,\n",
    )
    .expect("write");
    run(xxgk(&data)
        .args(["register", "import"])
        .arg(&file)
        .args(["--agency", "A01", "--data"])
        .arg(&data));
    let (out, _) = run(xxgk(&data)
        .args([
            "new",
            "--register",
            "--agency",
            "A01",
            "--year",
            "2025",
            "--data",
        ])
        .arg(&data));
    let block = |name: &str| -> Vec<String> {
        out.lines()
            .skip_while(|l| !l.starts_with(&format!("[tables.requests.{name}]")))
            .skip(1)
            .take(7)
            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
            .collect()
    };
    assert_eq!(
        block("new_received")[0],
        "natural_person = 2",
        "{}",
        block("new_received").join("\n")
    );
    assert_eq!(block("new_received")[6], "total = 2");
    assert_eq!(block("granted")[0], "natural_person = 1");
    assert_eq!(block("carried_forward")[0], "natural_person = 1");
    assert!(out.contains("表三、表四的数字由依申请公开台账生成"));
    assert!(out.contains("某县人民政府"));

    // A report of 2025 in the store whose table 三 says 5 new natural persons instead of 2.
    let (tables, _) = run(xxgk(&data)
        .args([
            "register", "tables", "--agency", "A01", "--year", "2025", "--data",
        ])
        .arg(&data));
    let mut json: Value = serde_json::from_str(&tables).expect("JSON");
    json["tables"]["requests"]["new_received"]["natural_person"] = Value::from(5);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = xxgk_store::Store::open_data_dir(&data)
            .await
            .expect("store");
        let agency = store
            .agency_by_code("A01")
            .await
            .expect("read")
            .expect("agency");
        let text = json.to_string();
        store
            .add_report(
                &xxgk_store::Actor::command_line(),
                &xxgk_store::NewReport {
                    agency_id: agency.id,
                    year: Some(2025),
                    file_name: "2025年报.docx",
                    bytes: b"report",
                    status: xxgk_store::ReportStatus::Ready,
                    unreadable_reason: None,
                    extract_json: Some(&text),
                    findings_json: Some("[]"),
                    error_count: 0,
                    warning_count: 0,
                },
            )
            .await
            .expect("add report");
        store.close().await;
    });
    let (_, err) = run(xxgk(&data)
        .args([
            "new",
            "--register",
            "--agency",
            "A01",
            "--year",
            "2025",
            "--data",
        ])
        .arg(&data));
    assert!(
        err.contains(
            "已上传的 2025 年度报告（第 1 版，2025年报.docx）的表三、表四与台账生成的有 1 处不同："
        ),
        "{err}"
    );
    assert!(
        err.contains("表三 一、本年新收政府信息公开申请数量 / 自然人：报告中为 5，台账生成 2"),
        "{err}"
    );
}

#[test]
fn the_xlsx_and_csv_exports_read_back_as_the_same_register() {
    let rows = generate(7, 80);
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let file = dir.path().join("台账.csv");
    std::fs::write(&file, csv_text(&rows)).expect("write");
    run(xxgk(&data)
        .args(["agency", "add", "A01", "某县人民政府", "--data"])
        .arg(&data));
    run(xxgk(&data)
        .args(["register", "import"])
        .arg(&file)
        .args(["--agency", "A01", "--data"])
        .arg(&data));
    for format in ["xlsx", "csv"] {
        let out = dir.path().join(format!("导出.{format}"));
        run(xxgk(&data)
            .args([
                "register", "list", "--agency", "A01", "--format", format, "-o",
            ])
            .arg(&out)
            .args(["--data"])
            .arg(&data));
        let (stdout, stderr) = run(xxgk(&data)
            .args(["register", "import"])
            .arg(&out)
            .args(["--agency", "A01", "--data"])
            .arg(&data));
        assert!(
            stdout.contains("已导入 80 件") && stdout.contains("新增 0 件，更新 0 件，未变 80 件"),
            "{format}: {stdout}"
        );
        assert!(stderr.contains("已忽略：答复期限、状态"), "{stderr}");
    }
    // The export's own columns: the first data row of the CSV, by hand from the generated row.
    let text = std::fs::read_to_string(dir.path().join("导出.csv")).expect("read");
    let header = text.lines().next().expect("header");
    assert_eq!(
        header,
        "编号,收到日期,申请人类型,申请人,申请内容,补正告知日期,补正收到日期,征求意见日期,意见收回日期,延期,收费通知日期,缴费日期,答复日期,办理结果,答复期限,状态"
    );
    let h = Holidays::new();
    let first = rows
        .iter()
        .min_by_key(|r| (r.received, r.number.clone()))
        .expect("a row");
    let line = text.lines().nth(1).expect("a row");
    let cells: Vec<&str> = line.split(',').collect();
    assert_eq!(cells[0], first.number);
    assert_eq!(cells[1], first.received.to_string());
    assert_eq!(cells[2], first.type_label);
    assert_eq!(cells[9], if first.extension { "是" } else { "否" });
    assert_eq!(
        cells[14],
        due(&h, first).map(|x| x.to_string()).unwrap_or_default()
    );
}

#[test]
fn appeals_entered_on_the_command_line_are_counted_in_table_four() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    run(xxgk(&data)
        .args(["agency", "add", "A01", "某县人民政府", "--data"])
        .arg(&data));
    let appeal = |args: &[&str]| {
        run(xxgk(&data)
            .args(["register", "appeal", "--agency", "A01"])
            .args(args)
            .arg("--data")
            .arg(&data))
    };
    // Filed 2024, concluded 2025 纠正; filed 2025, pending; filed 2025 after review, 维持 in 2025.
    appeal(&[
        "--number",
        "复1",
        "--kind",
        "复议",
        "--filed",
        "2024-11-01",
        "--concluded",
        "2025-02-01",
        "--result",
        "纠正",
    ]);
    appeal(&[
        "--number",
        "诉1",
        "--kind",
        "直接起诉",
        "--filed",
        "2025-05-01",
    ]);
    appeal(&[
        "--number",
        "诉2",
        "--kind",
        "复议后起诉",
        "--filed",
        "2025-06-01",
        "--concluded",
        "2025-09-01",
        "--result",
        "维持",
    ]);
    let (out, _) = appeal(&[
        "--number",
        "诉1",
        "--kind",
        "直接起诉",
        "--filed",
        "2025-05-01",
    ]);
    assert!(out.starts_with("没有变化"), "{out}");
    let (out, _) = run(xxgk(&data)
        .args([
            "register", "tables", "--agency", "A01", "--year", "2025", "--data",
        ])
        .arg(&data));
    let t: Value = serde_json::from_str(&out).expect("JSON");
    let a = &t["tables"]["appeals"];
    assert_eq!(a["review"]["corrected"], 1);
    assert_eq!(a["review"]["total"], 1);
    assert_eq!(a["litigation_direct"]["pending"], 1);
    assert_eq!(a["litigation_after_review"]["upheld"], 1);
    assert_eq!(a["litigation_after_review"]["total"], 1);
    assert_eq!(a["review"]["upheld"], 0);
    let (out, _) = run(xxgk(&data)
        .args([
            "register", "tables", "--agency", "A01", "--year", "2024", "--data",
        ])
        .arg(&data));
    let t: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(t["tables"]["appeals"]["review"]["pending"], 1);
    assert_eq!(t["tables"]["appeals"]["litigation_direct"]["total"], 0);
}
