package latch.session;

import latch.db.Database;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

public final class SqliteRevocationStore implements RevocationStore {
    private final Database db;

    public SqliteRevocationStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean save(String id, Instant until) {
        return db.transaction(c -> {
            try (var insert = c.prepareStatement("INSERT INTO revoked_tokens(jti, expires_at) VALUES (?,?) ON CONFLICT(jti) DO NOTHING")) {
                insert.setString(1, id);
                insert.setLong(2, until.getEpochSecond());
                if (insert.executeUpdate() == 1) {
                    return true;
                }
            }
            try (var extend = c.prepareStatement("UPDATE revoked_tokens SET expires_at = MAX(expires_at, ?) WHERE jti = ?")) {
                extend.setLong(1, until.getEpochSecond());
                extend.setString(2, id);
                extend.executeUpdate();
            }
            return false;
        });
    }

    @Override
    public Map<String, Instant> active(Instant now) {
        return db.read(c -> {
            var out = new HashMap<String, Instant>();
            try (var ps = c.prepareStatement("SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > ?")) {
                ps.setLong(1, now.getEpochSecond());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("DELETE FROM revoked_tokens WHERE expires_at <= ?")) {
                ps.setLong(1, now.getEpochSecond());
                return ps.executeUpdate();
            }
        });
    }
}
