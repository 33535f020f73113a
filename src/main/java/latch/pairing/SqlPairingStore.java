package latch.pairing;

import latch.access.ScopeCatalog;
import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

public final class SqlPairingStore implements PairingStore {
    private static final String COLUMNS = "user_code_hash, client_name, scopes, status, user_id, token_name, token_scopes,"
            + " token_expires_in, created_at, expires_at, interval_seconds, last_poll_at, polled_too_soon";
    private final Database db;

    public SqlPairingStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean createCode(Tx tx, String codeHash, String tokenId, Instant now, Instant expiresAt) {
        return tx.update("INSERT INTO pairing_codes(code_hash, token_id, created_at, expires_at) VALUES (?,?,?,?)"
                + " ON CONFLICT(code_hash) DO NOTHING", codeHash, tokenId, now.getEpochSecond(), expiresAt.getEpochSecond()) == 1;
    }

    @Override
    public Optional<String> consumeCode(Tx tx, String codeHash, Instant now) {
        long t = now.getEpochSecond();
        return tx.strings("UPDATE pairing_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?"
                + " RETURNING token_id", t, codeHash, t).stream().findFirst();
    }

    @Override
    public boolean createDevice(Tx tx, String deviceCodeHash, DeviceAuthorization a) {
        // Only a taken user code is expected; a clash of 256-bit device codes still fails loudly.
        try (var ps = tx.prepare("INSERT INTO device_authorizations(device_code_hash, user_code_hash, client_name, scopes,"
                + " created_at, expires_at, interval_seconds) VALUES (?,?,?,?,?,?,?) ON CONFLICT(user_code_hash) DO NOTHING")) {
            ps.setString(1, deviceCodeHash);
            ps.setString(2, a.userCodeHash());
            ps.setString(3, a.clientName());
            ps.setString(4, ScopeCatalog.format(a.requestedScopes()));
            ps.setLong(5, a.createdAt().getEpochSecond());
            ps.setLong(6, a.expiresAt().getEpochSecond());
            ps.setInt(7, a.intervalSeconds());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<DeviceAuthorization> findByUserCode(String userCodeHash) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM device_authorizations WHERE user_code_hash = ?")) {
                ps.setString(1, userCodeHash);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean decide(Tx tx, String userCodeHash, DeviceAuthorization.Status decision, long userId, String tokenName,
                          Set<String> scopes, Long expiresIn, Instant now) {
        try (var ps = tx.prepare("UPDATE device_authorizations SET status = ?, user_id = ?, token_name = ?, token_scopes = ?,"
                + " token_expires_in = ? WHERE user_code_hash = ? AND status = 'pending' AND expires_at > ?")) {
            ps.setString(1, decision.name().toLowerCase(Locale.ROOT));
            ps.setLong(2, userId);
            ps.setString(3, tokenName);
            ps.setString(4, scopes == null ? null : ScopeCatalog.format(scopes));
            ps.setObject(5, expiresIn);
            ps.setString(6, userCodeHash);
            ps.setLong(7, now.getEpochSecond());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<DeviceAuthorization> poll(Tx tx, String deviceCodeHash, Instant now, int slowDownSeconds) {
        // Every SET reads the row as it was before this statement, so "too soon" is judged on the previous poll.
        String tooSoon = "(last_poll_at IS NOT NULL AND ? - last_poll_at < interval_seconds)";
        try (var ps = tx.prepare("UPDATE device_authorizations SET polled_too_soon = CASE WHEN " + tooSoon + " THEN 1 ELSE 0 END,"
                + " interval_seconds = interval_seconds + CASE WHEN " + tooSoon + " THEN ? ELSE 0 END, last_poll_at = ?"
                + " WHERE device_code_hash = ? RETURNING " + COLUMNS)) {
            long t = now.getEpochSecond();
            ps.setLong(1, t);
            ps.setLong(2, t);
            ps.setInt(3, slowDownSeconds);
            ps.setLong(4, t);
            ps.setString(5, deviceCodeHash);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public boolean markDelivered(Tx tx, String deviceCodeHash) {
        return tx.update("UPDATE device_authorizations SET status = 'delivered' WHERE device_code_hash = ? AND status = 'approved'",
                deviceCodeHash) == 1;
    }

    @Override
    public int purgeExpired(Instant before, int batch) {
        long t = before.getEpochSecond();
        return db.inTransaction(tx -> tx.update("DELETE FROM pairing_codes WHERE code_hash IN"
                + " (SELECT code_hash FROM pairing_codes WHERE expires_at < ? LIMIT ?)", t, batch)
                + tx.update("DELETE FROM device_authorizations WHERE device_code_hash IN"
                + " (SELECT device_code_hash FROM device_authorizations WHERE expires_at < ? LIMIT ?)", t, batch));
    }

    private static DeviceAuthorization map(ResultSet rs) throws SQLException {
        long user = rs.getLong("user_id");
        Long userId = rs.wasNull() ? null : user;
        long exp = rs.getLong("token_expires_in");
        Long expiresIn = rs.wasNull() ? null : exp;
        long poll = rs.getLong("last_poll_at");
        Instant lastPoll = rs.wasNull() ? null : Instant.ofEpochSecond(poll);
        String tokenScopes = rs.getString("token_scopes");
        return new DeviceAuthorization(rs.getString("user_code_hash"), rs.getString("client_name"), ScopeCatalog.parse(rs.getString("scopes")),
                DeviceAuthorization.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), userId, rs.getString("token_name"),
                tokenScopes == null ? null : ScopeCatalog.parse(tokenScopes), expiresIn,
                Instant.ofEpochSecond(rs.getLong("created_at")), Instant.ofEpochSecond(rs.getLong("expires_at")),
                rs.getInt("interval_seconds"), lastPoll, rs.getInt("polled_too_soon") == 1);
    }
}
