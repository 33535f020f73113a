package latch.access;

import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ADMIN_ALLOWED_NETWORKS and LOGIN_ALLOWED_NETWORKS, judged on the client address as TRUSTED_PROXIES resolve it. */
class NetworkRestrictionTest {
    private static final String PASSWORD = "viewer password";
    @TempDir
    Path dir;

    private static String[] as(String token, String ip) {
        return new String[] {"Authorization", "Bearer " + token, "X-Forwarded-For", ip};
    }

    private static void assertRefused(Http.Response res) {
        assertEquals(403, res.status(), res.toString());
        assertEquals("network_not_allowed", res.json().get("error").asText());
        assertTrue(res.json().get("message").asText().contains("network"), res.toString());
    }

    @Test
    void theAdminApiAndPageAnswerOnlyFromAdminNetworks() {
        // The test's requests reach Latch from 127.0.0.1, the trusted proxy; X-Forwarded-For names the client.
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1", "ADMIN_ALLOWED_NETWORKS", "10.0.0.0/8, 127.0.0.1"), latch -> {
            String admin = latch.setupAdmin();
            long vera = latch.createUser(admin, "vera", PASSWORD, "viewer");
            var http = latch.http();
            String outside = "192.0.2.9";
            for (String path : new String[] {"/api/users", "/api/users/" + vera, "/api/admin/audit", "/api/admin/alerts",
                    "/api/admin/keys", "/api/admin/issuers", "/api/invites", "/api/users/" + vera + "/sessions"}) {
                assertRefused(http.get(path, as(admin, outside)));
                assertEquals(200, http.get(path, as(admin, "10.20.30.40")).status(), path);
            }
            assertRefused(http.post("/api/users/" + vera + "/reset-link", as(admin, outside)));
            assertRefused(http.get("/api/users", "X-Forwarded-For", outside)); // refused before any credential is asked for

            var page = http.get("/admin", "X-Forwarded-For", outside);
            assertEquals(403, page.status());
            assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"), "a page for a person");
            assertEquals(200, http.get("/admin", "X-Forwarded-For", "10.1.1.1").status());

            // Not admin routes: a person's own account works from anywhere.
            assertEquals(200, http.get("/api/auth/me", as(admin, outside)).status());
            assertEquals(200, http.get("/api/client-tokens", as(admin, outside)).status());
            assertEquals(200, http.get("/login", "X-Forwarded-For", outside).status());
        });
    }

    @Test
    void aForwardedAddressFromAnUntrustedPeerIsNotBelieved() {
        // No trusted proxy: the client is the socket peer, 127.0.0.1, whatever X-Forwarded-For claims.
        TestLatch.run(dir, Map.of("ADMIN_ALLOWED_NETWORKS", "10.0.0.0/8", "LOGIN_ALLOWED_NETWORKS", "10.0.0.0/8, 127.0.0.1/32"),
                latch -> {
            String admin = latch.setupAdmin();
            assertRefused(latch.http().get("/api/users", as(admin, "10.0.0.5")));
            assertRefused(latch.http().get("/api/users", "Authorization", "Bearer " + admin, "X-Forwarded-For", "10.0.0.5, 10.0.0.6",
                    "X-Real-IP", "10.0.0.5", "Forwarded", "for=10.0.0.5"));
        });
        TestLatch.run(dir.resolve("second"), Map.of("TRUSTED_PROXIES", "127.0.0.1", "LOGIN_ALLOWED_NETWORKS", "10.0.0.0/8"), latch -> {
            // Through the trusted proxy, the address left of it is the client's: a client that writes its own
            // X-Forwarded-For only adds to the left of what the proxy appends.
            var res = latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"y\"}",
                    "X-Forwarded-For", "10.0.0.5, 192.0.2.1");
            assertRefused(res);
        });
    }

    @Test
    @RaisesAlerts("set up from the box, then signs in from the LAN: a second network")
    void everyWayOfSigningInIsRefusedFromOutsideLoginNetworks() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1", "LOGIN_ALLOWED_NETWORKS", "10.0.0.0/8,127.0.0.1"), latch -> {
            latch.setupAdmin();
            var http = latch.http();
            String outside = "192.0.2.9";
            assertRefused(http.postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}",
                    "X-Forwarded-For", outside));
            assertEquals(200, http.postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}",
                    "X-Forwarded-For", "10.9.9.9").status());
            var grant = http.postForm("/api/token", "grant_type=password&username=admin&password=correct+horse+battery",
                    "X-Forwarded-For", outside);
            assertEquals(403, grant.status(), grant.toString());
            assertEquals("network_not_allowed", grant.json().get("error").asText());
            String refresh = http.postForm("/api/token", "grant_type=password&username=admin&password=correct+horse+battery",
                    "X-Forwarded-For", "10.9.9.9").json().get("refresh_token").asText();
            assertEquals(200, latch.refreshGrant(refresh, "X-Forwarded-For", outside).status(), "a refresh is not a sign-in");
            assertRefused(http.postJson("/api/auth/login-link", "{\"token\":\"whatever\"}", "X-Forwarded-For", outside));
            assertRefused(http.postJson("/api/auth/register", "{\"invite\":\"x\",\"username\":\"eve\",\"password\":\"long enough pw\"}",
                    "X-Forwarded-For", outside));
            assertNotEquals(403, http.postJson("/api/auth/login-link", "{\"token\":\"whatever\"}", "X-Forwarded-For", "10.1.1.1").status());
        });
    }

    @Test
    void singleSignOnIsRefusedFromOutsideLoginNetworksWithAPage() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1", "LOGIN_ALLOWED_NETWORKS", "10.0.0.0/8",
                "OIDC_ENABLED", "true", "OIDC_CLIENT_ID", "latch", "OIDC_SERVER_APPLICATION_URL", "http://127.0.0.1:9/realms/home",
                "OIDC_REDIRECT_URI", "http://localhost/api/oauth/openid"), latch -> {
            for (String path : new String[] {"/api/login/openid", "/api/oauth/openid?state=x&code=y"}) {
                var res = latch.http().get(path, "X-Forwarded-For", "192.0.2.9");
                assertEquals(403, res.status(), res.toString());
                assertTrue(res.body().contains("network"), res.body());
            }
        });
    }

    @Test
    void aFloodOfRefusalsIsAuditedOncePerWindow() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1", "ADMIN_ALLOWED_NETWORKS", "127.0.0.1"), latch -> {
            String admin = latch.setupAdmin();
            for (int i = 0; i < 10; i++) {
                assertRefused(latch.http().get("/api/users", as(admin, "192.0.2.9")));
            }
            var events = latch.http().get("/api/admin/audit?type=network_refused", "Authorization", "Bearer " + admin)
                    .json().get("events");
            assertEquals(1, events.size(), events.toString());
            assertEquals("192.0.2.9", events.get(0).get("ip").asText());
        });
    }

    @Test
    void unsetMeansNoRestriction() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1"), latch -> {
            String admin = latch.setupAdmin();
            assertEquals(200, latch.http().get("/api/users", as(admin, "192.0.2.9")).status());
        });
    }
}
