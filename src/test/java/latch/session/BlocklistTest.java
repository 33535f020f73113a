package latch.session;

import latch.support.TestDatabases;
import latch.change.SqlChangeFeed;
import latch.db.Database;
import latch.db.Migrations;
import latch.support.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocklist keeps a revocation in 12 bytes of primitive arrays (the map of strings it replaced made a million
 * revocations an OutOfMemoryError at start), never forgets one it should remember, and never trusts memory alone.
 */
class BlocklistTest {
    @TempDir
    Path dir;

    @Test
    void aMillionRevocationsFitInThirtyTwoMegabytesAndEveryOneIsFound() {
        var set = new RevocationSet(0);
        long until = Instant.now().plus(Duration.ofDays(1)).getEpochSecond();
        for (int i = 0; i < 1_000_000; i++) {
            set.add(RevocationSet.fingerprint("jti-" + i), until);
        }
        assertEquals(1_000_000, set.size());
        assertTrue(set.footprint() <= 32L * 1024 * 1024, "footprint " + set.footprint());
        for (int i = 0; i < 1_000_000; i += 997) {
            assertTrue(set.mightContain(RevocationSet.fingerprint("jti-" + i)), "jti-" + i);
        }
        int strangers = 0;
        for (int i = 0; i < 100_000; i++) {
            if (set.mightContain(RevocationSet.fingerprint("other-" + i))) {
                strangers++;
            }
        }
        assertEquals(0, strangers, "64-bit fingerprints of ids never revoked do not match");
    }

    @Test
    void expiredRevocationsLeaveMemoryAndTheTableShrinks() {
        var set = new RevocationSet(0);
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 10_000; i++) {
            set.add(RevocationSet.fingerprint("old-" + i), now - 1);
        }
        set.add(RevocationSet.fingerprint("live"), now + 60);
        long big = set.footprint();
        assertEquals(10_000, set.purge(now));
        assertEquals(1, set.size());
        assertTrue(set.mightContain(RevocationSet.fingerprint("live")));
        assertFalse(set.mightContain(RevocationSet.fingerprint("old-5")));
        assertTrue(set.footprint() < big);
    }

    @Test
    void untilItHasReadTheTableTheBlocklistAsksTheTableSoNothingRevokedSlipsThrough() {
        var clock = new TestClock();
        try (var db = TestDatabases.open(dir, 2)) {
            Migrations.apply(db);
            var store = new SqlRevocationStore(db);
            var feed = new SqlChangeFeed(db, clock);
            var before = new CompactBlocklist(store, feed, clock);
            before.load();
            db.run(tx -> before.revoke(tx, "revoked-earlier", clock.instant().plusSeconds(3600)));

            // Another process starts: revocations made before it are in the table, not yet in its memory.
            var starting = new CompactBlocklist(store, new SqlChangeFeed(db, clock), clock);
            assertTrue(starting.isRevoked("revoked-earlier"), "not loaded yet: the table answers");
            assertFalse(starting.isRevoked("never-revoked"));
            starting.load();
            assertTrue(starting.isRevoked("revoked-earlier"));
            assertFalse(starting.isRevoked("never-revoked"));
        }
    }

    @Test
    void aFingerprintInMemoryIsConfirmedAgainstTheTable() {
        var clock = new TestClock();
        try (var db = TestDatabases.open(dir, 2)) {
            Migrations.apply(db);
            var store = new SqlRevocationStore(db);
            var blocklist = new CompactBlocklist(store, new SqlChangeFeed(db, clock), clock);
            blocklist.load();
            db.run(tx -> blocklist.revoke(tx, "short-lived", clock.instant().plusSeconds(60)));
            assertTrue(blocklist.isRevoked("short-lived"));
            // Its token has expired: the purge removed the row while memory had not yet been purged.
            clock.advance(Duration.ofSeconds(61));
            assertEquals(1, store.purgeExpired(clock.instant(), 100));
            assertFalse(blocklist.isRevoked("short-lived"), "memory alone never refuses");
        }
    }

    @Test
    void revokingTwiceAnswersWhoWasFirstAndKeepsTheLaterExpiry() {
        var clock = new TestClock();
        try (var db = TestDatabases.open(dir, 2)) {
            Migrations.apply(db);
            var store = new SqlRevocationStore(db);
            var blocklist = new CompactBlocklist(store, new SqlChangeFeed(db, clock), clock);
            blocklist.load();
            assertTrue(db.<Boolean>inTransaction(tx -> blocklist.revoke(tx, "t", clock.instant().plusSeconds(60))));
            assertFalse(db.<Boolean>inTransaction(tx -> blocklist.revoke(tx, "t", clock.instant().plusSeconds(600))));
            clock.advance(Duration.ofSeconds(120));
            assertTrue(blocklist.isRevoked("t"), "the later of the two expiries counts");
        }
    }
}
