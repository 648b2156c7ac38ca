-- xxgk store, initial schema (SQLite). The PostgreSQL twin is migrations/postgres/0001_initial.sql:
-- the same tables, columns and meanings; only identity columns, BYTEA and the trigger syntax
-- differ. Times are Unix seconds (UTC) in BIGINT columns; flags are nullable times
-- (disabled_at, revoked_at) so that both backends read them as integers.

-- The agency tree: province → city → county → township, and the departments of each government.
-- `path` is the chain of ids from the root, '/1/5/9/', so a subtree is `path LIKE '/1/5/%'`.
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    parent_id   INTEGER REFERENCES agencies (id),
    kind        TEXT    NOT NULL DEFAULT 'other'
                CHECK (kind IN ('government', 'department', 'other')),
    path        TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX agencies_parent ON agencies (parent_id);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    password_hash       TEXT    NOT NULL,                  -- argon2id, PHC string
    role                TEXT    NOT NULL CHECK (role IN ('admin', 'supervisor', 'staff')),
    agency_id           INTEGER REFERENCES agencies (id),
    disabled_at         BIGINT,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        BIGINT,
    password_changed_at BIGINT  NOT NULL,
    created_at          BIGINT  NOT NULL,
    CHECK (role = 'admin' OR agency_id IS NOT NULL)
);

-- API tokens: only the sha256 of the token is kept; `prefix` (the token's first characters,
-- printed with it) names a token in listings and in `xxgk token revoke`.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    prefix        TEXT    NOT NULL UNIQUE,
    token_sha256  TEXT    NOT NULL UNIQUE,
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Original files, once per content: the same bytes uploaded twice are one row.
CREATE TABLE files (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT    NOT NULL UNIQUE,
    size           BIGINT  NOT NULL,
    name           TEXT    NOT NULL,                       -- the name at its first upload
    content        BLOB,                                   -- NULL when kept outside
    external_path  TEXT,                                   -- object store key or path
    created_at     BIGINT  NOT NULL,
    CHECK (content IS NOT NULL OR external_path IS NOT NULL)
);

-- Report versions: a re-upload of the same agency and year is a new version; old ones stay.
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    year           INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    file_id        INTEGER NOT NULL REFERENCES files (id),
    file_name      TEXT    NOT NULL,                       -- the name of this upload
    status         TEXT    NOT NULL CHECK (status IN ('processing', 'ready', 'unreadable')),
    unreadable_reason TEXT,
    extract_json   TEXT,                                   -- what `xxgk extract` prints
    findings_json  TEXT,                                   -- the findings of `xxgk check`
    error_count    INTEGER NOT NULL DEFAULT 0,
    warning_count  INTEGER NOT NULL DEFAULT 0,
    review_state   TEXT    NOT NULL DEFAULT 'submitted',   -- later: review, returned, accepted
    uploaded_by    INTEGER REFERENCES users (id),          -- NULL: the command line
    uploaded_at    BIGINT  NOT NULL,
    UNIQUE (agency_id, year, version)
);
CREATE INDEX reports_year ON reports (year, agency_id);
CREATE INDEX reports_file ON reports (file_id);

-- Append-only: every change, who, when, what, and the hashes of the object before and after.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             BIGINT  NOT NULL,
    actor_id       INTEGER REFERENCES users (id),          -- NULL: the command line
    actor          TEXT    NOT NULL,
    action         TEXT    NOT NULL,                       -- agency.create, report.upload, …
    object_type    TEXT    NOT NULL,
    object_id      BIGINT,
    detail         TEXT,                                   -- JSON
    before_sha256  TEXT,
    after_sha256   TEXT
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Web sessions (for `xxgk serve`; the server keeps no state of its own).
CREATE TABLE sessions (
    id_sha256     TEXT    PRIMARY KEY,                     -- sha256 of the cookie value
    user_id       INTEGER NOT NULL REFERENCES users (id),
    csrf_token    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Background jobs (batch uploads), claimed by one server process at a time.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    payload         TEXT    NOT NULL DEFAULT '{}',
    progress_done   BIGINT  NOT NULL DEFAULT 0,
    progress_total  BIGINT  NOT NULL DEFAULT 0,
    result          TEXT,
    created_by      INTEGER REFERENCES users (id),
    created_at      BIGINT  NOT NULL,
    claimed_by      TEXT,
    claimed_at      BIGINT,
    heartbeat_at    BIGINT,
    finished_at     BIGINT
);
CREATE INDEX jobs_state ON jobs (state, id);
