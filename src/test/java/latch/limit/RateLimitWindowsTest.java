package latch.limit;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitWindowsTest {
    @TempDir
    Path dir;

    /**
     * The buckets used to be forgotten after the login window whatever their own window was: with a one-second
     * login window, the per-minute device-init limit reset after a second's pause.
     */
    @Test
    void aShortLoginWindowDoesNotEndALongerLimitEarly() {
        TestLatch.run(dir, Map.of("LOGIN_WINDOW_SECONDS", "1"), latch -> {
            String body = "{\"client_name\":\"box\",\"scopes\":[\"roms.read\"]}";
            int accepted = 0;
            while (latch.http().postJson("/api/auth/device/init", body).status() == 200 && accepted < 100) {
                accepted++;
            }
            assertTrue(accepted > 0 && accepted < 100, "the device-init limit stops a flood: " + accepted);
            latch.clock().advance(java.time.Duration.ofMillis(1_500));
            var refused = latch.http().postJson("/api/auth/device/init", body);
            assertEquals(429, refused.status(), refused.toString());
            assertTrue(refused.header("Retry-After").isPresent());
        });
    }
}
