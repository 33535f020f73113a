package latch.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Numbered, forward-only schema changes shipped in the jar under {@code db/migration/<dialect>/}. Each applied
 * version is recorded; a database written by a newer Latch is refused rather than guessed at. Several nodes
 * starting at once on one PostgreSQL server take turns: the first migrates, the others find it done.
 */
public final class Migrations {
    /**
     * SQLite's, in order: a new migration is a new file here and a new line in this list. Its version is its
     * position. Every version has a PostgreSQL twin in {@link #POSTGRES}.
     */
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
            "V016__invite_names.sql",
            "V017__netplay_shared.sql",
            "V018__shared_limits.sql");

    /**
     * PostgreSQL's, by version. PostgreSQL support began at schema version 16, so one baseline makes a new
     * database what the sixteen SQLite migrations made; from 17 on, each version has a file in both folders.
     */
    static final Map<Integer, String> POSTGRES = Map.of(
            16, "V016__baseline.sql",
            17, "V017__netplay_shared.sql",
            18, "V018__shared_limits.sql");

    /** Any fixed number: the advisory lock every node takes before it reads or changes the schema version. */
    private static final long MIGRATION_LOCK = 0x4c61746368L;

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

    /**
     * Makes every node that starts on this PostgreSQL database wait until {@code tx} ends: each takes this lock
     * before it reads the schema version, so none starts on data still being written (e.g. an install moved in).
     */
    public static void holdOffNodes(Tx tx) throws SQLException {
        if (tx.dialect() != Dialect.POSTGRES) {
            throw new IllegalStateException("only nodes sharing a PostgreSQL database take the migration lock");
        }
        lock(tx.connection());
    }

    private static void lock(Connection c) throws SQLException {
        try (var st = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            st.setLong(1, MIGRATION_LOCK);
            st.execute();
        }
    }

    /** Applies what is missing and returns the versions applied. */
    public static List<Integer> apply(Database db) {
        Dialect dialect = db.dialect();
        return db.inTransaction(tx -> {
            var c = tx.connection();
            if (dialect == Dialect.POSTGRES) {
                // Held until commit: a second node waits here, then sees the versions the first one applied.
                lock(c);
            }
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        + "version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            }
            int current = current(c);
            if (current > latestVersion()) {
                throw new DatabaseException(db.name() + " is at schema version " + current
                        + " but this Latch only knows up to " + latestVersion()
                        + "; run the newer Latch that wrote it, or restore a backup", null);
            }
            var applied = new java.util.ArrayList<Integer>();
            for (int version = current + 1; version <= latestVersion(); version++) {
                String name = dialect == Dialect.SQLITE ? FILES.get(version - 1) : POSTGRES.get(version);
                if (name == null) {
                    continue; // a version the PostgreSQL baseline covers
                }
                try (var st = c.createStatement()) {
                    for (String statement : statements(read(dialect, name))) {
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

    private static String read(Dialect dialect, String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + dialect.folder() + "/" + name)) {
            if (in == null) {
                throw new DatabaseException("migration " + name + " is missing from the jar", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatabaseException("cannot read migration " + name, e);
        }
    }

    /**
     * Splits a script on semicolons at line ends; migrations keep to one statement per such line. A SQLite trigger
     * body (BEGIN ... END;) and a PostgreSQL dollar-quoted function body ($$ ... $$) each stay inside one statement.
     */
    static List<String> statements(String script) {
        var out = new java.util.ArrayList<String>();
        var current = new StringBuilder();
        boolean inTrigger = false;
        boolean inDollarQuote = false;
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (!inDollarQuote && (trimmed.startsWith("--") || trimmed.isEmpty())) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.startsWith("CREATE TRIGGER") && trimmed.endsWith("BEGIN")) {
                inTrigger = true;
            }
            if (countOf(line, "$$") % 2 == 1) {
                inDollarQuote = !inDollarQuote;
            }
            if (inDollarQuote) {
                continue;
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

    private static int countOf(String line, String token) {
        int n = 0;
        for (int at = line.indexOf(token); at >= 0; at = line.indexOf(token, at + token.length())) {
            n++;
        }
        return n;
    }
}
