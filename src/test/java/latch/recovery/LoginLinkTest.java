package latch.recovery;

import latch.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import latch.access.Principal;
import latch.http.ApiError;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;

import static latch.recovery.Links.loginLink;
import static latch.recovery.Links.signInWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One-time sign-in links: the operator's way in, which works with password sign-in off, once, for ten minutes. */
class LoginLinkTest {
    @TempDir
    Path dir;

    @Test
    void aLoginLinkSignsInWhilePasswordSignInIsOff() {
        TestLatch.run(dir, TestLatch.PASSWORD_LOGIN_OFF, latch -> {
            latch.setupAdmin();
            assertEquals(403, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "passwords open nothing");
            IssuedLink link = loginLink(latch, TestLatch.ADMIN);
            assertTrue(link.url("https://auth.example.com").startsWith("https://auth.example.com/login#login_token="));
            assertTrue(link.secret().length() >= 43, "at least 256 bits: " + link.secret().length());

            var res = signInWith(latch, link.secret());
            assertEquals(200, res.status(), res.toString());
            assertEquals(TestLatch.ADMIN, res.json().at("/user/username").asText());
            assertTrue(res.setCookie("latch_token").isPresent(), "the same cookie a password sign-in sets");
            String token = res.json().get("token").asText();
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status());

            JsonNode signIn = latch.http().get("/api/admin/audit?type=sign_in", "Authorization", Http.bearer(token))
                    .json().at("/events/0");
            assertEquals("login link", signIn.get("detail").asText());
            assertEquals(TestLatch.ADMIN, signIn.get("subject_name").asText());
        });
    }

    @Test
    void aLoginLinkWorksOnce() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            String secret = loginLink(latch, TestLatch.ADMIN).secret();
            assertEquals(200, signInWith(latch, secret).status());
            var again = signInWith(latch, secret);
            assertEquals(410, again.status(), again.toString());
            assertEquals("link_expired_or_used", again.json().get("error").asText());
            assertFalse(again.setCookie("latch_token").isPresent());
        });
    }

    @Test
    void aLoginLinkExpiresAfterTenMinutes() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            String early = loginLink(latch, TestLatch.ADMIN).secret();
            latch.clock().advance(Duration.ofMinutes(10).minusSeconds(1));
            assertEquals(200, signInWith(latch, early).status(), "still valid a second before ten minutes");

            String late = loginLink(latch, TestLatch.ADMIN).secret();
            latch.clock().advance(Duration.ofMinutes(10));
            var res = signInWith(latch, late);
            assertEquals(410, res.status(), res.toString());
            assertEquals("link_expired_or_used", res.json().get("error").asText());
        });
    }

    @Test
    void aLoginLinkForADisabledAccountIsRefused() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", "alice's long password", "viewer");
            String secret = loginLink(latch, "alice").secret();
            assertEquals(200, latch.http().patchJson("/api/users/" + id, "{\"enabled\":false}",
                    "Authorization", Http.bearer(admin)).status());

            var res = signInWith(latch, secret);
            assertEquals(403, res.status(), res.toString());
            assertEquals("account_disabled", res.json().get("error").asText());
            assertFalse(res.setCookie("latch_token").isPresent());

            var user = latch.deps().users().findCurrent(id).orElseThrow();
            var refused = assertThrows(ApiError.class, () -> latch.deps().recovery().service()
                    .loginLink(Principal.system("test", latch.deps().scopes().all()), user));
            assertEquals("account_disabled", refused.code(), "no link is made for a disabled account");
        });
    }

    @Test
    void guessedLinksAreLimitedPerClientAndThenEvenTheRightOneWaits() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            String secret = loginLink(latch, TestLatch.ADMIN).secret();
            for (int i = 0; i < latch.settings().limits().linkGuessesPerClient().capacity(); i++) {
                assertEquals(410, signInWith(latch, "guess-" + i).status());
            }
            var limited = signInWith(latch, secret);
            assertEquals(429, limited.status(), limited.toString());
            assertTrue(Long.parseLong(limited.header("Retry-After").orElseThrow()) > 0);
            latch.clock().advance(Duration.ofMinutes(2));
            assertEquals(200, signInWith(latch, secret).status(), "the link itself was not spent by the refusal");
        });
    }

    @Test
    void malformedLinksAreAnsweredAsBadRequestsNotErrors() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            assertEquals(400, latch.http().postJson("/api/auth/login-link", "{}").status());
            assertEquals(400, latch.http().postJson("/api/auth/login-link", "{\"token\":\"\"}").status());
            assertEquals(400, latch.http().postJson("/api/auth/login-link", "not json").status());
            var huge = signInWith(latch, "x".repeat(5000));
            assertEquals(410, huge.status(), huge.toString());
        });
    }

    @Test
    void aResetLinkDoesNotSignInAndASignInLinkDoesNotResetAPassword() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", "alice's long password", "viewer");
            String reset = Links.tokenOf(Links.resetLink(latch, admin, id));
            assertEquals(410, signInWith(latch, reset).status());
            String login = loginLink(latch, "alice").secret();
            assertEquals(410, Links.reset(latch, login, "a brand new passphrase").status());
            assertEquals(200, signInWith(latch, login).status(), "each still works for what it is for");
            assertEquals(200, Links.reset(latch, reset, "a brand new passphrase").status());
        });
    }

    @Test
    void onlyTheDigestOfALinkIsStored() throws Exception {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            String secret = loginLink(latch, TestLatch.ADMIN).secret();
            try (var c = TestDatabases.connect(dir);
                 var rs = c.createStatement().executeQuery("SELECT digest, purpose FROM one_time_links")) {
                assertTrue(rs.next());
                assertFalse(rs.getString(1).contains(secret));
                assertEquals("login", rs.getString(2));
            }
        });
    }
}
