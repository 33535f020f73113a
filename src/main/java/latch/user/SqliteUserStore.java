package latch.user;

import latch.db.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

public final class SqliteUserStore implements UserStore {
    private static final String COLUMNS = "id, username, password_hash, role, enabled, display_name, email, created_at";

    private final Database db;
    private final Clock clock;

    public SqliteUserStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<User> findById(long id) {
        return db.read(c -> one(c, "SELECT " + COLUMNS + " FROM users WHERE id = ?", id));
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return db.read(c -> one(c, "SELECT " + COLUMNS + " FROM users WHERE username = ?", username));
    }

    @Override
    public long count() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM users")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public Optional<User> createIfNoUsers(String username, String passwordHash, Role role) {
        return db.transaction(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM users)")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
            long now = clock.instant().getEpochSecond();
            try (var ps = c.prepareStatement(
                    "INSERT INTO users(username, password_hash, role, enabled, created_at, updated_at) VALUES (?,?,?,1,?,?)")) {
                ps.setString(1, username);
                ps.setString(2, passwordHash);
                ps.setString(3, role.wireName());
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.executeUpdate();
            }
            return one(c, "SELECT " + COLUMNS + " FROM users WHERE username = ?", username);
        });
    }

    @Override
    public void updatePasswordHash(long id, String passwordHash) {
        db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setLong(2, clock.instant().getEpochSecond());
                ps.setLong(3, id);
                ps.executeUpdate();
            }
        });
    }

    private static Optional<User> one(Connection c, String sql, Object param) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static User map(ResultSet rs) throws SQLException {
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
