//! The rough edges a first-time user meets on the command line (issue 9, item 5), each with the
//! exact Chinese message: help texts, clap's and the system's errors, errors in the input file,
//! damaged or foreign files, output paths, the `check` summary, text that is not a report, CSV
//! for Excel, PDF pages in findings, rule references, `new --year`.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;

mod common;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/example-2024.txt")
}

/// `xxgk` run in `dir` (so that file names in messages are the relative names given).
fn xxgk(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("xxgk");
    cmd.env("NO_COLOR", "1").current_dir(dir);
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    xxgk(dir).args(args).output().expect("xxgk runs")
}

fn stdout_of(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("standard output is UTF-8")
}

fn stderr_of(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("standard error is UTF-8")
}

/// No English of clap or of the operating system reaches the user.
fn assert_chinese_only(text: &str) {
    for english in [
        "error:",
        "Usage:",
        "tip:",
        "For more information",
        "os error",
        "No such file",
        "Permission denied",
    ] {
        assert!(!text.contains(english), "{english:?} in: {text}");
    }
}

/// A fresh input file of `xxgk new` in `dir`, as `name`.
fn new_input(dir: &Path, name: &str) -> String {
    let o = run(
        dir,
        &[
            "new",
            "--agency",
            "某某市某某局",
            "--year",
            "2025",
            "-o",
            name,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    fs::read_to_string(dir.join(name)).expect("input file written")
}

/// Replace exactly one occurrence (the test is wrong if the template changes).
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "expected one {from:?}");
    text.replacen(from, to, 1)
}

/// The 1-based line of the first line of `text` that starts with `prefix`.
fn line_starting(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no line starts with {prefix:?}"))
}

// ------------------------------------------------------------------------------------ help

#[test]
fn help_says_what_is_read_and_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(dir.path(), &["render", "--help"]);
    assert!(o.status.success());
    let help = stdout_of(&o);
    assert!(!help.contains("尚未完成"), "{help}");
    assert!(
        help.contains("  pdf   PDF 文件：A4 版式，三张表格同正式表格，所用字体嵌入文件\n"),
        "{help}"
    );
    assert!(
        help.contains("输出格式：docx、pdf、html、md、xlsx、json，可用逗号分隔多个"),
        "{help}"
    );

    let o = run(dir.path(), &["--help"]);
    let help = stdout_of(&o);
    assert!(
        help.contains("  render     检查报告并生成正式格式的文件：Word（docx）、PDF、网页（html）、Markdown、Excel（xlsx）、JSON\n"),
        "{help}"
    );
    // The help is wrapped to the terminal: compared without white space.
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    for read in [
        "网页（HTML）",
        "Word 文档（.docx，以及 Word 97–2003 的 .doc 和 WPS 的 .wps）",
        "有文字层的 PDF",
        "xxgk new 生成的输入文件（.toml）",
        "xxgk extract 输出的 JSON",
    ] {
        assert!(
            squeeze(&help).contains(&squeeze(read)),
            "--help does not say {read}: {help}"
        );
    }
    assert_chinese_only(&help);
}

// ------------------------------------------------------------------------------ clap errors

#[test]
fn command_line_errors_are_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&[&str], &str); 5] = [
        (
            &["foo"],
            "xxgk: 没有“foo”这个命令\n  提示：可用的命令：extract、check、rules、new、aggregate、render\n用法：xxgk <命令>\n查看全部选项和示例：xxgk --help\n",
        ),
        (
            &["chek", "a.txt"],
            "xxgk: 没有“chek”这个命令\n  提示：是不是要用命令“check”？\n  提示：可用的命令：extract、check、rules、new、aggregate、render\n用法：xxgk <命令>\n查看全部选项和示例：xxgk --help\n",
        ),
        (
            &["extract"],
            "xxgk: 缺少必需的参数：<文件>...\n用法：xxgk extract [选项] <文件>...\n查看全部选项和示例：xxgk extract --help\n",
        ),
        (
            &["check", "--bogus", "a.txt"],
            "xxgk: 无法识别的参数“--bogus”\n  提示：如果“--bogus”是文件名，请写在 -- 之后：-- --bogus\n用法：xxgk check [选项] <文件>...\n查看全部选项和示例：xxgk check --help\n",
        ),
        (
            &["check", "--format", "xls", "a.txt"],
            "xxgk: 参数 --format <格式> 的取值“xls”无效\n  提示：是不是要用“xlsx”？\n  提示：可用的取值：text、json、csv、xlsx\n查看全部选项和示例：xxgk check --help\n",
        ),
    ];
    for (args, expected) in cases {
        let o = run(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr_of(&o), expected, "{args:?}");
    }
    let o = run(
        dir.path(),
        &["new", "--agency", "某局", "--year", "二〇二五"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        "xxgk: 参数 --year <年度> 的取值“二〇二五”无效：应当是整数，如 2025\n查看全部选项和示例：xxgk new --help\n"
    );
}

#[test]
fn system_errors_are_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(dir.path(), &["extract", "无此文件.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr_of(&o), "xxgk: 无此文件.txt: 文件不存在\n");
    let o = run(dir.path(), &["render", "无此文件.toml", "--to", "md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr_of(&o), "xxgk: 无此文件.toml: 文件不存在\n");
}

// ------------------------------------------------------------------------------ input file

#[test]
fn input_file_errors_name_the_real_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = new_input(dir.path(), "模板.toml");

    // A line break typed inside a paragraph's quotes.
    let broken = replace_once(
        &template,
        "[part1]\nheading = \"总体情况\"                    # 标题（不含“一、”）\nparagraphs = [\n  \"【待填写】\",",
        "[part1]\nheading = \"总体情况\"                    # 标题（不含“一、”）\nparagraphs = [\n  \"2025年，我局\n认真贯彻《条例》。\",",
    );
    let line = line_starting(&broken, "  \"2025年，我局");
    fs::write(dir.path().join("换行.toml"), &broken).expect("write");
    let o = run(dir.path(), &["extract", "换行.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        format!(
            "xxgk: 换行.toml: 输入文件有误：文字的引号没有在同一行内闭合：一段文字中间不能直接换行。\
             要分成两段，请在第一段末尾加 \"，另起一行写 \"第二段…\"；同一段内换行写成 \\n，第 {line} 行\n"
        )
    );

    // A letter typed into a number.
    let (head, rest) = template
        .split_once("[tables.requests.new_received]")
        .expect("table 三 in the template");
    let bad = format!(
        "{head}[tables.requests.new_received]{}",
        rest.replacen("natural_person = 0 ", "natural_person = 46x", 1)
    );
    let line = line_starting(&bad, "natural_person = 46x");
    fs::write(dir.path().join("数字.toml"), &bad).expect("write");
    let o = run(dir.path(), &["extract", "数字.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        format!(
            "xxgk: 数字.toml: 输入文件有误：单元格 requests.new_received.natural_person 的值“46x”不是数字：\
             数字只能由 0–9 和小数点组成，如 46 或 96171.6；要印文字请写在英文双引号中，如 \"/\"，第 {line} 行\n"
        )
    );

    // The year in Chinese numerals: one error, not one per cell.
    let year = replace_once(&template, "year = 2025 ", "year = \"二〇二五\"");
    let line = line_starting(&year, "year = ");
    fs::write(dir.path().join("年度.toml"), &year).expect("write");
    let o = run(dir.path(), &["extract", "年度.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        format!(
            "xxgk: 年度.toml: 输入文件有误：统计年度 year 应当是不加引号的阿拉伯数字年份，\
             如 year = 2025，不能写成 \"二〇二五\"，第 {line} 行\n"
        )
    );
}

// ------------------------------------------------------------------- damaged, foreign files

#[test]
fn damaged_and_foreign_files_say_what_they_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::copy(example(), d.join("年报.txt")).expect("copy");
    let o = run(
        d,
        &["render", "年报.txt", "--to", "docx,xlsx", "--force", "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));

    let docx = fs::read(d.join("年报.docx")).expect("docx written");
    fs::write(d.join("损坏.docx"), &docx[..docx.len() / 2]).expect("write");
    let o = run(d, &["extract", "损坏.docx"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        "xxgk: 损坏.docx: DOCX 文件已损坏：ZIP 目录无法解析（文件可能不完整，或不是 Word 文档）\n"
    );

    let o = run(d, &["extract", "年报.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        "xxgk: 年报.xlsx: 不是年度报告（Excel 工作簿）\n"
    );
}

/// A one-page PDF whose content stream inflates to `size` bytes of spaces.
fn pdf_with_content_of(size: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![b' '; size]).expect("compress");
    let stream = z.finish().expect("compress");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: [Vec<u8>; 3] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_vec(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    offsets.push(pdf.len());
    pdf.extend_from_slice(
        format!(
            "4 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            stream.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&stream);
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

#[test]
fn a_pdf_beyond_the_content_limit_is_too_large_not_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // The limit is 32 MB decompressed per content stream.
    fs::write(d.join("过大.pdf"), pdf_with_content_of((32 << 20) + 1)).expect("write");
    let o = run(d, &["extract", "过大.pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        "xxgk: 过大.pdf: PDF 内容流过大：页面内容超过读取上限（每个内容流解压后 32 MB），未能读出任何文字\n"
    );
    // The same page with a small content stream (no text) prints nothing readable: said so,
    // not called an empty file (it is not one).
    fs::write(d.join("空白.pdf"), pdf_with_content_of(1000)).expect("write");
    let o = run(d, &["extract", "空白.pdf"]);
    assert_eq!(
        stderr_of(&o),
        "xxgk: 空白.pdf: PDF 的页面上没有读出任何文字或图片（内容流可能已损坏，或只有图形）\n"
    );
}

// ----------------------------------------------------------------------------- output paths

#[test]
fn a_wrong_output_path_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let o = run(
        d,
        &[
            "new",
            "--agency",
            "某局",
            "--year",
            "2025",
            "-o",
            "无此目录/2025.toml",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        "xxgk: 无法写入 无此目录/2025.toml：目录 无此目录 不存在\n"
    );

    fs::copy(example(), d.join("年报.txt")).expect("copy");
    let o = run(d, &["check", "年报.txt", "-o", "无此目录/问题.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        "xxgk: 无法创建输出文件 无此目录/问题.txt：目录 无此目录 不存在\n"
    );
    let o = run(d, &["check", "年报.txt", "-o", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr_of(&o),
        "xxgk: 无法创建输出文件 .：这是一个目录，不能作为输出文件\n"
    );

    // render creates a missing directory, but not inside a file.
    let o = run(
        d,
        &[
            "render",
            "年报.txt",
            "--to",
            "md",
            "--force",
            "-q",
            "-o",
            "年报.txt/新/年报.md",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr_of(&o);
    assert!(
        err.ends_with(
            "xxgk: 无法创建输出目录 年报.txt/新：路径 年报.txt/新 中有一部分是文件，不是目录\n"
        ),
        "{err}"
    );
    assert_chinese_only(&err);
}

// -------------------------------------------------------------------------- check summary

#[test]
fn the_summary_counts_an_unreadable_file_as_a_report_with_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::copy(example(), d.join("a.txt")).expect("copy");
    fs::write(d.join("b.txt"), "").expect("write");
    let o = run(d, &["check", "--min-severity", "error", "a.txt", "b.txt"]);
    // The exit code says there is an error: so do the findings and the summary.
    assert_eq!(o.status.code(), Some(1));
    let out = stdout_of(&o);
    assert!(
        out.contains("b.txt — 无法读取\n  错误（1 个）\n    [READ-UNREADABLE] 文件为空\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "汇总\n  报告数：2\n  无法读取数：1\n  有错误的报告数：1（含无法读取的 1 份）\n"
        ),
        "{out}"
    );
}

// ----------------------------------------------------------------- what is and is not a report

#[test]
fn a_report_from_before_2019_has_no_table_missing_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::write(
        d.join("2017.txt"),
        "平潭综合实验区2017年度政府信息公开工作年度报告\n\n一、概述\n\
         2017年，我区认真贯彻落实《中华人民共和国政府信息公开条例》。\n\
         二、主动公开政府信息情况\n全年主动公开政府信息2122条。\n",
    )
    .expect("write");
    let o = run(d, &["check", "2017.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout_of(&o));
    assert_eq!(
        stdout_of(&o),
        "2017.txt — 平潭综合实验区 2017年 2019 年以前的旧年报\n  提示（1 个）\n    \
         [READ-PRE-2019] 2019 年《条例》修订前的年度报告：不含标准表格，未按标准格式读取\n\n\
         汇总\n  报告数：1\n  无法读取数：0\n  有错误的报告数：0\n  有警告的报告数：0\n  各规则问题数：\n    \
         READ-PRE-2019       1  2019 年以前的旧年报\n"
    );
}

#[test]
fn text_that_is_not_a_report_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::write(d.join("hello.txt"), "hello world\n").expect("write");
    fs::write(
        d.join("通知.txt"),
        "某某县人民政府办公室关于做好2024年度政府信息公开工作年度报告编制和发布工作的通知\n\n\
         各乡镇人民政府，县政府各部门：\n根据《中华人民共和国政府信息公开条例》规定，现将有关事项通知如下。\n\
         一、高度重视\n各单位要高度重视年度报告工作。\n二、按时发布\n请于2025年1月31日前向社会公布。\n\n\
         某某县人民政府办公室\n2025年1月5日\n",
    )
    .expect("write");
    const NOT_A_REPORT: &str =
        "无法识别为政府信息公开工作年度报告：既没有年度报告标题，也没有标准表格";
    for name in ["hello.txt", "通知.txt"] {
        let o = run(d, &["extract", name]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert_eq!(stderr_of(&o), format!("xxgk: {name}: {NOT_A_REPORT}\n"));
        assert!(o.stdout.is_empty(), "{name}: no agency is invented");
    }
    // In a batch: counted as unreadable, the others checked.
    fs::copy(example(), d.join("年报.txt")).expect("copy");
    let o = run(
        d,
        &["check", "--min-severity", "error", "通知.txt", "年报.txt"],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout_of(&o);
    assert!(
        out.starts_with(&format!(
            "通知.txt — 无法读取\n  错误（1 个）\n    [READ-UNREADABLE] {NOT_A_REPORT}\n"
        )),
        "{out}"
    );
}

// -------------------------------------------------------------------------------------- CSV

#[test]
fn csv_opens_in_excel_utf8_with_bom_or_gbk_with_chinese_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::copy(example(), d.join("年报.txt")).expect("copy");

    let o = run(d, &["extract", "--format", "csv", "年报.txt"]);
    assert!(o.status.success());
    assert!(
        o.stdout
            .starts_with("\u{feff}source,key,table,row,column,value,line\n".as_bytes()),
        "{}",
        stdout_of(&o)
    );

    let o = run(
        d,
        &[
            "extract",
            "--format",
            "csv",
            "--encoding",
            "gbk",
            "--headers",
            "zh",
            "年报.txt",
        ],
    );
    assert!(o.status.success());
    assert!(std::str::from_utf8(&o.stdout).is_err(), "GBK, not UTF-8");
    let (text, _, bad) = encoding_rs::GBK.decode(&o.stdout);
    assert!(!bad);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("文件,标识符,表,行,列,值,行号"));
    // 表三 一、本年新收 · 自然人 is 46 in the example.
    assert!(
        text.contains(
            "年报.txt,requests.new_received.natural_person,表三,一、本年新收政府信息公开申请数量,自然人,46,"
        ),
        "{text}"
    );

    let o = run(
        d,
        &["check", "--format", "csv", "--headers", "zh", "年报.txt"],
    );
    assert!(o.stdout.starts_with(
        "\u{feff}文件,机关,年度,规则,严重程度,说明,单元格,应为,实为,行,页\n".as_bytes()
    ));
    let o = run(
        d,
        &[
            "check",
            "--format",
            "csv",
            "--encoding",
            "utf8-nobom",
            "年报.txt",
        ],
    );
    assert!(o
        .stdout
        .starts_with(b"source,agency,year,rule,severity,message,cells,expected,found,line,page\n"));
}

// ------------------------------------------------------------------------ PDF pages in findings

#[test]
fn pdf_findings_name_the_page_and_line_in_text_csv_and_xlsx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let template = new_input(d, "2025.toml");
    let (head, rest) = template
        .split_once("[tables.requests.new_received]")
        .expect("table 三 in the template");
    // 自然人 5 but 总计 0: T3-ROW-TOTAL on the row of table 三.
    let bad = format!(
        "{head}[tables.requests.new_received]{}",
        rest.replacen("natural_person = 0 ", "natural_person = 5 ", 1)
    );
    fs::write(d.join("2025.toml"), bad).expect("write");
    let o = run(
        d,
        &[
            "render",
            "2025.toml",
            "--to",
            "pdf",
            "--force",
            "-q",
            "-o",
            "2025.pdf",
        ],
    );
    if o.status.code() == Some(2) && stderr_of(&o).contains("字体") {
        eprintln!("no CJK font: PDF page test skipped: {}", stderr_of(&o));
        return;
    }
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));

    // Where the reader found the cell, independently of the check.
    let o = run(d, &["extract", "2025.pdf"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let at = &json["provenance"]["requests.new_received.natural_person"];
    let (page, line) = (
        at["page"].as_u64().expect("a page"),
        at["line"].as_u64().expect("a line"),
    );

    let o = run(d, &["check", "--min-severity", "error", "2025.pdf"]);
    let out = stdout_of(&o);
    assert!(
        out.contains(&format!("    [T3-ROW-TOTAL] 第{page}页第{line}行: ")),
        "{out}"
    );

    let o = run(d, &["check", "--format", "csv", "2025.pdf"]);
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(9), Some("line"));
    assert_eq!(header.get(10), Some("page"));
    let row = reader
        .records()
        .map(|r| r.expect("row"))
        .find(|r| r.get(3) == Some("T3-ROW-TOTAL"))
        .expect("a T3-ROW-TOTAL row");
    assert_eq!(row.get(9), Some(line.to_string().as_str()));
    assert_eq!(row.get(10), Some(page.to_string().as_str()));

    let o = run(
        d,
        &["check", "--format", "xlsx", "-o", "问题.xlsx", "2025.pdf"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr_of(&o));
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(d.join("问题.xlsx")).expect("xlsx");
    let sheet = book.worksheet_range("问题清单").expect("findings sheet");
    let row = sheet
        .rows()
        .find(|r| r.get(3).map(ToString::to_string).as_deref() == Some("T3-ROW-TOTAL"))
        .expect("a T3-ROW-TOTAL row")
        .to_vec();
    assert_eq!(row[9].to_string(), line.to_string());
    assert!(
        row[10]
            .to_string()
            .starts_with(&format!("第{page}页第{line}行")),
        "{:?}",
        row[10]
    );
}

#[test]
fn every_finding_of_a_real_pdf_names_its_page() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let pdf = corpus.join("real/huaian-city-2024.pdf");
    let dir = tempfile::tempdir().expect("tempdir");
    let o = xxgk(dir.path())
        .args(["check", "--format", "json"])
        .arg(&pdf)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON line");
    let findings = json["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    // The findings on a part (its heading, a line of its text) too, not only those on cells.
    for f in findings {
        for span in f["spans"].as_array().expect("spans") {
            assert!(span["page"].as_u64().is_some(), "no page: {f}");
        }
    }
    // 一、总体情况 is line 9 of page 1 of this PDF (counted by hand in the PDF's text).
    let part1 = findings
        .iter()
        .find(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("PART1-")));
    if let Some(f) = part1 {
        assert_eq!(
            f["spans"][0],
            serde_json::json!({"line": 9, "page": 1}),
            "{f}"
        );
    }
}

// ------------------------------------------------------------------------------ rules, new

#[test]
fn rule_references_cite_the_regulation_or_the_notices_not_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(dir.path(), &["rules"]);
    let out = stdout_of(&o);
    assert!(
        !out.contains("rules.md") && !out.contains("schema.md"),
        "{out}"
    );
    assert!(
        out.contains("    依据：国办公开办函〔2021〕30号表三“二、上年结转政府信息公开申请数量”与上年度“四、结转下年度继续办理”\n"),
        "{out}"
    );
    let o = run(dir.path(), &["rules", "--format", "json"]);
    let out = stdout_of(&o);
    assert!(!out.contains(".md"), "{out}");
}

/// The year of now (UTC), by the system's `date`-free arithmetic of the test itself.
fn this_year() -> i64 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
        / 86_400;
    // 365.2425 days a year on average: exact away from New Year's Eve.
    let mut year = 1970 + days * 10_000 / 3_652_425;
    let start = |y: i64| {
        let y1 = y - 1;
        (y - 1970) * 365 + (y1 / 4 - 1969 / 4) - (y1 / 100 - 1969 / 100) + (y1 / 400 - 1969 / 400)
    };
    while start(year + 1) <= days {
        year += 1;
    }
    while start(year) > days {
        year -= 1;
    }
    year
}

#[test]
fn new_refuses_a_year_without_standard_tables_or_in_the_future() {
    let dir = tempfile::tempdir().expect("tempdir");
    let last = this_year() + 1;
    for year in [2018, last + 1] {
        let o = run(
            dir.path(),
            &["new", "--agency", "某局", "--year", &year.to_string()],
        );
        assert_eq!(o.status.code(), Some(2), "{year}");
        assert_eq!(
            stderr_of(&o),
            format!(
                "xxgk: 统计年度 {year} 超出范围：只能生成 2019 至 {last} 年度的报告\
                 （标准表格自 2019 年度起使用，年度最晚为明年）\n"
            )
        );
        assert!(o.stdout.is_empty());
    }
    for year in [2019, last] {
        let o = run(
            dir.path(),
            &["new", "--agency", "某局", "--year", &year.to_string()],
        );
        assert_eq!(o.status.code(), Some(0), "{year}: {}", stderr_of(&o));
    }
}

// ----------------------------------------------------------------------------- progress bar

#[test]
fn the_progress_bar_ends_full_on_a_terminal() {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0")
        || std::env::var_os("XXGK_NO_PROGRESS").is_some_and(|v| !v.is_empty() && v != "0");
    // A terminal is needed for the bar: `script` (util-linux) gives the command one.
    let script = Path::new("/usr/bin/script");
    if ci || !script.exists() {
        eprintln!("progress bar test skipped: no /usr/bin/script, or CI / XXGK_NO_PROGRESS set");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let many = dir.path().join("年报");
    fs::create_dir(&many).expect("mkdir");
    // More than 20 inputs: the bar is shown.
    for i in 0..25 {
        fs::copy(example(), many.join(format!("{i:02}.txt"))).expect("copy");
    }
    let o = std::process::Command::new(script)
        .args(["-qec"])
        .arg(format!(
            "'{}' check '{}' > /dev/null",
            env!("CARGO_BIN_EXE_xxgk"),
            many.display()
        ))
        .arg("/dev/null")
        .env_remove("NO_COLOR")
        .output()
        .expect("script runs");
    let terminal = String::from_utf8_lossy(&o.stdout).replace("\x1b[2K", "");
    // What the terminal shows last: the text after the last carriage return (a bar that is
    // cleared at the end leaves nothing there).
    let last = terminal.rsplit('\r').next().unwrap_or("").trim_end();
    assert!(
        last.starts_with("检查 [") && last.contains("] 25/25 份 已用 "),
        "the bar does not end full: {last:?} in {terminal:?}"
    );
}
