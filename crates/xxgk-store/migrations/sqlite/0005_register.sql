-- The request register (issue 11), SQLite. The PostgreSQL twin is
-- migrations/postgres/0005_register.sql. Dates are 'YYYY-MM-DD' text (they sort as dates).

-- One application (依申请公开) and its events: `case_json` is the xxgk_register::Case as JSON;
-- the columns beside it are what lists and tables 三/四 read, copied from it at every write. `status` and
-- `due` are cached as of `status_on` and recomputed (Store::recompute_register) when the
-- calendar data or the day changes.
CREATE TABLE register_cases (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    number          TEXT    NOT NULL,                      -- 编号, as the office gives it
    applicant_type  TEXT    NOT NULL,                      -- column id of table 三
    received        TEXT    NOT NULL,
    answered        TEXT,                                  -- the closing date (answer, withdrawal)
    outcome         TEXT,                                  -- row id of table 三 (2021)
    status          TEXT    NOT NULL,                      -- xxgk_register::Status id
    due             TEXT,
    status_on       TEXT    NOT NULL,
    excluded        TEXT,                                  -- why not counted (invalid sequence)
    case_json       TEXT    NOT NULL,
    case_sha256     TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (agency_id, number)
);
-- Covering the columns tables 三/四 read (Store::register_tables reads this index only, not the
-- rows with their JSON).
CREATE INDEX register_cases_year ON register_cases
    (agency_id, received, answered, applicant_type, outcome, excluded, number);
CREATE INDEX register_cases_status ON register_cases (status);

-- 行政复议 / 行政诉讼 cases about the agency's information disclosure (table 四).
CREATE TABLE register_appeals (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    number          TEXT    NOT NULL,
    kind            TEXT    NOT NULL
                    CHECK (kind IN ('review', 'litigation_direct', 'litigation_after_review')),
    filed           TEXT    NOT NULL,
    concluded       TEXT,
    result          TEXT    CHECK (result IN ('upheld', 'corrected', 'other')),
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (agency_id, number),
    CHECK ((concluded IS NULL) = (result IS NULL))
);
