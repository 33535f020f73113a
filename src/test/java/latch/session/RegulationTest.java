package latch.session;

import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-account brute-force regulation: a ban looks exactly like a wrong password and survives restarts. */
class RegulationTest {
    private static final Map<String, String> MANY_ATTEMPTS = Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000");

    @TempDir
    Path dir;

    @Test
    void fiveWrongPasswordsBanTheAccountAndTheBanLooksLikeAWrongPassword() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            latch.setupAdmin();
            String wrongBody = latch.login("admin", "wrong password").body();
            for (int i = 0; i < 4; i++) {
                latch.login("admin", "wrong password");
            }
            var banned = latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals(401, banned.status());
            assertEquals(wrongBody, banned.body(), "indistinguishable from a wrong password");
            assertEquals(latch.login("nobody-here", "wrong password").body(), banned.body());
            latch.clock().advance(Duration.ofSeconds(901));
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "the ban ends after 15 minutes");
        });
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            latch.setupAdmin();
            for (int i = 0; i < 4; i++) {
                latch.login("admin", "wrong password");
            }
            latch.clock().advance(Duration.ofSeconds(601));
            latch.login("admin", "wrong password");
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status());
        });
    }

    @Test
    void aBanSurvivesARestart() {
        var clock = new TestClock();
        TestLatch.run(dir, MANY_ATTEMPTS, clock, latch -> {
            latch.setupAdmin();
            for (int i = 0; i < 5; i++) {
                latch.login("admin", "wrong password");
            }
        });
        TestLatch.run(dir, MANY_ATTEMPTS, clock, latch ->
                assertEquals(401, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status()));
    }

    @Test
    void aUserWhoAlreadyHoldsASessionIsNotLockedOutByTheBan() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            String session = latch.setupAdmin();
            for (int i = 0; i < 5; i++) {
                latch.login("admin", "wrong password");
            }
            String body = "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";
            assertEquals(401, latch.http().postJson("/api/auth/login", body).status());
            assertEquals(200, latch.http().postJson("/api/auth/login", body, "Authorization", "Bearer " + session).status());
        });
    }

    @Test
    void anAdminCanLiftABanAndItIsAudited() {
        TestLatch.run(dir, MANY_ATTEMPTS, latch -> {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", "bob password", "viewer");
            for (int i = 0; i < 5; i++) {
                latch.login("bob", "wrong password");
            }
            var view = latch.http().get("/api/users/" + bob, "Authorization", "Bearer " + admin).json();
            assertEquals(true, view.get("banned").asBoolean());
            assertEquals(401, latch.login("bob", "bob password").status());
            assertEquals(204, latch.http().post("/api/users/" + bob + "/unban", "Authorization", "Bearer " + admin).status());
            assertEquals(200, latch.login("bob", "bob password").status());
            var types = latch.http().get("/api/admin/audit?user=bob", "Authorization", "Bearer " + admin).json().get("events").toString();
            assertEquals(true, types.contains("account_banned") && types.contains("account_unbanned"), types);
        });
    }
}
