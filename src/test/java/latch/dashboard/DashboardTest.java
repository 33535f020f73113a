package latch.dashboard;

import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardTest {
    @TempDir
    Path dir;

    @Test
    void theOverviewCountsAccountsSessionsTokensAndTheLastDaysSignInsHourByHour() {
        var clock = new TestClock(Instant.parse("2026-11-29T10:30:00Z"));
        TestLatch.run(dir, Map.of(), clock, latch -> {
            String admin = latch.setupAdmin(); // a sign-in at 10:30
            latch.createUser(admin, "bob", "bobs password", "viewer");
            assertEquals(401, latch.login("bob", "wrong password").status());
            clock.advance(Duration.ofHours(2)); // 12:30
            String bob = latch.token("bob", "bobs password");
            latch.http().postJson("/api/client-tokens", "{\"name\":\"t\",\"scopes\":[\"me.read\"]}", "Authorization", Http.bearer(bob));
            assertEquals(204, latch.http().post("/api/auth/logout", "Authorization", Http.bearer(bob)).status());
            clock.advance(Duration.ofHours(25)); // the next day, 13:30: what happened at 10:30 has left the window
            String again = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);

            var o = latch.http().get("/api/admin/dashboard", "Authorization", Http.bearer(again)).json();
            assertEquals(2, o.at("/users/total").asLong(), o.toString());
            assertEquals(1, o.at("/users/admins").asLong());
            assertEquals(1, o.get("active_client_tokens").asLong());
            assertEquals(24, o.get("sign_ins").size());
            assertEquals("2026-11-29T14:00:00Z", o.at("/sign_ins/0/hour").asText());
            assertEquals("2026-11-30T13:00:00Z", o.at("/sign_ins/23/hour").asText());
            assertEquals(1, o.at("/sign_ins/23/succeeded").asLong(), o.toString());
            assertEquals(1, o.get("sign_ins_succeeded").asLong(), "bob's 12:30 sign-in is 25 hours old");
            assertEquals(0, o.get("sign_ins_failed").asLong());
            assertEquals(0, o.get("open_alerts").asLong(), "a wrong password once is no alert");
        });
    }

    @Test
    void onlyThoseWhoMayReadTheAuditLogSeeIt() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "eve", "eves password", "editor");
            assertEquals(403, latch.http().get("/api/admin/dashboard", "Authorization", Http.bearer(latch.token("eve", "eves password"))).status());
            assertEquals(401, latch.http().get("/api/admin/dashboard").status());
        });
    }
}
