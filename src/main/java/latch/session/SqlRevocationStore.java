package latch.session;

import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.SQLException;
import java.time.Instant;
import java.util.function.ObjLongConsumer;

public final class SqlRevocationStore implements RevocationStore {
    private final Database db;

    public SqlRevocationStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean insert(Tx tx, String id, Instant until) {
        try {
            try (var insert = tx.prepare("INSERT INTO revoked_tokens(jti, expires_at) VALUES (?,?) ON CONFLICT(jti) DO NOTHING")) {
                insert.setString(1, id);
                insert.setLong(2, until.getEpochSecond());
                if (insert.executeUpdate() == 1) {
                    return true;
                }
            }
            try (var extend = tx.prepare("UPDATE revoked_tokens SET expires_at = ? WHERE jti = ? AND expires_at < ?")) {
                extend.setLong(1, until.getEpochSecond());
                extend.setString(2, id);
                extend.setLong(3, until.getEpochSecond());
                extend.executeUpdate();
            }
            return false;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isRevoked(String id, Instant now) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT 1 FROM revoked_tokens WHERE jti = ? AND expires_at > ?")) {
                ps.setString(1, id);
                ps.setLong(2, now.getEpochSecond());
                try (var rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public int countActive(Instant now, int atMost) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM revoked_tokens WHERE expires_at > ? LIMIT ?) AS live")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setInt(2, atMost);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    @Override
    public void forEachActive(Instant now, ObjLongConsumer<String> revocation) {
        db.read(c -> {
            try (var ps = c.prepareStatement("SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > ?")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setFetchSize(10_000);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        revocation.accept(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public int purgeExpired(Instant now, int batch) {
        return db.inTransaction(tx -> tx.update("DELETE FROM revoked_tokens WHERE jti IN"
                + " (SELECT jti FROM revoked_tokens WHERE expires_at <= ? LIMIT ?)", now.getEpochSecond(), batch));
    }
}
