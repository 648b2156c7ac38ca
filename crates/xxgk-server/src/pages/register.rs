//! The request register's pages (issue 11 item 7):
//!
//! - `GET /register`: the cases of an agency (colour by status, filters, search, 100 a page),
//!   the counts by status of every agency the caller sees, the links to the year's tables and
//!   to the export;
//! - `GET /register/new`, `POST /register/new`: register an application;
//! - `GET /register/{agency}/cases/{编号}`: one case — its application, the timeline of its
//!   events, its clock (status, due date, and how the date was computed), the problems of its
//!   sequence, and a form for each event that can come next;
//!   `POST …/events`: record an event (the dates checked by `Case::validate`, and none after
//!   today);
//! - `GET /register/{agency}/tables/{year}`: tables 三 and 四 derived from the register, each
//!   number a link to `…/{cell}`, the cases behind it; the counting rules stated beside them;
//! - `GET /register/export.xlsx?…`: the list in the 台账 columns plus due date and status.
//!
//! Who sees what: staff their own agency's cases with the applicants' personal data, and may
//! record; a supervisor its subtree and an administrator everything, read-only and without
//! personal data (the store blanks the applicant, the contact and the request, and
//! its search looks at 编号 only) — the counts, the dates, the tables, an anonymised export. A
//! case or agency outside the caller's scope is the not-found page, like a missing one. Every
//! change goes through `Store::put_cases`, which writes the audit log.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use xxgk_model::catalogue::TableId;
use xxgk_model::CellId;
use xxgk_register::import::{export_row, parse_date, COLUMNS, EXPORT_EXTRA};
use xxgk_register::{
    clock, ApplicantType, Application, Case, Channel, ConsultKind, Day, Event, FeeBasis, Outcome,
    Status,
};
use xxgk_store::{Actor, Agency, CaseFilter, Role, Session, StoredCase, User};
use xxgk_write::html::CellAttrs;

use super::{not_found_page, render, render_status, server_error};
use crate::auth::{check_csrf, page_session, Nav};
use crate::App;

/// Cases a page of the list shows.
const PAGE_SIZE: i64 = 100;

/// The working days ahead the home page looks for due dates.
pub const DUE_AHEAD_DAYS: u32 = 5;

/// The text shown in place of personal data a supervisor may not see.
const HIDDEN: &str = "（已隐去）";

/// A path segment with everything but unreserved ASCII percent-encoded (编号 can hold `/`,
/// spaces, Chinese).
pub(crate) fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page of one case.
pub(crate) fn case_href(agency_code: &str, number: &str) -> String {
    format!(
        "/register/{}/cases/{}",
        segment(agency_code),
        segment(number)
    )
}

/// Whether the caller may record in an agency's register: its own staff only (an administrator
/// manages users and agencies; a supervisor reads).
fn can_write(user: &User, agency: &Agency) -> bool {
    user.role == Role::Staff && !user.disabled && user.agency_id == Some(agency.id)
}

/// Whether personal data is shown to the caller: the store's rule (the agency's staff only; the
/// store blanks it for the others).
pub(crate) fn sees_names(user: &User) -> bool {
    user.sees_personal_data()
}

/// An agency by code, if the caller may see it (else `None`, like a missing one).
pub(crate) async fn visible_agency(
    app: &App,
    user: &User,
    code: &str,
) -> Result<Option<Agency>, Response> {
    let agencies = app
        .store
        .agencies_visible(user)
        .await
        .map_err(|_| server_error())?;
    Ok(agencies.into_iter().find(|a| a.code == code.trim()))
}

/// Recomputes the open cases' status once a day (the status is cached as of a day): the first
/// register page of a new day does it.
pub(crate) async fn refresh(app: &App) -> Day {
    let today = xxgk_store::today();
    let day = today.days_since_epoch();
    if app.register_day.load(Ordering::Relaxed) != day {
        let actor = Actor {
            user_id: None,
            name: "系统".to_owned(),
        };
        if app
            .store
            .recompute_register(
                &actor,
                &app.calendar,
                today,
                "日期变更，重新计算答复期限和状态",
            )
            .await
            .is_ok()
        {
            app.register_day.store(day, Ordering::Relaxed);
        }
    }
    today
}

/// One case as a row of a list.
pub(crate) struct CaseRow {
    pub href: String,
    pub number: String,
    pub agency_code: String,
    pub received: String,
    pub due: String,
    pub status_id: &'static str,
    pub status: &'static str,
    pub answered: String,
    pub outcome: String,
    pub applicant_type: &'static str,
    pub applicant: String,
    pub content: String,
}

fn outcome_label(id: Option<&str>) -> String {
    id.map(|o| Outcome::parse(o).map_or_else(|| o.to_owned(), |o| o.label()))
        .unwrap_or_default()
}

fn shorten(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

pub(crate) fn case_row(c: &StoredCase, names: bool) -> CaseRow {
    let a = &c.case.application;
    CaseRow {
        href: case_href(&c.agency_code, &c.number),
        number: c.number.clone(),
        agency_code: c.agency_code.clone(),
        received: c.received.to_string(),
        due: c.due.map(|d| d.to_string()).unwrap_or_default(),
        status_id: c.status.id(),
        status: c.status.label(),
        answered: c.answered.map(|d| d.to_string()).unwrap_or_default(),
        outcome: outcome_label(c.outcome.as_deref()),
        applicant_type: a.applicant_type.label(),
        applicant: if names {
            a.applicant_name.clone()
        } else {
            HIDDEN.to_owned()
        },
        content: if names {
            shorten(&a.content, 30)
        } else {
            HIDDEN.to_owned()
        },
    }
}

/// The cases due within [`DUE_AHEAD_DAYS`] working days (and the overdue ones) the caller
/// sees, for the home page; with the last day looked at. Empty when the calendar cannot count
/// that far.
pub(crate) async fn due_soon(app: &App, user: &User) -> (Vec<CaseRow>, String) {
    let today = refresh(app).await;
    let Ok(until) = app.calendar.add_working_days(today, DUE_AHEAD_DAYS) else {
        return (Vec::new(), String::new());
    };
    let cases = app
        .store
        .register_due(user, until, 200)
        .await
        .unwrap_or_default();
    let names = sees_names(user);
    (
        cases.iter().map(|c| case_row(c, names)).collect(),
        until.to_string(),
    )
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

struct AgencyOption {
    code: String,
    name: String,
    selected: bool,
}

struct CountsRow {
    href: String,
    code: String,
    name: String,
    counts: Vec<(&'static str, &'static str, i64)>,
    total: i64,
}

struct StatusOption {
    id: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "register.html")]
struct ListPage {
    nav: Nav,
    agencies: Vec<AgencyOption>,
    agency: Option<(String, String)>,
    year: String,
    statuses: Vec<StatusOption>,
    q: String,
    counts: Vec<CountsRow>,
    status_labels: Vec<&'static str>,
    rows: Vec<CaseRow>,
    total: i64,
    page: i64,
    pages: i64,
    prev_href: String,
    next_href: String,
    export_href: String,
    tables_href: String,
    can_write: bool,
    names: bool,
    today: String,
    calendar_warning: String,
}

/// The query string of the list with its filters (and a page).
fn list_query(agency: &str, year: &str, status: &str, q: &str, page: Option<i64>) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("agency", agency),
        ("year", year),
        ("status", status),
        ("q", q),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", segment(v)));
        }
    }
    if let Some(p) = page {
        parts.push(format!("page={p}"));
    }
    parts.join("&")
}

/// The list's filters resolved: the agency (by code, among the visible ones), year, status.
struct Filters {
    agency: Option<Agency>,
    year: Option<i32>,
    status: Option<Status>,
    q: String,
}

impl Filters {
    /// The store's filter of these (the search is passed beside it).
    fn case_filter(&self) -> CaseFilter {
        CaseFilter {
            agency_id: self.agency.as_ref().map(|a| a.id),
            year: self.year,
            status: self.status,
        }
    }
}

async fn filters(
    app: &App,
    user: &User,
    q: &ListQuery,
) -> Result<(Filters, Vec<Agency>), Response> {
    let visible = app
        .store
        .agencies_visible(user)
        .await
        .map_err(|_| server_error())?;
    let agency = if q.agency.trim().is_empty() {
        // Staff have one agency: theirs.
        (visible.len() == 1).then(|| visible[0].clone())
    } else {
        match visible.iter().find(|a| a.code == q.agency.trim()) {
            Some(a) => Some(a.clone()),
            None => return Err(not_found_page()),
        }
    };
    Ok((
        Filters {
            agency,
            year: q
                .year
                .trim()
                .parse()
                .ok()
                .filter(|y| (1900..=2999).contains(y)),
            status: Status::parse(&q.status),
            q: q.q.trim().chars().take(100).collect(),
        },
        visible,
    ))
}

/// `GET /register`.
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let user = &session.user;
    let today = refresh(&app).await;
    let (f, visible) = match filters(&app, user, &query).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let page = query.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let filter = f.case_filter();
    let Ok(found) = app
        .store
        .register_page(
            user,
            &filter,
            Some(f.q.as_str()),
            (page - 1) * PAGE_SIZE,
            PAGE_SIZE,
        )
        .await
    else {
        return server_error();
    };
    let Ok(counts) = app.store.register_counts(user, f.year).await else {
        return server_error();
    };
    let names = sees_names(user);
    let code = f
        .agency
        .as_ref()
        .map(|a| a.code.clone())
        .unwrap_or_default();
    let year = f.year.map(|y| y.to_string()).unwrap_or_default();
    let status = f.status.map(|s| s.id()).unwrap_or_default();
    let pages = ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let link = |p: i64| {
        format!(
            "/register?{}",
            list_query(&code, &year, status, &f.q, Some(p))
        )
    };
    render(&ListPage {
        nav: Nav::new(&session, "register", "依申请公开台账"),
        agencies: visible
            .iter()
            .map(|a| AgencyOption {
                code: a.code.clone(),
                name: format!("{}{}", "　".repeat(a.depth().min(6)), a.name),
                selected: a.code == code,
            })
            .collect(),
        agency: f.agency.as_ref().map(|a| (a.code.clone(), a.name.clone())),
        year: year.clone(),
        statuses: Status::ALL
            .iter()
            .map(|s| StatusOption {
                id: s.id(),
                label: s.label(),
                selected: Some(*s) == f.status,
            })
            .collect(),
        q: f.q.clone(),
        counts: counts
            .iter()
            .map(|c| CountsRow {
                href: format!(
                    "/register?{}",
                    list_query(&c.agency_code, &year, "", "", None)
                ),
                code: c.agency_code.clone(),
                name: c.agency_name.clone(),
                counts: c
                    .counts
                    .iter()
                    .map(|(s, n)| (s.id(), s.label(), *n))
                    .collect(),
                total: c.total,
            })
            .collect(),
        status_labels: Status::ALL.iter().map(|s| s.label()).collect(),
        rows: found.cases.iter().map(|c| case_row(c, names)).collect(),
        total: found.total,
        page,
        pages,
        prev_href: if page > 1 {
            link(page - 1)
        } else {
            String::new()
        },
        next_href: if page < pages {
            link(page + 1)
        } else {
            String::new()
        },
        export_href: format!(
            "/register/export.xlsx?{}",
            list_query(&code, &year, status, &f.q, None)
        ),
        tables_href: f.agency.as_ref().map_or_else(String::new, |a| {
            format!(
                "/register/{}/tables/{}",
                segment(&a.code),
                f.year.unwrap_or(today.year())
            )
        }),
        can_write: f.agency.as_ref().is_some_and(|a| can_write(user, a)),
        names,
        today: today.to_string(),
        calendar_warning: app.calendar.next_year_warning(today).unwrap_or_default(),
    })
}

/// `GET /register/export.xlsx?…`: the filtered list (every page) in the 台账 columns plus the
/// due date and status; a supervisor's export has the personal data replaced by （已隐去）.
pub(crate) async fn export(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let user = &session.user;
    let today = refresh(&app).await;
    let (f, _) = match filters(&app, user, &query).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let filter = f.case_filter();
    let mut cases = Vec::new();
    let mut offset = 0;
    loop {
        let Ok(page) = app
            .store
            .register_page(user, &filter, Some(f.q.as_str()), offset, 500)
            .await
        else {
            return server_error();
        };
        let n = page.cases.len() as i64;
        cases.extend(page.cases);
        offset += n;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    let names = sees_names(user);
    let mut header: Vec<&str> = vec!["机构代码"];
    header.extend(COLUMNS.iter().chain(EXPORT_EXTRA.iter()).copied());
    let rows = cases.iter().map(|c| {
        let mut row = export_row(&c.case, &clock(&c.case, &app.calendar, today));
        if !names {
            // The personal data the store blanked, marked as hidden rather than left empty
            // (an empty 申请人 would read as "not recorded").
            for (i, column) in COLUMNS.iter().enumerate() {
                if matches!(*column, "申请人" | "申请内容") {
                    if let Some(cell) = row.get_mut(i) {
                        *cell = HIDDEN.to_owned();
                    }
                }
            }
        }
        let mut out = vec![c.agency_code.clone()];
        out.extend(row);
        out
    });
    match xxgk_write::list_xlsx::list_xlsx("台账", &header, rows) {
        Ok(bytes) => (
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
                        "attachment; filename=\"register.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx",
                    ),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => server_error(),
    }
}

// ---------------------------------------------------------------------------------------------
// A new application

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(crate) struct NewCaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    applicant_type: String,
    #[serde(default)]
    applicant: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    received: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    form: String,
}

struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "register_new.html")]
struct NewPage {
    nav: Nav,
    error: String,
    agencies: Vec<AgencyOption>,
    types: Vec<Choice>,
    channels: Vec<Choice>,
    form: NewCaseForm,
    today: String,
}

const CHANNELS: [(Channel, &str); 5] = [
    (Channel::InPerson, "in_person"),
    (Channel::Post, "post"),
    (Channel::OrdinaryMail, "ordinary_mail"),
    (Channel::Online, "online"),
    (Channel::Fax, "fax"),
];

/// The agencies the caller may register in.
async fn writable_agencies(app: &App, user: &User) -> Result<Vec<Agency>, Response> {
    let visible = app
        .store
        .agencies_visible(user)
        .await
        .map_err(|_| server_error())?;
    Ok(visible.into_iter().filter(|a| can_write(user, a)).collect())
}

fn new_page(
    session: &Session,
    agencies: &[Agency],
    form: NewCaseForm,
    error: String,
    today: Day,
) -> NewPage {
    NewPage {
        nav: Nav::new(session, "register", "登记申请"),
        error,
        agencies: agencies
            .iter()
            .map(|a| AgencyOption {
                code: a.code.clone(),
                name: a.name.clone(),
                selected: a.code == form.agency,
            })
            .collect(),
        types: ApplicantType::all()
            .map(|t| Choice {
                value: t.key(),
                label: t.label().to_owned(),
                selected: t.key() == form.applicant_type,
            })
            .collect(),
        channels: CHANNELS
            .iter()
            .map(|(c, v)| Choice {
                value: v,
                label: format!("{}（{}）", c.label(), c.receipt_rule()),
                selected: *v == form.channel,
            })
            .collect(),
        form,
        today: today.to_string(),
    }
}

/// The page for a refusal: 403 with a message.
fn forbidden(session: &Session, message: &str) -> Response {
    render_status(
        StatusCode::FORBIDDEN,
        &MessagePage {
            nav: Nav::new(session, "register", "无权操作"),
            message: message.to_owned(),
        },
    )
}

#[derive(Template)]
#[template(path = "register_message.html")]
struct MessagePage {
    nav: Nav,
    message: String,
}

/// `GET /register/new`.
pub(crate) async fn new_form(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let agencies = match writable_agencies(&app, &session.user).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    if agencies.is_empty() {
        return forbidden(&session, "只有本机关的工作人员可以登记申请。");
    }
    let today = xxgk_store::today();
    let form = NewCaseForm {
        agency: agencies[0].code.clone(),
        received: today.to_string(),
        ..Default::default()
    };
    render(&new_page(&session, &agencies, form, String::new(), today))
}

/// Why a change to the register was not made: the status to answer and a Chinese message.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

fn bad(message: impl Into<String>) -> Refusal {
    Refusal {
        status: StatusCode::BAD_REQUEST,
        message: message.into(),
    }
}

fn internal() -> Refusal {
    Refusal {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: "数据库出错，请稍后再试".to_owned(),
    }
}

/// Registers a new application in `agency` (one the caller may record in): the fields
/// checked, the 编号 new, the receipt date not after today; stored with its audit entry. What
/// the page's form and `POST /api/v1/register/{agency}/cases` share.
pub(crate) async fn create_case(
    app: &App,
    user: &User,
    agency: &Agency,
    form: &NewCaseForm,
    today: Day,
) -> Result<Case, Refusal> {
    if !can_write(user, agency) {
        return Err(Refusal {
            status: StatusCode::FORBIDDEN,
            message: "只有本机关的工作人员可以登记申请。".to_owned(),
        });
    }
    let number = form.number.trim();
    if number.is_empty() {
        return Err(bad("请填写编号"));
    }
    if number.chars().count() > 64 {
        return Err(bad("编号过长（最多 64 个字）"));
    }
    let applicant_type =
        ApplicantType::parse(&form.applicant_type).ok_or_else(|| bad("请选择申请人类型"))?;
    let received = parse_date(&form.received).ok_or_else(|| {
        bad(format!(
            "收到申请之日“{}”不是日期（如 2025-03-04）",
            form.received.trim()
        ))
    })?;
    if received > today {
        return Err(bad(format!("收到申请之日 {received} 晚于今天 {today}")));
    }
    let channel = CHANNELS
        .iter()
        .find(|(_, v)| *v == form.channel)
        .map_or(Channel::Unstated, |(c, _)| *c);
    match app.store.register_case(user, agency.id, number).await {
        Ok(Some(_)) => return Err(bad(format!("编号 {number} 已登记过"))),
        Ok(None) => {}
        Err(_) => return Err(internal()),
    }
    let case = Case {
        application: Application {
            number: number.to_owned(),
            applicant_type,
            applicant_name: form.applicant.trim().chars().take(200).collect(),
            contact: form.contact.trim().chars().take(200).collect(),
            channel,
            received,
            content: form.content.trim().chars().take(4000).collect(),
            form: form.form.trim().chars().take(200).collect(),
        },
        events: Vec::new(),
    };
    store_case(app, user, agency, case, today).await
}

/// Validates and stores a case (its audit entry written by the store).
async fn store_case(
    app: &App,
    user: &User,
    agency: &Agency,
    case: Case,
    today: Day,
) -> Result<Case, Refusal> {
    let v = case.validate(&app.calendar);
    if !v.is_ok() {
        let problems: Vec<String> = v.errors.iter().map(ToString::to_string).collect();
        return Err(bad(format!("没有登记：{}", problems.join("；"))));
    }
    app.store
        .put_cases(
            &Actor::user(user),
            agency.id,
            std::slice::from_ref(&case),
            &app.calendar,
            today,
        )
        .await
        .map_err(|_| internal())?;
    Ok(case)
}

/// `POST /register/new`.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Form(form): Form<NewCaseForm>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !check_csrf(&session, &form.csrf) {
        return forbidden(&session, "页面已过期，请返回重新填写。");
    }
    let agencies = match writable_agencies(&app, &session.user).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    if agencies.is_empty() {
        return forbidden(&session, "只有本机关的工作人员可以登记申请。");
    }
    let today = refresh(&app).await;
    let Some(agency) = agencies.iter().find(|a| a.code == form.agency.trim()) else {
        let page = new_page(
            &session,
            &agencies,
            form,
            "请选择登记申请的机关".to_owned(),
            today,
        );
        return render_status(StatusCode::BAD_REQUEST, &page);
    };
    match create_case(&app, &session.user, agency, &form, today).await {
        Ok(case) => super::redirect_to(&case_href(&agency.code, &case.application.number)),
        Err(r) if r.status == StatusCode::INTERNAL_SERVER_ERROR => server_error(),
        Err(r) => {
            let page = new_page(&session, &agencies, form, r.message, today);
            render_status(r.status, &page)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One case

struct EventView {
    date: String,
    label: &'static str,
    detail: String,
    problem: String,
}

struct ExplainView {
    lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "register_case.html")]
struct CasePage {
    nav: Nav,
    error: String,
    notice: String,
    agency_code: String,
    agency_name: String,
    number: String,
    action: String,
    list_href: String,
    tables_href: String,
    status_id: &'static str,
    status: &'static str,
    due: String,
    due_weekday: String,
    days_left: String,
    answered_late: String,
    applicant_type: &'static str,
    applicant: String,
    contact: String,
    channel: String,
    receipt_rule: &'static str,
    received: String,
    content: String,
    requested_form: String,
    events: Vec<EventView>,
    explanation: Option<ExplainView>,
    notes: Vec<String>,
    errors: Vec<String>,
    warnings: Vec<String>,
    can_write: bool,
    closed: bool,
    forms: Forms,
    outcomes: Vec<Choice>,
    today: String,
}

/// Which event forms the case page offers (what can come next).
#[derive(Default)]
struct Forms {
    correction_notice: bool,
    correction_received: bool,
    consultation_sent: bool,
    consultation_replied: bool,
    extension: bool,
    later_deadline: bool,
    fee_notice: bool,
    fee_paid: bool,
}

fn forms(case: &Case) -> Forms {
    let has = |f: &dyn Fn(&Event) -> bool| case.events.iter().any(f);
    let count = |f: &dyn Fn(&Event) -> bool| case.events.iter().filter(|e| f(e)).count();
    let sent = count(&|e| matches!(e, Event::ConsultationSent { .. }));
    let replied = count(&|e| matches!(e, Event::ConsultationReplied { .. }));
    let notice = has(&|e| matches!(e, Event::CorrectionNotice { .. }));
    let fee = has(&|e| matches!(e, Event::FeeNotice { .. }));
    Forms {
        correction_notice: !notice,
        correction_received: notice && !has(&|e| matches!(e, Event::CorrectionReceived { .. })),
        consultation_sent: true,
        consultation_replied: sent > replied,
        extension: !has(&|e| matches!(e, Event::Extension { .. })),
        later_deadline: !has(&|e| matches!(e, Event::LaterDeadline { .. })),
        fee_notice: !fee,
        fee_paid: fee && !has(&|e| matches!(e, Event::FeePaid { .. })),
    }
}

fn event_detail(e: &Event) -> String {
    match e {
        Event::CorrectionNotice { deadline, .. } => deadline
            .map(|d| format!("补正期限：{}", d.zh()))
            .unwrap_or_default(),
        Event::ConsultationSent { party, .. } => format!("征求对象：{party}"),
        Event::Extension { approver, .. } => format!("批准人：{approver}"),
        Event::LaterDeadline { deadline, .. } => format!("答复期限：{}", deadline.zh()),
        Event::FeeNotice { basis, .. } => match basis {
            FeeBasis::Unstated => basis.describe(),
            b => format!("{}，{} 元", b.describe(), b.amount_yuan()),
        },
        Event::Answer {
            outcome, withheld, ..
        } => {
            let mut s = outcome.label();
            if let Some(basis) = outcome.basis() {
                s.push_str(&format!("（{basis}）"));
            }
            if let Some(w) = withheld.as_deref().filter(|w| !w.is_empty()) {
                s.push_str(&format!("；不予公开的部分：{w}"));
            }
            s
        }
        Event::Withdrawal { .. } => "计入（六）其他处理".to_owned(),
        _ => String::new(),
    }
}

async fn case_view(
    app: &App,
    session: &Session,
    agency: &Agency,
    stored: &StoredCase,
    today: Day,
    error: String,
    notice: String,
) -> CasePage {
    let case = &stored.case;
    let a = &case.application;
    let names = sees_names(&session.user);
    let c = clock(case, &app.calendar, today);
    let v = case.validate(&app.calendar);
    let problem_of = |i: usize| {
        v.errors
            .iter()
            .chain(v.warnings.iter())
            .filter(|p| p.event == Some(i))
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("；")
    };
    let hidden = |s: &str| {
        if names {
            s.to_owned()
        } else {
            HIDDEN.to_owned()
        }
    };
    CasePage {
        nav: Nav::new(session, "register", format!("申请 {}", stored.number)),
        error,
        notice,
        agency_code: agency.code.clone(),
        agency_name: agency.name.clone(),
        number: stored.number.clone(),
        action: format!("{}/events", case_href(&agency.code, &stored.number)),
        list_href: format!("/register?agency={}", segment(&agency.code)),
        tables_href: format!(
            "/register/{}/tables/{}",
            segment(&agency.code),
            stored.answered.map_or(today.year(), |d| d.year())
        ),
        status_id: c.status.id(),
        status: c.status.label(),
        due: c.due.map(|d| d.zh()).unwrap_or_default(),
        due_weekday: c.due.map(|d| d.weekday_zh().to_owned()).unwrap_or_default(),
        days_left: c
            .working_days_left
            .filter(|_| c.status != Status::Answered)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        answered_late: match c.answered_late {
            Some(true) => "超过答复期限答复".to_owned(),
            Some(false) => "在答复期限内答复".to_owned(),
            None => String::new(),
        },
        applicant_type: a.applicant_type.label(),
        applicant: hidden(&a.applicant_name),
        contact: hidden(&a.contact),
        channel: a.channel.label().to_owned(),
        receipt_rule: a.channel.receipt_rule(),
        received: a.received.zh(),
        content: hidden(&a.content),
        requested_form: a.form.clone(),
        events: case
            .ordered_events()
            .into_iter()
            .map(|(i, e)| EventView {
                date: e.date().zh(),
                label: e.label(),
                detail: event_detail(e),
                problem: problem_of(i),
            })
            .collect(),
        explanation: c.explanation.as_ref().map(|e| ExplainView {
            lines: e.render_zh(),
        }),
        notes: c.notes.clone(),
        errors: v
            .errors
            .iter()
            .filter(|p| p.event.is_none())
            .map(ToString::to_string)
            .collect(),
        warnings: v
            .warnings
            .iter()
            .filter(|p| p.event.is_none())
            .map(ToString::to_string)
            .collect(),
        can_write: can_write(&session.user, agency),
        closed: case.closing().is_some(),
        forms: forms(case),
        outcomes: Outcome::all()
            .map(|o| Choice {
                value: o.key(),
                label: o.label(),
                selected: false,
            })
            .collect(),
        today: today.to_string(),
    }
}

/// The case of a path, if the caller may see it.
pub(crate) async fn find_case(
    app: &App,
    user: &User,
    code: &str,
    number: &str,
) -> Result<Option<(Agency, StoredCase)>, Response> {
    let Some(agency) = visible_agency(app, user, code).await? else {
        return Ok(None);
    };
    match app.store.register_case(user, agency.id, number).await {
        Ok(Some(c)) => Ok(Some((agency, c))),
        Ok(None) => Ok(None),
        Err(_) => Err(server_error()),
    }
}

/// `GET /register/{agency}/cases/{number}`.
pub(crate) async fn case_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = refresh(&app).await;
    match find_case(&app, &session.user, &code, &number).await {
        Ok(Some((agency, stored))) => render(
            &case_view(
                &app,
                &session,
                &agency,
                &stored,
                today,
                String::new(),
                String::new(),
            )
            .await,
        ),
        Ok(None) => not_found_page(),
        Err(r) => r,
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct EventForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    consult: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    approver: String,
    #[serde(default)]
    fee_method: String,
    #[serde(default)]
    pages: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    withheld: String,
}

/// The event a form describes, or the Chinese reason it is not one.
fn event_of(
    form: &EventForm,
    today: Day,
    nth_in_month: impl FnOnce() -> u32,
) -> Result<Event, String> {
    let date = parse_date(&form.date)
        .ok_or_else(|| format!("“{}”不是日期（如 2025-03-04）", form.date.trim()))?;
    if date > today {
        return Err(format!(
            "日期 {date} 晚于今天 {today}：只能登记已经发生的事项"
        ));
    }
    let deadline = || {
        parse_date(&form.deadline)
            .ok_or_else(|| format!("期限“{}”不是日期（如 2025-03-20）", form.deadline.trim()))
    };
    let text = |s: &str, max: usize| s.trim().chars().take(max).collect::<String>();
    Ok(match form.kind.as_str() {
        "correction_notice" => Event::CorrectionNotice {
            date,
            deadline: if form.deadline.trim().is_empty() {
                None
            } else {
                Some(deadline()?)
            },
        },
        "correction_received" => Event::CorrectionReceived { date },
        "consultation_sent" => Event::ConsultationSent {
            date,
            kind: if form.consult == "other_agency" {
                ConsultKind::OtherAgency
            } else {
                ConsultKind::ThirdParty
            },
            party: text(&form.party, 200),
        },
        "consultation_replied" => Event::ConsultationReplied { date },
        "extension" => Event::Extension {
            date,
            approver: text(&form.approver, 100),
        },
        "later_deadline" => Event::LaterDeadline {
            date,
            deadline: deadline()?,
        },
        "fee_notice" => Event::FeeNotice {
            date,
            basis: match form.fee_method.as_str() {
                "per_request" => FeeBasis::PerRequest {
                    nth_in_month: nth_in_month(),
                },
                "per_page" => FeeBasis::PerPage {
                    pages: form
                        .pages
                        .trim()
                        .parse()
                        .ok()
                        .filter(|p| *p > 0 && *p <= 1_000_000)
                        .ok_or_else(|| "按量计收须填写页数（正整数）".to_owned())?,
                },
                _ => return Err("请选择计收方式：按件或按量（只能选择一种）".to_owned()),
            },
        },
        "fee_paid" => Event::FeePaid { date },
        "answer" => {
            let outcome = Outcome::parse(&form.outcome)
                .ok_or_else(|| "请选择办理结果（表三的一行）".to_owned())?;
            let withheld = text(&form.withheld, 2000);
            Event::Answer {
                date,
                outcome,
                withheld: (!withheld.is_empty()).then_some(withheld),
            }
        }
        "withdrawal" => Event::Withdrawal { date },
        _ => return Err("未知的办理事项".to_owned()),
    })
}

/// Records an event of a stored case (the caller may record in `agency`): the form read, the
/// date not after today, the sequence checked by `Case::validate`; stored with its audit
/// entry. What the page's forms and `POST /api/v1/register/{agency}/cases/{编号}/events`
/// share.
pub(crate) async fn add_event(
    app: &App,
    user: &User,
    agency: &Agency,
    stored: &StoredCase,
    form: &EventForm,
    today: Day,
) -> Result<Case, Refusal> {
    if !can_write(user, agency) {
        return Err(Refusal {
            status: StatusCode::FORBIDDEN,
            message: "只有本机关的工作人员可以登记办理事项。".to_owned(),
        });
    }
    let mut case = stored.case.clone();
    // 按件计收: the applicant's count in the month needs the agency's other cases.
    let mut register: Vec<Case> = Vec::new();
    if form.kind == "fee_notice" && form.fee_method == "per_request" {
        let filter = CaseFilter {
            agency_id: Some(agency.id),
            year: Some(case.application.received.year()),
            status: None,
        };
        let all = app
            .store
            .register_cases(user, &filter)
            .await
            .map_err(|_| internal())?;
        register = all.into_iter().map(|c| c.case).collect();
    }
    let event = event_of(form, today, || {
        xxgk_register::case::nth_in_month(&register, &case)
    })
    .map_err(bad)?;
    case.events.push(event);
    store_case(app, user, agency, case, today).await
}

/// `POST /register/{agency}/cases/{number}/events`.
pub(crate) async fn record_event(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
    Form(form): Form<EventForm>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = refresh(&app).await;
    let (agency, stored) = match find_case(&app, &session.user, &code, &number).await {
        Ok(Some(x)) => x,
        Ok(None) => return not_found_page(),
        Err(r) => return r,
    };
    if !check_csrf(&session, &form.csrf) {
        return forbidden(&session, "页面已过期，请返回重新填写。");
    }
    match add_event(&app, &session.user, &agency, &stored, &form, today).await {
        Ok(_) => super::redirect_to(&case_href(&agency.code, &stored.number)),
        Err(r) if r.status == StatusCode::FORBIDDEN => forbidden(&session, &r.message),
        Err(r) if r.status == StatusCode::INTERNAL_SERVER_ERROR => server_error(),
        Err(r) => render_status(
            r.status,
            &case_view(
                &app,
                &session,
                &agency,
                &stored,
                today,
                r.message,
                String::new(),
            )
            .await,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Derived tables

struct TableView {
    heading: String,
    html: String,
}

#[derive(Template)]
#[template(path = "register_tables.html")]
struct TablesPage {
    nav: Nav,
    agency_code: String,
    agency_name: String,
    year: i32,
    format: String,
    error: String,
    tables: Vec<TableView>,
    rules: Vec<&'static str>,
    excluded: Vec<(String, String, String)>,
    list_href: String,
    prev_href: String,
    next_href: String,
}

fn tables_href(code: &str, year: i32) -> String {
    format!("/register/{}/tables/{year}", segment(code))
}

/// `GET /register/{agency}/tables/{year}`.
pub(crate) async fn tables(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((code, year)): Path<(String, String)>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(year) = year.parse::<i32>() else {
        return not_found_page();
    };
    refresh(&app).await;
    let agency = match visible_agency(&app, &session.user, &code).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found_page(),
        Err(r) => return r,
    };
    let derived = match app
        .store
        .register_table_counts(&session.user, agency.id, year)
        .await
    {
        Ok(Some(d)) => d,
        Ok(None) => return not_found_page(),
        Err(_) => return server_error(),
    };
    let mut page = TablesPage {
        nav: Nav::new(
            &session,
            "register",
            format!("{year} 年度表三、表四（由台账生成）"),
        ),
        agency_code: agency.code.clone(),
        agency_name: agency.name.clone(),
        year,
        format: String::new(),
        error: String::new(),
        tables: Vec::new(),
        rules: xxgk_register::tables::COUNTING_RULES_ZH.to_vec(),
        excluded: Vec::new(),
        list_href: format!("/register?agency={}&year={year}", segment(&agency.code)),
        prev_href: tables_href(&agency.code, year - 1),
        next_href: tables_href(&agency.code, year + 1),
    };
    let t = match derived {
        Ok(t) => t,
        Err(e) => {
            page.error = e.to_string();
            return render(&page);
        }
    };
    page.format = t.format.instrument().to_owned();
    let base = tables_href(&agency.code, year);
    let decorate = |id: &CellId| {
        let flat = id.to_string();
        let n = t
            .report
            .value(id)
            .and_then(xxgk_model::Value::as_int)
            .unwrap_or(0);
        CellAttrs {
            id: Some(format!("cell-{flat}")),
            class: None,
            link: (n > 0).then(|| format!("{base}/{}", segment(&flat))),
        }
    };
    page.tables = [TableId::Requests, TableId::Appeals]
        .into_iter()
        .filter_map(|tid| {
            xxgk_write::html::table_html(&t.report, tid, &decorate).map(|html| TableView {
                heading: xxgk_model::catalogue::part(tid.part()).map_or_else(
                    || tid.title().to_owned(),
                    |p| format!("{}{}", p.marker(), p.heading),
                ),
                html,
            })
        })
        .collect();
    page.excluded = t
        .excluded
        .iter()
        .map(|(n, why)| (case_href(&agency.code, n), n.clone(), why.clone()))
        .collect();
    render(&page)
}

#[derive(Template)]
#[template(path = "register_cell.html")]
struct CellPage {
    nav: Nav,
    agency_name: String,
    year: i32,
    cell_label: String,
    cell_id: String,
    value: String,
    tables_href: String,
    appeals: bool,
    cases: Vec<CaseRow>,
    numbers: Vec<String>,
}

/// `GET /register/{agency}/tables/{year}/{cell}`: the cases behind one number.
pub(crate) async fn cell(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path((code, year, cell)): Path<(String, String, String)>,
) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (Ok(year), Some(id)) = (year.parse::<i32>(), CellId::parse(&cell)) else {
        return not_found_page();
    };
    refresh(&app).await;
    let agency = match visible_agency(&app, &session.user, &code).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found_page(),
        Err(r) => return r,
    };
    let t = match app
        .store
        .register_tables(&session.user, agency.id, year)
        .await
    {
        Ok(Some(Ok(t))) => t,
        Ok(_) => return not_found_page(),
        Err(_) => return server_error(),
    };
    let numbers = t.provenance.get(&id).cloned().unwrap_or_default();
    let value = t
        .report
        .value(&id)
        .map(xxgk_write::input::value_text)
        .unwrap_or_default();
    let appeals = id.table == TableId::Appeals;
    let mut cases = Vec::new();
    if !appeals {
        let names = sees_names(&session.user);
        let Ok(found) = app
            .store
            .register_cases_numbered(&session.user, agency.id, &numbers)
            .await
        else {
            return server_error();
        };
        cases = found.iter().map(|c| case_row(c, names)).collect();
    }
    render(&CellPage {
        nav: Nav::new(
            &session,
            "register",
            format!("{year} 年度 {}", cell_label(t.format, &id)),
        ),
        agency_name: agency.name.clone(),
        year,
        cell_label: cell_label(t.format, &id),
        cell_id: id.to_string(),
        value,
        tables_href: tables_href(&agency.code, year),
        appeals,
        cases,
        numbers,
    })
}

/// "表三 一、本年新收政府信息公开申请数量 · 自然人": the cell's row and column as printed.
fn cell_label(format: xxgk_model::catalogue::Format, id: &CellId) -> String {
    match xxgk_model::catalogue::find_cell(Some(format), id.table, id.row, id.column) {
        Some((row, column)) => {
            let mut label = row.printed_label();
            if let Some(group) = row.group {
                label = format!("{group} {label}");
            }
            format!("{} {label} · {}", id.table.short_name(), column.label)
        }
        None => format!("{} {}", id.table.short_name(), id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_register::Calendar;

    #[test]
    fn segments_encode_everything_but_unreserved_ascii() {
        assert_eq!(segment("A-1_b.c~"), "A-1_b.c~");
        assert_eq!(segment("2025/1 号"), "2025%2F1%20%E5%8F%B7");
        assert_eq!(
            case_href("X1", "依申请〔2025〕3号"),
            "/register/X1/cases/%E4%BE%9D%E7%94%B3%E8%AF%B7%E3%80%942025%E3%80%953%E5%8F%B7"
        );
    }

    fn form(kind: &str, date: &str) -> EventForm {
        EventForm {
            kind: kind.to_owned(),
            date: date.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn an_event_after_today_is_refused() {
        let today = Day::from_ymd(2025, 3, 10).unwrap();
        let e = event_of(&form("correction_received", "2025-03-11"), today, || 1);
        assert!(e.unwrap_err().contains("晚于今天"));
        let e = event_of(&form("correction_received", "2025-03-10"), today, || 1).unwrap();
        assert_eq!(e, Event::CorrectionReceived { date: today });
    }

    #[test]
    fn fee_forms_choose_one_method_and_per_request_counts_the_month() {
        let today = Day::from_ymd(2025, 3, 10).unwrap();
        let mut f = form("fee_notice", "2025-03-05");
        assert!(event_of(&f, today, || 1)
            .unwrap_err()
            .contains("按件或按量"));
        f.fee_method = "per_request".into();
        assert_eq!(
            event_of(&f, today, || 12).unwrap(),
            Event::FeeNotice {
                date: Day::from_ymd(2025, 3, 5).unwrap(),
                basis: FeeBasis::PerRequest { nth_in_month: 12 }
            }
        );
        f.fee_method = "per_page".into();
        f.pages = "abc".into();
        assert!(event_of(&f, today, || 1).unwrap_err().contains("页数"));
        f.pages = "120".into();
        assert!(matches!(
            event_of(&f, today, || 1).unwrap(),
            Event::FeeNotice {
                basis: FeeBasis::PerPage { pages: 120 },
                ..
            }
        ));
    }

    #[test]
    fn an_answer_needs_an_outcome_row() {
        let today = Day::from_ymd(2025, 3, 10).unwrap();
        let mut f = form("answer", "2025-03-07");
        assert!(event_of(&f, today, || 1).unwrap_err().contains("办理结果"));
        f.outcome = "granted".into();
        f.withheld = "  ".into();
        assert!(matches!(
            event_of(&f, today, || 1).unwrap(),
            Event::Answer { withheld: None, .. }
        ));
    }

    #[test]
    fn forms_offer_what_can_come_next() {
        let d = Day::from_ymd(2025, 3, 3).unwrap();
        let mut case = Case {
            application: Application {
                number: "1".into(),
                applicant_type: ApplicantType::all().next().unwrap(),
                applicant_name: String::new(),
                contact: String::new(),
                channel: Channel::Unstated,
                received: d,
                content: String::new(),
                form: String::new(),
            },
            events: Vec::new(),
        };
        let f = forms(&case);
        assert!(f.correction_notice && !f.correction_received && !f.consultation_replied);
        case.events.push(Event::CorrectionNotice {
            date: d,
            deadline: None,
        });
        let f = forms(&case);
        assert!(!f.correction_notice && f.correction_received);
        case.events.push(Event::ConsultationSent {
            date: d,
            kind: ConsultKind::ThirdParty,
            party: "某公司".into(),
        });
        assert!(forms(&case).consultation_replied);
    }

    #[test]
    fn calendar_is_used_for_the_home_window() {
        // 2025-09-26 (Fri) + 5 working days: 9-28 (Sun) is a 调休 workday (National Day
        // 2025: 10-1..10-8 off, 9-28 and 10-11 worked), so 9-29, 9-30, 9-28… counted in order:
        // 9-28 (Sun, worked) 1, 9-29 2, 9-30 3, 10-9 4, 10-10 5.
        let cal = Calendar::shipped().unwrap();
        let d = Day::from_ymd(2025, 9, 26).unwrap();
        assert_eq!(
            cal.add_working_days(d, DUE_AHEAD_DAYS).unwrap(),
            Day::from_ymd(2025, 10, 10).unwrap()
        );
    }
}
