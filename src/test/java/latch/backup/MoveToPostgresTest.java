package latch.backup;

import latch.support.OnPostgresAlways;
import latch.Main;
import latch.db.DatabaseUrl;
import latch.support.PostgresServer;
import latch.support.SqliteOnly;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static latch.support.Http.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code admin migrate}: an install built through the real API on SQLite, moved to a real PostgreSQL server, then
 * served from there by a real node with the old key; and every way the move refuses, each leaving PostgreSQL as it was.
 */
@SqliteOnly("moves a SQLite file to PostgreSQL; the PostgreSQL run would only repeat it")
@OnPostgresAlways
class MoveToPostgresTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String PG_PASSWORD = "latch-test-password";

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private static String freshDatabase() {
        String name = "move_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
        PostgresServer.get().createDatabase(name);
        return PostgresServer.get().url(name);
    }

    /** A fresh database at this Latch's schema, then changed by {@code sql}. */
    private static String migratedDatabase(String... sql) throws Exception {
        String url = freshDatabase();
        try (var db = latch.db.Database.postgres(DatabaseUrl.parse(url).orElseThrow(), 1, java.time.Duration.ofSeconds(5))) {
            latch.db.Migrations.apply(db);
        }
        try (var c = connect(url); var st = c.createStatement()) {
            for (String statement : sql) {
                st.execute(statement);
            }
        }
        return url;
    }

    private Result admin(Map<String, String> extraEnv, String... args) {
        var env = new HashMap<String, String>();
        env.put("LATCH_DATA_DIR", dir.resolve("cli").toString());
        env.put("LATCH_DATABASE_WAIT_SECONDS", "0");
        env.putAll(extraEnv);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.adminCli(env, Clock.systemUTC()).run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result migrate(Path from, String to) {
        return admin(Map.of(), "migrate", "--from", from.toString(), "--to", to);
    }

    /** What an install holds, from the outside: filled in while it runs on SQLite. */
    private static final class Install {
        long adminId;
        long aliceId;
        long bobId;
        long deletedId;
        String adminSession;
        String aliceSession;
        String clientToken;
        String invite;
        long appId;
    }

    private Install buildOnSqlite(Path sqlite, TestClock clock) throws Exception {
        var made = new Install();
        try (var latch = TestLatch.start(sqlite, Map.of(), clock)) {
            var http = latch.http();
            made.adminSession = latch.setupAdmin();
            String[] asAdmin = {"Authorization", bearer(made.adminSession)};
            made.adminId = http.get("/api/auth/me", asAdmin).json().at("/user/id").asLong();
            made.aliceId = latch.createUser(made.adminSession, "Alice", "alice password 1", "editor");
            made.bobId = latch.createUser(made.adminSession, "bob", "bob password 12", "viewer");
            // The newest user deleted: their id lies above every id copied, and must still never be given again.
            made.deletedId = latch.createUser(made.adminSession, "carol", "carol password 1", "viewer");
            assertEquals(204, http.delete("/api/users/" + made.deletedId, asAdmin).status());
            made.aliceSession = latch.token("alice", "alice password 1");
            assertEquals(401, latch.login("bob", "wrong password").status(), "an audited failure, and a failure count");

            var token = http.postJson("/api/client-tokens", "{\"name\":\"handheld\",\"scopes\":[\"me.read\"]}", asAdmin);
            assertEquals(201, token.status(), token.toString());
            made.clientToken = token.json().get("token").asText();
            var invite = http.postJson("/api/invites", "{\"max_uses\":2}", asAdmin);
            assertEquals(201, invite.status(), invite.toString());
            made.invite = invite.json().get("token").asText();
            var app = http.postJson("/api/admin/apps", "{\"name\":\"Library\",\"url\":\"https://library.example\"}", asAdmin);
            assertEquals(201, app.status(), app.toString());
            made.appId = app.json().get("id").asLong();
            var icon = http.sendBytes("PUT", "/api/admin/apps/" + made.appId + "/icon", "image/png", png(), asAdmin);
            assertEquals(200, icon.status(), icon.toString());
        }
        return made;
    }

    @Test
    void aMovedInstallServesItsUsersSessionsTokensAndKeysFromPostgres() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        var clock = new TestClock();
        var made = buildOnSqlite(sqlite, clock);
        Path file = sqlite.resolve("latch.db");
        String key = Files.readString(sqlite.resolve("latch.key")).strip();
        byte[] before = sha256(file);
        String url = freshDatabase();

        var moved = migrate(file, url);
        assertEquals(0, moved.code(), moved.err() + moved.out());
        assertEquals("", moved.err());
        assertTrue(moved.out().matches("(?s).*\\n  users +3 +3\\n.*"), moved.out());
        assertTrue(moved.out().matches("(?s).*\\n  audit_events +(\\d+) +\\1\\n.*"), moved.out());
        assertTrue(moved.out().contains("Every table holds the same rows on PostgreSQL as in the SQLite file."), moved.out());
        assertTrue(moved.out().contains("set LATCH_ENCRYPTION_KEY on every node to the contents of "
                + sqlite.resolve("latch.key").toAbsolutePath()), moved.out());
        assertFalse(moved.out().contains(key), "the key itself is never printed");
        assertFalse(moved.out().contains(PG_PASSWORD), "nor the database password");
        assertFalse(moved.out().contains("users_search"), "SQLite's search index is no table of Latch's to move");
        assertTrue(java.util.Arrays.equals(before, sha256(file)), "the SQLite file is only read");

        var pgClock = new TestClock(clock.instant());
        try (var node = TestLatch.start(dir.resolve("node"), Map.of("LATCH_DATABASE_URL", url, "LATCH_ENCRYPTION_KEY", key), pgClock)) {
            var http = node.http();
            // A session from before the move: its signing key came along sealed, and opens with the old key.
            var me = http.get("/api/auth/me", "Authorization", bearer(made.aliceSession));
            assertEquals(200, me.status(), me.toString());
            assertEquals(made.aliceId, me.json().at("/user/id").asLong(), "ids are kept");
            assertEquals(200, http.get("/api/auth/me", "Authorization", bearer(made.clientToken)).status(), "the client token works");
            var signIn = node.login("bob", "bob password 12");
            assertEquals(200, signIn.status(), "password hashes came along: " + signIn);
            assertEquals(made.bobId, signIn.json().at("/user/id").asLong());
            assertEquals(200, node.login("admin", TestLatch.ADMIN_PASSWORD).status());
            assertFalse(http.get("/api/setup/status").json().get("setup_required").asBoolean(), "the instance stays claimed");

            String[] asAdmin = {"Authorization", bearer(made.adminSession)};
            var audit = http.get("/api/admin/audit?type=user_deleted", asAdmin);
            assertEquals(200, audit.status(), audit.toString());
            assertEquals(made.deletedId, audit.json().at("/events/0/subject_id").asLong(), audit.toString());
            var icon = http.get("/api/apps/" + made.appId + "/icon", asAdmin);
            assertEquals(200, icon.status(), icon.toString());
            var check = http.postJson("/api/auth/registration/invite", "{\"invite\":\"" + made.invite + "\"}");
            assertTrue(check.json().get("usable").asBoolean(), "the invite is still good: " + check);

            long dave = node.createUser(made.adminSession, "dave", "dave password 1", "viewer");
            assertTrue(dave > made.deletedId, "a new user's id lies above every id given on SQLite: " + dave);
            // New rows after copied ones: the sequences were moved past the copied ids.
            assertEquals(201, http.postJson("/api/client-tokens", "{\"name\":\"second\",\"scopes\":[\"me.read\"]}", asAdmin).status());
            assertEquals(201, http.postJson("/api/admin/apps", "{\"name\":\"Wiki\",\"url\":\"https://wiki.example\"}", asAdmin).status());
        }

        var again = migrate(file, url);
        assertEquals(1, again.code(), "a node has run on it since: " + again.out());
        assertTrue(again.err().startsWith("latch admin: the PostgreSQL database already holds other data than " + file), again.err());
        assertTrue(again.err().contains("migrate into a new, empty database"), again.err());
        assertEquals(1, again.err().lines().count(), again.err());
    }

    @Test
    void aSecondRunOfAMoveThatWorkedCopiesNothingAndChangesNothing() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        Path file = sqlite.resolve("latch.db");
        String url = freshDatabase();
        assertEquals(0, migrate(file, url).code());
        var first = contents(url);

        var second = migrate(file, url);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("PostgreSQL already holds exactly this data (an earlier migrate): nothing was"
                + " copied or changed."), second.out());
        assertTrue(second.out().matches("(?s).*\\n  users +3 +3\\n.*"), second.out());
        assertEquals(first, contents(url), "every row and every sequence as the first run left them");
    }

    @Test
    void aTargetANodeAlreadyStartedOnIsRefusedAndLeftAsItWas() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        String url = freshDatabase();
        String key = "another key of at least thirty-two bytes";
        try (var node = TestLatch.start(dir.resolve("node"), Map.of("LATCH_DATABASE_URL", url, "LATCH_ENCRYPTION_KEY", key),
                new TestClock())) {
            node.setupAdmin();
        }
        var before = contents(url);
        var refused = migrate(sqlite.resolve("latch.db"), url);
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("already holds other data") && refused.err().contains("users (1 row there, 3 in the file)"),
                refused.err());
        assertEquals(before, contents(url));
    }

    @Test
    void aTargetThatGaveOutUserIdsIsRefusedThoughItsTablesAreEmpty() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        String url = migratedDatabase("UPDATE id_high_water SET value = 2 WHERE name = 'users'");
        var refused = migrate(sqlite.resolve("latch.db"), url);
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("has given out user ids before (id_high_water)"), refused.err());
        assertEquals(0L, count(url, "SELECT COUNT(*) FROM users"));
    }

    @Test
    void aCopyThatDoesNotMatchTheFileIsRolledBack() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        // Something on the server that changes a row on its way in: the count holds, the contents do not.
        String url = migratedDatabase("CREATE FUNCTION rename_app() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " NEW.name := 'Renamed'; RETURN NEW; END $$",
                "CREATE TRIGGER rename_app BEFORE INSERT ON apps FOR EACH ROW EXECUTE FUNCTION rename_app()");
        var refused = migrate(sqlite.resolve("latch.db"), url);
        assertEquals(1, refused.code(), refused.out());
        assertEquals("latch admin: after copying, PostgreSQL does not hold what the file holds in apps (1 row in the file,"
                + " 1 on PostgreSQL); nothing was committed\n", refused.err());
        assertEquals(0L, count(url, "SELECT COUNT(*) FROM users"), "the whole copy was rolled back");
        assertEquals(0L, count(url, "SELECT value FROM id_high_water WHERE name = 'users'"));
    }

    @Test
    void aFileStillInUseIsRefused() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        String url = freshDatabase();
        try (var latch = TestLatch.start(sqlite, Map.of(), new TestClock())) {
            latch.setupAdmin();
            var refused = migrate(sqlite.resolve("latch.db"), url);
            assertEquals(1, refused.code());
            assertEquals("latch admin: " + sqlite.resolve("latch.db").toAbsolutePath()
                    + " is in use: stop the Latch server (and any 'latch admin' command) first, then migrate\n", refused.err());
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "the server goes on");
        }
        assertEquals(0, tableCount(url), "PostgreSQL was not even migrated");
    }

    @Test
    void aFileOfAnotherSchemaVersionIsRefused() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        Path file = sqlite.resolve("latch.db");
        int latest = latch.db.Migrations.latestVersion();
        execute(file, "DELETE FROM schema_migrations WHERE version = " + latest);
        var older = migrate(file, freshDatabase());
        assertEquals(1, older.code());
        assertTrue(older.err().startsWith("latch admin: " + file + " is at schema version " + (latest - 1) + ", this Latch at "
                + latest + ": start this Latch once on the SQLite file first to upgrade it"), older.err());

        execute(file, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (" + latest + ", 'x', 0), (99, 'V099__future.sql', 0)");
        var notOurs = migrate(file, freshDatabase());
        assertTrue(notOurs.err().contains("is not a Latch database: its schema version " + latest + " is x"), notOurs.err());
        execute(file, "UPDATE schema_migrations SET name = '" + latch.db.Migrations.fileOf(latest) + "' WHERE version = " + latest);
        var newer = migrate(file, freshDatabase());
        assertEquals(1, newer.code());
        assertTrue(newer.err().contains("was written by a newer Latch (schema version 99; this one knows up to " + latest
                + "): migrate with that version"), newer.err());
    }

    @Test
    void aWrongEncryptionKeyIsRefusedBeforeAnythingIsCopied() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        String url = freshDatabase();
        var refused = admin(Map.of("LATCH_ENCRYPTION_KEY", "not the key this install used, but long enough"),
                "migrate", "--from", sqlite.resolve("latch.db").toString(), "--to", url);
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("LATCH_ENCRYPTION_KEY opens none of the") && refused.err().contains(
                "the latch.key beside it does: set LATCH_ENCRYPTION_KEY to the contents of " + sqlite.resolve("latch.key")),
                refused.err());
        assertFalse(refused.err().contains("not the key this install used, but"), "the key is never printed");
        assertEquals(0L, count(url, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'users'"),
                "nothing was written");

        // The right key from the environment is what the nodes will be given: the command says so.
        String key = Files.readString(sqlite.resolve("latch.key")).strip();
        var moved = admin(Map.of("LATCH_ENCRYPTION_KEY", key), "migrate", "--from", sqlite.resolve("latch.db").toString(),
                "--to", url);
        assertEquals(0, moved.code(), moved.err());
        assertTrue(moved.out().contains("give every node the same LATCH_ENCRYPTION_KEY"), moved.out());
    }

    @Test
    void theTargetComesFromLatchDatabaseUrlWhenToIsAbsent() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        String url = freshDatabase();
        String key = Files.readString(sqlite.resolve("latch.key")).strip();
        var moved = admin(Map.of("LATCH_DATABASE_URL", url, "LATCH_ENCRYPTION_KEY", key),
                "migrate", "--from", sqlite.resolve("latch.db").toString());
        assertEquals(0, moved.code(), moved.err());
        assertTrue(moved.out().contains("Copied " + sqlite.resolve("latch.db").toAbsolutePath()), moved.out());
        assertEquals(3L, count(url, "SELECT COUNT(*) FROM users"));
    }

    @Test
    void badArgumentsAreRefusedInOneLineWithoutThePassword() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        buildOnSqlite(sqlite, new TestClock());
        String file = sqlite.resolve("latch.db").toString();

        var missing = migrate(dir.resolve("nowhere/latch.db"), freshDatabase());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("latch admin: there is no file " + dir.resolve("nowhere/latch.db")), missing.err());

        Files.writeString(dir.resolve("notes.txt"), "not a database at all, just some words that fill a page or so. ".repeat(100));
        var notADatabase = migrate(dir.resolve("notes.txt"), freshDatabase());
        assertEquals(1, notADatabase.code());
        assertTrue(notADatabase.err().contains("notes.txt is not a Latch database")
                || notADatabase.err().contains("cannot read"), notADatabase.err());

        for (String bad : List.of("mysql://latch:s3cret-pw@127.0.0.1/latch", "postgres://latch:s3cret-pw@127.0.0.1/latch?sslmod=x",
                "postgres://latch:s3cret-pw@/latch", "postgres://latch:s3cret-pw@127.0.0.1:1/latch")) {
            var refused = admin(Map.of(), "migrate", "--from", file, "--to", bad);
            assertEquals(1, refused.code(), bad + ": " + refused.err());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertFalse(refused.err().contains("s3cret-pw"), refused.err());
            assertEquals("", refused.out());
        }

        assertEquals(2, admin(Map.of(), "migrate", "--to", freshDatabase()).code(), "--from is required");
        var noTarget = admin(Map.of(), "migrate", "--from", file);
        assertEquals(2, noTarget.code());
        assertTrue(noTarget.err().contains("name the PostgreSQL database"), noTarget.err());
        assertEquals(2, admin(Map.of(), "list-users", "--from", file).code(), "--from belongs to migrate alone");
    }

    // ---- helpers ----

    private static byte[] png() throws IOException {
        var image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(3, 3, 0xff336699);
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    private static void execute(Path sqliteFile, String sql) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Connection connect(String url) throws Exception {
        var parsed = DatabaseUrl.parse(url).orElseThrow();
        return DriverManager.getConnection(parsed.jdbcUrl(), parsed.user(), parsed.password());
    }

    private static long count(String url, String sql) throws Exception {
        try (var c = connect(url); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long tableCount(String url) throws Exception {
        return count(url, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    }

    /** Every table's rows (as text, in a fixed order) and every sequence's position: what a no-op must leave alone. */
    private static Map<String, String> contents(String url) throws Exception {
        var out = new TreeMap<String, String>();
        try (var c = connect(url)) {
            var tables = new java.util.ArrayList<String>();
            try (var rs = c.createStatement().executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (var rs = c.createStatement().executeQuery(
                        "SELECT COALESCE(string_agg(md5(x::text), ',' ORDER BY md5(x::text)), '') FROM \"" + t + "\" x")) {
                    rs.next();
                    out.put(t, rs.getString(1));
                }
            }
            try (var rs = c.createStatement().executeQuery("SELECT sequencename, last_value FROM pg_sequences")) {
                while (rs.next()) {
                    out.put("sequence " + rs.getString(1), String.valueOf(rs.getObject(2)));
                }
            }
        }
        assertNotEquals(0, out.size());
        return out;
    }
}
