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
    public void save(String id, Instant until) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO revoked_tokens(jti, expires_at) VALUES (?,?)"
                    + " ON CONFLICT(jti) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)")) {
                ps.setString(1, id);
                ps.setLong(2, until.getEpochSecond());
                ps.executeUpdate();
            }
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
