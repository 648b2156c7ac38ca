//! `xxgk serve`: open the store (`--data DIR`, `$XXGK_DATA`, `./xxgk-data/`, or `--database
//! URL`; migrations run at open), bind the address, print the URL (and, while the store has no
//! administrator, how to create one), and serve `xxgk_server` with its job workers until
//! Ctrl-C (requests in flight finish; each worker finishes its batch and puts its job back in
//! the queue). `--files DIR` keeps original files in DIR (keyed by sha256), not the database.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{ArgAction, Args};

use crate::admin::DataArgs;

/// The address served when `--listen` is not given.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,

    /// 监听地址（默认 127.0.0.1:8080；0.0.0.0:8080 供其他机器访问）
    #[arg(long, value_name = "地址:端口", default_value = DEFAULT_LISTEN, hide_default_value = true)]
    pub listen: String,

    /// 原始文件保存目录（按 sha256 存放；默认保存在数据库中）
    #[arg(long, value_name = "目录")]
    pub files: Option<std::path::PathBuf>,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help)]
    help: Option<bool>,
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")?
        .block_on(serve(args))
}

async fn serve(args: &ServeArgs) -> Result<ExitCode> {
    let mut store = crate::admin::open(&args.data)
        .await
        .context("无法打开数据库")?;
    if let Some(dir) = &args.files {
        store = store
            .with_files_dir(dir)
            .with_context(|| format!("无法使用原始文件目录 {}", dir.display()))?;
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("无法监听 {}", args.listen))?;
    let address = listener.local_addr().context("无法取得监听地址")?;
    // Written without `println!`: a closed standard output (the starter went away) must not
    // stop the server.
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "xxgk 服务已启动：http://{address}/（按 Ctrl-C 停止）");
    if !store.has_admin().await.context("无法读取用户")? {
        let _ = writeln!(
            out,
            "还没有管理员。创建第一个管理员（密码从标准输入读取）：\n  xxgk user add 用户名 --role admin{}",
            data_hint(&args.data)
        );
    }
    let shutdown = async {
        // Without a signal handler, there is nothing to wait for: serve until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        let _ = writeln!(
            std::io::stderr(),
            "xxgk：正在停止服务（等待进行中的请求和后台任务的当前批次完成）…"
        );
    };
    // The register's calendar: the shipped notices plus DIR/calendar/*.toml; open cases are
    // recomputed with it now (a changed calendar takes effect) and each day by the pages.
    let calendar = crate::calendar::load(args.data.data.as_deref())?;
    if let Some(w) = calendar.next_year_warning(crate::calendar::today()) {
        let _ = writeln!(out, "提示：{w}");
    }
    xxgk_server::serve_with(
        store.clone(),
        listener,
        shutdown,
        xxgk_server::jobs::default_workers(),
        calendar,
    )
    .await
    .context("服务出错")?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The data options to repeat to `xxgk user add`, when they are not the default.
fn data_hint(data: &DataArgs) -> String {
    if data.database.is_some() {
        " --database 地址".to_owned()
    } else if let Some(dir) = &data.data {
        format!(" --data {}", dir.display())
    } else {
        String::new()
    }
}
