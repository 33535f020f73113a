-- Latch schema on PostgreSQL, version 17: netplay's one-time write tokens and the SFU's rooms, which nodes sharing
-- this database keep here (SQLite V017 says why each exists). Integers are BIGINT, the record BYTEA.

CREATE TABLE netplay_write_tokens (
    issuer     TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used       BIGINT NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX netplay_write_tokens_by_expiry ON netplay_write_tokens(expires_at);

CREATE TABLE netplay_ledger (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    complete_since BIGINT NOT NULL
);

CREATE TABLE netplay_rooms (
    name       TEXT PRIMARY KEY,
    record     BYTEA NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX netplay_rooms_by_expiry ON netplay_rooms(expires_at);
