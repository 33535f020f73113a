-- Latch schema, version 10: the issuer registry. Other Latch instances (or any issuer of netplay tokens) whose tokens
-- this one accepts, each with the only URL its keys are fetched from and the algorithms its keys may use. Times in
-- epoch milliseconds. algorithms is a space-separated list (e.g. "RS256 ES256"), checked by Latch before it is written.
CREATE TABLE trusted_issuers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an audit entry names one issuer for good
    issuer      TEXT NOT NULL UNIQUE,               -- compared exactly, as RFC 7519 compares iss
    jwks_url    TEXT NOT NULL,
    algorithms  TEXT NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 1,
    list_rooms  INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
