package latch.sfu;

import latch.support.OnPostgresAlways;
import latch.db.Database;
import latch.db.DatabaseUrl;
import latch.support.Http;
import latch.support.PostgresServer;
import latch.support.Race;
import latch.support.RaisesAlerts;
import latch.support.Sfu;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static latch.sfu.WriteTokenLedger.Use.ALREADY_USED;
import static latch.sfu.WriteTokenLedger.Use.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netplay on several nodes sharing one PostgreSQL database, each with a data directory of its own: a write token
 * minted on one is used up once on whichever the SFU asks, and every node sees every room.
 */
@OnPostgresAlways
class SharedNetplayTest {
    private static final String KEY = "the household's shared encryption key, 32+ bytes";
    private static final String[] SFU = {"x-romm-sfu-secret", Sfu.SECRET, "Accept", "application/json"};

    @TempDir
    Path first;
    @TempDir
    Path second;

    /** One database for every node, named after the first node's directory. */
    private Map<String, String> node() {
        return Map.of("LATCH_DATABASE_URL", PostgresServer.get().urlFor(first), "LATCH_ENCRYPTION_KEY", KEY,
                "ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET, "SFU_MINT_PER_MINUTE", "1000", "ROOM_REGISTRY_TTL_SECONDS", "60");
    }

    /** Another connection pool on the one database: what a second node has. */
    private Database database() {
        return Database.postgres(DatabaseUrl.parse(PostgresServer.get().urlFor(first)).orElseThrow(), 10, Duration.ofSeconds(5));
    }

    @Test
    void fiftyConsumesThroughTwoNodesDatabasesLetExactlyOneThroughEveryTime() {
        var clock = new TestClock();
        try (var a = database(); var b = database()) {
            var ledgers = List.of(new SqlWriteTokenLedger(a, clock), new SqlWriteTokenLedger(b, clock));
            for (int round = 0; round < 100; round++) {
                String jti = "raced-" + round;
                ledgers.get(round % 2).issue("https://latch.example", jti, clock.instant().plusSeconds(30));
                var uses = Race.run(50, racer -> ledgers.get(racer % 2).consume("https://latch.example", jti));
                assertEquals(1, uses.stream().filter(u -> u == OK).count(), "round " + round + ": " + uses);
                assertTrue(uses.stream().allMatch(u -> u == OK || u == ALREADY_USED), uses.toString());

                var foreign = Race.run(50, racer -> ledgers.get(racer % 2).consumeForeign("https://friends.example", jti,
                        clock.instant().plusSeconds(30)));
                assertEquals(1, foreign.stream().filter(u -> u == OK).count(), "round " + round + ": " + foreign);
            }
        }
    }

    @Test
    void newRoomsRacingOnTwoNodesNeverPassTheSharedCap() {
        var clock = new TestClock();
        int cap = 5;
        try (var a = database(); var b = database()) {
            var registries = List.of(new SqlRoomRegistry(a, clock, Duration.ofSeconds(60), cap),
                    new SqlRoomRegistry(b, clock, Duration.ofSeconds(60), cap));
            for (int round = 0; round < 10; round++) {
                int r = round;
                var admitted = new AtomicInteger();
                Race.run(40, racer -> {
                    if (registries.get(racer % 2).upsert("room " + r + "/" + racer, new byte[] {'{', '}'})) {
                        admitted.incrementAndGet();
                    }
                    return null;
                });
                assertEquals(cap, admitted.get(), "round " + round);
                assertEquals(cap, registries.get(1).size());
                registries.get(0).list().keySet().forEach(registries.get(1)::delete);
            }
        }
    }

    @Test
    @RaisesAlerts("a used write token is presented again, and fifty verifies of one token race over both nodes")
    void aWriteTokenMintedOnOneNodeIsUsedUpOnTheOtherAndRoomsAreSeenOnBoth() {
        var clock = new TestClock();
        try (var a = TestLatch.start(first, node(), clock); var b = TestLatch.start(second, node(), clock)) {
            String admin = a.setupAdmin();
            String token = Sfu.mint(a, admin, "write");
            assertEquals(200, Sfu.verify(b, token, false).status(), "the SFU's peek on the other node");
            var used = Sfu.verify(b, token, true);
            assertEquals(200, used.status(), used.toString());
            assertEquals(TestLatch.ADMIN, used.json().get("sub").asText());
            var replay = Sfu.verify(a, token, true);
            assertEquals(401, replay.status(), replay.toString());
            assertEquals("token already used", replay.json().get("detail").asText());
            assertEquals("token already used", Sfu.verify(b, token, false).json().get("detail").asText());

            String room = "{\"room_name\":\"kart\",\"current\":1,\"max\":4,\"url\":\"https://sfu.example.com\"}";
            assertEquals(200, a.http().postJson("/api/sfu/internal/rooms/upsert", room, SFU).status());
            var resolved = b.http().get("/api/sfu/internal/rooms/resolve?room=kart", SFU);
            assertEquals(200, resolved.status(), resolved.toString());
            assertEquals("https://sfu.example.com", resolved.json().get("url").asText());
            assertEquals(clock.millis(), resolved.json().get("updatedAt").asLong());
            assertEquals(List.of("kart"), names(b.http().get("/api/sfu/internal/rooms/list", SFU)));
            var people = b.http().get("/api/sfu/rooms", "Authorization", Http.bearer(admin));
            assertEquals(1, people.json().get("rooms").size(), people.toString());

            // Time passes for every node alike: the room expires and the used token's marker is swept.
            clock.advance(Duration.ofSeconds(61));
            assertEquals(404, b.http().get("/api/sfu/internal/rooms/resolve?room=kart", SFU).status());
            assertEquals("{}", a.http().get("/api/sfu/internal/rooms/list", SFU).body());
            assertEquals(1, a.deps().netplay().service().ledgerSize());
            clock.advance(Duration.ofSeconds(30));
            b.deps().jobs().runNow("netplay-ledger");
            b.deps().jobs().runNow("netplay-rooms");
            assertEquals(0, a.deps().netplay().service().ledgerSize(), "swept by the other node");
            assertEquals(200, a.http().postJson("/api/sfu/internal/rooms/upsert", room, SFU).status());

            // Fifty SFU verifies of one token spread over both nodes: one passes, round after round.
            var nodes = List.of(a, b);
            for (int round = 0; round < 5; round++) {
                String raced = Sfu.mint(nodes.get(round % 2), admin, "write");
                var answers = Race.run(50, racer -> Sfu.verify(nodes.get(racer % 2), raced, true));
                assertEquals(1, answers.stream().filter(r -> r.status() == 200).count(), "round " + round);
                for (var lost : answers) {
                    if (lost.status() != 200) {
                        assertEquals("token already used", lost.json().get("detail").asText(), lost.toString());
                    }
                }
            }
        }
    }

    @Test
    @RaisesAlerts("a used write token is presented again after the restart")
    void aRestartedNodeForgetsNoWriteToken() {
        var clock = new TestClock();
        String unused;
        String used;
        try (var before = TestLatch.start(first, node(), clock)) {
            String admin = before.setupAdmin();
            unused = Sfu.mint(before, admin, "write");
            used = Sfu.mint(before, admin, "write");
            assertEquals(200, Sfu.verify(before, used, true).status());
        }
        clock.advance(Duration.ofSeconds(5));
        try (var after = TestLatch.start(first, node(), clock)) {
            assertEquals(200, Sfu.verify(after, unused, true).status(), "minted before the restart, used after it");
            var replay = Sfu.verify(after, used, true);
            assertEquals(401, replay.status());
            assertEquals("token already used", replay.json().get("detail").asText());
        }
    }

    @Test
    void everyNodeAgreesSinceWhenForeignUsesAreKnown() {
        var clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (var a = database(); var b = database()) {
            Instant since = new SqlWriteTokenLedger(a, clock).complete();
            clock.advance(Duration.ofHours(1));
            assertEquals(since, new SqlWriteTokenLedger(b, clock).complete(),
                    "a node started later refuses no foreign token the first accepts");
        }
    }

    private static List<String> names(Http.Response list) {
        var out = new java.util.ArrayList<String>();
        list.json().fieldNames().forEachRemaining(out::add);
        return out;
    }
}
