-- Latch schema, version 3: substring search over users without scanning the table. A trigram index (FTS5)
-- answers "contains abc" for username, display name and email; triggers keep it in step with users.

CREATE VIRTUAL TABLE users_search USING fts5(username, display_name, email, content='users', content_rowid='id', tokenize='trigram');

CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
  INSERT INTO users_search(rowid, username, display_name, email) VALUES (new.id, new.username, new.display_name, new.email);
END;

CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
  INSERT INTO users_search(users_search, rowid, username, display_name, email) VALUES ('delete', old.id, old.username, old.display_name, old.email);
END;

CREATE TRIGGER users_search_update AFTER UPDATE OF username, display_name, email ON users BEGIN
  INSERT INTO users_search(users_search, rowid, username, display_name, email) VALUES ('delete', old.id, old.username, old.display_name, old.email);
  INSERT INTO users_search(rowid, username, display_name, email) VALUES (new.id, new.username, new.display_name, new.email);
END;

INSERT INTO users_search(users_search) VALUES ('rebuild');
