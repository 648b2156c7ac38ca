//! The agency tree, `GET /agencies`: the agencies the caller may see, indented by depth (an
//! administrator the whole tree, a supervisor its subtree, staff their own agency), each with
//! its reports by year (latest version, error count, link to `/reports/{id}`). JSON:
//! `GET /api/v1/agencies`.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{render, server_error};
use crate::api::{agency_tree, kind_label};
use crate::auth::{page_session, Nav};
use crate::App;

struct YearLink {
    id: i64,
    year: String,
    version: i32,
    errors: i64,
    unreadable: bool,
}

struct Node {
    code: String,
    name: String,
    kind: &'static str,
    depth: usize,
    reports: Vec<YearLink>,
}

#[derive(Template)]
#[template(path = "agencies.html")]
struct TreePage {
    nav: Nav,
    nodes: Vec<Node>,
}

/// `GET /agencies`.
pub(crate) async fn tree(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let session = match page_session(&app, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(tree) = agency_tree(&app.store, &session.user).await else {
        return server_error();
    };
    let nodes = tree
        .into_iter()
        .map(|n| Node {
            code: n.agency.code,
            name: n.agency.name,
            kind: kind_label(n.agency.kind),
            depth: n.depth.min(8),
            reports: n
                .reports
                .iter()
                .map(|r| YearLink {
                    id: r.id,
                    year: r
                        .year
                        .map_or_else(|| "年度不明".to_owned(), |y| format!("{y} 年度")),
                    version: r.version,
                    errors: r.error_count,
                    unreadable: r.status == xxgk_store::ReportStatus::Unreadable,
                })
                .collect(),
        })
        .collect();
    render(&TreePage {
        nav: Nav::new(&session, "agencies", "机构"),
        nodes,
    })
}
