package latch.pairing;

import latch.access.ScopeCatalog;
import latch.db.Database;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

public final class SqlitePairingStore implements PairingStore {
    private static final String COLUMNS = "user_code, client_name, scopes, status, user_id, token_name, token_scopes, token_expires_in,"
            + " created_at, expires_at, interval_seconds, last_poll_at";
    private final Database db;

    public SqlitePairingStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean createCode(String codeHash, String tokenId, Instant now, Instant expiresAt) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("INSERT INTO pairing_codes(code_hash, token_id, created_at, expires_at) VALUES (?,?,?,?)"
                    + " ON CONFLICT(code_hash) DO NOTHING")) {
                ps.setString(1, codeHash);
                ps.setString(2, tokenId);
                ps.setLong(3, now.getEpochSecond());
                ps.setLong(4, expiresAt.getEpochSecond());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<String> consumeCode(String codeHash, Instant now) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE pairing_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setString(2, codeHash);
                ps.setLong(3, now.getEpochSecond());
                if (ps.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            try (var ps = c.prepareStatement("SELECT token_id FROM pairing_codes WHERE code_hash = ?")) {
                ps.setString(1, codeHash);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean createDevice(String deviceCodeHash, DeviceAuthorization a) {
        return db.transaction(c -> {
            // Only a taken user code is expected; a clash of 256-bit device codes still fails loudly.
            try (var ps = c.prepareStatement("INSERT INTO device_authorizations(device_code_hash, user_code, client_name, scopes,"
                    + " created_at, expires_at, interval_seconds) VALUES (?,?,?,?,?,?,?) ON CONFLICT(user_code) DO NOTHING")) {
                ps.setString(1, deviceCodeHash);
                ps.setString(2, a.userCode());
                ps.setString(3, a.clientName());
                ps.setString(4, ScopeCatalog.format(a.requestedScopes()));
                ps.setLong(5, a.createdAt().getEpochSecond());
                ps.setLong(6, a.expiresAt().getEpochSecond());
                ps.setInt(7, a.intervalSeconds());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<DeviceAuthorization> findByUserCode(String userCode) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM device_authorizations WHERE user_code = ?")) {
                ps.setString(1, userCode);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean decide(String userCode, DeviceAuthorization.Status decision, long userId, String tokenName, Set<String> scopes,
                          Long expiresIn, Instant now) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE device_authorizations SET status = ?, user_id = ?, token_name = ?, token_scopes = ?,"
                    + " token_expires_in = ? WHERE user_code = ? AND status = 'pending' AND expires_at > ?")) {
                ps.setString(1, decision.name().toLowerCase(Locale.ROOT));
                ps.setLong(2, userId);
                ps.setString(3, tokenName);
                ps.setString(4, scopes == null ? null : ScopeCatalog.format(scopes));
                ps.setObject(5, expiresIn);
                ps.setString(6, userCode);
                ps.setLong(7, now.getEpochSecond());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<Poll> poll(String deviceCodeHash, Instant now, int slowDownSeconds) {
        return db.transaction(c -> {
            DeviceAuthorization found;
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM device_authorizations WHERE device_code_hash = ?")) {
                ps.setString(1, deviceCodeHash);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    found = map(rs);
                }
            }
            boolean tooSoon = found.lastPollAt() != null
                    && now.getEpochSecond() - found.lastPollAt().getEpochSecond() < found.intervalSeconds();
            try (var ps = c.prepareStatement("UPDATE device_authorizations SET last_poll_at = ?, interval_seconds = interval_seconds + ?"
                    + " WHERE device_code_hash = ?")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setInt(2, tooSoon ? slowDownSeconds : 0);
                ps.setString(3, deviceCodeHash);
                ps.executeUpdate();
            }
            return Optional.of(new Poll(found, tooSoon));
        });
    }

    @Override
    public <T> Optional<T> deliver(String deviceCodeHash, Supplier<T> mint) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE device_authorizations SET status = 'delivered' WHERE device_code_hash = ? AND status = 'approved'")) {
                ps.setString(1, deviceCodeHash);
                if (ps.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            // The token store joins this transaction, so the token and the delivered mark commit together or not at all.
            return Optional.of(mint.get());
        });
    }

    private static DeviceAuthorization map(ResultSet rs) throws SQLException {
        long user = rs.getLong("user_id");
        Long userId = rs.wasNull() ? null : user;
        long exp = rs.getLong("token_expires_in");
        Long expiresIn = rs.wasNull() ? null : exp;
        long poll = rs.getLong("last_poll_at");
        Instant lastPoll = rs.wasNull() ? null : Instant.ofEpochSecond(poll);
        String tokenScopes = rs.getString("token_scopes");
        return new DeviceAuthorization(rs.getString("user_code"), rs.getString("client_name"), ScopeCatalog.parse(rs.getString("scopes")),
                DeviceAuthorization.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), userId, rs.getString("token_name"),
                tokenScopes == null ? null : ScopeCatalog.parse(tokenScopes), expiresIn,
                Instant.ofEpochSecond(rs.getLong("created_at")), Instant.ofEpochSecond(rs.getLong("expires_at")),
                rs.getInt("interval_seconds"), lastPoll);
    }
}
