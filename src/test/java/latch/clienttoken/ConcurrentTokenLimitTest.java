package latch.clienttoken;

import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.Race;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cap on a user's active client tokens is one INSERT ... SELECT ... WHERE count < max: racing past it is impossible. */
class ConcurrentTokenLimitTest {
    private static final int MAX = 5;
    private static final Map<String, String> SMALL_CAP = Map.of("LATCH_MAX_CLIENT_TOKENS", Integer.toString(MAX));

    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", Http.bearer(token)};
    }

    private long activeTokens(long userId) {
        return DatabaseFile.number(dir, "SELECT COUNT(*) FROM client_tokens WHERE user_id = ? AND revoked_at IS NULL", userId);
    }

    @Test
    void creatingTokensPastTheCapAtOnceYieldsExactlyTheCap() {
        TestLatch.run(dir, SMALL_CAP, latch -> {
            String admin = latch.setupAdmin();
            var answers = Race.run(24, i -> latch.http().postJson("/api/client-tokens",
                    "{\"name\":\"racer " + i + "\",\"scopes\":[\"me.read\"]}", bearer(admin)));
            long created = 0;
            for (var res : answers) {
                if (res.status() == 201) {
                    created++;
                    assertEquals(200, latch.http().get("/api/auth/me", bearer(res.json().get("token").asText())).status(),
                            "every token handed out works");
                } else {
                    assertEquals(409, res.status(), res.toString());
                    assertEquals("too_many_tokens", res.json().get("error").asText());
                }
            }
            assertEquals(MAX, created, answers.toString());
            assertEquals(MAX, activeTokens(1));
            assertEquals(MAX, latch.http().get("/api/client-tokens", bearer(admin)).json().get("tokens").size());
        });
    }

    @Test
    void tokensMintedForDevicesAndByHandAtOnceShareOneCap() {
        TestLatch.run(dir, SMALL_CAP, latch -> {
            String admin = latch.setupAdmin();
            int devices = 8;
            var deviceCodes = new ArrayList<String>();
            for (int i = 0; i < devices; i++) {
                var start = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"device " + i + "\",\"scopes\":[\"me.read\"]}").json();
                // Approving checks for room (none used yet), so all eight are approved and will need a place when they poll.
                var approve = latch.http().postJson("/api/auth/device/approve",
                        "{\"user_code\":\"" + start.get("user_code").asText() + "\"}", bearer(admin));
                assertEquals(204, approve.status(), approve.toString());
                deviceCodes.add(start.get("device_code").asText());
            }

            var answers = Race.run(2 * devices, i -> i % 2 == 0
                    ? latch.http().postJson("/api/auth/device/token", "{\"device_code\":\"" + deviceCodes.get(i / 2) + "\"}")
                    : latch.http().postJson("/api/client-tokens", "{\"name\":\"by hand " + i + "\",\"scopes\":[\"me.read\"]}", bearer(admin)));

            int minted = 0;
            for (int i = 0; i < answers.size(); i++) {
                var res = answers.get(i);
                if (res.status() == 200 || res.status() == 201) {
                    minted++;
                } else if (i % 2 == 0) {
                    assertEquals(400, res.status(), res.toString());
                    assertEquals("authorization_pending", res.json().get("error").asText(), "a device past the cap waits: " + res);
                } else {
                    assertEquals(409, res.status(), res.toString());
                    assertEquals("too_many_tokens", res.json().get("error").asText());
                }
            }
            assertEquals(MAX, minted, answers.toString());
            assertEquals(MAX, activeTokens(1));
            long delivered = DatabaseFile.number(dir, "SELECT COUNT(*) FROM device_authorizations WHERE status = 'delivered'");
            long devicesServed = answers.stream().filter(r -> r.status() == 200).count();
            assertEquals(devicesServed, delivered, "a device is marked delivered exactly when it got its token");
            assertEquals(devices - delivered, DatabaseFile.number(dir,
                    "SELECT COUNT(*) FROM device_authorizations WHERE status = 'approved'"), "the others stay approved, to poll again");
            assertTrue(delivered <= MAX);
        });
    }
}
