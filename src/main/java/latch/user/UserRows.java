package latch.user;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Reading and inserting user rows inside someone else's transaction (the user store's, or an invite redemption's). */
public final class UserRows {
    static final String COLUMNS = "id, username, password_hash, role, enabled, display_name, email, created_at";

    private UserRows() {}

    /** Inserts within the caller's transaction; empty if the username is taken. */
    public static Optional<User> insert(Connection c, NewUser user, Clock clock) throws SQLException {
        long now = clock.instant().getEpochSecond();
        // The id comes from the high-water mark (V005), never from a deleted user.
        try (var ps = c.prepareStatement("INSERT INTO users(id, username, password_hash, role, enabled, display_name, email, created_at, updated_at)"
                + " VALUES ((SELECT value + 1 FROM id_high_water WHERE name = 'users'),?,?,?,1,?,?,?,?) ON CONFLICT(username) DO NOTHING")) {
            ps.setString(1, user.username());
            ps.setString(2, user.passwordHash());
            ps.setString(3, user.role().wireName());
            ps.setString(4, user.displayName());
            ps.setString(5, user.email());
            ps.setLong(6, now);
            ps.setLong(7, now);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return one(c, "SELECT " + COLUMNS + " FROM users WHERE username = ?", user.username());
    }

    static Optional<User> one(Connection c, String sql, Object param) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    static User map(ResultSet rs) throws SQLException {
        return new User(
                rs.getLong("id"),
                rs.getString("username"),
                rs.getString("password_hash"),
                Role.parse(rs.getString("role")).orElseThrow(),
                rs.getInt("enabled") == 1,
                rs.getString("display_name"),
                rs.getString("email"),
                Instant.ofEpochSecond(rs.getLong("created_at")));
    }
}
