package latch.http;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request is what its method says: an X-HTTP-Method-Override header renames nothing. Otherwise a GET, which
 * proxies, caches and CSRF checks treat as harmless, could change a user, and a POST could pass for a DELETE.
 */
class MethodOverrideTest {
    static final String OVERRIDE = "X-HTTP-Method-Override";

    @TempDir
    Path dir;

    @Test
    void aPostOrGetWithAPatchOverrideDoesNotChangeTheUser() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", "password-bob", "viewer");
            String body = "{\"display_name\":\"Renamed\",\"role\":\"admin\"}";
            for (String method : List.of("POST", "GET", "PUT")) {
                var res = latch.http().send(method, "/api/users/" + bob, "application/json", body, OVERRIDE, "PATCH",
                        "Authorization", Http.bearer(admin));
                assertTrue(res.status() != 200 || method.equals("GET"), method + ": " + res);
                if (method.equals("GET")) {
                    assertEquals("bob", res.json().get("username").asText(), "a GET reads the user");
                } else {
                    assertEquals(405, res.status(), method + ": " + res);
                    assertEquals("method_not_allowed", res.json().get("error").asText());
                }
            }
            var bobNow = latch.http().get("/api/users/" + bob, "Authorization", Http.bearer(admin)).json();
            assertEquals("viewer", bobNow.get("role").asText(), "not promoted");
            assertTrue(bobNow.get("display_name").isNull() || !bobNow.get("display_name").asText().equals("Renamed"), bobNow.toString());
        });
    }

    @Test
    void aPostOrGetWithADeleteOverrideDeletesNothing() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", "password-bob", "viewer");
            assertEquals(405, latch.http().send("POST", "/api/users/" + bob, null, null, OVERRIDE, "DELETE",
                    "Authorization", Http.bearer(admin)).status());
            assertEquals(200, latch.http().send("GET", "/api/users/" + bob, null, null, OVERRIDE, "DELETE",
                    "Authorization", Http.bearer(admin)).status());
            assertEquals(200, latch.http().get("/api/users/" + bob, "Authorization", Http.bearer(admin)).status(), "bob is still there");
        });
    }

    @Test
    void aGetOverrideDoesNotLetAPostSkipTheCsrfCheck() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var res = latch.http().send("POST", "/api/auth/logout-all", null, null, OVERRIDE, "GET",
                    "Cookie", "latch_token=" + admin, "Origin", "https://evil.example");
            assertEquals(403, res.status(), res.toString());
            assertEquals("csrf_refused", res.json().get("error").asText());
        });
    }
}
