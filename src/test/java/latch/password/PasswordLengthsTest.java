package latch.password;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pages that set a password learn the policy's lengths from the server, so what they count is what it checks. */
class PasswordLengthsTest {
    @TempDir
    Path dir;

    @Test
    void thePublicOptionsCarryThePolicysShortestAndLongestPassword() {
        TestLatch.run(dir, Map.of("LATCH_PASSWORD_MIN_LENGTH", "12", "LATCH_PASSWORD_MAX_LENGTH", "64"), latch -> {
            var config = latch.http().get("/api/auth/config").json();
            assertEquals(12, config.get("password_min_length").asInt(), config.toString());
            assertEquals(64, config.get("password_max_length").asInt(), config.toString());
            var refused = latch.http().postJson("/api/setup/admin",
                    "{\"username\":\"root\",\"password\":\"elevenchars\",\"setup_code\":\"" + TestLatch.SETUP_CODE + "\"}");
            assertEquals("password_too_short", refused.json().get("error").asText(), "the same rule the server applies");
        });
        TestLatch.run(dir.resolve("defaults"), latch -> {
            var config = latch.http().get("/api/auth/config").json();
            assertEquals(8, config.get("password_min_length").asInt());
            assertEquals(128, config.get("password_max_length").asInt());
        });
    }
}
