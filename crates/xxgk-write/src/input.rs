//! The editable input file: a TOML file that a person in a 政务公开 office edits in a text editor,
//! and from which `xxgk render` writes the report.
//!
//! * [`render_input`] writes any [`Report`] in this format (so an extracted report becomes an
//!   editable input file); `xxgk_read::input::read_input` reads it back to the same cells and
//!   metadata.
//! * [`new_input`] writes the template of `xxgk new`: every part with its sub-headings and
//!   【待填写】 placeholders, every cell 0, and, given last year's report, 上年结转 filled from last
//!   year's 结转下年度 with notes.
//! * [`aggregate_input`] sums several agencies' tables cell by cell into a 本级政府 input file.
//!
//! The layout follows the report: `[meta]`, then `[part1]` … `[part6]` (heading, paragraphs and
//! `[[partN.subsections]]`), each table's rows (`[tables.requests.new_received]`) under the part
//! that prints the table, one `column = value` line per cell with its printed label as comment.
//! Values: a number as printed (decimals exactly as written: the reader takes the characters of
//! the file, not a float); a blank cell is `""`; text such as "/" is a quoted string; a cell the
//! report does not print is left out (written as a comment).
//!
//! Every table label and part heading printed comes from `xxgk_model::catalogue`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use xxgk_model::catalogue::{
    self, ColumnDef, Format, RowDef, TableId, ACTIVE_ROW_HEADER, APPLICANT_COLUMNS,
    APPLICANT_HEADER, CHINESE_NUMERALS, GOVERNMENT_SUFFIX, NOTE_BALANCE, NOTE_BALANCE_KEY,
    ORGANISATION_HEADER, OUTCOMES_GROUP, PART1_ACCOUNTABILITY_TOPIC, PART1_TOPICS, PART5_TOPICS,
    PART6_ITEMS, PARTS, TEXT_TO_BE_WRITTEN,
};
use xxgk_model::{
    Cell, CellId, Date, Located, Meta, Number, Report, ReportKind, Section, Sourced, Span, Value,
};

use xxgk_model::catalogue::TITLE_SUFFIX;

/// Why an input file could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("{year} 年度没有标准表格格式（标准格式自 2019 年度起使用）")]
    NoFormat { year: i32 },
    #[error("没有可汇总的报告")]
    NoReports,
    #[error("以下报告不能汇总：\n{}", .0.join("\n"))]
    Refused(Vec<String>),
    #[error("单元格 {0} 的合计超出可精确表示的范围")]
    Overflow(String),
}

/// Comments printed with an input file, beyond the fixed explanations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    /// Lines added to the header comment.
    pub header: Vec<String>,
    /// Lines printed above a row's `[tables.…]` header.
    pub rows: BTreeMap<(TableId, &'static str), Vec<String>>,
    /// Lines printed above a cell's line.
    pub cells: BTreeMap<CellId, Vec<String>>,
    /// Lines printed at the start of a part (index 0 = part 一).
    pub parts: [Vec<String>; 6],
    /// The numbers are a template's zeros: say so in the header.
    pub template: bool,
}

/// Column at which the label comments of cell lines start.
const COMMENT_COLUMN: usize = 40;

const RULE: &str = "# ════════════════════════════════════════════════════════════════════";
const THIN_RULE: &str = "# ────────────────────────────────────────────────────────────────────";

/// The report as an input file.
pub fn render_input(report: &Report) -> String {
    render_with(report, &Notes::default())
}

/// The report as an input file, with `notes` printed as comments where they belong.
pub fn render_with(report: &Report, notes: &Notes) -> String {
    let format = report.format().unwrap_or(Format::F2021);
    let mut out = String::with_capacity(24 * 1024);
    header(&mut out, report, format, notes);
    meta(&mut out, report, format);
    for part in 1..=6u8 {
        part_block(&mut out, report, part, notes);
        if let Some(table) = TableId::ALL.into_iter().find(|t| t.part() == part) {
            table_block(&mut out, report, format, table, notes);
        }
    }
    out
}

fn header(out: &mut String, report: &Report, format: Format, notes: &Notes) {
    let _ = writeln!(out, "{RULE}");
    let _ = writeln!(out, "#  {}", crate::report_title(report));
    let _ = writeln!(out, "#  年度报告输入文件（xxgk）");
    let _ = writeln!(out, "{RULE}");
    out.push_str(
        "#
# 这是什么：本文件记录年度报告的全部内容——基本信息、六个部分的正文、三张表格的每一个数字。
#   填好后运行  xxgk render 本文件.toml --to docx,html,pdf  生成正式格式的报告；
#   生成前会先做全部检查（表格的勾稽关系、上下年衔接等），有错误时停下并列出错误。
#
# 怎么改：用记事本、WPS、VS Code 等任何文本编辑器打开，改完按 UTF-8 编码保存。
#   · “#” 之后到行尾是说明，不会进入报告，可以删除。
#   · 文字写在英文双引号 \"……\" 之间；文字中的双引号写成 \\\" ，反斜杠写成 \\\\ 。
#   · 正文每段一对引号，段与段之间用英文逗号隔开，全部放在 paragraphs = [ … ] 中。
#   · 小标题写在 [[partN.subsections]] 的 heading 中，连同序号，如 \"（一）主动公开\"；
#     需要更多小标题时，复制一整段 [[partN.subsections]]（含 heading 和 paragraphs）。
#   · 表格每个单元格一行：标识 = 数值。等号左边的英文标识不要改，它的含义写在行尾 # 之后。
#   · 数字直接写，不加引号：0、12、3985758。金额可以有小数，如 96171.6，按所写原样保留，
#     不会四舍五入（读取时取的是文件中写的字符，不经浮点数换算；也可以写成 \"96171.6\"）。
#   · 空白单元格写成 \"\"（一对空的双引号）：报告中该格留空，检查时报告为空白单元格。
#     空白和 0 是两回事：没有发生的事项写 0；不知道的数字不要写成 0。
#   · 单元格中要印 “/”“无” 等文字时，写在引号中，如 \"/\"；检查时会报告。
#   · 不要删除表格中的行：删掉的单元格视为报告没有印这一格，检查时报告为缺失。
",
    );
    if notes.template {
        let _ = writeln!(
            out,
            "#   · 本模板中表格的数字都预填为 0：这只是方便填写的起点（模板的约定，不是统计结果），
#     请逐格核对，改成本年度的实际数字。
#   · 正文中的 “{TEXT_TO_BE_WRITTEN}” 是占位文字，请换成实际内容；留有占位文字时不能生成报告。"
        );
    }
    let _ = writeln!(
        out,
        "#
# 表格格式：{}。",
        format.instrument()
    );
    if !notes.header.is_empty() {
        out.push_str("#\n");
        for line in &notes.header {
            comment_line(out, "", line);
        }
    }
    out.push('\n');
}

fn comment_line(out: &mut String, indent: &str, text: &str) {
    for line in text.split('\n') {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}#");
        } else {
            let _ = writeln!(out, "{indent}# {line}");
        }
    }
}

fn section_banner(out: &mut String, title: &str) {
    let _ = writeln!(out, "{THIN_RULE}\n# {title}\n{THIN_RULE}");
}

/// The width of `s` in a text editor's columns: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// `key = value` padded, then `# comment`.
fn keyed(out: &mut String, key: &str, value: &str, comment: &str) {
    let mut line = format!("{key} = {value}");
    if !comment.is_empty() {
        let width = display_width(&line);
        let pad = COMMENT_COLUMN.saturating_sub(width).max(1);
        line.push_str(&" ".repeat(pad));
        line.push_str("# ");
        line.push_str(comment);
    }
    out.push_str(&line);
    out.push('\n');
}

/// A TOML basic string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn date_value(d: Option<Date>) -> String {
    quote(&d.map(|d| d.to_string()).unwrap_or_default())
}

fn meta(out: &mut String, report: &Report, format: Format) {
    let m = &report.meta;
    section_banner(out, "基本信息");
    let other = match format {
        Format::F2021 => Format::F2019,
        Format::F2019 => Format::F2021,
    };
    let _ = writeln!(
        out,
        "# format：表格格式。\"{}\" 为{}，\"{}\" 为{}。\n#   一般不用改：按年度，2021 年度起用 \"2021\"，2019、2020 年度用 \"2019\"。",
        format.id(),
        format.instrument(),
        other.id(),
        other.instrument()
    );
    let _ = writeln!(
        out,
        "# is_government_level：本级人民政府的年度报告（机关名称以“{GOVERNMENT_SUFFIX}”结尾、\n#   报告本级政府整体情况）写 true，政府部门的报告写 false。"
    );
    out.push_str("[meta]\n");
    keyed(
        out,
        "agency",
        &quote(m.agency.as_deref().unwrap_or("")),
        "机关名称（全称，与标题一致）",
    );
    if let Some(p) = &m.agency_printed {
        if m.agency.as_ref() != Some(p) {
            keyed(
                out,
                "agency_printed",
                &quote(p),
                "标题中所印的机关名称（含简称时）",
            );
        }
    }
    match m.year {
        Some(y) => keyed(
            out,
            "year",
            &y.to_string(),
            "统计年度（报告所述的年度，不是发布年度）",
        ),
        None => out.push_str(
            "# year =                               # 统计年度：报告中没有读到，请填写\n",
        ),
    }
    match report.kind {
        ReportKind::Standard(f) => keyed(out, "format", &quote(f.id()), "表格格式（见上）"),
        ReportKind::Pre2019 => out.push_str(
            "# format =                             # 2019 年以前的报告没有标准表格格式\n",
        ),
    }
    match m.government_level {
        Some(g) => keyed(
            out,
            "is_government_level",
            if g { "true" } else { "false" },
            "是否为本级人民政府的年度报告（见上）",
        ),
        None => out.push_str(
            "# is_government_level = false         # 未说明；需要时去掉行首的 # 并写 true 或 false\n",
        ),
    }
    keyed(
        out,
        "title",
        &quote(m.title.as_ref().map_or("", |t| t.value.as_str())),
        "标题",
    );
    match &m.period {
        Some(p) => keyed(
            out,
            "period",
            &format!(
                "[{}, {}]",
                date_value(Some(p.value.0)),
                date_value(Some(p.value.1))
            ),
            "统计期限：起止日期",
        ),
        None => out.push_str(
            "# period = [\"\", \"\"]                   # 统计期限：起止日期，如 [\"2025-01-01\", \"2025-12-31\"]\n",
        ),
    }
    keyed(
        out,
        "published",
        &date_value(m.published.as_ref().map(|d| d.value)),
        "发布日期，如 \"2026-01-20\"；还未确定时写 \"\"",
    );
    keyed(
        out,
        "contact",
        &quote(m.contact.as_ref().map_or("", |c| c.value.as_str())),
        "联系方式（地址、邮编、电话），没有时写 \"\"",
    );
    let preamble = crate::narrative::printed_preamble(report);
    if !preamble.is_empty() {
        out.push_str(
            "# preamble：标题之后、第一部分之前的文字，如报告所印，每段一行（写在两组三个英文双引号之间）。\n",
        );
        let _ = writeln!(out, "preamble = {}", quote_lines(&preamble));
    }
    out.push('\n');
}

/// A TOML multi-line basic string holding `lines`, one per line.
fn quote_lines(lines: &[String]) -> String {
    let mut out = String::from("\"\"\"\n");
    for l in lines {
        let q = quote(l);
        out.push_str(&q[1..q.len() - 1]);
        out.push('\n');
    }
    out.push_str("\"\"\"");
    out
}

/// What each part must contain, for the comment at its start.
fn part_guidance(part: u8) -> String {
    match part {
        1 => format!(
            "本部分概述全年工作，应涵盖：{}；本级人民政府的报告还应写明{}。",
            PART1_TOPICS.join("、"),
            PART1_ACCOUNTABILITY_TOPIC
        ),
        2..=4 => {
            let t = TableId::ALL
                .into_iter()
                .find(|t| t.part() == part)
                .unwrap_or(TableId::Active);
            format!(
                "本部分的表格（{}）在下面的 [tables.{}.…] 中逐格填写；表格前如需文字，写在 paragraphs 中。",
                t.short_name(),
                t.key()
            )
        }
        5 => "本部分写本年度存在的主要问题和改进措施，并逐条说明上年报告所列问题的整改情况。"
            .to_string(),
        _ => format!(
            "本部分应逐项说明：{}，以及其他需要报告的事项。",
            PART6_ITEMS.join("、")
        ),
    }
}

/// Whether a line of a part's text is a sub-heading "（一）主动公开".
pub(crate) fn is_subheading(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('（') else {
        return false;
    };
    let Some((number, after)) = rest.split_once('）') else {
        return false;
    };
    CHINESE_NUMERALS.contains(&number)
        && !after.is_empty()
        && after.chars().count() <= 30
        && !after.contains(['。', '；', '，', '：'])
}

/// Whether a line of an extracted part's text is (part of) a table rather than prose.
pub(crate) fn is_table_line(line: &str) -> bool {
    line.trim_start().starts_with('|') || line.trim().contains('\t')
}

/// Whether a trimmed line is a label of `table` (a row or column label, a block caption, a
/// header or a printed note) in either format: in an extracted report, the text of parts 二–四
/// holds the tables as the document printed them.
pub(crate) fn is_table_label(table: TableId, line: &str) -> bool {
    let line = line.trim_start_matches(|c: char| c == '|' || c.is_whitespace());
    Format::ALL.iter().any(|f| {
        let def = catalogue::table(*f, table);
        def.notes
            .iter()
            .any(|n| line.contains(n.trim_matches(['（', '）'])))
            || def.rows.iter().any(|r| {
                line.ends_with(r.label)
                    || r.block.is_some_and(|b| line == b)
                    || r.group.is_some_and(|g| line == g)
                    || r.columns.iter().any(|c| line == c.label)
            })
    }) || line.contains(NOTE_BALANCE_KEY)
        || line == ACTIVE_ROW_HEADER
        || line == APPLICANT_HEADER
        || line == ORGANISATION_HEADER
}

/// Whether a line reads as a sentence (table cells hold no sentence punctuation).
pub(crate) fn is_prose(line: &str) -> bool {
    line.contains(['。', '，', '；', '：'])
}

/// The lines of the report's text for `part`, tables left out. In a report read from a
/// published document, the lines inside a located table and lines laid out as table rows are
/// dropped; and when the text of part 二, 三 or 四 shows its table's labels, only its sentences
/// are kept (the table itself is written from the cells).
pub(crate) fn part_lines(report: &Report, part: u8) -> Vec<String> {
    // A table's lines by number only where they are the text's (not a PDF's page lines).
    let in_table = crate::narrative::in_table(report);
    let table = TableId::ALL.into_iter().find(|t| t.part() == part);
    let mut out = Vec::new();
    for sec in report.sections.iter().filter(|s| s.part == part) {
        let lines: Vec<&str> = sec.text.split('\n').collect();
        let shows_table = table.is_some_and(|t| {
            lines
                .iter()
                .any(|l| is_table_line(l) || is_table_label(t, l.trim()))
        });
        let n = lines.len() as u32;
        for (i, line) in lines.iter().enumerate() {
            // The text ends at `end_line` (it is trimmed at its start, not line by line).
            let number = sec.end_line.saturating_sub(n - 1 - i as u32);
            let line = line.trim();
            if line.is_empty() || in_table(number) {
                continue;
            }
            if !report.tables.is_empty() && is_table_line(line) {
                continue;
            }
            if shows_table
                && (is_table_line(line)
                    || !is_prose(line)
                    || table.is_some_and(|t| is_table_label(t, line)))
            {
                continue;
            }
            out.push(line.to_string());
        }
    }
    out
}

fn paragraphs(out: &mut String, lines: &[String]) {
    if lines.is_empty() {
        out.push_str("paragraphs = []\n");
        return;
    }
    out.push_str("paragraphs = [\n");
    for l in lines {
        let _ = writeln!(out, "  {},", quote(l));
    }
    out.push_str("]\n");
}

fn part_block(out: &mut String, report: &Report, part: u8, notes: &Notes) {
    let def = &PARTS[usize::from(part - 1)];
    let numeral = CHINESE_NUMERALS[usize::from(part - 1)];
    let heading = report
        .sections
        .iter()
        .find(|s| s.part == part)
        .map_or(def.heading, |s| s.heading.as_str());
    section_banner(out, &format!("{numeral}、{heading}"));
    comment_line(out, "", &part_guidance(part));
    for n in &notes.parts[usize::from(part - 1)] {
        comment_line(out, "", n);
    }
    let _ = writeln!(out, "[part{part}]");
    keyed(
        out,
        "heading",
        &quote(heading),
        &format!("标题（不含“{numeral}、”）"),
    );
    let lines = part_lines(report, part);
    let first_sub = lines
        .iter()
        .position(|l| is_subheading(l))
        .unwrap_or(lines.len());
    paragraphs(out, &lines[..first_sub]);
    let mut rest = &lines[first_sub..];
    while let Some((head, tail)) = rest.split_first() {
        let end = tail
            .iter()
            .position(|l| is_subheading(l))
            .unwrap_or(tail.len());
        let _ = writeln!(out, "\n[[part{part}.subsections]]");
        keyed(out, "heading", &quote(head), "小标题（含序号）");
        paragraphs(out, &tail[..end]);
        rest = &tail[end..];
    }
    out.push('\n');
}

/// The rows to write for `table`: those the report's layout prints, plus any other row of the
/// format that holds cells.
fn rows_to_write(report: &Report, format: Format, table: TableId) -> Vec<&'static RowDef> {
    let def = catalogue::table(format, table);
    let single_other = crate::has_single_other(report);
    let standard: Vec<&'static RowDef> = def.rows_for(single_other);
    def.printed_rows()
        .into_iter()
        .filter(|r| {
            standard.iter().any(|s| s.key == r.key)
                || report
                    .cells
                    .keys()
                    .any(|k| k.table == table && k.row == r.key)
        })
        .collect()
}

fn column_comment(table: TableId, col: &ColumnDef) -> String {
    let organisation = table == TableId::Requests
        && APPLICANT_COLUMNS
            .iter()
            .position(|c| c.key == col.key)
            .is_some_and(|i| i > 0 && i + 1 < APPLICANT_COLUMNS.len());
    if organisation {
        format!("{ORGANISATION_HEADER} · {}", col.label)
    } else {
        col.label.to_string()
    }
}

fn row_comment(table: TableId, row: &RowDef) -> String {
    match (table, row.group) {
        (TableId::Requests, Some(g)) if g != OUTCOMES_GROUP => {
            format!("{g} · {}", row.printed_label())
        }
        (TableId::Appeals, Some(g)) => format!("{g} · {}", row.label),
        _ => row.printed_label(),
    }
}

/// A value as written in the file.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::Blank => "\"\"".to_string(),
        Value::Text(t) => quote(t),
    }
}

fn table_block(out: &mut String, report: &Report, format: Format, table: TableId, notes: &Notes) {
    let _ = writeln!(out, "# {}  {}", table.short_name(), table.title());
    let def = catalogue::table(format, table);
    if table == TableId::Requests {
        for note in def.notes.iter().filter(|n| **n == NOTE_BALANCE) {
            let _ = writeln!(out, "# {note}");
        }
    }
    let mut block: Option<&str> = None;
    let mut groups: Vec<&str> = Vec::new();
    for row in rows_to_write(report, format, table) {
        out.push('\n');
        if row.block.is_some() && row.block != block {
            let _ = writeln!(out, "# {}", row.block.unwrap_or_default());
            block = row.block;
        }
        if let Some(g) = row.group.filter(|_| table == TableId::Requests) {
            if !groups.contains(&g) {
                let _ = writeln!(out, "# {g}");
                groups.push(g);
            }
        }
        if let Some(lines) = notes.rows.get(&(table, row.key)) {
            for l in lines {
                comment_line(out, "", l);
            }
        }
        let header = format!("[tables.{}.{}]", table.key(), row.key);
        let pad = COMMENT_COLUMN.saturating_sub(header.chars().count()).max(1);
        let _ = writeln!(
            out,
            "{header}{}# {}",
            " ".repeat(pad),
            row_comment(table, row)
        );
        for col in row.columns {
            let id = CellId {
                table,
                row: row.key,
                column: col.key,
            };
            if let Some(lines) = notes.cells.get(&id) {
                for l in lines {
                    comment_line(out, "", l);
                }
            }
            let comment = column_comment(table, col);
            match report.cells.get(&id) {
                Some(cell) => keyed(out, col.key, &value_text(&cell.value), &comment),
                None => {
                    let _ = writeln!(
                        out,
                        "# {} =                  # {comment}：报告中没有这一格；需要时去掉行首的 # 并填写",
                        col.key
                    );
                }
            }
        }
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------------
// xxgk new
// ---------------------------------------------------------------------------------------------

fn sub_heading(i: usize, topic: &str) -> String {
    format!(
        "（{}）{topic}",
        CHINESE_NUMERALS.get(i).copied().unwrap_or("十")
    )
}

/// The template text of each part: sub-headings and 【待填写】 placeholders.
fn template_sections(format: Format, government: bool) -> Vec<Section> {
    let mut out = Vec::new();
    for def in &PARTS {
        let mut lines: Vec<String> = Vec::new();
        match def.number {
            1 => {
                lines.push(TEXT_TO_BE_WRITTEN.to_string());
                for (i, t) in PART1_TOPICS.iter().enumerate() {
                    lines.push(sub_heading(i, t));
                    lines.push(TEXT_TO_BE_WRITTEN.to_string());
                }
                if government {
                    lines.push(format!("{TEXT_TO_BE_WRITTEN}{PART1_ACCOUNTABILITY_TOPIC}"));
                }
            }
            5 => {
                for (i, t) in PART5_TOPICS.iter().enumerate() {
                    lines.push(sub_heading(i, t));
                    lines.push(TEXT_TO_BE_WRITTEN.to_string());
                }
            }
            6 if format == Format::F2021 => {
                for (i, t) in PART6_ITEMS.iter().enumerate() {
                    lines.push(sub_heading(i, t));
                    lines.push(TEXT_TO_BE_WRITTEN.to_string());
                }
            }
            6 => lines.push(TEXT_TO_BE_WRITTEN.to_string()),
            _ => {}
        }
        out.push(Section {
            part: def.number,
            marker: format!("{}、", CHINESE_NUMERALS[usize::from(def.number - 1)]),
            heading: def.heading.to_string(),
            line: 0,
            end_line: 0,
            text: lines.join("\n"),
        });
    }
    out
}

fn template_meta(agency: &str, year: i32, government: bool) -> Meta {
    let span = Span::line(0);
    Meta {
        title: Some(Sourced {
            value: format!("{agency}{year}{TITLE_SUFFIX}"),
            span,
        }),
        agency_printed: Some(agency.to_string()),
        agency: Some(agency.to_string()),
        year: Some(year),
        period: Date::new(year, 1, 1)
            .zip(Date::new(year, 12, 31))
            .map(|p| Sourced { value: p, span }),
        published: None,
        contact: None,
        government_level: Some(government),
        preamble: Vec::new(),
    }
}

fn cell(value: Value) -> Cell {
    Cell {
        value,
        span: Span::line(0),
        printed_column: None,
        located: Located::Label,
        ocr: None,
    }
}

/// A template report: every cell of the format's standard rows set to `value`.
fn template_report(
    agency: &str,
    year: i32,
    government: bool,
    single_other: bool,
) -> Result<Report, InputError> {
    let format = Format::for_year(year).ok_or(InputError::NoFormat { year })?;
    let mut cells = BTreeMap::new();
    for table in TableId::ALL {
        for row in catalogue::table(format, table).rows_for(single_other) {
            for col in row.columns {
                let id = CellId {
                    table,
                    row: row.key,
                    column: col.key,
                };
                cells.insert(id, cell(Value::int(0)));
            }
        }
    }
    Ok(Report {
        source: None,
        kind: ReportKind::Standard(format),
        meta: template_meta(agency, year, government),
        sections: template_sections(format, government),
        tables: Vec::new(),
        cells,
        findings: Vec::new(),
    })
}

fn describe(report: &Report) -> String {
    let source = report.source.as_deref().unwrap_or("（未命名）");
    let agency = report.meta.agency.as_deref().unwrap_or("机关名称未读到");
    match report.meta.year {
        Some(y) => format!("{source}：{agency}，{y} 年度"),
        None => format!("{source}：{agency}，年度未读到"),
    }
}

fn at_line(cell: &Cell) -> String {
    if cell.span.line > 0 {
        format!("（第 {} 行）", cell.span.line)
    } else {
        String::new()
    }
}

/// Why a previous-year cell cannot be carried over, or `None` when it holds a number.
fn not_a_number(cell: Option<&Cell>) -> Option<String> {
    match cell.map(|c| (&c.value, c)) {
        None => Some("上年报告中没有读到这一格".to_string()),
        Some((Value::Blank, c)) => Some(format!("上年报告这一格是空白{}", at_line(c))),
        Some((Value::Text(t), c)) => Some(format!("上年报告这一格印的是“{t}”{}", at_line(c))),
        Some((Value::Number(_), _)) => None,
    }
}

/// The template of `xxgk new`: a complete input file for `agency`'s report about `year`, every
/// cell 0, every part with its sub-headings and placeholders. With `previous` (last year's
/// report): 上年结转 filled from last year's 结转下年度, column by column (a blank, text or missing
/// cell there leaves the cell blank, with a note — never 0); last year's 现行有效件数 (2021
/// format) or 上一年项目数量 and 本年增/减 (2019 format) noted beside this year's cells; last
/// year's part 五 quoted as a reminder in part 五.
pub fn new_input(agency: &str, year: i32, previous: Option<&Report>) -> Result<String, InputError> {
    new_input_with(agency, year, previous, None)
}

/// As [`new_input`], with tables 三 and 四 taken from `register`: the cells of a report derived
/// from the request register (`xxgk_register::derive_tables`), described by `source`. Every cell
/// of those two tables that `register` holds replaces the template's (and last year's 结转);
/// the header says where they come from.
pub fn new_input_with(
    agency: &str,
    year: i32,
    previous: Option<&Report>,
    register: Option<(&Report, &str)>,
) -> Result<String, InputError> {
    let government = agency.ends_with(GOVERNMENT_SUFFIX);
    let mut report = template_report(agency, year, government, false)?;
    let format = report.format().unwrap_or(Format::F2021);
    let mut notes = Notes {
        template: true,
        ..Notes::default()
    };
    notes.header.push(format!(
        "本文件由 xxgk new 生成：{agency}，{year} 年度（{} 年格式）。",
        format.id()
    ));
    if let Some(prev) = previous {
        carry_over(&mut report, &mut notes, prev, year);
    }
    if let Some((derived, source)) = register {
        for (id, cell) in &derived.cells {
            if matches!(id.table, TableId::Requests | TableId::Appeals) {
                if let Some(mine) = report.cells.get_mut(id) {
                    mine.value = cell.value.clone();
                }
            }
        }
        notes.header.push(format!(
            "表三、表四的数字由依申请公开台账生成（{source}），请勿手工改动；台账有变化时重新生成。"
        ));
    }
    Ok(render_with(&report, &notes))
}

fn carry_over(report: &mut Report, notes: &mut Notes, prev: &Report, year: i32) {
    let prev_year = prev.meta.year;
    notes.header.push(format!("上年报告：{}。", describe(prev)));
    if prev_year != Some(year - 1) {
        notes.header.push(format!(
            "注意：上年报告的年度不是 {} 年，请确认选对了文件。",
            year - 1
        ));
    }
    let label = |table: TableId, row: &str| {
        catalogue::find_row(prev.format(), table, row).map_or(String::new(), |r| r.printed_label())
    };
    let what = prev_year.map_or("上年报告".to_string(), |y| {
        format!("上年（{y} 年度）报告")
    });

    // 上年结转 ← last year's 结转下年度, column by column.
    let from = label(TableId::Requests, "carried_forward");
    let mut lines = vec![format!("注：本行取自{what}“{from}”一行的同一列，请核对。")];
    let row_missing = !prev
        .cells
        .keys()
        .any(|k| k.table == TableId::Requests && k.row == "carried_forward");
    let mut any_missing = false;
    for col in APPLICANT_COLUMNS {
        let here = CellId {
            table: TableId::Requests,
            row: "carried_over",
            column: col.key,
        };
        let there = CellId {
            row: "carried_forward",
            ..here
        };
        let prev_cell = prev.cells.get(&there);
        match not_a_number(prev_cell) {
            None => {
                if let (Some(c), Some(mine)) = (prev_cell, report.cells.get_mut(&here)) {
                    mine.value = c.value.clone();
                }
            }
            Some(why) => {
                any_missing = true;
                if let Some(mine) = report.cells.get_mut(&here) {
                    mine.value = Value::Blank;
                }
                if !row_missing {
                    notes.cells.insert(
                        here,
                        vec![format!("注：{why}，无法结转，本格暂留空白，请核实后填写。")],
                    );
                }
            }
        }
    }
    if row_missing {
        lines = vec![format!(
            "注：{what}中没有读到“{from}”一行，无法结转：本行暂留空白（不是 0），请核实后填写。"
        )];
    } else if any_missing {
        lines.push("上年报告中没有数字的格留为空白（不是 0），请核实后填写。".to_string());
    }
    notes
        .rows
        .insert((TableId::Requests, "carried_over"), lines);

    // 现行有效件数 (2021) / 上一年项目数量 (2019).
    let format = report.format().unwrap_or(Format::F2021);
    for row in catalogue::table(format, TableId::Active).rows {
        for col in row.columns {
            let id = CellId {
                table: TableId::Active,
                row: row.key,
                column: col.key,
            };
            let note = match col.key {
                "in_force" => Some(match prev.cells.get(&id) {
                    Some(c) => match &c.value {
                        Value::Number(n) => format!(
                            "注：{what}的“{}”为 {n}{}，请与本年制发、废止件数核对。",
                            col.label,
                            at_line(c)
                        ),
                        _ => format!(
                            "注：{}，请核对本年数字。",
                            not_a_number(Some(c)).unwrap_or_default()
                        ),
                    },
                    None => format!("注：{what}中没有“{}”这一格。", col.label),
                }),
                "previous_items" => {
                    let change = CellId {
                        column: "change",
                        ..id
                    };
                    let change_label = row
                        .columns
                        .iter()
                        .find(|c| c.key == "change")
                        .map_or("", |c| c.label);
                    match (prev.cells.get(&id), prev.cells.get(&change)) {
                        (Some(p), Some(c)) => Some(format!(
                            "注：{what}：“{}” {}，“{change_label}” {}；本年的“{}”即上年末的项目数量（二者之和），请核实后填写。",
                            col.label,
                            show(&p.value),
                            show(&c.value),
                            col.label
                        )),
                        _ => Some(format!("注：{what}中没有读到这一行的“{}”。", col.label)),
                    }
                }
                _ => None,
            };
            if let Some(n) = note {
                notes.cells.entry(id).or_default().push(n);
            }
        }
    }

    // A reminder of last year's problems in part 五.
    let part5 = &PARTS[4];
    let text: Vec<&str> = prev
        .sections
        .iter()
        .filter(|s| s.part == 5)
        .flat_map(|s| s.text.split('\n'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let reminder = &mut notes.parts[4];
    if text.is_empty() {
        reminder.push(format!("提醒：{what}中没有读到“{}”部分。", part5.heading));
    } else {
        reminder.push(format!(
            "提醒：{what}的“{}”如下，请在本部分逐条说明整改情况：",
            prev.sections
                .iter()
                .find(|s| s.part == 5)
                .map_or(part5.heading, |s| s.heading.as_str())
        ));
        for l in text {
            reminder.push(format!("  {l}"));
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::Blank => "（空白）".to_string(),
        Value::Text(t) => format!("“{t}”"),
    }
}

// ---------------------------------------------------------------------------------------------
// xxgk aggregate
// ---------------------------------------------------------------------------------------------

/// The exact sum of two numbers (decimals aligned to the larger scale), or `None` on overflow.
pub fn add(a: Number, b: Number) -> Option<Number> {
    let parts = |n: Number| match n {
        Number::Int(i) => (i, 0u8),
        Number::Decimal { mantissa, scale } => (mantissa, scale),
    };
    let ((ma, sa), (mb, sb)) = (parts(a), parts(b));
    let scale = sa.max(sb);
    let lift = |m: i64, s: u8| m.checked_mul(10i64.checked_pow(u32::from(scale - s))?);
    let sum = lift(ma, sa)?.checked_add(lift(mb, sb)?)?;
    Some(if matches!((a, b), (Number::Int(_), Number::Int(_))) {
        Number::Int(sum)
    } else {
        Number::Decimal {
            mantissa: sum,
            scale,
        }
    })
}

/// The input file of a 本级政府 summary: the tables of `reports` (several agencies' reports of
/// `year`) summed cell by cell, exactly. A cell that is blank, text or missing in any report is
/// left blank in the sum, with a note naming the reports; nothing is ever counted as 0. Reports
/// of another year or format are refused (every one is named). The text parts are left with
/// placeholders; the header lists the reports used.
pub fn aggregate_input(reports: &[Report], agency: &str, year: i32) -> Result<String, InputError> {
    let format = Format::for_year(year).ok_or(InputError::NoFormat { year })?;
    if reports.is_empty() {
        return Err(InputError::NoReports);
    }
    let mut refused = Vec::new();
    for r in reports {
        if r.meta.year != Some(year) {
            refused.push(format!("  {}：不是 {year} 年度", describe(r)));
        } else if r.format() != Some(format) {
            let found = r.kind.id();
            refused.push(format!(
                "  {}：表格格式为 {found}，{year} 年度应为 {} 年格式",
                describe(r),
                format.id()
            ));
        }
    }
    for (i, r) in reports.iter().enumerate() {
        let twice =
            r.meta.agency.is_some() && reports[..i].iter().any(|o| o.meta.agency == r.meta.agency);
        if twice {
            refused.push(format!(
                "  {}：同一机关的报告出现了两次，会重复计数",
                describe(r)
            ));
        }
    }
    if !refused.is_empty() {
        return Err(InputError::Refused(refused));
    }

    let single_other = format == Format::F2019 || reports.iter().all(crate::has_single_other);
    let mut report = template_report(agency, year, true, single_other)?;
    let mut notes = Notes::default();
    notes.header.push(format!(
        "本文件由 xxgk aggregate 生成：{agency} {year} 年度本级政府汇总，表格为以下 {} 份报告逐格相加之和：",
        reports.len()
    ));
    for (i, r) in reports.iter().enumerate() {
        notes.header.push(format!("  {}. {}", i + 1, describe(r)));
    }
    notes.header.push(
        "任何一份报告中为空白、文字或缺失的格，合计留为空白（不按 0 计），并在该格上方注明。"
            .to_string(),
    );
    notes.header.push(format!(
        "正文各部分需另行撰写，“{TEXT_TO_BE_WRITTEN}”处为占位文字。"
    ));

    let ids: Vec<CellId> = report.cells.keys().copied().collect();
    for id in ids {
        let mut sum = Some(Number::Int(0));
        let mut why = Vec::new();
        for r in reports {
            let source = r.source.as_deref().unwrap_or("（未命名）");
            match r.cells.get(&id).map(|c| &c.value) {
                Some(Value::Number(n)) => {
                    sum = match sum {
                        Some(s) => {
                            Some(add(s, *n).ok_or_else(|| InputError::Overflow(id.to_string()))?)
                        }
                        None => None,
                    };
                }
                Some(Value::Blank) => {
                    sum = None;
                    why.push(format!("{source} 此格为空白"));
                }
                Some(Value::Text(t)) => {
                    sum = None;
                    why.push(format!("{source} 此格印的是“{t}”"));
                }
                None => {
                    sum = None;
                    why.push(format!("{source} 中没有这一格"));
                }
            }
        }
        let value = match sum {
            Some(n) => Value::Number(n),
            None => Value::Blank,
        };
        if let Some(c) = report.cells.get_mut(&id) {
            c.value = value;
        }
        if !why.is_empty() {
            notes.cells.insert(
                id,
                vec![format!(
                    "合计留空：{}。请补齐后重新汇总或直接填写。",
                    why.join("；")
                )],
            );
        }
    }
    let extra: Vec<String> = reports
        .iter()
        .flat_map(|r| r.cells.keys())
        .filter(|k| !report.cells.contains_key(k))
        .map(|k| k.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !extra.is_empty() {
        notes.header.push(format!(
            "以下单元格只出现在部分报告中，未计入合计：{}。",
            extra.join("、")
        ));
    }
    Ok(render_with(&report, &notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sums() {
        let d = |s: &str| Number::parse(s).unwrap_or(Number::Int(-1));
        assert_eq!(add(d("1"), d("2")), Some(Number::Int(3)));
        assert_eq!(
            add(d("0.1"), d("0.2")).map(|n| n.to_string()),
            Some("0.3".into())
        );
        assert_eq!(
            add(d("96171.6"), d("3")).map(|n| n.to_string()),
            Some("96174.6".into())
        );
        assert_eq!(
            add(d("1.25"), d("-0.5")).map(|n| n.to_string()),
            Some("0.75".into())
        );
        assert_eq!(add(Number::Int(i64::MAX), Number::Int(1)), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(quote("\u{1}"), "\"\\u0001\"");
    }

    #[test]
    fn subheadings() {
        assert!(is_subheading("（一）主动公开"));
        assert!(!is_subheading(
            "（一）收取信息处理费情况。2024年，我中心未收取"
        ));
        assert!(!is_subheading("一、总体情况"));
        assert!(!is_subheading("（一）"));
    }
}
