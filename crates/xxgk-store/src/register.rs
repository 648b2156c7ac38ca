//! The request register (issue 11): applications with their events, the appeals of table 四,
//! the calendar overrides of a data directory, and tables 三 / 四 derived from what is stored.
//!
//! A case is stored as the JSON of [`xxgk_register::Case`] plus the columns lists filter on
//! (编号, received, closing date, outcome) and its clock (status and due date) as of a day,
//! recomputed by [`Store::recompute_register`]. Reads are scoped like reports: staff see their
//! own agency, a supervisor its subtree and an administrator everything, both with the applicants'
//! names, contacts and requests blanked (counts, never names; the command line's holder of the
//! data directory sees them); an agency outside the scope is `None` like a missing one.
//! Every added or changed case and appeal is an audit entry with the sha256 of its JSON before
//! and after.

use std::collections::HashMap;
use std::path::Path;

use serde_json::json;
use sqlx::any::AnyRow;
use xxgk_register::tables::DerivedTables;
use xxgk_register::{
    clock, AppealCase, ApplicantType, Calendar, Case, CaseCount, CaseGroup, CaseSummary, Day,
    Outcome, Status,
};

use crate::audit::{self, Change};
use crate::reports::scope;
use crate::{get, now, sha256_hex, Actor, Backend, Result, Role, Store, StoreError, User};

/// One stored case as a caller may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub id: i64,
    pub agency_id: i64,
    pub agency_code: String,
    pub number: String,
    pub received: Day,
    /// The date the case was closed (answer or withdrawal).
    pub answered: Option<Day>,
    /// The row id of table 三 (2021) of the closing outcome.
    pub outcome: Option<String>,
    /// As of `status_on`.
    pub status: Status,
    pub due: Option<Day>,
    pub status_on: Day,
    /// The case; for a supervisor with the applicant's name and contact blanked.
    pub case: Case,
    pub updated_at: i64,
}

/// Filters of the case list (all optional).
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only this agency (not its subtree).
    pub agency_id: Option<i64>,
    /// Only cases received in this year.
    pub year: Option<i32>,
    /// Only cases with this (cached) status.
    pub status: Option<Status>,
}

/// What storing a batch of cases did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PutSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The calendar of a data directory: the shipped notices with `DIR/calendar/*.toml` applied in
/// file-name order (a directory without `calendar/` uses the shipped data as is).
pub fn load_calendar(dir: &Path) -> Result<Calendar> {
    let mut cal = Calendar::shipped().map_err(|e| StoreError::Calendar(e.to_string()))?;
    let cal_dir = dir.join("calendar");
    if !cal_dir.is_dir() {
        return Ok(cal);
    }
    let io = |path: &Path, e: std::io::Error| StoreError::CalendarFile {
        path: path.display().to_string(),
        error: e,
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&cal_dir)
        .map_err(|e| io(&cal_dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        cal.apply_override(&text, &path.display().to_string())
            .map_err(|e| StoreError::Calendar(e.to_string()))?;
    }
    Ok(cal)
}

impl User {
    /// The holder of the data directory on the command line: sees everything, like an admin.
    pub fn command_line() -> User {
        User {
            id: 0,
            name: "命令行".to_owned(),
            role: Role::Admin,
            agency_id: None,
            agency_path: None,
            agency_code: None,
            disabled: false,
            created_at: 0,
        }
    }
}

/// The cached columns of a case on `today`.
struct Columns {
    applicant_type: &'static str,
    received: String,
    answered: Option<String>,
    outcome: Option<&'static str>,
    status: &'static str,
    due: Option<String>,
    excluded: Option<String>,
}

fn columns(case: &Case, cal: &Calendar, today: Day) -> Columns {
    let c = clock(case, cal, today);
    let closing = case.closing();
    Columns {
        applicant_type: case.application.applicant_type.key(),
        received: case.application.received.to_string(),
        answered: closing.map(|c| c.date.to_string()),
        outcome: closing.map(|c| c.outcome.key()),
        status: c.status.id(),
        due: c.due.map(|d| d.to_string()),
        excluded: CaseSummary::of(case, cal).excluded,
    }
}

fn day(s: &str) -> Result<Day> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("日期“{s}”无效")))
}

pub(crate) fn stored_case(row: &AnyRow, anonymise: bool) -> Result<StoredCase> {
    let json: String = get(row, "case_json")?;
    let mut case: Case =
        serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if anonymise {
        // Personal data: the applicant, the contact, and what was asked (which can name
        // people and their affairs).
        case.application.applicant_name.clear();
        case.application.contact.clear();
        case.application.content.clear();
    }
    let status: String = get(row, "status")?;
    Ok(StoredCase {
        id: get(row, "id")?,
        agency_id: get(row, "agency_id")?,
        agency_code: get(row, "agency_code")?,
        number: get(row, "number")?,
        received: day(&get::<String>(row, "received")?)?,
        answered: get::<Option<String>>(row, "answered")?
            .map(|s| day(&s))
            .transpose()?,
        outcome: get(row, "outcome")?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("状态“{status}”无效")))?,
        due: get::<Option<String>>(row, "due")?
            .map(|s| day(&s))
            .transpose()?,
        status_on: day(&get::<String>(row, "status_on")?)?,
        case,
        updated_at: get(row, "updated_at")?,
    })
}

/// Whether a caller sees applicants' personal data ([`User::sees_personal_data`]).
pub(crate) fn sees_names(caller: &User) -> bool {
    caller.sees_personal_data()
}

impl User {
    /// Whether this user sees applicants' personal data in the register: the agency's own
    /// staff, and the holder of the data directory on the command line ([`User::command_line`],
    /// id 0: the office that keeps the register and exports it). A server administrator manages
    /// users and agencies, not cases: like a supervisor, it reads the register without
    /// personal data. The one rule the store's reads and the server's pages both follow.
    pub fn sees_personal_data(&self) -> bool {
        match self.role {
            Role::Staff => !self.disabled,
            Role::Admin => self.id == 0 && self.name == User::command_line().name,
            Role::Supervisor => false,
        }
    }
}

/// The separator of the numbers of a group in [`Store::register_tables`].
const SEP: char = '\u{1f}';
/// The separator of a received date and a number there.
const DATE_SEP: char = '\u{1e}';

/// An open case as `recompute_register` reads it: id, cached status, due date and exclusion,
/// and the case.
type OpenCase = (i64, String, Option<String>, Option<String>, Case);

/// The rows of `SELECT {values} {from_where}` (with `$1` bound to `param` if any) as ONE row: a JSON
/// array of arrays, decoded with serde. sqlx hands each row of SQLite over from its worker
/// thread on its own, at a thread switch each, which on a busy machine costs far more than the
/// row (16,800 open cases took 2 s row by row). `sqlite` and `postgres` are the values in each
/// dialect (`json(case_json)` / `case_json::json` to embed a stored JSON text as JSON).
async fn json_rows<T: serde::de::DeserializeOwned>(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    sqlite: &str,
    postgres: &str,
    from_where: &str,
    param: Option<i64>,
) -> Result<Vec<T>> {
    let sql = match backend {
        Backend::Sqlite => {
            format!("SELECT json_group_array(json_array({sqlite})) AS j {from_where}")
        }
        Backend::Postgres => format!(
            "SELECT COALESCE(json_agg(json_build_array({postgres})), '[]'::json)::text AS j \
             {from_where}"
        ),
    };
    let mut query = sqlx::query(&sql);
    if let Some(p) = param {
        query = query.bind(p);
    }
    let row = query.fetch_one(&mut *conn).await?;
    let text: String = get(&row, "j")?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// How many rows of `columns` parameters one multi-row statement takes: some 10,000
/// parameters (SQLite allows 32,766, PostgreSQL 65,535).
pub(crate) fn rows_per_statement(_backend: Backend, columns: usize) -> usize {
    (10_000 / columns.max(1)).max(1)
}

/// The `VALUES` list of a multi-row statement: `rows` groups of `columns` parameters. SQLite
/// gets anonymous `?` parameters: it looks a numbered `$n` up by name in a list of all the
/// statement's names, which makes binding a statement of many parameters quadratic, while
/// `?` binds in order. PostgreSQL gets `$1 … $n`, its only form.
pub(crate) fn values_list(backend: Backend, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 4);
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * columns + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

pub(crate) const CASE_COLUMNS: &str =
    "c.id, c.agency_id, a.code AS agency_code, c.number, c.received, \
    c.answered, c.outcome, c.status, c.due, c.status_on, c.case_json, c.updated_at";

impl Store {
    /// Adds the cases to an agency's register, or updates those whose 编号 is already there and
    /// whose content changed (one transaction: all or nothing). Each added or changed case is an
    /// audit entry (`register.case.add` / `register.case.update`, before/after = sha256 of the
    /// case JSON). Status and due date are computed with `cal` on `today`.
    ///
    /// Made for a 100,000-case import: each case is serialised, hashed and put on the clock
    /// once, before the transaction begins; new cases and their audit entries are inserted many
    /// rows to a statement ([`values_list`]), their ids coming back from the insert itself.
    pub async fn put_cases(
        &self,
        actor: &Actor,
        agency_id: i64,
        cases: &[Case],
        cal: &Calendar,
        today: Day,
    ) -> Result<PutSummary> {
        // Everything a row needs, computed outside the transaction (it holds SQLite's writer).
        let mut prepared: Vec<(&str, Columns, String, String)> = Vec::with_capacity(cases.len());
        for case in cases {
            let number = case.application.number.trim();
            if number.is_empty() {
                return Err(StoreError::EmptyCaseNumber);
            }
            let text =
                serde_json::to_string(case).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let sha = sha256_hex(text.as_bytes());
            prepared.push((number, columns(case, cal, today), text, sha));
        }
        let mut tx = self.pool.begin().await?;
        if sqlx::query("SELECT id FROM agencies WHERE id = $1")
            .bind(agency_id)
            .fetch_optional(&mut *tx)
            .await?
            .is_none()
        {
            return Err(StoreError::AgencyNotFound(agency_id.to_string()));
        }
        let existing_rows: Vec<(i64, String, String)> = json_rows(
            &mut tx,
            self.backend,
            "id, number, case_sha256",
            "id, number, case_sha256",
            "FROM register_cases WHERE agency_id = $1",
            Some(agency_id),
        )
        .await?;
        let mut existing: HashMap<String, (i64, String)> = existing_rows
            .into_iter()
            .map(|(id, number, sha)| (number, (id, sha)))
            .collect();
        let t = now();
        let today_text = today.to_string();
        let mut summary = PutSummary::default();
        // New cases are inserted many to a statement after the loop; a number twice in
        // `cases` is added once, with its last content.
        let mut new_rows: Vec<(&str, Columns, String, String)> = Vec::new();
        let mut new_index: HashMap<&str, usize> = HashMap::new();
        let mut changes: Vec<Change<'static>> = Vec::new();
        for (number, cols, text, sha) in prepared {
            match existing.get(number) {
                Some((_, old)) if *old == sha => summary.unchanged += 1,
                Some((id, old)) => {
                    sqlx::query(
                        "UPDATE register_cases SET applicant_type = $1, received = $2, \
                         answered = $3, outcome = $4, status = $5, due = $6, status_on = $7, \
                         case_json = $8, case_sha256 = $9, updated_at = $10, excluded = $11 \
                         WHERE id = $12",
                    )
                    .bind(cols.applicant_type)
                    .bind(cols.received.as_str())
                    .bind(cols.answered.as_deref())
                    .bind(cols.outcome)
                    .bind(cols.status)
                    .bind(cols.due.as_deref())
                    .bind(today_text.as_str())
                    .bind(text.as_str())
                    .bind(sha.as_str())
                    .bind(t)
                    .bind(cols.excluded.as_deref())
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
                    summary.updated += 1;
                    changes.push(Change {
                        action: "register.case.update",
                        object_type: "register_case",
                        object_id: Some(*id),
                        detail: Some(json!({"agency_id": agency_id, "number": number})),
                        before: Some(old.clone()),
                        after: Some(sha.clone()),
                    });
                    let id = *id;
                    existing.insert(number.to_owned(), (id, sha));
                }
                None => match new_index.get(number) {
                    Some(&i) => new_rows[i] = (number, cols, text, sha),
                    None => {
                        new_index.insert(number, new_rows.len());
                        new_rows.push((number, cols, text, sha));
                    }
                },
            }
        }
        summary.added = new_rows.len();
        // On SQLite the new rows are those of the agency with an id above the largest before
        // the first insert: the transaction holds SQLite's only writer from its first write on,
        // and a write by another connection after this read makes that write fail (the
        // snapshot is stale). Their audit entries are then made by the database, with no row
        // sent back (each row fetched from SQLite costs a hand-over between threads). On
        // PostgreSQL, where another transaction may add to the agency meanwhile, the inserts
        // return the ids.
        let max_before: i64 = match self.backend {
            Backend::Sqlite => get(
                &sqlx::query("SELECT COALESCE(MAX(id), 0) AS m FROM register_cases")
                    .fetch_one(&mut *tx)
                    .await?,
                "m",
            )?,
            Backend::Postgres => 0,
        };
        const COLUMNS: usize = 14;
        let mut ids: HashMap<String, i64> = HashMap::new();
        for chunk in new_rows.chunks(rows_per_statement(self.backend, COLUMNS)) {
            let sql = format!(
                "INSERT INTO register_cases (agency_id, number, applicant_type, received, \
                 answered, outcome, status, due, status_on, case_json, case_sha256, \
                 created_at, updated_at, excluded) VALUES {}{}",
                values_list(self.backend, chunk.len(), COLUMNS),
                match self.backend {
                    Backend::Sqlite => "",
                    Backend::Postgres => " RETURNING id, number",
                }
            );
            let mut query = sqlx::query(&sql);
            for (number, cols, text, sha) in chunk {
                query = query
                    .bind(agency_id)
                    .bind(*number)
                    .bind(cols.applicant_type)
                    .bind(cols.received.as_str())
                    .bind(cols.answered.as_deref())
                    .bind(cols.outcome)
                    .bind(cols.status)
                    .bind(cols.due.as_deref())
                    .bind(today_text.as_str())
                    .bind(text.as_str())
                    .bind(sha.as_str())
                    .bind(t)
                    .bind(t)
                    .bind(cols.excluded.as_deref());
            }
            match self.backend {
                Backend::Sqlite => {
                    query.execute(&mut *tx).await?;
                }
                Backend::Postgres => {
                    for row in query.fetch_all(&mut *tx).await? {
                        ids.insert(get(&row, "number")?, get(&row, "id")?);
                    }
                }
            }
        }
        match self.backend {
            Backend::Sqlite if !new_rows.is_empty() => {
                // The entry `serde_json` writes for an update, `{"agency_id":1,"number":"…"}`.
                sqlx::query(
                    "INSERT INTO audit_log (at, actor_id, actor, action, object_type, \
                     object_id, detail, before_sha256, after_sha256) \
                     SELECT $1, $2, $3, 'register.case.add', 'register_case', id, \
                     json_object('agency_id', agency_id, 'number', number), NULL, case_sha256 \
                     FROM register_cases WHERE agency_id = $4 AND id > $5 ORDER BY id",
                )
                .bind(now())
                .bind(actor.user_id)
                .bind(actor.name.as_str())
                .bind(agency_id)
                .bind(max_before)
                .execute(&mut *tx)
                .await?;
            }
            Backend::Sqlite => {}
            Backend::Postgres => {
                for (number, _, _, sha) in new_rows {
                    changes.push(Change {
                        action: "register.case.add",
                        object_type: "register_case",
                        object_id: ids.get(number).copied(),
                        detail: Some(json!({"agency_id": agency_id, "number": number})),
                        before: None,
                        after: Some(sha),
                    });
                }
            }
        }
        audit::record_many(&mut tx, self.backend, actor, changes).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The cases the caller may see, filtered, by received date then 编号.
    pub async fn register_cases(
        &self,
        caller: &User,
        filter: &CaseFilter,
    ) -> Result<Vec<StoredCase>> {
        let (condition, value) = scope(caller, 1);
        let mut sql = format!(
            "SELECT {CASE_COLUMNS} FROM register_cases c JOIN agencies a ON a.id = c.agency_id \
             WHERE {condition}"
        );
        let mut texts: Vec<String> = Vec::new();
        let mut n = 1;
        let mut agency = None;
        if let Some(id) = filter.agency_id {
            n += 1;
            sql.push_str(&format!(" AND c.agency_id = ${n}"));
            agency = Some(id);
        }
        if let Some(y) = filter.year {
            sql.push_str(&format!(
                " AND c.received >= ${} AND c.received <= ${}",
                n + 1,
                n + 2
            ));
            n += 2;
            texts.push(format!("{y:04}-01-01"));
            texts.push(format!("{y:04}-12-31"));
        }
        if let Some(s) = filter.status {
            n += 1;
            sql.push_str(&format!(" AND c.status = ${n}"));
            texts.push(s.id().to_owned());
        }
        sql.push_str(" ORDER BY c.received, c.number, c.id");
        let mut query = sqlx::query(&sql).bind(value);
        if let Some(id) = agency {
            query = query.bind(id);
        }
        for t in texts {
            query = query.bind(t);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let anonymise = !sees_names(caller);
        rows.iter().map(|r| stored_case(r, anonymise)).collect()
    }

    /// One case of an agency by 编号, if the caller may see it.
    pub async fn register_case(
        &self,
        caller: &User,
        agency_id: i64,
        number: &str,
    ) -> Result<Option<StoredCase>> {
        let (condition, value) = scope(caller, 3);
        let row = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM register_cases c JOIN agencies a ON a.id = c.agency_id \
             WHERE c.agency_id = $1 AND c.number = $2 AND {condition}"
        ))
        .bind(agency_id)
        .bind(number.trim())
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| stored_case(&r, !sees_names(caller)))
            .transpose()
    }

    /// Recomputes the status and due date of every open case (not closed) with `cal` on `today`
    /// — after calendar data changed, or as the days pass. Returns how many cases changed; when
    /// any did, one audit entry `register.recompute` says how many and why.
    pub async fn recompute_register(
        &self,
        actor: &Actor,
        cal: &Calendar,
        today: Day,
        reason: &str,
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        // Open cases only (no agency filter: every agency's).
        let open: Vec<OpenCase> = json_rows(
            &mut tx,
            self.backend,
            "id, status, due, excluded, json(case_json)",
            "id, status, due, excluded, case_json::json",
            "FROM register_cases WHERE answered IS NULL",
            None,
        )
        .await?;
        let today_text = today.to_string();
        // Only the rows whose clock changed are written, many to a statement; the day of the
        // status of every open case in one statement.
        let mut updates: Vec<(i64, Columns)> = Vec::new();
        let mut changed = 0;
        for (id, status, due, excluded, case) in &open {
            let cols = columns(case, cal, today);
            let clock_changed = *status != cols.status || *due != cols.due;
            if clock_changed {
                changed += 1;
            }
            if clock_changed || *excluded != cols.excluded {
                updates.push((*id, cols));
            }
        }
        const COLUMNS: usize = 4;
        for chunk in updates.chunks(rows_per_statement(self.backend, COLUMNS)) {
            let sql = format!(
                "WITH v (id, status, due, excluded) AS (VALUES {}) \
                 UPDATE register_cases SET status = v.status, due = v.due, \
                 excluded = v.excluded FROM v WHERE register_cases.id = v.id",
                values_list(self.backend, chunk.len(), COLUMNS)
            );
            let mut query = sqlx::query(&sql);
            for (id, cols) in chunk {
                query = query
                    .bind(*id)
                    .bind(cols.status)
                    .bind(cols.due.as_deref())
                    .bind(cols.excluded.as_deref());
            }
            query.execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE register_cases SET status_on = $1 WHERE answered IS NULL")
            .bind(today_text.as_str())
            .execute(&mut *tx)
            .await?;
        if changed > 0 {
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "register.recompute",
                    object_type: "register_case",
                    object_id: None,
                    detail: Some(json!({"reason": reason, "changed": changed,
                        "open": open.len(), "on": today_text})),
                    before: None,
                    after: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Adds or updates (by number) an appeal of an agency; `false` when nothing changed.
    pub async fn put_appeal(
        &self,
        actor: &Actor,
        agency_id: i64,
        appeal: &AppealCase,
    ) -> Result<bool> {
        let number = appeal.number.trim();
        if number.is_empty() {
            return Err(StoreError::EmptyCaseNumber);
        }
        let mut tx = self.pool.begin().await?;
        let old = sqlx::query(
            "SELECT id, kind, filed, concluded, result FROM register_appeals \
             WHERE agency_id = $1 AND number = $2",
        )
        .bind(agency_id)
        .bind(number)
        .fetch_optional(&mut *tx)
        .await?;
        let state = appeal_json(appeal);
        let after = sha256_hex(state.to_string().as_bytes());
        let kind = appeal.kind.row_key();
        let filed = appeal.filed.to_string();
        let concluded = appeal.concluded.map(|(d, _)| d.to_string());
        let result = appeal.concluded.map(|(_, r)| r.column_key());
        let t = now();
        let (id, action, before) = match old {
            Some(row) => {
                let old = stored_appeal(&row, number)?;
                let before = sha256_hex(appeal_json(&old).to_string().as_bytes());
                if before == after {
                    return Ok(false);
                }
                let id: i64 = get(&row, "id")?;
                sqlx::query(
                    "UPDATE register_appeals SET kind = $1, filed = $2, concluded = $3, \
                     result = $4, updated_at = $5 WHERE id = $6",
                )
                .bind(kind)
                .bind(filed.as_str())
                .bind(concluded.as_deref())
                .bind(result)
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (id, "register.appeal.update", Some(before))
            }
            None => {
                let row = sqlx::query(
                    "INSERT INTO register_appeals (agency_id, number, kind, filed, concluded, \
                     result, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                     RETURNING id",
                )
                .bind(agency_id)
                .bind(number)
                .bind(kind)
                .bind(filed.as_str())
                .bind(concluded.as_deref())
                .bind(result)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                (get(&row, "id")?, "register.appeal.add", None)
            }
        };
        audit::record(
            &mut tx,
            actor,
            Change {
                action,
                object_type: "register_appeal",
                object_id: Some(id),
                detail: Some(state),
                before,
                after: Some(after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The appeals of an agency the caller may see (none when it may not), by number.
    pub async fn register_appeals(&self, caller: &User, agency_id: i64) -> Result<Vec<AppealCase>> {
        let (condition, value) = scope(caller, 2);
        let rows = sqlx::query(&format!(
            "SELECT p.number, p.kind, p.filed, p.concluded, p.result FROM register_appeals p \
             JOIN agencies a ON a.id = p.agency_id WHERE p.agency_id = $1 AND {condition} \
             ORDER BY p.number"
        ))
        .bind(agency_id)
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| stored_appeal(r, &get::<String>(r, "number")?))
            .collect()
    }

    /// Whether the caller may see the agency (an unknown one is not seen).
    async fn agency_visible(&self, caller: &User, agency_id: i64) -> Result<bool> {
        let (condition, value) = scope(caller, 2);
        let row = sqlx::query(&format!(
            "SELECT a.id FROM agencies a WHERE a.id = $1 AND {condition}"
        ))
        .bind(agency_id)
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// The cases of an agency that could count in the year (received by its last day, not
    /// closed before its first) but are not counted, with why: what both derivations list.
    async fn year_excluded(
        &self,
        agency_id: i64,
        first: &str,
        last: &str,
    ) -> Result<Vec<(String, String)>> {
        let mut excluded = Vec::new();
        for row in sqlx::query(
            "SELECT number, excluded FROM register_cases WHERE agency_id = $1 \
             AND received <= $2 AND (answered IS NULL OR answered >= $3) \
             AND excluded IS NOT NULL ORDER BY received, number, id",
        )
        .bind(agency_id)
        .bind(last)
        .bind(first)
        .fetch_all(&self.pool)
        .await?
        {
            excluded.push((get(&row, "number")?, get(&row, "excluded")?));
        }
        Ok(excluded)
    }

    /// Tables 三 and 四 of `year` derived from an agency's register (`None` when the caller may
    /// not see the agency or it does not exist), from the cached columns (validity included: a
    /// case's `excluded` is computed with the calendar at each write). Only the cases that can
    /// count in the year are read: received by 31 December and not closed before 1 January. Each
    /// cell's case numbers are grouped by applicant type, new or carried over, and outcome in the
    /// year (the cases still open at its end form one group), in received-date, then 编号 order
    /// within a group.
    pub async fn register_tables(
        &self,
        caller: &User,
        agency_id: i64,
        year: i32,
    ) -> Result<Option<std::result::Result<DerivedTables, xxgk_register::tables::DeriveError>>>
    {
        if !self.agency_visible(caller, agency_id).await? {
            return Ok(None);
        }
        // One pass over the index register_cases_cells (migration 0006), grouped by applicant
        // type and outcome as it is read (no sort of the year's cases): a row per group with
        // the 编号 of its cases new in the year or carried over, closed in the year or not,
        // joined by U+001F (which no 编号 contains): a year of 50,000 cases is some 50 rows,
        // not 50,000 (sqlx hands each row from its SQLite thread over at some microseconds).
        // The closed ones come in index order (received date, then 编号; PostgreSQL is told);
        // the open ones, gathered over the outcomes they get later, carry their received date
        // to be sorted here. Each group then counts as cases dated at the year's bounds — all
        // the counting rules of `derive_tables_from_groups` look at — so the rules stay in one
        // place.
        let (first_text, last_text) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let (Some(first), Some(last)) = (Day::from_ymd(year, 1, 1), Day::from_ymd(year, 12, 31))
        else {
            return Ok(Some(Err(xxgk_register::tables::DeriveError::NoFormat(
                year,
            ))));
        };
        let in_order = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " ORDER BY received, number COLLATE \"C\"",
        };
        let (new, old, open, closed) = (
            "received >= $3",
            "received < $3",
            "(answered IS NULL OR answered > $2)",
            "answered <= $2",
        );
        let sql = format!(
            "SELECT applicant_type, outcome, \
             string_agg(received || $5 || number, $4) \
               FILTER (WHERE excluded IS NULL AND {new} AND {open}) AS new_open, \
             string_agg(received || $5 || number, $4) \
               FILTER (WHERE excluded IS NULL AND {old} AND {open}) AS old_open, \
             string_agg(number, $4{in_order}) \
               FILTER (WHERE excluded IS NULL AND {new} AND {closed}) AS new_closed, \
             string_agg(number, $4{in_order}) \
               FILTER (WHERE excluded IS NULL AND {old} AND {closed}) AS old_closed \
             FROM register_cases WHERE agency_id = $1 AND received <= $2 \
             AND (answered IS NULL OR answered >= $3) \
             GROUP BY applicant_type, outcome"
        );
        let rows = sqlx::query(&sql)
            .bind(agency_id)
            .bind(last_text.as_str())
            .bind(first_text.as_str())
            .bind(SEP.to_string())
            .bind(DATE_SEP.to_string())
            .fetch_all(&self.pool)
            .await?;
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("{what}“{v}”无效"));
        // (applicant type, started in the year, closing outcome or "") → numbers; the order of
        // the groups is that of these keys.
        let mut groups: std::collections::BTreeMap<(String, bool, String), Vec<String>> =
            std::collections::BTreeMap::new();
        for row in &rows {
            let kind: String = get(row, "applicant_type")?;
            let outcome: Option<String> = get(row, "outcome")?;
            for (column, is_new, closed) in [
                ("new_open", true, false),
                ("old_open", false, false),
                ("new_closed", true, true),
                ("old_closed", false, true),
            ] {
                let Some(numbers) = get::<Option<String>>(row, column)? else {
                    continue;
                };
                let closed_as = match (closed, &outcome) {
                    (false, _) => String::new(),
                    (true, Some(o)) => o.clone(),
                    (true, None) => return Err(corrupt("办理结果", "")),
                };
                groups
                    .entry((kind.clone(), !is_new, closed_as))
                    .or_default()
                    .extend(numbers.split(SEP).map(str::to_owned));
            }
        }
        let mut cases = Vec::with_capacity(groups.len());
        for ((kind, carried_over, closed_as), mut numbers) in groups {
            let applicant_type =
                ApplicantType::parse(&kind).ok_or_else(|| corrupt("申请人类型", &kind))?;
            let closing = if closed_as.is_empty() {
                // Dated numbers: by date, then 编号, then the date taken off.
                numbers.sort_unstable();
                for n in &mut numbers {
                    if let Some(at) = n.find(DATE_SEP) {
                        n.drain(..at + DATE_SEP.len_utf8());
                    }
                }
                None
            } else {
                Some((
                    last,
                    Outcome::parse(&closed_as).ok_or_else(|| corrupt("办理结果", &closed_as))?,
                ))
            };
            cases.push(CaseGroup {
                applicant_type,
                received: if carried_over { first.plus(-1) } else { first },
                closing,
                numbers,
            });
        }
        let excluded = self
            .year_excluded(agency_id, &first_text, &last_text)
            .await?;
        let appeals = self.register_appeals(caller, agency_id).await?;
        Ok(Some(xxgk_register::derive_tables_from_groups(
            year, &cases, &excluded, &appeals,
        )))
    }

    /// The cells of tables 三 and 四 of `year` as [`Store::register_tables`] gives them, without
    /// the numbers behind each cell (`provenance` is empty; [`Store::register_cell_cases`] gives
    /// those of one cell): for a page showing a year's tables. The same pass over the index
    /// register_cases_cells, counting instead of joining numbers, and the same rules
    /// (`derive_tables_from_counts`).
    pub async fn register_table_counts(
        &self,
        caller: &User,
        agency_id: i64,
        year: i32,
    ) -> Result<Option<std::result::Result<DerivedTables, xxgk_register::tables::DeriveError>>>
    {
        if !self.agency_visible(caller, agency_id).await? {
            return Ok(None);
        }
        let (first_text, last_text) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let (Some(first), Some(last)) = (Day::from_ymd(year, 1, 1), Day::from_ymd(year, 12, 31))
        else {
            return Ok(Some(Err(xxgk_register::tables::DeriveError::NoFormat(
                year,
            ))));
        };
        let (new, old, open, closed) = (
            "received >= $3",
            "received < $3",
            "(answered IS NULL OR answered > $2)",
            "answered <= $2",
        );
        let sql = format!(
            "SELECT applicant_type, outcome, \
             count(*) FILTER (WHERE excluded IS NULL AND {new} AND {open}) AS new_open, \
             count(*) FILTER (WHERE excluded IS NULL AND {old} AND {open}) AS old_open, \
             count(*) FILTER (WHERE excluded IS NULL AND {new} AND {closed}) AS new_closed, \
             count(*) FILTER (WHERE excluded IS NULL AND {old} AND {closed}) AS old_closed \
             FROM register_cases WHERE agency_id = $1 AND received <= $2 \
             AND (answered IS NULL OR answered >= $3) \
             GROUP BY applicant_type, outcome"
        );
        let rows = sqlx::query(&sql)
            .bind(agency_id)
            .bind(last_text.as_str())
            .bind(first_text.as_str())
            .fetch_all(&self.pool)
            .await?;
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("{what}“{v}”无效"));
        let mut counts = Vec::new();
        for row in &rows {
            let kind: String = get(row, "applicant_type")?;
            let applicant_type =
                ApplicantType::parse(&kind).ok_or_else(|| corrupt("申请人类型", &kind))?;
            let outcome: Option<String> = get(row, "outcome")?;
            for (column, is_new, closed) in [
                ("new_open", true, false),
                ("old_open", false, false),
                ("new_closed", true, true),
                ("old_closed", false, true),
            ] {
                let count: i64 = get(row, column)?;
                if count == 0 {
                    continue;
                }
                let closing = match (closed, &outcome) {
                    (false, _) => None,
                    (true, Some(o)) => Some((
                        last,
                        Outcome::parse(o).ok_or_else(|| corrupt("办理结果", o))?,
                    )),
                    (true, None) => return Err(corrupt("办理结果", "")),
                };
                counts.push(CaseCount {
                    applicant_type,
                    received: if is_new { first } else { first.plus(-1) },
                    closing,
                    count: usize::try_from(count).unwrap_or(0),
                });
            }
        }
        let excluded = self
            .year_excluded(agency_id, &first_text, &last_text)
            .await?;
        let appeals = self.register_appeals(caller, agency_id).await?;
        Ok(Some(xxgk_register::derive_tables_from_counts(
            year, &counts, &excluded, &appeals,
        )))
    }

    /// The numbers (编号) of the cases (for table 四, the appeals) behind one cell of tables 三 /
    /// 四 of `year`, in the order of [`Store::register_tables`] (empty for a 0): for the link
    /// from a number of the derived tables to its cases. `None` when the caller may not see the
    /// agency or it does not exist, when the year has no format, or when the cell is not one of
    /// the year's tables. Derived by `register_tables` (the counting rules exist once).
    pub async fn register_cell_cases(
        &self,
        caller: &User,
        agency_id: i64,
        year: i32,
        cell: &xxgk_model::CellId,
    ) -> Result<Option<Vec<String>>> {
        let Some(Ok(mut tables)) = self.register_tables(caller, agency_id, year).await? else {
            return Ok(None);
        };
        Ok(tables.provenance.remove(cell))
    }
}

fn appeal_json(a: &AppealCase) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or(serde_json::Value::Null)
}

fn stored_appeal(row: &AnyRow, number: &str) -> Result<AppealCase> {
    use xxgk_register::{AppealKind, AppealResult};
    let kind = match get::<String>(row, "kind")?.as_str() {
        "review" => AppealKind::Review,
        "litigation_direct" => AppealKind::LitigationDirect,
        _ => AppealKind::LitigationAfterReview,
    };
    let concluded = match (
        get::<Option<String>>(row, "concluded")?,
        get::<Option<String>>(row, "result")?,
    ) {
        (Some(d), Some(r)) => Some((
            day(&d)?,
            match r.as_str() {
                "upheld" => AppealResult::Upheld,
                "corrected" => AppealResult::Corrected,
                _ => AppealResult::Other,
            },
        )),
        _ => None,
    };
    Ok(AppealCase {
        number: number.to_owned(),
        kind,
        filed: day(&get::<String>(row, "filed")?)?,
        concluded,
    })
}
