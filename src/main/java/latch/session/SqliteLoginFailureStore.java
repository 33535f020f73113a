package latch.session;

import latch.db.Database;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

public final class SqliteLoginFailureStore implements LoginFailureStore {
    private final Database db;

    public SqliteLoginFailureStore(Database db) {
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
        return db.transaction(c -> {
            int failures = 0;
            long windowStart = t;
            try (var ps = c.prepareStatement("SELECT failures, window_start, banned_until FROM login_failures WHERE user_id = ?")) {
                ps.setLong(1, userId);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long bannedUntil = rs.getLong(3);
                        if (!rs.wasNull() && bannedUntil > t) {
                            return false; // already banned: the ban is not extended by more guessing
                        }
                        if (rs.getLong(2) + window.getSeconds() > t) {
                            failures = rs.getInt(1);
                            windowStart = rs.getLong(2);
                        }
                    }
                }
            }
            failures++;
            boolean bans = failures >= maxFailures;
            try (var ps = c.prepareStatement("INSERT INTO login_failures(user_id, failures, window_start, banned_until) VALUES (?,?,?,?)"
                    + " ON CONFLICT(user_id) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,"
                    + " banned_until = excluded.banned_until")) {
                ps.setLong(1, userId);
                ps.setInt(2, bans ? 0 : failures);
                ps.setLong(3, windowStart);
                if (bans) {
                    ps.setLong(4, t + ban.getSeconds());
                } else {
                    ps.setNull(4, java.sql.Types.INTEGER);
                }
                ps.executeUpdate();
            }
            return bans;
        });
    }

    @Override
    public boolean clear(long userId, Instant now) {
        return db.transaction(c -> {
            boolean banned = false;
            try (var ps = c.prepareStatement("SELECT banned_until FROM login_failures WHERE user_id = ?")) {
                ps.setLong(1, userId);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long until = rs.getLong(1);
                        banned = !rs.wasNull() && until > now.getEpochSecond();
                    }
                }
            }
            try (var ps = c.prepareStatement("DELETE FROM login_failures WHERE user_id = ?")) {
                ps.setLong(1, userId);
                ps.executeUpdate();
            }
            return banned;
        });
    }
}
