//! The report page: `GET /reports/{id}` (what was uploaded, the three tables in the official
//! layout with every cell a finding names marked by its most severe finding, the findings
//! beside them, the report's parts as text, the versions and the differences from the previous
//! one), `GET /reports/{id}/diff?from=OTHER` and `GET /reports/{id}/file` (the original file).
//!
//! Everything comes from the store's scoped reads with the signed-in user: a report the user may
//! not see is the same 404 page as a missing one. The tables are drawn by
//! `xxgk_write::html::table_html` with a hook that gives each value cell its id
//! (`cell-requests.new_received.natural_person`), a class naming its most severe finding
//! (`sev-error`, `sev-warning`, `sev-info`) and a link to that finding. All text is escaped by
//! the templates (askama) or by the writer.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use xxgk_model::catalogue::TableId;
use xxgk_model::{CellId, Report, Severity, Value};
use xxgk_read::FileKind;
use xxgk_store::{ReportStatus, Session, StoredReport};
use xxgk_write::html::CellAttrs;

use super::{render, render_status, server_error};
use crate::auth::{page_session, Nav};
use crate::report_api::{self, Comparison, DiffQuery, StoredFinding};
use crate::App;

/// The largest original file whose lines are shown beside the findings (a report is 6–30 KB).
const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;

/// A cell a finding names: the link to it and its name.
pub(crate) struct CellRef {
    pub anchor: String,
    pub label: String,
}

/// Where a finding is in the original: "第3页第12行" and, for a text-like file, that line.
pub(crate) struct Place {
    pub text: String,
    pub source: Option<String>,
}

/// One finding as the page shows it.
pub(crate) struct FindingView {
    pub anchor: String,
    pub rule: String,
    pub rule_title: String,
    pub rule_explanation: String,
    pub severity: &'static str,
    pub severity_label: &'static str,
    pub message: String,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub cells: Vec<CellRef>,
    pub places: Vec<Place>,
}

/// The findings of one severity.
pub(crate) struct Group {
    pub severity: &'static str,
    pub label: &'static str,
    pub findings: Vec<FindingView>,
}

/// One of the three tables, drawn.
pub(crate) struct TableView {
    pub key: &'static str,
    pub heading: String,
    pub html: String,
}

/// One part of the report as text.
pub(crate) struct PartView {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// One version in the list.
pub(crate) struct VersionView {
    pub id: i64,
    pub version: i32,
    pub uploaded_at: String,
    pub uploaded_by: String,
    pub status: &'static str,
    pub errors: i64,
    pub warnings: i64,
    pub current: bool,
}

/// One changed cell.
pub(crate) struct CellChangeView {
    pub id: String,
    pub label: String,
    pub old: String,
    pub new: String,
}

/// A comparison of two versions as the page shows it.
pub(crate) struct DiffView {
    pub from_id: i64,
    pub from_version: i32,
    pub to_id: i64,
    pub to_version: i32,
    /// `None` when either version could not be read.
    pub cells: Option<Vec<CellChangeView>>,
    pub appeared: Vec<FindingView>,
    pub gone: Vec<FindingView>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Nav,
    id: i64,
    title: String,
    agency: String,
    agency_code: String,
    year: String,
    format: String,
    version: i32,
    uploaded_by: String,
    uploaded_at: String,
    file_name: String,
    size: i64,
    sha256: String,
    status: &'static str,
    status_id: &'static str,
    errors: i64,
    warnings: i64,
    unreadable: Option<String>,
    tables: Vec<TableView>,
    groups: Vec<Group>,
    finding_count: usize,
    parts: Vec<PartView>,
    versions: Vec<VersionView>,
    diff: Option<DiffView>,
}

#[derive(Template)]
#[template(path = "report_diff.html")]
struct DiffPage {
    nav: Nav,
    id: i64,
    diff: DiffView,
}

#[derive(Template)]
#[template(path = "report_missing.html")]
struct MissingPage {
    nav: Nav,
}

/// The one answer for a report that does not exist or that the user may not see.
fn missing(session: &Session) -> Response {
    render_status(
        StatusCode::NOT_FOUND,
        &MissingPage {
            nav: Nav::new(session, "reports", "报告不存在"),
        },
    )
}

/// The status as users read it.
fn status_label(s: ReportStatus) -> &'static str {
    match s {
        ReportStatus::Processing => "处理中",
        ReportStatus::Ready => "已读取",
        ReportStatus::Unreadable => "无法读取",
    }
}

/// Unix seconds as `2026-12-04 15:52 UTC`.
pub(crate) fn utc_time(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// A cell's value as the difference list shows it.
fn value_text(v: Option<&Value>) -> String {
    match v {
        None => "（未列出）".to_owned(),
        Some(Value::Blank) => "（空白）".to_owned(),
        Some(Value::Text(t)) => format!("“{t}”"),
        Some(Value::Number(n)) => n.to_string(),
    }
}

/// The rule's Chinese title and explanation, from the reader's or the checks' catalogue (empty
/// for an id neither knows).
fn rule_text(id: &str) -> (String, String) {
    xxgk_check::rule_by_id(id)
        .or_else(|| xxgk_read::rules::rule_by_id(id))
        .map(|r| (r.title.to_owned(), r.explanation.to_owned()))
        .unwrap_or_default()
}

/// The source's lines when the original is a text-like file (text, Markdown, HTML, the input
/// file), decoded as the reader decodes it: a finding's line number is a line of this text.
fn source_lines(bytes: &[u8]) -> Option<Vec<String>> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return None;
    }
    match xxgk_read::sniff(bytes) {
        FileKind::Text | FileKind::Html | FileKind::Input => {
            xxgk_read::decode::decode(bytes).ok().map(|t| t.lines)
        }
        _ => None,
    }
}

/// A finding for the page; `index` is its place in the stored list (its anchor).
fn finding_view(
    f: &StoredFinding,
    anchor: String,
    format: Option<xxgk_model::catalogue::Format>,
    lines: Option<&[String]>,
) -> FindingView {
    let severity = f.severity();
    let (rule_title, rule_explanation) = rule_text(&f.rule);
    FindingView {
        anchor,
        rule: f.rule.clone(),
        rule_title,
        rule_explanation,
        severity: severity.id(),
        severity_label: severity.label(),
        message: f.message.clone(),
        expected: f.expected.clone(),
        found: f.found.clone(),
        cells: f
            .cells
            .iter()
            .map(|c| CellRef {
                anchor: format!("cell-{c}"),
                label: CellId::parse(c)
                    .map_or_else(|| c.clone(), |id| xxgk_check::cell_label(format, &id)),
            })
            .collect(),
        places: f
            .spans
            .iter()
            .filter(|s| s.line > 0)
            .map(|s| Place {
                text: match s.page {
                    Some(p) => format!("第{p}页第{}行", s.line),
                    None => format!("第{}行", s.line),
                },
                source: lines
                    .filter(|_| s.page.is_none())
                    .and_then(|l| l.get(s.line as usize - 1))
                    .map(|l| l.trim().to_owned())
                    .filter(|l| !l.is_empty()),
            })
            .collect(),
    }
}

/// The findings grouped by severity (errors, warnings, notes; empty groups left out).
fn groups(findings: Vec<FindingView>) -> Vec<Group> {
    let mut out: Vec<Group> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|s| Group {
            severity: s.id(),
            label: s.label(),
            findings: Vec::new(),
        })
        .collect();
    for f in findings {
        if let Some(g) = out.iter_mut().find(|g| g.severity == f.severity) {
            g.findings.push(f);
        }
    }
    out.retain(|g| !g.findings.is_empty());
    out
}

/// The three tables with each value cell's id, its most severe finding's class and a link to
/// that finding (the first of that severity naming it).
fn tables(report: &Report, findings: &[StoredFinding]) -> Vec<TableView> {
    let mut marks: HashMap<&str, (Severity, usize)> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let s = f.severity();
        for c in &f.cells {
            let e = marks.entry(c.as_str()).or_insert((s, i));
            // Severity orders Error < Warning < Info: the smallest is the most severe.
            if s < e.0 {
                *e = (s, i);
            }
        }
    }
    let decorate = |id: &CellId| {
        let flat = id.to_string();
        let mark = marks.get(flat.as_str());
        CellAttrs {
            id: Some(format!("cell-{flat}")),
            class: mark.map(|(s, _)| format!("sev-{}", s.id())),
            link: mark.map(|(_, i)| format!("#finding-{}", i + 1)),
        }
    };
    TableId::ALL
        .into_iter()
        .filter_map(|t| {
            xxgk_write::html::table_html(report, t, &decorate).map(|html| TableView {
                key: t.key(),
                heading: xxgk_model::catalogue::part(t.part()).map_or_else(
                    || t.title().to_owned(),
                    |p| format!("{}{}", p.marker(), p.heading),
                ),
                html,
            })
        })
        .collect()
}

/// The report's parts as text: each heading as printed and its lines as paragraphs.
fn parts(report: &Report) -> Vec<PartView> {
    report
        .sections
        .iter()
        .map(|s| PartView {
            heading: format!("{}{}", s.marker, s.heading),
            paragraphs: s
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        })
        .collect()
}

fn diff_view(
    c: &Comparison,
    format: Option<xxgk_model::catalogue::Format>,
    prefix: &str,
) -> DiffView {
    let views = |list: &[StoredFinding], tag: &str| {
        list.iter()
            .enumerate()
            .map(|(i, f)| finding_view(f, format!("{prefix}{tag}-{}", i + 1), format, None))
            .collect()
    };
    DiffView {
        from_id: c.from.id,
        from_version: c.from.version,
        to_id: c.to.id,
        to_version: c.to.version,
        cells: c.cells.as_ref().map(|cells| {
            cells
                .iter()
                .map(|ch| CellChangeView {
                    id: ch.id.to_string(),
                    label: ch.label.clone(),
                    old: value_text(ch.old.as_ref()),
                    new: value_text(ch.new.as_ref()),
                })
                .collect()
        }),
        appeared: views(&c.appeared, "appeared"),
        gone: views(&c.gone, "gone"),
    }
}

/// The format line of the page.
fn format_label(report: Option<&Report>) -> String {
    match report.map(|r| r.kind) {
        Some(xxgk_model::ReportKind::Standard(f)) => {
            format!("{} 格式（{}）", f.id(), f.instrument())
        }
        Some(xxgk_model::ReportKind::Pre2019) => "2019 年以前（无统一表格）".to_owned(),
        None => "—".to_owned(),
    }
}

/// `GET /reports/{id}`.
pub(crate) async fn page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<i64>() else {
        return missing(&session);
    };
    match build(&app, &session, id).await {
        Ok(Some(page)) => render(&page),
        Ok(None) => missing(&session),
        Err(_) => server_error(),
    }
}

async fn build(
    app: &App,
    session: &Session,
    id: i64,
) -> Result<Option<ReportPage>, xxgk_store::StoreError> {
    let user = &session.user;
    let Some(stored) = app.store.report(user, id).await? else {
        return Ok(None);
    };
    let Some(json) = app.store.report_json(user, id).await? else {
        return Ok(None);
    };
    let versions = app
        .store
        .report_versions(user, id)
        .await?
        .unwrap_or_default();
    let report = report_api::parse_report(json.extract_json.as_deref(), &stored.file_name);
    let findings = report_api::parse_findings(json.findings_json.as_deref());
    let format = report.as_ref().and_then(Report::format);
    // The original is read only when a finding names a line without a page (a PDF's spans
    // have pages, and its lines are not shown).
    let lines = if findings
        .iter()
        .any(|f| f.spans.iter().any(|s| s.line > 0 && s.page.is_none()))
    {
        match app.store.report_file(user, id).await? {
            Some((_, bytes)) => source_lines(&bytes),
            None => None,
        }
    } else {
        None
    };
    let views: Vec<FindingView> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| finding_view(f, format!("finding-{}", i + 1), format, lines.as_deref()))
        .collect();
    let previous = versions
        .iter()
        .filter(|v| v.report.version < stored.version)
        .map(|v| v.report.id)
        .next();
    let diff = match previous {
        Some(from) => report_api::compare(&app.store, user, id, from)
            .await?
            .map(|c| diff_view(&c, format, "diff-")),
        None => None,
    };
    let uploaded_by = versions
        .iter()
        .find(|v| v.report.id == id)
        .and_then(|v| v.uploaded_by_name.clone())
        .unwrap_or_else(|| "命令行".to_owned());
    let title = report
        .as_ref()
        .map(xxgk_write::report_title)
        .unwrap_or_else(|| stored.file_name.clone());
    Ok(Some(ReportPage {
        nav: Nav::new(session, "reports", title.clone()),
        id,
        title,
        agency: stored.agency_name.clone(),
        agency_code: stored.agency_code.clone(),
        year: stored
            .year
            .map_or_else(|| "—".to_owned(), |y| y.to_string()),
        format: format_label(report.as_ref()),
        version: stored.version,
        uploaded_by,
        uploaded_at: utc_time(stored.uploaded_at),
        file_name: stored.file_name.clone(),
        size: stored.file_size,
        sha256: stored.file_sha256.clone(),
        status: status_label(stored.status),
        status_id: stored.status.as_str(),
        errors: stored.error_count,
        warnings: stored.warning_count,
        unreadable: unreadable_reason(&stored),
        tables: report
            .as_ref()
            .map(|r| tables(r, &findings))
            .unwrap_or_default(),
        finding_count: views.len(),
        groups: groups(views),
        parts: report.as_ref().map(parts).unwrap_or_default(),
        versions: versions
            .iter()
            .map(|v| VersionView {
                id: v.report.id,
                version: v.report.version,
                uploaded_at: utc_time(v.report.uploaded_at),
                uploaded_by: v
                    .uploaded_by_name
                    .clone()
                    .unwrap_or_else(|| "命令行".to_owned()),
                status: status_label(v.report.status),
                errors: v.report.error_count,
                warnings: v.report.warning_count,
                current: v.report.id == id,
            })
            .collect(),
        diff,
    }))
}

fn unreadable_reason(r: &StoredReport) -> Option<String> {
    (r.status == ReportStatus::Unreadable).then(|| {
        r.unreadable_reason
            .clone()
            .unwrap_or_else(|| "未说明原因".to_owned())
    })
}

/// `GET /reports/{id}/diff?from=OTHER`: both versions must be visible, else the 404 page.
pub(crate) async fn diff(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (Ok(to), Some(Ok(from))) = (
        id.parse::<i64>(),
        query.from.as_deref().map(str::parse::<i64>),
    ) else {
        return missing(&session);
    };
    let comparison = match report_api::compare(&app.store, &session.user, to, from).await {
        Ok(Some(c)) => c,
        Ok(None) => return missing(&session),
        Err(_) => return server_error(),
    };
    let format = match app.store.report_json(&session.user, to).await {
        Ok(Some(j)) => report_api::parse_report(j.extract_json.as_deref(), "")
            .as_ref()
            .and_then(Report::format),
        Ok(None) => None,
        Err(_) => return server_error(),
    };
    render(&DiffPage {
        nav: Nav::new(&session, "reports", "版本比较"),
        id: to,
        diff: diff_view(&comparison, format, ""),
    })
}

/// `GET /reports/{id}/file`: the original file.
pub(crate) async fn file(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<i64>() else {
        return missing(&session);
    };
    match app.store.report_file(&session.user, id).await {
        Ok(Some((name, bytes))) => report_api::file_response(&name, bytes),
        Ok(None) => missing(&session),
        Err(_) => server_error(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_dates() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        // 2024-02-29 12:34:56 UTC = 19782 days + 45296 s.
        assert_eq!(utc_time(19_782 * 86_400 + 45_296), "2024-02-29 12:34 UTC");
        // 2000-03-01 00:00 UTC = 11017 days.
        assert_eq!(utc_time(11_017 * 86_400), "2000-03-01 00:00 UTC");
    }

    #[test]
    fn values_in_the_difference_list() {
        assert_eq!(value_text(None), "（未列出）");
        assert_eq!(value_text(Some(&Value::Blank)), "（空白）");
        assert_eq!(value_text(Some(&Value::int(12))), "12");
        assert_eq!(value_text(Some(&Value::Text("无".into()))), "“无”");
    }
}
