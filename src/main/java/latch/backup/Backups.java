package latch.backup;

import latch.db.DataDirectory;
import latch.db.Database;
import latch.db.Migrations;
import latch.token.RandomSecrets;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Whole copies of the database: a backup taken while the server runs (SQLite's {@code VACUUM INTO} reads one
 * consistent snapshot while writers go on), and a restore done while it is stopped. Copies are readable by their
 * owner only: they hold password hashes and sealed keys. They do not hold the key that opens those sealed keys
 * ({@code latch.key} or LATCH_ENCRYPTION_KEY): that is kept, and restored, separately.
 */
public final class Backups {
    /** A backup that was written: where, how large, at which schema version. */
    public record Made(Path file, long bytes, int schemaVersion) {}

    /** A restore that was done: the file that replaced the database, its schema version, and where the old one went. */
    public record Restored(Path from, int schemaVersion, Path keptAs) {}

    /** The command cannot be done; the message says why, in one line. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** How long a running server may hold the database before a backup gives up waiting; a restore does not wait. */
    private static final int BUSY_TIMEOUT_MS = 5000;

    private final Path dataDir;
    private final Clock clock;

    public Backups(Path dataDir, Clock clock) {
        this.dataDir = dataDir;
        this.clock = clock;
    }

    private Path live() {
        return dataDir.resolve(Database.FILE_NAME);
    }

    /** Writes a consistent copy of the database to {@code target}; an existing file is replaced only when {@code force}. */
    public Made backup(Path target, boolean force) {
        Path db = live();
        if (!Files.isRegularFile(db)) {
            throw new Refused("there is no Latch database at " + db.toAbsolutePath()
                    + "; point --data-dir or LATCH_DATA_DIR at the server's data directory");
        }
        Path file = target.toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new Refused(file + " is a directory; name the backup file");
        }
        if (Files.exists(file) && !force) {
            throw new Refused(file + " already exists; choose another name, or add --force to replace it");
        }
        if (!Files.isDirectory(file.getParent())) {
            throw new Refused("there is no directory " + file.getParent());
        }
        // Written beside the target, private from its first byte, and renamed into place only once it is complete.
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial-" + RandomSecrets.fromAlphabet("abcdefghijkmnpqrstuvwxyz", 8));
        try {
            DataDirectory.createPrivateFile(partial);
            try (Connection c = open(db, BUSY_TIMEOUT_MS); var vacuum = c.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, partial.toString());
                vacuum.execute();
            }
            int version = check(partial);
            if (force) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(partial, file);
            }
            return new Made(file, Files.size(file), version);
        } catch (FileAlreadyExistsException e) {
            throw new Refused(file + " appeared while the backup was written; choose another name, or add --force");
        } catch (SQLException | IOException e) {
            throw new Refused("the backup failed: " + e.getMessage());
        } finally {
            deleteQuietly(partial);
        }
    }

    /**
     * Replaces the database with the backup {@code source}, which must be a sound Latch database of this version or
     * older (the server migrates it forward at start). Refused while anything holds the database open: a running
     * server would go on writing to the file that was replaced. The replaced database stays beside the new one.
     */
    public Restored restore(Path source) {
        Path from = source.toAbsolutePath();
        if (!Files.isRegularFile(from)) {
            throw new Refused("there is no file " + from);
        }
        if (!Files.isDirectory(dataDir)) {
            throw new Refused("there is no data directory " + dataDir.toAbsolutePath());
        }
        Path db = live();
        Path staged = dataDir.resolve(Database.FILE_NAME + ".restoring-" + RandomSecrets.fromAlphabet("abcdefghijkmnpqrstuvwxyz", 8));
        try {
            // The copy is checked, not the source: what is checked is what goes in.
            DataDirectory.createPrivateFile(staged);
            try (OutputStream out = Files.newOutputStream(staged, StandardOpenOption.TRUNCATE_EXISTING)) {
                Files.copy(from, out);
            }
            int version = check(staged);
            Path kept = null;
            if (Files.exists(db)) {
                settleAlone(db);
                kept = dataDir.resolve(DataDirectory.BEFORE_RESTORE_PREFIX + STAMP.format(clock.instant()));
                Files.move(db, kept);
            }
            Files.move(staged, db);
            return new Restored(from, version, kept);
        } catch (SQLException | IOException e) {
            throw new Refused("the restore failed: " + e.getMessage());
        } finally {
            deleteQuietly(staged);
        }
    }

    /**
     * Takes the database for this process alone, or refuses: a server (or another command) holding it open keeps a
     * shared lock that an exclusive one cannot pass. Alone, it folds the write-ahead log into the file, so the
     * file about to be set aside is complete and no log is left that could be read into the restored one.
     */
    private void settleAlone(Path db) throws SQLException {
        try (Connection c = open(db, 0); var st = c.createStatement()) {
            st.execute("PRAGMA locking_mode = EXCLUSIVE");
            try {
                st.execute("BEGIN EXCLUSIVE");
                st.execute("COMMIT");
            } catch (SQLException busy) {
                throw new Refused("the database " + db.toAbsolutePath() + " is in use: stop the Latch server (and any"
                        + " 'latch admin' command) first, then restore");
            }
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            st.execute("PRAGMA journal_mode = DELETE");
        }
    }

    /** The schema version of a sound Latch database at {@code file}, else {@link Refused} saying what it is instead. */
    private static int check(Path file) throws SQLException {
        try (Connection c = open(file, BUSY_TIMEOUT_MS)) {
            int version = soundLatchSchema(c, "the backup");
            if (version > Migrations.latestVersion()) {
                throw new Refused("the backup is from a newer Latch (schema version " + version + "; this one knows up"
                        + " to " + Migrations.latestVersion() + "): restore it with that version");
            }
            return version;
        } catch (SQLException e) {
            // "file is not a database", "no such table: schema_migrations": not ours, whatever it is.
            throw new Refused("the backup is not a Latch database (" + e.getMessage() + ")");
        }
    }

    /**
     * The schema version of the Latch database {@code c} reads, {@code what} naming it in messages; refuses a damaged
     * file and a database some other program wrote. A version newer than this Latch knows is returned for the caller
     * to refuse.
     */
    static int soundLatchSchema(Connection c, String what) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA quick_check")) {
            String verdict = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                throw new Refused(what + " is damaged: " + verdict);
            }
        }
        try (var st = c.createStatement();
             var rs = st.executeQuery("SELECT version, name FROM schema_migrations ORDER BY version")) {
            int version = 0;
            while (rs.next()) {
                version = rs.getInt(1);
                if (version <= Migrations.latestVersion() && !Migrations.fileOf(version).equals(rs.getString(2))) {
                    throw new Refused(what + " is not a Latch database: its schema version " + version + " is "
                            + rs.getString(2));
                }
            }
            if (version == 0) {
                throw new Refused(what + " is not a Latch database: it records no schema version");
            }
            return version;
        }
    }

    private static Connection open(Path file, int busyTimeoutMs) throws SQLException {
        var config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover partial copy is harmless, and named as one
        }
    }
}
