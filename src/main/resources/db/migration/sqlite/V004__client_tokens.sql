-- Latch schema, version 4: long-lived client API tokens, short pairing codes that hand a token to a device,
-- and RFC 8628 device authorizations. Secrets and codes are stored as SHA-256 only.

CREATE TABLE client_tokens (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    networks     TEXT,
    device       TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX client_tokens_by_user ON client_tokens(user_id, revoked_at);

CREATE TABLE pairing_codes (
    code_hash  TEXT PRIMARY KEY,
    token_id   TEXT NOT NULL REFERENCES client_tokens(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE TABLE device_authorizations (
    device_code_hash TEXT PRIMARY KEY,
    user_code        TEXT NOT NULL UNIQUE,
    client_name      TEXT NOT NULL,
    scopes           TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'delivered')),
    user_id          INTEGER REFERENCES users(id) ON DELETE CASCADE,
    token_name       TEXT,
    token_scopes     TEXT,
    token_expires_in INTEGER,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    interval_seconds INTEGER NOT NULL,
    last_poll_at     INTEGER
);
