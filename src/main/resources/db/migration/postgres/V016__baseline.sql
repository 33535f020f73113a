-- Latch schema on PostgreSQL, recorded as version 16: the SQLite schema after its migrations V001..V016, made in one
-- step (a PostgreSQL database starts at this version). The same tables, columns, indexes and constraints under the
-- same names, so a store's statement means the same on both; the comments of the SQLite migrations say why each
-- exists, these say only what PostgreSQL needs done differently.
--
-- Types: integers are BIGINT (times are epoch seconds or milliseconds); flags stay 0/1 integers; BLOB is BYTEA.
-- Names SQLite compares under NOCASE (username, email) are CITEXT, so =, <, ORDER BY, LIKE and UNIQUE stay
-- case-insensitive without changing a query. CITEXT folds case only against CITEXT or an untyped value: a string
-- bound as varchar (pgjdbc's default) turns username = ? into a case-sensitive text comparison, so strings must be
-- bound untyped (pgjdbc stringtype=unspecified).
--
-- Splitting: statements end with ';' at the end of a line. A function body ($$ ... $$) has no line ending with ';'
-- (its statements end mid-line and its END shares the last statement's line), so a body is never cut; the line
-- '$$;' ends the CREATE FUNCTION. A PostgreSQL CREATE TRIGGER has no BEGIN ... END: it ends at its own ';'.

-- Both are trusted extensions (PostgreSQL 13+): the database's owner may create them.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- No identity: the id comes from the high-water mark (id_high_water below), as on SQLite.
CREATE TABLE users (
    id               BIGINT PRIMARY KEY,
    username         CITEXT NOT NULL UNIQUE,
    password_hash    TEXT,
    role             TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    enabled          BIGINT NOT NULL DEFAULT 1,
    display_name     TEXT,
    email            CITEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    revision         BIGINT NOT NULL DEFAULT 0,
    netplay_username TEXT,
    netplay_key      TEXT
);
CREATE INDEX users_by_role ON users(role, enabled);
-- Usernames are ASCII, where PostgreSQL's lower() agrees with SQLite's.
CREATE UNIQUE INDEX users_netplay_name ON users(coalesce(netplay_key, lower(username)));
-- CITEXT's own ordering makes this the case-insensitive index SQLite builds with COLLATE NOCASE.
CREATE INDEX users_by_email ON users(email) WHERE email IS NOT NULL;

-- User search (SQLite: the FTS5 trigram table users_search and its triggers). "Contains" is
-- CAST(col AS TEXT) ILIKE '%term%' here: the cast picks the text operator these indexes serve (CITEXT's own ILIKE
-- is not indexed). PostgreSQL keeps the indexes in step with users itself.
CREATE INDEX users_username_trgm ON users USING gin (username gin_trgm_ops);
CREATE INDEX users_display_name_trgm ON users USING gin (display_name gin_trgm_ops);
CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops);

-- A deleted user's id never names a new account (SQLite V005). The store inserts
-- (SELECT value + 1 FROM id_high_water WHERE name = 'users'), read before it can wait for another sign-up's lock:
-- under READ COMMITTED two sign-ups at once would read the same mark and one would fail on the primary key. So the
-- trigger takes the next id under the mark's row lock: an id above the mark is kept (and raises it, as on SQLite);
-- one at or below it (a stale read, or an id given out before) becomes mark + 1; an insert without an id gets one.
-- (A sign-up refused for a taken name still uses up a number: ids have gaps, never repeats.)
-- Copying users in with their ids therefore goes in ascending id order, before the mark is copied.
CREATE TABLE id_high_water (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO id_high_water(name, value) VALUES ('users', 0);

CREATE FUNCTION users_id_high_water() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    UPDATE id_high_water SET value = GREATEST(value + 1, NEW.id) WHERE name = 'users'
        RETURNING value INTO NEW.id; RETURN NEW; END
$$;
CREATE TRIGGER users_id_high_water BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_id_high_water();

-- A number that changes with every change to a user's row (SQLite V007). Set before the write instead of by a
-- second UPDATE after it: the same row results.
CREATE FUNCTION users_revision() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    NEW.revision := OLD.revision + 1; RETURN NEW; END
$$;
CREATE TRIGGER users_revision BEFORE UPDATE ON users FOR EACH ROW WHEN (NEW.revision = OLD.revision)
    EXECUTE FUNCTION users_revision();

-- Whether the instance has been claimed, and how many enabled admins it has (SQLite V007): triggers keep the count
-- and the CHECK refuses any statement that would leave a claimed instance without one. It holds under READ
-- COMMITTED too: every change to the count updates this one row, so a second transaction demoting, disabling or
-- deleting an admin waits for the first's row lock, then re-reads the row as the first committed it and sees its
-- decrement; of the last two admins demoted at once, the second change fails the CHECK.
CREATE TABLE instance_state (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    claimed_at     BIGINT,
    enabled_admins BIGINT NOT NULL,
    CONSTRAINT last_admin CHECK (enabled_admins > 0 OR claimed_at IS NULL)
);
INSERT INTO instance_state(id, claimed_at, enabled_admins) VALUES (1, NULL, 0);

-- OLD is NULL for an insert and NEW for a delete, so each side counts only where it exists.
CREATE FUNCTION enabled_admins_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    UPDATE instance_state SET enabled_admins = enabled_admins
        + CASE WHEN TG_OP <> 'DELETE' AND NEW.role = 'admin' AND NEW.enabled = 1 THEN 1 ELSE 0 END
        - CASE WHEN TG_OP <> 'INSERT' AND OLD.role = 'admin' AND OLD.enabled = 1 THEN 1 ELSE 0 END
        WHERE id = 1; RETURN NULL; END
$$;
CREATE TRIGGER enabled_admins_insert AFTER INSERT ON users FOR EACH ROW
    WHEN (NEW.role = 'admin' AND NEW.enabled = 1) EXECUTE FUNCTION enabled_admins_count();
CREATE TRIGGER enabled_admins_delete AFTER DELETE ON users FOR EACH ROW
    WHEN (OLD.role = 'admin' AND OLD.enabled = 1) EXECUTE FUNCTION enabled_admins_count();
-- Only a change that moves the count touches the row: an ordinary profile edit (the store sets role and enabled on
-- every update) does not queue behind every other one for the counter's lock.
CREATE TRIGGER enabled_admins_update AFTER UPDATE OF role, enabled ON users FOR EACH ROW
    WHEN ((NEW.role = 'admin' AND NEW.enabled = 1) <> (OLD.role = 'admin' AND OLD.enabled = 1))
    EXECUTE FUNCTION enabled_admins_count();

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ended_at     BIGINT,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'browser',
    scope        TEXT,
    -- SQLite's rowid: breaks ties between rows of the same second in lists shown newest first.
    seq          BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX sessions_by_user ON sessions(user_id, created_at);
CREATE INDEX sessions_live_by_user ON sessions(user_id, ended_at, expires_at);

CREATE TABLE revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);

CREATE TABLE invites (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    max_uses    BIGINT NOT NULL,
    uses        BIGINT NOT NULL DEFAULT 0,
    revoked_at  BIGINT,
    name        TEXT,
    -- SQLite's rowid: breaks ties between rows of the same second in lists shown newest first.
    seq         BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE login_failures (
    user_id      BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    failures     BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    banned_until BIGINT
);

-- Inserted without an id. An identity never hands out a number twice (SQLite reuses the newest row's id after a
-- delete here, which the purge, deleting the oldest first, never meets).
CREATE TABLE audit_events (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at           BIGINT NOT NULL,
    type         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    actor_id     BIGINT,
    actor_name   TEXT,
    subject_id   BIGINT,
    subject_name TEXT,
    ip           TEXT,
    user_agent   TEXT,
    detail       TEXT
);
CREATE INDEX audit_by_subject ON audit_events(subject_id, id);
CREATE INDEX audit_by_type ON audit_events(type, id);
CREATE INDEX audit_by_time ON audit_events(at);
CREATE INDEX audit_by_actor ON audit_events(actor_id, id);

CREATE TABLE client_tokens (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    networks     TEXT,
    device       TEXT,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT,
    -- SQLite's rowid: breaks ties between rows of the same second in lists shown newest first.
    seq          BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX client_tokens_by_user ON client_tokens(user_id, revoked_at);

CREATE TABLE pairing_codes (
    code_hash  TEXT PRIMARY KEY,
    token_id   TEXT NOT NULL REFERENCES client_tokens(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE device_authorizations (
    device_code_hash TEXT PRIMARY KEY,
    user_code_hash   TEXT NOT NULL UNIQUE,
    client_name      TEXT NOT NULL,
    scopes           TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'delivered')),
    user_id          BIGINT REFERENCES users(id) ON DELETE CASCADE,
    token_name       TEXT,
    token_scopes     TEXT,
    token_expires_in BIGINT,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    interval_seconds BIGINT NOT NULL,
    last_poll_at     BIGINT,
    polled_too_soon  BIGINT NOT NULL DEFAULT 0
);

-- The change feed (SQLite V007).
CREATE TABLE change_log (
    seq     BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at      BIGINT NOT NULL,
    origin  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    subject TEXT,
    until   BIGINT,
    detail  TEXT
);
CREATE INDEX change_log_by_time ON change_log(at);
CREATE TABLE change_log_state (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    pruned_through BIGINT NOT NULL
);
INSERT INTO change_log_state(id, pruned_through) VALUES (1, 0);

CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    algorithm  TEXT NOT NULL,
    sealed     BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    retires_at BIGINT
);
CREATE UNIQUE INDEX signing_keys_current ON signing_keys(purpose) WHERE retires_at IS NULL;

CREATE TABLE sealed_secrets (
    name       TEXT PRIMARY KEY,
    sealed     BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- Inserted without an id; the id is the insertion order (of two keys starting at the same moment, the later signs).
CREATE TABLE published_keys (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kid          TEXT NOT NULL UNIQUE,
    purpose      TEXT NOT NULL,
    algorithm    TEXT NOT NULL,
    public_key   BYTEA NOT NULL,
    sealed       BYTEA NOT NULL,
    created_at   BIGINT NOT NULL,
    active_from  BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX published_keys_purpose ON published_keys(purpose, active_from);

CREATE TABLE trusted_issuers (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,  -- never reused: an audit entry names one issuer for good
    issuer      TEXT NOT NULL UNIQUE,                                 -- compared exactly, as RFC 7519 compares iss
    jwks_url    TEXT NOT NULL,
    algorithms  TEXT NOT NULL,
    enabled     BIGINT NOT NULL DEFAULT 1,
    list_rooms  BIGINT NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE one_time_links (
    digest      TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('login', 'reset')),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX one_time_links_by_user ON one_time_links(user_id, purpose) WHERE used_at IS NULL;
CREATE INDEX one_time_links_by_expiry ON one_time_links(expires_at);

CREATE TABLE oidc_identities (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,  -- never reused: an audit entry names one identity for good
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    issuer       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    email        TEXT,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX oidc_identities_by_user ON oidc_identities(user_id);

CREATE TABLE oidc_sign_ins (
    state_digest TEXT PRIMARY KEY,
    challenge    TEXT NOT NULL,
    nonce        TEXT NOT NULL,
    return_to    TEXT NOT NULL,
    link_user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX oidc_sign_ins_by_expiry ON oidc_sign_ins(expires_at);

CREATE TABLE oidc_session_tokens (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    id_token   BYTEA NOT NULL
);

CREATE TABLE alerts (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,   -- kind, user, source and detail: what "identical" means
    user_id         BIGINT,          -- no foreign key: the alert outlives a deleted account
    username        TEXT,
    source          TEXT,            -- the client address or network, or the issuer a token named
    detail          TEXT NOT NULL,
    count           BIGINT NOT NULL DEFAULT 1,
    first_seen      BIGINT NOT NULL,
    last_seen       BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by TEXT
);
CREATE UNIQUE INDEX alerts_open_by_fingerprint ON alerts(fingerprint) WHERE acknowledged_at IS NULL;
CREATE INDEX alerts_by_state ON alerts((acknowledged_at IS NULL), last_seen);

CREATE TABLE user_networks (
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    network      TEXT NOT NULL,
    first_seen   BIGINT NOT NULL,
    after_others BIGINT NOT NULL,
    PRIMARY KEY (user_id, network)
);

CREATE TABLE apps (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,  -- never reused: an audit entry names one app for good
    name            TEXT NOT NULL,
    url             TEXT NOT NULL,                      -- absolute http(s), checked by Latch before it is written
    symbol          TEXT,
    icon_type       TEXT,                               -- the type read from the image's own first bytes
    icon_data       BYTEA,
    icon_hash       TEXT,                               -- the image's ETag
    required_scope  TEXT,
    position        BIGINT NOT NULL,                    -- the launcher's order, smallest first
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CHECK ((symbol IS NULL) <> (icon_data IS NULL)),
    CHECK ((icon_data IS NULL) = (icon_type IS NULL) AND (icon_data IS NULL) = (icon_hash IS NULL))
);
CREATE INDEX apps_by_position ON apps(position, id);
