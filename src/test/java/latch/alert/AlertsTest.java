package latch.alert;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.Sfu;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each anomaly is raised by the action that should raise it, and by nothing a person does in normal use. */
class AlertsTest {
    private static final String PASSWORD = "viewer password";
    @TempDir
    java.nio.file.Path dir;

    /** Behind a proxy on loopback, so each request can come from the network a test names. */
    private static Map<String, String> settings(String... more) {
        var out = new HashMap<>(Sfu.settings("TRUSTED_PROXIES", "127.0.0.1"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            out.put(more[i], more[i + 1]);
        }
        return out;
    }

    private static String[] from(String ip, String... more) {
        var out = new String[more.length + 2];
        out[0] = "X-Forwarded-For";
        out[1] = ip;
        System.arraycopy(more, 0, out, 2, more.length);
        return out;
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static Http.Response login(TestLatch latch, String user, String password, String ip) {
        return latch.http().postJson("/api/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}",
                from(ip));
    }

    private static JsonNode alerts(TestLatch latch, String admin, String state) {
        var res = latch.http().get("/api/admin/alerts?state=" + state, bearer(admin));
        assertEquals(200, res.status(), res.toString());
        return res.json();
    }

    private static JsonNode open(TestLatch latch, String admin) {
        return alerts(latch, admin, "open").get("alerts");
    }

    private static JsonNode only(JsonNode alerts, String kind) {
        JsonNode found = null;
        for (JsonNode a : alerts) {
            if (a.get("kind").asText().equals(kind)) {
                assertEquals(null, found, "one alert of kind " + kind + ": " + alerts);
                found = a;
            }
        }
        assertNotEquals(null, found, "an alert of kind " + kind + ": " + alerts);
        return found;
    }

    @Test
    void normalUseRaisesNoAlert() {
        TestLatch.run(dir, settings(), latch -> {
            var http = latch.http();
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", PASSWORD, "viewer");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, login(latch, "vera", PASSWORD, "198.51.100." + (10 + i)).status());
            }
            assertEquals(401, login(latch, "vera", "a typo", "198.51.100.10").status(), "a typo now and then");
            String signedIn = login(latch, "vera", PASSWORD, "198.51.100.10").json().get("token").asText();
            var refreshed = http.post("/api/auth/refresh", bearer(signedIn));
            assertEquals(200, refreshed.status(), refreshed.toString());
            String vera = refreshed.json().get("token").asText();
            String admin2 = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);

            // OAuth: a grant and a chain of refreshes.
            var grant = http.postForm("/api/token", "grant_type=password&username=vera&password=viewer+password",
                    from("198.51.100.11")).json();
            String refresh = grant.get("refresh_token").asText();
            for (int i = 0; i < 3; i++) {
                var next = latch.refreshGrant(refresh, from("198.51.100.11"));
                assertEquals(200, next.status(), next.toString());
                refresh = next.json().get("refresh_token").asText();
            }

            // Client tokens, one bound to the network it is used from, and pairing.
            var token = http.postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"me.read\"],"
                    + "\"networks\":[\"198.51.100.0/24\"]}", bearer(vera)).json();
            assertEquals(200, http.get("/api/auth/me", from("198.51.100.20", "X-API-Key", token.get("token").asText())).status());
            String id = token.get("id").asText();
            assertEquals(200, http.post("/api/client-tokens/" + id + "/regenerate", bearer(vera)).status());
            String code = http.post("/api/client-tokens/" + id + "/pair", bearer(vera)).json().get("code").asText();
            assertEquals(200, http.postJson("/api/client-tokens/exchange", "{\"code\":\"" + code + "\"}").status());
            assertEquals(200, http.postJson("/api/auth/device/init", "{\"client_name\":\"handheld\",\"scopes\":[\"me.read\"]}")
                    .status());

            // Netplay: read tokens checked as often as the SFU likes, write tokens used once.
            String read = Sfu.mint(latch, vera, "read");
            assertEquals(200, Sfu.verify(latch, read, true).status());
            assertEquals(200, Sfu.verify(latch, read, true).status());
            String write = Sfu.mint(latch, vera, "write");
            assertEquals(200, Sfu.verify(latch, write, false).status());
            assertEquals(200, Sfu.verify(latch, write, true).status());

            // Forward-auth, signed in and not.
            for (String credential : new String[] {vera, admin2}) {
                int status = http.get("/api/authz/forward-auth", "X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https",
                        "X-Forwarded-Host", "roms.example.com", "X-Forwarded-Uri", "/", "Authorization", "Bearer " + credential)
                        .status();
                assertTrue(status < 500, "forward-auth answered " + status);
            }
            http.post("/api/auth/logout", bearer(vera));

            var all = alerts(latch, admin2, "open");
            assertEquals(0, all.get("alerts").size(), all.toString());
            assertEquals(0, all.get("open_count").asLong());
            assertEquals(0, latch.deps().alerts().openCount());
        });
    }

    @Test
    @RaisesAlerts("signs in from new networks")
    void aSignInFromANewNetworkIsRaisedButNotTheFirstOrARepeat() {
        TestLatch.run(dir, settings(), latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", PASSWORD, "viewer");
            assertEquals(200, login(latch, "vera", PASSWORD, "198.51.100.7").status(), "the first sign-in: nothing to compare");
            assertEquals(200, login(latch, "vera", PASSWORD, "198.51.100.200").status(), "same /24");
            assertEquals(0, open(latch, admin).size());

            assertEquals(200, login(latch, "vera", PASSWORD, "203.0.113.4").status());
            var alert = only(open(latch, admin), "new_network");
            assertEquals("vera", alert.get("username").asText());
            assertEquals("203.0.113.0/24", alert.get("source").asText());
            assertEquals(1, alert.get("count").asInt());

            assertEquals(200, login(latch, "vera", PASSWORD, "203.0.113.9").status(), "known now");
            assertEquals(200, login(latch, "vera", PASSWORD, "2001:db8:1:2::5").status());
            assertEquals(200, login(latch, "vera", PASSWORD, "2001:db8:1:2::99").status(), "same /64");
            var alerts = open(latch, admin);
            assertEquals(2, alerts.size(), alerts.toString());
            assertTrue(alerts.toString().contains("2001:db8:1:2::/64"), alerts.toString());
        });
    }

    @Test
    void theBoxItselfIsOneNetworkAndSoIsTheHomeLan() {
        for (String ip : new String[] {"127.0.0.1", "127.8.9.10", "::1"}) {
            assertEquals("loopback", AlertService.network(ip), ip);
        }
        for (String ip : new String[] {"192.168.1.20", "10.0.0.3", "172.16.5.5", "fd12:3456::1", "fe80::1"}) {
            assertEquals("local network", AlertService.network(ip), ip);
        }
        assertEquals("203.0.113.0/24", AlertService.network("203.0.113.77"));
        assertEquals("2001:db8:1:2::/64", AlertService.network("2001:db8:1:2::5"));
    }

    @Test
    @RaisesAlerts("signs in from a new network, to have an alert to acknowledge")
    void anAcknowledgedAlertLeavesTheOpenListAndTheAckIsAudited() {
        TestLatch.run(dir, settings(), latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", PASSWORD, "viewer");
            login(latch, "vera", PASSWORD, "198.51.100.7");
            login(latch, "vera", PASSWORD, "203.0.113.4");
            long id = only(open(latch, admin), "new_network").get("id").asLong();

            String viewer = login(latch, "vera", PASSWORD, "198.51.100.7").json().get("token").asText();
            assertEquals(403, latch.http().get("/api/admin/alerts", bearer(viewer)).status());
            assertEquals(403, latch.http().post("/api/admin/alerts/" + id + "/ack", bearer(viewer)).status());
            assertEquals(401, latch.http().get("/api/admin/alerts").status());

            var acked = latch.http().post("/api/admin/alerts/" + id + "/ack", bearer(admin));
            assertEquals(200, acked.status(), acked.toString());
            assertEquals("acknowledged", acked.json().get("state").asText());
            assertEquals("admin", acked.json().get("acknowledged_by").asText());
            assertEquals(200, latch.http().post("/api/admin/alerts/" + id + "/ack", bearer(admin)).status(), "twice: no change");
            assertEquals(0, open(latch, admin).size());
            assertEquals(1, alerts(latch, admin, "acknowledged").get("alerts").size());
            var audit = latch.http().get("/api/admin/audit?type=alert_acknowledged", bearer(admin)).json().get("events");
            assertEquals(1, audit.size(), audit.toString());
            assertEquals("new_network for vera from 203.0.113.0/24", audit.get(0).get("detail").asText(), "names, not the alert's id");

            var missing = latch.http().post("/api/admin/alerts/99999/ack", bearer(admin));
            assertEquals(404, missing.status());
            assertEquals("alert_not_found", missing.json().get("error").asText());
            assertEquals(404, latch.http().post("/api/admin/alerts/x/ack", bearer(admin)).status());
            var bad = latch.http().get("/api/admin/alerts?state=closed", bearer(admin));
            assertEquals(400, bad.status());
            assertTrue(bad.json().has("message"));
            assertEquals(400, latch.http().get("/api/admin/alerts?limit=0", bearer(admin)).status());
        });
    }

    @Test
    @RaisesAlerts("a burst of wrong passwords against one account")
    void aBurstOfFailedSignInsAgainstOneAccountIsRaisedAFewAreNot() {
        TestLatch.run(dir, settings("ALERT_FAILED_SIGNINS_PER_ACCOUNT", "4", "ALERT_FAILED_SIGNINS_PER_CLIENT", "100",
                "LOGIN_BAN_MAX_FAILURES", "100"), latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", PASSWORD, "viewer");
            for (int i = 0; i < 3; i++) {
                assertEquals(401, login(latch, "vera", "guess " + i, "192.0.2." + (i + 1)).status());
            }
            assertEquals(0, open(latch, admin).size(), "three mistakes are not a burst");
            assertEquals(401, login(latch, "vera", "guess 4", "192.0.2.77").status());
            var alert = only(open(latch, admin), "sign_in_failures_for_account");
            assertEquals("vera", alert.get("username").asText());
            assertEquals(401, login(latch, "vera", "guess 5", "192.0.2.78").status());
            assertEquals(2, only(open(latch, admin), "sign_in_failures_for_account").get("count").asInt(), "coalesced");

            // A window later the count starts again.
            latch.clock().advance(Duration.ofMinutes(16));
            latch.createUser(admin, "ed", PASSWORD, "viewer");
            for (int i = 0; i < 3; i++) {
                assertEquals(401, login(latch, "ed", "guess " + i, "192.0.2.50").status());
            }
            assertEquals(1, open(latch, admin).size());
        });
    }

    @Test
    @RaisesAlerts("a burst of wrong passwords from one client")
    void aBurstOfFailedSignInsFromOneClientIsRaised() {
        TestLatch.run(dir, settings("ALERT_FAILED_SIGNINS_PER_CLIENT", "5", "LOGIN_MAX_ATTEMPTS_PER_IP", "100"), latch -> {
            String admin = latch.setupAdmin();
            for (int i = 0; i < 4; i++) {
                login(latch, "nobody" + i, "guess", "192.0.2.1");
                login(latch, "nobody" + i, "guess", "192.0.2.2");
            }
            assertEquals(0, open(latch, admin).size());
            login(latch, "nobody", "guess", "192.0.2.1");
            var alert = only(open(latch, admin), "sign_in_failures_from_client");
            assertEquals("192.0.2.1", alert.get("source").asText());
            assertFalse(alert.toString().contains("nobody"), "never what the client typed");
        });
    }

    @Test
    @RaisesAlerts("presents a rotated refresh token again")
    void aRotatedRefreshTokenPresentedAgainIsRaised() {
        TestLatch.run(dir, settings(), latch -> {
            String admin = latch.setupAdmin();
            String first = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("refresh_token").asText();
            var second = latch.refreshGrant(first);
            assertEquals(200, second.status());
            assertEquals(0, open(latch, admin).size());
            assertEquals(400, latch.refreshGrant(first).status());
            var alert = only(open(latch, admin), "refresh_token_reused");
            assertEquals("admin", alert.get("username").asText());
            assertFalse(alert.toString().contains(first), "never the token");
            assertEquals(400, latch.refreshGrant("never-issued").status(), "an unknown token is no reuse");
            assertEquals(1, open(latch, admin).size());
        });
    }

    @Test
    @RaisesAlerts("uses a client token from outside its networks")
    void aClientTokenUsedFromOutsideItsNetworksIsRaised() {
        TestLatch.run(dir, settings(), latch -> {
            String admin = latch.setupAdmin();
            var token = latch.http().postJson("/api/client-tokens", "{\"name\":\"backup\",\"scopes\":[\"me.read\"],"
                    + "\"networks\":[\"10.1.0.0/16\"]}", bearer(admin)).json();
            String secret = token.get("token").asText();
            assertEquals(200, latch.http().get("/api/auth/me", from("10.1.2.3", "X-API-Key", secret)).status());
            assertEquals(0, open(latch, admin).size());
            assertEquals(401, latch.http().get("/api/auth/me", from("192.0.2.66", "X-API-Key", secret)).status());
            var alert = only(open(latch, admin), "client_token_outside_networks");
            assertEquals("192.0.2.66", alert.get("source").asText());
            assertFalse(alert.toString().contains(secret), "never the secret");
        });
    }

    @Test
    @RaisesAlerts("replays a used netplay write token")
    void aUsedWriteTokenPresentedAgainIsRaisedAndRepeatsCoalesce() {
        TestLatch.run(dir, settings(), latch -> {
            String admin = latch.setupAdmin();
            String write = Sfu.mint(latch, admin, "write");
            assertEquals(200, Sfu.verify(latch, write, true).status());
            assertEquals(0, open(latch, admin).size());
            assertEquals(401, Sfu.verify(latch, write, true).status());
            assertEquals(401, Sfu.verify(latch, write, true).status());
            var alert = only(open(latch, admin), "write_token_replayed");
            assertEquals(2, alert.get("count").asInt());
            assertEquals("admin", alert.get("username").asText());
            assertFalse(alert.toString().contains(write), "never the token");
        });
    }

    @Test
    @RaisesAlerts("sends a token from an unknown issuer to verify")
    void aTokenFromAnUnknownIssuerSentToVerifyIsRaised() {
        TestLatch.run(dir, settings(), latch -> {
            String admin = latch.setupAdmin();
            assertEquals(200, Sfu.verify(latch, Sfu.mint(latch, admin, "read"), true).status());
            assertEquals(401, Sfu.verify(latch, "not-a-token", true).status(), "garbage names no issuer");
            assertEquals(0, open(latch, admin).size());
            String foreign = JWT.create().withIssuer("https://rogue.example").withSubject("mallory")
                    .withClaim("type", "sfu:read").withExpiresAt(Instant.now().plusSeconds(600))
                    .sign(Algorithm.HMAC256("a rogue instance's key, 32 bytes long".getBytes(StandardCharsets.UTF_8)));
            assertEquals(401, Sfu.verify(latch, foreign, true).status());
            var alert = only(open(latch, admin), "unknown_issuer");
            assertEquals("https://rogue.example", alert.get("source").asText());
        });
    }

    @Test
    @RaisesAlerts("replays a used netplay write token, before and after an acknowledgement")
    void repeatsAfterAnAcknowledgementOpenANewAlert() {
        TestLatch.run(dir, settings(), latch -> {
            String admin = latch.setupAdmin();
            String write = Sfu.mint(latch, admin, "write");
            Sfu.verify(latch, write, true);
            Sfu.verify(latch, write, true);
            long id = only(open(latch, admin), "write_token_replayed").get("id").asLong();
            latch.http().post("/api/admin/alerts/" + id + "/ack", bearer(admin));
            Sfu.verify(latch, write, true);
            assertNotEquals(id, only(open(latch, admin), "write_token_replayed").get("id").asLong());
            assertEquals(1, latch.deps().alerts().openCount());
        });
    }

}
