package latch.invite;

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
 * The register page asks whether its invitation link works before the form is filled in. The answer says that and,
 * for a live link, the role; nothing else, and one answer for every way a link can be dead.
 */
class InviteCheckTest {
    private static final String PATH = "/api/auth/registration/invite";
    private static final String DEAD = "{\"usable\":false,\"role\":null}";

    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static String invite(TestLatch latch, String admin, String body) {
        var res = latch.http().postJson("/api/invites", body, bearer(admin));
        assertEquals(201, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    private static latch.support.Http.Response check(TestLatch latch, String token) {
        return latch.http().postJson(PATH, "{\"invite\":\"" + token + "\"}");
    }

    @Test
    void aLiveLinkIsUsableAndSaysOnlyTheRoleItGives() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String token = invite(latch, admin, "{\"role\":\"editor\",\"name\":\"for Grandma's tablet\",\"max_uses\":3}");
            var res = check(latch, token);
            assertEquals(200, res.status(), res.toString());
            assertEquals("{\"usable\":true,\"role\":\"editor\"}", res.body(), "no name, creator, uses or expiry");
            assertEquals(0, latch.http().get("/api/invites", bearer(admin)).json().at("/invites/0/uses").asInt(),
                    "checking spends nothing");
            assertEquals(201, latch.http().postJson("/api/auth/register",
                    "{\"invite\":\"" + token + "\",\"username\":\"gran\",\"password\":\"invitee password\"}").status());
        });
    }

    @Test
    void usedUpExpiredRevokedVoidAndUnknownLinksGetOneAndTheSameAnswer() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String usedUp = invite(latch, admin, "{}");
            String expiring = invite(latch, admin, "{\"expires_in_seconds\":60}");
            var revocable = latch.http().postJson("/api/invites", "{\"max_uses\":5}", bearer(admin)).json();
            long other = latch.createUser(admin, "other", "other admin pw", "admin");
            String fromOther = invite(latch, latch.token("other", "other admin pw"), "{\"role\":\"admin\"}");

            assertEquals(201, latch.http().postJson("/api/auth/register",
                    "{\"invite\":\"" + usedUp + "\",\"username\":\"first\",\"password\":\"invitee password\"}").status());
            assertEquals(204, latch.http().delete("/api/invites/" + revocable.get("id").asText(), bearer(admin)).status());
            assertEquals(200, latch.http().patchJson("/api/users/" + other, "{\"role\":\"viewer\"}", bearer(admin)).status());
            latch.clock().advance(Duration.ofSeconds(61));

            var answers = Map.of(
                    "used up", check(latch, usedUp),
                    "expired", check(latch, expiring),
                    "revoked", check(latch, revocable.get("token").asText()),
                    "creator demoted", check(latch, fromOther),
                    "unknown", check(latch, "forged-invite-token-000000000000"),
                    "absurdly long", check(latch, "x".repeat(5000)));
            answers.forEach((what, res) -> {
                assertEquals(200, res.status(), what + ": " + res);
                assertEquals(DEAD, res.body(), what);
                assertEquals(res.header("Content-Length"), answers.get("unknown").header("Content-Length"), what);
            });
        });
    }

    @Test
    void deadLinksAreRateLimitedPerClientButLiveOnesGiveTheirTryBack() {
        TestLatch.run(dir, Map.of("LIMIT_LINK_GUESSES_PER_CLIENT", "3/900"), latch -> {
            String admin = latch.setupAdmin();
            String live = invite(latch, admin, "{}");
            for (int i = 0; i < 10; i++) {
                assertEquals(200, check(latch, live).status(), "a live link, checked on every reload, never runs out");
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(DEAD, check(latch, "guess-" + i).body());
            }
            var limited = check(latch, "guess-3");
            assertEquals(429, limited.status(), limited.toString());
            assertTrue(limited.header("Retry-After").isPresent());
            assertEquals(429, check(latch, live).status(), "once limited, the right token is no oracle either");
            assertEquals(429, latch.http().postJson("/api/auth/reset-password", "{\"token\":\"guess\",\"new_password\":\"long enough pw\"}").status(),
                    "one budget for guessing any link");
            latch.clock().advance(Duration.ofSeconds(900));
            assertEquals("{\"usable\":true,\"role\":\"viewer\"}", check(latch, live).body());
        });
    }

    @Test
    void aMalformedCheckIsABadRequestAndPasswordSignInOffRefusesIt() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            for (String body : new String[] {"{}", "{\"invite\":\"\"}", "{\"invite\":null}", "[]", "not json"}) {
                var res = latch.http().postJson(PATH, body);
                assertEquals(400, res.status(), body + ": " + res);
                assertFalse(res.json().get("error").asText().isBlank());
            }
        });
        TestLatch.run(dir.resolve("off"), TestLatch.PASSWORD_LOGIN_OFF, latch -> {
            var res = check(latch, "anything-at-all");
            assertEquals(403, res.status(), res.toString());
            assertEquals("password_login_disabled", res.json().get("error").asText());
        });
    }
}
