package latch.oauth;

import latch.db.Database;

import java.time.Instant;
import java.util.Optional;

public final class SqliteRefreshTokenStore implements RefreshTokenStore {
    private final Database db;

    public SqliteRefreshTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(String tokenHash, String sessionId, Instant now, Instant expiresAt) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO refresh_tokens(token_hash, session_id, created_at, expires_at) VALUES (?,?,?,?)")) {
                ps.setString(1, tokenHash);
                ps.setString(2, sessionId);
                ps.setLong(3, now.getEpochSecond());
                ps.setLong(4, expiresAt.getEpochSecond());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> unspentGrant(String tokenHash, Instant now) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT session_id FROM refresh_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
                ps.setString(1, tokenHash);
                ps.setLong(2, now.getEpochSecond());
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public Rotation rotate(String tokenHash, String nextHash, Instant now, Instant nextExpiresAt) {
        return db.transaction(c -> {
            String sessionId;
            try (var ps = c.prepareStatement("SELECT session_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Rotation(Rotation.Outcome.INVALID, null);
                    }
                    sessionId = rs.getString(1);
                    long expires = rs.getLong(2);
                    rs.getLong(3);
                    if (!rs.wasNull()) {
                        return new Rotation(Rotation.Outcome.REUSED, sessionId);
                    }
                    if (expires <= now.getEpochSecond()) {
                        return new Rotation(Rotation.Outcome.INVALID, sessionId);
                    }
                }
            }
            try (var ps = c.prepareStatement("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setString(2, tokenHash);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("INSERT INTO refresh_tokens(token_hash, session_id, created_at, expires_at) VALUES (?,?,?,?)")) {
                ps.setString(1, nextHash);
                ps.setString(2, sessionId);
                ps.setLong(3, now.getEpochSecond());
                ps.setLong(4, nextExpiresAt.getEpochSecond());
                ps.executeUpdate();
            }
            return new Rotation(Rotation.Outcome.ROTATED, sessionId);
        });
    }
}
