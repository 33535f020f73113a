package latch.user;

import latch.db.Database;
import latch.db.Dialect;
import latch.db.DatabaseException;
import latch.db.Tx;

import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class SqlUserStore implements UserStore {
    private static final String BY_ID = "SELECT " + UserRows.COLUMNS + " FROM users WHERE id = ?";
    private final Database db;
    private final Clock clock;

    public SqlUserStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<User> findById(long id) {
        return db.read(c -> UserRows.one(c, BY_ID, id));
    }

    @Override
    public Optional<User> findById(Tx tx, long id) {
        try {
            return UserRows.one(tx.connection(), BY_ID, id);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return db.read(c -> UserRows.one(c, "SELECT " + UserRows.COLUMNS + " FROM users WHERE username = ?", username));
    }

    @Override
    public List<User> findByEmail(String email, int limit) {
        return db.read(c -> {
            // Case-insensitive either way: SQLite by the collation its index uses, PostgreSQL because email is citext.
            String nocase = db.dialect() == Dialect.SQLITE ? " COLLATE NOCASE" : "";
            try (var ps = c.prepareStatement("SELECT " + UserRows.COLUMNS + " FROM users WHERE email = ?" + nocase
                    + " ORDER BY id LIMIT ?")) {
                ps.setString(1, email);
                ps.setInt(2, limit);
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

    @Override
    public boolean isClaimed() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT claimed_at IS NOT NULL FROM instance_state WHERE id = 1")) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    @Override
    public long enabledAdmins() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT enabled_admins FROM instance_state WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public boolean claim(Tx tx) {
        try (var ps = tx.prepare("UPDATE instance_state SET claimed_at = ? WHERE id = 1 AND claimed_at IS NULL")) {
            ps.setLong(1, clock.instant().getEpochSecond());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<User> create(Tx tx, NewUser user) {
        long now = clock.instant().getEpochSecond();
        // The id comes from the high-water mark (V005), never from a deleted user.
        try (var ps = tx.prepare("INSERT INTO users(id, username, password_hash, role, enabled, display_name, email, created_at, updated_at)"
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
            return UserRows.one(tx.connection(), "SELECT " + UserRows.COLUMNS + " FROM users WHERE username = ?", user.username());
        } catch (SQLException e) {
            throw translated(e);
        }
    }

    @Override
    public Optional<User> update(Tx tx, long id, UserChange change) {
        boolean setsNetplay = change.netplayUsername() != null;
        String netplay = setsNetplay && !change.netplayUsername().isEmpty() ? change.netplayUsername() : null;
        // The name and its key change together, in the statement the unique index (V009) checks: no read first.
        try (var ps = tx.prepare("UPDATE users SET role = COALESCE(?, role), enabled = COALESCE(?, enabled),"
                + " password_hash = COALESCE(?, password_hash), display_name = COALESCE(?, display_name),"
                + " email = COALESCE(?, email), netplay_username = CASE WHEN ? THEN ? ELSE netplay_username END,"
                + " netplay_key = CASE WHEN ? THEN ? ELSE netplay_key END,"
                + " updated_at = ?, revision = revision + 1 WHERE id = ?")) {
            ps.setString(1, change.role() == null ? null : change.role().wireName());
            ps.setObject(2, change.enabled() == null ? null : (change.enabled() ? 1 : 0));
            ps.setString(3, change.passwordHash());
            ps.setString(4, change.displayName());
            ps.setString(5, change.email());
            ps.setBoolean(6, setsNetplay);
            ps.setString(7, netplay);
            ps.setBoolean(8, setsNetplay);
            ps.setString(9, netplay == null ? null : netplayKey(netplay));
            ps.setLong(10, clock.instant().getEpochSecond());
            ps.setLong(11, id);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
            return UserRows.one(tx.connection(), BY_ID, id);
        } catch (SQLException e) {
            throw translated(e);
        }
    }

    @Override
    public boolean delete(Tx tx, long id) {
        try (var ps = tx.prepare("DELETE FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw translated(e);
        }
    }

    /**
     * The CHECK named last_admin (V007) failing means the change would leave no enabled admin; the unique index
     * users_netplay_name (V009), that the name is already another account's netplay name.
     */
    private static RuntimeException translated(SQLException e) {
        if (e.getMessage() != null && e.getMessage().contains("last_admin")) {
            return new LastAdminException();
        }
        if (e.getMessage() != null && e.getMessage().contains("users_netplay_name")) {
            return new NetplayNameTakenException();
        }
        return new DatabaseException(e.getMessage(), e);
    }

    /**
     * What makes two netplay names one: compatibility forms (NFKC) and case folded, so "Alice", "ALICE" and the
     * full-width "ＡＬＩＣＥ" are the same name. For an ASCII username this is SQLite's lower(), which V009 indexes.
     */
    private static String netplayKey(String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }

    private static String likeEscaped(String term) {
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public List<User> list(String search, String afterUsername, int limit) {
        var sql = new StringBuilder("SELECT " + UserRows.COLUMNS + " FROM users WHERE 1 = 1");
        var params = new ArrayList<Object>();
        if (search != null && !search.isBlank()) {
            String term = search.strip();
            if (term.codePointCount(0, term.length()) >= 3 && db.dialect() == Dialect.POSTGRES) {
                // pg_trgm's indexes answer "contains" in username, display name and email without a scan.
                sql.append(" AND (CAST(username AS TEXT) ILIKE ? ESCAPE '\\' OR display_name ILIKE ? ESCAPE '\\'"
                        + " OR CAST(email AS TEXT) ILIKE ? ESCAPE '\\')");
                String contains = "%" + likeEscaped(term) + "%";
                params.add(contains);
                params.add(contains);
                params.add(contains);
            } else if (term.codePointCount(0, term.length()) >= 3) {
                // The trigram index finds "contains" matches in username, display name and email without a scan.
                sql.append(" AND id IN (SELECT rowid FROM users_search WHERE users_search MATCH ?)");
                params.add("\"" + term.replace("\"", "\"\"") + "\"");
            } else {
                // Too short for trigrams: a username prefix, which the NOCASE index answers.
                sql.append(" AND username LIKE ? ESCAPE '\\'");
                params.add(likeEscaped(term) + "%");
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
