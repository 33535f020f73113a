package latch.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import latch.support.Http;
import latch.support.Sfu;
import latch.support.TestClock;
import latch.support.TestLatch;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Latch instances that federate, on loopback ports of their own, and the calls their SFUs and admins make. */
final class Peers {
    static final String SFU_SECRET = Sfu.SECRET;
    static final Map<String, String> SETTINGS = Sfu.settings("SFU_MINT_PER_MINUTE", "10000");

    private Peers() {}

    /**
     * One clock for every instance, as real instances share real time, starting on a whole second: a token's iat is
     * whole seconds, and a foreign write token issued before the verifier's ledger started is refused (fail closed).
     */
    static TestClock clock() {
        return new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    static TestLatch start(Path dir, TestClock clock) {
        return TestLatch.startPublic(dir, SETTINGS, clock);
    }

    static String issuer(TestLatch latch) {
        return latch.settings().server().issuer();
    }

    static String[] bearer(String token) {
        return new String[] {"Authorization", Http.bearer(token)};
    }

    /**
     * {@code at}'s admin registers {@code peer} (null: the fields name the issuer) with the given fields; returns the
     * entry's id.
     */
    static long trust(TestLatch at, String admin, TestLatch peer, Object... fields) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (peer != null) {
            body.put("issuer", issuer(peer));
        }
        for (int i = 0; i + 1 < fields.length; i += 2) {
            body.putPOJO((String) fields[i], fields[i + 1]);
        }
        var res = at.http().postJson("/api/admin/issuers", body.toString(), bearer(admin));
        assertEquals(201, res.status(), res.toString());
        return res.json().get("id").asLong();
    }

    static Http.Response patch(TestLatch at, String admin, long id, String json) {
        return at.http().patchJson("/api/admin/issuers/" + id, json, bearer(admin));
    }

    static String mint(TestLatch latch, String credential, String type) {
        return Sfu.mint(latch, credential, type);
    }

    /** The SFU's verify call, with the instance's SFU secret. */
    static Http.Response verify(TestLatch latch, String token, boolean consume) {
        return Sfu.verify(latch, token, consume);
    }

    static void verifies(TestLatch latch, String token, String issuer, String why) {
        var res = verify(latch, token, true);
        assertEquals(200, res.status(), why + ": " + res);
        assertEquals(issuer, res.json().get("iss").asText(), why);
    }

    static void refused(TestLatch latch, String token, String why) {
        var res = verify(latch, token, true);
        assertEquals(401, res.status(), why + ": " + res);
        assertEquals("invalid_token", res.json().get("error").asText(), why);
    }

    /** The registry entry of {@code issuer} as {@code at}'s admin sees it. */
    static com.fasterxml.jackson.databind.JsonNode entry(TestLatch at, String admin, String issuer) {
        for (var e : at.http().get("/api/admin/issuers", bearer(admin)).json().get("issuers")) {
            if (e.get("issuer").asText().equals(issuer)) {
                return e;
            }
        }
        throw new AssertionError("no entry for " + issuer);
    }

    /** The SFU announcing a room on {@code latch}. */
    static void upsertRoom(TestLatch latch, String json) {
        var res = latch.http().postJson("/api/sfu/internal/rooms/upsert", json, "x-romm-sfu-secret", SFU_SECRET);
        assertEquals(200, res.status(), res.toString());
    }
}
