package latch.dashboard;

import latch.db.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

public final class SqlDashboardStore implements DashboardStore {
    private final Database db;

    public SqlDashboardStore(Database db) {
        this.db = db;
    }

    @Override
    public Accounts accounts() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*), coalesce(sum(enabled), 0),"
                    + " coalesce(sum(CASE WHEN role = 'admin' AND enabled = 1 THEN 1 ELSE 0 END), 0) FROM users")) {
                rs.next();
                return new Accounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        });
    }

    @Override
    public long activeSessions(Instant now) {
        return db.read(c -> count(c, "SELECT count(*) FROM sessions WHERE ended_at IS NULL AND expires_at > ?", now.getEpochSecond()));
    }

    @Override
    public long activeClientTokens(Instant now) {
        return db.read(c -> count(c, "SELECT count(*) FROM client_tokens WHERE revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)", now.getEpochSecond()));
    }

    @Override
    public List<Hour> signIns(Instant from, int hours) {
        long start = from.getEpochSecond();
        return db.read(c -> {
            // audit_by_type narrows to the two types; the time bound then reads one day of them.
            try (var ps = c.prepareStatement("SELECT (at - ?) / 3600 AS h, sum(CASE WHEN type = 'sign_in' THEN 1 ELSE 0 END),"
                    + " sum(CASE WHEN type = 'sign_in_failed' THEN 1 ELSE 0 END)"
                    + " FROM audit_events WHERE type IN ('sign_in', 'sign_in_failed') AND at >= ? AND at < ? GROUP BY h ORDER BY h")) {
                ps.setLong(1, start);
                ps.setLong(2, start);
                ps.setLong(3, start + hours * 3600L);
                var out = new ArrayList<Hour>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Hour(Instant.ofEpochSecond(start + rs.getLong(1) * 3600), rs.getLong(2), rs.getLong(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long rateLimited(Instant since) {
        return db.read(c -> count(c, "SELECT count(*) FROM audit_events WHERE type = 'rate_limited' AND at >= ?", since.getEpochSecond()));
    }

    private static long count(Connection c, String sql, long param) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setLong(1, param);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
