package latch.oidc;

import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlIdentityStore implements IdentityStore {
    private static final String COLUMNS = "id, user_id, issuer, subject, email, created_at, last_used_at";
    private final Database db;

    public SqlIdentityStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<LinkedIdentity> find(String issuer, String subject) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM oidc_identities WHERE issuer = ? AND subject = ?")) {
                ps.setString(1, issuer);
                ps.setString(2, subject);
                return first(ps);
            }
        });
    }

    @Override
    public List<LinkedIdentity> forUser(long userId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM oidc_identities WHERE user_id = ? ORDER BY id")) {
                ps.setLong(1, userId);
                var out = new ArrayList<LinkedIdentity>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<LinkedIdentity> link(Tx tx, long userId, String issuer, String subject, String email, Instant now) {
        try (var ps = tx.prepare("INSERT INTO oidc_identities(user_id, issuer, subject, email, created_at, last_used_at)"
                + " VALUES (?,?,?,?,?,?) ON CONFLICT(issuer, subject) DO NOTHING RETURNING " + COLUMNS)) {
            ps.setLong(1, userId);
            ps.setString(2, issuer);
            ps.setString(3, subject);
            ps.setString(4, email);
            ps.setLong(5, now.getEpochSecond());
            ps.setLong(6, now.getEpochSecond());
            return first(ps);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public void touch(long id, String email, Instant now) {
        db.run(tx -> tx.update("UPDATE oidc_identities SET last_used_at = ?, email = ? WHERE id = ?",
                now.getEpochSecond(), email, id));
    }

    @Override
    public boolean unlinkKeepingAWayIn(long userId, long id, boolean passwordCounts) {
        return db.inTransaction(tx -> {
            // Two unlinks at once must not each see the other's identity as the way in that remains.
            tx.takeTurns("ways in", userId);
            return tx.update("DELETE FROM oidc_identities WHERE id = ? AND user_id = ? AND ("
                    + " (? = 1 AND (SELECT password_hash FROM users WHERE id = ?) IS NOT NULL)"
                    + " OR (SELECT count(*) FROM oidc_identities WHERE user_id = ?) > 1)",
                    id, userId, passwordCounts ? 1 : 0, userId, userId) == 1;
        });
    }

    @Override
    public void keepIdToken(String sessionId, byte[] sealed) {
        db.run(tx -> {
            try (var ps = tx.prepare("INSERT INTO oidc_session_tokens(session_id, id_token) VALUES (?,?)"
                    + " ON CONFLICT(session_id) DO UPDATE SET id_token = excluded.id_token")) {
                ps.setString(1, sessionId);
                ps.setBytes(2, sealed);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<byte[]> idToken(String sessionId) {
        return db.read(c -> bytes(c, sessionId));
    }

    private static Optional<byte[]> bytes(Connection c, String sessionId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT id_token FROM oidc_session_tokens WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    private static Optional<LinkedIdentity> first(PreparedStatement ps) throws SQLException {
        try (var rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static LinkedIdentity map(ResultSet rs) throws SQLException {
        return new LinkedIdentity(rs.getLong("id"), rs.getLong("user_id"), rs.getString("issuer"), rs.getString("subject"),
                rs.getString("email"), Instant.ofEpochSecond(rs.getLong("created_at")),
                Instant.ofEpochSecond(rs.getLong("last_used_at")));
    }
}
