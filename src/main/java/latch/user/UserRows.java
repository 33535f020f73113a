package latch.user;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** User rows read the same way everywhere. */
final class UserRows {
    static final String COLUMNS = "id, username, password_hash, role, enabled, display_name, email, netplay_username, created_at, revision";

    private UserRows() {}

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
                rs.getString("netplay_username"),
                Instant.ofEpochSecond(rs.getLong("created_at")),
                rs.getLong("revision"));
    }
}
