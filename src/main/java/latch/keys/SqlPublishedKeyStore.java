package latch.keys;

import latch.db.Database;
import latch.db.Tx;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

public final class SqlPublishedKeyStore implements PublishedKeyStore {
    private static final String COLUMNS = "kid, purpose, algorithm, public_key, sealed, created_at, active_from, withdrawn_at";
    private final Database db;

    public SqlPublishedKeyStore(Database db) {
        this.db = db;
    }

    @Override
    public List<Row> all(String purpose) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM published_keys WHERE purpose = ?"
                    + " ORDER BY active_from, id")) {
                ps.setString(1, purpose);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Row>();
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public boolean addUnlessNewer(Tx tx, Row row, Instant unlessActiveAfter) throws SQLException {
        try (var ps = tx.prepare("INSERT INTO published_keys(" + COLUMNS + ") SELECT ?,?,?,?,?,?,?,NULL"
                + " WHERE CAST(? AS BIGINT) IS NULL OR NOT EXISTS (SELECT 1 FROM published_keys"
                + " WHERE purpose = ? AND withdrawn_at IS NULL AND active_from > ?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.purpose());
            ps.setString(3, row.algorithm());
            ps.setBytes(4, row.publicKey());
            ps.setBytes(5, row.sealedPrivateKey());
            ps.setLong(6, row.createdAt().toEpochMilli());
            ps.setLong(7, row.activeFrom().toEpochMilli());
            Long after = unlessActiveAfter == null ? null : unlessActiveAfter.toEpochMilli();
            ps.setObject(8, after);
            ps.setString(9, row.purpose());
            ps.setObject(10, after);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public boolean withdraw(Tx tx, String purpose, String kid, Instant at) throws SQLException {
        try (var ps = tx.prepare("UPDATE published_keys SET withdrawn_at = ? WHERE purpose = ? AND kid = ? AND withdrawn_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, purpose);
            ps.setString(3, kid);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public int delete(Tx tx, String purpose, List<String> kids) throws SQLException {
        int n = 0;
        try (var ps = tx.prepare("DELETE FROM published_keys WHERE purpose = ? AND kid = ?")) {
            for (String kid : kids) {
                ps.setString(1, purpose);
                ps.setString(2, kid);
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    private static Row row(ResultSet rs) throws SQLException {
        long withdrawn = rs.getLong(8);
        Instant withdrawnAt = rs.wasNull() ? null : Instant.ofEpochMilli(withdrawn);
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5),
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)), withdrawnAt);
    }
}
