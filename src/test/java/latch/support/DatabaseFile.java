package latch.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at a data directory's database (its latch.db, or its PostgreSQL database) from outside the server, over a plain JDBC connection of its own: what a
 * test asserts about rows is what is on disk, not what a cache or a service says.
 */
public final class DatabaseFile {
    private DatabaseFile() {}

    private static Connection open(Path dataDir) throws SQLException {
        return TestDatabases.connect(dataDir);
    }

    /** The first column of the first row, as a number ({@code SELECT COUNT(*) ...}). */
    public static long number(Path dataDir, String sql, Object... params) {
        try (var c = open(dataDir); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row for " + sql);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row, as text. */
    public static List<String> strings(Path dataDir, String sql, Object... params) {
        try (var c = open(dataDir); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                var out = new ArrayList<String>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs one statement (busy timeout as the server's, as the server may be writing too); answers rows changed. */
    public static int update(Path dataDir, String sql, Object... params) {
        try (var c = open(dataDir)) {
            if (!PostgresServer.selected()) {
                try (var st = c.createStatement()) {
                    st.execute("PRAGMA busy_timeout = 5000");
                }
            }
            try (var ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }
}
