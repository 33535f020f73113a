package latch.http;

import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.TestConfig;
import latch.App;
import latch.Main;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Each refusal is rendered once. The error mapper used to render a 4xx again after the exception handler had
 * already written it, and the second write's failure was swallowed as if the client had hung up; now a failed
 * write is an error, so rendering twice would show in the log.
 */
class ErrorRenderingTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureTheLog() {
        original = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(original);
    }

    @Test
    void everyKindOfRefusalIsAnsweredOnceAndLogsNoError() {
        var settings = TestLatch.settings(dir, Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1"));
        try (var deps = Main.wire(settings, new TestClock())) {
            // Logs are not captured by the test tool here: this test reads them itself.
            JavalinTest.test(App.create(deps, settings), new TestConfig(true, false), (server, client) -> {
            var latch = new Http(server.port());
            var answers = new java.util.ArrayList<Http.Response>();
            answers.add(latch.get("/api/nothing-here"));                                    // 404 from routing
            answers.add(latch.send("DELETE", "/api/auth/login", null, null));               // 405
            answers.add(latch.get("/api/auth/me"));                                         // 401 thrown
            answers.add(latch.postJson("/api/auth/login", "{not json"));                   // 400 thrown
            answers.add(latch.send("POST", "/api/auth/login", "text/plain", "x"));          // 415 thrown
            answers.add(latch.postJson("/api/auth/login", "{\"username\":\"a\",\"password\":\"b\"}"));
            answers.add(latch.postJson("/api/auth/login", "{\"username\":\"a\",\"password\":\"b\"}")); // 429
            for (var res : answers) {
                assertEquals(res.body().getBytes(StandardCharsets.UTF_8).length,
                        Integer.parseInt(res.header("Content-Length").orElseThrow()), res.toString());
                assertFalse(res.json().get("error").asText().isEmpty(), res.toString());
            }
            assertEquals(429, answers.get(answers.size() - 1).status());
            });
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains("[ERROR]") || logged.contains("[WARN] Javalin") || logged.contains("Exception"), logged);
    }
}
