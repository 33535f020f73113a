package latch.http;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

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
    void aRequestRefusedBeforeItsBodyWasReadSaysItsConnectionCloses() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            String login = "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";
            // The CSRF check refuses before any handler reads the body. Jetty then closes the connection after the
            // answer; unless the answer says so, a client that reuses it sends its next request into a closed socket
            // ("header parser received no bytes", now and then in CsrfTest).
            var refused = latch.http().postJson("/api/auth/login", login, "Cookie", "latch_token=" + token,
                    "Origin", "https://evil.example");
            assertError(refused, 403, "csrf_refused");
            assertEquals("close", refused.header("Connection").orElse(null), refused.raw().headers().map().toString());
            assertEquals("close", latch.http().postJson("/api/nothing-here", login).header("Connection").orElse(null));

            // Refused after its body was read, or without a body: the connection stays open for the next request.
            var wrongPassword = latch.login("admin", "not the password");
            assertEquals(401, wrongPassword.status());
            assertTrue(wrongPassword.header("Connection").isEmpty(), wrongPassword.raw().headers().map().toString());
            var anonymous = latch.http().get("/api/auth/me");
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.header("Connection").isEmpty(), anonymous.raw().headers().map().toString());
        });
    }

    @Test
    void anOversizedBodyIs413() {
        TestLatch.run(dir, latch -> {
            String big = "{\"username\":\"" + "a".repeat(70_000) + "\",\"password\":\"x\"}";
            // A body a little too large is read and dropped before the answer: closing on unread bytes resets the
            // connection, and a client still sending would lose the 413 (now and then, under load). Read, the
            // connection stays open for the next request.
            var refused = latch.http().postJson("/api/auth/login", big);
            assertError(refused, 413, "payload_too_large");
            assertTrue(refused.header("Connection").isEmpty(), refused.raw().headers().map().toString());
        });
    }

    @Test
    void anOversizedChunkedBodyWithoutContentLengthIs413() {
        TestLatch.run(dir, latch -> {
            String big = "{\"username\":\"" + "a".repeat(70_000) + "\",\"password\":\"x\"}";
            // ofInputStream has no known length, so the client sends it chunked, without Content-Length.
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(latch.http().base() + "/api/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                    .build();
            var raw = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertError(new latch.support.Http.Response(raw), 413, "payload_too_large");
        });
    }

    @Test
    void aMadeUpOrForeignCharsetIs415NotAServerError() {
        TestLatch.run(dir, latch -> {
            String login = "{\"username\":\"a\",\"password\":\"long enough\"}";
            assertError(latch.http().send("POST", "/api/auth/login", "application/json; charset=bogus", login), 415, "unsupported_media_type");
            assertError(latch.http().send("POST", "/api/auth/login", "application/json; charset=windows-1252", login), 415, "unsupported_media_type");
            assertError(latch.http().send("POST", "/api/auth/login", "application/json; charset=\"UTF-8\"", login), 401, "invalid_credentials");
            var token = latch.http().send("POST", "/api/token", "application/x-www-form-urlencoded; charset=bogus", "grant_type=password");
            assertEquals(400, token.status(), token.toString());
            assertEquals("invalid_request", token.json().get("error").asText());
        });
    }

    @Test
    void requestsJettyRefusesBeforeRoutingAreJsonToo() throws Exception {
        TestLatch.run(dir, latch -> {
            assertError(latch.http().get("/api/" + "a".repeat(20_000)), 414, "uri_too_long");
            assertError(latch.http().get("/api/health", "X-Big", "b".repeat(20_000)), 431, "headers_too_large");
            String raw = rawExchange(latch.http().base(), "GET /api/% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
            assertTrue(raw.contains("Content-Type: application/json") && raw.contains("\"error\":\"bad_request\""), raw);
            assertFalse(raw.contains("<html"), raw);
        });
    }

    @Test
    void anUnexpectedErrorIsLoggedAsOneLineWithItsOrigin() {
        var e = new IllegalStateException("outer", new java.io.UncheckedIOException(new java.io.IOException("disk")));
        String origin = ErrorMapper.origin(e);
        assertTrue(origin.startsWith("latch.http.ErrorsTest.anUnexpectedErrorIsLoggedAsOneLineWithItsOrigin"), origin);
        assertTrue(origin.endsWith("caused by java.io.UncheckedIOException caused by java.io.IOException"), origin);
        assertFalse(origin.contains("\n") || origin.contains("disk"), origin);
    }

    private static String rawExchange(String base, String request) {
        var uri = java.net.URI.create(base);
        try (var socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void headAnswersLikeGetWithTheSameAccessRules() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            assertEquals(200, latch.http().send("HEAD", "/login", null, null).status(), "a public page");
            assertEquals(200, latch.http().send("HEAD", "/api/health", null, null).status(), "a monitor's check");
            assertEquals(401, latch.http().send("HEAD", "/api/auth/me", null, null).status(), "still protected");
            var me = latch.http().send("HEAD", "/api/auth/me", null, null, "Authorization", "Bearer " + token);
            assertEquals(200, me.status());
            assertTrue(me.body().isEmpty(), "HEAD carries no body");
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
            assertEquals("no-store", page.header("Cache-Control").orElseThrow(), "pages set the CSRF cookie");
            var gzipAsked = latch.http().get("/assets/account.js", "Accept-Encoding", "gzip, br");
            assertEquals(200, gzipAsked.status());
            assertTrue(gzipAsked.body().length() > 1500, "large enough that a compressing server would compress it");
            assertTrue(gzipAsked.header("Content-Encoding").isEmpty(), "no compression: BREACH needs it");
            String csp = page.header("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        });
    }

    @Test
    void answersOverHttpsTellTheBrowserToStayOnHttps() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1"), latch -> {
            var viaTlsProxy = latch.http().get("/login", "X-Forwarded-Proto", "https");
            assertEquals("max-age=31536000", viaTlsProxy.header("Strict-Transport-Security").orElseThrow());
            var api = latch.http().get("/api/health", "X-Forwarded-Proto", "https");
            assertEquals("max-age=31536000", api.header("Strict-Transport-Security").orElseThrow());
            // Plain HTTP: a browser ignores HSTS there (RFC 6797 §8.1), and sending it would only mislead.
            assertTrue(latch.http().get("/login").header("Strict-Transport-Security").isEmpty());
        });
        TestLatch.run(dir.resolve("untrusted"), latch -> {
            // Anyone may write X-Forwarded-Proto; only a trusted proxy's counts.
            assertTrue(latch.http().get("/login", "X-Forwarded-Proto", "https").header("Strict-Transport-Security").isEmpty());
        });
        TestLatch.run(dir.resolve("configured"), Map.of("TRUSTED_PROXIES", "127.0.0.1,::1", "HSTS_MAX_AGE_SECONDS", "600",
                "HSTS_INCLUDE_SUBDOMAINS", "true"), latch -> assertEquals("max-age=600; includeSubDomains",
                latch.http().get("/login", "X-Forwarded-Proto", "https").header("Strict-Transport-Security").orElseThrow()));
        TestLatch.run(dir.resolve("off"), Map.of("TRUSTED_PROXIES", "127.0.0.1,::1", "HSTS_MAX_AGE_SECONDS", "0"), latch ->
                assertTrue(latch.http().get("/login", "X-Forwarded-Proto", "https").header("Strict-Transport-Security").isEmpty()));
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
