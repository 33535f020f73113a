-- Latch schema, version 15: the app launcher. The apps the operator lists on everyone's home page, each shown to
-- those who hold its required scope (to everyone signed in when it names none). An app's icon is either one of the
-- built-in symbols (symbol) or an image uploaded to Latch (icon_type, icon_data, icon_hash), never both, never a
-- remote address: the browser fetches icons from Latch only. Times in epoch milliseconds.
CREATE TABLE apps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an audit entry names one app for good
    name            TEXT NOT NULL,
    url             TEXT NOT NULL,                      -- absolute http(s), checked by Latch before it is written
    symbol          TEXT,
    icon_type       TEXT,                               -- the type read from the image's own first bytes
    icon_data       BLOB,
    icon_hash       TEXT,                               -- the image's ETag
    required_scope  TEXT,
    position        INTEGER NOT NULL,                   -- the launcher's order, smallest first
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK ((symbol IS NULL) <> (icon_data IS NULL)),
    CHECK ((icon_data IS NULL) = (icon_type IS NULL) AND (icon_data IS NULL) = (icon_hash IS NULL))
);
CREATE INDEX apps_by_position ON apps(position, id);
