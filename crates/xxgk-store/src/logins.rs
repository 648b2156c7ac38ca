//! Login rate limiting across server processes: failed logins are rows of `login_failures`
//! (migration 0003), counted per client address and per name over a window. The per-account
//! lockout of `users.rs` stays as it is; this also covers names that do not exist and many
//! names tried from one address.

use crate::{get, Result, Store};

/// The window over which failures are counted (seconds).
pub const LOGIN_WINDOW_SECONDS: i64 = 10 * 60;
/// Failures from one client address within the window after which logins are refused.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 10;
/// Failures for one name (existing or not) within the window after which logins are refused.
pub const MAX_FAILURES_PER_NAME: i64 = 10;

impl Store {
    /// Whether a login from `address` for `name` at `now` may be tried: `false` when either has
    /// reached its limit of failures within the window.
    pub async fn login_allowed(&self, address: &str, name: &str, now: i64) -> Result<bool> {
        let since = now - LOGIN_WINDOW_SECONDS;
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $3) AS by_address, \
             (SELECT COUNT(*) FROM login_failures WHERE name = $2 AND at > $3) AS by_name",
        )
        .bind(address)
        .bind(name)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(get::<i64>(&row, "by_address")? < MAX_FAILURES_PER_ADDRESS
            && get::<i64>(&row, "by_name")? < MAX_FAILURES_PER_NAME)
    }

    /// Records a failed login (and forgets failures older than a day).
    pub async fn record_login_failure(&self, address: &str, name: &str, now: i64) -> Result<()> {
        sqlx::query("INSERT INTO login_failures (at, address, name) VALUES ($1, $2, $3)")
            .bind(now)
            .bind(address)
            .bind(name)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now - 24 * 3600)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
