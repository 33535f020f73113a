package latch.access;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A valid credential is checked from memory: once its caches are warm, /api/auth/me and a forward-auth decision
 * cost no SQL that the request waits for (deferred last-seen writes run on the background thread).
 */
class HotPathTest {
    @TempDir
    Path dir;

    @Test
    void checkingAValidCredentialRunsNoSqlOnTheRequestPath() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1"), latch -> {
            String session = latch.setupAdmin();
            String clientToken = latch.http().postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"me.read\",\"roms.read\"]}",
                    "Authorization", Http.bearer(session)).json().get("token").asText();
            String access = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("access_token").asText();
            String[] forwarded = {"X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "roms.example.com",
                    "X-Forwarded-Uri", "/roms/1"};

            List<Supplier<Http.Response>> calls = List.of(
                    () -> latch.http().get("/api/auth/me", "Authorization", Http.bearer(session)),
                    () -> latch.http().get("/api/auth/me", "Cookie", "latch_token=" + session),
                    () -> latch.http().get("/api/auth/me", "Authorization", Http.bearer(clientToken)),
                    () -> latch.http().get("/api/auth/me", "Authorization", Http.bearer(access)),
                    () -> latch.http().get("/api/authz/forward-auth", with(forwarded, "Cookie", "latch_token=" + session)),
                    () -> latch.http().get("/api/authz/forward-auth", with(forwarded, "X-API-Key", clientToken)));
            for (var call : calls) {
                assertEquals(200, call.get().status(), "warm-up");
            }
            long before = latch.deps().db().foregroundWork();
            for (int i = 0; i < 20; i++) {
                for (var call : calls) {
                    assertEquals(200, call.get().status());
                }
            }
            assertEquals(before, latch.deps().db().foregroundWork(), "no request above waited for SQL");
        });
    }

    private static String[] with(String[] headers, String... more) {
        String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
