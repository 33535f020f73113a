package latch.http;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal is JSON with a code and a sentence, with the right status, and leaks nothing. */
class ErrorsTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownRouteIs404Json() {
        TestLatch.run(dir, latch -> assertError(latch.http().get("/api/nothing-here"), 404, "not_found"));
    }

    @Test
    void aWrongMethodIs405Json() {
        TestLatch.run(dir, latch -> {
            assertError(latch.http().send("DELETE", "/api/auth/login", null, null), 405, "method_not_allowed");
            assertError(latch.http().get("/api/auth/logout"), 405, "method_not_allowed");
        });
    }

    @Test
    void aWrongContentTypeIs415() {
        TestLatch.run(dir, latch -> {
            assertError(latch.http().send("POST", "/api/auth/login", "text/plain", "{\"username\":\"a\",\"password\":\"b\"}"), 415, "unsupported_media_type");
            assertError(latch.http().send("POST", "/api/auth/login", "application/x-www-form-urlencoded", "username=a&password=b"), 415, "unsupported_media_type");
            assertError(latch.http().post("/api/auth/login"), 415, "unsupported_media_type");
        });
    }

    @Test
    void malformedJsonIs400AndNeverEchoesTheBody() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\"hunter2-secret");
            assertError(res, 400, "invalid_json");
            assertFalse(res.body().contains("hunter2"));
            assertError(latch.http().postJson("/api/auth/login", ""), 400, "invalid_json");
            assertError(latch.http().postJson("/api/auth/login", "{} {}"), 400, "invalid_json");
        });
    }

    @Test
    void anOversizedBodyIs413EvenWithoutContentLength() {
        TestLatch.run(dir, latch -> {
            String big = "{\"username\":\"" + "a".repeat(70_000) + "\",\"password\":\"x\"}";
            assertError(latch.http().postJson("/api/auth/login", big), 413, "payload_too_large");
        });
    }

    @Test
    void errorsAndPagesCarryTheSecurityHeaders() {
        TestLatch.run(dir, latch -> {
            var api = latch.http().get("/api/auth/me");
            assertEquals("nosniff", api.header("X-Content-Type-Options").orElseThrow());
            assertEquals("no-referrer", api.header("Referrer-Policy").orElseThrow());
            assertEquals("no-store", api.header("Cache-Control").orElseThrow());
            assertEquals("default-src 'none'; frame-ancestors 'none'", api.header("Content-Security-Policy").orElseThrow());
            var page = latch.http().get("/login");
            assertEquals(200, page.status());
            String csp = page.header("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        });
    }

    @Test
    void unauthenticatedIs401WithAChallenge() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().get("/api/auth/me");
            assertError(res, 401, "unauthorized");
            assertTrue(res.header("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        });
    }

    static void assertError(latch.support.Http.Response res, int status, String code) {
        assertEquals(status, res.status(), res.toString());
        assertTrue(res.header("Content-Type").orElse("").startsWith("application/json"), res.header("Content-Type").toString());
        assertEquals(code, res.json().get("error").asText(), res.body());
        assertFalse(res.json().get("message").asText().isBlank());
        assertFalse(res.body().contains("Exception") || res.body().contains("at latch."), res.body());
    }
}
