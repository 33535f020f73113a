-- Latch schema, version 12: sign-in through an external OpenID provider. Times are Unix epoch seconds (UTC).

-- Who a provider's account is here: one (issuer, subject) is one person, whatever its email says (OIDC Core 5.7).
CREATE TABLE oidc_identities (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an audit entry names one identity for good
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    issuer       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    email        TEXT,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX oidc_identities_by_user ON oidc_identities(user_id);

-- Sign-ins under way: taken once by the callback (DELETE ... RETURNING). Holds nothing secret: the state is stored
-- as a digest, and the PKCE challenge is what the browser's cookie (the verifier) must hash to.
CREATE TABLE oidc_sign_ins (
    state_digest TEXT PRIMARY KEY,
    challenge    TEXT NOT NULL,
    nonce        TEXT NOT NULL,
    return_to    TEXT NOT NULL,
    link_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX oidc_sign_ins_by_expiry ON oidc_sign_ins(expires_at);

-- The ID token a session was opened with, sealed, kept only for RP-initiated logout (id_token_hint).
CREATE TABLE oidc_session_tokens (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    id_token   BLOB NOT NULL
);
