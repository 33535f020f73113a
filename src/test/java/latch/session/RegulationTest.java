package latch.session;

import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-account brute-force regulation: a ban looks exactly like a wrong password and survives restarts. */
class RegulationTest {
    private static final Map<String, String> MANY_ATTEMPTS = Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000");

    @TempDir
    Path dir;

    @Test
    void fiveWrongPasswordsBanTheAccountAndTheBanLooksLikeAWrongPassword() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            latch.setupAdmin();
            String wrongBody = latch.login("admin", "wrong password").body();
            for (int i = 0; i < 4; i++) {
                latch.login("admin", "wrong password");
            }
            var banned = latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals(401, banned.status());
            assertEquals(wrongBody, banned.body(), "indistinguishable from a wrong password");
            assertEquals(latch.login("nobody-here", "wrong password").body(), banned.body());
            latch.clock().advance(Duration.ofSeconds(901));
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "the ban ends after 15 minutes");
        });
    }

    @Test
    void theTokenEndpointAnswersABanExactlyLikeAWrongPassword() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            latch.setupAdmin();
            var wrong = latch.passwordGrant("admin", "wrong password");
            for (int i = 0; i < 4; i++) {
                latch.passwordGrant("admin", "wrong password");
            }
            var banned = latch.passwordGrant("admin", TestLatch.ADMIN_PASSWORD);
            assertEquals(400, banned.status());
            assertEquals("invalid_grant", banned.json().get("error").asText());
            assertEquals(wrong.body(), banned.body(), "the right password of a banned account reads as a wrong one");
            assertEquals(latch.passwordGrant("nobody-here", "wrong password").body(), banned.body());
            latch.clock().advance(Duration.ofSeconds(901));
            assertEquals(200, latch.passwordGrant("admin", TestLatch.ADMIN_PASSWORD).status());
        });
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            latch.setupAdmin();
            for (int i = 0; i < 4; i++) {
                latch.login("admin", "wrong password");
            }
            latch.clock().advance(Duration.ofSeconds(601));
            latch.login("admin", "wrong password");
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status());
        });
    }

    @Test
    void aBanSurvivesARestart() {
        var clock = new TestClock();
        TestLatch.run(dir, MANY_ATTEMPTS, clock, latch -> {
            latch.setupAdmin();
            for (int i = 0; i < 5; i++) {
                latch.login("admin", "wrong password");
            }
        });
        TestLatch.run(dir, MANY_ATTEMPTS, clock, latch ->
                assertEquals(401, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status()));
    }

    /**
     * The attack: with the victim's stolen session in hand, send password guesses to the sign-in endpoint. A
     * session once let its holder past the ban, so every guess was checked and none counted. Now no credential
     * gets past a ban: the right password is refused like a wrong one until the ban ends or an admin lifts it.
     */
    @Test
    void aStolenSessionGivesNoWayPastTheBanAndItsGuessesAreCounted() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "bob", "bob the password", "viewer");
            String stolen = latch.token("bob", "bob the password");
            var minted = latch.http().postJson("/api/client-tokens", "{\"name\":\"cron\",\"scopes\":[\"me.read\"]}",
                    "Authorization", "Bearer " + stolen);
            assertEquals(201, minted.status(), minted.toString());
            String clientToken = minted.json().get("token").asText();
            String right = "{\"username\":\"bob\",\"password\":\"bob the password\"}";
            for (int i = 0; i < 5; i++) {
                var guess = latch.http().postJson("/api/auth/login", "{\"username\":\"bob\",\"password\":\"guess " + i + "\"}",
                        "Authorization", "Bearer " + stolen);
                assertEquals(401, guess.status());
            }
            // The five guesses sent with the session counted: the account is banned now, for every caller.
            assertEquals(401, latch.http().postJson("/api/auth/login", right).status());
            assertEquals(401, latch.http().postJson("/api/auth/login", right, "Authorization", "Bearer " + stolen).status());
            assertEquals(401, latch.http().postJson("/api/auth/login", right, "X-API-Key", clientToken).status());
            var banned = latch.http().get("/api/users", "Authorization", "Bearer " + admin).json().get("users").toString();
            assertTrue(banned.contains("\"username\":\"bob\"") && banned.contains("\"banned\":true"), banned);
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", "Bearer " + stolen).status(),
                    "the session itself goes on: the ban is on password sign-in");
        });
    }

    @Test
    void aStolenSessionGuessingTheCurrentPasswordHitsThePerAddressLimit() {
        TestLatch.run(dir, Map.of("LOGIN_BAN_MAX_FAILURES", "1000"), latch -> {
            String session = latch.setupAdmin();
            for (int i = 0; i < 10; i++) {
                assertEquals(400, changePassword(latch, session, "guess number " + i).status());
            }
            var limited = changePassword(latch, session, TestLatch.ADMIN_PASSWORD);
            assertEquals(429, limited.status(), "the 11th guess from one address, as on the sign-in form: " + limited);
            assertEquals("rate_limited", limited.json().get("error").asText());
            long retry = Long.parseLong(limited.header("Retry-After").orElseThrow());
            latch.clock().advance(Duration.ofSeconds(retry));
            assertEquals(200, changePassword(latch, session, TestLatch.ADMIN_PASSWORD).status());
        });
    }

    @Test
    void aBannedAccountsCurrentPasswordIsRefusedLikeAWrongOne() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            String session = latch.setupAdmin();
            String wrongBody = changePassword(latch, session, "guess number 0").body();
            for (int i = 1; i < 5; i++) {
                changePassword(latch, session, "guess number " + i);
            }
            var banned = changePassword(latch, session, TestLatch.ADMIN_PASSWORD);
            assertEquals(400, banned.status(), "a session does not lift the ban on guessing: " + banned);
            assertEquals(wrongBody, banned.body(), "indistinguishable from a wrong current password");
            assertEquals(401, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "the guesses banned sign-in too");
            var failed = latch.http().get("/api/admin/audit?type=password_changed", "Authorization", "Bearer " + session).json().get("events");
            assertEquals(6, failed.size(), failed.toString());
            failed.forEach(e -> assertEquals("failure", e.get("outcome").asText()));
            latch.clock().advance(Duration.ofSeconds(901));
            assertEquals(200, changePassword(latch, session, TestLatch.ADMIN_PASSWORD).status(), "the ban ends after 15 minutes");
        });
    }

    private static latch.support.Http.Response changePassword(TestLatch latch, String session, String current) {
        return latch.http().putJson("/api/auth/me/password",
                "{\"current_password\":\"" + current + "\",\"new_password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}",
                "Authorization", "Bearer " + session);
    }

    @Test
    void anAdminCanLiftABanAndItIsAudited() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", "bob password", "viewer");
            for (int i = 0; i < 5; i++) {
                latch.login("bob", "wrong password");
            }
            var view = latch.http().get("/api/users/" + bob, "Authorization", "Bearer " + admin).json();
            assertEquals(true, view.get("banned").asBoolean());
            assertEquals(401, latch.login("bob", "bob password").status());
            assertEquals(204, latch.http().post("/api/users/" + bob + "/unban", "Authorization", "Bearer " + admin).status());
            assertEquals(200, latch.login("bob", "bob password").status());
            var types = latch.http().get("/api/admin/audit?user=bob", "Authorization", "Bearer " + admin).json().get("events").toString();
            assertEquals(true, types.contains("account_banned") && types.contains("account_unbanned"), types);
        });
    }
}
