package latch.sfu;

import latch.db.Database;
import latch.redis.Redis;
import latch.support.RedisServer;
import latch.support.Race;
import latch.support.TestClock;
import latch.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static latch.sfu.WriteTokenLedger.Use.ALREADY_USED;
import static latch.sfu.WriteTokenLedger.Use.NOT_FOUND;
import static latch.sfu.WriteTokenLedger.Use.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-time ledger's rules, held by every implementation: in memory (one box), in the database (nodes that
 * share one; here the run's database, SQLite by default and PostgreSQL in the suite's PostgreSQL run) and in Redis.
 */
class WriteTokenLedgerTest {
    private static final String US = "https://latch.example";
    private static final String PEER = "https://friends.example";

    abstract static class Rules {
        final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        WriteTokenLedger ledger;

        abstract WriteTokenLedger newLedger();

        @BeforeEach
        void open() {
            ledger = newLedger();
        }

        Instant in(Duration d) {
            return clock.instant().plus(d);
        }

        /** {@code node}: another node's ledger on the same store, made before anything is recorded. */
        void anotherNodeKnowsEveryUse(WriteTokenLedger node) {
            ledger.issue(US, "unused", in(Duration.ofSeconds(30)));
            ledger.issue(US, "used", in(Duration.ofSeconds(30)));
            assertEquals(OK, ledger.consume(US, "used"));
            ledger.consumeForeign(PEER, "theirs", in(Duration.ofSeconds(30)));
            Instant complete = ledger.complete();

            clock.advance(Duration.ofSeconds(5));
            assertEquals(complete, node.complete(), "every node refuses and accepts the same foreign tokens");
            assertEquals(ALREADY_USED, node.consume(US, "used"));
            assertTrue(node.usedForeign(PEER, "theirs"));
            assertEquals(OK, node.consume(US, "unused"), "minted on one node, used on another");
            assertEquals(ALREADY_USED, ledger.peek(US, "unused"));
            assertEquals(3, node.size());
        }

        @Test
        void aTokenMintedHereIsUsedOnceAndAReplayIsToldFromAnUnknownToken() {
            ledger.issue(US, "jti-1", in(Duration.ofSeconds(30)));
            assertEquals(OK, ledger.peek(US, "jti-1"));
            assertEquals(OK, ledger.peek(US, "jti-1"), "a peek uses nothing");
            assertEquals(OK, ledger.consume(US, "jti-1"));
            assertEquals(ALREADY_USED, ledger.consume(US, "jti-1"));
            assertEquals(ALREADY_USED, ledger.peek(US, "jti-1"));
            assertEquals(NOT_FOUND, ledger.consume(US, "never-minted"));
            assertEquals(NOT_FOUND, ledger.peek(US, "never-minted"));
            assertEquals(NOT_FOUND, ledger.consume(PEER, "jti-1"), "a token is named by its issuer too");
        }

        @Test
        void aForeignTokenIsRecordedOnItsFirstUseAndRefusedAfter() {
            assertFalse(ledger.usedForeign(PEER, "theirs"));
            assertEquals(OK, ledger.consumeForeign(PEER, "theirs", in(Duration.ofSeconds(30))));
            assertEquals(ALREADY_USED, ledger.consumeForeign(PEER, "theirs", in(Duration.ofSeconds(30))));
            assertTrue(ledger.usedForeign(PEER, "theirs"));
            assertFalse(ledger.usedForeign("https://other.example", "theirs"));
            assertEquals(OK, ledger.consumeForeign("https://other.example", "theirs", in(Duration.ofSeconds(30))),
                    "another issuer's token with the same jti is another token");
        }

        @Test
        void ofFiftyConcurrentConsumesExactlyOneWins() {
            for (int round = 0; round < 20; round++) {
                String jti = "raced-" + round;
                ledger.issue(US, jti, in(Duration.ofSeconds(30)));
                var own = Race.run(50, racer -> ledger.consume(US, jti));
                assertEquals(1, own.stream().filter(u -> u == OK).count(), "round " + round + ": " + own);
                assertTrue(own.stream().allMatch(u -> u == OK || u == ALREADY_USED), own.toString());

                var foreign = Race.run(50, racer -> ledger.consumeForeign(PEER, jti, in(Duration.ofSeconds(30))));
                assertEquals(1, foreign.stream().filter(u -> u == OK).count(), "round " + round + ": " + foreign);
            }
        }

        @Test
        void theLedgerIsCompleteSinceNoLaterThanItsFirstAnswer() {
            Instant complete = ledger.complete();
            assertFalse(complete.isAfter(clock.instant()));
            clock.advance(Duration.ofMinutes(5));
            assertEquals(complete, ledger.complete(), "the moment never moves while the ledger is in use");
        }
    }

    /** The ledgers that forget by their own sweep, by Latch's clock (Redis forgets by itself, by its own). */
    abstract static class SweptRules extends Rules {
        @Test
        void aSweepForgetsMarkersOnlyAMinutePastTheirTokensExpiry() {
            ledger.issue(US, "short", in(Duration.ofSeconds(30)));
            ledger.consumeForeign(PEER, "short", in(Duration.ofSeconds(30)));
            ledger.issue(US, "long", in(Duration.ofMinutes(10)));
            assertEquals(3, ledger.size());

            clock.advance(Duration.ofSeconds(30).plus(WriteTokenLedger.KEPT_PAST_EXPIRY));
            assertEquals(0, ledger.sweep(), "kept through the skew a verify still allows");
            assertTrue(ledger.usedForeign(PEER, "short"));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(2, ledger.sweep());
            assertEquals(1, ledger.size());
            assertEquals(NOT_FOUND, ledger.consume(US, "short"));
            assertFalse(ledger.usedForeign(PEER, "short"));
            assertEquals(OK, ledger.consume(US, "long"));
        }
    }

    @Nested
    class InMemory extends SweptRules {
        @Override
        WriteTokenLedger newLedger() {
            return new LocalWriteTokenLedger(clock);
        }

        @Test
        void aRestartedLedgerKnowsNothingAndIsCompleteOnlySinceItsStart() {
            ledger.issue(US, "before", in(Duration.ofSeconds(30)));
            ledger.consumeForeign(PEER, "used before", in(Duration.ofSeconds(30)));
            clock.advance(Duration.ofSeconds(1));
            var restarted = new LocalWriteTokenLedger(clock);
            assertEquals(NOT_FOUND, restarted.consume(US, "before"));
            assertFalse(restarted.usedForeign(PEER, "used before"));
            assertEquals(clock.instant(), restarted.complete(), "so the service refuses foreign tokens issued before");
        }
    }

    @Nested
    class InTheDatabase extends SweptRules {
        @TempDir
        Path dir;
        Database db;

        @Override
        WriteTokenLedger newLedger() {
            db = TestDatabases.migrated(dir, 8);
            return new SqlWriteTokenLedger(db, clock);
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void anotherNodeOrARestartKnowsEveryUseAndTheSameCompleteMoment() {
            try (var other = TestDatabases.open(dir, 2)) {
                anotherNodeKnowsEveryUse(new SqlWriteTokenLedger(other, clock));
            }
        }

        @Test
        void aBacklogIsSweptInBatchesInOneRun() {
            int tokens = 2_100;
            db.run(tx -> {
                for (int i = 0; i < tokens; i++) {
                    tx.update("INSERT INTO netplay_write_tokens(issuer, jti, expires_at, used) VALUES (?, ?, ?, 0)",
                            US, "backlog-" + i, clock.instant().getEpochSecond());
                }
            });
            ledger.issue(US, "live", in(Duration.ofMinutes(10)));
            clock.advance(Duration.ofMinutes(2));
            assertEquals(tokens, ledger.sweep());
            assertEquals(1, ledger.size());
        }
    }

    @Nested
    class InRedis extends Rules {
        @TempDir
        Path dir;
        final List<Redis> opened = new ArrayList<>();

        Redis node() {
            var redis = RedisServer.get().connect(dir);
            opened.add(redis);
            return redis;
        }

        @Override
        WriteTokenLedger newLedger() {
            return new RedisWriteTokenLedger(node(), clock);
        }

        @AfterEach
        void close() {
            opened.forEach(Redis::close);
        }

        @Test
        void anotherNodeKnowsEveryUseAndTheSameCompleteMoment() {
            anotherNodeKnowsEveryUse(new RedisWriteTokenLedger(node(), clock));
        }

        @Test
        void redisForgetsAMarkerAMinutePastItsTokensExpiry() {
            ledger.issue(US, "short", in(Duration.ofSeconds(30)));
            ledger.consumeForeign(PEER, "theirs", in(Duration.ofSeconds(30)));
            for (String key : List.of("latch:netplay:wt:" + US + ":short", "latch:netplay:wt:" + PEER + ":theirs")) {
                long ttl = Long.parseLong(cli("PTTL", key));
                assertTrue(ttl > 85_000 && ttl <= 90_000, key + " lives " + ttl + " ms");
            }
            assertEquals(0, ledger.sweep(), "nothing left for a sweep to do");
        }

        @Test
        void aRedisThatLostItsDataFailsClosed() {
            ledger.issue(US, "minted before", in(Duration.ofSeconds(30)));
            Instant before = ledger.complete();
            clock.advance(Duration.ofSeconds(10));
            cli("FLUSHDB");
            assertEquals(NOT_FOUND, ledger.consume(US, "minted before"), "refused, never accepted twice");
            assertEquals(clock.instant(), ledger.complete(), "foreign tokens issued before the loss are refused");
            assertTrue(ledger.complete().isAfter(before));
        }

        private String cli(String... command) {
            return RedisServer.get().cliIn(dir, command);
        }
    }
}
