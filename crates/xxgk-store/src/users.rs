//! Accounts, passwords (argon2id, lockout after repeated failures) and API tokens.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde_json::json;
use sqlx::any::AnyRow;

use crate::audit::{self, state_hash, Change};
use crate::error::is_unique_violation;
use crate::{
    get, hex, now, sha256_hex, Actor, ApiToken, CreatedToken, NewUser, Result, Role, Store,
    StoreError, User,
};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Failed logins in a row that lock an account.
pub const LOCKOUT_FAILURES: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_SECONDS: i64 = 15 * 60;
/// Every API token starts with this, so that secret scanners recognise it.
const TOKEN_PREFIX: &str = "xxgk_";
/// Characters of the token kept (in clear) to name it: `xxgk_` + 8 hex digits.
const TOKEN_ID_CHARS: usize = TOKEN_PREFIX.len() + 8;

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.agency_id, a.path AS agency_path, \
    a.code AS agency_code, u.disabled_at, u.created_at";
const USER_FROM: &str = "users u LEFT JOIN agencies a ON a.id = u.agency_id";

fn user(row: &AnyRow) -> Result<User> {
    let role: String = get(row, "role")?;
    Ok(User {
        id: get(row, "id")?,
        name: get(row, "name")?,
        role: role.parse().unwrap_or(Role::Staff),
        agency_id: get(row, "agency_id")?,
        agency_path: get(row, "agency_path")?,
        agency_code: get(row, "agency_code")?,
        disabled: get::<Option<i64>>(row, "disabled_at")?.is_some(),
        created_at: get(row, "created_at")?,
    })
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::PasswordHash(e.to_string()))
}

fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so that the time taken does not
/// tell which names exist.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("xxgk-no-such-user").unwrap_or_default())
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::PasswordTooShort(MIN_PASSWORD_CHARS));
    }
    Ok(())
}

enum UserChange {
    Password(String),
    Disabled(Option<i64>),
}

fn token_info(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: get(row, "id")?,
        user_id: get(row, "user_id")?,
        user_name: get(row, "user_name")?,
        prefix: get(row, "prefix")?,
        created_at: get(row, "created_at")?,
        last_used_at: get(row, "last_used_at")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

const TOKEN_COLUMNS: &str = "t.id, t.user_id, u.name AS user_name, t.prefix, t.created_at, \
    t.last_used_at, t.revoked_at";

impl Store {
    /// Creates an account. Supervisors and staff belong to an agency (by code); the password
    /// is stored as an argon2id hash.
    pub async fn add_user(&self, actor: &Actor, new: &NewUser<'_>) -> Result<User> {
        let name = new.name.trim();
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(StoreError::BadUserName);
        }
        check_password(new.password)?;
        let agency = match new.agency_code {
            Some(code) => match self.agency_by_code(code).await? {
                Some(a) => Some(a),
                None => return Err(StoreError::AgencyNotFound(code.to_owned())),
            },
            None if new.role == Role::Admin => None,
            None => return Err(StoreError::AgencyRequired(new.role.label())),
        };
        let hash = hash_password(new.password)?;
        let mut tx = self.pool.begin().await?;
        let exists = sqlx::query("SELECT id FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::UserNameExists(name.to_owned()));
        }
        let t = now();
        let row = sqlx::query(
            "INSERT INTO users (name, password_hash, role, agency_id, password_changed_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(name)
        .bind(hash)
        .bind(new.role.as_str())
        .bind(agency.as_ref().map(|a| a.id))
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::UserNameExists(name.to_owned())
            } else {
                e.into()
            }
        })?;
        let id: i64 = get(&row, "id")?;
        let state = json!({"name": name, "role": new.role.as_str(),
                           "agency": agency.as_ref().map(|a| a.code.as_str())});
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "user.create",
                object_type: "user",
                object_id: Some(id),
                after: Some(state_hash(&state)),
                detail: Some(state),
                before: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::UserNotFound(name.to_owned()))
    }

    /// An account by id.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM {USER_FROM} WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user).transpose()
    }

    /// An account by name.
    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM {USER_FROM} WHERE u.name = $1"
        ))
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user).transpose()
    }

    /// Whether an enabled administrator exists (the server tells how to create the first one
    /// when not).
    pub async fn has_admin(&self) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(get::<i64>(&row, "n")? > 0)
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM {USER_FROM} ORDER BY u.name"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user).collect()
    }

    /// Checks a password at `now` (Unix seconds). A failure counts towards the lockout
    /// ([`LOCKOUT_FAILURES`] in a row lock the account for [`LOCKOUT_SECONDS`]); a success
    /// resets the count. Unknown names and wrong passwords give the same error.
    pub async fn verify_password(&self, name: &str, password: &str, now: i64) -> Result<User> {
        let row = sqlx::query(
            "SELECT id, password_hash, disabled_at, failed_logins, locked_until FROM users \
             WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            let _ = password_matches(dummy_hash(), password);
            return Err(StoreError::BadCredentials);
        };
        let id: i64 = get(&row, "id")?;
        let hash: String = get(&row, "password_hash")?;
        if let Some(until) = get::<Option<i64>>(&row, "locked_until")?.filter(|&u| u > now) {
            return Err(StoreError::Locked {
                minutes: (until - now + 59) / 60,
            });
        }
        if !password_matches(&hash, password) {
            // One statement, so concurrent failures all count; a lockout that has ended
            // starts the count again.
            sqlx::query(
                "UPDATE users SET \
                 failed_logins = CASE WHEN locked_until <= $4 THEN 1 ELSE failed_logins + 1 END, \
                 locked_until = CASE WHEN locked_until <= $4 THEN NULL \
                 WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END \
                 WHERE id = $3",
            )
            .bind(LOCKOUT_FAILURES)
            .bind(now + LOCKOUT_SECONDS)
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
            return Err(StoreError::BadCredentials);
        }
        if get::<Option<i64>>(&row, "disabled_at")?.is_some() {
            return Err(StoreError::Disabled);
        }
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::UserNotFound(name.to_owned()))
    }

    /// Sets a user's password (the server verifies the old one first with
    /// [`Store::verify_password`]); clears the lockout.
    pub async fn set_password(&self, actor: &Actor, name: &str, password: &str) -> Result<()> {
        check_password(password)?;
        let hash = hash_password(password)?;
        self.update_user(actor, name, UserChange::Password(hash))
            .await
    }

    /// Disables (or enables again) an account: a disabled user cannot log in, its tokens and
    /// sessions stop working, and scoped queries show it nothing.
    pub async fn set_user_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<()> {
        self.update_user(actor, name, UserChange::Disabled(disabled.then(now)))
            .await
    }

    async fn update_user(&self, actor: &Actor, name: &str, change: UserChange) -> Result<()> {
        let Some(target) = self.user_by_name(name).await? else {
            return Err(StoreError::UserNotFound(name.to_owned()));
        };
        let mut tx = self.pool.begin().await?;
        let action = match change {
            UserChange::Password(hash) => {
                sqlx::query(
                    "UPDATE users SET password_hash = $1, password_changed_at = $2, \
                     failed_logins = 0, locked_until = NULL WHERE id = $3",
                )
                .bind(hash)
                .bind(now())
                .bind(target.id)
                .execute(&mut *tx)
                .await?;
                "user.password"
            }
            UserChange::Disabled(at) => {
                sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(target.id)
                    .execute(&mut *tx)
                    .await?;
                if at.is_some() {
                    "user.disable"
                } else {
                    "user.enable"
                }
            }
        };
        audit::record(
            &mut tx,
            actor,
            Change {
                action,
                object_type: "user",
                object_id: Some(target.id),
                detail: Some(json!({"name": target.name})),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token for a user and returns the plain token (shown once: only its
    /// sha256 and its first characters are kept).
    pub async fn create_token(&self, actor: &Actor, user_name: &str) -> Result<CreatedToken> {
        let Some(owner) = self.user_by_name(user_name).await? else {
            return Err(StoreError::UserNotFound(user_name.to_owned()));
        };
        let mut secret = [0u8; 24];
        OsRng.fill_bytes(&mut secret);
        let token = format!("{TOKEN_PREFIX}{}", hex(&secret));
        let prefix = token[..TOKEN_ID_CHARS].to_owned();
        let token_hash = sha256_hex(token.as_bytes());
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, prefix, token_sha256, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(owner.id)
        .bind(prefix.as_str())
        .bind(token_hash.as_str())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = get(&row, "id")?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "token.create",
                object_type: "api_token",
                object_id: Some(id),
                detail: Some(json!({"user": owner.name, "prefix": prefix})),
                before: None,
                after: Some(token_hash),
            },
        )
        .await?;
        tx.commit().await?;
        let info = self
            .tokens_where("t.id = $1", id)
            .await?
            .pop()
            .ok_or_else(|| StoreError::TokenNotFound(prefix.clone()))?;
        Ok(CreatedToken { token, info })
    }

    async fn tokens_where(&self, condition: &str, value: i64) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE {condition} ORDER BY t.id"
        ))
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_info).collect()
    }

    /// Every token (revoked ones too), oldest first.
    pub async fn tokens(&self) -> Result<Vec<ApiToken>> {
        self.tokens_where("t.id >= $1", 0).await
    }

    /// Revokes a token by its prefix (`xxgk_1a2b3c4d`), or every live token of a user by the
    /// user's name. Returns the tokens revoked; none is [`StoreError::TokenNotFound`].
    pub async fn revoke_token(&self, actor: &Actor, prefix_or_user: &str) -> Result<Vec<ApiToken>> {
        let key = prefix_or_user.trim();
        let mut live = Vec::new();
        if key.starts_with(TOKEN_PREFIX) {
            let row =
                sqlx::query("SELECT id FROM api_tokens WHERE prefix = $1 AND revoked_at IS NULL")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?;
            if let Some(row) = row {
                live.push(get::<i64>(&row, "id")?);
            }
        }
        if live.is_empty() {
            if let Some(owner) = self.user_by_name(key).await? {
                for t in self.tokens_where("t.user_id = $1", owner.id).await? {
                    if t.revoked_at.is_none() {
                        live.push(t.id);
                    }
                }
            }
        }
        if live.is_empty() {
            return Err(StoreError::TokenNotFound(key.to_owned()));
        }
        let t = now();
        let mut tx = self.pool.begin().await?;
        for &id in &live {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "token.revoke",
                    object_type: "api_token",
                    object_id: Some(id),
                    detail: None,
                    before: None,
                    after: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        let mut revoked = Vec::with_capacity(live.len());
        for id in live {
            revoked.extend(self.tokens_where("t.id = $1", id).await?);
        }
        Ok(revoked)
    }

    /// The user a plain token belongs to, if the token is live and the user not disabled;
    /// records the token's use.
    pub async fn user_by_token(&self, token: &str) -> Result<Option<User>> {
        let token_hash = sha256_hex(token.as_bytes());
        let row = sqlx::query(
            "SELECT id, user_id FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = get(&row, "id")?;
        let user_id: i64 = get(&row, "user_id")?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(self.user_by_id(user_id).await?.filter(|u| !u.disabled))
    }
}
