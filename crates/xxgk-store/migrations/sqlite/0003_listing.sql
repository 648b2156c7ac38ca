-- xxgk store, migration 0003 (SQLite; the PostgreSQL twin is migrations/postgres/0003_listing.sql):
-- what the report list filters and sorts on, kept in columns and a table filled when a report is
-- stored (Store::add_report, Store::set_report_result), and the failed logins that rate-limit the
-- login per client address and per name.

-- The format the reader found: '2021', '2019', 'pre-2019'; NULL when nothing was read.
ALTER TABLE reports ADD COLUMN format TEXT;
-- 1 for the newest version of its agency and year, 0 for the older ones.
ALTER TABLE reports ADD COLUMN is_latest INTEGER NOT NULL DEFAULT 1;

UPDATE reports SET format = json_extract(extract_json, '$.format')
WHERE extract_json IS NOT NULL AND json_valid(extract_json);
UPDATE reports SET is_latest = CASE WHEN version = (SELECT MAX(r2.version) FROM reports r2
    WHERE r2.agency_id = reports.agency_id AND r2.year = reports.year) THEN 1 ELSE 0 END;

-- The rules a report has findings of (once per rule), for the list's rule filter.
CREATE TABLE report_rules (
    report_id  INTEGER NOT NULL REFERENCES reports (id),
    rule       TEXT    NOT NULL,
    PRIMARY KEY (report_id, rule)
);
CREATE INDEX report_rules_rule ON report_rules (rule, report_id);

INSERT OR IGNORE INTO report_rules (report_id, rule)
SELECT r.id, json_extract(f.value, '$.rule')
FROM reports r, json_each(r.findings_json) f
WHERE r.findings_json IS NOT NULL AND json_valid(r.findings_json)
  AND json_extract(f.value, '$.rule') IS NOT NULL;

CREATE INDEX reports_latest_year ON reports (is_latest, year, agency_id);
CREATE INDEX reports_agency_year ON reports (agency_id, year);
CREATE INDEX reports_uploaded ON reports (uploaded_at);
CREATE INDEX reports_errors ON reports (error_count);
CREATE INDEX reports_latest_format ON reports (is_latest, format);
CREATE INDEX reports_latest_status ON reports (is_latest, status);
CREATE INDEX reports_latest_errors ON reports (is_latest, error_count);

-- Failed logins (the server keeps no state: several processes share this table).
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    at       BIGINT  NOT NULL,
    address  TEXT    NOT NULL,
    name     TEXT    NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX login_failures_name ON login_failures (name, at);
