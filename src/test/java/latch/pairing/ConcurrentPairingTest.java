package latch.pairing;

import com.fasterxml.jackson.databind.JsonNode;
import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.Race;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every step that hands a device something happens once, by one conditional statement: a pairing code is consumed
 * once, a device request is decided once, and an approved request is delivered (with its token minted in the same
 * transaction) once, however many callers arrive together.
 */
class ConcurrentPairingTest {
    private static final int RACERS = 24;
    // Each racer comes from its own address, so the wrong-code budget of one address never turns an answer into 429.
    private static final Map<String, String> BEHIND_PROXY = Map.of("TRUSTED_PROXIES", "127.0.0.1,::1");

    @TempDir
    Path dir;

    private static String[] from(int racer, String... more) {
        var headers = new ArrayList<>(List.of(more));
        headers.add("X-Forwarded-For");
        headers.add("198.51.100." + (racer + 1));
        return headers.toArray(new String[0]);
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", Http.bearer(token)};
    }

    private static JsonNode startDevice(TestLatch latch) {
        var res = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"handheld\",\"scopes\":[\"me.read\"]}");
        assertEquals(200, res.status(), res.toString());
        return res.json();
    }

    private static Http.Response poll(TestLatch latch, String deviceCode, int racer) {
        return latch.http().postJson("/api/auth/device/token", "{\"device_code\":\"" + deviceCode + "\"}", from(racer));
    }

    private long clientTokens() {
        return DatabaseFile.number(dir, "SELECT COUNT(*) FROM client_tokens");
    }

    @Test
    void simultaneousExchangesOfOnePairingCodeGiveTheSecretToOneDevice() {
        TestLatch.run(dir, BEHIND_PROXY, latch -> {
            String admin = latch.setupAdmin();
            var token = latch.http().postJson("/api/client-tokens", "{\"name\":\"handheld\",\"scopes\":[\"me.read\"]}", bearer(admin)).json();
            String code = latch.http().post("/api/client-tokens/" + token.get("id").asText() + "/pair", bearer(admin)).json()
                    .get("code").asText();

            var answers = Race.run(RACERS, i -> latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"" + code + "\"}", from(i)));

            var secrets = new ArrayList<String>();
            for (var res : answers) {
                if (res.status() == 200) {
                    secrets.add(res.json().get("token").asText());
                } else {
                    assertEquals(404, res.status(), res.toString());
                    assertEquals("not_found", res.json().get("error").asText());
                }
            }
            assertEquals(1, secrets.size(), answers.toString());
            assertEquals(200, latch.http().get("/api/auth/me", bearer(secrets.get(0))).status(), "the one secret handed out works");
            assertEquals(401, latch.http().get("/api/auth/me", bearer(token.get("token").asText())).status(), "the old secret died");
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM pairing_codes WHERE used_at IS NOT NULL"));
        });
    }

    @Test
    void simultaneousApprovalsOfOneDeviceRequestDecideItOnce() {
        TestLatch.run(dir, BEHIND_PROXY, latch -> {
            String admin = latch.setupAdmin();
            String userCode = startDevice(latch).get("user_code").asText();

            var answers = Race.run(RACERS, i -> latch.http().postJson("/api/auth/device/approve",
                    "{\"user_code\":\"" + userCode + "\",\"name\":\"approval " + i + "\"}", from(i, bearer(admin))));

            int approved = 0;
            for (var res : answers) {
                if (res.status() == 204) {
                    approved++;
                } else {
                    assertLateDecision(res);
                }
            }
            assertEquals(1, approved, answers.toString());
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM device_authorizations WHERE status = 'approved'"));
        });
    }

    @Test
    void simultaneousApprovalsAndDenialsOfOneRequestLeaveOneDecisionAndItHolds() {
        TestLatch.run(dir, BEHIND_PROXY, latch -> {
            String admin = latch.setupAdmin();
            var start = startDevice(latch);
            String userCode = start.get("user_code").asText();

            var answers = Race.run(RACERS, i -> latch.http().postJson(i % 2 == 0 ? "/api/auth/device/approve" : "/api/auth/device/deny",
                    "{\"user_code\":\"" + userCode + "\"}", from(i, bearer(admin))));

            var winners = new ArrayList<Integer>();
            for (int i = 0; i < RACERS; i++) {
                if (answers.get(i).status() == 204) {
                    winners.add(i);
                } else {
                    assertLateDecision(answers.get(i));
                }
            }
            assertEquals(1, winners.size(), answers.toString());
            boolean approvedWon = winners.get(0) % 2 == 0;
            assertEquals(List.of(approvedWon ? "approved" : "denied"), DatabaseFile.strings(dir, "SELECT status FROM device_authorizations"));
            var res = poll(latch, start.get("device_code").asText(), 0);
            if (approvedWon) {
                assertEquals(200, res.status(), res.toString());
            } else {
                assertEquals("access_denied", res.json().get("error").asText(), res.toString());
            }
        });
    }

    /** A device request the admin has approved: its device code, ready to be polled for the token. */
    private static String approvedDeviceCode(TestLatch latch) {
        String admin = latch.setupAdmin();
        var start = startDevice(latch);
        assertEquals(204, latch.http().postJson("/api/auth/device/approve",
                "{\"user_code\":\"" + start.get("user_code").asText() + "\"}", bearer(admin)).status());
        return start.get("device_code").asText();
    }

    /** A decision that came second: refused as already decided, or (read after the first committed) as no open request. */
    private static void assertLateDecision(Http.Response res) {
        if (res.status() == 409) {
            assertEquals("already_decided", res.json().get("error").asText(), res.toString());
        } else {
            assertEquals(404, res.status(), res.toString());
            assertEquals("not_found", res.json().get("error").asText());
        }
    }

    @Test
    void simultaneousPollsOfAnApprovedDeviceCodeDeliverOneToken() {
        TestLatch.run(dir, BEHIND_PROXY, latch -> {
            String deviceCode = approvedDeviceCode(latch);

            var answers = Race.run(RACERS, i -> poll(latch, deviceCode, i));

            // Polls at one instant: the first is on time, the rest too soon (slow_down) or after delivery (invalid_grant).
            assertDeliveredOnce(latch, answers, "slow_down", "invalid_grant");
        });
    }

    @Test
    void simultaneousPollsThatAllPassTheIntervalStillDeliverOneToken() {
        TestLatch.run(dir, BEHIND_PROXY, latch -> {
            String deviceCode = approvedDeviceCode(latch);
            // With no interval no poll is too soon, so every racer reaches the delivery itself (markDelivered + mint).
            assertEquals(1, DatabaseFile.update(dir, "UPDATE device_authorizations SET interval_seconds = 0"));

            var answers = Race.run(RACERS, i -> poll(latch, deviceCode, i));

            assertDeliveredOnce(latch, answers, "invalid_grant");
        });
    }

    private void assertDeliveredOnce(TestLatch latch, List<Http.Response> answers, String... refusals) {
        var tokens = new ArrayList<String>();
        for (var res : answers) {
            if (res.status() == 200) {
                tokens.add(res.json().get("access_token").asText());
            } else {
                assertEquals(400, res.status(), res.toString());
                assertTrue(List.of(refusals).contains(res.json().get("error").asText()), res.toString());
            }
        }
        assertEquals(1, tokens.size(), answers.toString());
        assertEquals(1, clientTokens(), "exactly one client token was minted");
        assertEquals(List.of("delivered"), DatabaseFile.strings(dir, "SELECT status FROM device_authorizations"));
        assertEquals(200, latch.http().get("/api/auth/me", bearer(tokens.get(0))).status());
    }
}
