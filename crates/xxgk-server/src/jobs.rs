//! Background jobs: the workers that process upload jobs, and the job endpoints.
//!
//! A worker is a tokio task ([`spawn_workers`], one per available core): it claims a queued
//! job from the store (or one whose heartbeat is older than [`STALE_SECONDS`]: its server
//! died, the job is resumed), takes its files still `queued` in batches, reads and checks each
//! batch in parallel (rayon, on a blocking thread), decides each report's agency, and records
//! the batch in one transaction (reports, each file's result, progress and heartbeat). A
//! resumed job does not store a file twice: files already recorded are no longer `queued`,
//! and the same file (sha256) already a report of that agency is a `duplicate`. On shutdown a
//! worker finishes its batch and puts its job back in the queue.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use rayon::prelude::*;
use serde_json::{json, Value};
use tokio::sync::{watch, Notify};
use xxgk_model::catalogue::AGENCY_ABBREVIATIONS;
use xxgk_store::{
    Actor, Agency, JobFileStatus, JobOutcome, JobState, JobTodo, ReportResult, Store, User,
};

use crate::auth::Caller;
use crate::{process, ApiError, ApiResult, App, Processed};

/// A running job whose heartbeat is older than this (seconds) is claimed again.
pub const STALE_SECONDS: i64 = 60;
/// How often a worker renews the heartbeat of its job (seconds).
const HEARTBEAT_SECONDS: u64 = 10;
/// How long an idle worker waits before looking for a job again (another server may queue).
const POLL: Duration = Duration::from_secs(2);
/// Files read and checked together, and recorded in one transaction.
const BATCH_FILES: i64 = 128;

/// The workers of one server: stopped by [`Workers::shutdown`].
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<tokio::task::JoinHandle<()>>,
}

impl Workers {
    /// Stops claiming jobs, lets each worker finish its batch and put its job back in the
    /// queue, and waits for them.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
    }
}

/// Starts `n` workers on the store; `wake` is notified when a job is queued here.
pub fn spawn_workers(store: Store, n: usize, wake: Arc<Notify>) -> Workers {
    let (stop, _) = watch::channel(false);
    let prefix = format!("{}-{}", std::process::id(), crate::random_hex(4));
    let handles = (0..n.max(1))
        .map(|i| {
            let worker = Worker {
                store: store.clone(),
                id: format!("{prefix}-{i}"),
                stop: stop.subscribe(),
                wake: wake.clone(),
            };
            tokio::spawn(worker.run())
        })
        .collect();
    Workers { stop, handles }
}

/// The number of workers of `xxgk serve`: the available parallelism.
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

struct Worker {
    store: Store,
    id: String,
    stop: watch::Receiver<bool>,
    wake: Arc<Notify>,
}

/// A line on standard error; a closed standard error never stops a worker.
fn log(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Worker {
    fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    async fn run(mut self) {
        while !self.stopping() {
            let t = now();
            match self.store.claim_job(&self.id, t, t - STALE_SECONDS).await {
                Ok(Some(job)) => {
                    if let Err(e) = self.run_job(job.id, job.created_by, &job.payload).await {
                        // The job stays claimed; its heartbeat goes stale and it is resumed.
                        log(&format!("xxgk：任务 {} 处理出错，稍后重试：{e}", job.id));
                        self.idle().await;
                    }
                }
                Ok(None) => self.idle().await,
                Err(e) => {
                    log(&format!("xxgk：无法读取任务队列：{e}"));
                    self.idle().await;
                }
            }
        }
    }

    async fn idle(&mut self) {
        let wake = self.wake.clone();
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = wake.notified() => {}
            _ = self.stop.changed() => {}
        }
    }

    async fn run_job(
        &mut self,
        job_id: i64,
        created_by: Option<i64>,
        payload: &str,
    ) -> Result<(), xxgk_store::StoreError> {
        let creator = match created_by {
            Some(id) => self.store.user_by_id(id).await?,
            None => None,
        };
        let chosen: Option<i64> = serde_json::from_str::<Value>(payload)
            .ok()
            .and_then(|p| p["agency_id"].as_i64());
        // Without a chosen agency, reports are matched against the creator's scope.
        let scope: Vec<Agency> = match (&creator, chosen) {
            (Some(user), None) => self.store.agencies_visible(user).await?,
            _ => Vec::new(),
        };
        let actor = creator
            .as_ref()
            .map_or_else(Actor::command_line, Actor::user);
        let heartbeat = {
            let (store, id) = (self.store.clone(), self.id.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(HEARTBEAT_SECONDS));
                loop {
                    tick.tick().await;
                    if !matches!(store.job_heartbeat(job_id, &id, now()).await, Ok(true)) {
                        break;
                    }
                }
            })
        };
        let result = self.batches(job_id, chosen, &scope, &actor).await;
        heartbeat.abort();
        result
    }

    /// Processes the job's queued files batch by batch; the next batch is read and checked
    /// while the previous one is recorded (the CPU works while the database writes).
    async fn batches(
        &mut self,
        job_id: i64,
        chosen: Option<i64>,
        scope: &[Agency],
        actor: &Actor,
    ) -> Result<(), xxgk_store::StoreError> {
        let mut after = 0;
        let mut inflight = self.start_batch(job_id, &mut after).await?;
        loop {
            let Some(handle) = inflight else {
                if self.stopping() {
                    self.store.release_job(job_id, &self.id).await?;
                } else if self.store.job_todo(job_id, 0, 1).await?.is_empty() {
                    let summary = summary(&self.store, job_id).await?;
                    self.store
                        .finish_job(job_id, &self.id, JobState::Done, &summary, now())
                        .await?;
                    // A batch may have changed the tables a lot: fresh planner statistics
                    // keep the list's queries on their indexes (best effort).
                    self.store.optimize().await.ok();
                } else {
                    // Files left behind (e.g. queued again by a confirmation race): go round.
                    after = 0;
                    inflight = self.start_batch(job_id, &mut after).await?;
                    continue;
                }
                return Ok(());
            };
            let processed = handle.await.unwrap_or_default();
            inflight = if self.stopping() {
                None
            } else {
                self.start_batch(job_id, &mut after).await?
            };
            let outcomes: Vec<Pending> = processed
                .into_iter()
                .map(|(n, p)| decide(n, p, chosen, scope))
                .collect();
            let records: Vec<JobOutcome<'_>> = outcomes.iter().map(Pending::outcome).collect();
            if !self
                .store
                .record_job_files(actor, job_id, Some(&self.id), &records)
                .await?
            {
                // Taken over (our heartbeat went stale) or ended: not ours any more.
                if let Some(h) = inflight {
                    h.abort();
                }
                return Ok(());
            }
        }
    }

    /// Starts reading and checking the next batch of queued files after file `after`.
    async fn start_batch(
        &self,
        job_id: i64,
        after: &mut i64,
    ) -> Result<Option<tokio::task::JoinHandle<Vec<(i64, Processed)>>>, xxgk_store::StoreError>
    {
        let todo = self.store.job_todo(job_id, *after, BATCH_FILES).await?;
        let Some(last) = todo.last() else {
            return Ok(None);
        };
        *after = last.n;
        Ok(Some(tokio::task::spawn_blocking(move || {
            process_files(&todo)
        })))
    }
}

/// Reads and checks files in parallel (rayon); a file whose reading panics is unreadable,
/// never the end of the batch.
fn process_files(todo: &[JobTodo]) -> Vec<(i64, Processed)> {
    todo.par_iter()
        .map(|t| {
            let p = std::panic::catch_unwind(|| process(&t.bytes, &t.name))
                .unwrap_or_else(|_| Processed::unreadable("读取该文件时程序出错".to_owned()));
            (t.n, p)
        })
        .collect()
}

/// Reads and checks files in parallel on a blocking thread.
async fn process_batch(todo: Vec<JobTodo>) -> Vec<(i64, Processed)> {
    tokio::task::spawn_blocking(move || process_files(&todo))
        .await
        .unwrap_or_default()
}

/// The outcome of one file, owning its texts until recorded.
struct Pending {
    n: i64,
    processed: Processed,
    findings_json: String,
    target: Target,
}

enum Target {
    Agency(i64),
    Uncertain { reason: String, candidates: String },
}

impl Pending {
    fn outcome(&self) -> JobOutcome<'_> {
        match &self.target {
            Target::Agency(agency_id) => JobOutcome::Store {
                n: self.n,
                agency_id: *agency_id,
                year: self.processed.year,
                result: result_of(&self.processed, &self.findings_json),
            },
            Target::Uncertain { reason, candidates } => JobOutcome::NeedsAgency {
                n: self.n,
                reason,
                candidates,
            },
        }
    }
}

fn result_of<'a>(p: &'a Processed, findings_json: &'a str) -> ReportResult<'a> {
    ReportResult {
        status: p.status,
        unreadable_reason: p.unreadable_reason.as_deref(),
        extract_json: p.extract_json.as_deref(),
        findings_json: Some(findings_json),
        error_count: p.errors,
        warning_count: p.warnings,
    }
}

fn decide(n: i64, processed: Processed, chosen: Option<i64>, scope: &[Agency]) -> Pending {
    let findings_json = serde_json::to_string(&processed.findings).unwrap_or_else(|_| "[]".into());
    let target = match chosen {
        Some(id) => Target::Agency(id),
        None => {
            let name = processed.agency.as_deref().unwrap_or("");
            let found = if name.is_empty() {
                Vec::new()
            } else {
                match_agency(name, scope)
            };
            match found.as_slice() {
                [one] => Target::Agency(one.id),
                _ => Target::Uncertain {
                    reason: if name.is_empty() {
                        "报告中没有读出机构名称，请选择机构".to_owned()
                    } else if found.is_empty() {
                        format!("报告的机构“{name}”与可选机构都不相符，请选择机构")
                    } else {
                        format!("报告的机构“{name}”与多个机构相符，请选择机构")
                    },
                    candidates: Value::Array(
                        found
                            .iter()
                            .map(|a| json!({"code": a.code, "name": a.name}))
                            .collect(),
                    )
                    .to_string(),
                },
            }
        }
    };
    Pending {
        n,
        processed,
        findings_json,
        target,
    }
}

/// The agencies of `scope` a report's agency name may mean, best rule first: the same name
/// (whitespace ignored); the same once the catalogue's abbreviations are expanded ("管委会" =
/// "管理委员会"); one name the other with a region prefix ("平潭综合实验区管理委员会" for
/// "管理委员会" only when that prefix ends in a region: 省、市、区、县 …). The first rule that
/// finds any decides; one agency is a match, several are for the uploader to choose.
pub fn match_agency<'a>(name: &str, scope: &'a [Agency]) -> Vec<&'a Agency> {
    let name = squeeze(name);
    let exact: Vec<&Agency> = scope.iter().filter(|a| squeeze(&a.name) == name).collect();
    if !exact.is_empty() {
        return exact;
    }
    let expanded = expand(&name);
    let same: Vec<&Agency> = scope
        .iter()
        .filter(|a| expand(&squeeze(&a.name)) == expanded)
        .collect();
    if !same.is_empty() {
        return same;
    }
    scope
        .iter()
        .filter(|a| region_variant(&expand(&squeeze(&a.name)), &expanded))
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The catalogue's abbreviations expanded, longest first at each position.
fn expand(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 2);
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let hit = AGENCY_ABBREVIATIONS
            .iter()
            .filter(|(abbr, _)| rest.starts_with(abbr))
            .max_by_key(|(abbr, _)| abbr.len());
        match hit {
            Some((abbr, full)) => {
                out.push_str(full);
                rest = &rest[abbr.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Whether one name is the other with a region prefix ("某市财政局" / "财政局").
fn region_variant(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if long == short || short.chars().count() < 3 {
        return false;
    }
    match long.strip_suffix(short) {
        Some(prefix) => prefix
            .chars()
            .last()
            .is_some_and(|c| "省市区县州盟旗镇乡".contains(c)),
        None => false,
    }
}

async fn summary(store: &Store, job_id: i64) -> Result<String, xxgk_store::StoreError> {
    let counts = store.job_counts(job_id).await?;
    let mut out = serde_json::Map::new();
    for (status, n) in counts {
        out.insert(status.as_str().to_owned(), json!(n));
    }
    Ok(Value::Object(out).to_string())
}

fn job_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "任务不存在或无权查看")
}

fn job_id(raw: &str) -> ApiResult<i64> {
    raw.parse::<i64>().map_err(|_| job_not_found())
}

async fn visible_job(app: &App, user: &User, id: &str) -> ApiResult<xxgk_store::Job> {
    app.store
        .job_visible(user, job_id(id)?)
        .await?
        .ok_or_else(job_not_found)
}

/// Which files `GET /api/v1/jobs/{id}` lists: `?offset=N&limit=M` (default: all; `limit=0`
/// for the state and progress only, e.g. to poll).
#[derive(serde::Deserialize)]
pub(crate) struct FilesPage {
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `GET /api/v1/jobs/{id}`: state, progress and each file's result. Only its creator, admins
/// and supervisors over its agency see it; anyone else gets 404, as for a missing job.
pub(crate) async fn job(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path(id): Path<String>,
    Query(page): Query<FilesPage>,
) -> ApiResult<Json<Value>> {
    let job = visible_job(&app, &user, &id).await?;
    let files = app
        .store
        .job_files_page(
            job.id,
            page.offset.unwrap_or(0),
            page.limit.unwrap_or(i64::MAX),
        )
        .await?;
    let files: Vec<Value> = files
        .iter()
        .map(|f| {
            let candidates = f
                .candidates
                .as_deref()
                .and_then(|c| serde_json::from_str::<Value>(c).ok());
            json!({
                "n": f.n,
                "name": f.name,
                "status": f.status.as_str(),
                "reason": f.reason,
                "report": f.report_id,
                "agency": f.agency_code,
                "candidates": candidates,
                "sha256": f.sha256,
                "size": f.size,
            })
        })
        .collect();
    Ok(Json(json!({
        "id": job.id,
        "kind": job.kind,
        "status": job.state.as_str(),
        "progress": {"done": job.progress_done, "total": job.progress_total},
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "summary": job.result.as_deref().and_then(|r| serde_json::from_str::<Value>(r).ok()),
        "files": files,
    })))
}

#[derive(serde::Deserialize)]
pub(crate) struct AgencyQuery {
    agency: Option<String>,
}

/// `POST /api/v1/jobs/{id}/files/{n}/agency?agency=CODE`: the uploader's choice for a file
/// whose agency was uncertain (`needs-agency`): it is read, checked and stored there. The
/// agency must be in the caller's scope (else 404, as for an unknown code); a file not waiting
/// for its agency is 409.
pub(crate) async fn confirm_agency(
    State(app): State<Arc<App>>,
    Caller { user, .. }: Caller,
    Path((id, n)): Path<(String, String)>,
    Query(query): Query<AgencyQuery>,
) -> ApiResult<Json<Value>> {
    let job = visible_job(&app, &user, &id).await?;
    let n: i64 = n
        .parse()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "任务中没有该文件"))?;
    let code = query
        .agency
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "缺少参数 agency（机构代码）"))?;
    let agency = app
        .store
        .agencies_visible(&user)
        .await?
        .into_iter()
        .find(|a| a.code == code.trim())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("机构不存在或无权上传：{code}"),
            )
        })?;
    if !confirm_file(&app, &user, &job, n, &agency).await? {
        let exists = app.store.job_files(job.id).await?.iter().any(|f| f.n == n);
        return Err(if exists {
            ApiError::new(StatusCode::CONFLICT, "该文件不在等待选择机构")
        } else {
            ApiError::new(StatusCode::NOT_FOUND, "任务中没有该文件")
        });
    }
    let file = app
        .store
        .job_files(job.id)
        .await?
        .into_iter()
        .find(|f| f.n == n);
    match file {
        Some(f) if f.status != JobFileStatus::NeedsAgency => Ok(Json(json!({
            "n": f.n,
            "name": f.name,
            "status": f.status.as_str(),
            "report": f.report_id,
            "agency": f.agency_code,
        }))),
        _ => Err(ApiError::new(
            StatusCode::CONFLICT,
            "该文件不在等待选择机构",
        )),
    }
}

/// The uploader's choice of agency for file `n` of a job waiting for it (the API's
/// `confirm_agency` and the job page's form): read, checked and stored there. `false` when the
/// file is not waiting.
pub(crate) async fn confirm_file(
    app: &App,
    user: &User,
    job: &xxgk_store::Job,
    n: i64,
    agency: &Agency,
) -> ApiResult<bool> {
    let Some(todo) = app.store.job_file_waiting(job.id, n).await? else {
        return Ok(false);
    };
    let mut processed = process_batch(vec![todo]).await;
    let Some((n, p)) = processed.pop() else {
        return Ok(false);
    };
    let pending = decide(n, p, Some(agency.id), &[]);
    app.store
        .record_job_files(&Actor::user(user), job.id, None, &[pending.outcome()])
        .await?;
    Ok(true)
}

/// A job the user may see (else `None`, as for a missing one): the job page.
pub(crate) async fn job_for_page(
    app: &App,
    user: &User,
    id: &str,
) -> ApiResult<Option<xxgk_store::Job>> {
    match id.parse::<i64>() {
        Ok(id) => Ok(app.store.job_visible(user, id).await?),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_store::AgencyKind;

    fn agency(id: i64, name: &str) -> Agency {
        Agency {
            id,
            code: format!("A{id}"),
            name: name.to_owned(),
            parent_id: None,
            kind: AgencyKind::Other,
            path: format!("/{id}/"),
            created_at: 0,
        }
    }

    fn ids(found: Vec<&Agency>) -> Vec<i64> {
        found.iter().map(|a| a.id).collect()
    }

    #[test]
    fn matching_rules() {
        let scope = [
            agency(1, "平潭综合实验区管理委员会"),
            agency(2, "某市卫生健康委员会"),
            agency(3, "甲县财政局"),
            agency(4, "乙县财政局"),
            agency(5, "某市 住房和城乡建设局"),
        ];
        // Exact, whitespace ignored.
        assert_eq!(ids(match_agency("某市住房和城乡建设局", &scope)), [5]);
        // Abbreviations of the catalogue.
        assert_eq!(ids(match_agency("平潭综合实验区管委会", &scope)), [1]);
        assert_eq!(ids(match_agency("某市卫健委", &scope)), [2]);
        // A region prefix missing on one side.
        assert_eq!(ids(match_agency("卫生健康委员会", &scope)), [2]);
        assert_eq!(ids(match_agency("管委会", &scope)), [1]);
        // Several: for the uploader to choose.
        assert_eq!(ids(match_agency("财政局", &scope)), [3, 4]);
        // Another county's department is not a variant of this one.
        assert!(match_agency("丙县财政局", &scope).is_empty());
        assert!(match_agency("某省教育厅", &scope).is_empty());
    }
}
