package latch.session;

import latch.db.Database;

import java.time.Instant;

public final class SqliteSessionStore implements SessionStore {
    private final Database db;

    public SqliteSessionStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(Session s) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO sessions(id, user_id, created_at, last_seen_at, expires_at, ip, user_agent)"
                    + " VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, s.id());
                ps.setLong(2, s.userId());
                ps.setLong(3, s.createdAt().getEpochSecond());
                ps.setLong(4, s.lastSeenAt().getEpochSecond());
                ps.setLong(5, s.expiresAt().getEpochSecond());
                ps.setString(6, s.ip());
                ps.setString(7, s.userAgent());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void touch(String sessionId, Instant seenAt) {
        db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?")) {
                ps.setLong(1, seenAt.getEpochSecond());
                ps.setString(2, sessionId);
                ps.setLong(3, seenAt.getEpochSecond());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void end(String sessionId, Instant endedAt) {
        db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL")) {
                ps.setLong(1, endedAt.getEpochSecond());
                ps.setString(2, sessionId);
                ps.executeUpdate();
            }
        });
    }
}
