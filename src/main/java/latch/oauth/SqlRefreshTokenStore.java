package latch.oauth;

import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class SqlRefreshTokenStore implements RefreshTokenStore {
    private final Database db;

    public SqlRefreshTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(Tx tx, String tokenHash, String sessionId, Instant now, Instant expiresAt) {
        tx.update("INSERT INTO refresh_tokens(token_hash, session_id, created_at, expires_at) VALUES (?,?,?,?)", tokenHash, sessionId,
                now.getEpochSecond(), expiresAt.getEpochSecond());
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
    public Rotation rotate(Tx tx, String tokenHash, String nextHash, Instant now, Instant nextExpiresAt) {
        try {
            String sessionId = null;
            try (var ps = tx.prepare("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"
                    + " RETURNING session_id")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setString(2, tokenHash);
                ps.setLong(3, now.getEpochSecond());
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        sessionId = rs.getString(1);
                    }
                }
            }
            if (sessionId == null) {
                return whyNot(tx, tokenHash);
            }
            create(tx, nextHash, sessionId, now, nextExpiresAt);
            return new Rotation(Rotation.Outcome.ROTATED, sessionId);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    /** The conditional spend did nothing: a spent token is a replay, anything else is simply invalid. */
    private static Rotation whyNot(Tx tx, String tokenHash) throws SQLException {
        try (var ps = tx.prepare("SELECT session_id, used_at FROM refresh_tokens WHERE token_hash = ?")) {
            ps.setString(1, tokenHash);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Rotation(Rotation.Outcome.INVALID, null);
                }
                String sessionId = rs.getString(1);
                rs.getLong(2);
                return new Rotation(rs.wasNull() ? Rotation.Outcome.INVALID : Rotation.Outcome.REUSED, sessionId);
            }
        }
    }

    @Override
    public int purgeExpired(Instant before, int batch) {
        // A spent token is kept until it would have expired: until then, its return must still end the grant.
        return db.inTransaction(tx -> tx.update("DELETE FROM refresh_tokens WHERE token_hash IN"
                + " (SELECT token_hash FROM refresh_tokens WHERE expires_at < ? LIMIT ?)", before.getEpochSecond(), batch));
    }
}
