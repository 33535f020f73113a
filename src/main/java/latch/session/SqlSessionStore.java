package latch.session;

import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlSessionStore implements SessionStore {
    private static final String COLUMNS = "id, user_id, kind, scope, created_at, last_seen_at, expires_at, ended_at, ip, user_agent";
    private final Database db;

    public SqlSessionStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(Tx tx, Session s) {
        try (var ps = tx.prepare("INSERT INTO sessions(id, user_id, kind, scope, created_at, last_seen_at, expires_at, ip, user_agent)"
                + " VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, s.id());
            ps.setLong(2, s.userId());
            ps.setString(3, s.kind().wireName());
            ps.setString(4, s.scope());
            ps.setLong(5, s.createdAt().getEpochSecond());
            ps.setLong(6, s.lastSeenAt().getEpochSecond());
            ps.setLong(7, s.expiresAt().getEpochSecond());
            ps.setString(8, s.ip());
            ps.setString(9, s.userAgent());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE id = ?")) {
                ps.setString(1, sessionId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void touch(String sessionId, Instant seenAt) {
        db.run(tx -> {
            try (var ps = tx.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?")) {
                ps.setLong(1, seenAt.getEpochSecond());
                ps.setString(2, sessionId);
                ps.setLong(3, seenAt.getEpochSecond());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean end(Tx tx, String sessionId, Instant endedAt) {
        return tx.update("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL", endedAt.getEpochSecond(), sessionId) == 1;
    }

    @Override
    public List<Session> endAll(Tx tx, long userId, String keep, Instant endedAt) {
        long t = endedAt.getEpochSecond();
        try (var ps = tx.prepare("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?"
                + " AND id IS DISTINCT FROM ? RETURNING " + COLUMNS)) {
            ps.setLong(1, t);
            ps.setLong(2, userId);
            ps.setLong(3, t);
            ps.setString(4, keep);
            return all(ps);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public List<Session> live(long userId, Instant now) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? AND ended_at IS NULL"
                    + " AND expires_at > ? ORDER BY created_at DESC, " + db.dialect().insertionOrder() + " DESC LIMIT 500")) {
                ps.setLong(1, userId);
                ps.setLong(2, now.getEpochSecond());
                return all(ps);
            }
        });
    }

    @Override
    public List<Session> everyOf(long userId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? ORDER BY created_at DESC, " + db.dialect().insertionOrder() + " DESC")) {
                ps.setLong(1, userId);
                return all(ps);
            }
        });
    }

    @Override
    public void extend(Tx tx, String sessionId, Instant expiresAt) {
        tx.update("UPDATE sessions SET expires_at = ? WHERE id = ? AND ended_at IS NULL", expiresAt.getEpochSecond(), sessionId);
    }

    @Override
    public int purgeEnded(Instant before, int batch) {
        // Refresh tokens go with their grant (ON DELETE CASCADE).
        long t = before.getEpochSecond();
        return db.inTransaction(tx -> tx.update("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions"
                + " WHERE (ended_at IS NOT NULL AND ended_at < ?) OR expires_at < ? LIMIT ?)", t, t, batch));
    }

    private static List<Session> all(java.sql.PreparedStatement ps) throws SQLException {
        try (var rs = ps.executeQuery()) {
            var out = new ArrayList<Session>();
            while (rs.next()) {
                out.add(map(rs));
            }
            return out;
        }
    }

    private static Session map(ResultSet rs) throws SQLException {
        long ended = rs.getLong("ended_at");
        Instant endedAt = rs.wasNull() ? null : Instant.ofEpochSecond(ended);
        return new Session(rs.getString("id"), rs.getLong("user_id"), SessionKind.parse(rs.getString("kind")),
                rs.getString("scope"), Instant.ofEpochSecond(rs.getLong("created_at")),
                Instant.ofEpochSecond(rs.getLong("last_seen_at")), Instant.ofEpochSecond(rs.getLong("expires_at")), endedAt,
                rs.getString("ip"), rs.getString("user_agent"));
    }
}
