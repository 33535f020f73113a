package latch.http;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cookie-authenticated state changes need the double-submit token; cross-site requests are refused outright. */
class CsrfTest {
    @TempDir
    Path dir;

    @Test
    void aCookieAuthenticatedChangeWithoutTheTokenIsRefused() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            var res = latch.http().post("/api/auth/logout-all", "Cookie", "latch_token=" + token);
            assertEquals(403, res.status());
            assertEquals("csrf_refused", res.json().get("error").asText());
            assertEquals(200, latch.http().post("/api/auth/logout-all", latch.cookieAuth(token)).status());
        });
    }

    @Test
    void theTokenMustMatchTheCookieAndCarryOurSignature() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            String good = latch.csrf();
            String other = latch.csrf();
            assertEquals(403, latch.http().post("/api/auth/logout-all", "Cookie", "latch_token=" + token + "; latch_csrf=" + good,
                    "X-CSRF-Token", other).status(), "header differs from cookie");
            String forged = "attacker-nonce.attacker-signature";
            assertEquals(403, latch.http().post("/api/auth/logout-all", "Cookie", "latch_token=" + token + "; latch_csrf=" + forged,
                    "X-CSRF-Token", forged).status(), "an attacker who can plant a cookie still cannot sign it");
        });
    }

    @Test
    void crossSiteRequestsAreRefusedEvenWithAToken() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            String[] auth = latch.cookieAuth(token);
            var crossSite = latch.http().post("/api/auth/logout-all", auth[0], auth[1], auth[2], auth[3], "Sec-Fetch-Site", "cross-site");
            assertEquals(403, crossSite.status());
            var foreignOrigin = latch.http().post("/api/auth/logout-all", auth[0], auth[1], auth[2], auth[3], "Origin", "https://evil.example");
            assertEquals(403, foreignOrigin.status());
            var sameOrigin = latch.http().post("/api/auth/logout-all", auth[0], auth[1], auth[2], auth[3], "Origin", latch.http().base(),
                    "Sec-Fetch-Site", "same-origin");
            assertEquals(200, sameOrigin.status(), sameOrigin.toString());
        });
    }

    @Test
    void theLoginFormIsProtectedAgainstLoginCsrf() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            String body = "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";
            assertEquals(403, latch.http().postJson("/api/auth/login", body, "Origin", "https://evil.example").status());
            assertEquals(403, latch.http().postJson("/api/auth/login", body, "Origin", latch.http().base()).status(),
                    "a browser's sign-in needs the token too");
            String csrf = latch.csrf();
            assertEquals(200, latch.http().postJson("/api/auth/login", body, "Origin", latch.http().base(),
                    "Cookie", "latch_csrf=" + csrf, "X-CSRF-Token", csrf).status());
        });
    }

    @Test
    void bearerAndNonBrowserClientsAreExempt() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            assertEquals(200, latch.http().post("/api/auth/logout-all", "Authorization", "Bearer " + token).status());
            String body = "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";
            assertEquals(200, latch.http().postJson("/api/auth/login", body).status(), "a script without cookies or Origin");
        });
    }

    @Test
    void getNeverChangesStateAndPagesHandOutTheCookie() {
        TestLatch.run(dir, latch -> {
            var page = latch.http().get("/login");
            String cookie = page.setCookie("latch_csrf").orElseThrow();
            assertTrue(cookie.contains("SameSite=Strict") && !cookie.contains("HttpOnly"), cookie);
            assertEquals(405, latch.http().get("/api/auth/logout-all").status());
        });
    }

    @Test
    void theProtectionCanBeTurnedOffForProxiesThatHandleIt() {
        TestLatch.run(dir, Map.of("DISABLE_CSRF_PROTECTION", "true"), latch -> {
            String token = latch.setupAdmin();
            assertEquals(200, latch.http().post("/api/auth/logout-all", "Cookie", "latch_token=" + token).status());
        });
    }

    @Test
    void refusalsAreAudited() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            latch.http().post("/api/auth/logout-all", "Cookie", "latch_token=" + token);
            var events = latch.http().get("/api/admin/audit?type=csrf_refused", "Authorization", "Bearer " + token).json().get("events");
            assertEquals(1, events.size());
            assertEquals("refused", events.get(0).get("outcome").asText());
        });
    }
}
