//! `xxgk register …`: the request register (issue 11) on the command line. Thin: parse the
//! arguments, read the 台账 file (`xxgk_register::import`), call the store (`xxgk_store`), print
//! Chinese. Every command first recomputes the open cases with the calendar in use (the shipped
//! notices plus `DIR/calendar/*.toml`) on today's date, so a changed calendar takes effect.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{ArgAction, Args, Subcommand, ValueEnum};
use xxgk_register::import::{export_row, import, parse_date, COLUMNS, EXPORT_EXTRA};
use xxgk_register::{
    clock, ApplicantType, Application, Calendar, Case, Channel, Day, Event, Outcome, Status,
};
use xxgk_store::{Actor, Agency, CaseFilter, Store, StoreError, StoredCase, User};

use crate::admin::DataArgs;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

#[derive(Debug, Args)]
#[command(
    disable_help_flag = true,
    subcommand_value_name = "命令",
    subcommand_help_heading = "命令"
)]
pub struct RegisterArgs {
    #[command(subcommand)]
    pub command: RegisterCommand,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// 导入台账（CSV：UTF-8 或 GBK；XLSX）：有问题的行逐行列出，文件没有问题才导入；同一编号再次导入即更新
    #[command(
        override_usage = "xxgk register import <文件> --agency <机构代码> [--skip-bad] [--data <目录> | --database <地址>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Import {
        /// 台账文件（.csv 或 .xlsx）
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 机构代码
        #[arg(long, value_name = "机构代码")]
        agency: String,
        /// 跳过有问题的行，只导入其余的行（并列出跳过的行号）
        #[arg(long)]
        skip_bad: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 列出台账中的申请：编号、收到日期、答复期限、状态、答复日期、办理结果
    #[command(
        override_usage = "xxgk register list --agency <机构代码> [--year <年度>] [--status <状态>] [--format text|json|csv|xlsx] [-o <文件>] [--data <目录> | --database <地址>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    List {
        /// 机构代码
        #[arg(long, value_name = "机构代码")]
        agency: String,
        /// 只列出该年度收到的申请
        #[arg(long, value_name = "年度")]
        year: Option<i32>,
        /// 只列出该状态的申请：正常、临期、逾期、暂停计时、已答复、日历缺失
        #[arg(long, value_name = "状态")]
        status: Option<String>,
        /// 输出格式：text（默认）、json（JSON Lines）、csv、xlsx（须用 -o 指定文件）
        #[arg(
            long,
            value_enum,
            default_value = "text",
            value_name = "格式",
            hide_possible_values = true,
            hide_default_value = true
        )]
        format: ListFormat,
        /// 输出文件（默认标准输出）
        #[arg(short = 'o', long = "output", value_name = "文件")]
        output: Option<PathBuf>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 由台账生成某一年度的表三、表四（schema.md 的 JSON）
    #[command(
        override_usage = "xxgk register tables --agency <机构代码> --year <年度> [--data <目录> | --database <地址>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Tables {
        /// 机构代码
        #[arg(long, value_name = "机构代码")]
        agency: String,
        /// 年度
        #[arg(long, value_name = "年度")]
        year: i32,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 登记一件新的申请
    #[command(
        override_usage = "xxgk register add --agency <机构代码> --number <编号> --received <收到日期> --type <申请人类型> [--name <申请人>] [--content <申请内容>] [--data <目录> | --database <地址>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Add {
        /// 机构代码
        #[arg(long, value_name = "机构代码")]
        agency: String,
        /// 编号
        #[arg(long, value_name = "编号")]
        number: String,
        /// 收到申请之日（第三十一条），如 2025-03-04
        #[arg(long, value_name = "日期")]
        received: String,
        /// 申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他
        #[arg(long = "type", value_name = "申请人类型")]
        applicant_type: String,
        /// 申请人姓名或名称
        #[arg(long, value_name = "申请人", default_value = "")]
        name: String,
        /// 申请内容
        #[arg(long, value_name = "内容", default_value = "")]
        content: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 登记一件申请的答复：答复日期和办理结果（表三的一行）
    #[command(
        override_usage = "xxgk register answer --agency <机构代码> --number <编号> --date <答复日期> --outcome <办理结果> [--withheld <不予公开的部分>] [--data <目录> | --database <地址>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Answer {
        /// 机构代码
        #[arg(long, value_name = "机构代码")]
        agency: String,
        /// 编号
        #[arg(long, value_name = "编号")]
        number: String,
        /// 答复日期
        #[arg(long, value_name = "日期")]
        date: String,
        /// 办理结果：表三一行的名称（如 予以公开、部分公开）或编号（如 granted）
        #[arg(long, value_name = "办理结果")]
        outcome: String,
        /// 部分公开时不予公开的部分及理由
        #[arg(long, value_name = "说明")]
        withheld: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 登记或更新一件政府信息公开行政复议、行政诉讼案件（表四）
    #[command(
        override_usage = "xxgk register appeal --agency <机构代码> --number <案号> --kind <类别> --filed <立案日期> [--concluded <审结日期> --result <结果>] [--data <目录> | --database <地址>]",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Appeal {
        /// 机构代码
        #[arg(long, value_name = "机构代码")]
        agency: String,
        /// 案号（同一案号再次登记即更新）
        #[arg(long, value_name = "案号")]
        number: String,
        /// 类别：复议（行政复议）、直接起诉（未经复议直接起诉）、复议后起诉
        #[arg(long, value_name = "类别")]
        kind: String,
        /// 立案日期
        #[arg(long, value_name = "日期")]
        filed: String,
        /// 审结日期（尚未审结的不填）
        #[arg(long, value_name = "日期", requires = "result")]
        concluded: Option<String>,
        /// 结果：维持、纠正、其他
        #[arg(long, value_name = "结果", requires = "concluded")]
        result: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// A refusal the user caused: exit 2 with its message.
#[derive(Debug)]
struct Refusal(String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

fn refuse<T>(message: String) -> Result<T> {
    Err(Refusal(message).into())
}

pub fn run(args: &RegisterArgs) -> Result<ExitCode> {
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")?
        .block_on(command(&args.command));
    match result {
        Ok(code) => Ok(code),
        Err(e) if e.is::<Refusal>() => {
            eprintln!("xxgk: {e}");
            Ok(ExitCode::from(2))
        }
        Err(e) => match e.downcast_ref::<StoreError>() {
            Some(StoreError::AgencyNotFound(_) | StoreError::EmptyCaseNumber) => {
                eprintln!("xxgk: {e}");
                Ok(ExitCode::from(2))
            }
            _ => Err(e),
        },
    }
}

/// The calendar of the data directory (for `--database`: of `XXGK_DATA` or the default one).
fn calendar(data: &DataArgs) -> Result<Calendar> {
    crate::calendar::load(data.data.as_deref())
}

async fn open(data: &DataArgs, code: &str) -> Result<(Store, Agency, Calendar, Day)> {
    let cal = calendar(data)?;
    let store = crate::admin::open(data).await?;
    let Some(agency) = store.agency_by_code(code.trim()).await? else {
        return refuse(format!("机构不存在：{code}（先用 xxgk agency add 添加）"));
    };
    let today = crate::calendar::today();
    if let Some(w) = cal.next_year_warning(today) {
        eprintln!("提示：{w}");
    }
    store
        .recompute_register(
            &Actor::command_line(),
            &cal,
            today,
            "按当前日历和日期重新计算",
        )
        .await?;
    Ok((store, agency, cal, today))
}

fn day_arg(s: &str, what: &str) -> Result<Day> {
    match parse_date(s) {
        Some(d) => Ok(d),
        None => refuse(format!(
            "{what}“{s}”不是日期（应为 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日）"
        )),
    }
}

async fn command(command: &RegisterCommand) -> Result<ExitCode> {
    let me = User::command_line();
    let actor = Actor::command_line();
    match command {
        RegisterCommand::Import {
            file,
            agency,
            skip_bad,
            data,
        } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
            let (store, agency, cal, today) = open(data, agency).await?;
            let got = match import(&bytes, &cal) {
                Ok(g) => g,
                Err(e) => return refuse(format!("{}：{e}", file.display())),
            };
            if !got.unknown_columns.is_empty() {
                eprintln!(
                    "提示：以下列不是台账的列，已忽略：{}",
                    got.unknown_columns.join("、")
                );
            }
            for e in &got.errors {
                eprintln!("{}：{e}", file.display());
            }
            if !got.errors.is_empty() {
                let rows = got.bad_rows();
                if !skip_bad {
                    return refuse(format!(
                        "没有导入任何申请：{} 行有问题（修正后重新导入，或加 --skip-bad 只导入没有问题的行）",
                        rows.len()
                    ));
                }
                let list: Vec<String> = rows.iter().map(ToString::to_string).collect();
                eprintln!(
                    "已跳过有问题的 {} 行：第 {} 行",
                    rows.len(),
                    list.join("、")
                );
            }
            let cases: Vec<Case> = got.rows.into_iter().map(|r| r.case).collect();
            let sum = store
                .put_cases(&actor, agency.id, &cases, &cal, today)
                .await?;
            // Fresh planner statistics after a bulk import (best effort).
            store.optimize().await.ok();
            println!(
                "已导入 {} 件（{}）：新增 {} 件，更新 {} 件，未变 {} 件",
                cases.len(),
                got.read_as,
                sum.added,
                sum.updated,
                sum.unchanged
            );
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        RegisterCommand::List {
            agency,
            year,
            status,
            format,
            output,
            data,
        } => {
            let status = match status {
                Some(s) => match Status::parse(s) {
                    Some(s) => Some(s),
                    None => {
                        let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
                        return refuse(format!("未知状态：{s}（应为 {} 之一）", labels.join("、")));
                    }
                },
                None => None,
            };
            if matches!(format, ListFormat::Xlsx) && output.is_none() {
                return refuse("--format xlsx 须用 -o 指定输出文件".to_string());
            }
            let (store, agency, cal, today) = open(data, agency).await?;
            let cases = store
                .register_cases(
                    &me,
                    &CaseFilter {
                        agency_id: Some(agency.id),
                        year: *year,
                        status,
                    },
                )
                .await?;
            store.close().await;
            let bytes = list_bytes(&cases, *format, &cal, today)?;
            match output {
                Some(path) => std::fs::write(path, bytes)
                    .with_context(|| format!("无法写入 {}", path.display()))?,
                None => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(&bytes)?;
                    out.flush()?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RegisterCommand::Tables { agency, year, data } => {
            let (store, agency, _, _) = open(data, agency).await?;
            let Some(derived) = store.register_tables(&me, agency.id, *year).await? else {
                return refuse(format!("机构不存在：{}", agency.code));
            };
            store.close().await;
            let mut t = match derived {
                Ok(t) => t,
                Err(e) => return refuse(e.to_string()),
            };
            for (number, why) in &t.excluded {
                eprintln!("未计入：{number}：{why}");
            }
            t.report.meta.agency = Some(agency.name.clone());
            let mut text = serde_json::to_string_pretty(&xxgk_model::json::ReportJson(&t.report))?;
            text.push('\n');
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        RegisterCommand::Add {
            agency,
            number,
            received,
            applicant_type,
            name,
            content,
            data,
        } => {
            let received = day_arg(received, "收到日期")?;
            let Some(applicant_type) = ApplicantType::parse(applicant_type) else {
                let labels: Vec<&str> = ApplicantType::all().map(|t| t.label()).collect();
                return refuse(format!(
                    "“{applicant_type}”不是申请人类型（应为 {} 之一）",
                    labels.join("、")
                ));
            };
            let (store, agency, cal, today) = open(data, agency).await?;
            if store.register_case(&me, agency.id, number).await?.is_some() {
                return refuse(format!(
                    "编号已存在：{number}（登记答复用 xxgk register answer）"
                ));
            }
            let case = Case {
                application: Application {
                    number: number.trim().to_owned(),
                    applicant_type,
                    applicant_name: name.trim().to_owned(),
                    contact: String::new(),
                    channel: Channel::Unstated,
                    received,
                    content: content.trim().to_owned(),
                    form: String::new(),
                },
                events: Vec::new(),
            };
            save(&store, &actor, &agency, case, &cal, today).await
        }
        RegisterCommand::Appeal {
            agency,
            number,
            kind,
            filed,
            concluded,
            result,
            data,
        } => {
            use xxgk_register::{AppealCase, AppealKind, AppealResult};
            let kind = match kind.trim() {
                "复议" | "行政复议" | "review" => AppealKind::Review,
                "直接起诉" | "litigation_direct" => AppealKind::LitigationDirect,
                "复议后起诉" | "litigation_after_review" => AppealKind::LitigationAfterReview,
                k => {
                    return refuse(format!(
                        "“{k}”不是案件类别（应为 复议、直接起诉 或 复议后起诉）"
                    ))
                }
            };
            let filed = day_arg(filed, "立案日期")?;
            let concluded = match (concluded, result) {
                (Some(d), Some(r)) => {
                    let d = day_arg(d, "审结日期")?;
                    let r = match r.trim() {
                        "维持" | "upheld" => AppealResult::Upheld,
                        "纠正" | "corrected" => AppealResult::Corrected,
                        "其他" | "other" => AppealResult::Other,
                        r => {
                            return refuse(format!("“{r}”不是审结结果（应为 维持、纠正 或 其他）"))
                        }
                    };
                    if d < filed {
                        return refuse(format!("审结日期 {d} 早于立案日期 {filed}"));
                    }
                    Some((d, r))
                }
                _ => None,
            };
            let (store, agency, _, _) = open(data, agency).await?;
            let appeal = AppealCase {
                number: number.trim().to_owned(),
                kind,
                filed,
                concluded,
            };
            let changed = store.put_appeal(&actor, agency.id, &appeal).await?;
            store.close().await;
            println!(
                "{}：{} {}",
                if changed { "已登记" } else { "没有变化" },
                agency.code,
                appeal.number
            );
            Ok(ExitCode::SUCCESS)
        }
        RegisterCommand::Answer {
            agency,
            number,
            date,
            outcome,
            withheld,
            data,
        } => {
            let date = day_arg(date, "答复日期")?;
            let Some(outcome) = Outcome::parse(outcome) else {
                return refuse(format!(
                    "“{outcome}”不是表三的办理结果（应为表三某一行的名称，如 予以公开、部分公开，或其编号，如 granted）"
                ));
            };
            let (store, agency, cal, today) = open(data, agency).await?;
            let Some(stored) = store.register_case(&me, agency.id, number).await? else {
                return refuse(format!(
                    "{} 的台账中没有编号为 {number} 的申请",
                    agency.code
                ));
            };
            let mut case = stored.case;
            if let Some(c) = case.closing() {
                return refuse(format!("编号 {number} 的申请已于 {} 办结", c.date));
            }
            case.events.push(Event::Answer {
                date,
                outcome,
                withheld: withheld.clone(),
            });
            save(&store, &actor, &agency, case, &cal, today).await
        }
    }
}

/// Validates and stores one case; prints its due date and status.
async fn save(
    store: &Store,
    actor: &Actor,
    agency: &Agency,
    case: Case,
    cal: &Calendar,
    today: Day,
) -> Result<ExitCode> {
    let v = case.validate(cal);
    if !v.is_ok() {
        let problems: Vec<String> = v.errors.iter().map(ToString::to_string).collect();
        return refuse(format!("没有登记：{}", problems.join("；")));
    }
    for w in &v.warnings {
        eprintln!("提示：{w}");
    }
    store
        .put_cases(actor, agency.id, std::slice::from_ref(&case), cal, today)
        .await?;
    let c = clock(&case, cal, today);
    println!(
        "已登记：{} {}，答复期限 {}，状态 {}",
        agency.code,
        case.application.number,
        c.due.map_or_else(|| "无".to_string(), |d| d.to_string()),
        c.status.label()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The list in a format.
fn list_bytes(
    cases: &[StoredCase],
    format: ListFormat,
    cal: &Calendar,
    today: Day,
) -> Result<Vec<u8>> {
    let header: Vec<&str> = COLUMNS.iter().chain(EXPORT_EXTRA.iter()).copied().collect();
    let rows = || {
        cases
            .iter()
            .map(|c| export_row(&c.case, &clock(&c.case, cal, today)))
    };
    Ok(match format {
        ListFormat::Json => {
            let mut out = Vec::new();
            for c in cases {
                let line = serde_json::json!({
                    "number": c.number,
                    "received": c.received.to_string(),
                    "due": c.due.map(|d| d.to_string()),
                    "status": c.status.id(),
                    "status_label": c.status.label(),
                    "answered": c.answered.map(|d| d.to_string()),
                    "outcome": c.outcome,
                    "applicant_type": c.case.application.applicant_type.key(),
                });
                serde_json::to_writer(&mut out, &line)?;
                out.push(b'\n');
            }
            out
        }
        ListFormat::Text => {
            let mut out = String::new();
            if cases.is_empty() {
                out.push_str("（没有符合条件的申请）\n");
            }
            for c in cases {
                out.push_str(&format!(
                    "{}  收到 {}  答复期限 {}  {}",
                    c.number,
                    c.received,
                    c.due.map_or_else(|| "—".to_string(), |d| d.to_string()),
                    c.status.label()
                ));
                if let (Some(d), Some(o)) = (c.answered, c.outcome.as_deref()) {
                    let label = Outcome::parse(o).map_or_else(|| o.to_string(), |o| o.label());
                    out.push_str(&format!("  {d} 答复：{label}"));
                }
                out.push('\n');
            }
            out.into_bytes()
        }
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&header)?;
            for row in rows() {
                w.write_record(&row)?;
            }
            w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?
        }
        ListFormat::Xlsx => xxgk_write::list_xlsx::list_xlsx("台账", &header, rows())?,
    })
}

/// For `xxgk new --register --agency CODE --year Y`: the agency's name, tables 三 and 四 of `year`
/// derived from its register, and where they come from. Where the store holds a report of that
/// agency and year, the cells of its tables 三 and 四 that differ from the derived ones are
/// printed (standard error).
pub fn for_new(
    code: &str,
    year: i32,
    data: &DataArgs,
) -> Result<(String, xxgk_model::Report, String)> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")?
        .block_on(async {
            let me = User::command_line();
            let (store, agency, _, _) = open(data, code).await?;
            let Some(derived) = store.register_tables(&me, agency.id, year).await? else {
                return refuse(format!("机构不存在：{code}"));
            };
            let t = match derived {
                Ok(t) => t,
                Err(e) => return refuse(e.to_string()),
            };
            for (number, why) in &t.excluded {
                eprintln!("未计入：{number}：{why}");
            }
            let reports = store
                .reports(
                    &me,
                    &xxgk_store::ReportFilter {
                        year: Some(year),
                        agency_id: Some(agency.id),
                        latest_only: true,
                        ..Default::default()
                    },
                )
                .await?;
            if let Some(stored) = reports.iter().find(|r| r.agency_id == agency.id) {
                let json = store
                    .report_json(&me, stored.id)
                    .await?
                    .and_then(|j| j.extract_json)
                    .and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok());
                match json {
                    Some(json) => {
                        let diffs = differences(&t.report, &json);
                        if diffs.is_empty() {
                            eprintln!(
                                "已上传的 {year} 年度报告（第 {} 版，{}）的表三、表四与台账生成的一致",
                                stored.version, stored.file_name
                            );
                        } else {
                            eprintln!(
                                "已上传的 {year} 年度报告（第 {} 版，{}）的表三、表四与台账生成的有 {} 处不同：",
                                stored.version,
                                stored.file_name,
                                diffs.len()
                            );
                            for d in diffs {
                                eprintln!("  {d}");
                            }
                        }
                    }
                    None => eprintln!(
                        "已上传的 {year} 年度报告（第 {} 版）没有可比较的表格数据",
                        stored.version
                    ),
                }
            }
            store.close().await;
            let source = format!("{} 的台账，{year} 年度", agency.code);
            Ok((agency.name, t.report, source))
        })
}

/// The cells of tables 三 and 四 where a stored report's JSON (`xxgk extract`) differs from the
/// derived report, in printed order: `表三 row / column：报告中为 X，台账生成 Y`.
fn differences(derived: &xxgk_model::Report, stored: &serde_json::Value) -> Vec<String> {
    use xxgk_model::catalogue::{self, Format, TableId};
    let format = derived.format().unwrap_or(Format::F2021);
    let mut out = Vec::new();
    for (table, name) in [(TableId::Requests, "表三"), (TableId::Appeals, "表四")] {
        for (row, col) in catalogue::table(format, table).cells() {
            let id = xxgk_model::CellId {
                table,
                row: row.key,
                column: col.key,
            };
            let Some(cell) = derived.cells.get(&id) else {
                continue;
            };
            let want = xxgk_write::input::value_text(&cell.value);
            let got = &stored["tables"][table.key()][row.key][col.key];
            let got_text = match got {
                serde_json::Value::Null => "空白".to_string(),
                serde_json::Value::String(s) => format!("“{s}”"),
                v => v.to_string(),
            };
            if got_text != want {
                out.push(format!(
                    "{name} {} / {}：报告中为 {got_text}，台账生成 {want}",
                    row.printed_label(),
                    col.label
                ));
            }
        }
    }
    out
}
