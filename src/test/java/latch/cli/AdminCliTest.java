package latch.cli;

import latch.support.SqliteOnly;
import latch.support.PostgresServer;
import latch.support.TestDatabases;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminCliTest {
    private static final Pattern SHOWN_ONCE = Pattern.compile("\\(shown once\\): (\\S+)");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        String password() {
            var m = SHOWN_ONCE.matcher(out);
            assertTrue(m.find(), "no password in: " + out);
            return m.group(1);
        }
    }

    /** The same cheap Argon2 cost as {@link TestLatch}, so the CLI and the test server agree and stay fast. */
    private Map<String, String> env() {
        var env = new HashMap<String, String>();
        env.put("LATCH_DATA_DIR", dir.toString());
        env.put("LATCH_ARGON2_MEMORY_KIB", "256");
        env.put("LATCH_ARGON2_ITERATIONS", "1");
        env.putAll(TestDatabases.settingsFor(dir));
        return env;
    }

    private Result admin(String... args) {
        return adminWithInput("", env(), args);
    }

    private Result adminWithInput(String stdin, Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = latch.Main.adminCli(env, Clock.systemUTC()).run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private long countSql(String sql) throws Exception {
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Test
    void createAdminOnAnEmptyDirectoryMakesAnAdminWhoCanSignIn() {
        var created = admin("create-admin", "owner");
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains("Created admin owner"), created.out());
        String password = created.password();
        assertEquals(AdminCli.TEMPORARY_LENGTH, password.length());
        assertTrue(PostgresServer.selected() || Files.exists(dir.resolve("latch.db")));

        TestLatch.run(dir, latch -> {
            var res = latch.login("owner", password);
            assertEquals(200, res.status(), res.toString());
            assertEquals("admin", res.json().at("/user/role").asText());
            assertFalse(latch.http().get("/api/setup/status").json().get("setup_required").asBoolean());
            assertFalse(Files.exists(dir.resolve("setup-code")), "a set-up instance keeps no setup code");
        });
    }

    @Test
    void createAdminFinishesSetupOfARunningServerAndSpendsTheSetupCode() {
        TestLatch.run(dir, latch -> {
            assertTrue(Files.exists(dir.resolve("setup-code")));
            var created = adminWithInput("owner password 1\n", env(), "create-admin", "owner", "--stdin");
            assertEquals(0, created.code(), created.err());
            assertFalse(created.out().contains("owner password 1"), "a password from stdin is never echoed");
            assertTrue(created.out().contains("Setup is complete"), created.out());
            assertFalse(Files.exists(dir.resolve("setup-code")));
            assertFalse(latch.http().get("/api/setup/status").json().get("setup_required").asBoolean());
            assertEquals(200, latch.login("owner", "owner password 1").status());
            assertEquals(1, countSql("SELECT COUNT(*) FROM audit_events WHERE type = 'user_created' AND actor_id IS NULL AND actor_name = 'command line'"));
        });
    }

    @Test
    void createAdminRefusesATakenUsernameAndABadOne() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var taken = admin("create-admin", "ADMIN");
            assertEquals(1, taken.code());
            assertTrue(taken.err().startsWith("latch admin: The username 'ADMIN' is taken"), taken.err());
            assertEquals("", taken.out(), "no password is shown for an account that was not created");

            var invalid = admin("create-admin", "bad/name");
            assertEquals(1, invalid.code());
            assertTrue(invalid.err().startsWith("latch admin: A username is"), invalid.err());
        });
    }

    @Test
    void resetPasswordPrintsATemporaryPasswordAndEndsEverySession() throws Exception {
        String[] oldToken = new String[1];
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "alice", "alice old password", "viewer");
            oldToken[0] = latch.token("alice", "alice old password");

            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(oldToken[0])).status());

            var reset = admin("reset-password", "alice");
            assertEquals(0, reset.code(), reset.err());
            assertTrue(reset.out().contains("Every session of alice has ended, and every client API token is revoked; a running"
                    + " server notices within a second or two."), reset.out());
            // The running server had the session cached; its next read of the change feed makes it let go.
            latch.deps().jobs().runNow("change-feed");
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(oldToken[0])).status(),
                    "the running server refuses the old session without a restart");
            assertFalse(reset.out().contains("$argon2"), "hashes are never printed");
            String temporary = reset.password();

            assertEquals(200, latch.login("alice", temporary).status(), "sign-in reads the password from the database");
            assertEquals(401, latch.login("alice", "alice old password").status());
        });
        assertTrue(countSql("SELECT COUNT(*) FROM sessions WHERE ended_at IS NOT NULL") >= 1);
        assertEquals(1, countSql("SELECT COUNT(*) FROM audit_events WHERE type = 'password_reset' AND actor_name = 'command line'"));

        TestLatch.run(dir, latch -> {
            var me = latch.http().get("/api/auth/me", "Authorization", Http.bearer(oldToken[0]));
            assertEquals(401, me.status(), "a session from before the reset is over");
        });
    }

    @Test
    void resetPasswordRevokesTheClientTokensTheOldPasswordMintedUnlessKept() throws Exception {
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "alice", "alice old password", "viewer");
            latch.createUser(adminToken, "bob", "bob old password", "viewer");
            String alices = mintClientToken(latch, latch.token("alice", "alice old password"));
            String bobs = mintClientToken(latch, latch.token("bob", "bob old password"));

            var reset = admin("reset-password", "alice");
            assertEquals(0, reset.code(), reset.err());
            var kept = admin("reset-password", "bob", "--keep-tokens");
            assertEquals(0, kept.code(), kept.err());
            assertTrue(kept.out().contains("Every session of bob has ended; client API tokens were kept"), kept.out());
            // The running server cached both tokens; the change feed tells it which one died.
            latch.deps().jobs().runNow("change-feed");
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(alices)).status(),
                    "a token minted with a stolen password dies with the reset");
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(bobs)).status(),
                    "--keep-tokens spares it");
        });
        assertEquals(1, countSql("SELECT COUNT(*) FROM client_tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE u.username = 'alice' AND t.revoked_at IS NOT NULL"));
        assertEquals(0, countSql("SELECT COUNT(*) FROM client_tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE u.username = 'bob' AND t.revoked_at IS NOT NULL"));
    }

    /** A client token with {@code me.read}, minted by the holder of {@code session}. */
    private static String mintClientToken(TestLatch latch, String session) {
        var res = latch.http().postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"me.read\"]}",
                "Authorization", Http.bearer(session));
        assertEquals(201, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    @Test
    void resetPasswordReadsTheNewPasswordFromStdinAndFindsUsersById() {
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            long id = latch.createUser(adminToken, "bob", "bob old password", "editor");
            var reset = adminWithInput("bob new password \n", env(), "reset-password", Long.toString(id), "--stdin");
            assertEquals(0, reset.code(), reset.err());
            assertFalse(reset.out().contains("bob new password"));
            assertFalse(reset.out().contains("shown once"));
            assertEquals(200, latch.login("bob", "bob new password ").status(), "the line is used exactly, trailing space included");
            assertEquals(401, latch.login("bob", "bob old password").status());
        });
    }

    @Test
    void resetPasswordRefusesAPasswordThePolicyRefusesAndChangesNothing() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var reset = adminWithInput("short\n", env(), "reset-password", "admin", "--stdin");
            assertEquals(1, reset.code());
            assertEquals("latch admin: The password must be at least 8 characters.", reset.err().strip());
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status());

            var empty = adminWithInput("", env(), "reset-password", "admin", "--stdin");
            assertEquals(1, empty.code());
            assertTrue(empty.err().startsWith("latch admin: --stdin expects the password"), empty.err());
        });
    }

    @Test
    void resetPasswordKeepsADisabledAccountDisabledAndSaysSo() throws Exception {
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "carol", "carol old password", "viewer");
        });
        try (var c = TestDatabases.connect(dir)) {
            c.createStatement().executeUpdate("UPDATE users SET enabled = 0 WHERE username = 'carol'");
        }
        var reset = admin("reset-password", "carol");
        assertEquals(0, reset.code(), reset.err());
        assertTrue(reset.out().contains("this account is disabled"), reset.out());
        assertEquals(0, countSql("SELECT enabled FROM users WHERE username = 'carol'"));
    }

    @Test
    void unbanLiftsTheBanThatFiveWrongPasswordsStarted() throws Exception {
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "dave", "dave the password", "viewer");
            for (int i = 0; i < 5; i++) {
                assertEquals(401, latch.login("dave", "wrong password " + i).status());
            }
            assertEquals(401, latch.login("dave", "dave the password").status(), "banned: answered like a wrong password");

            var list = admin("list-users");
            assertTrue(list.out().lines().anyMatch(l -> l.contains("dave") && l.endsWith("yes")), list.out());

            var unban = admin("unban", "dave");
            assertEquals(0, unban.code(), unban.err());
            assertTrue(unban.out().contains("Lifted the sign-in ban on dave"), unban.out());
            assertEquals(200, latch.login("dave", "dave the password").status());

            var again = admin("unban", "dave");
            assertEquals(0, again.code());
            assertTrue(again.out().contains("not banned"), again.out());
        });
        assertEquals(1, countSql("SELECT COUNT(*) FROM audit_events WHERE type = 'account_unbanned' AND actor_name = 'command line'"));
    }

    @Test
    void listUsersShowsEveryAccountButNoSecrets() {
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            latch.createUser(adminToken, "erin", "erin the password", "editor");
            var list = admin("list-users");
            assertEquals(0, list.code(), list.err());
            var lines = list.out().lines().toList();
            assertEquals(3, lines.size(), list.out());
            assertTrue(lines.get(0).startsWith("ID") && lines.get(0).contains("USERNAME") && lines.get(0).contains("BANNED"));
            assertTrue(lines.get(1).matches("1\\s+admin\\s+admin\\s+yes\\s+no"), lines.get(1));
            assertTrue(lines.get(2).matches("2\\s+erin\\s+editor\\s+yes\\s+no"), lines.get(2));
            assertFalse(list.out().contains("$argon2"));
        });
    }

    @Test
    void theDataDirectoryFlagWorksAnywhereOnTheLine() {
        TestLatch.run(dir, TestLatch::setupAdmin);
        var env = env();
        env.remove("LATCH_DATA_DIR");
        var after = adminWithInput("", env, "list-users", "--data-dir", dir.toString());
        assertEquals(0, after.code(), after.err());
        assertTrue(after.out().contains("admin"));
        var before = adminWithInput("", env, "--data-dir=" + dir, "list-users");
        assertEquals(0, before.code(), before.err());
        assertEquals(after.out(), before.out());
    }

    @Test
    void anUnknownUserIsRefusedWithOneClearLine() {
        TestLatch.run(dir, TestLatch::setupAdmin);
        for (String command : new String[] {"reset-password", "unban"}) {
            var res = admin(command, "nobody");
            assertEquals(1, res.code());
            assertEquals("latch admin: there is no user 'nobody' (give a username or an id; list-users shows them)", res.err().strip());
        }
        assertEquals(1, admin("unban", "42").code());
    }

    @Test
    @SqliteOnly("a missing latch.db file; a PostgreSQL database is the server's to create")
    void aMissingDatabaseIsRefusedAndNotCreated() {
        Path elsewhere = dir.resolve("typo");
        var env = env();
        env.put("LATCH_DATA_DIR", elsewhere.toString());
        for (String[] args : new String[][] {{"list-users"}, {"reset-password", "admin"}, {"unban", "admin"}}) {
            var res = adminWithInput("", env, args);
            assertEquals(1, res.code());
            assertTrue(res.err().startsWith("latch admin: there is no Latch database at "), res.err());
            assertEquals(1, res.err().lines().count());
        }
        assertFalse(Files.exists(elsewhere.resolve("latch.db")));
    }

    @Test
    void wrongUsageExitsWithTwoAndHelpWithZero() {
        var unknown = admin("drop-database");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("latch admin: unknown command 'drop-database'"), unknown.err());

        assertEquals(2, admin().code());
        assertEquals(2, admin("list-users", "--force").code());
        assertEquals(2, admin("reset-password").code());
        assertEquals(2, admin("unban", "someone", "--stdin").code());
        assertEquals(2, admin("list-users", "--data-dir").code());

        var help = admin("help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("reset-password <user>"));
        assertTrue(help.out().contains("login-link <user>") && help.out().contains("reset-link <user>"), help.out());
        assertFalse(Files.exists(dir.resolve("latch.db")), "usage errors touch nothing");
    }

    private static final Pattern LINK = Pattern.compile("^(\\S+)#(login_token|token)=([A-Za-z0-9_-]{43,})$", Pattern.MULTILINE);

    /** The one link a command printed: {origin and path, token}. */
    private static String[] link(Result res) {
        var m = LINK.matcher(res.out());
        assertTrue(m.find(), "no link in: " + res.out());
        String[] found = {m.group(1), m.group(3)};
        assertFalse(m.find(), "one link only: " + res.out());
        return found;
    }

    @Test
    void loginLinkPrintsAOneTimeLinkThatSignsInEvenWithPasswordLoginOff() throws Exception {
        assertEquals(0, admin("create-admin", "owner").code());
        var env = env();
        env.putAll(TestLatch.PASSWORD_LOGIN_OFF);
        env.put("LATCH_PUBLIC_URL", "https://auth.example.com/");
        var res = adminWithInput("", env, "login-link", "owner");
        assertEquals(0, res.code(), res.err());
        String[] printed = link(res);
        assertEquals("https://auth.example.com/login", printed[0]);
        assertTrue(res.out().contains("shown once"), res.out());

        TestLatch.run(dir, TestLatch.PASSWORD_LOGIN_OFF, latch -> {
            String body = "{\"token\":\"" + printed[1] + "\"}";
            var signedIn = latch.http().postJson("/api/auth/login-link", body);
            assertEquals(200, signedIn.status(), signedIn.toString());
            assertEquals("owner", signedIn.json().at("/user/username").asText());
            assertEquals(410, latch.http().postJson("/api/auth/login-link", body).status(), "once");
        });
        assertTrue(countSql("SELECT COUNT(*) FROM audit_events WHERE type = 'login_link_created' AND actor_name = 'command line'") == 1);
    }

    @Test
    void resetLinkPrintsALinkToTheResetPageThatSetsANewPassword() {
        assertEquals(0, admin("create-admin", "owner").code());
        var first = admin("reset-link", "owner");
        assertEquals(0, first.code(), first.err());
        assertEquals("http://localhost:8080/reset", link(first)[0], "without LATCH_PUBLIC_URL: this machine's Latch");
        var second = admin("reset-link", "1");
        assertEquals(0, second.code(), second.err());

        TestLatch.run(dir, latch -> {
            String older = "{\"token\":\"" + link(first)[1] + "\",\"new_password\":\"owner's new passphrase\"}";
            assertEquals(410, latch.http().postJson("/api/auth/reset-password", older).status(), "the newer link voided it");
            String newer = "{\"token\":\"" + link(second)[1] + "\",\"new_password\":\"owner's new passphrase\"}";
            assertEquals(200, latch.http().postJson("/api/auth/reset-password", newer).status());
            assertEquals(200, latch.login("owner", "owner's new passphrase").status());
        });
    }

    @Test
    void linksForSomeoneWhoIsNotThereOrDisabledAreRefused() throws Exception {
        assertEquals(0, admin("create-admin", "owner").code());
        var missing = admin("login-link", "nobody");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("latch admin: there is no user 'nobody'"), missing.err());
        assertEquals(1, admin("reset-link", "nobody").code());
        assertEquals(2, admin("login-link").code());
        assertEquals(2, admin("reset-link", "owner", "--stdin").code());

        assertEquals(0, admin("create-admin", "second").code());
        try (var c = TestDatabases.connect(dir)) {
            c.createStatement().executeUpdate("UPDATE users SET enabled = 0 WHERE username = 'second'");
        }
        var disabled = admin("login-link", "second");
        assertEquals(1, disabled.code());
        assertTrue(disabled.err().contains("disabled"), disabled.err());
        assertEquals("", disabled.out(), "no link is printed");
    }
}
