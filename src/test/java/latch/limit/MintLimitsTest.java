package latch.limit;

import latch.Settings;
import latch.config.InvalidSetting;
import latch.support.Http;
import latch.support.Sfu;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit on what mints a credential trips at its configured count, answers 429 with Retry-After, and recovers. */
class MintLimitsTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    /** {@code allowed} calls pass, the next is 429 with Retry-After, and one window later they pass again. */
    private static void tripsAndRecovers(TestLatch latch, long allowed, Duration window, Supplier<Http.Response> call) {
        for (int i = 0; i < allowed; i++) {
            var res = call.get();
            assertNotEquals(429, res.status(), "call " + (i + 1) + " of " + allowed + ": " + res);
        }
        var refused = call.get();
        assertEquals(429, refused.status(), refused.toString());
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= window.toSeconds(), "Retry-After " + retryAfter);
        assertTrue(refused.body().contains("rate_limited"), refused.toString());
        latch.clock().advance(window);
        var again = call.get();
        assertNotEquals(429, again.status(), "after the window: " + again);
    }

    @Test
    void theTokenEndpointIsLimitedPerClient() {
        TestLatch.run(dir, Map.of("LIMIT_TOKEN_PER_CLIENT", "3/60"), latch -> {
            latch.setupAdmin();
            tripsAndRecovers(latch, 3, Duration.ofSeconds(60), () -> latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD));
            latch.clock().advance(Duration.ofSeconds(60));
            tripsAndRecovers(latch, 3, Duration.ofSeconds(60), () -> latch.refreshGrant("not-a-refresh-token"));
        });
    }

    @Test
    void refreshesAreLimitedPerUserWhicheverWayTheyCome() {
        TestLatch.run(dir, Map.of("LIMIT_REFRESH_PER_USER", "2/600"), latch -> {
            latch.setupAdmin();
            String[] refresh = {latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("refresh_token").asText()};
            tripsAndRecovers(latch, 2, Duration.ofSeconds(600), () -> {
                var res = latch.refreshGrant(refresh[0]);
                if (res.status() == 200) {
                    refresh[0] = res.json().get("refresh_token").asText();
                }
                return res;
            });
            assertEquals(200, latch.refreshGrant(refresh[0]).status(), "a refused refresh left the token usable");
        });
    }

    @Test
    void clientTokensAreLimitedPerUser() {
        TestLatch.run(dir, Map.of("LIMIT_CLIENT_TOKENS_PER_USER", "3/3600"), latch -> {
            String admin = latch.setupAdmin();
            String id = latch.http().postJson("/api/client-tokens", "{\"name\":\"first\",\"scopes\":[\"me.read\"]}", bearer(admin))
                    .json().get("id").asText();
            int[] n = {0};
            tripsAndRecovers(latch, 2, Duration.ofHours(1), () -> n[0]++ % 2 == 0
                    ? latch.http().post("/api/client-tokens/" + id + "/regenerate", bearer(admin))
                    : latch.http().postJson("/api/client-tokens", "{\"name\":\"t" + n[0] + "\",\"scopes\":[\"me.read\"]}", bearer(admin)));
        });
    }

    @Test
    void clientTokensAreLimitedPerClient() {
        TestLatch.run(dir, Map.of("LIMIT_CLIENT_TOKENS_PER_CLIENT", "2/3600"), latch -> {
            String admin = latch.setupAdmin();
            int[] n = {0};
            tripsAndRecovers(latch, 2, Duration.ofHours(1), () ->
                    latch.http().postJson("/api/client-tokens", "{\"name\":\"t" + n[0]++ + "\",\"scopes\":[\"me.read\"]}", bearer(admin)));
        });
    }

    @Test
    void deviceStartsAndPairingExchangesAreLimitedPerClient() {
        TestLatch.run(dir, Map.of("LIMIT_DEVICE_INIT_PER_CLIENT", "2/60", "LIMIT_PAIRING_EXCHANGE_PER_CLIENT", "2/120"), latch -> {
            latch.setupAdmin();
            tripsAndRecovers(latch, 2, Duration.ofSeconds(60), () ->
                    latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"box\",\"scopes\":[\"me.read\"]}"));
            tripsAndRecovers(latch, 2, Duration.ofSeconds(120), () ->
                    latch.http().postJson("/api/client-tokens/exchange", "{\"code\":\"ABCD-EFGH\"}"));
        });
    }

    @Test
    void registrationIsLimitedPerClient() {
        TestLatch.run(dir, Map.of("LIMIT_REGISTER_PER_CLIENT", "2/900"), latch -> {
            latch.setupAdmin();
            tripsAndRecovers(latch, 2, Duration.ofSeconds(900), () -> latch.http().postJson("/api/auth/register",
                    "{\"invite\":\"no-such-invite\",\"username\":\"eve\",\"password\":\"long enough password\"}"));
        });
    }

    @Test
    void resetLinksAreLimitedPerAdmin() {
        TestLatch.run(dir, Map.of("LIMIT_RESET_LINKS_PER_USER", "2/3600"), latch -> {
            String admin = latch.setupAdmin();
            long vera = latch.createUser(admin, "vera", "viewer password", "viewer");
            tripsAndRecovers(latch, 2, Duration.ofHours(1), () ->
                    latch.http().post("/api/users/" + vera + "/reset-link", bearer(admin)));
        });
    }

    @Test
    void oneTimeLinkGuessesAreLimitedPerClient() {
        TestLatch.run(dir, Map.of("LIMIT_LINK_GUESSES_PER_CLIENT", "2/300"), latch -> {
            latch.setupAdmin();
            tripsAndRecovers(latch, 2, Duration.ofSeconds(300), () ->
                    latch.http().postJson("/api/auth/login-link", "{\"token\":\"made-up\"}"));
        });
    }

    @Test
    void netplayTokensAreLimitedPerUser() {
        TestLatch.run(dir, Sfu.settings("SFU_MINT_PER_MINUTE", "2"), latch -> {
            String admin = latch.setupAdmin();
            tripsAndRecovers(latch, 2, Duration.ofMinutes(1), () ->
                    latch.http().postJson("/api/sfu/token", "{\"token_type\":\"read\"}", bearer(admin)));
        });
    }

    @Test
    void aFloodIsAuditedOncePerClientPerLimitPerWindow() {
        TestLatch.run(dir, Map.of("LIMIT_TOKEN_PER_CLIENT", "1/600", "LIMIT_DEVICE_INIT_PER_CLIENT", "1/60"), latch -> {
            String admin = latch.setupAdmin();
            for (int i = 0; i < 20; i++) {
                latch.refreshGrant("flood");
                latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"box\",\"scopes\":[\"me.read\"]}");
            }
            assertEquals(2, rateLimited(latch, admin).size(), "one per limit: " + rateLimited(latch, admin));
            latch.clock().advance(Duration.ofSeconds(61));
            for (int i = 0; i < 5; i++) {
                latch.refreshGrant("flood");
                latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"box\",\"scopes\":[\"me.read\"]}");
            }
            var events = rateLimited(latch, admin);
            assertEquals(3, events.size(), "the device limit's window passed, the token limit's did not: " + events);
            assertTrue(events.get(0).get("detail").asText().startsWith("device-init"), events.toString());
        });
    }

    private static com.fasterxml.jackson.databind.JsonNode rateLimited(TestLatch latch, String admin) {
        return latch.http().get("/api/admin/audit?type=rate_limited", bearer(admin)).json().get("events");
    }

    @Test
    void aLimitIsWrittenAsCountSlashSeconds() {
        var limits = TestLatch.settings(dir, Map.of("LIMIT_DEVICE_INIT_PER_CLIENT", "7/30")).limits();
        assertEquals(7, limits.deviceInitPerClient().capacity());
        assertEquals(Duration.ofSeconds(30), limits.deviceInitPerClient().window());
        assertEquals(60, limits.tokenPerClient().capacity(), "the default");
        for (String bad : new String[] {"7", "seven/30", "0/30", "7/0", "7/30/1", "-1/30"}) {
            var e = assertThrows(InvalidSetting.class, () -> Settings.of(Map.of("LATCH_DATA_DIR", dir.toString(),
                    "LIMIT_DEVICE_INIT_PER_CLIENT", bad)));
            assertTrue(e.getMessage().contains("LIMIT_DEVICE_INIT_PER_CLIENT"), e.getMessage());
        }
    }
}
