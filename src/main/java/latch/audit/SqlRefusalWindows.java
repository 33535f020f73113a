package latch.audit;

import latch.db.Database;

import java.time.Clock;
import java.time.Duration;

/**
 * {@link RefusalWindows} in the database every node shares, so a flood of refusals spread over the nodes is still
 * recorded once per client and window, not once per node. One statement decides: insert the key, or restart its
 * window only when the last one has passed; a row returned means this call was the first.
 */
public final class SqlRefusalWindows implements RefusalWindows {
    private final Database db;
    private final Clock clock;

    public SqlRefusalWindows(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean firstIn(String key, Duration window) {
        long now = clock.millis();
        return db.inTransaction(tx -> !tx.strings("INSERT INTO refusal_windows(window_key, open_until_ms) VALUES (?, ?)"
                + " ON CONFLICT(window_key) DO UPDATE SET open_until_ms = excluded.open_until_ms"
                + " WHERE refusal_windows.open_until_ms <= ? RETURNING window_key", key, now + window.toMillis(), now).isEmpty());
    }

    /** Deletes up to {@code batch} windows that have passed; returns how many (a purge step). */
    public int purgeExpired(int batch) {
        return db.inTransaction(tx -> tx.update("DELETE FROM refusal_windows WHERE window_key IN"
                + " (SELECT window_key FROM refusal_windows WHERE open_until_ms <= ? LIMIT ?)", clock.millis(), batch));
    }
}
