package latch.db;

import latch.support.OnPostgresAlways;
import latch.Main;
import latch.support.PostgresServer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nodes on one PostgreSQL database, each with a data directory of its own, as several boxes would run them. */
@OnPostgresAlways
class SharedDatabaseTest {
    private static final String KEY = "the household's shared encryption key, 32+ bytes";
    private static final String OTHER_KEY = "a different encryption key of 32 bytes or more";

    @TempDir
    Path first;
    @TempDir
    Path second;

    private Map<String, String> node(String key) {
        // One database for both nodes, named after the first node's directory.
        return Map.of("LATCH_DATABASE_URL", PostgresServer.get().urlFor(first), "LATCH_ENCRYPTION_KEY", key);
    }

    private List<String> strings(String sql) {
        var url = DatabaseUrl.parse(PostgresServer.get().urlFor(first)).orElseThrow();
        try (var c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var rs = c.createStatement().executeQuery(sql)) {
            var out = new java.util.ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    @Test
    void twoNodesWithTheirOwnDataDirectoriesShareAccountsAndSessions() {
        var clock = new TestClock();
        try (var a = TestLatch.start(first, node(KEY), clock); var b = TestLatch.start(second, node(KEY), clock)) {
            String token = a.setupAdmin();
            assertEquals(200, b.http().get("/api/auth/me", "Authorization", "Bearer " + token).status(),
                    "a session signed on one node passes on the other: one set of keys, sealed with the shared key");
            assertEquals(200, b.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status());
            assertFalse(Files.exists(first.resolve(Database.FILE_NAME)) || Files.exists(second.resolve(Database.FILE_NAME)),
                    "no SQLite file beside a shared database");
            assertFalse(Files.exists(first.resolve("latch.key")) || Files.exists(second.resolve("latch.key")),
                    "the encryption key comes from the settings, never a file one node made");
        }
    }

    @Test
    void everyNodeWaitsForSetupWithTheSameCodeWhicheverTheProxyPicks() throws Exception {
        var unset = new HashMap<>(node(KEY));
        unset.put("LATCH_SETUP_CODE", "");
        var clock = new TestClock();
        try (var a = TestLatch.start(first, unset, clock); var b = TestLatch.start(second, unset, clock)) {
            String code = Files.readString(first.resolve("setup-code")).strip();
            assertEquals(code, Files.readString(second.resolve("setup-code")).strip(), "one code for the instance");
            assertTrue(code.matches("[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}"), code);
            var claim = b.http().postJson("/api/setup/admin", "{\"username\":\"owner\",\"password\":\"a long enough password\","
                    + "\"setup_code\":\"" + code + "\"}");
            assertEquals(201, claim.status(), claim.toString());
            assertEquals("{\"setup_required\":false}", a.http().get("/api/setup/status").body());
            var again = a.http().postJson("/api/setup/admin", "{\"username\":\"intruder\",\"password\":\"a long enough password\","
                    + "\"setup_code\":\"" + code + "\"}");
            assertTrue(again.status() >= 400 && again.status() < 500, "claimed once, on any node: " + again);
        }
    }

    @Test
    void aNodeWithAnotherEncryptionKeyIsRefusedAndChangesNothing() {
        var clock = new TestClock();
        try (var a = TestLatch.start(first, node(KEY), clock)) {
            String token = a.setupAdmin();
            List<String> keys = strings("SELECT kid FROM signing_keys ORDER BY kid");
            List<String> secrets = strings("SELECT encode(sealed, 'hex') FROM sealed_secrets ORDER BY name");

            var e = assertThrows(IllegalStateException.class, () -> TestLatch.start(second, node(OTHER_KEY), clock));
            assertTrue(e.getMessage().contains("LATCH_ENCRYPTION_KEY") && e.getMessage().contains("every node"), e.getMessage());
            assertFalse(e.getMessage().contains(OTHER_KEY) || e.getMessage().contains(KEY), "no key in the message");

            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var env = new HashMap<>(node(OTHER_KEY));
            env.put("LATCH_DATA_DIR", second.toString());
            int code = Main.adminCli(env, clock).run(new String[] {"rotate-keys"}, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, code, out.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("LATCH_ENCRYPTION_KEY"), err.toString(StandardCharsets.UTF_8));

            assertEquals(keys, strings("SELECT kid FROM signing_keys ORDER BY kid"), "no key replaced");
            assertEquals(secrets, strings("SELECT encode(sealed, 'hex') FROM sealed_secrets ORDER BY name"));
            assertEquals(200, a.http().get("/api/auth/me", "Authorization", "Bearer " + token).status());
        }
    }

    @Test
    void wholeFileBackupsAreRefusedAndPointAtPgDump() {
        var env = new HashMap<>(node(KEY));
        env.put("LATCH_DATA_DIR", second.toString());
        var err = new ByteArrayOutputStream();
        int code = Main.adminCli(env, new TestClock()).run(new String[] {"backup", second.resolve("copy.db").toString()},
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("pg_dump"), err.toString(StandardCharsets.UTF_8));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains(PostgresServer.get().url("x").split("@")[0].split(":")[2]),
                "the database password is not printed");
        assertFalse(Files.exists(second.resolve("copy.db")));
    }
}
