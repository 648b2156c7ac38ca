//! The store's errors. What a user can cause (a duplicate code, a wrong password) has a Chinese
//! message that the CLI and the server print as is; database failures carry sqlx's error.

use thiserror::Error;

/// Every failure of a [`crate::Store`] operation.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("机构代码已存在：{0}")]
    AgencyCodeExists(String),
    #[error("上级机构不存在：{0}")]
    ParentAgencyNotFound(String),
    #[error("机构不存在：{0}")]
    AgencyNotFound(String),
    #[error("机构代码和名称都不能为空")]
    EmptyAgency,
    #[error("用户名已存在：{0}")]
    UserNameExists(String),
    #[error("用户不存在：{0}")]
    UserNotFound(String),
    #[error("用户名不能为空，也不能含空白字符")]
    BadUserName,
    #[error("{0}账户必须属于一个机构（请指定机构代码）")]
    AgencyRequired(&'static str),
    #[error("密码至少需要 {0} 个字符")]
    PasswordTooShort(usize),
    #[error("用户名或密码错误")]
    BadCredentials,
    #[error("账户已停用")]
    Disabled,
    #[error("登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试")]
    Locked { minutes: i64 },
    #[error("报告不存在：{0}")]
    ReportNotFound(i64),
    #[error("令牌不存在或已撤销：{0}")]
    TokenNotFound(String),
    #[error("案件编号不能为空")]
    EmptyCaseNumber,
    #[error("日历数据有误：{0}")]
    Calendar(String),
    #[error("无法读取日历文件 {path}：{error}")]
    CalendarFile { path: String, error: std::io::Error },
    #[error("数据库中的台账数据无法读取：{0}")]
    Corrupt(String),
    #[error("不支持的数据库地址：{0}（应为 sqlite://… 或 postgres://…）")]
    UnsupportedUrl(String),
    #[error("无法连接数据库：10 秒内没有连上（请检查数据库地址、网络和数据库服务）")]
    ConnectTimeout,
    #[error("无法创建数据目录 {path}：{error}")]
    DataDir { path: String, error: std::io::Error },
    #[error("原始文件保存在文件目录中（{0}），但服务启动时没有指定该目录（--files）")]
    FileOutside(String),
    #[error("无法读取原始文件 {key}：{error}")]
    FileRead { key: String, error: std::io::Error },
    #[error("无法写入原始文件 {path}：{error}")]
    FileWrite { path: String, error: std::io::Error },
    #[error("任务不存在：{0}")]
    JobNotFound(i64),
    #[error("密码处理失败：{0}")]
    PasswordHash(String),
    // The underlying errors are in the message, not also as `source()`: printed with their
    // chain (`{:#}` in the CLI) they would otherwise repeat.
    #[error("数据库迁移失败：{0}")]
    Migrate(sqlx::migrate::MigrateError),
    #[error("数据库错误：{0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(e)
    }
}

/// `Result` with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether a database error is a unique-constraint violation (both backends).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Whether a transaction failed only because another one ran at the same time, so that
/// running it again can succeed: a unique violation (two took the same version number), SQLite
/// busy (a stale read snapshot could not be upgraded to write), a PostgreSQL serialization
/// failure or deadlock.
pub(crate) fn is_transient(e: &StoreError) -> bool {
    let StoreError::Database(e) = e else {
        return false;
    };
    if is_unique_violation(e) {
        return true;
    }
    match e {
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            matches!(code.as_ref(), "5" | "517" | "261" | "6" | "40001" | "40P01")
                || d.message().contains("database is locked")
        }
        _ => false,
    }
}
