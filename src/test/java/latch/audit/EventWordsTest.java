package latch.audit;

import latch.support.TestDatabases;
import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;

import static latch.support.Http.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security events read as a person would say them: the device a session was on, the name of a token, who made an
 * invitation; never an internal id, and no row for signing out everywhere when there was nowhere else.
 */
class EventWordsTest {
    private static final String FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String CHROME_ON_ANDROID =
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";

    @TempDir
    Path dir;

    private static String signIn(TestLatch latch, String username, String password, String agent) {
        var res = latch.http().postJson("/api/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", "User-Agent", agent);
        assertEquals(200, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    private static JsonNode events(TestLatch latch, String admin, String type) {
        var res = latch.http().get("/api/admin/audit?type=" + type, "Authorization", bearer(admin));
        assertEquals(200, res.status(), res.toString());
        return res.json().get("events");
    }

    @Test
    void signingOutEverywhereWithNoOtherSessionWritesNothing() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", "bob password", "viewer");
            String only = signIn(latch, "bob", "bob password", FIREFOX_ON_WINDOWS);
            var res = latch.http().post("/api/auth/logout-all", "Authorization", bearer(only));
            assertEquals(200, res.status(), res.toString());
            assertEquals(0, res.json().get("ended").asInt());
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", bearer(only)).status(), "still signed in");

            // Nor does an admin's forced logout, disabling or a new password, for someone signed in nowhere.
            assertEquals(204, latch.http().post("/api/auth/logout", "Authorization", bearer(only)).status());
            assertEquals(0, latch.http().post("/api/users/" + bob + "/logout-all", "Authorization", bearer(admin)).json()
                    .get("ended").asInt());
            assertEquals(200, latch.http().patchJson("/api/users/" + bob, "{\"password\":\"bob's new password\"}",
                    "Authorization", bearer(admin)).status());
            assertEquals(200, latch.http().patchJson("/api/users/" + bob, "{\"enabled\":false}", "Authorization", bearer(admin))
                    .status());

            assertEquals(0, events(latch, admin, "sessions_ended").size(), "no '0 sessions ended' rows");
            assertEquals(1, events(latch, admin, "user_disabled").size(), "what did happen is on record");
            assertEquals(1, events(latch, admin, "password_reset").size());
        });
    }

    @Test
    void sessionsEndedNameTheirDevicesEvenAfterTheSessionRowsArePurged() throws Exception {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", "bob password", "viewer");
            String laptop = signIn(latch, "bob", "bob password", FIREFOX_ON_WINDOWS);
            String phone = signIn(latch, "bob", "bob password", CHROME_ON_ANDROID);
            signIn(latch, "bob", "bob password", CHROME_ON_ANDROID);
            signIn(latch, "bob", "bob password", "curl/8.5.0");
            String here = signIn(latch, "bob", "bob password", FIREFOX_ON_WINDOWS);

            String laptopSession = JWT.decode(laptop).getClaim("sid").asString();
            assertEquals(204, latch.http().delete("/api/auth/sessions/" + laptopSession, "Authorization", bearer(here)).status());
            var signOut = latch.http().post("/api/auth/logout-all", "Authorization", bearer(here));
            assertEquals(3, signOut.json().get("ended").asInt(), signOut.toString());
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", bearer(phone)).status());
            signIn(latch, "bob", "bob password", CHROME_ON_ANDROID);
            assertEquals(200, latch.http().patchJson("/api/users/" + bob, "{\"enabled\":false}", "Authorization", bearer(admin))
                    .status());

            // The session rows go (the purge takes ended ones in time); the log keeps the devices' names.
            try (var c = TestDatabases.connect(dir)) {
                c.createStatement().executeUpdate("DELETE FROM sessions");
            }
            var one = events(latch, admin, "session_ended");
            assertEquals(1, one.size(), one.toString());
            assertEquals("Firefox on Windows", one.get(0).get("detail").asText());
            var all = events(latch, admin, "sessions_ended");
            assertEquals(2, all.size(), all.toString());
            assertEquals("account disabled: 2 sessions (Chrome on Android, Firefox on Windows)", all.get(0).get("detail").asText(),
                    "disabling ends every session, the one signing out everywhere kept too");
            assertEquals("sign out everywhere: 3 sessions (Chrome on Android ×2, curl/8.5.0)", all.get(1).get("detail").asText());

            // Bob sees the same words among his own events.
            latch.http().patchJson("/api/users/" + bob, "{\"enabled\":true}", "Authorization", bearer(admin));
            String again = signIn(latch, "bob", "bob password", FIREFOX_ON_WINDOWS);
            String mine = latch.http().get("/api/auth/me/events", "Authorization", bearer(again)).body();
            assertTrue(mine.contains("\"detail\":\"Firefox on Windows\""), mine);
            assertTrue(mine.contains("sign out everywhere: 3 sessions (Chrome on Android ×2, curl/8.5.0)"), mine);
        });
    }

    @Test
    void anAppSignInIsNamedAsOne() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "bob", "bob password", "viewer");
            var grant = latch.http().postForm("/api/token", "grant_type=password&username=bob&password=bob+password",
                    "User-Agent", "Kodi/21.0 (Linux; Android 13)");
            assertEquals(200, grant.status(), grant.toString());
            String here = signIn(latch, "bob", "bob password", FIREFOX_ON_WINDOWS);
            assertEquals(1, latch.http().post("/api/auth/logout-all", "Authorization", bearer(here)).json().get("ended").asInt());
            assertEquals("sign out everywhere: 1 session (Kodi/21.0, app sign-in)",
                    events(latch, admin, "sessions_ended").get(0).get("detail").asText());
        });
    }

    @Test
    void tokensAndInvitationsAreNamedNotNumbered() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String[] auth = {"Authorization", bearer(admin)};
            var kodi = latch.http().postJson("/api/client-tokens", "{\"name\":\"Kodi\",\"scopes\":[\"me.read\"]}", auth).json();
            String kodiId = kodi.get("id").asText();
            assertEquals(200, latch.http().post("/api/client-tokens/" + kodiId + "/regenerate", auth).status());
            String code = latch.http().post("/api/client-tokens/" + kodiId + "/pair", auth).json().get("code").asText();
            assertEquals(200, latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + code + "\"}").status());
            assertEquals(204, latch.http().delete("/api/client-tokens/" + kodiId, auth).status());

            String kept = latch.http().postJson("/api/invites", "{\"role\":\"editor\",\"max_uses\":2}", auth).json().get("token").asText();
            String dropped = latch.http().postJson("/api/invites", "{\"role\":\"viewer\"}", auth).json().get("id").asText();
            assertEquals(204, latch.http().delete("/api/invites/" + dropped, auth).status());
            var registered = latch.http().postJson("/api/auth/register",
                    "{\"invite\":\"" + kept + "\",\"username\":\"ivy\",\"password\":\"ivy's long passphrase\"}");
            assertEquals(201, registered.status(), registered.toString());

            assertEquals("client token 'Kodi': me.read", events(latch, admin, "client_token_created").get(0).get("detail").asText());
            var regenerated = events(latch, admin, "client_token_regenerated");
            assertEquals("client token 'Kodi' paired to a device", regenerated.get(0).get("detail").asText());
            assertEquals("client token 'Kodi' regenerated", regenerated.get(1).get("detail").asText());
            assertEquals("client token 'Kodi'", events(latch, admin, "client_token_paired").get(0).get("detail").asText());
            assertEquals("client token 'Kodi'", events(latch, admin, "client_token_revoked").get(0).get("detail").asText());

            var created = events(latch, admin, "invite_created");
            assertEquals("invitation (role viewer, 1 use) from admin", created.get(0).get("detail").asText());
            assertEquals("invitation (role editor, 2 uses) from admin", created.get(1).get("detail").asText());
            assertEquals("invitation (role viewer, 1 use) from admin", events(latch, admin, "invite_revoked").get(0).get("detail").asText());
            assertEquals("invitation (role editor, 2 uses) from admin", events(latch, admin, "invite_used").get(0).get("detail").asText());
            var ivy = latch.http().get("/api/admin/audit?type=user_created&user=ivy", auth).json().get("events").get(0);
            assertEquals("invitation (role editor, 2 uses) from admin, role editor", ivy.get("detail").asText());

            String log = latch.http().get("/api/admin/audit?limit=200", auth).body();
            assertFalse(log.contains(kodiId), "no token id in the log: " + log);
            assertFalse(log.contains(dropped), "no invitation id in the log: " + log);
        });
    }
}
