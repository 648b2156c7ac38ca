//! Benchmark of the request register on SQLite (issue 11; not a test): a 台账 of N cases
//! (default 100,000) received over 2024–2025 is written as CSV, read (`xxgk_register::import`:
//! parse and validate every row), stored in a fresh data directory (`Store::put_cases`), and
//! tables 三 / 四 of 2025 are derived from the store, with the numbers behind every cell
//! (`Store::register_tables`) and as counts (`Store::register_table_counts`, what a page shows).
//!
//!     cargo run --release -p xxgk-store --example register_bench [-- N]
//!
//! Targets: import < 10 s, a year's tables < 100 ms.

use std::time::Instant;

use xxgk_register::import::import;
use xxgk_register::{Calendar, Day};
use xxgk_store::{Actor, AgencyKind, NewAgency, Store, User};

const TYPES: [&str; 6] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
];
const OUTCOMES: [&str; 6] = [
    "予以公开",
    "部分公开",
    "属于国家秘密",
    "本机关不掌握相关政府信息",
    "重复申请",
    "其他",
];

/// CPU seconds (user + system) of this process so far, from /proc/self/stat (Linux; 0 elsewhere):
/// on a shared machine the wall time also counts other processes.
fn cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of stat (utime, stime); `rest` starts at field 3. 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map_or(Ok(100_000), |a| a.parse())?;
    let cal = Calendar::shipped()?;
    let first = Day::from_ymd(2024, 1, 2).ok_or("date")?;
    let mut seed: u64 = 42;
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    let mut csv = String::from(
        "编号,收到日期,申请人类型,申请人,征求意见日期,意见收回日期,延期,答复日期,办理结果\n",
    );
    for i in 0..n {
        let received = first.plus(next(729) as i32);
        let mut last = received;
        let (mut sent, mut reply) = (String::new(), String::new());
        if next(10) == 0 {
            let s = last.plus(1 + next(5) as i32);
            let r = s.plus(1 + next(20) as i32);
            sent = s.to_string();
            reply = r.to_string();
            last = r;
        }
        let ext = if next(7) == 0 { "是" } else { "" };
        let (answered, outcome) = if next(6) == 0 {
            (String::new(), "")
        } else {
            (
                last.plus(next(30) as i32).to_string(),
                OUTCOMES[next(6) as usize],
            )
        };
        csv.push_str(&format!(
            "B{i:06},{received},{},申请人{},{sent},{reply},{ext},{answered},{outcome}\n",
            TYPES[next(6) as usize],
            i % 5000
        ));
    }
    let bytes = csv.into_bytes();
    println!("台账：{n} 件，CSV {} 字节", bytes.len());
    // XXGK_BENCH_CSV=FILE writes the 台账 out (for timing `xxgk register import FILE`).
    if let Ok(path) = std::env::var("XXGK_BENCH_CSV") {
        std::fs::write(&path, &bytes)?;
        println!("台账已写入 {path}");
    }

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        // XXGK_BENCH_DIR=DIR keeps the data directory (a fresh DIR) for a look at the database.
        let dir = tempfile::tempdir()?;
        let path = std::env::var("XXGK_BENCH_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| dir.path().to_path_buf());
        let store = Store::open_data_dir(&path).await?;
        let actor = Actor::command_line();
        let agency = store
            .add_agency(
                &actor,
                &NewAgency {
                    code: "A01",
                    name: "某县人民政府",
                    parent_code: None,
                    kind: AgencyKind::Government,
                },
            )
            .await?;
        let today = Day::from_ymd(2026, 3, 1).ok_or("date")?;

        let c0 = cpu();
        let t0 = Instant::now();
        let got = import(&bytes, &cal)?;
        let t_read = t0.elapsed();
        let c1 = cpu();
        assert!(got.errors.is_empty(), "{:?}", got.errors.first());
        let cases: Vec<_> = got.rows.into_iter().map(|r| r.case).collect();
        let t1 = Instant::now();
        let sum = store
            .put_cases(&actor, agency.id, &cases, &cal, today)
            .await?;
        let t_store = t1.elapsed();
        let c2 = cpu();
        println!(
            "导入：读取并校验 {:.2} s，写入数据库 {:.2} s，合计 {:.2} s（新增 {} 件）；CPU 时间 {:.2} + {:.2} = {:.2} s",
            t_read.as_secs_f64(),
            t_store.as_secs_f64(),
            (t_read + t_store).as_secs_f64(),
            sum.added,
            c1 - c0,
            c2 - c1,
            c2 - c0
        );

        let me = User::command_line();
        let mut best = f64::MAX;
        let mut best_cpu = f64::MAX;
        let runs: usize = std::env::var("XXGK_BENCH_TABLE_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5);
        for _ in 0..runs {
            let c = cpu();
            let t = Instant::now();
            let tables = store
                .register_tables(&me, agency.id, 2025)
                .await?
                .ok_or("agency")??;
            best = best.min(t.elapsed().as_secs_f64());
            best_cpu = best_cpu.min(cpu() - c);
            assert!(tables.excluded.is_empty());
        }
        println!(
            "2025 年度表三、表四（每格附编号）：{:.1} ms（{runs} 次中最快；CPU 时间 {:.0} ms，精度 10 ms）",
            best * 1000.0,
            best_cpu * 1000.0
        );
        // The tables as a page shows them: the counts, the numbers of a cell fetched on demand.
        let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
        for _ in 0..runs {
            let c = cpu();
            let t = Instant::now();
            let tables = store
                .register_table_counts(&me, agency.id, 2025)
                .await?
                .ok_or("agency")??;
            best = best.min(t.elapsed().as_secs_f64());
            best_cpu = best_cpu.min(cpu() - c);
            assert!(tables.excluded.is_empty());
        }
        println!(
            "2025 年度表三、表四（仅数字）：{:.1} ms（{runs} 次中最快；CPU 时间 {:.0} ms，精度 10 ms）",
            best * 1000.0,
            best_cpu * 1000.0
        );
        let t = Instant::now();
        let changed = store
            .recompute_register(&actor, &cal, today.plus(1), "基准测试")
            .await?;
        println!(
            "重新计算未办结的申请：{:.2} s（{changed} 件状态变化）",
            t.elapsed().as_secs_f64()
        );
        store.close().await;
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
