package latch.setup;

import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.Race;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * First-run setup claims the instance with one UPDATE ... WHERE claimed_at IS NULL, in the transaction that creates
 * the admin: of many people setting up at once, one becomes the admin and the rest are told it is set up.
 */
class ConcurrentSetupTest {
    private static final int RACERS = 16;
    // Hashing at the real cost keeps every racer busy past the "already set up?" check while the first one commits,
    // so the racers meet in the transaction rather than being turned away before it.
    private static final Map<String, String> RACING = Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000",
            "LATCH_ARGON2_MEMORY_KIB", "4096", "LATCH_ARGON2_ITERATIONS", "2");

    @TempDir
    Path dir;

    private static String body(String username) {
        return "{\"username\":\"" + username + "\",\"password\":\"a long enough password\",\"setup_code\":\"" + TestLatch.SETUP_CODE + "\"}";
    }

    private void assertOneAdminAndTheRestAlreadySetUp(List<Http.Response> answers) {
        long created = 0;
        for (var res : answers) {
            if (res.status() == 201) {
                created++;
            } else {
                assertEquals(409, res.status(), res.toString());
                assertEquals("already_set_up", res.json().get("error").asText(), res.toString());
            }
        }
        assertEquals(1, created, answers.toString());
        assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM users"));
        assertEquals(1, DatabaseFile.number(dir, "SELECT enabled_admins FROM instance_state WHERE claimed_at IS NOT NULL"));
    }

    @Test
    void simultaneousSetupsUnderDifferentNamesMakeOneAdmin() {
        TestLatch.run(dir, RACING, latch -> {
            var answers = Race.run(RACERS, i -> latch.http().postJson("/api/setup/admin", body("owner" + i)));
            assertOneAdminAndTheRestAlreadySetUp(answers);
            String winner = answers.stream().filter(r -> r.status() == 201).findFirst().orElseThrow()
                    .json().at("/user/username").asText();
            assertEquals(List.of(winner), DatabaseFile.strings(dir, "SELECT username FROM users WHERE role = 'admin'"));
            assertEquals("{\"setup_required\":false}", latch.http().get("/api/setup/status").body());
        });
    }

    @Test
    void aSetupSubmittedManyTimesAtOnceMakesOneAdminAndTellsTheRestItIsSetUp() {
        TestLatch.run(dir, RACING, latch -> {
            // A double-clicked button: the same name each time. The losers must not be told their own name is taken.
            var answers = Race.run(RACERS, i -> latch.http().postJson("/api/setup/admin", body("owner")));
            assertOneAdminAndTheRestAlreadySetUp(answers);
            assertEquals(200, latch.login("owner", "a long enough password").status());
        });
    }
}
