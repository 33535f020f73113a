package latch.backup;

import latch.support.SqliteOnly;
import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin backup} while the server writes, {@code admin restore} while it is stopped, and what each refuses. */
@SqliteOnly("whole-file backups of latch.db; on PostgreSQL the command refuses and names pg_dump (PostgresCommandLineTest)")
class BackupTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private static Result admin(Path dataDir, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var env = Map.of("LATCH_DATA_DIR", dataDir.toString(), "LATCH_ARGON2_MEMORY_KIB", "256", "LATCH_ARGON2_ITERATIONS", "1");
        int code = latch.Main.adminCli(env, Clock.systemUTC()).run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> column(Path file, String sql) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var rs = c.createStatement().executeQuery(sql)) {
            var out = new ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    @Test
    void aBackupTakenWhileUsersAndTokensAreCreatedRestoresToAConsistentSoundCopy() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("latch-backup.db");
        var created = new ConcurrentHashMap<String, String>(); // user -> their client token's secret
        try (var latch = TestLatch.start(live, Map.of("LATCH_MAX_CLIENT_TOKENS", "10000"), new TestClock())) {
            String admin = latch.setupAdmin();
            var stop = new AtomicBoolean();
            var writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String name = "user" + i;
                    latch.createUser(admin, name, "password-" + name, "viewer");
                    var token = latch.http().postJson("/api/client-tokens", "{\"name\":\"" + name + "\",\"scopes\":[\"me.read\"]}",
                            "Authorization", Http.bearer(admin));
                    assertEquals(201, token.status(), token.toString());
                    created.put(name, token.json().get("token").asText());
                }
            });
            writer.start();
            while (created.size() < 5) {
                Thread.sleep(10);
            }
            var made = admin(live, "backup", backup.toString());
            int duringBackup = created.size();
            Thread.sleep(200);
            stop.set(true);
            writer.join();
            assertEquals(0, made.code(), made.err());
            assertTrue(made.out().contains("latch.key"), "the key caveat is printed: " + made.out());
            assertTrue(created.size() > duringBackup, "the writer went on after the backup");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
            assertEquals(1, admin(live, "backup", backup.toString()).code(), "an existing file is not overwritten");
        }

        assertEquals(List.of("ok"), column(backup, "PRAGMA integrity_check"));
        List<String> users = column(backup, "SELECT username FROM users WHERE username LIKE 'user%' ORDER BY id");
        List<String> tokens = column(backup, "SELECT name FROM client_tokens WHERE revoked_at IS NULL ORDER BY created_at, rowid");
        assertTrue(users.size() >= 5, users.toString());
        // One snapshot: the users are the first n created, and each has its token unless it was the last one caught between the two.
        for (int i = 0; i < users.size(); i++) {
            assertEquals("user" + i, users.get(i));
        }
        assertTrue(tokens.size() == users.size() || tokens.size() == users.size() - 1, users + " " + tokens);
        assertEquals(users.subList(0, tokens.size()), tokens);

        // Restored elsewhere with the key it was sealed with, it is the same instance: same users, and their tokens work.
        Path restoredDir = dir.resolve("restored");
        Files.createDirectories(restoredDir);
        Files.copy(live.resolve("latch.key"), restoredDir.resolve("latch.key"));
        var restored = admin(restoredDir, "restore", backup.toString());
        assertEquals(0, restored.code(), restored.err());
        assertEquals(users, DatabaseFile.strings(restoredDir, "SELECT username FROM users WHERE username LIKE 'user%' ORDER BY id"));
        TestLatch.run(restoredDir, latch -> {
            for (String name : tokens) {
                assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(created.get(name))).status(), name);
            }
            assertEquals(200, latch.login("user0", "password-user0").status());
            String lost = "user" + users.size();
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(created.get(lost))).status(),
                    "a token made after the backup is not in it");
        });
    }

    @Test
    void restoreRefusesWhileTheServerRunsThenKeepsTheReplacedDatabase() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("backup.db");
        try (var latch = TestLatch.start(live, Map.of(), new TestClock())) {
            latch.setupAdmin();
            assertEquals(0, admin(live, "backup", backup.toString()).code());
            String admin = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            latch.createUser(admin, "after", "password-after", "viewer");

            var running = admin(live, "restore", backup.toString());
            assertEquals(1, running.code(), running.out());
            assertTrue(running.err().contains("stop the Latch server"), running.err());
        }
        assertEquals(1, DatabaseFile.number(live, "SELECT COUNT(*) FROM users WHERE username = 'after'"), "nothing was replaced");

        var done = admin(live, "restore", backup.toString());
        assertEquals(0, done.code(), done.err());
        assertEquals(0, DatabaseFile.number(live, "SELECT COUNT(*) FROM users WHERE username = 'after'"));
        List<Path> kept;
        try (Stream<Path> files = Files.list(live)) {
            kept = files.filter(f -> f.getFileName().toString().startsWith("latch.db.before-restore-")).toList();
        }
        assertEquals(1, kept.size(), kept.toString());
        assertEquals(List.of("1"), column(kept.get(0), "SELECT COUNT(*) FROM users WHERE username = 'after'"),
                "the replaced database is whole, its last writes folded in");
        assertTrue(done.out().contains(kept.get(0).getFileName().toString()), done.out());
        try (Stream<Path> files = Files.list(live)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().contains("restoring")), "no staged copy left");
        }
        TestLatch.run(live, latch -> assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status()));
    }

    @Test
    void restoreRefusesWhatIsNotALatchDatabaseOrIsFromANewerOne() throws Exception {
        Path live = dir.resolve("live");
        TestLatch.run(live, TestLatch::setupAdmin);
        Path backup = dir.resolve("backup.db");
        assertEquals(0, admin(live, "backup", backup.toString()).code());

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a database at all, but long enough to have a header".repeat(20));
        Path other = dir.resolve("other.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + other)) {
            c.createStatement().execute("CREATE TABLE things(id INTEGER PRIMARY KEY)");
        }
        Path newer = dir.resolve("newer.db");
        Files.copy(backup, newer);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + newer)) {
            c.createStatement().execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (99, 'V099__future.sql', 0)");
        }
        for (var refused : Map.of(text, "not a Latch database", other, "not a Latch database", newer, "newer Latch",
                dir.resolve("missing.db"), "no file").entrySet()) {
            var res = admin(live, "restore", refused.getKey().toString());
            assertEquals(1, res.code(), refused.getKey() + ": " + res.out());
            assertTrue(res.err().contains(refused.getValue()), refused.getKey() + ": " + res.err());
        }
        try (Stream<Path> files = Files.list(live)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("latch.db.")), "nothing was replaced or left");
        }

        var forced = admin(live, "backup", backup.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertEquals(2, admin(live, "restore").code(), "a file is needed");
    }
}
