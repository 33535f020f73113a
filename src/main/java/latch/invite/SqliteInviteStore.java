package latch.invite;

import latch.db.Database;
import latch.user.NewUser;
import latch.user.Role;
import latch.user.UserRows;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqliteInviteStore implements InviteStore {
    private static final String COLUMNS = "id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at";
    private final Database db;
    private final Clock clock;

    public SqliteInviteStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void create(Invite i, String tokenHash) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO invites(id, token_hash, role, created_by, created_at, expires_at, max_uses)"
                    + " VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, i.id());
                ps.setString(2, tokenHash);
                ps.setString(3, i.role().wireName());
                ps.setObject(4, i.createdBy());
                ps.setLong(5, i.createdAt().getEpochSecond());
                ps.setLong(6, i.expiresAt().getEpochSecond());
                ps.setInt(7, i.maxUses());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Invite> list(Instant now) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM invites WHERE revoked_at IS NULL AND expires_at > ?"
                    + " AND uses < max_uses ORDER BY created_at DESC LIMIT 500")) {
                ps.setLong(1, now.getEpochSecond());
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
    public boolean revoke(String id, Instant now) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Redemption redeem(String tokenHash, Instant now, NewUserFromInvite builder) {
        return db.transaction(c -> {
            Optional<Invite> invite;
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM invites WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                try (var rs = ps.executeQuery()) {
                    invite = rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
            if (invite.isEmpty() || !invite.get().usable(now)) {
                return new Redemption(Optional.empty(), Optional.empty(), false);
            }
            NewUser user = builder.with(invite.get());
            Optional<latch.user.User> created = UserRows.insert(c, user, clock);
            if (created.isEmpty()) {
                return new Redemption(invite, Optional.empty(), true);
            }
            try (var ps = c.prepareStatement("UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses")) {
                ps.setString(1, invite.get().id());
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("invite spent concurrently");
                }
            }
            return new Redemption(invite, created, false);
        });
    }

    private static Invite map(ResultSet rs) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochSecond(revoked);
        long createdBy = rs.getLong("created_by");
        Long creator = rs.wasNull() ? null : createdBy;
        return new Invite(rs.getString("id"), Role.parse(rs.getString("role")).orElseThrow(), creator,
                Instant.ofEpochSecond(rs.getLong("created_at")), Instant.ofEpochSecond(rs.getLong("expires_at")),
                rs.getInt("max_uses"), rs.getInt("uses"), revokedAt);
    }
}
