package latch.token;

import latch.support.TestDatabases;
import latch.change.SqlChangeFeed;
import latch.db.Database;
import latch.db.Migrations;
import latch.support.DatabaseFile;
import latch.support.Race;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Secrets made on first use (the CSRF key, the first signing key of each kind) are made once, by an insert that keeps
 * whichever came first: threads of one server, or two processes starting together on one file, all end up with
 * the same secret.
 */
class ConcurrentSecretsTest {
    private static final int RACERS = 24;
    /** As many connections as the server opens. */
    private static final int POOL = 4;

    @TempDir
    Path dir;

    private static String text(byte[] secret) {
        return Base64.getEncoder().encodeToString(secret);
    }

    @Test
    void simultaneousFirstUsesOfASealedSecretInOneServerStoreOneAndAllSeeIt() {
        TestLatch.run(dir, latch -> {
            var secrets = new SealedSecrets(latch.deps().db(), SealingKey.load(Optional.empty(), dir), latch.clock());

            var seen = Race.run(RACERS, i -> text(secrets.getOrCreate("race_secret")));

            assertEquals(1, Set.copyOf(seen).size(), "every caller got the same secret: " + seen);
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM sealed_secrets WHERE name = 'race_secret'"));
            assertEquals(seen.get(0), text(secrets.getOrCreate("race_secret")), "and it is the one kept");
        });
    }

    @Test
    void twoProcessesCreatingASealedSecretAtOnceKeepOne() {
        var sealing = SealingKey.load(Optional.empty(), dir);
        var clock = new TestClock();
        try (var first = TestDatabases.open(dir, POOL); var second = TestDatabases.open(dir, POOL)) {
            Migrations.apply(first);
            var processes = List.of(new SealedSecrets(first, sealing, clock), new SealedSecrets(second, sealing, clock));

            var seen = Race.run(RACERS, i -> text(processes.get(i % 2).getOrCreate("csrf_hmac")));

            assertEquals(1, Set.copyOf(seen).size(), "both processes use the same key: " + seen);
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM sealed_secrets"));
        }
    }

    @Test
    void twoProcessesStartingOnANewFileAgreeOnOneSigningKey() {
        var sealing = SealingKey.of("a sealing key for this test, long enough".getBytes());
        var clock = new TestClock();
        // The window is the time between reading "no key yet" and inserting one, so try it on several new files.
        for (int round = 0; round < 10; round++) {
            Path data = dir.resolve("round" + round);
            try (var first = TestDatabases.open(data, POOL); var second = TestDatabases.open(data, POOL)) {
                Migrations.apply(first);
                var feeds = List.of(new SqlChangeFeed(first, clock), new SqlChangeFeed(second, clock));
                var processes = List.of(first, second);

                var kids = Race.run(8, i -> new KeyRing("session", Duration.ofHours(1), processes.get(i % 2), feeds.get(i % 2), sealing, clock, true)
                        .signing().kid());

                var distinct = new HashSet<>(kids);
                assertEquals(1, distinct.size(), "round " + round + ": every ring signs with the same key: " + kids);
                assertEquals(List.of(kids.get(0)), DatabaseFile.strings(data, "SELECT kid FROM signing_keys"),
                        "round " + round + ": one key was made, and none was made only to be retired at once");
            }
        }
    }
}
