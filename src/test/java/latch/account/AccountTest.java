package latch.account;

import com.auth0.jwt.JWT;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    @Test
    void aUserUpdatesTheirProfile() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var res = latch.http().patchJson("/api/auth/me", "{\"display_name\":\"The Owner\",\"email\":\"owner@home.example\"}", bearer(admin));
            assertEquals(200, res.status());
            assertEquals("owner@home.example", res.json().at("/user/email").asText());
            assertEquals(400, latch.http().patchJson("/api/auth/me", "{\"email\":\"not an email\"}", bearer(admin)).status());
            assertEquals(400, latch.http().patchJson("/api/auth/me", "{\"display_name\":\"bad\\u0000name\"}", bearer(admin)).status());
        });
    }

    @Test
    void changingThePasswordEndsOtherSessionsAndRenewsThisOne() {
        TestLatch.run(dir, latch -> {
            String here = latch.setupAdmin();
            String elsewhere = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            var wrong = latch.http().putJson("/api/auth/me/password",
                    "{\"current_password\":\"not it at all\",\"new_password\":\"a brand new secret\"}", bearer(here));
            assertEquals(400, wrong.status());
            assertEquals("invalid_current_password", wrong.json().get("error").asText());
            var res = latch.http().putJson("/api/auth/me/password",
                    "{\"current_password\":\"" + TestLatch.ADMIN_PASSWORD + "\",\"new_password\":\"a brand new secret\"}", bearer(here));
            assertEquals(200, res.status(), res.toString());
            String renewed = res.json().get("token").asText();
            assertEquals(JWT.decode(here).getClaim("sid").asString(), JWT.decode(renewed).getClaim("sid").asString(), "same session");
            assertEquals(401, me(latch, here), "the old token of this session is revoked");
            assertEquals(200, me(latch, renewed));
            assertEquals(401, me(latch, elsewhere), "other sessions end");
            assertEquals(401, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status());
            assertEquals(200, latch.login(TestLatch.ADMIN, "a brand new secret").status());
        });
    }

    @Test
    void changingMyPasswordRevokesMyClientTokensByDefault() {
        TestLatch.run(dir, latch -> {
            String here = latch.setupAdmin();
            // Someone who learnt the old password minted a token with it: a session that a password change ends
            // is not all they hold.
            String stolen = mintClientToken(latch, latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD));
            assertEquals(200, me(latch, stolen));
            var res = latch.http().putJson("/api/auth/me/password",
                    "{\"current_password\":\"" + TestLatch.ADMIN_PASSWORD + "\",\"new_password\":\"a brand new secret\"}", bearer(here));
            assertEquals(200, res.status(), res.toString());
            assertEquals(401, me(latch, stolen), "the token minted with the old password is revoked");
            String renewed = res.json().get("token").asText();
            assertEquals(0, latch.http().get("/api/client-tokens", bearer(renewed)).json().get("tokens").size());
        });
    }

    @Test
    void changingMyPasswordKeepsMyClientTokensWhenIOptOut() {
        TestLatch.run(dir, latch -> {
            String here = latch.setupAdmin();
            String elsewhere = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            String homeScript = mintClientToken(latch, here);
            var res = latch.http().putJson("/api/auth/me/password", "{\"current_password\":\"" + TestLatch.ADMIN_PASSWORD
                    + "\",\"new_password\":\"a brand new secret\",\"revoke_client_tokens\":false}", bearer(here));
            assertEquals(200, res.status(), res.toString());
            assertEquals(200, me(latch, homeScript), "I chose to keep my scripts running");
            assertEquals(401, me(latch, elsewhere), "other sessions end all the same");
            String renewed = res.json().get("token").asText();
            assertEquals(1, latch.http().get("/api/client-tokens", bearer(renewed)).json().get("tokens").size());
            var changed = latch.http().get("/api/admin/audit?type=password_changed", bearer(renewed)).json().get("events");
            assertEquals("client tokens kept", changed.get(0).get("detail").asText(), changed.toString());

            var notABoolean = latch.http().putJson("/api/auth/me/password", "{\"current_password\":\"a brand new secret\","
                    + "\"new_password\":\"yet another secret\",\"revoke_client_tokens\":\"no\"}", bearer(renewed));
            assertEquals(400, notABoolean.status(), notABoolean.toString());
            assertEquals("invalid_request", notABoolean.json().get("error").asText());
            assertTrue(notABoolean.json().get("message").asText().contains("revoke_client_tokens"), notABoolean.body());
            assertEquals(200, me(latch, homeScript), "a malformed request changes nothing");
        });
    }

    /** A client token with {@code me.read}, minted by the holder of {@code session}. */
    private static String mintClientToken(TestLatch latch, String session) {
        var res = latch.http().postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"me.read\"]}", bearer(session));
        assertEquals(201, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    @Test
    void iSeeMySessionsWithTheCurrentOneMarked() {
        TestLatch.run(dir, latch -> {
            String first = latch.setupAdmin();
            latch.http().postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}",
                    "User-Agent", "Handheld/2.0");
            var sessions = latch.http().get("/api/auth/sessions", bearer(first)).json().get("sessions");
            assertEquals(2, sessions.size());
            int current = 0;
            boolean sawAgent = false;
            for (var s : sessions) {
                current += s.get("current").asBoolean() ? 1 : 0;
                sawAgent |= s.get("user_agent").asText().equals("Handheld/2.0");
                assertEquals("browser", s.get("kind").asText());
                assertFalse(s.get("ip").asText().isEmpty());
            }
            assertEquals(1, current);
            assertTrue(sawAgent);
        });
    }

    @Test
    void iCanEndOneOfMySessionsButNotSomeoneElses() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "bob", "bob password", "viewer");
            String bob = latch.token("bob", "bob password");
            String bobSid = JWT.decode(bob).getClaim("sid").asString();
            String adminOther = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            String otherSid = JWT.decode(adminOther).getClaim("sid").asString();

            var idor = latch.http().delete("/api/auth/sessions/" + bobSid, bearer(admin));
            assertEquals(404, idor.status(), "another user's session id is unknown to me, even as admin on this route");
            assertEquals(200, me(latch, bob));
            assertEquals(404, latch.http().delete("/api/auth/sessions/" + otherSid, bearer(bob)).status());

            assertEquals(204, latch.http().delete("/api/auth/sessions/" + otherSid, bearer(admin)).status());
            assertEquals(401, me(latch, adminOther));
            assertEquals(200, me(latch, admin));
            assertEquals(404, latch.http().delete("/api/auth/sessions/" + otherSid, bearer(admin)).status(), "already ended");
        });
    }

    @Test
    void signOutEverywhereKeepsThisSessionUnlessAskedToIncludeIt() {
        TestLatch.run(dir, latch -> {
            String here = latch.setupAdmin();
            String a = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            String b = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            var res = latch.http().post("/api/auth/logout-all", bearer(here));
            assertEquals(2, res.json().get("ended").asInt());
            assertEquals(401, me(latch, a));
            assertEquals(401, me(latch, b));
            assertEquals(200, me(latch, here));
            var all = latch.http().postJson("/api/auth/logout-all", "{\"include_current\":true}", bearer(here));
            assertEquals(1, all.json().get("ended").asInt());
            assertEquals(401, me(latch, here));
        });
    }

    @Test
    void anIdleSessionEndsWhileAnActiveOneLivesOn() {
        TestLatch.run(dir, java.util.Map.of("SESSION_IDLE_TIMEOUT_SECONDS", "600"), new latch.support.TestClock(), latch -> {
            String active = latch.setupAdmin();
            String idle = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            for (int i = 0; i < 3; i++) {
                latch.clock().advance(Duration.ofSeconds(400));
                assertEquals(200, me(latch, active));
            }
            assertEquals(401, me(latch, idle), "idle for 1200 s with a 600 s timeout");
            latch.clock().advance(Duration.ofSeconds(86400));
            assertEquals(401, me(latch, active), "and the absolute lifetime still applies to the active one");
        });
    }

    @Test
    void anActiveSessionStillEndsAtItsAbsoluteLifetimeAndRefreshingDoesNotExtendIt() {
        var config = java.util.Map.of("SESSION_MAX_AGE_SECONDS", "600", "SESSION_IDLE_TIMEOUT_SECONDS", "3600");
        TestLatch.run(dir, config, new latch.support.TestClock(), latch -> {
            String token = latch.setupAdmin();
            String expiresAt = JWT.decode(token).getExpiresAtAsInstant().toString();
            for (int i = 0; i < 3; i++) {
                latch.clock().advance(Duration.ofSeconds(150));
                assertEquals(200, me(latch, token), "busy every 150 s, far inside the idle timeout");
            }
            var refreshed = latch.http().post("/api/auth/refresh", bearer(token));
            assertEquals(200, refreshed.status(), refreshed.toString());
            token = refreshed.json().get("token").asText();
            assertEquals(expiresAt, refreshed.json().get("expires_at").asText(), "a refresh keeps the session's end");
            latch.clock().advance(Duration.ofSeconds(140));
            assertEquals(200, me(latch, token), "590 s old, still within the 600 s lifetime");
            latch.clock().advance(Duration.ofSeconds(20));
            assertEquals(401, me(latch, token), "610 s old and active 20 s ago: only the absolute lifetime can end it");
            assertEquals(401, latch.http().post("/api/auth/refresh", bearer(token)).status(), "nor can a refresh revive it");
            String fresh = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            var sessions = latch.http().get("/api/auth/sessions", bearer(fresh)).json().get("sessions");
            assertEquals(1, sessions.size(), "the expired session is no longer listed: " + sessions);
        });
    }

    @Test
    void myEventsShowMySignInsAndOnlyMine() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "bob", "bob password", "viewer");
            String bob = latch.token("bob", "bob password");
            latch.login("bob", "wrong password!");
            var events = latch.http().get("/api/auth/me/events", bearer(bob)).json().get("events");
            assertTrue(events.size() >= 3, events.toString());
            for (var e : events) {
                assertEquals("bob", e.get("subject_name").asText());
            }
            assertEquals("sign_in_failed", events.get(0).get("type").asText(), "newest first");
            assertNotEquals("", events.get(0).get("ip").asText());
        });
    }

    private static int me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).status();
    }
}
