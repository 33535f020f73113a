-- Latch schema, version 2: accounts. Session kinds (browser sign-ins and OAuth grants), rotating refresh
-- tokens, invitations, per-account sign-in failures and the audit log.

ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'browser';
ALTER TABLE sessions ADD COLUMN scope TEXT;
CREATE INDEX sessions_live_by_user ON sessions(user_id, ended_at, expires_at);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);

CREATE TABLE invites (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    max_uses    INTEGER NOT NULL,
    uses        INTEGER NOT NULL DEFAULT 0,
    revoked_at  INTEGER
);

CREATE TABLE login_failures (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    banned_until INTEGER
);

CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    type         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    actor_id     INTEGER,
    actor_name   TEXT,
    subject_id   INTEGER,
    subject_name TEXT,
    ip           TEXT,
    user_agent   TEXT,
    detail       TEXT
);
CREATE INDEX audit_by_subject ON audit_events(subject_id, id);
CREATE INDEX audit_by_type ON audit_events(type, id);
CREATE INDEX audit_by_time ON audit_events(at);

CREATE INDEX users_by_role ON users(role, enabled);
