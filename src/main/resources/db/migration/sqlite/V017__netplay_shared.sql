-- Latch schema, version 17: netplay's one-time write tokens and the SFU's rooms, for nodes that share a database.
-- One box keeps both in memory (fastest) and leaves these tables empty; nodes on one PostgreSQL server keep them
-- here, so a token minted on one node is used up on whichever node the SFU asks, and every node sees every room.

-- A write token is named by its issuer and jti: minted here (used 0 until its one use) or minted elsewhere (a
-- trusted instance, the ROM manager's old secret: recorded as used on its first use). Kept until a minute past
-- expires_at (epoch seconds), longer than any clock skew a verify allows, then swept.
CREATE TABLE netplay_write_tokens (
    issuer     TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX netplay_write_tokens_by_expiry ON netplay_write_tokens(expires_at);

-- Since when (epoch milliseconds) the table has seen every use of a foreign token: set once, by the first node that
-- starts with it. A foreign token issued before may have been used where no node kept it (in memory): refused.
CREATE TABLE netplay_ledger (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    complete_since INTEGER NOT NULL
);

-- The rooms the SFU nodes announce: the record as stored (opaque UTF-8 JSON), alive until expires_at (epoch
-- milliseconds, a room's lifetime after its last upsert). The cap counts rows, expired ones until swept.
CREATE TABLE netplay_rooms (
    name       TEXT PRIMARY KEY,
    record     BLOB NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX netplay_rooms_by_expiry ON netplay_rooms(expires_at);
