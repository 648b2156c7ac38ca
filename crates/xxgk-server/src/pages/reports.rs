//! The report list, `GET /reports?…`: the filters of [`ListParams`] (year, agency and its
//! subtree, format, status, with/without errors, rule, all versions), the sort, 50 a page with
//! page links, the count; each row links to the report page `/reports/{id}`. The same data as
//! JSON is `GET /api/v1/reports?…` (api.rs).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use xxgk_store::{Agency, ReportFormat, ReportSort, StoredReport};

use super::{render, render_status, server_error};
use crate::api::{list_page, ListPage, ListParams};
use crate::auth::{page_session, Nav};
use crate::App;

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
        year: if r.year == 0 {
            "—".to_owned()
        } else {
            r.year.to_string()
        },
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
            std::iter::once(("", "全部机构".to_owned())).chain(visible.iter().map(|a| {
                (
                    a.code.as_str(),
                    format!("{}{}", "　".repeat(a.depth() - top), a.name),
                )
            })),
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
