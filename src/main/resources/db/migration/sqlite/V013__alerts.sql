-- Latch schema, version 13: anomaly alerts for the admin, and the networks each user has signed in from.
-- Times are Unix epoch seconds (UTC).

-- One row per open anomaly: the same one raised again (same fingerprint) counts up and moves last_seen instead of
-- adding a row; once acknowledged, the next occurrence opens a new row.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,   -- kind, user, source and detail: what "identical" means
    user_id         INTEGER,         -- no foreign key: the alert outlives a deleted account
    username        TEXT,
    source          TEXT,            -- the client address or network, or the issuer a token named
    detail          TEXT NOT NULL,
    count           INTEGER NOT NULL DEFAULT 1,
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    acknowledged_at INTEGER,
    acknowledged_by TEXT
);
CREATE UNIQUE INDEX alerts_open_by_fingerprint ON alerts(fingerprint) WHERE acknowledged_at IS NULL;
CREATE INDEX alerts_by_state ON alerts(acknowledged_at IS NULL, last_seen);

-- The networks (IPv4 /24, IPv6 /64) a user has signed in from: a sign-in from another one raises an alert.
-- after_others: 1 when the user had signed in from elsewhere before this network was first seen.
CREATE TABLE user_networks (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    network     TEXT NOT NULL,
    first_seen  INTEGER NOT NULL,
    after_others INTEGER NOT NULL,
    PRIMARY KEY (user_id, network)
) WITHOUT ROWID;
