package latch.session;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A proxy in front of Latch may add its own Basic credentials: sign-in and sign-out must not trip over them. */
class ForeignAuthorizationHeaderTest {
    static final String BASIC = "Basic cHJveHk6c2VjcmV0";

    @TempDir
    Path dir;

    @Test
    void signInAndSignOutWorkBehindAProxyThatAddsBasicAuth() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var login = latch.http().postJson("/api/auth/login", "{\"username\":\"" + TestLatch.ADMIN + "\",\"password\":\""
                    + TestLatch.ADMIN_PASSWORD + "\"}", "Authorization", BASIC);
            assertEquals(200, login.status(), login.toString());
            String token = login.json().get("token").asText();

            // The browser attaches the proxy's Basic credentials by itself, so they exempt nothing from CSRF: the page sends the token.
            String[] browser = latch.cookieAuth(token);
            var logout = latch.http().post("/api/auth/logout", "Authorization", BASIC, browser[0], browser[1], browser[2], browser[3]);
            assertEquals(204, logout.status(), logout.toString());
            assertTrue(logout.setCookie("latch_token").orElseThrow().startsWith("latch_token=;"), "the cookie is cleared");
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status(),
                    "the cookie's session was ended, not skipped");
        });
    }

    @Test
    void aProtectedRouteStillRefusesAForeignSchemeClearly() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().get("/api/auth/me", "Authorization", BASIC);
            assertEquals(401, res.status());
            assertEquals("invalid_token", res.json().get("error").asText());
        });
    }
}
