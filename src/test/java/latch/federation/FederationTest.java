package latch.federation;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static latch.federation.Peers.bearer;
import static latch.federation.Peers.entry;
import static latch.federation.Peers.issuer;
import static latch.federation.Peers.mint;
import static latch.federation.Peers.patch;
import static latch.federation.Peers.refused;
import static latch.federation.Peers.trust;
import static latch.federation.Peers.verifies;
import static latch.federation.Peers.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two (and three) Latch instances on loopback ports, each its own issuer, trusting one another through the registry. */
class FederationTest {
    @TempDir
    Path dir;

    @Test
    @RaisesAlerts("sends a token before its issuer is trusted, and a used write token again")
    void aTrustedInstancesWriteTokenVerifiesOnceAndItsReadTokenNamesItsIssuer() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminA = a.setupAdmin();
            String adminB = b.setupAdmin();
            String write = mint(a, adminA, "write");
            refused(b, write, "before B trusts A");

            long id = trust(b, adminB, a);
            JsonNode added = entry(b, adminB, issuer(a));
            assertEquals(id, added.get("id").asLong());
            assertEquals(issuer(a) + "/.well-known/jwks.json", added.get("jwks_url").asText());
            assertEquals(List.of("RS256", "ES256"), List.of(added.get("algorithms").get(0).asText(), added.get("algorithms").get(1).asText()));
            assertTrue(added.get("enabled").asBoolean());
            assertFalse(added.get("list_rooms").asBoolean());

            var first = verify(b, write, true);
            assertEquals(200, first.status(), first.toString());
            assertEquals(issuer(a), first.json().get("iss").asText());
            assertEquals("admin", first.json().get("sub").asText());
            assertEquals("sfu:write", first.json().get("token_type").asText());
            var again = verify(b, write, true);
            assertEquals(401, again.status());
            assertEquals("token already used", again.json().get("detail").asText());
            assertEquals("token already used", verify(b, write, false).json().get("detail").asText());

            // B's own admin is also "admin": A's admin is someone else, told apart by iss.
            String read = mint(a, adminA, "read");
            var fromA = verify(b, read, true);
            assertEquals("admin", fromA.json().get("sub").asText());
            assertEquals(issuer(a), fromA.json().get("iss").asText());
            var local = verify(b, mint(b, adminB, "read"), true);
            assertEquals("admin", local.json().get("sub").asText());
            assertNotEquals(local.json().get("iss").asText(), fromA.json().get("iss").asText());
            verifies(b, read, issuer(a), "a read token verifies as often as the SFU likes");

            JsonNode seen = entry(b, adminB, issuer(a));
            assertFalse(seen.get("last_key_fetch_at").isNull(), seen.toString());
            assertTrue(seen.get("last_error").isNull(), seen.toString());
            assertEquals(JWT.decode(read).getKeyId(), seen.get("kids").get(0).asText());

            // A write token A minted and B used is still A's to use once, in A's own ledger.
            assertEquals(200, verify(a, write, true).status());
        }
    }

    @Test
    void afterARotationNewTokensVerifyAndOldOnesUntilTheyExpire() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminA = a.setupAdmin();
            String adminB = b.setupAdmin();
            trust(b, adminB, a);
            String before = mint(a, adminA, "read");
            verifies(b, before, issuer(a), "fetches A's keys");

            var rotated = a.http().postJson("/api/admin/keys/rotate", "{\"immediate\":true}", bearer(adminA));
            assertEquals(201, rotated.status(), rotated.toString());
            String after = mint(a, adminA, "read");
            assertNotEquals(JWT.decode(before).getKeyId(), JWT.decode(after).getKeyId());
            // An unknown kid re-fetches A's keys, but at most once per 30 s: B fetched them a moment ago.
            refused(b, after, "the new kid within 30 s of the last fetch");
            clock.advance(Duration.ofSeconds(31));
            verifies(b, after, issuer(a), "the new kid, after a re-fetch");
            verifies(b, before, issuer(a), "the old key still verifies what it signed");

            clock.advance(Duration.ofSeconds(900));
            refused(b, before, "expired");
            String fresh = mint(a, adminA, "read");
            verifies(b, fresh, issuer(a), "A's keys fetched again once their max-age passed");
        }
    }

    @Test
    @RaisesAlerts("sends tokens of a disabled and a removed issuer")
    void disablingOrRemovingAnIssuerStopsItsTokensAtOnce() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock)) {
            String adminA = a.setupAdmin();
            String adminB = b.setupAdmin();
            long id = trust(b, adminB, a);
            String read = mint(a, adminA, "read");
            verifies(b, read, issuer(a), "trusted");

            assertEquals(200, patch(b, adminB, id, "{\"enabled\":false}").status());
            refused(b, read, "disabled");
            assertTrue(entry(b, adminB, issuer(a)).get("kids").isEmpty(), "its keys were dropped");
            assertEquals(200, patch(b, adminB, id, "{\"enabled\":true}").status());
            verifies(b, read, issuer(a), "enabled again: keys fetched afresh");

            assertEquals(204, b.http().delete("/api/admin/issuers/" + id, bearer(adminB)).status());
            refused(b, read, "removed");
            String write = mint(a, adminA, "write");
            refused(b, write, "removed, a write token");
            assertEquals(200, verify(a, write, true).status(), "refusing it at B used nothing up");

            var events = b.http().get("/api/admin/audit?type=issuer_updated", bearer(adminB)).json().get("events");
            assertEquals(2, events.size(), events.toString());
            assertTrue(events.get(1).get("detail").asText().contains("disabled"), events.toString());
            assertEquals(1, b.http().get("/api/admin/audit?type=issuer_added", bearer(adminB)).json().get("events").size());
            assertEquals(1, b.http().get("/api/admin/audit?type=issuer_removed", bearer(adminB)).json().get("events").size());
        }
    }

    @Test
    @RaisesAlerts("sends a token of a disabled issuer")
    void anotherProcessOnTheSameDatabaseDropsADisabledIssuerWhenItHearsOfIt() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock);
             var b2 = TestLatch.start(dir.resolve("b"), java.util.Map.of("ROMM_SFU_INTERNAL_SECRET", Peers.SFU_SECRET,
                     "LATCH_PUBLIC_URL", issuer(b)), clock)) {
            String adminA = a.setupAdmin();
            String adminB = b.setupAdmin();
            long id = trust(b, adminB, a);
            b2.deps().changes().poll();
            String read = mint(a, adminA, "read");
            verifies(b2, read, issuer(a), "the other process heard of the new entry");
            assertEquals(200, patch(b, adminB, id, "{\"enabled\":false}").status());
            b2.deps().changes().poll();
            refused(b2, read, "the other process heard of the disabling");
        }
    }

    @Test
    void anInstanceListsTheRoomsOfPeersThatTrustItAndOnlyThose() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock);
             var c = Peers.start(dir.resolve("c"), clock)) {
            String adminA = a.setupAdmin();
            String adminB = b.setupAdmin();
            String adminC = c.setupAdmin();
            trust(a, adminA, b);
            trust(b, adminB, a, "list_rooms", true);
            trust(c, adminC, a, "list_rooms", true);
            Peers.upsertRoom(a, "{\"room_name\":\"mario\",\"current\":1,\"max\":4,\"hasPassword\":true,\"password\":\"hunter2\","
                    + "\"url\":\"http://sfu-a.example:3001\",\"nodeId\":\"a1\"}");
            Peers.upsertRoom(b, "{\"room_name\":\"zelda\",\"current\":2,\"max\":2,\"url\":\"http://sfu-b.example:3001\"}");

            var listed = b.http().get("/api/sfu/rooms", bearer(adminB));
            assertEquals(200, listed.status(), listed.toString());
            JsonNode rooms = listed.json().get("rooms");
            assertEquals(2, rooms.size(), rooms.toString());
            assertEquals("zelda", rooms.get(0).get("room_name").asText());
            assertEquals(issuer(b), rooms.get(0).get("issuer").asText());
            assertEquals("mario", rooms.get(1).get("room_name").asText());
            assertEquals(issuer(a), rooms.get(1).get("issuer").asText());
            assertEquals("http://sfu-a.example:3001", rooms.get(1).get("url").asText());
            assertTrue(rooms.get(1).get("hasPassword").asBoolean());
            assertFalse(listed.body().contains("hunter2"), "a password is never shown, here or at the peer");

            // A does not trust C: C's listing is its own rooms only (none), never an error.
            var atC = c.http().get("/api/sfu/rooms", bearer(adminC));
            assertEquals(200, atC.status(), atC.toString());
            assertEquals(0, atC.json().get("rooms").size(), atC.toString());
            // A's rooms at B stay listed a few seconds, then B asks again.
            Peers.upsertRoom(a, "{\"room_name\":\"kirby\",\"url\":\"http://sfu-a.example:3001\"}");
            assertEquals(2, b.http().get("/api/sfu/rooms", bearer(adminB)).json().get("rooms").size());
            clock.advance(Duration.ofSeconds(6));
            Peers.upsertRoom(b, "{\"room_name\":\"zelda\",\"url\":\"http://sfu-b.example:3001\"}");
            Peers.upsertRoom(a, "{\"room_name\":\"mario\",\"url\":\"http://sfu-a.example:3001\"}");
            assertEquals(3, b.http().get("/api/sfu/rooms", bearer(adminB)).json().get("rooms").size());
        }
    }

    @Test
    void thePeerRoomsEndpointRefusesStrangersDisabledPeersAndBadTokens() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock); var b = Peers.start(dir.resolve("b"), clock);
             var c = Peers.start(dir.resolve("c"), clock)) {
            String adminA = a.setupAdmin();
            trust(a, adminA, b);
            PeerTokens fromB = b.deps().federation().tokens();
            PeerTokens fromC = c.deps().federation().tokens();
            var ok = askRooms(a, fromB.mint(issuer(a)));
            assertEquals(200, ok.status(), ok.toString());
            assertEquals(issuer(a), ok.json().get("issuer").asText());

            var stranger = askRooms(a, fromC.mint(issuer(a)));
            assertEquals(401, stranger.status(), "C is unknown to A: " + stranger);
            assertEquals("invalid_token", stranger.json().get("error").asText());
            long cAtA = trust(a, adminA, c, "enabled", false);
            var disabled = askRooms(a, fromC.mint(issuer(a)));
            assertEquals(403, disabled.status(), disabled.toString());
            assertEquals("issuer_disabled", disabled.json().get("error").asText());
            assertEquals(200, patch(a, adminA, cAtA, "{\"enabled\":true}").status());
            assertEquals(200, askRooms(a, fromC.mint(issuer(a))).status(), "enabled: C may ask");

            String token = fromB.mint(issuer(a));
            assertEquals(200, askRooms(a, token).status());
            assertEquals(401, askRooms(a, token).status(), "a replayed token");
            assertEquals(401, askRooms(a, fromB.mint(issuer(c))).status(), "meant for another instance (aud)");
            String[] parts = fromB.mint(issuer(a)).split("\\.");
            assertEquals(401, askRooms(a, parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA")
                    .status(), "a bad signature");
            String netplay = mint(b, b.setupAdmin(), "read");
            assertEquals(401, askRooms(a, netplay).status(), "a netplay token is not a federation token");
            refused(a, fromB.mint(issuer(a)), "nor the reverse");
            assertEquals(401, a.http().get("/api/federation/rooms").status(), "no token");
            String late = fromB.mint(issuer(a));
            clock.advance(Duration.ofSeconds(36));
            assertEquals(401, askRooms(a, late).status(), "expired");
        }
    }

    private static Http.Response askRooms(TestLatch at, String token) {
        return at.http().get("/api/federation/rooms", bearer(token));
    }

    @Test
    void discoveryNamesTheIssuerAndItsEndpoints() {
        TestClock clock = Peers.clock();
        try (var a = Peers.start(dir.resolve("a"), clock)) {
            var res = a.http().get("/.well-known/latch-configuration");
            assertEquals(200, res.status(), res.toString());
            JsonNode c = res.json();
            String base = issuer(a);
            assertEquals(base, c.get("issuer").asText());
            assertEquals(base + "/.well-known/jwks.json", c.get("jwks_uri").asText());
            assertEquals(List.of("sfu:read", "sfu:write"), List.of(c.get("token_types").get(0).asText(), c.get("token_types").get(1).asText()));
            assertEquals(base + "/api/sfu/token", c.get("sfu_token_endpoint").asText());
            assertEquals(base + "/api/federation/rooms", c.get("federation_rooms_endpoint").asText());
        }
        TestLatch.run(dir.resolve("unset"), latch -> {
            JsonNode c = latch.http().get("/.well-known/latch-configuration").json();
            assertEquals(latch.http().base() + "/.well-known/jwks.json", c.get("jwks_uri").asText(), "the request's origin");
            assertEquals("latch", c.get("issuer").asText());
        });
    }

    @Test
    @RaisesAlerts("presents each used write token again")
    void tenInstancesEachTrustingTheOthersVerifyEachOthersTokens() {
        TestClock clock = Peers.clock();
        var all = new ArrayList<TestLatch>();
        try {
            for (int i = 0; i < 10; i++) {
                all.add(Peers.start(dir.resolve("n" + i), clock));
            }
            var admins = new ArrayList<String>();
            for (TestLatch n : all) {
                admins.add(n.setupAdmin());
            }
            for (int i = 0; i < all.size(); i++) {
                for (int j = 0; j < all.size(); j++) {
                    if (i != j) {
                        trust(all.get(i), admins.get(i), all.get(j), "list_rooms", i == 0);
                    }
                }
                Peers.upsertRoom(all.get(i), "{\"room_name\":\"room-" + i + "\",\"url\":\"http://sfu-" + i + ".example\"}");
            }
            for (int j = 0; j < all.size(); j++) {
                String read = mint(all.get(j), admins.get(j), "read");
                for (int i = 0; i < all.size(); i++) {
                    verifies(all.get(i), read, issuer(all.get(j)), "instance " + j + "'s token at instance " + i);
                }
                String write = mint(all.get(j), admins.get(j), "write");
                TestLatch other = all.get((j + 1) % all.size());
                verifies(other, write, issuer(all.get(j)), "a write token at the next instance");
                refused(other, write, "used there already");
            }
            JsonNode rooms = all.get(0).http().get("/api/sfu/rooms", bearer(admins.get(0))).json().get("rooms");
            assertEquals(10, rooms.size(), rooms.toString());
            for (int i = 0; i < all.size(); i++) {
                assertEquals("room-" + i, rooms.get(i).get("room_name").asText());
                assertEquals(issuer(all.get(i)), rooms.get(i).get("issuer").asText());
            }
        } finally {
            all.forEach(TestLatch::close);
        }
    }
}
