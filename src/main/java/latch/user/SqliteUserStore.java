package latch.user;

import latch.db.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqliteUserStore implements UserStore {
    private final Database db;
    private final Clock clock;

    public SqliteUserStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<User> findById(long id) {
        return db.read(c -> UserRows.one(c, "SELECT " + UserRows.COLUMNS + " FROM users WHERE id = ?", id));
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return db.read(c -> UserRows.one(c, "SELECT " + UserRows.COLUMNS + " FROM users WHERE username = ?", username));
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
            return insert(c, new NewUser(username, passwordHash, role, null, null));
        });
    }

    @Override
    public Optional<User> create(NewUser user) {
        return db.transaction(c -> insert(c, user));
    }


    private Optional<User> insert(Connection c, NewUser user) throws SQLException {
        return UserRows.insert(c, user, clock);
    }

    @Override
    public void updatePasswordHash(long id, String passwordHash) {
        update(id, new UserChange(null, null, passwordHash, null, null));
    }

    @Override
    public Optional<User> update(long id, UserChange change) {
        return db.transaction(c -> {
            if (UserRows.one(c, "SELECT " + UserRows.COLUMNS + " FROM users WHERE id = ?", id).isEmpty()) {
                return Optional.empty();
            }
            try (var ps = c.prepareStatement("UPDATE users SET role = COALESCE(?, role), enabled = COALESCE(?, enabled),"
                    + " password_hash = COALESCE(?, password_hash), display_name = COALESCE(?, display_name),"
                    + " email = COALESCE(?, email), updated_at = ? WHERE id = ?")) {
                ps.setString(1, change.role() == null ? null : change.role().wireName());
                ps.setObject(2, change.enabled() == null ? null : (change.enabled() ? 1 : 0));
                ps.setString(3, change.passwordHash());
                ps.setString(4, change.displayName());
                ps.setString(5, change.email());
                ps.setLong(6, clock.instant().getEpochSecond());
                ps.setLong(7, id);
                ps.executeUpdate();
            }
            requireAnAdmin(c);
            return UserRows.one(c, "SELECT " + UserRows.COLUMNS + " FROM users WHERE id = ?", id);
        });
    }

    @Override
    public boolean delete(long id) {
        return db.transaction(c -> {
            int deleted;
            try (var ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
                ps.setLong(1, id);
                deleted = ps.executeUpdate();
            }
            requireAnAdmin(c);
            return deleted == 1;
        });
    }

    /** Runs inside the changing transaction, so the check and the change are one atomic step. */
    private static void requireAnAdmin(Connection c) throws SQLException {
        try (var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM users WHERE role = 'admin' AND enabled = 1")) {
            if (rs.next() && rs.getLong(1) == 0) {
                throw new LastAdminException();
            }
        }
    }

    @Override
    public List<User> list(String search, String afterUsername, int limit) {
        var sql = new StringBuilder("SELECT " + UserRows.COLUMNS + " FROM users WHERE 1 = 1");
        var params = new ArrayList<Object>();
        if (search != null && !search.isBlank()) {
            String term = search.strip();
            if (term.codePointCount(0, term.length()) >= 3) {
                // The trigram index finds "contains" matches in username, display name and email without a scan.
                sql.append(" AND id IN (SELECT rowid FROM users_search WHERE users_search MATCH ?)");
                params.add("\"" + term.replace("\"", "\"\"") + "\"");
            } else {
                // Too short for trigrams: a username prefix, which the NOCASE index answers.
                sql.append(" AND username LIKE ? ESCAPE '\\'");
                params.add(term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
        }
        if (afterUsername != null) {
            sql.append(" AND username > ?");
            params.add(afterUsername);
        }
        sql.append(" ORDER BY username LIMIT ?");
        params.add(limit);
        return db.read(c -> {
            try (var ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<User>();
                    while (rs.next()) {
                        out.add(UserRows.map(rs));
                    }
                    return out;
                }
            }
        });
    }


}
