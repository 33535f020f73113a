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
            // Two first sign-ins at once must not both count as the user's first network.
            tx.takeTurns("known networks", userId);
            // One statement: the row is added only if new, and says whether the user had others then. "WHERE 1 = 1"
            // keeps SQLite from reading ON CONFLICT as a join's ON (its documented upsert parsing ambiguity).
            try (var ps = tx.prepare("INSERT INTO user_networks(user_id, network, first_seen, after_others)"
                    + " SELECT ?, ?, ?, CASE WHEN EXISTS(SELECT 1 FROM user_networks WHERE user_id = ?) THEN 1 ELSE 0 END WHERE 1 = 1"
                    + " ON CONFLICT DO NOTHING RETURNING after_others")) {
                ps.setLong(1, userId);
                ps.setString(2, network);
                ps.setLong(3, now.getEpochSecond());
                ps.setLong(4, userId);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Seen.KNOWN;
                    }
                    return rs.getLong(1) == 1 ? Seen.NEW : Seen.FIRST_FOR_USER;
                }
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        });
    }
}
