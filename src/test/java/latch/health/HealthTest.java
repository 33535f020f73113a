package latch.health;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthTest {
    @TempDir
    Path dir;

    @Test
    void healthIsOkWhileTheDatabaseAnswers() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().get("/api/health");
            assertEquals(200, res.status());
            assertEquals("{\"status\":\"ok\"}", res.body());
        });
    }

    @Test
    void healthIs503WhenTheDatabaseIsGone() {
        TestLatch.run(dir, latch -> {
            latch.deps().db().close();
            var res = latch.http().get("/api/health");
            assertEquals(503, res.status());
            assertEquals("unavailable", res.json().get("error").asText());
            assertEquals("The database does not answer.", res.json().get("message").asText());
        });
    }
}
