-- Asymmetric keys whose public halves are published (JWKS): netplay tokens, later federation and OpenID. Times in
-- milliseconds. A key is "next" until active_from, signs until a newer key is active, verifies until every token
-- it signed has expired, and is withdrawn at once when compromised. The private key is sealed with latch.key.
CREATE TABLE published_keys (
    id           INTEGER PRIMARY KEY,  -- insertion order: of two keys starting at the same moment, the later signs
    kid          TEXT NOT NULL UNIQUE,
    purpose      TEXT NOT NULL,
    algorithm    TEXT NOT NULL,
    public_key   BLOB NOT NULL,
    sealed       BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    active_from  INTEGER NOT NULL,
    withdrawn_at INTEGER
);
CREATE INDEX published_keys_purpose ON published_keys(purpose, active_from);
