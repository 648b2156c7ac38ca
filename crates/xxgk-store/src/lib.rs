//! The store of `xxgk serve`: the only crate that knows SQL.
//!
//! A [`Store`] is opened from a URL — `sqlite://…` (embedded, bundled SQLite, WAL) or
//! `postgres://…` — or from a data directory (`DIR/xxgk.db`), and runs its migrations at open
//! (`migrations/sqlite`, `migrations/postgres`: the same schema in each dialect). Queries go
//! through sqlx's `Any` driver with one SQL text for both backends (`$1` placeholders, which
//! SQLite also reads), so the two cannot drift apart; times are Unix seconds in BIGINT columns.
//!
//! The public API speaks domain types ([`Agency`], [`User`], [`StoredReport`] …). Every read
//! of reports takes the caller (`&User`) and is scoped: an admin sees everything, a supervisor
//! its agency's subtree, staff their own agency; a report outside the scope is `None`, exactly
//! like a missing one. The request register (cases, appeals, tables 三 / 四 derived from them)
//! is in the `register` module's functions on [`Store`]. Every change writes an entry to the append-only audit log (triggers
//! refuse UPDATE and DELETE on it) in the same transaction.

mod agencies;
mod audit;
mod error;
mod files;
mod jobs;
mod listing;
mod logins;
mod register;
mod register_views;
mod reports;
mod sessions;
mod types;
mod users;

use std::borrow::Cow;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

pub use error::{Result, StoreError};
pub use jobs::{
    EntryContent, Job, JobFile, JobFileStatus, JobOutcome, JobState, JobTodo, UploadEntry,
};
pub use logins::{LOGIN_WINDOW_SECONDS, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_NAME};
pub use register::{load_calendar, CaseFilter, PutSummary, StoredCase};
pub use register_views::{today, CasePage, StatusCounts};
pub use sessions::{NewSession, Session};
pub use types::*;
pub use users::{LOCKOUT_FAILURES, LOCKOUT_SECONDS, MIN_PASSWORD_CHARS};

/// The database file in a data directory.
pub const DB_FILE: &str = "xxgk.db";

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The store: a connection pool and the backend it talks to. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Where original files are kept when not in the database (`xxgk serve --files DIR`).
    files_dir: Option<std::sync::Arc<std::path::PathBuf>>,
}

impl Store {
    /// Opens (creating it if needed) the SQLite database of a data directory, `DIR/xxgk.db`.
    pub async fn open_data_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|error| StoreError::DataDir {
            path: dir.display().to_string(),
            error,
        })?;
        let file = dir.join(DB_FILE).display().to_string();
        // The file name is percent-decoded by sqlx: escape what would end or change it.
        let escaped = file
            .replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23");
        Store::open(&format!("sqlite://{escaped}?mode=rwc")).await
    }

    /// Opens a database by URL (`sqlite://PATH?mode=rwc`, `postgres://…`) and runs the
    /// migrations.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let options = AnyPoolOptions::new();
        let pool = match backend {
            Backend::Sqlite => {
                options
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL: readers never wait for the writer; NORMAL is durable in WAL.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            // The report list scans and sorts many rows: a larger page cache
                            // (32 MB a connection) and the file mapped for reads.
                            conn.execute("PRAGMA cache_size = -32768").await?;
                            conn.execute("PRAGMA mmap_size = 268435456").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
            Backend::Postgres => options
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(|e| match e {
                    sqlx::Error::PoolTimedOut => StoreError::ConnectTimeout,
                    e => e.into(),
                })?,
        };
        let store = Store {
            pool,
            backend,
            files_dir: None,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Runs the migrations not yet applied (done by [`Store::open`]; idempotent).
    pub async fn migrate(&self) -> Result<()> {
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// The backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Refreshes the query planner's statistics (SQLite `PRAGMA optimize`, which analyses only
    /// the tables whose contents changed enough; PostgreSQL `ANALYZE`). Without them, after a
    /// large import the planner guesses how selective a rule or a subtree is and can pick a
    /// plan that reads the whole list for one page. Called after bulk loads and upload batches.
    pub async fn optimize(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        match self.backend {
            Backend::Sqlite => {
                // Approximate statistics (at most ~1000 rows read per index) for every table
                // whose contents changed, never-analysed ones included (0x10000).
                conn.execute("PRAGMA analysis_limit = 1000").await?;
                conn.execute("PRAGMA optimize = 0x10002").await?;
            }
            Backend::Postgres => {
                conn.execute("ANALYZE").await?;
            }
        }
        Ok(())
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    fn migrator(&self) -> Migrator {
        let sql: &'static [(i64, &str, &str)] = match self.backend {
            Backend::Sqlite => &[
                (
                    1,
                    "initial",
                    include_str!("../migrations/sqlite/0001_initial.sql"),
                ),
                (
                    2,
                    "jobs",
                    include_str!("../migrations/sqlite/0002_jobs.sql"),
                ),
                (
                    3,
                    "listing",
                    include_str!("../migrations/sqlite/0003_listing.sql"),
                ),
                (
                    5,
                    "register",
                    include_str!("../migrations/sqlite/0005_register.sql"),
                ),
                (
                    6,
                    "register speed",
                    include_str!("../migrations/sqlite/0006_register_speed.sql"),
                ),
            ],
            Backend::Postgres => &[
                (
                    1,
                    "initial",
                    include_str!("../migrations/postgres/0001_initial.sql"),
                ),
                (
                    2,
                    "jobs",
                    include_str!("../migrations/postgres/0002_jobs.sql"),
                ),
                (
                    3,
                    "listing",
                    include_str!("../migrations/postgres/0003_listing.sql"),
                ),
                (
                    5,
                    "register",
                    include_str!("../migrations/postgres/0005_register.sql"),
                ),
                (
                    6,
                    "register speed",
                    include_str!("../migrations/postgres/0006_register_speed.sql"),
                ),
            ],
        };
        let migrations = sql
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    Cow::Borrowed(sql),
                    false,
                )
            })
            .collect::<Vec<_>>();
        Migrator {
            migrations: Cow::Owned(migrations),
            ..Migrator::DEFAULT
        }
    }
}

/// Runs a transaction again (up to 100 times, after a short pause that grows) while it fails
/// only because another ran at the same time (see `error::is_transient`).
pub(crate) async fn retrying<T, F, Fut>(mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut tries = 0u64;
    loop {
        match attempt().await {
            Err(e) if tries < 100 && error::is_transient(&e) => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(1 + tries.min(20) * 2)).await;
            }
            other => return other,
        }
    }
}

/// Now, in Unix seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Lower-case hex of the sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Column readers for `AnyRow` (the Any driver's errors are database errors).
pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    Ok(sqlx::Row::try_get(row, column)?)
}
