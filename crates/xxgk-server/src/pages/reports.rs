//! The report list, `GET /reports?…`: the filters of [`ListParams`] (year, agency and its
//! subtree, format, status, with/without errors, rule, all versions), the sort, 50 a page with
//! page links, the count; each row links to the report page `/reports/{id}`. The same data as
//! JSON is `GET /api/v1/reports?…` (api.rs); the same list (every page) as the workbook of
//! `xxgk check --format xlsx` is `GET /reports.xlsx?…` ([`xlsx`]).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use xxgk_model::{CellId, Finding, ReportKind, Severity, Span};
use xxgk_store::{Agency, ReportFormat, ReportSort, StoredReport};
use xxgk_write::check_xlsx::{CheckEntry, Workbook};

use super::{render, render_status, server_error};
use crate::api::{list_page, ListPage, ListParams};
use crate::auth::{page_session, Nav};
use crate::App;

/// The deepest level of the agency select, below the caller's top agency (any agency can still
/// be chosen by its code: `?agency=CODE`, the agency tree links).
const SELECT_DEPTH: usize = 2;

/// A row of the list, with its texts ready for the template.
struct Row {
    id: i64,
    year: String,
    agency_code: String,
    agency_name: String,
    version: i32,
    latest: bool,
    format: &'static str,
    status: &'static str,
    status_id: &'static str,
    errors: i64,
    warnings: i64,
    file_name: String,
    uploaded: String,
}

fn status_label(r: &StoredReport) -> &'static str {
    match r.status {
        xxgk_store::ReportStatus::Ready => "已读取",
        xxgk_store::ReportStatus::Unreadable => "无法读取",
        xxgk_store::ReportStatus::Processing => "处理中",
    }
}

fn row(r: &StoredReport) -> Row {
    Row {
        id: r.id,
        year: r.year.map_or_else(|| "—".to_owned(), |y| y.to_string()),
        agency_code: r.agency_code.clone(),
        agency_name: r.agency_name.clone(),
        version: r.version,
        latest: r.is_latest,
        format: r.format.label(),
        status: status_label(r),
        status_id: r.status.as_str(),
        errors: r.error_count,
        warnings: r.warning_count,
        file_name: r.file_name.clone(),
        uploaded: super::format_time(r.uploaded_at),
    }
}

/// An option of a select: value, label, selected.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices<'a>(current: &str, items: impl IntoIterator<Item = (&'a str, String)>) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == current,
            value: value.to_owned(),
            label,
        })
        .collect()
}

/// A page link: its number, its query, whether it is the current page.
struct PageLink {
    number: i64,
    query: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ListPageHtml {
    nav: Nav,
    error: Option<String>,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
    years: Vec<Choice>,
    agencies: Vec<Choice>,
    formats: Vec<Choice>,
    statuses: Vec<Choice>,
    errors: Vec<Choice>,
    sorts: Vec<Choice>,
    orders: Vec<Choice>,
    rule: String,
    all_versions: bool,
    /// The query of the XLSX export (the same filters).
    export: String,
    links: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
}

/// The page numbers to link: the first, the last, and two either side of the current one.
fn page_links(params: &ListParams, page: i64, pages: i64) -> Vec<PageLink> {
    let mut numbers: Vec<i64> = vec![1, pages];
    numbers.extend((page - 2).max(1)..=(page + 2).min(pages));
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .into_iter()
        .map(|n| PageLink {
            number: n,
            query: params.query(Some(n)),
            current: n == page,
        })
        .collect()
}

/// `GET /reports`.
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let user = &session.user;
    let (Ok(visible), Ok(known_years)) = (
        app.store.agencies_visible(user).await,
        app.store.report_years(user).await,
    ) else {
        return server_error();
    };
    let (request, error) = match params.request(&app.store).await {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    let page = match &request {
        Some(r) => match list_page(&app.store, user, r).await {
            Ok(p) => p,
            Err(_) => return server_error(),
        },
        None => ListPage {
            reports: Vec::new(),
            total: 0,
            page: 1,
            pages: 1,
        },
    };
    let top = visible.iter().map(Agency::depth).min().unwrap_or(0);
    let years: Vec<String> = known_years.iter().map(i32::to_string).collect();
    let html = ListPageHtml {
        nav: Nav::new(&session, "reports", "年报列表"),
        rows: page.reports.iter().map(row).collect(),
        total: page.total,
        page: page.page,
        pages: page.pages,
        years: choices(
            &params.year,
            std::iter::once(("", "全部年度".to_owned()))
                .chain(years.iter().map(|y| (y.as_str(), format!("{y} 年度")))),
        ),
        agencies: choices(
            &params.agency,
            std::iter::once(("", "全部机构".to_owned())).chain(
                visible
                    .iter()
                    // The top three levels (a province's cities and counties), and the one
                    // chosen: a select of ten thousand townships helps nobody.
                    .filter(|a| a.depth() - top <= SELECT_DEPTH || a.code == params.agency)
                    .map(|a| {
                        (
                            a.code.as_str(),
                            format!("{}{}", "　".repeat(a.depth() - top), a.name),
                        )
                    }),
            ),
        ),
        formats: choices(
            &params.format,
            std::iter::once(("", "全部格式".to_owned())).chain(
                ReportFormat::ALL
                    .iter()
                    .map(|f| (f.as_str(), f.label().to_owned())),
            ),
        ),
        statuses: choices(
            &params.status,
            [
                ("", "全部状态".to_owned()),
                ("ready", "已读取".to_owned()),
                ("unreadable", "无法读取".to_owned()),
                ("processing", "处理中".to_owned()),
            ],
        ),
        errors: choices(
            &params.errors,
            [
                ("", "不限".to_owned()),
                ("yes", "有错误".to_owned()),
                ("no", "无错误".to_owned()),
            ],
        ),
        sorts: choices(
            &params.sort,
            ReportSort::ALL.iter().map(|s| {
                (
                    if *s == ReportSort::Default {
                        ""
                    } else {
                        s.as_str()
                    },
                    s.label().to_owned(),
                )
            }),
        ),
        orders: choices(
            &params.order,
            [("", "升序".to_owned()), ("desc", "降序".to_owned())],
        ),
        rule: params.rule.clone(),
        all_versions: params.versions == "all",
        export: ListParams {
            page: String::new(),
            ..params.clone()
        }
        .query(None),
        links: page_links(&params, page.page, page.pages),
        prev: (page.page > 1).then(|| params.query(Some(page.page - 1))),
        next: (page.page < page.pages).then(|| params.query(Some(page.page + 1))),
        error: error.clone(),
    };
    if error.is_some() {
        render_status(StatusCode::BAD_REQUEST, &html)
    } else {
        render(&html)
    }
}

/// The most reports one export holds: beyond it the export is refused (narrow the filters)
/// rather than cut short.
pub const MAX_EXPORT: i64 = 10_000;

/// The findings of a stored findings array, as the checks made them. A rule is named by its
/// catalogue entry (the stored ids come from the same catalogues).
pub(crate) fn findings_of(json: &str) -> Vec<Finding> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let id = f["rule"].as_str().unwrap_or_default();
            let rule = xxgk_check::rule_by_id(id)
                .or_else(|| xxgk_read::rules::rule_by_id(id))
                .map_or(UNKNOWN_RULE, |d| d.id);
            let severity = match f["severity"].as_str() {
                Some("error") => Severity::Error,
                Some("warning") => Severity::Warning,
                _ => Severity::Info,
            };
            let mut finding = Finding::new(rule, severity, text(&f["message"]).unwrap_or_default());
            finding.cells = f["cells"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c.as_str().and_then(CellId::parse))
                .collect();
            finding.expected = text(&f["expected"]);
            finding.found = text(&f["found"]);
            let number = |v: &serde_json::Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
            finding.spans = f["spans"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| Span {
                    line: number(&s["line"]).unwrap_or(0),
                    column: number(&s["column"]),
                    page: number(&s["page"]),
                })
                .collect();
            finding
        })
        .collect()
}

/// The id a finding of a rule not in this program's catalogues is listed under.
const UNKNOWN_RULE: &str = "UNKNOWN-RULE";

fn report_kind(format: ReportFormat) -> Option<ReportKind> {
    match format {
        ReportFormat::F2021 => Some(ReportKind::Standard(xxgk_model::catalogue::Format::F2021)),
        ReportFormat::F2019 => Some(ReportKind::Standard(xxgk_model::catalogue::Format::F2019)),
        ReportFormat::Pre2019 => Some(ReportKind::Pre2019),
        ReportFormat::Unknown => None,
    }
}

/// The workbook of `xxgk check --format xlsx` for stored reports: each report as an input
/// (its uploaded name; the agency and year its extract names), its stored findings.
pub fn workbook(reports: &[(StoredReport, xxgk_store::ReportJson)]) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new(Severity::Info);
    for (r, json) in reports {
        let extract: serde_json::Value = json
            .extract_json
            .as_deref()
            .and_then(|e| serde_json::from_str(e).ok())
            .unwrap_or_default();
        let findings = json
            .findings_json
            .as_deref()
            .map(findings_of)
            .unwrap_or_default();
        let year = extract["year"].as_i64().and_then(|y| i32::try_from(y).ok());
        book.entry(&CheckEntry {
            name: &r.file_name,
            agency: extract["agency"].as_str(),
            year,
            kind: report_kind(r.format),
            findings: &findings,
        });
    }
    book.save(&|id| {
        let read = xxgk_read::rules::rule_by_id(id);
        let stage = if read.is_some() {
            xxgk_check::groups::READ_GROUP
        } else {
            xxgk_check::groups::CHECK_GROUP
        };
        (stage, read.or_else(|| xxgk_check::rule_by_id(id)))
    })
    .map_err(|e| format!("无法生成 xlsx 工作簿：{e}"))
}

/// `GET /reports.xlsx?…`: the filtered list (every page) as the `xxgk check --format xlsx`
/// workbook, built from the stored findings.
pub(crate) async fn xlsx(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let refuse = |message: String| {
        super::html(
            StatusCode::BAD_REQUEST,
            super::page(
                "无法导出",
                &format!(
                    "<h1>无法导出</h1>\n<p class=\"error\">{}</p>\n<p><a href=\"/reports\">返回年报列表</a></p>\n",
                    super::escape(&message)
                ),
            ),
        )
    };
    let mut request = match params.request(&app.store).await {
        Ok(r) => r,
        Err(e) => return refuse(e),
    };
    request.filter.limit = None;
    request.filter.offset = None;
    let total = match app
        .store
        .count_reports(&session.user, &request.filter)
        .await
    {
        Ok(n) => n,
        Err(_) => return server_error(),
    };
    if total > MAX_EXPORT {
        return refuse(format!(
            "符合条件的年报有 {total} 份，一次最多导出 {MAX_EXPORT} 份，请缩小筛选范围。"
        ));
    }
    let Ok(reports) = app
        .store
        .reports_with_json(&session.user, &request.filter)
        .await
    else {
        return server_error();
    };
    let built = tokio::task::spawn_blocking(move || workbook(&reports)).await;
    match built {
        Ok(Ok(bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static(
                        "attachment; filename=\"reports.xlsx\"; filename*=UTF-8''%E5%B9%B4%E6%8A%A5%E6%A3%80%E6%9F%A5%E7%BB%93%E6%9E%9C.xlsx",
                    ),
                ),
            ],
            bytes,
        )
            .into_response(),
        _ => server_error(),
    }
}
