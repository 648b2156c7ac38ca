-- xxgk store, migration 0002 (SQLite; the PostgreSQL twin is migrations/postgres/0002_jobs.sql).
-- 1. A report whose year is unknown has year NULL (0 before). SQLite cannot drop a NOT NULL
--    constraint, so the table is rebuilt. The version of a re-upload is unique per agency and
--    year, an unknown year counting as one year of its own (COALESCE(year, 0)).
-- 2. The files of a background upload job (a ZIP or many files), one row each, with what
--    became of them; the job's agency (the one chosen, else the uploader's) for scoping.
CREATE TABLE reports_0002 (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    year           INTEGER,                                -- NULL: the report does not say
    version        INTEGER NOT NULL,
    file_id        INTEGER NOT NULL REFERENCES files (id),
    file_name      TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('processing', 'ready', 'unreadable')),
    unreadable_reason TEXT,
    extract_json   TEXT,
    findings_json  TEXT,
    error_count    INTEGER NOT NULL DEFAULT 0,
    warning_count  INTEGER NOT NULL DEFAULT 0,
    review_state   TEXT    NOT NULL DEFAULT 'submitted',
    uploaded_by    INTEGER REFERENCES users (id),
    uploaded_at    BIGINT  NOT NULL
);
INSERT INTO reports_0002 (id, agency_id, year, version, file_id, file_name, status,
    unreadable_reason, extract_json, findings_json, error_count, warning_count, review_state,
    uploaded_by, uploaded_at)
SELECT id, agency_id, NULLIF(year, 0), version, file_id, file_name, status, unreadable_reason,
    extract_json, findings_json, error_count, warning_count, review_state, uploaded_by,
    uploaded_at FROM reports;
DROP TABLE reports;
ALTER TABLE reports_0002 RENAME TO reports;
CREATE UNIQUE INDEX reports_version ON reports (agency_id, COALESCE(year, 0), version);
CREATE INDEX reports_year ON reports (year, agency_id);
CREATE INDEX reports_file ON reports (file_id);

ALTER TABLE jobs ADD COLUMN agency_id INTEGER REFERENCES agencies (id);
CREATE INDEX jobs_agency ON jobs (agency_id);

CREATE TABLE job_files (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    n           INTEGER NOT NULL,                          -- 1, 2, … in the upload's order
    name        TEXT    NOT NULL,                          -- as in the ZIP, folders included
    file_id     INTEGER REFERENCES files (id),             -- NULL: skipped, not kept
    status      TEXT    NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'read', 'unreadable', 'duplicate', 'needs-agency',
                                  'skipped')),
    reason      TEXT,                                      -- why (Chinese), when not read
    candidates  TEXT,                                      -- JSON [{code, name}] (needs-agency)
    report_id   INTEGER REFERENCES reports (id),
    UNIQUE (job_id, n)
);
CREATE INDEX job_files_todo ON job_files (job_id, status, n);
