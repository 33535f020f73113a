-- Latch schema, version 5: a deleted user's id never names a new account. SQLite gives a new row the highest
-- rowid + 1, so deleting the newest user handed their id to the next one, and with it the audit rows that keep
-- the id as their subject (and anything else that remembered it). New users now take their id from a high-water
-- mark that only grows. (AUTOINCREMENT would do the same, but adding it means rebuilding users, which cascades.)

CREATE TABLE id_high_water (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

-- Ids already given out, including those of users deleted before this version whose audit rows remain.
INSERT INTO id_high_water(name, value) VALUES ('users', MAX(
    COALESCE((SELECT MAX(id) FROM users), 0),
    COALESCE((SELECT MAX(subject_id) FROM audit_events), 0),
    COALESCE((SELECT MAX(actor_id) FROM audit_events), 0)));

CREATE TRIGGER users_id_high_water AFTER INSERT ON users BEGIN
  UPDATE id_high_water SET value = MAX(value, new.id) WHERE name = 'users';
END;
