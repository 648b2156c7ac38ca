//! The report page (`/reports/{id}`), its differences page and its download, as a signed-in
//! browser sees them: a seed changed by hand so that a cell has an error, the cell's `td`
//! marked and linked to the finding and back, a blank cell marked and still blank, the report's
//! text escaped, an unreadable file's reason, versions and their differences, and the same 404
//! page for another agency's report as for a missing one. On SQLite.

#[path = "support/report.rs"]
mod report_support;
mod support;

use axum::http::StatusCode;
use report_support::{cookie_of, element, get, seed, seed_002_changed, SEED_002, SEED_003};

const NATURAL: &str = "requests.new_received.natural_person";
const BLANK: &str = "requests.unavailable_unclear_after_correction.natural_person";

async fn upload(app: &axum::Router, token: &str, agency: &str, name: &str, bytes: Vec<u8>) -> i64 {
    let a = support::upload(app, token, agency, name, bytes).await;
    assert_eq!(
        a.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    a.json()["id"].as_i64().expect("id")
}

/// The anchor of the finding a cell links to (`finding-N`).
fn cell_link(html: &str, cell: &str) -> String {
    let td = element(html, &format!("<td id=\"cell-{cell}\""), "</td>");
    let start = td.find("href=\"#").expect("a link in the cell") + 7;
    td[start..].split('"').next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cells_with_findings_are_marked_and_linked() {
    let f = support::sqlite().await;
    let t = support::people(&f.store).await;
    let app = xxgk_server::router(f.store.clone());
    let id = upload(
        &app,
        &t.staff_a,
        "A",
        "广州开发区年报.txt",
        seed_002_changed(),
    )
    .await;
    let cookie = cookie_of(&f.store, &t.staff_a).await;
    let page = get(&app, &format!("/reports/{id}"), &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();

    // What was uploaded.
    assert!(html.contains(
        "<h1 id=\"report-title\">广州开发区知识产权局2023年政府信息公开工作年度报告</h1>"
    ));
    assert!(html.contains("<dd id=\"meta-agency\">某市甲局（A）</dd>"));
    assert!(html.contains("<dd id=\"meta-year\">2023</dd>"));
    assert!(html.contains("<dd id=\"meta-version\">第 1 版</dd>"));
    assert!(html.contains("<dd id=\"meta-status\">已读取</dd>"));
    // Two errors (below) and the seed's four warnings (VALUE-BLANK, PART6-KEY-POINTS,
    // PART6-PROPOSALS, DATE-PUBLISHED-MISSING), linked to the findings.
    assert!(html
        .contains("<dd id=\"meta-findings\"><a href=\"#findings\">错误 2 条，警告 4 条</a></dd>"));
    assert!(html.contains(&format!(
        "<a id=\"download\" href=\"/reports/{id}/file\">广州开发区年报.txt</a>"
    )));
    assert!(html.contains("2021 格式（国办公开办函〔2021〕30号）"));

    // The cell changed by hand (3 → 4, its row's 总计 still 3) is an error, drawn with its
    // value and linked to an error finding that links back to it.
    let td = element(&html, &format!("<td id=\"cell-{NATURAL}\""), "</td>");
    assert!(
        td.starts_with(&format!("<td id=\"cell-{NATURAL}\" class=\"sev-error\">")),
        "{td}"
    );
    assert!(td.contains(">4</a></td>"), "{td}");
    let anchor = cell_link(&html, NATURAL);
    let finding = element(
        &html,
        &format!("<li class=\"finding sev-error\" id=\"{anchor}\""),
        "</li>",
    );
    assert!(
        finding.contains(&format!("href=\"#cell-{NATURAL}\"")),
        "{finding}"
    );
    assert!(
        finding.contains("表三“一、本年新收政府信息公开申请数量”行“自然人”列"),
        "{finding}"
    );
    let rule = element(finding, "data-rule=\"", "\" ");
    let rule = &rule[11..rule.len() - 2];
    assert!(finding.contains(&format!(
        "<a class=\"rule\" href=\"/rules#{rule}\">{rule}</a>"
    )));
    // The rule's explanation from the catalogue, folded (no JavaScript needed).
    assert!(finding.contains("<details class=\"rule-explanation\"><summary>规则说明</summary>"));
    // Its place in the source: line 83 of the text, shown.
    assert!(
        finding.contains("原文第83行：<q class=\"source-line\">4</q>"),
        "{finding}"
    );
    // Grouped: the error is inside the errors' group, which comes before the warnings'.
    let errors = element(
        &html,
        "<section class=\"finding-group\" id=\"findings-error\"",
        "</section>",
    );
    assert!(errors.contains(&format!("id=\"{anchor}\"")));
    assert!(html.find("id=\"findings-error\"") < html.find("id=\"findings-warning\""));
    // Exactly the two identities the change breaks: the row's 总计 (3 ≠ 4 + 0 + … + 0) and
    // the balance of the 自然人 column (4 + 0 ≠ 3 + 0).
    assert_eq!(
        errors.matches("<li class=\"finding sev-error\"").count(),
        2,
        "{errors}"
    );
    assert!(errors.contains("data-rule=\"T3-ROW-TOTAL\""));
    assert!(errors.contains("data-rule=\"T3-BALANCE\""));

    // The blank cell: a warning (VALUE-BLANK), still blank.
    let td = element(&html, &format!("<td id=\"cell-{BLANK}\""), "</td>");
    let blank_anchor = cell_link(&html, BLANK);
    assert_eq!(
        td,
        format!("<td id=\"cell-{BLANK}\" class=\"sev-warning\"><a class=\"cell-link\" href=\"#{blank_anchor}\"></a></td>")
    );
    let finding = element(&html, &format!("id=\"{blank_anchor}\""), "</li>");
    assert!(finding.contains("data-rule=\"VALUE-BLANK\""));
    // A cell without findings: its id, no class, no link. (上年结转·自然人 is named by the
    // balance error of its column, 研究机构 by nothing.)
    assert!(html.contains("<td id=\"cell-requests.carried_over.research_institution\">0</td>"));

    // The report's parts as text, and the findings beside the tables.
    assert!(html.contains("<section class=\"report-parts\" id=\"parts\">"));
    assert!(html.contains("<aside class=\"findings\" id=\"findings\">"));
    for t in ["active", "requests", "appeals"] {
        assert!(
            html.contains(&format!(
                "<section class=\"official-table\" id=\"table-{t}\">"
            )),
            "{t}"
        );
    }
    assert!(!html.contains("<script"));

    // Another agency's staff: the same 404 page as a missing report; no session: the login.
    let other = cookie_of(&f.store, &t.staff_b).await;
    let hidden = get(&app, &format!("/reports/{id}"), &other, None).await;
    let missing = get(&app, "/reports/987654", &other, None).await;
    let garbage = get(&app, "/reports/abc", &other, None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body, missing.body);
    assert_eq!(hidden.body, garbage.body);
    assert!(hidden.text().contains("报告不存在或无权查看"));
    assert!(!hidden.text().contains("广州开发区"));
    let anonymous = get(&app, &format!("/reports/{id}"), "", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.header("location").as_deref(), Some("/login"));
    // The supervisor of the city sees it.
    let supervisor = cookie_of(&f.store, &t.supervisor).await;
    assert_eq!(
        get(&app, &format!("/reports/{id}"), &supervisor, None)
            .await
            .status,
        StatusCode::OK
    );

    // The original file: the bytes uploaded, as a download with its UTF-8 name.
    let file = get(&app, &format!("/reports/{id}/file"), &cookie, None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, seed_002_changed());
    assert_eq!(
        file.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(
        file.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    // 广州开发区年报 in UTF-8, percent-encoded by hand from its bytes.
    assert_eq!(
        file.header("content-disposition").as_deref(),
        Some("attachment; filename=\"_______.txt\"; filename*=UTF-8''%E5%B9%BF%E5%B7%9E%E5%BC%80%E5%8F%91%E5%8C%BA%E5%B9%B4%E6%8A%A5.txt")
    );
    let hidden = get(&app, &format!("/reports/{id}/file"), &other, None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body, missing.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_text_is_escaped() {
    let f = support::sqlite().await;
    let t = support::people(&f.store).await;
    let app = xxgk_server::router(f.store.clone());
    let text = String::from_utf8(seed(SEED_003)).expect("UTF-8");
    let line = text
        .lines()
        .find(|l| l.starts_with("2024年，济宁高新区科技创新局按照"))
        .expect("part 一's first paragraph");
    let hostile = text.replace(line, &format!("{line}<script>alert(\"xss\")</script>"));
    let id = upload(&app, &t.staff_a, "A", "年报<i>.txt", hostile.into_bytes()).await;
    let cookie = cookie_of(&f.store, &t.staff_a).await;
    let html = get(&app, &format!("/reports/{id}"), &cookie, None)
        .await
        .text();
    // Shown as text (askama escapes < > " as numeric references), in part 一's paragraph.
    let parts = element(
        &html,
        "<section class=\"report-parts\" id=\"parts\">",
        "</section>",
    );
    assert!(
        parts.contains(
            "推进科技创新政务公开工作。&#60;script&#62;alert(&#34;xss&#34;)&#60;/script&#62;</p>"
        ),
        "the text shown escaped"
    );
    assert!(!html.contains("<script"));
    assert!(html.contains("下载 年报&#60;i&#62;.txt</a>"));
    assert!(!html.contains("<i>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_report_shows_its_reason() {
    let f = support::sqlite().await;
    let t = support::people(&f.store).await;
    let app = xxgk_server::router(f.store.clone());
    // An Excel workbook is refused by content ("不是年度报告（Excel 工作簿）").
    let bytes = b"PK\x03\x04 xl/workbook.xml [Content_Types].xml".to_vec();
    let id = upload(&app, &t.staff_a, "A", "表格.xlsx", bytes).await;
    let cookie = cookie_of(&f.store, &t.staff_a).await;
    let page = get(&app, &format!("/reports/{id}"), &cookie, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let reason = element(&html, "<p class=\"error\" id=\"unreadable\"", "</p>");
    assert!(reason.contains("Excel 工作簿"), "{reason}");
    assert!(!html.contains("class=\"official-table\""));
    assert!(html.contains("<dd id=\"meta-status\">无法读取</dd>"));
    assert!(html.contains("data-rule=\"READ-UNREADABLE\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_and_their_differences() {
    let f = support::sqlite().await;
    let t = support::people(&f.store).await;
    let app = xxgk_server::router(f.store.clone());
    let v1 = upload(&app, &t.staff_a, "A", "v1.txt", seed(SEED_002)).await;
    let v2 = upload(&app, &t.staff_a, "A", "v2.txt", seed_002_changed()).await;
    let elsewhere = upload(&app, &t.staff_b, "B", "b.txt", seed(SEED_002)).await;
    let cookie = cookie_of(&f.store, &t.staff_a).await;
    let html = get(&app, &format!("/reports/{v2}"), &cookie, None)
        .await
        .text();

    // The versions: both, the current one marked, the other linked with a comparison.
    let versions = element(&html, "<section id=\"versions\">", "</section>");
    assert!(versions.contains("版本（2）"));
    assert!(versions.contains(&format!(
        "<tr class=\"version current\" data-report-id=\"{v2}\">"
    )));
    assert!(versions.contains(&format!("<a href=\"/reports/{v1}\">第 1 版</a>")));
    assert!(versions.contains(&format!(
        "<a href=\"/reports/{v2}/diff?from={v1}\">与本版比较</a>"
    )));
    assert!(versions.contains("staff-a"));

    // The difference from the previous version on the page: the one cell changed by hand.
    let diff = element(&html, "<section id=\"diff\">", "</section>");
    let rows = element(diff, "<tbody>", "</tbody>");
    assert_eq!(
        rows.matches("<tr class=\"changed-cell\"").count(),
        1,
        "{rows}"
    );
    assert!(rows.contains(&format!("data-cell=\"{NATURAL}\"")));
    assert!(rows.contains(&format!(
        "<a href=\"/reports/{v2}#cell-{NATURAL}\">表三“一、本年新收政府信息公开申请数量”行“自然人”列</a>"
    )));
    assert!(
        rows.contains("<td class=\"old\">3</td><td class=\"new\">4</td>"),
        "{rows}"
    );
    // Errors naming it appeared; nothing went away.
    let appeared = element(diff, "<ul class=\"findings-list appeared\"", "</ul>");
    assert!(appeared.contains("class=\"finding sev-error\""));
    assert!(appeared.contains(&format!("href=\"#cell-{NATURAL}\"")));
    assert!(diff.contains("已消除的问题（0）"));

    // The differences page: the same comparison.
    let page = get(
        &app,
        &format!("/reports/{v2}/diff?from={v1}"),
        &cookie,
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<td class=\"old\">3</td><td class=\"new\">4</td>"));
    // The other way round: 4 → 3, the errors went away.
    let back = get(
        &app,
        &format!("/reports/{v1}/diff?from={v2}"),
        &cookie,
        None,
    )
    .await
    .text();
    assert!(back.contains("<td class=\"old\">4</td><td class=\"new\">3</td>"));
    assert!(back.contains("新出现的问题（0）"));
    // A version of another agency: 404, like a missing one.
    let hidden = get(
        &app,
        &format!("/reports/{v2}/diff?from={elsewhere}"),
        &cookie,
        None,
    )
    .await;
    let missing = get(
        &app,
        &format!("/reports/{v2}/diff?from=987654"),
        &cookie,
        None,
    )
    .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body, missing.body);
    // The first version has no previous one: no difference section.
    let first = get(&app, &format!("/reports/{v1}"), &cookie, None)
        .await
        .text();
    assert!(!first.contains("<section id=\"diff\">"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_findings_name_their_page() {
    let f = support::sqlite().await;
    let t = support::people(&f.store).await;
    let app = xxgk_server::router(f.store.clone());
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/real/huaian-city-2024.pdf");
    let id = upload(
        &app,
        &t.staff_a,
        "A",
        "huaian.pdf",
        std::fs::read(path).expect("PDF"),
    )
    .await;
    let cookie = cookie_of(&f.store, &t.staff_a).await;
    let html = get(&app, &format!("/reports/{id}"), &cookie, None)
        .await
        .text();
    let findings = element(
        &html,
        "<aside class=\"findings\" id=\"findings\">",
        "</aside>",
    );
    // A PDF's places are 第P页第N行, and its lines are not quoted (it is not a text file).
    assert!(
        findings.contains("<li class=\"place\">原文第1页第"),
        "{findings}"
    );
    assert!(!findings.contains("source-line"));
    // Its tables are drawn (淮安市: 行政处罚 3985758).
    assert!(html.contains(">3985758</td>"));
}
