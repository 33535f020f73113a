package latch.db;

import latch.support.SqliteOnly;
import latch.support.TestDatabases;
import latch.Main;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    @SqliteOnly("PostgreSQL starts from one baseline; PostgresDatabaseTest checks what it records")
    void migrationsAreAppliedOnceAndRecorded() throws Exception {
        TestLatch.run(dir, latch -> { });
        TestLatch.run(dir, latch -> { });
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT version, name FROM schema_migrations ORDER BY version")) {
            for (int version = 1; version <= Migrations.latestVersion(); version++) {
                assertTrue(rs.next(), "version " + version + " recorded");
                assertEquals(version, rs.getInt(1));
                assertEquals(Migrations.FILES.get(version - 1), rs.getString(2));
                assertTrue(rs.getString(2).startsWith(String.format("V%03d__", version)));
            }
            assertTrue(!rs.next(), "each migration recorded once");
            assertTrue(Migrations.latestVersion() >= 3);
        }
    }

    @Test
    @SqliteOnly("pragmas and the permissions of the latch.db file")
    void theDatabaseUsesWalForeignKeysAndIsPrivate() throws Exception {
        TestLatch.run(dir, latch -> {
            var db = latch.deps().db();
            db.read(c -> {
                try (var st = c.createStatement()) {
                    var journal = st.executeQuery("PRAGMA journal_mode");
                    journal.next();
                    assertEquals("wal", journal.getString(1));
                    var fk = st.executeQuery("PRAGMA foreign_keys");
                    fk.next();
                    assertEquals(1, fk.getInt(1));
                    var busy = st.executeQuery("PRAGMA busy_timeout");
                    busy.next();
                    assertTrue(busy.getInt(1) >= 1000);
                }
                return null;
            });
        });
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(dir.resolve("latch.db")));
    }

    @Test
    @SqliteOnly("the permissions of latch.db and its -wal and -shm files")
    void filesOthersCouldReadAreTightenedOnEveryStartNotOnlyWhenCreated() throws Exception {
        TestLatch.run(dir, latch -> { });
        // What an older Latch, a restored backup or a copy with a default umask leaves behind.
        var everyoneReads = PosixFilePermissions.fromString("rw-r--r--");
        for (String name : new String[] {"latch.db", "latch.key", "setup-code"}) {
            assertTrue(Files.exists(dir.resolve(name)), name);
            Files.setPosixFilePermissions(dir.resolve(name), everyoneReads);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        TestLatch.run(dir, latch -> {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            // SQLite gives the -wal and -shm files the database file's mode: they are checked while they exist.
            for (String name : new String[] {"latch.db", "latch.db-wal", "latch.db-shm", "latch.key", "setup-code"}) {
                assertTrue(Files.exists(dir.resolve(name)), name);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))), name);
            }
        });
    }

    @Test
    void aDatabaseFromANewerLatchIsRefusedWithAClearMessage() throws Exception {
        TestLatch.run(dir, latch -> { });
        try (var c = TestDatabases.connect(dir)) {
            c.createStatement().executeUpdate("INSERT INTO schema_migrations(version, name, applied_at) VALUES (99, 'V099__future.sql', 0)");
        }
        var e = assertThrows(DatabaseException.class, () -> Main.wire(TestLatch.settings(dir, Map.of()), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains("only knows up to " + Migrations.latestVersion()), e.getMessage());
    }

    @Test
    void aTransactionIsNeverJoinedSilentlyAndWorkAfterCommitWaitsForTheCommit() throws Exception {
        try (var db = TestDatabases.open(dir, 2)) {
            db.run(tx -> tx.connection().createStatement().execute("CREATE TABLE t (x INTEGER)"));
            // A second transaction on the same thread would wait for the lock the first holds: refused at once instead.
            var nested = assertThrows(IllegalStateException.class, () -> db.run(outer -> {
                outer.connection().createStatement().execute("INSERT INTO t VALUES (1)");
                db.run(inner -> inner.connection().createStatement().execute("INSERT INTO t VALUES (2)"));
            }));
            assertTrue(nested.getMessage().contains("pass its Tx"), nested.getMessage());
            assertEquals(0, count(db), "the outer insert rolled back with the failure");

            var ran = new java.util.ArrayList<String>();
            assertThrows(IllegalArgumentException.class, () -> db.run(tx -> {
                tx.afterCommit(() -> ran.add("rolled back"));
                throw new IllegalArgumentException("refused");
            }));
            db.run(tx -> {
                tx.connection().createStatement().execute("INSERT INTO t VALUES (1)");
                tx.afterCommit(() -> ran.add("committed, " + count(db) + " row"));
            });
            assertEquals(java.util.List.of("committed, 1 row"), ran, "after-commit work sees the commit, and never runs on rollback");
        }
    }

    private static int count(Database db) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void migrationScriptsSplitIntoStatements() {
        var statements = Migrations.statements("-- comment\nCREATE TABLE a (x INTEGER);\n\nCREATE TABLE b (\n  y TEXT\n);\n"
                + "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  INSERT INTO b VALUES (2);\nEND;\nSELECT 1;\n");
        assertEquals(4, statements.size());
        assertTrue(statements.get(1).startsWith("CREATE TABLE b"));
        assertTrue(statements.get(2).startsWith("CREATE TRIGGER") && statements.get(2).endsWith("END;"), statements.get(2));
    }
}
