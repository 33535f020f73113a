package latch.alert;

import latch.db.Database;
import latch.db.DatabaseException;

import java.sql.SQLException;
import java.time.Instant;

public final class SqlKnownNetworks implements KnownNetworks {
    private final Database db;

    public SqlKnownNetworks(Database db) {
        this.db = db;
    }

    @Override
    public Seen remember(long userId, String network, Instant now) {
        return db.inTransaction(tx -> {
            // One statement: the row is added only if new, and says whether the user had others then. "WHERE true"
            // keeps SQLite from reading ON CONFLICT as a join's ON (its documented upsert parsing ambiguity).
            try (var ps = tx.prepare("INSERT INTO user_networks(user_id, network, first_seen, after_others)"
                    + " SELECT ?, ?, ?, EXISTS(SELECT 1 FROM user_networks WHERE user_id = ?) WHERE true"
                    + " ON CONFLICT DO NOTHING RETURNING after_others")) {
                ps.setLong(1, userId);
                ps.setString(2, network);
                ps.setLong(3, now.getEpochSecond());
                ps.setLong(4, userId);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Seen.KNOWN;
                    }
                    return rs.getBoolean(1) ? Seen.NEW : Seen.FIRST_FOR_USER;
                }
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        });
    }
}
