//! Background jobs (batch uploads) in the database: they survive a restart, and one job is
//! claimed by one server process at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has
//! one writer, so a single UPDATE … RETURNING claims atomically).

use sqlx::any::AnyRow;

use crate::{get, now, Backend, Result, Store};

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
}

const JOB_COLUMNS: &str = "id, kind, state, payload, progress_done, progress_total, result, \
    created_by, created_at, claimed_by, heartbeat_at, finished_at";

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
    })
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
}
