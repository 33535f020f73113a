-- The refusal windows that the nodes of a shared database keep together (SqlRefusalWindows). One box keeps them
-- in memory and never writes here; the table exists so the same statements are tested on both databases. The rate
-- limits' buckets are PostgreSQL's alone (Bucket4j's PostgreSQL back-end): one box keeps its buckets in memory.
CREATE TABLE refusal_windows (
    window_key TEXT PRIMARY KEY,
    open_until_ms INTEGER NOT NULL
);
CREATE INDEX refusal_windows_by_end ON refusal_windows(open_until_ms);
