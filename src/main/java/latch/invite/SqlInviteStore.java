package latch.invite;

import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;
import latch.user.Role;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlInviteStore implements InviteStore {
    private static final String COLUMNS = "id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at, name";
    /** As many as the admin page lists; the housekeeping deletes spent ones a week on, so this is rarely reached. */
    private static final int LISTED = 500;
    private final Database db;

    public SqlInviteStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(Tx tx, Invite i, String tokenHash) {
        try (var ps = tx.prepare("INSERT INTO invites(id, token_hash, role, created_by, created_at, expires_at, max_uses, name)"
                + " VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, i.id());
            ps.setString(2, tokenHash);
            ps.setString(3, i.role().wireName());
            ps.setObject(4, i.createdBy());
            ps.setLong(5, i.createdAt().getEpochSecond());
            ps.setLong(6, i.expiresAt().getEpochSecond());
            ps.setInt(7, i.maxUses());
            ps.setString(8, i.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public List<Invite> list() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM invites ORDER BY created_at DESC, " + db.dialect().insertionOrder() + " DESC LIMIT ?")) {
                ps.setInt(1, LISTED);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Invite>();
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public Optional<Invite> findByTokenHash(String tokenHash) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM invites WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Invite> revoke(Tx tx, String id, Instant now) {
        try (var ps = tx.prepare("UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING " + COLUMNS)) {
            ps.setLong(1, now.getEpochSecond());
            ps.setString(2, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<Invite> spend(Tx tx, String tokenHash, Instant now) {
        try (var ps = tx.prepare("UPDATE invites SET uses = uses + 1 WHERE token_hash = ? AND revoked_at IS NULL"
                + " AND uses < max_uses AND expires_at > ? RETURNING " + COLUMNS)) {
            ps.setString(1, tokenHash);
            ps.setLong(2, now.getEpochSecond());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public int purgeSpent(Instant before, int batch) {
        long t = before.getEpochSecond();
        return db.inTransaction(tx -> tx.update("DELETE FROM invites WHERE id IN (SELECT id FROM invites WHERE"
                + " (revoked_at IS NOT NULL AND revoked_at < ?) OR expires_at < ? OR (uses >= max_uses AND created_at < ?) LIMIT ?)",
                t, t, t, batch));
    }

    private static Invite map(ResultSet rs) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochSecond(revoked);
        long createdBy = rs.getLong("created_by");
        Long creator = rs.wasNull() ? null : createdBy;
        return new Invite(rs.getString("id"), Role.parse(rs.getString("role")).orElseThrow(), creator,
                Instant.ofEpochSecond(rs.getLong("created_at")), Instant.ofEpochSecond(rs.getLong("expires_at")),
                rs.getInt("max_uses"), rs.getInt("uses"), revokedAt, rs.getString("name"));
    }
}
