//! `xxgk agency`, `xxgk user`, `xxgk token`: manage the data of `xxgk serve` (issue 10) from the
//! command line. Thin: parse the arguments, open the store (`xxgk_store`), call it, print Chinese.
//! The data is a data directory (`--data DIR`, else `$XXGK_DATA`, else `./xxgk-data/`, holding
//! the SQLite database `xxgk.db`) or a database URL (`--database postgres://…`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{ArgAction, Args, Subcommand, ValueEnum};
use xxgk_store::{Actor, AgencyKind, NewAgency, NewUser, Role, Store, StoreError};

/// The data directory used when neither `--data` nor `--database` is given (and no `XXGK_DATA`).
pub const DEFAULT_DATA_DIR: &str = "xxgk-data";

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

/// Where the data is: shared by every management command.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// 数据目录（默认：环境变量 XXGK_DATA，否则 ./xxgk-data/），其中的 xxgk.db 为 SQLite 数据库
    #[arg(long, value_name = "目录", conflicts_with = "database")]
    pub data: Option<PathBuf>,

    /// 数据库地址，如 postgres://用户@主机/库名 或 sqlite://文件?mode=rwc（代替 --data）
    #[arg(long, value_name = "地址")]
    pub database: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    disable_help_flag = true,
    subcommand_value_name = "命令",
    subcommand_help_heading = "命令"
)]
pub struct AgencyArgs {
    #[command(subcommand)]
    pub command: AgencyCommand,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// 添加机构：代码（统一社会信用代码或本地编码）、名称，可指定上级机构
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk agency add <代码> <名称> [--parent <上级代码>] [--kind <类别>] [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Add {
        /// 机构代码（唯一）
        #[arg(value_name = "代码")]
        code: String,
        /// 机构名称
        #[arg(value_name = "名称")]
        name: String,
        /// 上级机构的代码（省 → 市 → 县 → 乡镇，政府 → 部门）
        #[arg(long, value_name = "上级代码")]
        parent: Option<String>,
        /// 类别：government（人民政府）、department（部门）、other（其他，默认）
        #[arg(
            long,
            value_enum,
            value_name = "类别",
            default_value = "other",
            hide_possible_values = true,
            hide_default_value = true
        )]
        kind: KindArg,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 按层级列出全部机构
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk agency list [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    List {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Government,
    Department,
    Other,
}

#[derive(Debug, Args)]
#[command(
    disable_help_flag = true,
    subcommand_value_name = "命令",
    subcommand_help_heading = "命令"
)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 添加用户；密码从标准输入读取（在终端上不回显，并要求输入两次）
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk user add <用户名> --role admin|supervisor|staff [--agency <机构代码>] [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Add {
        /// 用户名（不含空白字符）
        #[arg(value_name = "用户名")]
        name: String,
        /// 角色：admin（管理员，可见全部并管理账户）、supervisor（监督人员，可见本机构及全部下级）、staff（工作人员，只见本机构）
        #[arg(long, value_enum, value_name = "角色", hide_possible_values = true)]
        role: RoleArg,
        /// 所属机构的代码（supervisor 和 staff 必须指定）
        #[arg(long, value_name = "机构代码")]
        agency: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 设置用户的新密码（从标准输入读取，同 add），并解除锁定
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk user passwd <用户名> [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Passwd {
        /// 用户名
        #[arg(value_name = "用户名")]
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 列出全部用户
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk user list [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    List {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Supervisor,
    Staff,
}

#[derive(Debug, Args)]
#[command(
    disable_help_flag = true,
    subcommand_value_name = "命令",
    subcommand_help_heading = "命令"
)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// 为用户创建 API 令牌，在标准输出打印一行令牌（只显示这一次）
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk token create <用户名> [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Create {
        /// 令牌所属的用户
        #[arg(value_name = "用户名")]
        user: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 撤销令牌：按令牌前缀（如 xxgk_1a2b3c4d）撤销一个，或按用户名撤销该用户的全部令牌
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk token revoke <前缀|用户名> [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    Revoke {
        /// 令牌前缀或用户名
        #[arg(value_name = "前缀|用户名")]
        key: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// 列出全部令牌（只显示前缀）
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "xxgk token list [--data <目录> | --database <地址>]",
        next_help_heading = "选项",
        disable_help_flag = true
    )]
    List {
        #[command(flatten)]
        data: DataArgs,
    },
}

/// Runs an async store operation on a single-threaded runtime.
fn block_on<T>(f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")?
        .block_on(f)
}

pub(crate) async fn open(data: &DataArgs) -> Result<Store> {
    if let Some(url) = &data.database {
        return Ok(Store::open(url).await?);
    }
    let dir = data
        .data
        .clone()
        .or_else(|| std::env::var_os("XXGK_DATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    Ok(Store::open_data_dir(&dir).await?)
}

/// A refusal of the command line itself (no password, passwords that differ): exit 2.
#[derive(Debug)]
struct Refusal(&'static str);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Refusal {}

/// A refusal the user caused (duplicate code, unknown agency …) exits 2 with its message;
/// anything else is an error (exit 1, printed by `main`).
fn finish(result: Result<()>) -> Result<ExitCode> {
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.is::<Refusal>() => {
            eprintln!("xxgk: {e}");
            Ok(ExitCode::from(2))
        }
        Err(e) => match e.downcast_ref::<StoreError>() {
            Some(
                StoreError::Database(_)
                | StoreError::ConnectTimeout
                | StoreError::Migrate(_)
                | StoreError::DataDir { .. }
                | StoreError::PasswordHash(_),
            )
            | None => Err(e),
            Some(refusal) => {
                eprintln!("xxgk: {refusal}");
                Ok(ExitCode::from(2))
            }
        },
    }
}

/// `xxgk agency …`
pub fn agency(args: &AgencyArgs) -> Result<ExitCode> {
    finish(block_on(async {
        match &args.command {
            AgencyCommand::Add {
                code,
                name,
                parent,
                kind,
                data,
            } => {
                let store = open(data).await?;
                let kind = match kind {
                    KindArg::Government => AgencyKind::Government,
                    KindArg::Department => AgencyKind::Department,
                    KindArg::Other => AgencyKind::Other,
                };
                let added = store
                    .add_agency(
                        &Actor::command_line(),
                        &NewAgency {
                            code,
                            name,
                            parent_code: parent.as_deref(),
                            kind,
                        },
                    )
                    .await?;
                match parent {
                    Some(p) => println!("已添加机构：{} {}（上级：{p}）", added.code, added.name),
                    None => println!("已添加机构：{} {}", added.code, added.name),
                }
                store.close().await;
            }
            AgencyCommand::List { data } => {
                let store = open(data).await?;
                let all = store.agencies().await?;
                let mut out = std::io::stdout().lock();
                if all.is_empty() {
                    eprintln!("还没有机构（用 xxgk agency add 代码 名称 添加）");
                }
                for a in &all {
                    writeln!(out, "{}{}\t{}", "  ".repeat(a.depth()), a.code, a.name)?;
                }
                store.close().await;
            }
        }
        Ok(())
    }))
}

/// `xxgk user …`
pub fn user(args: &UserArgs) -> Result<ExitCode> {
    finish(block_on(async {
        match &args.command {
            UserCommand::Add {
                name,
                role,
                agency,
                data,
            } => {
                let role = match role {
                    RoleArg::Admin => Role::Admin,
                    RoleArg::Supervisor => Role::Supervisor,
                    RoleArg::Staff => Role::Staff,
                };
                let store = open(data).await?;
                let password = read_password(name)?;
                let added = store
                    .add_user(
                        &Actor::command_line(),
                        &NewUser {
                            name,
                            password: &password,
                            role,
                            agency_code: agency.as_deref(),
                        },
                    )
                    .await?;
                match &added.agency_code {
                    Some(code) => println!(
                        "已添加用户：{}（{}，机构 {code}）",
                        added.name,
                        added.role.label()
                    ),
                    None => println!("已添加用户：{}（{}）", added.name, added.role.label()),
                }
                store.close().await;
            }
            UserCommand::Passwd { name, data } => {
                let store = open(data).await?;
                if store.user_by_name(name).await?.is_none() {
                    return Err(StoreError::UserNotFound(name.clone()).into());
                }
                let password = read_password(name)?;
                store
                    .set_password(&Actor::command_line(), name, &password)
                    .await?;
                println!("已设置用户 {name} 的新密码");
                store.close().await;
            }
            UserCommand::List { data } => {
                let store = open(data).await?;
                let mut out = std::io::stdout().lock();
                for u in store.users().await? {
                    writeln!(
                        out,
                        "{}\t{}\t{}{}",
                        u.name,
                        u.role.as_str(),
                        u.agency_code.as_deref().unwrap_or("-"),
                        if u.disabled { "\t已停用" } else { "" }
                    )?;
                }
                store.close().await;
            }
        }
        Ok(())
    }))
}

/// `xxgk token …`
pub fn token(args: &TokenArgs) -> Result<ExitCode> {
    finish(block_on(async {
        match &args.command {
            TokenCommand::Create { user, data } => {
                let store = open(data).await?;
                let created = store.create_token(&Actor::command_line(), user).await?;
                println!("{}", created.token);
                eprintln!(
                    "已为用户 {} 创建 API 令牌 {}…（令牌只显示这一次，请妥善保存；撤销：xxgk token revoke {}）",
                    created.info.user_name, created.info.prefix, created.info.prefix
                );
                store.close().await;
            }
            TokenCommand::Revoke { key, data } => {
                let store = open(data).await?;
                for t in store.revoke_token(&Actor::command_line(), key).await? {
                    println!("已撤销令牌：{}（用户 {}）", t.prefix, t.user_name);
                }
                store.close().await;
            }
            TokenCommand::List { data } => {
                let store = open(data).await?;
                let mut out = std::io::stdout().lock();
                for t in store.tokens().await? {
                    writeln!(
                        out,
                        "{}\t{}\t{}",
                        t.prefix,
                        t.user_name,
                        if t.revoked_at.is_some() {
                            "已撤销"
                        } else {
                            "有效"
                        }
                    )?;
                }
                store.close().await;
            }
        }
        Ok(())
    }))
}

/// The new user's password: on a terminal asked twice without echo; otherwise the first line
/// of standard input (without its line end).
fn read_password(name: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first =
            rpassword::prompt_password(format!("用户 {name} 的密码：")).context("无法读取密码")?;
        let second = rpassword::prompt_password("再次输入密码：").context("无法读取密码")?;
        if first != second {
            return Err(Refusal("两次输入的密码不一致").into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("无法从标准输入读取密码")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(
            Refusal("标准输入中没有密码（在终端上运行，或把密码作为标准输入的第一行）").into(),
        );
    }
    Ok(password)
}
