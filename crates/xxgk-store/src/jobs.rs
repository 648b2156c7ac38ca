//! Background jobs (batch uploads) in the database: they survive a restart, and one job is
//! claimed by one server process at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has
//! one writer, so a single UPDATE … RETURNING claims atomically).

use serde_json::json;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::reports::{insert_version, Version};
use crate::{get, now, Actor, Backend, ReportResult, Result, Role, Store, StoreError, User};

/// The state of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl JobState {
    /// The identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> JobState {
        match s {
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            _ => JobState::Queued,
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub state: JobState,
    /// JSON: what to do (for an upload batch, the files and the chosen agency).
    pub payload: String,
    pub progress_done: i64,
    pub progress_total: i64,
    /// JSON: the outcome (per file: read, unreadable and why).
    pub result: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub claimed_by: Option<String>,
    pub heartbeat_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// The agency chosen for an upload, else the uploader's (who may see the job: its creator,
    /// admins, supervisors over this agency).
    pub agency_id: Option<i64>,
}

const JOB_COLUMNS: &str = "id, kind, state, payload, progress_done, progress_total, result, \
    created_by, created_at, claimed_by, heartbeat_at, finished_at, agency_id";

fn job(row: &AnyRow) -> Result<Job> {
    Ok(Job {
        id: get(row, "id")?,
        kind: get(row, "kind")?,
        state: JobState::parse(&get::<String>(row, "state")?),
        payload: get(row, "payload")?,
        progress_done: get(row, "progress_done")?,
        progress_total: get(row, "progress_total")?,
        result: get(row, "result")?,
        created_by: get(row, "created_by")?,
        created_at: get(row, "created_at")?,
        claimed_by: get(row, "claimed_by")?,
        heartbeat_at: get(row, "heartbeat_at")?,
        finished_at: get(row, "finished_at")?,
        agency_id: get(row, "agency_id")?,
    })
}

/// What became of one file of an upload job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobFileStatus {
    /// Not processed yet.
    Queued,
    /// Read and stored as a report.
    Read,
    /// Could not be read; stored as an unreadable report (with the reason).
    Unreadable,
    /// The same file (sha256) is already a report of that agency: not stored again.
    Duplicate,
    /// The agency could not be told from the report: kept until the uploader chooses one.
    NeedsAgency,
    /// Not a report (a folder's metadata, an image …) or a damaged entry: listed, not stored.
    Skipped,
}

impl JobFileStatus {
    /// The identifier of the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            JobFileStatus::Queued => "queued",
            JobFileStatus::Read => "read",
            JobFileStatus::Unreadable => "unreadable",
            JobFileStatus::Duplicate => "duplicate",
            JobFileStatus::NeedsAgency => "needs-agency",
            JobFileStatus::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> JobFileStatus {
        match s {
            "read" => JobFileStatus::Read,
            "unreadable" => JobFileStatus::Unreadable,
            "duplicate" => JobFileStatus::Duplicate,
            "needs-agency" => JobFileStatus::NeedsAgency,
            "skipped" => JobFileStatus::Skipped,
            _ => JobFileStatus::Queued,
        }
    }
}

/// One file of an upload job as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFile {
    /// 1, 2, … in the upload's order.
    pub n: i64,
    /// The name as uploaded (in a ZIP: with its folders).
    pub name: String,
    pub status: JobFileStatus,
    /// Why it was not read (Chinese).
    pub reason: Option<String>,
    /// For `needs-agency`: JSON `[{"code", "name"}]`, the agencies it could belong to.
    pub candidates: Option<String>,
    pub report_id: Option<i64>,
    pub agency_code: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<i64>,
}

/// A file of a job still to process, with its bytes.
#[derive(Debug, Clone)]
pub struct JobTodo {
    pub n: i64,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One file of a new upload job.
#[derive(Debug, Clone)]
pub struct UploadEntry {
    pub name: String,
    pub content: EntryContent,
}

/// The bytes of an entry, or why it is skipped.
#[derive(Debug, Clone)]
pub enum EntryContent {
    Bytes(Vec<u8>),
    Skipped(String),
}

/// What processing one file of a job gave, to record.
#[derive(Debug, Clone)]
pub enum JobOutcome<'a> {
    /// Store it as a report of this agency (or note the duplicate).
    Store {
        n: i64,
        agency_id: i64,
        year: Option<i32>,
        result: ReportResult<'a>,
    },
    /// The agency is uncertain: keep the file, list the candidates (JSON).
    NeedsAgency {
        n: i64,
        reason: &'a str,
        candidates: &'a str,
    },
}

impl JobOutcome<'_> {
    fn n(&self) -> i64 {
        match self {
            JobOutcome::Store { n, .. } | JobOutcome::NeedsAgency { n, .. } => *n,
        }
    }
}

/// The scope condition of jobs for a caller (`j` the job, `a` its agency, left-joined), and
/// the two values it binds as `$n`, `$n+1`.
fn job_scope(user: &User, n: usize) -> (String, i64, String) {
    let own = format!("j.created_by = ${n}");
    let m = n + 1;
    if user.disabled {
        return (
            format!("(1 = 0 AND j.id = ${n} AND a.path = ${m})"),
            -1,
            String::new(),
        );
    }
    match (user.role, &user.agency_path) {
        (Role::Admin, _) => (format!("({own} OR ${m} = '/')"), user.id, "/".to_owned()),
        (Role::Supervisor, Some(path)) => (
            format!("({own} OR a.path LIKE ${m})"),
            user.id,
            format!("{path}%"),
        ),
        _ => (format!("({own} AND ${m} = '')"), user.id, String::new()),
    }
}

impl Store {
    /// Queues a job.
    pub async fn enqueue_job(
        &self,
        kind: &str,
        payload: &str,
        total: i64,
        created_by: Option<i64>,
    ) -> Result<Job> {
        let row = sqlx::query(&format!(
            "INSERT INTO jobs (kind, payload, progress_total, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {JOB_COLUMNS}"
        ))
        .bind(kind)
        .bind(payload)
        .bind(total)
        .bind(created_by)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        job(&row)
    }

    /// A job by id (the caller checks who may see it: `created_by`).
    pub async fn job(&self, id: i64) -> Result<Option<Job>> {
        let row = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job).transpose()
    }

    /// Claims the oldest queued job for `worker` at `now`, or one still `running` whose
    /// heartbeat is older than `stale_before` (its process died: the job is resumed).
    pub async fn claim_job(
        &self,
        worker: &str,
        now: i64,
        stale_before: i64,
    ) -> Result<Option<Job>> {
        let pick = match self.backend {
            Backend::Postgres => {
                "SELECT id FROM jobs WHERE state = 'queued' \
                 OR (state = 'running' AND heartbeat_at < $3) \
                 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
            }
            Backend::Sqlite => {
                "SELECT id FROM jobs WHERE state = 'queued' \
                 OR (state = 'running' AND heartbeat_at < $3) ORDER BY id LIMIT 1"
            }
        };
        let row = sqlx::query(&format!(
            "UPDATE jobs SET state = 'running', claimed_by = $1, claimed_at = $2, \
             heartbeat_at = $2 WHERE id = ({pick}) RETURNING {JOB_COLUMNS}"
        ))
        .bind(worker)
        .bind(now)
        .bind(stale_before)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(job).transpose()
    }

    /// Records progress (and the heartbeat) of a job this worker holds; false when the job is
    /// no longer this worker's (taken over after a stale heartbeat, or cancelled).
    pub async fn job_progress(&self, id: i64, worker: &str, done: i64, now: i64) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE jobs SET progress_done = $1, heartbeat_at = $2 \
             WHERE id = $3 AND claimed_by = $4 AND state = 'running'",
        )
        .bind(done)
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Ends a job this worker holds, with its result (JSON).
    pub async fn finish_job(
        &self,
        id: i64,
        worker: &str,
        state: JobState,
        result: &str,
        now: i64,
    ) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE jobs SET state = $1, result = $2, finished_at = $3, heartbeat_at = $3 \
             WHERE id = $4 AND claimed_by = $5 AND state = 'running'",
        )
        .bind(state.as_str())
        .bind(result)
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Puts a job that this worker holds back in the queue (graceful shutdown: another worker,
    /// or this server at its next start, resumes it where it stopped).
    pub async fn release_job(&self, id: i64, worker: &str) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE jobs SET state = 'queued', claimed_by = NULL, heartbeat_at = NULL \
             WHERE id = $1 AND claimed_by = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Renews the heartbeat of a job this worker holds; false when it is no longer its own.
    pub async fn job_heartbeat(&self, id: i64, worker: &str, now: i64) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE jobs SET heartbeat_at = $1 WHERE id = $2 AND claimed_by = $3 \
             AND state = 'running'",
        )
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Queues an upload job: every entry's bytes stored now (once per sha256, as report files
    /// are), one `job_files` row per entry in order (skipped ones already final), in one
    /// transaction. `agency_id`: the agency chosen for every file, or `None` to match each
    /// report's own agency name in the creator's scope.
    pub async fn enqueue_upload(
        &self,
        creator: &User,
        agency_id: Option<i64>,
        entries: &mut (dyn Iterator<Item = UploadEntry> + Send),
    ) -> Result<Job> {
        let mut tx = self.pool.begin().await?;
        let t = now();
        let row = sqlx::query(
            "INSERT INTO jobs (kind, payload, progress_total, created_by, created_at, agency_id) \
             VALUES ('upload', $1, 0, $2, $3, $4) RETURNING id",
        )
        .bind(json!({ "agency_id": agency_id }).to_string())
        .bind(creator.id)
        .bind(t)
        .bind(agency_id.or(creator.agency_id))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = get(&row, "id")?;
        let (mut n, mut skipped) = (0i64, 0i64);
        for entry in entries {
            n += 1;
            let (file_id, status, reason) = match &entry.content {
                EntryContent::Bytes(bytes) => {
                    let (file_id, _) = self.put_file(&mut tx, &entry.name, bytes).await?;
                    (Some(file_id), JobFileStatus::Queued, None)
                }
                EntryContent::Skipped(reason) => {
                    skipped += 1;
                    (None, JobFileStatus::Skipped, Some(reason.as_str()))
                }
            };
            sqlx::query(
                "INSERT INTO job_files (job_id, n, name, file_id, status, reason) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(n)
            .bind(entry.name.as_str())
            .bind(file_id)
            .bind(status.as_str())
            .bind(reason)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE jobs SET progress_total = $1, progress_done = $2 WHERE id = $3")
            .bind(n)
            .bind(skipped)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            &Actor::user(creator),
            Change {
                action: "job.create",
                object_type: "job",
                object_id: Some(id),
                detail: Some(json!({"kind": "upload", "files": n, "agency_id": agency_id})),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.job(id).await?.ok_or(StoreError::JobNotFound(id))
    }

    /// A job the caller may see: its creator, an admin, a supervisor over the job's agency.
    /// Anyone else gets `None`, exactly as for a job that does not exist.
    pub async fn job_visible(&self, caller: &User, id: i64) -> Result<Option<Job>> {
        let (condition, uid, path) = job_scope(caller, 2);
        let columns = JOB_COLUMNS
            .split(", ")
            .map(|c| format!("j.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "SELECT {columns} FROM jobs j LEFT JOIN agencies a ON a.id = j.agency_id \
             WHERE j.id = $1 AND {condition}"
        ))
        .bind(id)
        .bind(uid)
        .bind(path)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(job).transpose()
    }

    /// The files of a job, in order (the caller has checked the job is visible).
    pub async fn job_files(&self, job_id: i64) -> Result<Vec<JobFile>> {
        self.job_files_page(job_id, 0, i64::MAX).await
    }

    /// At most `limit` files of a job from the `offset`-th on, in order.
    pub async fn job_files_page(
        &self,
        job_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<JobFile>> {
        let rows = sqlx::query(
            "SELECT jf.n, jf.name, jf.status, jf.reason, jf.candidates, jf.report_id, \
             a.code AS agency_code, f.sha256, f.size FROM job_files jf \
             LEFT JOIN files f ON f.id = jf.file_id \
             LEFT JOIN reports r ON r.id = jf.report_id \
             LEFT JOIN agencies a ON a.id = r.agency_id \
             WHERE jf.job_id = $1 ORDER BY jf.n LIMIT $2 OFFSET $3",
        )
        .bind(job_id)
        .bind(limit.max(0))
        .bind(offset.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(JobFile {
                    n: get(row, "n")?,
                    name: get(row, "name")?,
                    status: JobFileStatus::parse(&get::<String>(row, "status")?),
                    reason: get(row, "reason")?,
                    candidates: get(row, "candidates")?,
                    report_id: get(row, "report_id")?,
                    agency_code: get(row, "agency_code")?,
                    sha256: get(row, "sha256")?,
                    size: get(row, "size")?,
                })
            })
            .collect()
    }

    /// How many files of a job are in each state.
    pub async fn job_counts(&self, job_id: i64) -> Result<Vec<(JobFileStatus, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM job_files WHERE job_id = $1 GROUP BY status",
        )
        .bind(job_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    JobFileStatus::parse(&get::<String>(row, "status")?),
                    get(row, "n")?,
                ))
            })
            .collect()
    }

    /// The next files of a job still to process after file `after` (at most `limit`), with
    /// their bytes.
    pub async fn job_todo(&self, job_id: i64, after: i64, limit: i64) -> Result<Vec<JobTodo>> {
        self.job_files_with_bytes(
            job_id,
            "jf.status = 'queued' AND jf.n > $4",
            None,
            limit,
            after,
        )
        .await
    }

    /// File `n` of a job, with its bytes, if it waits for its agency (`needs-agency`).
    pub async fn job_file_waiting(&self, job_id: i64, n: i64) -> Result<Option<JobTodo>> {
        Ok(self
            .job_files_with_bytes(
                job_id,
                "jf.status = 'needs-agency' AND $4 = 0",
                Some(n),
                1,
                0,
            )
            .await?
            .pop())
    }

    async fn job_files_with_bytes(
        &self,
        job_id: i64,
        condition: &str,
        n: Option<i64>,
        limit: i64,
        after: i64,
    ) -> Result<Vec<JobTodo>> {
        let rows = sqlx::query(&format!(
            "SELECT jf.n, jf.name, f.content, f.external_path FROM job_files jf \
             JOIN files f ON f.id = jf.file_id WHERE jf.job_id = $1 AND {condition} \
             AND ($2 < 0 OR jf.n = $2) ORDER BY jf.n LIMIT $3"
        ))
        .bind(job_id)
        .bind(n.unwrap_or(-1))
        .bind(limit)
        .bind(after)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(JobTodo {
                    n: get(&row, "n")?,
                    name: get(&row, "name")?,
                    bytes: self.file_content(get(&row, "content")?, get(&row, "external_path")?)?,
                })
            })
            .collect()
    }

    /// Records what processing files of a job gave, in one transaction: each report stored
    /// as the next version of its agency and year (unless the same file is already a report of
    /// that agency: `duplicate`), each file's row updated, the job's progress and heartbeat.
    /// A file already recorded (the job was resumed) is left as it is. With `worker`, nothing
    /// is recorded (false) when the job is no longer that worker's; without (the uploader
    /// confirming an agency), only files waiting for their agency are recorded.
    pub async fn record_job_files(
        &self,
        actor: &Actor,
        job_id: i64,
        worker: Option<&str>,
        outcomes: &[JobOutcome<'_>],
    ) -> Result<bool> {
        crate::retrying(|| self.try_record_job_files(actor, job_id, worker, outcomes)).await
    }

    async fn try_record_job_files(
        &self,
        actor: &Actor,
        job_id: i64,
        worker: Option<&str>,
        outcomes: &[JobOutcome<'_>],
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        // First a write (SQLite takes the write lock here, before reading anything).
        let held = sqlx::query(
            "UPDATE jobs SET heartbeat_at = $1 WHERE id = $2 \
             AND ($3 = '' OR (claimed_by = $3 AND state = 'running'))",
        )
        .bind(now())
        .bind(job_id)
        .bind(worker.unwrap_or(""))
        .execute(&mut *tx)
        .await?;
        if held.rows_affected() != 1 {
            return Ok(false);
        }
        let waiting = if worker.is_some() {
            "queued"
        } else {
            "needs-agency"
        };
        for outcome in outcomes {
            let row = sqlx::query(
                "SELECT jf.name, jf.file_id, f.sha256 FROM job_files jf \
                 JOIN files f ON f.id = jf.file_id \
                 WHERE jf.job_id = $1 AND jf.n = $2 AND jf.status = $3",
            )
            .bind(job_id)
            .bind(outcome.n())
            .bind(waiting)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else { continue };
            let name: String = get(&row, "name")?;
            let file_id: i64 = get(&row, "file_id")?;
            let sha: String = get(&row, "sha256")?;
            let (status, reason, candidates, report_id) = match outcome {
                JobOutcome::NeedsAgency {
                    reason, candidates, ..
                } => (
                    JobFileStatus::NeedsAgency,
                    Some((*reason).to_owned()),
                    Some(*candidates),
                    None,
                ),
                JobOutcome::Store {
                    agency_id,
                    year,
                    result,
                    ..
                } => {
                    let existing = sqlx::query(
                        "SELECT id FROM reports WHERE agency_id = $1 AND file_id = $2 \
                         ORDER BY id LIMIT 1",
                    )
                    .bind(*agency_id)
                    .bind(file_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    match existing {
                        Some(existing) => (
                            JobFileStatus::Duplicate,
                            Some("同一文件已是该机构的报告，未重复保存".to_owned()),
                            None,
                            Some(get::<i64>(&existing, "id")?),
                        ),
                        None => {
                            let (id, _) = insert_version(
                                &mut tx,
                                actor,
                                &Version {
                                    agency_id: *agency_id,
                                    year: *year,
                                    file_id,
                                    sha256: &sha,
                                    file_name: &name,
                                    result,
                                },
                            )
                            .await?;
                            let status = match result.status {
                                crate::ReportStatus::Unreadable => JobFileStatus::Unreadable,
                                _ => JobFileStatus::Read,
                            };
                            (
                                status,
                                result.unreadable_reason.map(str::to_owned),
                                None,
                                Some(id),
                            )
                        }
                    }
                }
            };
            sqlx::query(
                "UPDATE job_files SET status = $1, reason = $2, candidates = $3, report_id = $4 \
                 WHERE job_id = $5 AND n = $6",
            )
            .bind(status.as_str())
            .bind(reason)
            .bind(candidates)
            .bind(report_id)
            .bind(job_id)
            .bind(outcome.n())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE jobs SET progress_done = (SELECT COUNT(*) FROM job_files \
             WHERE job_id = $1 AND status <> 'queued') WHERE id = $1",
        )
        .bind(job_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
