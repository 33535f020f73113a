package latch.federation;

import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static latch.federation.Peers.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API of the issuer registry: its rules, its refusals (always JSON, never a 500) and who may use it. */
class IssuerRegistryTest {
    @TempDir
    Path dir;

    private static void refused(Http.Response res, int status, String code, String why) {
        assertEquals(status, res.status(), why + ": " + res);
        assertEquals(code, res.json().get("error").asText(), why + ": " + res);
        assertTrue(res.json().get("message").asText().length() > 10, why + ": " + res);
    }

    @Test
    void noIssuerIsTrustedBeforeThisInstanceHasAPublicUrl() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var res = latch.http().postJson("/api/admin/issuers", "{\"issuer\":\"https://friend.example\"}", bearer(admin));
            refused(res, 409, "public_url_required", "LATCH_PUBLIC_URL unset");
            assertTrue(res.json().get("message").asText().contains("LATCH_PUBLIC_URL"));
        });
    }

    @Test
    void badEntriesAreRefusedWithAClearError() {
        TestLatch.run(dir, Map.of("LATCH_PUBLIC_URL", "https://auth.home.example"), new TestClock(), latch -> {
            String admin = latch.setupAdmin();
            String[] asAdmin = bearer(admin);
            var cases = Map.ofEntries(
                    Map.entry("{}", "invalid_request"),
                    Map.entry("{\"issuer\":\"\"}", "invalid_issuer"),
                    Map.entry("{\"issuer\":\" https://x.example\"}", "invalid_issuer"),
                    Map.entry("{\"issuer\":\"https://x.example\\u0000\"}", "invalid_issuer"),
                    Map.entry("{\"issuer\":\"" + "x".repeat(600) + "\",\"jwks_url\":\"https://k.example/j\"}", "invalid_issuer"),
                    Map.entry("{\"issuer\":\"https://auth.home.example\"}", "own_issuer"),
                    Map.entry("{\"issuer\":\"romm:sfu\",\"jwks_url\":\"https://k.example/j\"}", "invalid_issuer"),
                    Map.entry("{\"issuer\":\"friend\"}", "invalid_jwks_url"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"jwks_url\":\"ftp://x.example/jwks\"}", "invalid_jwks_url"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"jwks_url\":\"file:///etc/passwd\"}", "invalid_jwks_url"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"jwks_url\":\"https://user:pw@x.example/j\"}", "invalid_jwks_url"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"jwks_url\":\"/relative\"}", "invalid_jwks_url"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"jwks_url\":\"https://x.example/j#frag\"}", "invalid_jwks_url"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"algorithms\":[\"HS256\"]}", "algorithm_not_allowed"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"algorithms\":[\"RS256\",\"none\"]}", "algorithm_not_allowed"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"algorithms\":[\"PS256\"]}", "algorithm_not_allowed"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"algorithms\":[]}", "invalid_algorithms"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"algorithms\":\"RS256\"}", "invalid_request"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"algorithms\":[null]}", "invalid_request"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"note\":\"" + "n".repeat(501) + "\"}", "invalid_request"),
                    Map.entry("{\"issuer\":\"friend\",\"jwks_url\":\"https://k.example/j\",\"list_rooms\":true}", "invalid_request"),
                    Map.entry("{\"issuer\":\"https://x.example\",\"enabled\":\"maybe\"}", "invalid_request"));
            cases.forEach((body, code) ->
                    refused(latch.http().postJson("/api/admin/issuers", body, asAdmin), 400, code, body));
            assertEquals(0, latch.http().get("/api/admin/issuers", asAdmin).json().get("issuers").size(), "nothing was added");

            var added = latch.http().postJson("/api/admin/issuers", "{\"issuer\":\"friend\",\"jwks_url\":\"https://k.example/j\","
                    + "\"algorithms\":[\"es256\",\"ES256\",\"RS512\"],\"note\":\"the neighbours\"}", asAdmin);
            assertEquals(201, added.status(), added.toString());
            assertEquals("[\"ES256\",\"RS512\"]", added.json().get("algorithms").toString(), "named once, canonical");
            assertEquals("the neighbours", added.json().get("note").asText());
            long id = added.json().get("id").asLong();
            refused(latch.http().postJson("/api/admin/issuers", "{\"issuer\":\"friend\",\"jwks_url\":\"https://k.example/j\"}", asAdmin),
                    409, "issuer_exists", "a duplicate");
            long other = latch.http().postJson("/api/admin/issuers", "{\"issuer\":\"https://other.example/\"}", asAdmin)
                    .json().get("id").asLong();
            assertEquals("https://other.example/.well-known/jwks.json", latch.http().get("/api/admin/issuers", asAdmin).json()
                    .at("/issuers/1/jwks_url").asText());

            refused(latch.http().patchJson("/api/admin/issuers/" + other, "{\"issuer\":\"friend\"}", asAdmin), 409, "issuer_exists",
                    "renamed onto another entry");
            refused(latch.http().patchJson("/api/admin/issuers/" + id, "{\"algorithms\":[\"HS512\"]}", asAdmin), 400,
                    "algorithm_not_allowed", "patched to HMAC");
            refused(latch.http().patchJson("/api/admin/issuers/" + id, "{\"list_rooms\":true}", asAdmin), 400, "invalid_request",
                    "rooms of an issuer that is no URL");
            refused(latch.http().patchJson("/api/admin/issuers/999", "{\"enabled\":false}", asAdmin), 404, "issuer_not_found", "no such id");
            refused(latch.http().patchJson("/api/admin/issuers/abc", "{\"enabled\":false}", asAdmin), 404, "issuer_not_found", "not an id");
            var patched = latch.http().patchJson("/api/admin/issuers/" + id, "{\"enabled\":false,\"note\":\"paused\"}", asAdmin);
            assertEquals(200, patched.status(), patched.toString());
            assertEquals(false, patched.json().get("enabled").asBoolean());
            assertEquals("paused", patched.json().get("note").asText());
            assertEquals("https://k.example/j", patched.json().get("jwks_url").asText(), "what was not given stays");

            assertEquals(204, latch.http().delete("/api/admin/issuers/" + id, asAdmin).status());
            refused(latch.http().delete("/api/admin/issuers/" + id, asAdmin), 404, "issuer_not_found", "deleted twice");

            // Only holders of keys.read list the registry, and of keys.write change it.
            latch.createUser(admin, "viewer", "password-viewer", "viewer");
            String[] asViewer = bearer(latch.token("viewer", "password-viewer"));
            refused(latch.http().get("/api/admin/issuers", asViewer), 403, "insufficient_scope", "a viewer lists");
            refused(latch.http().postJson("/api/admin/issuers", "{\"issuer\":\"https://y.example\"}", asViewer), 403,
                    "insufficient_scope", "a viewer adds");
            refused(latch.http().delete("/api/admin/issuers/" + other, asViewer), 403, "insufficient_scope", "a viewer removes");
            assertEquals(401, latch.http().get("/api/admin/issuers").status());
        });
    }
}
