package latch.session;

import latch.db.Database;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Each step is one conditional statement, so concurrent wrong passwords are all counted and start one ban. */
public final class SqlLoginFailureStore implements LoginFailureStore {
    private final Database db;

    public SqlLoginFailureStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Instant> bannedUntil(long userId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT banned_until FROM login_failures WHERE user_id = ? AND banned_until IS NOT NULL")) {
                ps.setLong(1, userId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.ofEpochSecond(rs.getLong(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean recordFailure(long userId, Instant now, int maxFailures, Duration window, Duration ban) {
        long t = now.getEpochSecond();
        return db.inTransaction(tx -> {
            // Counted in the current window; while a ban runs, more guessing neither counts nor extends it.
            try (var ps = tx.prepare("INSERT INTO login_failures(user_id, failures, window_start, banned_until) VALUES (?, 1, ?, NULL)"
                    + " ON CONFLICT(user_id) DO UPDATE SET"
                    + " failures = CASE WHEN login_failures.banned_until > ? THEN login_failures.failures"
                    + " WHEN login_failures.window_start + ? <= ? THEN 1 ELSE login_failures.failures + 1 END,"
                    + " window_start = CASE WHEN login_failures.banned_until > ? THEN login_failures.window_start"
                    + " WHEN login_failures.window_start + ? <= ? THEN ? ELSE login_failures.window_start END")) {
                ps.setLong(1, userId);
                ps.setLong(2, t);
                ps.setLong(3, t);
                ps.setLong(4, window.getSeconds());
                ps.setLong(5, t);
                ps.setLong(6, t);
                ps.setLong(7, window.getSeconds());
                ps.setLong(8, t);
                ps.setLong(9, t);
                ps.executeUpdate();
            }
            // Exactly one failure crosses the line and starts the ban.
            try (var ps = tx.prepare("UPDATE login_failures SET banned_until = ?, failures = 0, window_start = ?"
                    + " WHERE user_id = ? AND failures >= ? AND (banned_until IS NULL OR banned_until <= ?)")) {
                ps.setLong(1, t + ban.getSeconds());
                ps.setLong(2, t);
                ps.setLong(3, userId);
                ps.setInt(4, maxFailures);
                ps.setLong(5, t);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean clear(long userId, Instant now) {
        return db.inTransaction(tx -> {
            try (var ps = tx.prepare("DELETE FROM login_failures WHERE user_id = ? RETURNING banned_until")) {
                ps.setLong(1, userId);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    long until = rs.getLong(1);
                    return !rs.wasNull() && until > now.getEpochSecond();
                }
            }
        });
    }
}
