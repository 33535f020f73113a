-- What the nodes of one database count together, so three nodes allow what one would (issue 14).

-- Bucket4j's PostgreSQL back-end (SharedRateLimiter): one row per limit and client or account. The key is the
-- limit's name and numbers and the client's address or the account's id (a longer one is stored by its digest);
-- state is Bucket4j's; expires_at (epoch milliseconds) is when the bucket is full again, after which the purge
-- deletes the row; explicit_lock is the bucket's advisory-lock number, which the purge tries before deleting.
CREATE TABLE rate_limit_buckets (
    id TEXT PRIMARY KEY,
    state BYTEA NOT NULL,
    expires_at BIGINT NOT NULL,
    explicit_lock BIGINT NOT NULL
);
CREATE INDEX rate_limit_buckets_by_expiry ON rate_limit_buckets(expires_at);

-- Refusals recorded lately (SqlRefusalWindows): a key's window is open until open_until_ms (epoch milliseconds);
-- the audit log gets one row per key and window whichever node refused.
CREATE TABLE refusal_windows (
    window_key TEXT PRIMARY KEY,
    open_until_ms BIGINT NOT NULL
);
CREATE INDEX refusal_windows_by_end ON refusal_windows(open_until_ms);
