package latch.sfu;

import latch.db.Database;
import latch.redis.Redis;
import latch.support.RedisServer;
import latch.support.Race;
import latch.support.TestClock;
import latch.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The room registry's rules, held by both implementations: in memory (one box) and in the database (nodes that
 * share one; here the run's database, SQLite by default and PostgreSQL in the suite's PostgreSQL run). What the SFU
 * sees over HTTP is {@link RoomRegistryTest}'s.
 */
class RoomRegistryRulesTest {
    private static final Duration TTL = Duration.ofSeconds(60);

    private static byte[] record(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    abstract static class Rules {
        final TestClock clock = new TestClock();

        abstract RoomRegistry registry(int cap);

        @Test
        void aRoomIsStoredAsSentResolvedListedAndDeleted() {
            var registry = registry(10);
            byte[] sent = record("{\"room_name\":\"kart\",\"nested\":{\"x\":[1,\"ü\",null]}}");
            assertTrue(registry.upsert("kart", sent));
            assertArrayEquals(sent, registry.resolve("kart").orElseThrow());
            assertArrayEquals(sent, registry.list().get("kart"));
            assertTrue(registry.resolve("Kart").isEmpty(), "names are compared exactly");

            assertTrue(registry.upsert("kart", record("{\"v\":2}")));
            assertArrayEquals(record("{\"v\":2}"), registry.resolve("kart").orElseThrow(), "an upsert replaces");
            assertEquals(1, registry.size());

            registry.delete("kart");
            registry.delete("never was");
            assertTrue(registry.resolve("kart").isEmpty());
            assertTrue(registry.list().isEmpty());
            assertEquals(0, registry.size());
        }

        @Test
        void roomsAreListedInNameOrderWhateverTheDatabasesCollation() {
            var registry = registry(10);
            for (String name : List.of("b", "B", "a", "Z", "é", "e", "10", "9")) {
                registry.upsert(name, record(name));
            }
            assertEquals(List.of("10", "9", "B", "Z", "a", "b", "e", "é"), new ArrayList<>(registry.list().keySet()));
        }

        @Test
        void aRoomLivesOneTtlSinceItsLastUpsert() {
            var registry = registry(10);
            registry.upsert("kart", record("{}"));
            clock.advance(TTL.minusMillis(1));
            assertTrue(registry.resolve("kart").isPresent());
            registry.upsert("kart", record("{}"));
            clock.advance(TTL.minusMillis(1));
            assertTrue(registry.resolve("kart").isPresent(), "a refresh starts its life again");
            clock.advance(Duration.ofMillis(1));
            assertTrue(registry.resolve("kart").isEmpty());
            assertTrue(registry.list().isEmpty());
            assertEquals(1, registry.size(), "an expired room holds its place until swept");
            assertEquals(1, registry.sweep());
            assertEquals(0, registry.size());
        }

        @Test
        void pastTheCapANewRoomIsRefusedButAHeldOneIsRefreshed() {
            var registry = registry(2);
            assertTrue(registry.upsert("one", record("1")));
            assertTrue(registry.upsert("two", record("2")));
            assertFalse(registry.upsert("three", record("3")));
            assertTrue(registry.resolve("three").isEmpty(), "nothing stored");
            assertTrue(registry.upsert("two", record("2b")), "a room held is always refreshed");

            registry.delete("one");
            assertTrue(registry.upsert("three", record("3")), "a deleted room gives its place back");
            assertFalse(registry.upsert("four", record("4")));

            // "two" stops being refreshed; once expired its place is free to a new room, even before a sweep.
            clock.advance(TTL.dividedBy(2));
            registry.upsert("three", record("3"));
            clock.advance(TTL.dividedBy(2));
            assertTrue(registry.upsert("four", record("4")));
            assertFalse(registry.upsert("five", record("5")));
            assertEquals(List.of("four", "three"), new ArrayList<>(registry.list().keySet()));
        }

        @Test
        void theRegistryNeverAdmitsMoreThanItsCapUnderConcurrentUpsertsAndDeletes() {
            int cap = 37;
            var registry = registry(cap);
            byte[] record = record("{}");
            var admitted = new AtomicInteger();
            Race.run(2 * cap, racer -> {
                for (int i = 0; i < 20; i++) {
                    if (registry.upsert("room " + racer + "/" + i, record)) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            });
            assertEquals(cap, admitted.get(), "exactly the cap was admitted");
            assertEquals(cap, registry.size());
            assertEquals(cap, registry.list().size());

            // Deletes and new rooms racing: a place is given back only after its room is gone, and taken again at most once.
            var held = new ArrayList<>(registry.list().keySet());
            var late = new AtomicInteger();
            Race.run(2 * cap, racer -> {
                for (int i = 0; i < 50; i++) {
                    if (racer < cap) {
                        registry.delete(held.get(racer));
                        registry.upsert(held.get(racer), record);
                    } else if (registry.upsert("late " + racer + "/" + i, record)) {
                        late.incrementAndGet();
                    }
                }
                return null;
            });
            assertEquals(registry.list().size(), registry.size(), "the places taken are the rooms held");
            assertTrue(registry.size() <= cap, "held " + registry.size());
            assertTrue(late.get() <= cap, "admitted " + late.get() + " late rooms");

            clock.advance(TTL);
            int expired = registry.size();
            assertEquals(expired, registry.sweep());
            assertEquals(0, registry.size(), "every room expired and its place was given back");
            assertTrue(registry.upsert("after", record));
        }
    }

    /** Two nodes' registries (a cap of two) on one store: one set of rooms, one cap. */
    static void twoNodesShareOneRegistry(RoomRegistry first, RoomRegistry second) {
        assertTrue(first.upsert("kart", record("{\"at\":\"first\"}")));
        assertArrayEquals(record("{\"at\":\"first\"}"), second.resolve("kart").orElseThrow());
        assertTrue(second.upsert("golf", record("{}")));
        assertFalse(first.upsert("tennis", record("{}")), "the cap counts every node's rooms");
        assertEquals(List.of("golf", "kart"), new ArrayList<>(first.list().keySet()));
        second.delete("kart");
        assertTrue(first.resolve("kart").isEmpty());
    }

    @Nested
    class InMemory extends Rules {
        @Override
        RoomRegistry registry(int cap) {
            return new LocalRoomRegistry(clock, TTL, cap);
        }
    }

    @Nested
    class InTheDatabase extends Rules {
        @TempDir
        Path dir;
        Database db;

        @Override
        RoomRegistry registry(int cap) {
            db = TestDatabases.migrated(dir, 8);
            return new SqlRoomRegistry(db, clock, TTL, cap);
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void everyNodeSeesTheSameRoomsAndTheSameCap() {
            var first = registry(2);
            try (var other = TestDatabases.open(dir, 2)) {
                twoNodesShareOneRegistry(first, new SqlRoomRegistry(other, clock, TTL, 2));
            }
        }
    }

    @Nested
    class InRedis extends Rules {
        @TempDir
        Path dir;
        final List<Redis> opened = new ArrayList<>();

        @Override
        RoomRegistry registry(int cap) {
            var redis = RedisServer.get().connect(dir);
            opened.add(redis);
            return new RedisRoomRegistry(redis, clock, TTL, cap);
        }

        @AfterEach
        void close() {
            opened.forEach(Redis::close);
        }

        @Test
        void everyNodeSeesTheSameRoomsAndTheSameCap() {
            twoNodesShareOneRegistry(registry(2), registry(2));
        }

        @Test
        void aRoomsKeyOutlivesItsTimeByAMinuteSoNothingStaysIfNoNodeSweeps() {
            registry(2).upsert("kart", record("{}"));
            long ttl = Long.parseLong(RedisServer.get().cliIn(dir, "PTTL", "latch:netplay:room:kart"));
            assertTrue(ttl > TTL.toMillis() + 55_000 && ttl <= TTL.toMillis() + 60_000, "lives " + ttl + " ms");
        }

        @Test
        void aRecordIsKeptByteForByteIncludingTextBeyondAscii() {
            var registry = registry(2);
            byte[] sent = record("{\"name\":\"Mario Kart \u2013 \u00e9t\u00e9 \ud83c\udfae\"}");
            registry.upsert("kart", sent);
            assertArrayEquals(sent, registry.resolve("kart").orElseThrow());
            assertArrayEquals(sent, registry.list().get("kart"));
        }
    }
}
