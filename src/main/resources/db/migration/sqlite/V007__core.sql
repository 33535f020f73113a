-- Latch schema, version 7: the change feed, invariants the database keeps itself, sealed keys, hashed device
-- user codes and a revision per user.

-- The outside-change counter (V006) is replaced by the change feed: every change that caches in any process
-- must learn of, written in the same transaction as the change, in commit order, and polled by every process.
DROP TABLE outside_changes;
CREATE TABLE change_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    origin  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    subject TEXT,
    until   INTEGER,
    detail  TEXT
);
CREATE INDEX change_log_by_time ON change_log(at);
-- The highest seq pruned so far: a process that had not read that far must forget all it caches.
CREATE TABLE change_log_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through INTEGER NOT NULL
);
INSERT INTO change_log_state(id, pruned_through) VALUES (1, 0);

-- Whether the instance has been claimed (first admin), and how many enabled admins it has. Triggers keep the
-- count; the CHECK refuses any statement that would leave a claimed instance without one, on any database,
-- because every change of an admin's role or state updates this one row.
CREATE TABLE instance_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    claimed_at     INTEGER,
    enabled_admins INTEGER NOT NULL,
    CONSTRAINT last_admin CHECK (enabled_admins > 0 OR claimed_at IS NULL)
);
INSERT INTO instance_state(id, claimed_at, enabled_admins) VALUES (1,
    CASE WHEN EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND enabled = 1) THEN CAST(strftime('%s', 'now') AS INTEGER) END,
    (SELECT COUNT(*) FROM users WHERE role = 'admin' AND enabled = 1));

CREATE TRIGGER enabled_admins_insert AFTER INSERT ON users WHEN NEW.role = 'admin' AND NEW.enabled = 1 BEGIN
  UPDATE instance_state SET enabled_admins = enabled_admins + 1 WHERE id = 1;
END;

CREATE TRIGGER enabled_admins_delete AFTER DELETE ON users WHEN OLD.role = 'admin' AND OLD.enabled = 1 BEGIN
  UPDATE instance_state SET enabled_admins = enabled_admins - 1 WHERE id = 1;
END;

CREATE TRIGGER enabled_admins_update AFTER UPDATE OF role, enabled ON users BEGIN
  UPDATE instance_state SET enabled_admins = enabled_admins
      + (CASE WHEN NEW.role = 'admin' AND NEW.enabled = 1 THEN 1 ELSE 0 END)
      - (CASE WHEN OLD.role = 'admin' AND OLD.enabled = 1 THEN 1 ELSE 0 END) WHERE id = 1;
END;

-- A number that changes with every change to a user's row, so answers cached per identity are keyed by it and a
-- column added later can never be served stale. The trigger covers any UPDATE that forgets to bump it.
ALTER TABLE users ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER users_revision AFTER UPDATE ON users WHEN NEW.revision = OLD.revision BEGIN
  UPDATE users SET revision = OLD.revision + 1 WHERE id = NEW.id;
END;

-- Signing keys, one current per purpose, older ones kept until the tokens they signed have expired. The key
-- material is sealed (AES-GCM) with a key kept outside this file, so a copy of latch.db alone cannot forge a token.
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    algorithm  TEXT NOT NULL,
    sealed     BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    retires_at INTEGER
);
CREATE UNIQUE INDEX signing_keys_current ON signing_keys(purpose) WHERE retires_at IS NULL;

CREATE TABLE sealed_secrets (
    name       TEXT PRIMARY KEY,
    sealed     BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- The plain JWT secret goes (secure_delete overwrites its pages); the tokens it signed carry no kid or aud and
-- are refused from now on, so everyone signs in once more.
DROP TABLE instance_secrets;

-- Device user codes are stored hashed like every other code. Requests live ten minutes; pending ones are dropped.
DELETE FROM device_authorizations;
ALTER TABLE device_authorizations RENAME COLUMN user_code TO user_code_hash;
ALTER TABLE device_authorizations ADD COLUMN polled_too_soon INTEGER NOT NULL DEFAULT 0;
