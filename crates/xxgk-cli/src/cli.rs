//! Command-line arguments. All help text is Chinese; clap's English headings are replaced by a
//! template, and clap's own errors are introduced by a Chinese line (see [`usage_error`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use xxgk_model::Severity;

use crate::csvout::{CsvEncoding, CsvHeaders};

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

const LONG_ABOUT: &str = "\
xxgk（信息公开）读取政府信息公开工作年度报告，把其中的三张标准表格（表二 主动公开、表三 \
收到和处理申请、表四 行政复议和行政诉讼）读成精确的数据：每个单元格一个固定的标识符（如 \
requests.new_received.total），数值与报告所印完全一致，空白单元格记为 null，绝不臆造。
同时读出标题、机关、年度、发布日期和六个部分的正文，并给出读取时发现的问题（提示、警告、错误）。

支持 2021 年格式（国办公开办函〔2021〕30号）和 2019 年试行格式（国办公开办函〔2019〕60号）；\
2019 年以前的旧年报会被识别出来，不强行套用标准表格。
能读取的输入（按内容识别，不看扩展名）：文本文件（UTF-8、UTF-16 或 GB18030/GBK 编码，\
如 Word 导出、网页复制、Markdown）、网页（HTML）、Word 文档（.docx，以及 Word 97–2003 的 .doc \
和 WPS 的 .wps）、有文字层的 PDF、xxgk new 生成的输入文件（.toml）和 xxgk extract 输出的 JSON。
还可以生成正式格式的报告：Word（docx）、PDF、网页（html）、Markdown、Excel（xlsx）。";

const MAIN_AFTER_HELP: &str = "\
示例：
  xxgk extract examples/example-2024.txt           读取一份报告，输出 JSON
  xxgk extract 年报/ --format csv > 单元格.csv      读取目录中的全部文件，输出 CSV
  cat 报告.txt | xxgk extract -                     从标准输入读取

  xxgk check 年报/                                  检查目录中的全部报告（含跨年度核对）
  xxgk rules                                        列出全部检查规则

  xxgk new --agency 某某局 --year 2025 -o 2025.toml  生成本年度报告的输入文件（模板）
  xxgk aggregate 部门年报/ --agency 某某市人民政府 --year 2024 -o 汇总.toml
                                                    汇总各部门的表格
  xxgk render 2025.toml --to docx,xlsx              检查后生成 Word 和 Excel 文件

用 `xxgk 命令 --help`（如 `xxgk new --help`）查看各命令的全部选项。";

const EXTRACT_ABOUT: &str = "读取年度报告，输出 JSON、JSON Lines 或 CSV";

const EXTRACT_LONG_ABOUT: &str = "\
读取一个或多个年度报告文件，输出其中的数据。

• 一个文件：输出一个格式化的 JSON 对象（字段说明见项目 README）。
• 多个文件或目录：每个文件输出一行紧凑的 JSON（JSON Lines），每行都带 \"source\" 字段注明文件名。
• 目录会被递归展开，读取其中全部普通文件（按文件名排序）。
• `-` 表示从标准输入读取。

多个文件并行读取，输出顺序与输入顺序一致。
读取时发现的问题以“文件名:行号: 提示/警告/错误: 说明”的形式写到标准错误（--quiet 可关闭），\
同时也在 JSON 的 \"findings\" 字段中。
无法打开或无法识别的文件在标准错误中报告为“xxgk: 文件名: 原因”，其余文件照常处理。

退出码：0 表示全部读取成功；2 表示至少有一个输入无法读取（或命令行参数有误）；1 表示其他错误（如写输出失败）。";

const EXTRACT_AFTER_HELP: &str = "\
示例（example）：
  xxgk extract examples/example-2024.txt
      输出一个 JSON 对象：{\"format\": \"2021\", \"agency\": \"某某县市场监督管理局\", \"year\": 2024, …}
  xxgk extract a.txt b.txt
      输出两行 JSON（JSON Lines），每行一个报告
  xxgk extract 年报/ --format csv > 单元格.csv
      每个单元格一行：source,key,table,row,column,value,line（带 BOM，Excel 可直接打开）
  xxgk extract 年报/ --format csv --encoding gbk --headers zh > 单元格.csv
      GBK 编码、中文列名
  xxgk extract --format json 年报/
      输出一个 JSON 数组
  cat 报告.txt | xxgk extract - --quiet
      从标准输入读取，不在标准错误中列出读取提示";

const FORMAT_LONG_HELP: &str = "\
输出格式（默认：一个输入为 json，多个输入或目录为 jsonl）：
  json   格式化的 JSON：一个输入为一个对象，多个输入为一个数组
  jsonl  JSON Lines：每个报告一行紧凑的 JSON，每行带 \"source\"
  csv    每个单元格一行，列为 source,key,table,row,column,value,line
         （row、column 为报告中的中文行名、列名；空白单元格的 value 为空）；
         文件带 UTF-8 BOM，Excel 双击即可正确打开（--encoding gbk 写成 GBK 编码，
         --headers zh 用中文列名：文件,标识符,表,行,列,值,行号）";

#[derive(Debug, Parser)]
#[command(
    name = "xxgk",
    version,
    about = "读取、检查并生成政府信息公开工作年度报告：输出精确的数据（JSON / CSV）和发现的问题，生成 Word、PDF、网页等格式的报告",
    long_about = LONG_ABOUT,
    after_help = MAIN_AFTER_HELP,
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    next_help_heading = "选项",
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// 显示帮助（-h 显示摘要）
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,

    /// 显示版本号
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(
        about = EXTRACT_ABOUT,
        long_about = EXTRACT_LONG_ABOUT,
        after_help = EXTRACT_AFTER_HELP,
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk extract [选项] <文件>...",
        disable_help_flag = true,
        next_help_heading = "选项"
    )]
    Extract(ExtractArgs),

    #[command(
        about = CHECK_ABOUT,
        long_about = CHECK_LONG_ABOUT,
        after_help = CHECK_AFTER_HELP,
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk check [选项] <文件>...",
        disable_help_flag = true,
        next_help_heading = "选项"
    )]
    Check(CheckArgs),

    #[command(
        about = RULES_ABOUT,
        long_about = RULES_LONG_ABOUT,
        after_help = RULES_AFTER_HELP,
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk rules [选项]",
        disable_help_flag = true,
        next_help_heading = "选项"
    )]
    Rules(RulesArgs),

    #[command(
        about = NEW_ABOUT,
        long_about = NEW_LONG_ABOUT,
        after_help = NEW_AFTER_HELP,
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk new --agency <机关名称> --year <年度> [--previous <上年报告>] [-o <输出.toml>]",
        disable_help_flag = true,
        next_help_heading = "选项"
    )]
    New(NewArgs),

    #[command(
        about = AGGREGATE_ABOUT,
        long_about = AGGREGATE_LONG_ABOUT,
        after_help = AGGREGATE_AFTER_HELP,
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk aggregate <报告>... --agency <机关名称> --year <年度> [-o <输出.toml>]",
        disable_help_flag = true,
        next_help_heading = "选项"
    )]
    Aggregate(AggregateArgs),

    #[command(
        about = RENDER_ABOUT,
        long_about = RENDER_LONG_ABOUT,
        after_help = RENDER_AFTER_HELP,
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk render <输入> --to <格式>[,<格式>…] [-o <输出>] [--force]",
        disable_help_flag = true,
        next_help_heading = "选项"
    )]
    Render(RenderArgs),

    /// 管理机构（xxgk serve 的数据）：添加、按层级列出
    #[command(
        override_usage = "xxgk agency add|list …",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项"
    )]
    Agency(crate::admin::AgencyArgs),

    /// 管理用户（xxgk serve 的数据）：添加（密码从标准输入读取）、改密码、列出
    #[command(
        override_usage = "xxgk user add|passwd|list …",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项"
    )]
    User(crate::admin::UserArgs),

    /// 管理 API 令牌（xxgk serve 的数据）：创建、撤销、列出
    #[command(
        override_usage = "xxgk token create|revoke|list …",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项"
    )]
    Token(crate::admin::TokenArgs),

    /// 启动网页服务与 JSON API（/api/v1）：默认监听 127.0.0.1:8080，数据在 ./xxgk-data/
    #[command(
        override_usage = "xxgk serve [--data <目录> | --database <地址>] [--listen <地址:端口>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项"
    )]
    Serve(crate::serve::ServeArgs),

    /// 显示答复期限所用的节假日安排（国务院办公厅通知）：某一年的放假与调休上班日，或已载入的年度及来源
    #[command(
        override_usage = "xxgk calendar [年度] [--data <目录>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项"
    )]
    Calendar(crate::calendar::CalendarArgs),

    /// 依申请公开台账：导入、列出、登记申请与答复、登记行政复议和诉讼案件，由台账生成表三、表四
    #[command(
        override_usage = "xxgk register import|list|tables|add|answer|appeal …",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项"
    )]
    Register(crate::register::RegisterArgs),
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// 要读取的文件或目录；`-` 表示标准输入
    #[arg(value_name = "文件", required = true, help_heading = "参数")]
    pub files: Vec<PathBuf>,

    /// 输出格式：json、jsonl 或 csv（默认：一个输入为 json，多个输入或目录为 jsonl）
    #[arg(
        long,
        value_enum,
        value_name = "格式",
        hide_possible_values = true,
        long_help = FORMAT_LONG_HELP
    )]
    pub format: Option<OutputFormat>,

    /// 不在标准错误中列出读取时发现的问题（无法读取的文件仍会报告）
    #[arg(short, long)]
    pub quiet: bool,

    /// CSV 的编码：utf8（默认，带 BOM，Excel 双击即可正确打开）、utf8-nobom（供程序读取）或 gbk
    #[arg(
        long,
        value_enum,
        value_name = "编码",
        default_value = "utf8",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub encoding: CsvEncoding,

    /// CSV 的列名：en（默认，英文标识）或 zh（中文列名）
    #[arg(
        long,
        value_enum,
        value_name = "语言",
        default_value = "en",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub headers: CsvHeaders,

    /// 显示帮助（-h 显示摘要）
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Pretty JSON: one object for one input, an array for several.
    Json,
    /// JSON Lines: one compact object per report, each with "source".
    Jsonl,
    /// CSV: one row per cell.
    Csv,
}

const CHECK_ABOUT: &str = "检查年度报告：表格勾稽关系、数值、结构、日期、正文与表格、跨年度衔接";

const CHECK_LONG_ABOUT: &str = "\
读取一个或多个年度报告文件，逐份检查，列出发现的问题（错误、警告、提示）。

• 每份报告的问题包括：读取时发现的问题（规则 READ-…）和检查规则发现的问题（规则目录见 `xxgk rules`）。
• 输入中有同一机关相邻年度的报告时，自动进行跨年度核对（如上年“结转下年度继续办理”与本年“上年结转”是否一致），\
问题记在后一年度的报告下。
• 目录会被递归展开，读取其中全部普通文件（按文件名排序）；`-` 表示从标准输入读取。
• 同一机关同一年度的报告出现多次时（如同一报告的文本版和 PDF 版），跨年度核对只用先读到的一份，\
后读到的记一条提示（规则 CROSS-DUPLICATE）。
• 多个文件并行读取和检查，每检查完一批（256份）就输出，输出顺序与输入顺序一致。
• 跨年度核对只在内存中保留每份报告的少量数据；上一年度的报告排在后面且不在同一批时，\
后一年度报告的跨年度问题在最后补充列出（JSON中该行带\"supplement\":true）。
• 在终端中检查多于 20 份报告时，标准错误上显示进度条。
• 无法读取的文件记为一个问题（规则 READ-UNREADABLE，错误），其余文件照常检查。

退出码：0 表示没有任何报告有“错误”级别的问题；1 表示至少一份报告有错误（含无法读取的文件）；\
2 表示命令行参数有误，或没有任何输入能够读取。";

const CHECK_AFTER_HELP: &str = "\
示例（example）：
  xxgk check examples/example-2024.txt
      检查一份报告，按 错误 / 警告 / 提示 分组列出问题，最后给出汇总
  xxgk check 2023.txt 2024.txt
      检查两个年度的报告，并核对两年之间的衔接
  xxgk check 年报/ --min-severity error
      只列出错误（汇总仍统计全部问题）
  xxgk check 年报/ --format json > 问题.jsonl
      每份报告一行 JSON：source, agency, year, format, findings
  xxgk check 年报/ --format csv > 问题.csv
      每个问题一行：source,agency,year,rule,severity,message,cells,expected,found,line,page
  xxgk check 年报/ --format xlsx -o 问题.xlsx
      写出 Excel 工作簿：汇总、问题清单、规则统计三张表

终端中错误显示为红色、警告为黄色、提示为灰色；输出不是终端或设置了 NO_COLOR 环境变量时不使用颜色。";

const CHECK_FORMAT_LONG_HELP: &str = "\
输出格式（默认 text）：
  text   中文可读的列表：每份报告一个标题行，问题按 错误、警告、提示 分组，最后是汇总
  json   JSON Lines：每份报告一行紧凑的 JSON，字段为 source, agency, year, format, findings；
         每个问题含 rule, severity（error/warning/info）, message, cells, expected, found, spans
  csv    每个问题一行，列为 source,agency,year,rule,severity,message,cells,expected,found,line,page
         （severity 为中文 错误/警告/提示；cells 为以空格分隔的单元格标识符；page 为 PDF 的页码）；
         文件带 UTF-8 BOM，Excel 双击即可正确打开（--encoding gbk 写成 GBK 编码，--headers zh 用中文列名）
  xlsx   Excel 工作簿（须用 -o 指定文件）：“汇总”表每份报告一行（文件、机关、年度、格式、
         错误数、警告数、提示数、是否可读，末尾为合计），“问题清单”表每个问题一行（文件、机关、
         年度、规则、严重程度、说明、单元格、应为、实为、行、位置），“规则统计”表为各规则的问题数
         和涉及的报告数";

const RULES_ABOUT: &str = "列出全部规则：读取规则和检查规则（标识符、级别、标题、说明、依据）";

const RULES_LONG_ABOUT: &str = "\
列出 `xxgk check` 可能给出的全部规则：标识符、级别（错误/警告/提示）、标题、说明和依据。
先列“读取”规则（READ-…，读取报告时发现的问题，如表格缺失、某行无法读取），\
再列“校验”规则（检查报告内容发现的问题），后者按类别分组。";

const RULES_AFTER_HELP: &str = "\
示例（example）：
  xxgk rules
      列出全部规则：先读取规则，再按类别列出校验规则
  xxgk rules --format json
      输出一个 JSON 数组，每条规则一个对象：id, severity, severity_id, stage（read/check）, group, title, explanation, reference, series";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 要检查的文件或目录；`-` 表示标准输入
    #[arg(value_name = "文件", required = true, help_heading = "参数")]
    pub files: Vec<PathBuf>,

    /// 输出格式：text、json、csv 或 xlsx（默认 text；xlsx 须用 -o 指定文件）
    #[arg(
        long,
        value_enum,
        value_name = "格式",
        default_value = "text",
        hide_possible_values = true,
        hide_default_value = true,
        long_help = CHECK_FORMAT_LONG_HELP
    )]
    pub format: CheckFormat,

    /// 把结果写到此文件（默认写到标准输出；`-` 表示标准输出）。--format xlsx 必须指定
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,

    /// 只输出不低于此级别的问题：error（错误）、warning（警告）或 info（提示，默认）；汇总仍统计全部问题
    #[arg(
        long,
        value_enum,
        value_name = "级别",
        default_value = "info",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub min_severity: MinSeverity,

    /// CSV 的编码：utf8（默认，带 BOM，Excel 双击即可正确打开）、utf8-nobom（供程序读取）或 gbk
    #[arg(
        long,
        value_enum,
        value_name = "编码",
        default_value = "utf8",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub encoding: CsvEncoding,

    /// CSV 的列名：en（默认，英文标识）或 zh（中文列名）
    #[arg(
        long,
        value_enum,
        value_name = "语言",
        default_value = "en",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub headers: CsvHeaders,

    /// 显示帮助（-h 显示摘要）
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Chinese text for people.
    Text,
    /// JSON Lines: one object per report.
    Json,
    /// CSV: one row per finding.
    Csv,
    /// An Excel workbook: a summary sheet, a findings sheet, a sheet of counts per rule.
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    /// Errors only.
    Error,
    /// Errors and warnings.
    Warning,
    /// Everything.
    Info,
}

impl MinSeverity {
    /// The least severe severity that is printed.
    pub fn severity(self) -> Severity {
        match self {
            MinSeverity::Error => Severity::Error,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// 输出格式：text（默认）或 json
    #[arg(
        long,
        value_enum,
        value_name = "格式",
        default_value = "text",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub format: RulesFormat,

    /// 显示帮助（-h 显示摘要）
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// Chinese text, grouped.
    Text,
    /// A JSON array.
    Json,
}

const NEW_ABOUT: &str = "生成本年度报告的输入文件（TOML 模板），可据上年报告填写上年结转";

const NEW_LONG_ABOUT: &str = "\
生成一个完整的年度报告输入文件：基本信息、六个部分（含必备的小标题和第六部分的必备事项）、\
三张表格的全部单元格。用文本编辑器填写后，用 xxgk render 生成正式格式的报告。

• 表格格式按年度选择：2021 年度起为国办公开办函〔2021〕30号格式，2019、2020 年度为 2019 年试行格式。
• 表格的数字都预填为 0，只是方便填写的起点，请逐格改成实际数字；正文中的“【待填写】”是占位文字。
• 给出 --previous（上年的年度报告，任何 xxgk 能读取的文件：文本、网页、Word、PDF、\
输入文件或 xxgk extract 输出的 JSON）时：
  – 表三“上年结转”按列取自上年报告的“结转下年度继续办理”；上年报告中为空白、文字或缺失的格，\
本年留为空白（不是 0），并注明原因；
  – 在现行有效件数（2021 年格式）或上一年项目数量（2019 年格式）旁注明上年报告的数字；
  – 在第五部分开头列出上年报告的“存在的主要问题及改进情况”，提醒逐条说明整改情况。

退出码：0 表示成功；2 表示参数有误、上年报告无法读取或输出文件已存在（用 --force 覆盖）。";

const NEW_AFTER_HELP: &str = "\
示例（example）：
  xxgk new --agency 某某市某某局 --year 2025 -o 2025.toml
      生成 2025 年度的输入文件
  xxgk new --agency 某某市某某局 --year 2025 --previous 2024年报.docx -o 2025.toml
      同上，并据 2024 年度的报告填写上年结转、注明上年数字
  xxgk render 2025.toml --to docx,html,pdf
      填写完成后生成报告";

const AGGREGATE_ABOUT: &str = "把多个机关的年度报告表格逐格相加，生成本级政府汇总报告的输入文件";

const AGGREGATE_LONG_ABOUT: &str = "\
读取多个机关（如本级政府各部门）同一年度的年度报告，把三张表格逐格精确相加（金额的小数也精确相加），\
生成本级政府年度报告的输入文件（is_government_level = true）。正文各部分留有占位文字，需要另行撰写。

• 报告可以是 xxgk 能读取的任何文件；目录会被递归展开。
• 年度不是 --year 的报告、表格格式不是该年度格式的报告，一律拒绝（列出全部这样的报告，不生成文件）。
• 任何一份报告中为空白、文字（如“/”）或缺失的单元格，合计留为空白（绝不按 0 计），\
并在该格上方注明是哪份报告。
• 输入文件开头列出所用的全部报告（文件、机关、年度）。

退出码：0 表示成功；2 表示参数有误、有报告无法读取、有报告被拒绝，或输出文件已存在（用 --force 覆盖）。";

const AGGREGATE_AFTER_HELP: &str = "\
示例（example）：
  xxgk aggregate 部门年报/ --agency 某某市人民政府 --year 2024 -o 汇总.toml
      汇总目录中的全部报告
  xxgk aggregate a.docx b.pdf c.txt --agency 某某县人民政府 --year 2024 -o 汇总.toml";

#[derive(Debug, Args)]
pub struct NewArgs {
    /// 机关名称（全称，与报告标题一致），如 某某市某某局
    #[arg(long, value_name = "机关名称")]
    pub agency: String,

    /// 统计年度（报告所述的年度，不是发布年度），如 2025
    #[arg(long, value_name = "年度")]
    pub year: i32,

    /// 上年的年度报告（任何 xxgk 能读取的文件），用来填写上年结转、注明上年数字
    #[arg(long, value_name = "上年报告")]
    pub previous: Option<PathBuf>,

    /// 表三、表四由依申请公开台账生成（此时 --agency 为机构代码）；数据库中已有该年度报告时列出差异
    #[arg(long)]
    pub register: bool,

    #[command(flatten)]
    pub data: crate::admin::DataArgs,

    /// 输出文件（默认写到标准输出）
    #[arg(short, long, value_name = "输出.toml")]
    pub output: Option<PathBuf>,

    /// 输出文件已存在时覆盖它
    #[arg(long)]
    pub force: bool,

    /// 显示帮助（-h 显示摘要）
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

#[derive(Debug, Args)]
pub struct AggregateArgs {
    /// 要汇总的报告文件或目录
    #[arg(value_name = "报告", required = true, help_heading = "参数")]
    pub files: Vec<PathBuf>,

    /// 汇总报告的机关名称，如 某某市人民政府
    #[arg(long, value_name = "机关名称")]
    pub agency: String,

    /// 统计年度；全部报告都必须是这一年度
    #[arg(long, value_name = "年度")]
    pub year: i32,

    /// 输出文件（默认写到标准输出）
    #[arg(short, long, value_name = "输出.toml")]
    pub output: Option<PathBuf>,

    /// 输出文件已存在时覆盖它
    #[arg(long)]
    pub force: bool,

    /// 显示帮助（-h 显示摘要）
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

const RENDER_ABOUT: &str =
    "检查报告并生成正式格式的文件：Word（docx）、PDF、网页（html）、Markdown、Excel（xlsx）、JSON";

const RENDER_LONG_ABOUT: &str = "\
读取一份报告（xxgk new 生成并填好的输入文件、xxgk extract 输出的 JSON，或任何 xxgk 能读取的报告），\
先做全部检查，再生成所选格式的文件。

• 格式（--to，可用逗号分隔多个，也可重复给出）：
  docx  Word 文档：正式版式，三张表格的合并单元格与国办公开办函〔2021〕30号模板一致
  html  网页：一个自包含的页面，可直接发布到网站；表格的合并单元格同正式表格，可打印
  md    Markdown 文本
  xlsx  Excel 工作簿：表二、表三、表四各一张工作表（表头合并单元格与正式表格一致）和“基本信息”表
  pdf   PDF 文件：A4 版式，三张表格同正式表格，所用字体嵌入文件
  json  JSON（字段说明见项目 README），含全部检查发现的问题
• 检查：与 xxgk check 相同的全部规则；此外，表格中的空白单元格和填写文字（如“/”）的单元格\
也视为错误——生成的报告每格都应是数字（没有发生的填 0）。
  有错误时不生成任何文件，在标准错误中列出问题（退出码 1）；\
加 --force 时照常生成，但每个文件的开头都标有醒目的“未通过校验”（Word 为红色首段，Markdown 为引用块，\
网页为页首的红框，Excel 每张表第一行）。空白单元格在任何输出中都保持空白，绝不填 0。
• 输出位置（-o）：
  不给 -o              写在输入文件旁边，文件名同输入：2025.toml → 2025.docx、2025.md …
  -o 目录/             写到该目录（已存在的目录，或以 / 结尾）：目录/2025.docx …
  -o 路径/名称         作为文件名主干：名称.docx、名称.xlsx …（名称后的 .docx 等扩展名会被去掉）
  -o 文件.docx         只生成一种格式且扩展名相符时，就是该文件本身
  -o -                 只生成一种文本格式（md、html 或 json）时，写到标准输出
  已存在的输出文件会被覆盖；输入文件本身不会被覆盖。

退出码：0 表示已生成；1 表示检查发现错误，没有生成（未加 --force）；2 表示参数有误、输入无法读取或输出位置无法写入。";

const RENDER_AFTER_HELP: &str = "\
示例（example）：
  xxgk render 2025.toml --to docx
      检查 2025.toml，生成 2025.docx
  xxgk render 2025.toml --to docx,md,xlsx,json -o 发布/2025年报
      生成 发布/2025年报.docx、.md、.xlsx、.json
  xxgk extract 旧年报.pdf > 旧年报.json && xxgk render 旧年报.json --to docx -o 重排/
      把已发布的报告重新排成正式版式
  xxgk render 2025.toml --to md -o - --force
      有错误也生成（标有“未通过校验”），Markdown 写到标准输出";

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// 报告：输入文件（.toml）、xxgk extract 输出的 JSON，或任何 xxgk 能读取的报告；`-` 表示标准输入
    #[arg(value_name = "输入", help_heading = "参数")]
    pub input: PathBuf,

    /// 输出格式：docx、pdf、html、md、xlsx、json，可用逗号分隔多个
    #[arg(
        long,
        value_enum,
        value_name = "格式",
        value_delimiter = ',',
        required = true,
        hide_possible_values = true
    )]
    pub to: Vec<RenderFormat>,

    /// 输出位置：目录（以 / 结尾或已存在）、文件名主干，或一种格式时的文件本身（默认：输入文件旁）
    #[arg(short, long, value_name = "输出")]
    pub output: Option<PathBuf>,

    /// 检查发现错误时仍然生成（文件标有“未通过校验”）
    #[arg(long)]
    pub force: bool,

    /// 没有错误时不列出检查发现的警告和提示，也不列出生成的文件和 PDF 所用的替代字体
    #[arg(short, long)]
    pub quiet: bool,

    /// 显示帮助（-h 显示摘要）
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

/// The formats of `xxgk render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// Word (.docx) in the official layout.
    Docx,
    /// One self-contained web page.
    Html,
    /// Markdown.
    #[value(alias = "markdown")]
    Md,
    /// PDF.
    Pdf,
    /// Excel workbook of the three tables.
    Xlsx,
    /// The JSON of schema.md.
    Json,
}

impl RenderFormat {
    pub const ALL: [RenderFormat; 6] = [
        RenderFormat::Docx,
        RenderFormat::Html,
        RenderFormat::Md,
        RenderFormat::Pdf,
        RenderFormat::Xlsx,
        RenderFormat::Json,
    ];
}

/// Report a command-line error in Chinese — what is wrong, a hint where clap has one, the usage
/// line and where to find help — and exit code 2. clap's own English text ("error:", "Usage:",
/// "tip:") is never printed: the message is built from the error's kind and context. `--help`
/// and `--version` are printed by clap as usual (their text is ours).
pub fn usage_error(e: clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit()
    }
    // The command the user typed (for "xxgk check --help"), when clap's context does not say.
    let command = std::env::args().nth(1).filter(|a| {
        matches!(
            a.as_str(),
            "extract" | "check" | "rules" | "new" | "aggregate" | "render"
        )
    });
    eprint!("{}", usage_message(&e, command.as_deref()));
    ExitCode::from(2)
}

/// The Chinese text of a command-line error (see [`usage_error`]).
pub fn usage_message(e: &clap::Error, command: Option<&str>) -> String {
    use clap::error::{ContextKind as K, ContextValue as V};
    let text = |k: K| -> Option<String> {
        match e.get(k)? {
            V::String(s) => Some(s.clone()),
            V::StyledStr(s) => Some(s.to_string()),
            V::Number(n) => Some(n.to_string()),
            V::Strings(v) => Some(v.join("、")),
            V::StyledStrs(v) => Some(
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            _ => None,
        }
    };
    let list = |k: K| -> Vec<String> {
        match e.get(k) {
            Some(V::Strings(v)) => v.clone(),
            Some(V::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let arg = text(K::InvalidArg).unwrap_or_default();
    let value = text(K::InvalidValue).unwrap_or_default();
    let mut hints: Vec<String> = Vec::new();
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            if let Some(s) = text(K::SuggestedSubcommand) {
                hints.push(format!("是不是要用命令“{s}”？"));
            }
            hints.push("可用的命令：extract、check、rules、new、aggregate、render".to_string());
            format!(
                "没有“{}”这个命令",
                text(K::InvalidSubcommand).unwrap_or_default()
            )
        }
        ErrorKind::UnknownArgument => {
            if let Some(s) = text(K::SuggestedArg) {
                hints.push(format!("是不是要用“{s}”？"));
            }
            if arg.starts_with('-') {
                hints.push(format!("如果“{arg}”是文件名，请写在 -- 之后：-- {arg}"));
            }
            format!("无法识别的参数“{arg}”")
        }
        ErrorKind::InvalidValue => {
            let valid = list(K::ValidValue);
            if let Some(s) = text(K::SuggestedValue) {
                hints.push(format!("是不是要用“{s}”？"));
            }
            if !valid.is_empty() {
                hints.push(format!("可用的取值：{}", valid.join("、")));
            }
            if value.is_empty() {
                format!("参数 {arg} 缺少取值")
            } else {
                format!("参数 {arg} 的取值“{value}”无效")
            }
        }
        ErrorKind::ValueValidation => {
            let why = match std::error::Error::source(e) {
                Some(s) if s.is::<std::num::ParseIntError>() => "：应当是整数，如 2025",
                _ => "",
            };
            format!("参数 {arg} 的取值“{value}”无效{why}")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数：{}", list(K::InvalidArg).join("、"))
        }
        ErrorKind::MissingSubcommand => {
            hints.push("可用的命令：extract、check、rules、new、aggregate、render".to_string());
            "缺少命令".to_string()
        }
        ErrorKind::ArgumentConflict => match text(K::PriorArg) {
            Some(prior) => format!("参数 {arg} 不能与 {prior} 同时使用"),
            None => format!("参数 {arg} 不能与其他参数同时使用"),
        },
        ErrorKind::NoEquals => format!("参数 {arg} 的取值要用等号给出，如 {arg}=取值"),
        ErrorKind::TooManyValues => format!("参数 {arg} 的取值过多（多出“{value}”）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::InvalidUtf8 => "参数中有无效的 UTF-8 字符".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let mut out = format!("xxgk: {what}\n");
    for hint in hints {
        out.push_str(&format!("  提示：{hint}\n"));
    }
    let usage = text(K::Usage).map(|u| {
        let u = u.trim();
        u.strip_prefix("Usage:").unwrap_or(u).trim().to_string()
    });
    let command = match command {
        Some(sub) => format!("xxgk {sub}"),
        None => "xxgk".to_string(),
    };
    if let Some(usage) = usage {
        out.push_str(&format!("用法：{usage}\n"));
    }
    out.push_str(&format!("查看全部选项和示例：{command} --help\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn format_defaults_to_none() {
        let cli = Cli::try_parse_from(["xxgk", "extract", "a.txt"]).expect("parses");
        let Command::Extract(args) = cli.command else {
            panic!("extract parses as extract");
        };
        assert_eq!(args.format, None);
        assert!(!args.quiet);
        assert_eq!(args.files, vec![PathBuf::from("a.txt")]);
    }

    #[test]
    fn check_defaults() {
        let cli = Cli::try_parse_from(["xxgk", "check", "a.txt"]).expect("parses");
        let Command::Check(args) = cli.command else {
            panic!("check parses as check");
        };
        assert_eq!(args.format, CheckFormat::Text);
        assert_eq!(args.min_severity, MinSeverity::Info);
        assert_eq!(args.output, None);
        let cli = Cli::try_parse_from(["xxgk", "check", "--format", "xlsx", "-o", "x.xlsx", "a"])
            .expect("parses");
        let Command::Check(args) = cli.command else {
            panic!("check parses as check");
        };
        assert_eq!(args.format, CheckFormat::Xlsx);
        assert_eq!(args.output, Some(PathBuf::from("x.xlsx")));
        assert!(Cli::try_parse_from(["xxgk", "check"]).is_err());
        assert!(Cli::try_parse_from(["xxgk", "check", "--min-severity", "fatal", "a"]).is_err());
    }

    #[test]
    fn extract_needs_a_file() {
        assert!(Cli::try_parse_from(["xxgk", "extract"]).is_err());
    }
}
