package latch;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SetupTest {
    @TempDir
    Path dir;

    private static String adminBody(String code) {
        return "{\"username\":\"owner\",\"password\":\"a long enough password\",\"setup_code\":\"" + code + "\"}";
    }

    @Test
    void aNewInstanceAsksForSetupAndHasNoAccounts() {
        TestLatch.run(dir, latch -> {
            assertEquals("{\"setup_required\":true}", latch.http().get("/api/setup/status").body());
            assertEquals(401, latch.login("admin", "admin").status());
            assertEquals(401, latch.login("admin", "password").status());
        });
    }

    @Test
    void theSetupCodeCreatesTheFirstAdminAndSignsThemIn() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().postJson("/api/setup/admin", adminBody(TestLatch.SETUP_CODE));
            assertEquals(201, res.status(), res.toString());
            assertEquals("admin", res.json().at("/user/role").asText());
            assertEquals("owner", res.json().at("/user/username").asText());
            assertTrue(res.setCookie("latch_token").isPresent());
            var me = latch.http().get("/api/auth/me", "Authorization", "Bearer " + res.json().get("token").asText());
            assertEquals(200, me.status());
            assertEquals("{\"setup_required\":false}", latch.http().get("/api/setup/status").body());
        });
    }

    @Test
    void setupWithoutOrWithAWrongCodeIsForbidden() {
        TestLatch.run(dir, latch -> {
            var missing = latch.http().postJson("/api/setup/admin", "{\"username\":\"owner\",\"password\":\"a long enough password\"}");
            assertEquals(400, missing.status());
            var wrong = latch.http().postJson("/api/setup/admin", adminBody("WRONG-CODE-0000"));
            assertEquals(403, wrong.status());
            assertEquals("invalid_setup_code", wrong.json().get("error").asText());
            assertEquals("{\"setup_required\":true}", latch.http().get("/api/setup/status").body());
        });
    }

    @Test
    void wrongSetupCodesAreInTheAuditLogOncePerClientPerWindow() {
        var overrides = Map.of("TRUSTED_PROXIES", "127.0.0.1", "LOGIN_MAX_ATTEMPTS_PER_IP", "100");
        TestLatch.run(dir, overrides, latch -> {
            for (int i = 0; i < 5; i++) {
                assertEquals(403, latch.http().postJson("/api/setup/admin", adminBody("WRONG-CODE-000" + i)).status());
            }
            assertEquals(403, latch.http().postJson("/api/setup/admin", adminBody("WRONG-CODE-0009"),
                    "X-Forwarded-For", "192.0.2.44", "User-Agent", "Claimer/1").status());
            latch.clock().advance(java.time.Duration.ofSeconds(901)); // past LOGIN_WINDOW_SECONDS
            assertEquals(403, latch.http().postJson("/api/setup/admin", adminBody("WRONG-CODE-0010")).status());
            String admin = latch.setupAdmin();

            var events = latch.http().get("/api/admin/audit?type=setup_code_refused", "Authorization", "Bearer " + admin)
                    .json().get("events");
            assertEquals(3, events.size(), "five from one client in one window are one row: " + events);
            assertEquals("127.0.0.1", events.get(0).get("ip").asText(), "a new window, a new row");
            assertEquals("192.0.2.44", events.get(1).get("ip").asText(), "another client has its own");
            assertEquals("Claimer/1", events.get(1).get("user_agent").asText());
            assertEquals("127.0.0.1", events.get(2).get("ip").asText());
            for (var e : events) {
                assertEquals("refused", e.get("outcome").asText());
                assertTrue(e.get("actor_name").isNull() && e.get("subject_name").isNull(), e.toString());
                assertFalse(e.toString().contains("WRONG-CODE"), "never the code tried");
            }
        });
    }

    @Test
    void theCodeIsForgivingAboutCaseAndDashes() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().postJson("/api/setup/admin", adminBody("test setupcode"));
            assertEquals(201, res.status(), res.toString());
        });
    }

    @Test
    void setupTwiceIsAConflict() {
        TestLatch.run(dir, latch -> {
            assertEquals(201, latch.http().postJson("/api/setup/admin", adminBody(TestLatch.SETUP_CODE)).status());
            var again = latch.http().postJson("/api/setup/admin", adminBody(TestLatch.SETUP_CODE));
            assertEquals(409, again.status());
            assertEquals("already_set_up", again.json().get("error").asText());
        });
    }

    @Test
    void concurrentSetupCreatesExactlyOneAdmin() {
        TestLatch.run(dir, latch -> {
            var pool = Executors.newFixedThreadPool(8);
            try {
                var calls = new ArrayList<Callable<Integer>>();
                for (int i = 0; i < 8; i++) {
                    String body = "{\"username\":\"owner" + i + "\",\"password\":\"a long enough password\",\"setup_code\":\""
                            + TestLatch.SETUP_CODE + "\"}";
                    calls.add(() -> latch.http().postJson("/api/setup/admin", body).status());
                }
                var statuses = new ArrayList<Integer>();
                for (var f : pool.invokeAll(calls)) {
                    statuses.add(f.get());
                }
                assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
                assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void aWeakPasswordOrBadUsernameIsRefusedBeforeAnythingIsCreated() {
        TestLatch.run(dir, latch -> {
            var weak = latch.http().postJson("/api/setup/admin",
                    "{\"username\":\"owner\",\"password\":\"short\",\"setup_code\":\"" + TestLatch.SETUP_CODE + "\"}");
            assertEquals(400, weak.status());
            assertEquals("password_too_short", weak.json().get("error").asText());
            var badName = latch.http().postJson("/api/setup/admin",
                    "{\"username\":\"<script>\",\"password\":\"a long enough password\",\"setup_code\":\"" + TestLatch.SETUP_CODE + "\"}");
            assertEquals(400, badName.status());
            assertEquals("invalid_username", badName.json().get("error").asText());
            assertEquals("{\"setup_required\":true}", latch.http().get("/api/setup/status").body());
        });
    }

    @Test
    void aGeneratedCodeIsWrittenOwnerOnlyAndRemovedAfterSetup() {
        TestLatch.run(dir, Map.of("LATCH_SETUP_CODE", ""), latch -> {
            Path file = dir.resolve("setup-code");
            assertTrue(Files.exists(file));
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
            String code = Files.readString(file).strip();
            assertTrue(code.matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"), code);
            assertEquals(201, latch.http().postJson("/api/setup/admin", adminBody(code)).status());
            assertFalse(Files.exists(file));
        });
    }

    @Test
    void theGeneratedCodeSurvivesARestartBeforeSetup() throws Exception {
        TestLatch.run(dir, Map.of("LATCH_SETUP_CODE", ""), latch -> { });
        String first = Files.readString(dir.resolve("setup-code")).strip();
        TestLatch.run(dir, Map.of("LATCH_SETUP_CODE", ""), latch ->
                assertEquals(201, latch.http().postJson("/api/setup/admin", adminBody(first)).status()));
    }
}
