package latch.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Numbered, forward-only schema changes shipped in the jar under {@code db/migration/}. Each applied version is
 * recorded; a database written by a newer Latch is refused rather than guessed at.
 */
public final class Migrations {
    /** In order; a new migration is a new file here and a new line in this list. */
    static final List<String> FILES = List.of(
            "V001__init.sql",
            "V002__accounts.sql",
            "V003__user_search.sql",
            "V004__client_tokens.sql",
            "V005__user_ids_never_reused.sql",
            "V006__outside_changes.sql",
            "V007__core.sql",
            "V008__published_keys.sql",
            "V009__netplay_username.sql",
            "V010__trusted_issuers.sql",
            "V011__one_time_links.sql",
            "V012__oidc.sql",
            "V013__alerts.sql",
            "V014__audit_by_actor.sql",
            "V015__apps.sql",
            "V016__invite_names.sql");

    private Migrations() {}

    /** The file that made schema version {@code version} (1 is the first), e.g. to tell a Latch database from another. */
    public static String fileOf(int version) {
        return FILES.get(version - 1);
    }

    public static int latestVersion() {
        return FILES.size();
    }

    /** The schema version the database is at now (another process may have migrated it since this one started). */
    public static int appliedVersion(Database db) {
        return db.read(Migrations::current);
    }

    /** Applies what is missing and returns the versions applied. */
    public static List<Integer> apply(Database db) {
        return db.inTransaction(tx -> {
            var c = tx.connection();
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        + "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            }
            int current = current(c);
            if (current > latestVersion()) {
                throw new DatabaseException("the database " + db.file() + " is at schema version " + current
                        + " but this Latch only knows up to " + latestVersion()
                        + "; run the newer Latch that wrote it, or restore a backup", null);
            }
            var applied = new java.util.ArrayList<Integer>();
            for (int version = current + 1; version <= latestVersion(); version++) {
                String name = FILES.get(version - 1);
                try (var st = c.createStatement()) {
                    for (String statement : statements(read(name))) {
                        st.execute(statement);
                    }
                }
                try (var ps = c.prepareStatement("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?,?,?)")) {
                    ps.setInt(1, version);
                    ps.setString(2, name);
                    ps.setLong(3, System.currentTimeMillis() / 1000);
                    ps.executeUpdate();
                }
                applied.add(version);
            }
            return applied;
        });
    }

    private static int current(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + name)) {
            if (in == null) {
                throw new DatabaseException("migration " + name + " is missing from the jar", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatabaseException("cannot read migration " + name, e);
        }
    }

    /**
     * Splits a script on semicolons at line ends; migrations keep to one statement per such line. A trigger body
     * (BEGIN ... END;) stays one statement.
     */
    static List<String> statements(String script) {
        var out = new java.util.ArrayList<String>();
        var current = new StringBuilder();
        boolean inTrigger = false;
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.startsWith("CREATE TRIGGER")) {
                inTrigger = true;
            }
            if (inTrigger ? trimmed.equals("END;") : trimmed.endsWith(";")) {
                inTrigger = false;
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
