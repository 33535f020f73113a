package latch.clienttoken;

import latch.access.ScopeCatalog;
import latch.db.Database;
import latch.http.Cidr;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

public final class SqliteClientTokenStore implements ClientTokenStore {
    private static final String COLUMNS = "id, user_id, name, scopes, secret_hash, networks, device, created_at, expires_at, last_used_at, revoked_at";
    private final Database db;

    public SqliteClientTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean createWithin(ClientToken t, int max, Instant now) {
        return db.transaction(c -> {
            if (countActive(c, t.userId(), now) >= max) {
                return false;
            }
            try (var ps = c.prepareStatement("INSERT INTO client_tokens(id, user_id, name, scopes, secret_hash, networks, device, created_at, expires_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?)")) {
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
                ps.executeUpdate();
            }
            return true;
        });
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
        return db.read(c -> countActive(c, userId, now));
    }

    private static int countActive(Connection c, long userId, Instant now) throws SQLException {
        try (var ps = c.prepareStatement("SELECT COUNT(*) FROM client_tokens WHERE user_id = ? AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)")) {
            ps.setLong(1, userId);
            ps.setLong(2, now.getEpochSecond());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public List<ClientToken> list(long userId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM client_tokens WHERE user_id = ? AND revoked_at IS NULL"
                    + " ORDER BY created_at DESC, rowid DESC")) {
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
    public boolean revoke(String id, Instant now) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE client_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean replaceSecret(String id, String secretHash) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE client_tokens SET secret_hash = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setString(1, secretHash);
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void touch(String id, Instant usedAt) {
        db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE client_tokens SET last_used_at = ? WHERE id = ?")) {
                ps.setLong(1, usedAt.getEpochSecond());
                ps.setString(2, id);
                ps.executeUpdate();
            }
        });
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
