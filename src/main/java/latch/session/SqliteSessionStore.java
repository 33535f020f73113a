package latch.session;

import latch.db.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqliteSessionStore implements SessionStore {
    private static final String COLUMNS = "id, user_id, kind, scope, created_at, last_seen_at, expires_at, ended_at, ip, user_agent";
    private final Database db;

    public SqliteSessionStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(Session s) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO sessions(id, user_id, kind, scope, created_at, last_seen_at, expires_at, ip, user_agent)"
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
            }
        });
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
    public boolean end(String sessionId, Instant endedAt) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL")) {
                ps.setLong(1, endedAt.getEpochSecond());
                ps.setString(2, sessionId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<String> endAll(long userId, String keep, Instant endedAt) {
        return db.transaction(c -> {
            var ids = new ArrayList<String>();
            try (var ps = c.prepareStatement("SELECT id FROM sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?")) {
                ps.setLong(1, userId);
                ps.setLong(2, endedAt.getEpochSecond());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!rs.getString(1).equals(keep)) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
            }
            endMany(c, ids, endedAt);
            return ids;
        });
    }

    private static void endMany(Connection c, List<String> ids, Instant endedAt) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL")) {
            for (String id : ids) {
                ps.setLong(1, endedAt.getEpochSecond());
                ps.setString(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<Session> live(long userId, Instant now) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE user_id = ? AND ended_at IS NULL"
                    + " AND expires_at > ? ORDER BY created_at DESC, rowid DESC LIMIT 500")) {
                ps.setLong(1, userId);
                ps.setLong(2, now.getEpochSecond());
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Session>();
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public void extend(String sessionId, Instant expiresAt) {
        db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE sessions SET expires_at = ? WHERE id = ? AND ended_at IS NULL")) {
                ps.setLong(1, expiresAt.getEpochSecond());
                ps.setString(2, sessionId);
                ps.executeUpdate();
            }
        });
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
