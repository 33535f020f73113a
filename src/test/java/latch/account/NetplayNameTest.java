package latch.account;

import latch.support.SqliteOnly;
import latch.support.TestDatabases;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import latch.Main;
import latch.support.Http;
import latch.support.Race;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The name a user shows in online play: theirs to choose, their username until they do, one per instance. */
class NetplayNameTest {
    private static final String PASSWORD = "player password";

    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", Http.bearer(token)};
    }

    /** {@code PATCH /api/auth/me} setting only the netplay name (null: the field sent as JSON null). */
    private static Http.Response setNetplay(TestLatch latch, String token, String name) {
        var body = JsonNodeFactory.instance.objectNode().put("netplay_username", name);
        return latch.http().patchJson("/api/auth/me", body.toString(), bearer(token));
    }

    private static String netplayName(TestLatch latch, String token) {
        var res = latch.http().get("/api/auth/me", bearer(token));
        assertEquals(200, res.status(), res.toString());
        return res.json().at("/user/netplay_username").asText();
    }

    /** A viewer created by the admin, signed in: their session token. */
    private static String player(TestLatch latch, String admin, String username) {
        latch.createUser(admin, username, PASSWORD, "viewer");
        return latch.token(username, PASSWORD);
    }

    private static void assertRefused(Http.Response res, int status, String code) {
        assertEquals(status, res.status(), res.toString());
        assertEquals(code, res.json().get("error").asText(), res.toString());
        assertFalse(res.json().get("message").asText().isBlank(), res.toString());
    }

    @Test
    void aNewAccountPlaysUnderItsUsername() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long bobId = latch.createUser(admin, "Bob", PASSWORD, "viewer");
            assertEquals("Bob", netplayName(latch, latch.token("bob", PASSWORD)));
            assertEquals("admin", netplayName(latch, admin));
            assertEquals("Bob", latch.http().get("/api/users/" + bobId, bearer(admin)).json().get("netplay_username").asText());
        });
    }

    @Test
    void iChooseANetplayNameTrimmedAndOtherFieldsLeaveItAlone() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String bob = player(latch, admin, "bob");
            var res = setNetplay(latch, bob, "  Speedy Gonzales ");
            assertEquals(200, res.status(), res.toString());
            assertEquals("Speedy Gonzales", res.json().at("/user/netplay_username").asText());
            assertEquals("bob", res.json().at("/user/username").asText(), "the username stays");
            assertEquals("Speedy Gonzales", netplayName(latch, bob));

            // Absent or null: unchanged, as for display_name and email.
            var profile = latch.http().patchJson("/api/auth/me", "{\"display_name\":\"Bob B.\"}", bearer(bob));
            assertEquals(200, profile.status(), profile.toString());
            assertEquals("Speedy Gonzales", profile.json().at("/user/netplay_username").asText());
            assertEquals(200, setNetplay(latch, bob, null).status());
            assertEquals("Speedy Gonzales", netplayName(latch, bob));
            assertEquals("Bob B.", latch.http().get("/api/auth/me", bearer(bob)).json().at("/user/display_name").asText());

            // Any character a name may need, counted as characters rather than UTF-16 units.
            String thirtyTwo = "🎮".repeat(16) + "Ünal Ñoño Zoë 東京";
            assertEquals(32, thirtyTwo.codePointCount(0, thirtyTwo.length()));
            var wide = setNetplay(latch, bob, thirtyTwo);
            assertEquals(200, wide.status(), wide.toString());
            assertEquals(thirtyTwo, netplayName(latch, bob));

            var events = latch.http().get("/api/admin/audit?type=user_updated", bearer(admin)).json().get("events");
            assertTrue(events.size() >= 3, events.toString());
            assertEquals("own profile", events.get(0).get("detail").asText());
        });
    }

    @Test
    void aNameAnotherAccountPlaysUnderIsTakenWhateverItsCase() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String bob = player(latch, admin, "bob");
            String carol = player(latch, admin, "carol");
            assertEquals(200, setNetplay(latch, bob, "Speedy").status());

            assertRefused(setNetplay(latch, carol, "SPEEDY"), 409, "netplay_username_taken");
            assertRefused(setNetplay(latch, carol, "speedy"), 409, "netplay_username_taken");
            // The admin plays under their username by default: nobody else may play as them.
            assertRefused(setNetplay(latch, carol, "Admin"), 409, "netplay_username_taken");
            assertRefused(setNetplay(latch, carol, "ＡＤＭＩＮ"), 409, "netplay_username_taken"); // full-width letters
            // Case beyond ASCII, which SQLite's own lower() would not fold.
            assertEquals(200, setNetplay(latch, bob, "Émile").status());
            assertRefused(setNetplay(latch, carol, "ÉMILE"), 409, "netplay_username_taken");
            assertRefused(setNetplay(latch, carol, "E\u0301mile"), 409, "netplay_username_taken"); // É decomposed

            // A refused change changes nothing, not even the fields sent with it.
            var both = latch.http().patchJson("/api/auth/me", "{\"display_name\":\"Carol C.\",\"netplay_username\":\"émile\"}", bearer(carol));
            assertRefused(both, 409, "netplay_username_taken");
            var me = latch.http().get("/api/auth/me", bearer(carol)).json().get("user");
            assertEquals("carol", me.get("netplay_username").asText());
            assertTrue(me.get("display_name").isNull() || me.get("display_name").asText().isEmpty(), me.toString());

            // "Speedy" is free again now bob plays as Émile; and one's own username in another case is one's own.
            assertEquals(200, setNetplay(latch, carol, "speedy").status());
            assertEquals(200, setNetplay(latch, bob, "BOB").status());
            assertEquals("BOB", netplayName(latch, bob));
        });
    }

    @Test
    void anEmptyNetplayNameGoesBackToTheUsername() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String bob = player(latch, admin, "bob");
            String carol = player(latch, admin, "carol");
            assertEquals(200, setNetplay(latch, bob, "Zed").status());
            var reset = setNetplay(latch, bob, "");
            assertEquals(200, reset.status(), reset.toString());
            assertEquals("bob", reset.json().at("/user/netplay_username").asText());
            assertEquals(200, setNetplay(latch, bob, "Zed").status());
            assertEquals(200, setNetplay(latch, bob, "   ").status(), "blank is empty once trimmed");
            assertEquals("bob", netplayName(latch, bob));

            // While bob plays as Zed, "bob" is free for carol; then bob cannot go back to it, and is told why.
            assertEquals(200, setNetplay(latch, bob, "Zed").status());
            assertEquals(200, setNetplay(latch, carol, "Bob").status());
            var back = setNetplay(latch, bob, "");
            assertRefused(back, 409, "netplay_username_taken");
            assertTrue(back.json().get("message").asText().contains("your username"), back.toString());
            assertEquals("Zed", netplayName(latch, bob));
        });
    }

    @Test
    void aNetplayNameIsOneTo32CharactersWithNothingHidden() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String bob = player(latch, admin, "bob");
            assertEquals(200, setNetplay(latch, bob, "x".repeat(32)).status());
            for (String bad : new String[] {
                    "x".repeat(33),
                    "bell\u0007",
                    "two\nlines",
                    "\u202Eevil", // right-to-left override: shows reversed to everyone else
                    "al\u200Bice", // zero-width space: looks like alice
                    "tab\tbed"}) {
                assertRefused(setNetplay(latch, bob, bad), 400, "invalid_netplay_username");
            }
            var loneSurrogate = latch.http().patchJson("/api/auth/me", "{\"netplay_username\":\"\\uD800lone\"}", bearer(bob));
            assertRefused(loneSurrogate, 400, "invalid_netplay_username");
            var notAString = latch.http().patchJson("/api/auth/me", "{\"netplay_username\":{\"a\":1}}", bearer(bob));
            assertEquals(400, notAString.status(), notAString.toString());
            assertEquals("x".repeat(32), netplayName(latch, bob), "nothing refused was stored");
        });
    }

    @Test
    void anAccountCannotBeCreatedUnderSomeonesNetplayNameByAnyRoute() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String bob = player(latch, admin, "bob");
            assertEquals(200, setNetplay(latch, bob, "Newbie").status());

            var byAdmin = latch.http().postJson("/api/users", "{\"username\":\"newbie\",\"password\":\"" + PASSWORD + "\"}", bearer(admin));
            assertRefused(byAdmin, 409, "username_taken");
            assertTrue(byAdmin.json().get("message").asText().contains("netplay name"), byAdmin.toString());
            var sameUsername = latch.http().postJson("/api/users", "{\"username\":\"BOB\",\"password\":\"" + PASSWORD + "\"}", bearer(admin));
            assertRefused(sameUsername, 409, "username_taken");
            assertEquals("That username is taken.", sameUsername.json().get("message").asText());

            String invite = latch.http().postJson("/api/invites", "{}", bearer(admin)).json().get("token").asText();
            var registered = latch.http().postJson("/api/auth/register",
                    "{\"invite\":\"" + invite + "\",\"username\":\"NEWBIE\",\"password\":\"" + PASSWORD + "\"}");
            assertRefused(registered, 409, "username_taken");
            var again = latch.http().postJson("/api/auth/register",
                    "{\"invite\":\"" + invite + "\",\"username\":\"newcomer\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(201, again.status(), "the refused registration did not spend the invitation: " + again);

            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var env = new java.util.HashMap<>(Map.of("LATCH_DATA_DIR", dir.toString(), "LATCH_ARGON2_MEMORY_KIB", "256",
                    "LATCH_ARGON2_ITERATIONS", "1"));
            env.putAll(TestDatabases.settingsFor(dir));
            int code = Main.adminCli(env, Clock.systemUTC())
                    .run(new String[] {"create-admin", "Newbie"}, new ByteArrayInputStream(new byte[0]),
                            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, said);
            assertTrue(said.contains("netplay name"), said);
            assertFalse(said.contains("reset-password"), "there is no account 'Newbie' to reset: " + said);

            var users = latch.http().get("/api/users?q=new", bearer(admin)).json().get("users");
            assertEquals(1, users.size(), users.toString());
            assertEquals("newcomer", users.get(0).get("username").asText());
        });
    }

    @Test
    void theDatabaseItselfRefusesASecondHolderOfAName() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String[] players = new String[6];
            for (int i = 0; i < players.length; i++) {
                players[i] = player(latch, admin, "racer" + i);
            }
            var answers = Race.run(players.length, i -> setNetplay(latch, players[i], "Winner").status());
            assertEquals(1, answers.stream().filter(s -> s == 200).count(), answers.toString());
            assertEquals(players.length - 1, answers.stream().filter(s -> s == 409).count(), answers.toString());

            // A writer that skips the service gets no further.
            try (var c = TestDatabases.connect(dir)) {
                var e = assertThrows(SQLException.class, () -> c.createStatement().executeUpdate(
                        "UPDATE users SET netplay_username = 'Admin', netplay_key = 'admin' WHERE username = 'racer0'"));
                assertTrue(e.getMessage().contains("users_netplay_name"), e.getMessage());
            }
        });
    }

    @Test
    @SqliteOnly("plays SQLite's migrations from before the netplay name; PostgreSQL starts at its baseline")
    void usersFromBeforeTheUpgradePlayUnderTheirUsernames() throws Exception {
        TestLatch.run(dir, latch -> latch.createUser(latch.setupAdmin(), "Alice", PASSWORD, "viewer"));
        // Back to version 8, as a database written by the previous Latch, with users made meanwhile: the later
        // migrations undone too (version 10, the issuer registry; version 11, one-time links).
        try (var c = TestDatabases.connect(dir); var st = c.createStatement()) {
            for (String table : new String[] {"refusal_windows", "netplay_rooms", "netplay_ledger", "netplay_write_tokens", "apps", "alerts", "user_networks", "oidc_session_tokens", "oidc_sign_ins", "oidc_identities", "one_time_links",
                    "trusted_issuers"}) {
                st.execute("DROP TABLE " + table);
            }
            st.execute("DROP INDEX users_by_email");
            st.execute("DROP INDEX audit_by_actor"); // V014
            st.execute("ALTER TABLE invites DROP COLUMN name"); // V016; V015 made the apps table, V017 and V018 the rest
            st.execute("DELETE FROM schema_migrations WHERE version > 9");
            st.execute("DROP INDEX users_netplay_name");
            st.execute("ALTER TABLE users DROP COLUMN netplay_key");
            st.execute("ALTER TABLE users DROP COLUMN netplay_username");
            st.execute("DELETE FROM schema_migrations WHERE version = 9");
            st.execute("INSERT INTO users(id, username, role, created_at, updated_at) VALUES (100, 'bob', 'viewer', 0, 0)");
        }
        TestLatch.run(dir, latch -> {
            String admin = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals("Alice", netplayName(latch, latch.token("alice", PASSWORD)));
            assertEquals("bob", latch.http().get("/api/users/100", bearer(admin)).json().get("netplay_username").asText());
            String carol = player(latch, admin, "carol");
            assertRefused(setNetplay(latch, carol, "ALICE"), 409, "netplay_username_taken");
        });
    }
}
