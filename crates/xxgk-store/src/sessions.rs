//! Web sessions, kept in the database so that several server processes can share them.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sqlx::any::AnyRow;

use crate::{get, hex, sha256_hex, Result, Store, User};

/// A session just created: the cookie value (given to the browser once, stored only as its
/// sha256) and the CSRF token of its forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub cookie: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// A live session: its user and CSRF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

fn session_fields(row: &AnyRow) -> Result<(i64, String, i64)> {
    Ok((
        get(row, "user_id")?,
        get(row, "csrf_token")?,
        get(row, "expires_at")?,
    ))
}

impl Store {
    /// Opens a session for a user at `now`, valid for `ttl_seconds`.
    pub async fn create_session(
        &self,
        user: &User,
        now: i64,
        ttl_seconds: i64,
    ) -> Result<NewSession> {
        let cookie = random_hex(32);
        let csrf_token = random_hex(32);
        let expires_at = now + ttl_seconds;
        sqlx::query(
            "INSERT INTO sessions (id_sha256, user_id, csrf_token, created_at, last_seen_at, \
             expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(sha256_hex(cookie.as_bytes()))
        .bind(user.id)
        .bind(csrf_token.as_str())
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(NewSession {
            cookie,
            csrf_token,
            expires_at,
        })
    }

    /// The session of a cookie value at `now`, if it exists, has not expired and its user is
    /// not disabled; records that it was seen.
    pub async fn session(&self, cookie: &str, now: i64) -> Result<Option<Session>> {
        let id = sha256_hex(cookie.as_bytes());
        let row = sqlx::query(
            "SELECT user_id, csrf_token, expires_at FROM sessions \
             WHERE id_sha256 = $1 AND expires_at > $2",
        )
        .bind(id.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (user_id, csrf_token, expires_at) = session_fields(&row)?;
        let Some(user) = self.user_by_id(user_id).await?.filter(|u| !u.disabled) else {
            return Ok(None);
        };
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_sha256 = $2")
            .bind(now)
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(Some(Session {
            user,
            csrf_token,
            expires_at,
        }))
    }

    /// Ends a session (logout). Ending an unknown session is not an error.
    pub async fn delete_session(&self, cookie: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_sha256 = $1")
            .bind(sha256_hex(cookie.as_bytes()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
