package latch.federation;

import latch.db.Constraints;
import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public final class SqlIssuerStore implements IssuerStore {
    private static final String COLUMNS = "id, issuer, jwks_url, algorithms, enabled, list_rooms, note, created_at, updated_at";
    /** SQLite's result code for a violated constraint (here: the unique issuer). */
    private final Database db;

    public SqlIssuerStore(Database db) {
        this.db = db;
    }

    @Override
    public List<TrustedIssuer> all() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM trusted_issuers ORDER BY id"); var rs = ps.executeQuery()) {
                var out = new ArrayList<TrustedIssuer>();
                while (rs.next()) {
                    out.add(map(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<TrustedIssuer> add(Tx tx, TrustedIssuer i) {
        try (var ps = tx.prepare("INSERT INTO trusted_issuers(issuer, jwks_url, algorithms, enabled, list_rooms, note,"
                + " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(issuer) DO NOTHING RETURNING " + COLUMNS)) {
            bind(ps, i);
            ps.setLong(7, i.createdAt().toEpochMilli());
            ps.setLong(8, i.updatedAt().toEpochMilli());
            return one(ps);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<TrustedIssuer> find(Tx tx, long id) {
        try (var ps = tx.prepare("SELECT " + COLUMNS + " FROM trusted_issuers WHERE id = ?")) {
            ps.setLong(1, id);
            return one(ps);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Updated update(Tx tx, TrustedIssuer i) {
        try (var ps = tx.prepare("UPDATE trusted_issuers SET issuer = ?, jwks_url = ?, algorithms = ?, enabled = ?,"
                + " list_rooms = ?, note = ?, updated_at = ? WHERE id = ?")) {
            bind(ps, i);
            ps.setLong(7, i.updatedAt().toEpochMilli());
            ps.setLong(8, i.id());
            return ps.executeUpdate() == 1 ? Updated.UPDATED : Updated.NOT_FOUND;
        } catch (SQLException e) {
            // The unique index decides in the same statement: no window between a check and the write.
            if (Constraints.isDuplicate(e)) {
                return Updated.DUPLICATE;
            }
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> delete(Tx tx, long id) {
        List<String> gone = tx.strings("DELETE FROM trusted_issuers WHERE id = ? RETURNING issuer", id);
        return gone.isEmpty() ? Optional.empty() : Optional.of(gone.get(0));
    }

    private static void bind(PreparedStatement ps, TrustedIssuer i) throws SQLException {
        ps.setString(1, i.issuer());
        ps.setString(2, i.jwksUrl());
        ps.setString(3, String.join(" ", i.algorithms()));
        ps.setInt(4, i.enabled() ? 1 : 0);
        ps.setInt(5, i.listRooms() ? 1 : 0);
        ps.setString(6, i.note());
    }

    private static Optional<TrustedIssuer> one(PreparedStatement ps) throws SQLException {
        try (var rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static TrustedIssuer map(ResultSet rs) throws SQLException {
        return new TrustedIssuer(rs.getLong("id"), rs.getString("issuer"), rs.getString("jwks_url"),
                Arrays.asList(rs.getString("algorithms").split(" ")), rs.getInt("enabled") == 1, rs.getInt("list_rooms") == 1,
                rs.getString("note"), Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
