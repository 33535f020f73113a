package latch.http;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    // A header exempts a request only because another site cannot make a browser send it. Browsers do attach
    // some on their own (Basic credentials for a proxy in front of Latch), and an empty or bogus one proves nothing.
    @Test
    void anEmptyAuthorizationHeaderDoesNotExemptACookieAuthenticatedChange() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            String cookie = "latch_token=" + token;
            for (String[] attack : List.of(
                    new String[] {"Cookie", cookie, "Authorization", ""},
                    new String[] {"Cookie", cookie, "Authorization", "", "Origin", "https://evil.example"},
                    new String[] {"Cookie", cookie, "X-API-Key", ""},
                    new String[] {"Cookie", cookie, "Authorization", " ", "Sec-Fetch-Site", "cross-site"})) {
                String why = attack[2] + ": '" + attack[3] + "'" + (attack.length > 4 ? " from " + attack[4] : "");
                assertCsrfRefused(latch.http().post("/api/auth/logout-all", attack), why);
                assertCsrfRefused(latch.http().patchJson("/api/auth/me", "{\"display_name\":\"pwned\"}", attack), why);
            }
            assertNotEquals("pwned", latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).json()
                    .at("/user/display_name").asText(), "nothing was renamed");
            // On a protected route a header Latch cannot verify is refused by the access check, before CSRF is asked.
            assertEquals(401, latch.http().post("/api/auth/logout-all", "Cookie", cookie, "X-API-Key", "garbage").status());
            assertEquals(401, latch.http().post("/api/auth/logout-all", "Cookie", cookie, "Authorization", "Basic eHg6eXk=").status());
        });
    }

    @Test
    void aForeignSchemeOrAnUnknownKeyDoesNotExemptSignInSignOutOrRegistration() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            String login = "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";
            String register = "{\"invite\":\"x\",\"username\":\"mallory\",\"password\":\"password-mallory\"}";
            for (String[] header : List.of(new String[] {"Authorization", "Basic cHJveHk6c2VjcmV0"},
                    new String[] {"Authorization", "Bearer not-a-latch-token"}, new String[] {"X-API-Key", "garbage"},
                    new String[] {"X-API-Key", "latch_AAAAAAAAAAAA" + "A".repeat(43)}, new String[] {"Authorization", ""})) {
                String why = String.join(": ", header);
                String[] crossSite = {header[0], header[1], "Cookie", "latch_token=" + token, "Origin", "https://evil.example"};
                String[] noToken = {header[0], header[1], "Cookie", "latch_token=" + token};
                assertCsrfRefused(latch.http().post("/api/auth/logout", crossSite), "logout CSRF, " + why);
                assertCsrfRefused(latch.http().post("/api/auth/logout", noToken), "logout without the token, " + why);
                assertCsrfRefused(latch.http().postJson("/api/auth/login", login, crossSite), "login CSRF, " + why);
                assertCsrfRefused(latch.http().postJson("/api/auth/login", login, noToken), "login without the token, " + why);
                assertCsrfRefused(latch.http().postJson("/api/auth/register", register, crossSite), "registration CSRF, " + why);
            }
            assertEquals(200, latch.http().get("/api/auth/me", "Cookie", "latch_token=" + token).status(), "still signed in");
        });
    }

    @Test
    void aValidBearerOrApiKeyCredentialInAHeaderIsStillExempt() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var created = latch.http().postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"me.read\",\"me.write\"]}",
                    "Authorization", Http.bearer(admin));
            assertEquals(201, created.status(), created.toString());
            String apiKey = created.json().get("token").asText();
            String cookie = "latch_token=" + admin;

            var viaKey = latch.http().patchJson("/api/auth/me", "{\"display_name\":\"Scripted\"}", "X-API-Key", apiKey, "Cookie", cookie,
                    "Origin", "https://elsewhere.example");
            assertEquals(200, viaKey.status(), viaKey.toString());
            var viaBearerKey = latch.http().patchJson("/api/auth/me", "{\"display_name\":\"Scripted again\"}", "Authorization", Http.bearer(apiKey),
                    "Cookie", cookie);
            assertEquals(200, viaBearerKey.status(), viaBearerKey.toString());
            var viaSession = latch.http().post("/api/auth/logout-all", "Authorization", Http.bearer(admin), "Cookie", cookie);
            assertEquals(200, viaSession.status(), viaSession.toString());

            String fresh = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            var signOut = latch.http().post("/api/auth/logout", "Authorization", Http.bearer(fresh), "Cookie", "latch_token=" + fresh,
                    "Origin", "https://elsewhere.example");
            assertEquals(204, signOut.status(), "a public route is exempt when its header holds a valid Latch credential: " + signOut);
        });
    }

    private static void assertCsrfRefused(Http.Response res, String why) {
        assertEquals(403, res.status(), why + ": " + res);
        assertEquals("csrf_refused", res.json().get("error").asText(), why);
        assertTrue(res.json().has("message"), why);
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
