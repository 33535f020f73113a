package latch.clienttoken;

import latch.access.ScopeCatalog;
import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;
import latch.http.Cidr;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

public final class SqlClientTokenStore implements ClientTokenStore {
    private static final String COLUMNS = "id, user_id, name, scopes, secret_hash, networks, device, created_at, expires_at, last_used_at, revoked_at";
    private static final String ACTIVE = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
    private final Database db;

    public SqlClientTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean createWithin(Tx tx, ClientToken t, int max, Instant now) {
        // The check and the insert are one statement; one owner's creations take turns, as the count is over rows
        // another transaction may be adding.
        tx.takeTurns("client token cap", t.userId());
        try (var ps = tx.prepare("INSERT INTO client_tokens(id, user_id, name, scopes, secret_hash, networks, device, created_at, expires_at)"
                + " SELECT ?,?,?,?,?,?,?,?,? WHERE (SELECT COUNT(*) FROM client_tokens WHERE user_id = ? AND " + ACTIVE + ") < ?")) {
            ps.setString(1, t.id());
            ps.setLong(2, t.userId());
            ps.setString(3, t.name());
            ps.setString(4, ScopeCatalog.format(t.scopes()));
            ps.setString(5, t.secretHash());
            ps.setString(6, t.networks().isEmpty() ? null : t.networks().stream().map(Cidr::toString).collect(Collectors.joining(",")));
            ps.setString(7, t.device());
            ps.setLong(8, t.createdAt().getEpochSecond());
            if (t.expiresAt() == null) {
                ps.setNull(9, Types.INTEGER);
            } else {
                ps.setLong(9, t.expiresAt().getEpochSecond());
            }
            ps.setLong(10, t.userId());
            ps.setLong(11, now.getEpochSecond());
            ps.setInt(12, max);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<ClientToken> find(String id) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM client_tokens WHERE id = ?")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public int countActive(long userId, Instant now) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM client_tokens WHERE user_id = ? AND " + ACTIVE)) {
                ps.setLong(1, userId);
                ps.setLong(2, now.getEpochSecond());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public List<ClientToken> list(long userId) {
        return select(userId, " AND revoked_at IS NULL");
    }

    @Override
    public List<ClientToken> everyOf(long userId) {
        return select(userId, "");
    }

    private List<ClientToken> select(long userId, String condition) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM client_tokens WHERE user_id = ?" + condition
                    + " ORDER BY created_at DESC, " + db.dialect().insertionOrder() + " DESC")) {
                ps.setLong(1, userId);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<ClientToken>();
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public boolean revoke(Tx tx, String id, Instant now) {
        return tx.update("UPDATE client_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now.getEpochSecond(), id) == 1;
    }

    @Override
    public List<String> revokeAll(Tx tx, long userId, Instant now) {
        return tx.strings("UPDATE client_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING id",
                now.getEpochSecond(), userId);
    }

    @Override
    public boolean replaceSecret(Tx tx, String id, String secretHash) {
        return tx.update("UPDATE client_tokens SET secret_hash = ? WHERE id = ? AND revoked_at IS NULL", secretHash, id) == 1;
    }

    @Override
    public void touch(String id, Instant usedAt) {
        db.run(tx -> {
            try (var ps = tx.prepare("UPDATE client_tokens SET last_used_at = ? WHERE id = ?")) {
                ps.setLong(1, usedAt.getEpochSecond());
                ps.setString(2, id);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public int purgeDead(Instant before, int batch) {
        // Pairing codes of a deleted token go with it (ON DELETE CASCADE).
        long t = before.getEpochSecond();
        return db.inTransaction(tx -> tx.update("DELETE FROM client_tokens WHERE id IN (SELECT id FROM client_tokens WHERE"
                + " (revoked_at IS NOT NULL AND revoked_at < ?) OR (expires_at IS NOT NULL AND expires_at < ?) LIMIT ?)", t, t, batch));
    }

    private static ClientToken map(ResultSet rs) throws SQLException {
        var networks = new ArrayList<Cidr>();
        String nets = rs.getString("networks");
        if (nets != null) {
            for (String n : nets.split(",")) {
                networks.add(Cidr.parse(n));
            }
        }
        return new ClientToken(rs.getString("id"), rs.getLong("user_id"), rs.getString("name"),
                ScopeCatalog.parse(rs.getString("scopes")), rs.getString("secret_hash"), networks, rs.getString("device"),
                Instant.ofEpochSecond(rs.getLong("created_at")), instant(rs, "expires_at"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochSecond(v);
    }
}
