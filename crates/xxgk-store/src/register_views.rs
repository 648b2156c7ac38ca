//! What the register's pages read (issue 11 item 7): a page of an agency's cases with a search,
//! the cases due soon, and the counts by status per agency — each scoped like every read of the
//! register (`register.rs`): a case outside the caller's scope is never returned, and a
//! supervisor's search looks at 编号 only (it must not find cases by an applicant's name that
//! it may not see).

use xxgk_register::{Day, Status};

use crate::register::{sees_names, stored_case, CASE_COLUMNS};
use crate::reports::scope;
use crate::{get, CaseFilter, Result, Store, StoredCase, User};

/// One page of cases and how many match in all.
#[derive(Debug, Clone, Default)]
pub struct CasePage {
    pub total: i64,
    pub cases: Vec<StoredCase>,
}

/// How many cases of an agency are in each status (cached as of the last recomputation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCounts {
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    /// In the order of [`Status::ALL`].
    pub counts: Vec<(Status, i64)>,
    pub total: i64,
}

/// Today's date in China (UTC+8) from the system clock: the day the register's clock runs on.
pub fn today() -> Day {
    let secs = crate::now().max(0);
    Day::from_days_since_epoch(((secs + 8 * 3600) / 86_400) as i32)
}

/// `text` as a LIKE pattern matching it anywhere (`\` escapes the wildcards).
fn like_anywhere(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// A page of the cases the caller may see (by received date, then 编号), filtered, with a
    /// search: staff and administrators search 编号, applicant and content; a supervisor 编号
    /// only. `limit` is capped at 500.
    pub async fn register_page(
        &self,
        caller: &User,
        filter: &CaseFilter,
        search: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<CasePage> {
        let (condition, value) = scope(caller, 1);
        let mut conditions = condition;
        let mut texts: Vec<String> = Vec::new();
        let mut n = 1;
        let mut agency = None;
        if let Some(id) = filter.agency_id {
            n += 1;
            conditions.push_str(&format!(" AND c.agency_id = ${n}"));
            agency = Some(id);
        }
        if let Some(y) = filter.year {
            conditions.push_str(&format!(
                " AND c.received >= ${} AND c.received <= ${}",
                n + 1,
                n + 2
            ));
            n += 2;
            texts.push(format!("{y:04}-01-01"));
            texts.push(format!("{y:04}-12-31"));
        }
        if let Some(s) = filter.status {
            n += 1;
            conditions.push_str(&format!(" AND c.status = ${n}"));
            texts.push(s.id().to_owned());
        }
        if let Some(q) = search.map(str::trim).filter(|q| !q.is_empty()) {
            n += 1;
            if sees_names(caller) {
                conditions.push_str(&format!(
                    " AND (c.number LIKE ${n} ESCAPE '\\' OR c.case_json LIKE ${n} ESCAPE '\\')"
                ));
            } else {
                conditions.push_str(&format!(" AND c.number LIKE ${n} ESCAPE '\\'"));
            }
            texts.push(like_anywhere(q));
        }
        let from = "FROM register_cases c JOIN agencies a ON a.id = c.agency_id";
        let count_sql = format!("SELECT COUNT(*) AS n {from} WHERE {conditions}");
        let page_sql = format!(
            "SELECT {CASE_COLUMNS} {from} WHERE {conditions} \
             ORDER BY c.received DESC, c.number DESC, c.id DESC LIMIT {} OFFSET {}",
            limit.clamp(1, 500),
            offset.max(0)
        );
        fn bind<'q>(
            sql: &'q str,
            value: &str,
            agency: Option<i64>,
            texts: &[String],
        ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
            let mut q = sqlx::query(sql).bind(value.to_owned());
            if let Some(id) = agency {
                q = q.bind(id);
            }
            for t in texts {
                q = q.bind(t.clone());
            }
            q
        }
        let count = bind(&count_sql, &value, agency, &texts)
            .fetch_one(&self.pool)
            .await?;
        let total: i64 = get(&count, "n")?;
        let rows = bind(&page_sql, &value, agency, &texts)
            .fetch_all(&self.pool)
            .await?;
        let anonymise = !sees_names(caller);
        let cases = rows
            .iter()
            .map(|r| stored_case(r, anonymise))
            .collect::<Result<Vec<_>>>()?;
        Ok(CasePage { total, cases })
    }

    /// The cases of an agency with these 编号 that the caller may see, in the order of
    /// `numbers` (an unknown or invisible one is left out): the cases behind a derived cell.
    pub async fn register_cases_numbered(
        &self,
        caller: &User,
        agency_id: i64,
        numbers: &[String],
    ) -> Result<Vec<StoredCase>> {
        let anonymise = !sees_names(caller);
        let mut found: std::collections::HashMap<String, StoredCase> =
            std::collections::HashMap::new();
        for chunk in numbers.chunks(200) {
            let (condition, value) = scope(caller, 2);
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
            let sql = format!(
                "SELECT {CASE_COLUMNS} FROM register_cases c JOIN agencies a ON a.id = c.agency_id \
                 WHERE c.agency_id = $1 AND {condition} AND c.number IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(agency_id).bind(value);
            for n in chunk {
                q = q.bind(n.as_str());
            }
            for row in q.fetch_all(&self.pool).await? {
                let c = stored_case(&row, anonymise)?;
                found.insert(c.number.clone(), c);
            }
        }
        Ok(numbers.iter().filter_map(|n| found.remove(n)).collect())
    }

    /// The open cases the caller may see whose due date is on or before `until` (overdue ones
    /// included), by due date then 编号; at most `limit` (capped at 500).
    pub async fn register_due(
        &self,
        caller: &User,
        until: Day,
        limit: i64,
    ) -> Result<Vec<StoredCase>> {
        let (condition, value) = scope(caller, 1);
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLUMNS} FROM register_cases c JOIN agencies a ON a.id = c.agency_id \
             WHERE {condition} AND c.answered IS NULL AND c.due IS NOT NULL AND c.due <= $2 \
             ORDER BY c.due, c.number, c.id LIMIT {}",
            limit.clamp(1, 500)
        ))
        .bind(value)
        .bind(until.to_string())
        .fetch_all(&self.pool)
        .await?;
        let anonymise = !sees_names(caller);
        rows.iter().map(|r| stored_case(r, anonymise)).collect()
    }

    /// For each agency the caller may see that has cases: how many are in each status (of the
    /// cases received in `year`, or all).
    pub async fn register_counts(
        &self,
        caller: &User,
        year: Option<i32>,
    ) -> Result<Vec<StatusCounts>> {
        let (condition, value) = scope(caller, 1);
        let years = if year.is_some() {
            " AND c.received >= $2 AND c.received <= $3"
        } else {
            ""
        };
        let sql = format!(
            "SELECT a.id AS agency_id, a.code AS agency_code, a.name AS agency_name, \
             c.status AS status, COUNT(*) AS n \
             FROM register_cases c JOIN agencies a ON a.id = c.agency_id \
             WHERE {condition}{years} GROUP BY a.id, a.code, a.name, a.path, c.status \
             ORDER BY a.path, a.id"
        );
        let mut q = sqlx::query(&sql).bind(value);
        if let Some(y) = year {
            q = q
                .bind(format!("{y:04}-01-01"))
                .bind(format!("{y:04}-12-31"));
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out: Vec<StatusCounts> = Vec::new();
        for row in &rows {
            let id: i64 = get(row, "agency_id")?;
            if out.last().is_none_or(|c| c.agency_id != id) {
                out.push(StatusCounts {
                    agency_id: id,
                    agency_code: get(row, "agency_code")?,
                    agency_name: get(row, "agency_name")?,
                    counts: Status::ALL.iter().map(|s| (*s, 0)).collect(),
                    total: 0,
                });
            }
            let status: String = get(row, "status")?;
            let n: i64 = get(row, "n")?;
            if let Some(entry) = out.last_mut() {
                if let Some(slot) = entry.counts.iter_mut().find(|(s, _)| s.id() == status) {
                    slot.1 += n;
                }
                entry.total += n;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::like_anywhere;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_anywhere("2025-001"), "%2025-001%");
        assert_eq!(like_anywhere("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
