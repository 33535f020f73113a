package latch.pairing;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairingTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static Http.Response poll(TestLatch latch, String deviceCode) {
        return latch.http().postJson("/api/auth/device/token", "{\"device_code\":\"" + deviceCode + "\"}");
    }

    /** RFC 8628 §3.5 answers as RFC 6749 §5.2 does: 400 {"error","error_description"}, never cached. */
    private static void assertRfc(Http.Response res, String error) {
        assertEquals(400, res.status(), res.toString());
        assertEquals(error, res.json().get("error").asText());
        assertTrue(res.json().path("error_description").isTextual() && !res.json().get("error_description").asText().isEmpty(),
                "RFC 6749 §5.2 names the sentence error_description: " + res);
        assertFalse(res.json().has("message"), res.toString());
        assertEquals("no-store", res.header("Cache-Control").orElseThrow());
    }

    @Test
    void theDeviceFlowGivesTheApprovedScopesToTheDeviceOnce() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var init = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"RG35XX handheld\",\"scopes\":[\"roms.read\",\"assets.write\",\"me.read\"]}");
            assertEquals(200, init.status(), init.toString());
            var start = init.json();
            String userCode = start.get("user_code").asText();
            assertTrue(userCode.matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), userCode);
            assertEquals(600, start.get("expires_in").asInt());
            assertEquals(5, start.get("interval").asInt());
            assertTrue(start.get("verification_uri").asText().endsWith("/pair"));
            assertTrue(start.get("verification_uri_complete").asText().endsWith("/pair?code=" + userCode));
            String deviceCode = start.get("device_code").asText();

            assertRfc(poll(latch, deviceCode), "authorization_pending");
            var described = latch.http().get("/api/auth/device?user_code=" + userCode.toLowerCase().replace("-", ""), bearer(admin));
            assertEquals(200, described.status(), described.toString());
            assertEquals("RG35XX handheld", described.json().get("client_name").asText());
            var approve = latch.http().postJson("/api/auth/device/approve",
                    "{\"user_code\":\"" + userCode + "\",\"scopes\":[\"roms.read\",\"me.read\"],\"name\":\"Living-room handheld\",\"expires_in_seconds\":86400}", bearer(admin));
            assertEquals(204, approve.status(), approve.toString());

            latch.clock().advance(Duration.ofSeconds(6));
            var token = poll(latch, deviceCode);
            assertEquals(200, token.status(), token.toString());
            String secret = token.json().get("access_token").asText();
            assertTrue(secret.startsWith("latch_"));
            assertEquals("Bearer", token.json().get("token_type").asText());
            assertEquals("me.read roms.read", token.json().get("scope").asText());
            assertEquals(86400, token.json().get("expires_in").asInt());
            assertEquals(200, latch.http().get("/api/auth/me", bearer(secret)).status());
            var listed = latch.http().get("/api/client-tokens", bearer(admin)).json().at("/tokens/0");
            assertEquals("Living-room handheld", listed.get("name").asText());
            assertEquals("RG35XX handheld", listed.get("device").asText());

            latch.clock().advance(Duration.ofSeconds(6));
            assertRfc(poll(latch, deviceCode), "invalid_grant");
        });
    }

    @Test
    void theUserCodeIsStoredOnlyAsAHashYetApprovingWithItWorks() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var start = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"handheld\",\"scopes\":[\"me.read\"]}").json();
            String userCode = start.get("user_code").asText();
            // A copy of latch.db must not hand out codes someone could approve by tricking a signed-in user.
            String stored = latch.deps().db().read(c -> {
                var all = new StringBuilder();
                try (var rs = c.createStatement().executeQuery("SELECT * FROM device_authorizations")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            all.append(rs.getString(i)).append('|');
                        }
                    }
                }
                return all.toString();
            });
            assertFalse(stored.isEmpty());
            assertFalse(stored.contains(start.get("device_code").asText()), "nor the device code");
            String bare = userCode.replace("-", "");
            for (String form : new String[] {userCode, bare, userCode.toLowerCase(), bare.toLowerCase()}) {
                assertFalse(stored.contains(form), form + " in " + stored);
            }

            var approve = latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + userCode + "\"}", bearer(admin));
            assertEquals(204, approve.status(), approve.toString());
            latch.clock().advance(Duration.ofSeconds(6));
            var token = poll(latch, start.get("device_code").asText());
            assertEquals(200, token.status(), token.toString());
            assertEquals(200, latch.http().get("/api/auth/me", bearer(token.json().get("access_token").asText())).status());
        });
    }

    @Test
    void pollingTooFastSlowsTheDeviceDown() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            String deviceCode = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"fast\",\"scopes\":[\"me.read\"]}")
                    .json().get("device_code").asText();
            assertRfc(poll(latch, deviceCode), "authorization_pending");
            latch.clock().advance(Duration.ofSeconds(2));
            var slow = poll(latch, deviceCode);
            assertRfc(slow, "slow_down");
            latch.clock().advance(Duration.ofSeconds(6));
            assertRfc(poll(latch, deviceCode), "slow_down", "the interval grew from 5 to 10 seconds, and now to 15");
            latch.clock().advance(Duration.ofSeconds(16));
            assertRfc(poll(latch, deviceCode), "authorization_pending");
        });
    }

    private static void assertRfc(Http.Response res, String error, String why) {
        assertEquals(error, res.json().get("error").asText(), why);
        assertTrue(res.json().path("error_description").isTextual(), why + ": " + res);
    }

    @Test
    void aMalformedPollIsAnRfc6749InvalidRequest() {
        TestLatch.run(dir, latch -> {
            assertRfc(latch.http().postJson("/api/auth/device/token", "{}"), "invalid_request");
            assertRfc(latch.http().postJson("/api/auth/device/token", "{\"device_code\":7"), "invalid_request");
            assertRfc(latch.http().postJson("/api/auth/device/token", "{\"device_code\":{}}"), "invalid_request");
            assertRfc(latch.http().postJson("/api/auth/device/token", "[null]"), "invalid_request");
            assertRfc(latch.http().send("POST", "/api/auth/device/token", "application/x-www-form-urlencoded", "device_code=x"),
                    "invalid_request");
        });
    }

    @Test
    void deniedAndExpiredRequestsAnswerAsTheRfcSays() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var denied = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"no\",\"scopes\":[\"me.read\"]}").json();
            assertEquals(204, latch.http().postJson("/api/auth/device/deny", "{\"user_code\":\"" + denied.get("user_code").asText() + "\"}", bearer(admin)).status());
            assertRfc(poll(latch, denied.get("device_code").asText()), "access_denied");
            var late = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"late\",\"scopes\":[\"me.read\"]}").json();
            latch.clock().advance(Duration.ofSeconds(601));
            assertRfc(poll(latch, late.get("device_code").asText()), "expired_token");
            assertEquals(404, latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + late.get("user_code").asText() + "\"}", bearer(admin)).status());
            assertRfc(poll(latch, "made-up-device-code"), "invalid_grant");
            var unknownScope = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"x\",\"scopes\":[\"launch.missiles\"]}");
            assertEquals(400, unknownScope.status());
            assertEquals("invalid_scope", unknownScope.json().get("error").asText());
        });
    }

    @Test
    void anApprovedCodeNotCollectedBeforeItExpiresIsExpiredToo() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var start = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"stolen\",\"scopes\":[\"me.read\"]}").json();
            assertEquals(204, latch.http().postJson("/api/auth/device/approve",
                    "{\"user_code\":\"" + start.get("user_code").asText() + "\"}", bearer(admin)).status());
            latch.clock().advance(Duration.ofSeconds(601));
            assertRfc(poll(latch, start.get("device_code").asText()), "expired_token");
            assertEquals(0, latch.http().get("/api/client-tokens", bearer(admin)).json().get("tokens").size(), "no token was minted");
            latch.clock().advance(Duration.ofDays(30));
            assertRfc(poll(latch, start.get("device_code").asText()), "expired_token");
        });
    }

    private static String createTokens(TestLatch latch, String auth, int count) {
        String last = null;
        for (int i = 0; i < count; i++) {
            var res = latch.http().postJson("/api/client-tokens", "{\"name\":\"t" + i + "\",\"scopes\":[\"me.read\"]}", bearer(auth));
            assertEquals(201, res.status(), res.toString());
            last = res.json().get("id").asText();
        }
        return last;
    }

    @Test
    void anApproverAtTheTokenLimitIsToldSoAndTheRequestStaysOpen() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String last = createTokens(latch, admin, 25);
            var start = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"one too many\",\"scopes\":[\"me.read\"]}").json();
            String approveBody = "{\"user_code\":\"" + start.get("user_code").asText() + "\"}";
            var refused = latch.http().postJson("/api/auth/device/approve", approveBody, bearer(admin));
            assertEquals(409, refused.status(), refused.toString());
            assertEquals("too_many_tokens", refused.json().get("error").asText());
            assertTrue(refused.json().get("message").asText().contains("revoke"), refused.body());
            assertRfc(poll(latch, start.get("device_code").asText()), "authorization_pending");

            assertEquals(204, latch.http().delete("/api/client-tokens/" + last, bearer(admin)).status());
            assertEquals(204, latch.http().postJson("/api/auth/device/approve", approveBody, bearer(admin)).status(), "still pending, so approvable");
            latch.clock().advance(Duration.ofSeconds(6));
            assertEquals(200, poll(latch, start.get("device_code").asText()).status());
        });
    }

    @Test
    void reachingTheLimitBetweenApprovalAndPollKeepsTheDeviceWaitingNotLockedOut() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            createTokens(latch, admin, 24);
            var start = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"raced\",\"scopes\":[\"me.read\"]}").json();
            String deviceCode = start.get("device_code").asText();
            assertEquals(204, latch.http().postJson("/api/auth/device/approve",
                    "{\"user_code\":\"" + start.get("user_code").asText() + "\"}", bearer(admin)).status());
            String twentyFifth = createTokens(latch, admin, 1);

            latch.clock().advance(Duration.ofSeconds(6));
            assertRfc(poll(latch, deviceCode), "authorization_pending");
            assertEquals(25, latch.http().get("/api/client-tokens", bearer(admin)).json().get("tokens").size(), "nothing half-minted");

            assertEquals(204, latch.http().delete("/api/client-tokens/" + twentyFifth, bearer(admin)).status());
            latch.clock().advance(Duration.ofSeconds(6));
            var token = poll(latch, deviceCode);
            assertEquals(200, token.status(), "the request was not marked delivered by the failed poll: " + token);
            assertEquals(200, latch.http().get("/api/auth/me", bearer(token.json().get("access_token").asText())).status());
            latch.clock().advance(Duration.ofSeconds(6));
            assertRfc(poll(latch, deviceCode), "invalid_grant");
        });
    }

    @Test
    void aClientTokenCannotSeeApproveOrDenyADeviceRequest() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String apiToken = latch.http().postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"tokens.write\",\"tokens.read\",\"me.read\"]}",
                    bearer(admin)).json().get("token").asText();
            var start = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"victim's tv\",\"scopes\":[\"me.read\"]}").json();
            String body = "{\"user_code\":\"" + start.get("user_code").asText() + "\"}";
            for (var res : new Http.Response[] {
                    latch.http().get("/api/auth/device?user_code=" + start.get("user_code").asText(), bearer(apiToken)),
                    latch.http().postJson("/api/auth/device/deny", body, bearer(apiToken)),
                    latch.http().postJson("/api/auth/device/approve", body, bearer(apiToken))}) {
                assertEquals(403, res.status(), res.toString());
                assertEquals("client_token_cannot_mint", res.json().get("error").asText());
            }
            assertRfc(poll(latch, start.get("device_code").asText()), "authorization_pending");
            assertEquals(204, latch.http().postJson("/api/auth/device/approve", body, bearer(admin)).status(), "still pending for the user");
        });
    }

    @Test
    void theApproverCannotGrantMoreThanTheDeviceAskedOrTheyHold() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", "viewer password", "viewer");
            String viewer = latch.token("vera", "viewer password");
            String code = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"x\",\"scopes\":[\"roms.read\",\"users.write\"]}")
                    .json().get("user_code").asText();
            var described = latch.http().get("/api/auth/device?user_code=" + code, bearer(viewer)).json();
            assertEquals("[\"roms.read\"]", described.get("grantable_scopes").toString());
            assertEquals(403, latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + code + "\",\"scopes\":[\"users.write\"]}", bearer(viewer)).status());
            assertEquals(403, latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + code + "\",\"scopes\":[\"roms.write\"]}", bearer(admin)).status(),
                    "not asked for by the device");
            assertEquals(400, latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + code + "\",\"scopes\":[]}", bearer(admin)).status(),
                    "an empty choice is not read as everything");
            var badName = latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + code + "\",\"name\":\""
                    + "n".repeat(101) + "\"}", bearer(admin));
            assertEquals(400, badName.status(), "a name the token could not carry is refused at approval, not at delivery");
            assertEquals(200, latch.http().get("/api/auth/device?user_code=" + code, bearer(admin)).status(), "still pending");
        });
    }

    @Test
    void fiveWrongUserCodesFromOneAddressIn_aMinuteAre429() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String real = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"x\",\"scopes\":[\"me.read\"]}").json().get("user_code").asText();
            for (int i = 0; i < 5; i++) {
                assertEquals(404, latch.http().get("/api/auth/device?user_code=BCDF-GHJ" + "KLMNP".charAt(i), bearer(admin)).status());
            }
            var limited = latch.http().get("/api/auth/device?user_code=" + real, bearer(admin));
            assertEquals(429, limited.status(), "even the right code is refused once the budget is spent");
            assertTrue(limited.header("Retry-After").isPresent());
            latch.clock().advance(Duration.ofSeconds(61));
            assertEquals(200, latch.http().get("/api/auth/device?user_code=" + real, bearer(admin)).status());
        });
    }

    private static final Map<String, String> BEHIND_PROXY = Map.of("TRUSTED_PROXIES", "127.0.0.1,::1");
    private static final String ATTACKER = "203.0.113.9";
    private static final String NEIGHBOUR = "198.51.100.7";

    private static String[] from(String ip, String... more) {
        var headers = new ArrayList<>(List.of(more));
        headers.add("X-Forwarded-For");
        headers.add(ip);
        return headers.toArray(new String[0]);
    }

    /** Five valid-looking codes that are not {@code real}. */
    private static List<String> wrongCodes(String real) {
        var out = new ArrayList<String>();
        for (char c : "KLMNPQRST".toCharArray()) {
            String code = "BCDF-GHJ" + c;
            if (!code.equals(real) && out.size() < 5) {
                out.add(code);
            }
        }
        return out;
    }

    @Test
    void wrongUserCodesOnApproveAre429ForThatAddressOnly() {
        TestLatch.run(dir, BEHIND_PROXY, latch -> {
            String admin = latch.setupAdmin();
            String real = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"x\",\"scopes\":[\"me.read\"]}")
                    .json().get("user_code").asText();
            for (String wrong : wrongCodes(real)) {
                assertEquals(404, latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + wrong + "\"}",
                        from(ATTACKER, bearer(admin))).status());
            }
            var limited = latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + real + "\"}", from(ATTACKER, bearer(admin)));
            assertEquals(429, limited.status(), "the right code too, once the budget is spent: " + limited);
            assertTrue(limited.header("Retry-After").isPresent());
            assertEquals(429, latch.http().postJson("/api/auth/device/deny", "{\"user_code\":\"" + real + "\"}",
                    from(ATTACKER, bearer(admin))).status(), "deny draws on the same budget");
            assertEquals(204, latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + real + "\"}",
                    from(NEIGHBOUR, bearer(admin))).status(), "another address is not limited");
        });
    }

    @Test
    void wrongPairingCodesOnExchangeAre429ForThatAddressOnly() {
        TestLatch.run(dir, BEHIND_PROXY, latch -> {
            String admin = latch.setupAdmin();
            String id = latch.http().postJson("/api/client-tokens", "{\"name\":\"h\",\"scopes\":[\"me.read\"]}", bearer(admin))
                    .json().get("id").asText();
            String real = latch.http().post("/api/client-tokens/" + id + "/pair", bearer(admin)).json().get("code").asText();
            for (String wrong : wrongCodes(real)) {
                assertEquals(404, latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + wrong + "\"}", from(ATTACKER)).status());
            }
            var limited = latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + real + "\"}", from(ATTACKER));
            assertEquals(429, limited.status(), limited.toString());
            assertTrue(limited.header("Retry-After").isPresent());
            assertEquals(200, latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + real + "\"}", from(NEIGHBOUR)).status(),
                    "the code was not spent by the refused attempt, and another address is not limited");
        });
    }

    @Test
    void aPairingCodeHandsAFreshSecretToOneDeviceOnce() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var t = latch.http().postJson("/api/client-tokens", "{\"name\":\"handheld\",\"scopes\":[\"roms.read\"]}", bearer(admin)).json();
            var pair = latch.http().post("/api/client-tokens/" + t.get("id").asText() + "/pair", bearer(admin)).json();
            assertEquals(60, pair.get("expires_in").asInt());
            String code = pair.get("code").asText();
            var pool = Executors.newFixedThreadPool(6);
            try {
                var calls = new ArrayList<Callable<Http.Response>>();
                for (int i = 0; i < 6; i++) {
                    calls.add(() -> latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + code.toLowerCase() + "\"}"));
                }
                var wins = new ArrayList<String>();
                for (var f : pool.invokeAll(calls)) {
                    var res = f.get();
                    if (res.status() == 200) {
                        wins.add(res.json().get("token").asText());
                    } else {
                        assertTrue(res.status() == 404 || res.status() == 429, res.toString());
                    }
                }
                assertEquals(1, wins.size(), "exactly one exchange wins");
                assertEquals(401, latch.http().get("/api/auth/me", bearer(t.get("token").asText())).status(), "the old secret died");
                assertEquals(403, latch.http().get("/api/auth/me", bearer(wins.get(0))).status(), "the new one works (roms.read only)");
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void aPairingCodeExpiresAfterAMinute() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String id = latch.http().postJson("/api/client-tokens", "{\"name\":\"h\",\"scopes\":[\"me.read\"]}", bearer(admin)).json().get("id").asText();
            String code = latch.http().post("/api/client-tokens/" + id + "/pair", bearer(admin)).json().get("code").asText();
            latch.clock().advance(Duration.ofSeconds(61));
            assertEquals(404, latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + code + "\"}").status());
            assertFalse(code.isEmpty());
        });
    }
}
