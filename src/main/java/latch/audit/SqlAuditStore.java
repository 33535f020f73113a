package latch.audit;

import latch.db.Database;
import latch.db.Tx;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

public final class SqlAuditStore implements AuditStore {
    private static final String COLUMNS = "id, at, type, outcome, actor_id, actor_name, subject_id, subject_name, ip, user_agent, detail";
    private final Database db;

    public SqlAuditStore(Database db) {
        this.db = db;
    }

    @Override
    public void append(AuditEvent e, long epochSecond) {
        db.run(tx -> {
            var c = tx.connection();
            try (var ps = c.prepareStatement("INSERT INTO audit_events(at, type, outcome, actor_id, actor_name, subject_id,"
                    + " subject_name, ip, user_agent, detail) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                ps.setLong(1, epochSecond);
                ps.setString(2, e.type());
                ps.setString(3, e.outcome());
                setLong(ps, 4, e.actorId());
                ps.setString(5, e.actorName());
                setLong(ps, 6, e.subjectId());
                ps.setString(7, e.subjectName());
                ps.setString(8, e.ip());
                ps.setString(9, e.userAgent());
                ps.setString(10, e.detail());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public int forgetClientDetails(long subjectId) {
        return db.inTransaction(tx -> {
            var c = tx.connection();
            try (var ps = c.prepareStatement("UPDATE audit_events SET ip = NULL, user_agent = NULL WHERE (subject_id = ? OR actor_id = ?)"
                    + " AND (ip IS NOT NULL OR user_agent IS NOT NULL)")) {
                ps.setLong(1, subjectId);
                ps.setLong(2, subjectId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<AuditEvent> involving(long userId) {
        // Two indexed lookups (by subject, by actor) rather than one scan of the whole log.
        return query("SELECT " + COLUMNS + " FROM audit_events WHERE subject_id = ?"
                + " UNION SELECT " + COLUMNS + " FROM audit_events WHERE actor_id = ? ORDER BY id", List.of(userId, userId));
    }

    @Override
    public int anonymize(Tx tx, long userId, String marker) {
        // Every CASE reads the row as it was (SQLite and PostgreSQL alike), so an event the user did to themselves loses both. The
        // detail of an event about them may hold their own words (a token's or a device's name): it goes too.
        return tx.update("UPDATE audit_events SET"
                + " actor_id = CASE WHEN actor_id = ? THEN NULL ELSE actor_id END,"
                + " actor_name = CASE WHEN actor_id = ? THEN ? ELSE actor_name END,"
                + " subject_id = CASE WHEN subject_id = ? THEN NULL ELSE subject_id END,"
                + " subject_name = CASE WHEN subject_id = ? THEN ? ELSE subject_name END,"
                + " detail = CASE WHEN subject_id = ? THEN NULL ELSE detail END,"
                + " ip = NULL, user_agent = NULL"
                + " WHERE subject_id = ? OR actor_id = ?",
                userId, userId, marker, userId, userId, marker, userId, userId, userId);
    }

    @Override
    public int purgeOlderThan(Instant before, int batch) {
        // Oldest first through the time index, so a batch never scans the events it keeps.
        return db.inTransaction(tx -> tx.update("DELETE FROM audit_events WHERE id IN"
                + " (SELECT id FROM audit_events WHERE at < ? ORDER BY at LIMIT ?)", before.getEpochSecond(), batch));
    }

    @Override
    public List<AuditEvent> search(AuditQuery q) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE 1 = 1");
        var params = new ArrayList<Object>();
        if (q.subjectId() != null) {
            sql.append(" AND subject_id = ?");
            params.add(q.subjectId());
        }
        if (q.type() != null) {
            sql.append(" AND type = ?");
            params.add(q.type());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            params.add(q.since().getEpochSecond());
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            params.add(q.until().getEpochSecond());
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            params.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(q.limit());
        return query(sql.toString(), params);
    }

    private List<AuditEvent> query(String sql, List<Object> params) {
        return db.read(c -> {
            try (var ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<AuditEvent>();
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                    return out;
                }
            }
        });
    }

    private static AuditEvent map(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getLong("id"), Instant.ofEpochSecond(rs.getLong("at")).toString(), rs.getString("type"),
                rs.getString("outcome"), nullableLong(rs, "actor_id"), rs.getString("actor_name"), nullableLong(rs, "subject_id"),
                rs.getString("subject_name"), rs.getString("ip"), rs.getString("user_agent"), rs.getString("detail"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(java.sql.PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }
}
