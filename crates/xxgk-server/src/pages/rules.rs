//! The rule catalogue, `GET /rules`: `xxgk rules` as a page (the same catalogues and groups,
//! `xxgk_read::rules` and `xxgk_check::groups`), one anchor per rule (`/rules#RULE-ID`, the
//! report page links there). JSON: `GET /api/v1/rules`.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::render;
use crate::api::{rule_groups, RuleGroup};
use crate::auth::{page_session, Nav};
use crate::App;

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    nav: Nav,
    groups: Vec<RuleGroup>,
    total: usize,
}

/// `GET /rules`.
pub(crate) async fn catalogue(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let groups = rule_groups();
    render(&RulesPage {
        nav: Nav::new(&session, "rules", "检查规则"),
        total: groups.iter().map(|g| g.rules.len()).sum(),
        groups,
    })
}
