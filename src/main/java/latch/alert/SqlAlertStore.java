package latch.alert;

import latch.db.Database;
import latch.db.DatabaseException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlAlertStore implements AlertStore {
    private static final String COLUMNS = "id, kind, user_id, username, source, detail, count, first_seen, last_seen,"
            + " acknowledged_at, acknowledged_by";
    private final Database db;

    public SqlAlertStore(Database db) {
        this.db = db;
    }

    @Override
    public void raise(AlertKind kind, String fingerprint, Long userId, String username, String source, String detail,
                      Instant now) {
        long t = now.getEpochSecond();
        db.inTransaction(tx -> {
            // The conflict target names the partial index: only an open alert absorbs the repeat.
            try (var ps = tx.prepare("INSERT INTO alerts(kind, fingerprint, user_id, username, source, detail, first_seen,"
                    + " last_seen) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(fingerprint) WHERE acknowledged_at IS NULL"
                    + " DO UPDATE SET count = alerts.count + 1, last_seen = CASE WHEN alerts.last_seen > excluded.last_seen"
                    + " THEN alerts.last_seen ELSE excluded.last_seen END")) {
                ps.setString(1, kind.wireName());
                ps.setString(2, fingerprint);
                ps.setObject(3, userId);
                ps.setString(4, username);
                ps.setString(5, source);
                ps.setString(6, detail);
                ps.setLong(7, t);
                ps.setLong(8, t);
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        });
    }

    @Override
    public List<Alert> list(boolean open, int limit) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE (acknowledged_at IS NULL) = ?"
                    + " ORDER BY last_seen DESC, id DESC LIMIT ?")) {
                ps.setBoolean(1, open);
                ps.setInt(2, limit);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Alert>();
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public Optional<Alert> find(long id) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE id = ?")) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Alert> acknowledge(long id, String by, Instant now) {
        return db.inTransaction(tx -> {
            try (var ps = tx.prepare("UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?"
                    + " AND acknowledged_at IS NULL RETURNING " + COLUMNS)) {
                ps.setLong(1, now.getEpochSecond());
                ps.setString(2, by);
                ps.setLong(3, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Alert>empty();
                }
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        });
    }

    @Override
    public void forgetUser(latch.db.Tx tx, long userId) {
        tx.update("UPDATE alerts SET user_id = NULL, username = 'deleted user' WHERE user_id = ?", userId);
    }

    @Override
    public long countOpen() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM alerts WHERE acknowledged_at IS NULL");
                 var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static Alert map(ResultSet rs) throws SQLException {
        long ackAt = rs.getLong("acknowledged_at");
        boolean acknowledged = !rs.wasNull();
        long userId = rs.getLong("user_id");
        Long user = rs.wasNull() ? null : userId;
        return new Alert(rs.getLong("id"), rs.getString("kind"), acknowledged ? "acknowledged" : "open", user,
                rs.getString("username"), rs.getString("source"), rs.getString("detail"), rs.getLong("count"),
                iso(rs.getLong("first_seen")), iso(rs.getLong("last_seen")), acknowledged ? iso(ackAt) : null,
                rs.getString("acknowledged_by"));
    }

    private static String iso(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }
}
