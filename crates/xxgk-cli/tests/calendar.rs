//! `xxgk calendar`: the calendar in use, the shipped years and an override, exact lines. The
//! expected lines were written from the notices (国办发明电〔2023〕7号 for 2024), not from the
//! program's output.

use assert_cmd::cargo::cargo_bin_cmd;

fn xxgk(data: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("xxgk");
    cmd.env_remove("XXGK_DATA")
        .arg("calendar")
        .arg("--data")
        .arg(data);
    cmd
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn a_shipped_year_with_its_notice_holidays_and_makeup_days() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = stdout(xxgk(dir.path()).arg("2024"));
    let expected = [
        "2024 年节假日安排",
        "通知：国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日发布）",
        "来源：程序内置（data/calendar/2024.toml）",
        "元旦：放假 2024-01-01",
        "春节：放假 2024-02-10 至 2024-02-17（8 天）；调休上班 2024-02-04（星期日）、2024-02-18（星期日）",
        "清明节：放假 2024-04-04 至 2024-04-06（3 天）；调休上班 2024-04-07（星期日）",
        "劳动节：放假 2024-05-01 至 2024-05-05（5 天）；调休上班 2024-04-28（星期日）、2024-05-11（星期六）",
        "端午节：放假 2024-06-10",
        "中秋节：放假 2024-09-15 至 2024-09-17（3 天）；调休上班 2024-09-14（星期六）",
        "国庆节：放假 2024-10-01 至 2024-10-07（7 天）；调休上班 2024-09-29（星期日）、2024-10-12（星期六）",
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn the_years_loaded_and_an_override_that_adds_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = stdout(&mut xxgk(dir.path()));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "已载入的节假日安排（8 个年度）：");
    assert_eq!(
        lines[1],
        "2019 年：国办发明电〔2018〕15号；来源：程序内置（data/calendar/2019.toml）"
    );
    assert_eq!(
        lines[8],
        "2026 年：国办发明电〔2025〕7号；来源：程序内置（data/calendar/2026.toml）"
    );
    assert_eq!(lines.len(), 9);

    let cal = dir.path().join("calendar");
    std::fs::create_dir(&cal).expect("mkdir");
    let file = cal.join("2027.toml");
    std::fs::write(
        &file,
        "year = 2027\nnotice = \"\"\ntitle = \"测试安排\"\n[[holiday]]\nname = \"元旦\"\noff = [\"2027-01-01\"]\n",
    )
    .expect("write");
    let out = stdout(&mut xxgk(dir.path()));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "已载入的节假日安排（9 个年度）：");
    assert_eq!(
        lines[9],
        format!(
            "2027 年：文号未录入；来源：数据目录覆盖文件（{}）",
            file.display()
        )
    );
    let out = stdout(xxgk(dir.path()).arg("2027"));
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "2027 年节假日安排",
            "通知：测试安排（文号未录入）",
            &format!("来源：数据目录覆盖文件（{}）", file.display()),
            "元旦：放假 2027-01-01",
        ]
    );
}

#[test]
fn a_missing_year_and_a_bad_override_are_refused_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = xxgk(dir.path()).arg("2018").output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("日历缺失：未载入 2018 年的节假日安排"),
        "{err}"
    );

    let cal = dir.path().join("calendar");
    std::fs::create_dir(&cal).expect("mkdir");
    // A make-up workday on a Monday is not a 调休上班日.
    std::fs::write(
        cal.join("2026.toml"),
        "year = 2026\ntitle = \"x\"\n[[holiday]]\nname = \"春节\"\noff = [\"2026-02-15\"]\nwork = [\"2026-02-16\"]\n",
    )
    .expect("write");
    let out = xxgk(dir.path()).arg("2026").output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("调休上班日 2026-02-16 是星期一"), "{err}");
}
