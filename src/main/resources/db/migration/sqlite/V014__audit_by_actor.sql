-- A person's export and erasure find the events they acted in, not only those about them: without this index
-- both read the whole log (a million rows at the retention's limit).
CREATE INDEX audit_by_actor ON audit_events(actor_id, id);
