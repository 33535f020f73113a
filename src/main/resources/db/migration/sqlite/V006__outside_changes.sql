-- Latch schema, version 6: a counter the admin CLI bumps after it changes users or sessions behind a running
-- server's back, so the server notices within seconds and drops what it remembered (it checks every 2 s).

CREATE TABLE outside_changes (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO outside_changes(id, generation) VALUES (1, 0);
