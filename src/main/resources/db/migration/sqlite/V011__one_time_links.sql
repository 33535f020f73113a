-- Latch schema, version 11: one-time links that sign someone in (from the admin command line) or let them choose a
-- new password (from an admin or by mail). Only the SHA-256 of a link's secret is kept, so a copy of the database
-- opens no account. Times in epoch seconds. A link is spent by setting used_at; a newer reset link sets it on the
-- older ones of the same user.
CREATE TABLE one_time_links (
    digest      TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('login', 'reset')),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX one_time_links_by_user ON one_time_links(user_id, purpose) WHERE used_at IS NULL;
CREATE INDEX one_time_links_by_expiry ON one_time_links(expires_at);

-- Self-service reset finds an account by its email address too, case-insensitively, without scanning every user.
CREATE INDEX users_by_email ON users(email COLLATE NOCASE) WHERE email IS NOT NULL;
