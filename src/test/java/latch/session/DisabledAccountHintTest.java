package latch.session;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disabled account is refused like a wrong password, so a stranger learns nothing; only someone who gave the right
 * password, three times, is told the account may be disabled.
 */
class DisabledAccountHintTest {
    private static final String PASSWORD = "vera's password";
    private static final String WRONG = "{\"error\":\"invalid_credentials\",\"message\":\"" + SignIn.BAD_CREDENTIALS + "\"}";
    private static final String HINTED = "{\"error\":\"invalid_credentials\",\"message\":\"" + SignIn.BAD_CREDENTIALS
            + SignIn.DISABLED_HINT_TEXT + "\"}";
    /** Room for every attempt below, so no limit, ban or alert answers instead of the rule tested. */
    private static final Map<String, String> ROOMY = Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000", "LOGIN_BAN_MAX_FAILURES", "1000",
            "ALERT_FAILED_SIGNINS_PER_ACCOUNT", "1000", "ALERT_FAILED_SIGNINS_PER_CLIENT", "1000");

    @TempDir
    Path dir;

    private static void disable(TestLatch latch, String admin, long id) {
        assertEquals(200, latch.http().patchJson("/api/users/" + id, "{\"enabled\":false}", "Authorization", Http.bearer(admin)).status());
    }

    private static Http.Response refused(TestLatch latch, String username, String password) {
        var res = latch.login(username, password);
        assertEquals(401, res.status(), res.toString());
        return res;
    }

    @Test
    void theRightPasswordForADisabledAccountIsToldFromTheThirdTry() {
        TestLatch.run(dir, ROOMY, latch -> {
            String admin = latch.setupAdmin();
            disable(latch, admin, latch.createUser(admin, "vera", PASSWORD, "viewer"));

            assertEquals(WRONG, refused(latch, "vera", PASSWORD).body(), "first: as a wrong password");
            assertEquals(WRONG, refused(latch, "vera", PASSWORD).body(), "second: as a wrong password");
            assertEquals(HINTED, refused(latch, "vera", PASSWORD).body(), "third: told to ask an admin");
            assertEquals(HINTED, refused(latch, "vera", PASSWORD).body(), "and on, while the tries keep coming");
            assertEquals(WRONG, refused(latch, "vera", "a wrong guess").body(), "a wrong password in between is never told");
            assertEquals(HINTED, refused(latch, "vera", PASSWORD).body());

            // A quarter of an hour later the count starts again.
            latch.clock().advance(Duration.ofMinutes(16));
            assertEquals(WRONG, refused(latch, "vera", PASSWORD).body());

            var failures = latch.http().get("/api/admin/audit?type=sign_in_failed&user=vera", "Authorization", Http.bearer(admin))
                    .json().get("events");
            assertTrue(failures.toString().contains("account disabled; told to ask an admin"), "the admin sees who was told: " + failures);
        });
    }

    @Test
    void aGuesserIsNeverToldWhateverTheyTry() {
        TestLatch.run(dir, ROOMY, latch -> {
            String admin = latch.setupAdmin();
            disable(latch, admin, latch.createUser(admin, "vera", PASSWORD, "viewer"));
            latch.createUser(admin, "walt", "walt's password", "viewer");
            for (int i = 0; i < 8; i++) {
                assertEquals(WRONG, refused(latch, "vera", "guess " + i).body(), "a disabled account, wrong password");
                assertEquals(WRONG, refused(latch, "walt", "guess " + i).body(), "an enabled account, wrong password");
                assertEquals(WRONG, refused(latch, "nobody", "guess " + i).body(), "no such account");
                assertEquals(WRONG, refused(latch, "vera", "vera's password ").body(), "close is not right");
            }
        });
    }

    @Test
    void aBannedDisabledAccountIsNotToldEvenWithTheRightPassword() {
        TestLatch.run(dir, Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000", "LOGIN_BAN_MAX_FAILURES", "3",
                "ALERT_FAILED_SIGNINS_PER_ACCOUNT", "1000", "ALERT_FAILED_SIGNINS_PER_CLIENT", "1000"), latch -> {
            String admin = latch.setupAdmin();
            disable(latch, admin, latch.createUser(admin, "vera", PASSWORD, "viewer"));
            for (int i = 0; i < 3; i++) {
                refused(latch, "vera", "guess " + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(WRONG, refused(latch, "vera", PASSWORD).body(), "a ban answers every password alike");
            }
        });
    }

    @Test
    void theAppPasswordGrantCarriesTheSameHint() {
        TestLatch.run(dir, ROOMY, latch -> {
            String admin = latch.setupAdmin();
            disable(latch, admin, latch.createUser(admin, "vera", PASSWORD, "viewer"));
            for (int i = 0; i < 2; i++) {
                var res = latch.passwordGrant("vera", PASSWORD);
                assertEquals(400, res.status(), res.toString());
                assertFalse(res.body().contains("disabled"), res.body());
            }
            var third = latch.passwordGrant("vera", PASSWORD);
            assertEquals("invalid_grant", third.json().get("error").asText());
            assertTrue(third.body().contains("your account may be disabled: ask an admin of this server"), third.body());
        });
    }
}
