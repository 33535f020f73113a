package latch.db;

import latch.support.OnPostgresAlways;
import latch.support.PostgresServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only a PostgreSQL server has: several nodes starting at once, a server that is away or read-only. */
@OnPostgresAlways
class PostgresDatabaseTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static DatabaseUrl freshDatabase() {
        var server = PostgresServer.get();
        String name = "pgtest_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
        server.createDatabase(name);
        return DatabaseUrl.parse(server.url(name)).orElseThrow();
    }

    @Test
    void nodesStartingTogetherMigrateOnceAndTheOthersFindItDone() throws Exception {
        var url = freshDatabase();
        int nodes = 4;
        var pool = Executors.newFixedThreadPool(nodes);
        var ready = new CountDownLatch(nodes);
        var applied = new ArrayList<Future<List<Integer>>>();
        for (int i = 0; i < nodes; i++) {
            applied.add(pool.submit(() -> {
                try (var db = Database.postgres(url, 2, WAIT)) {
                    ready.countDown();
                    ready.await();
                    return Migrations.apply(db);
                }
            }));
        }
        var results = new ArrayList<List<Integer>>();
        for (var f : applied) {
            results.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, results.stream().filter(r -> !r.isEmpty()).count(), "one node migrated: " + results);
        int baseline = Collections.min(Migrations.POSTGRES.keySet());
        var fromBaseline = IntStream.rangeClosed(baseline, Migrations.latestVersion()).boxed().toList();
        assertEquals(fromBaseline, results.stream().filter(r -> !r.isEmpty()).findFirst().orElseThrow(),
                "the baseline is recorded as the version it stands for, then each later one");
        try (var db = Database.postgres(url, 1, WAIT)) {
            assertEquals(Migrations.latestVersion(), Migrations.appliedVersion(db));
            assertEquals((long) fromBaseline.size(), (long) db.read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM schema_migrations")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        }
    }

    @Test
    void aDatabaseFromANewerLatchIsRefusedWithAClearMessage() {
        var url = freshDatabase();
        try (var db = Database.postgres(url, 1, WAIT)) {
            Migrations.apply(db);
            db.run(tx -> tx.update("INSERT INTO schema_migrations(version, name, applied_at) VALUES (99, 'V099__future.sql', 0)"));
            var e = assertThrows(DatabaseException.class, () -> Migrations.apply(db));
            assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains("only knows up to "
                    + Migrations.latestVersion()) && e.getMessage().contains(url.database()), e.getMessage());
        }
    }

    @Test
    void aServerThatTakesNoWritesIsHealthyButNotWritable() {
        var url = freshDatabase();
        try (var db = Database.postgres(url, 1, WAIT)) {
            Migrations.apply(db);
            assertTrue(db.isWritable());
        }
        // What a hot standby, or a database an operator froze, looks like to a client.
        PostgresServer.get().execute("postgres", "ALTER DATABASE " + url.database() + " SET default_transaction_read_only = on");
        try (var db = Database.postgres(url, 1, WAIT)) {
            assertTrue(db.isHealthy());
            assertFalse(db.isWritable());
        }
    }

    @Test
    void aServerThatIsAwayFailsTheStartWithTheReasonAndWithoutThePassword() {
        var away = DatabaseUrl.parse("postgres://latch:s3cret-Pa55@127.0.0.1:" + latch.support.TestLatch.freePort() + "/latch").orElseThrow();
        var e = assertThrows(DatabaseException.class, () -> Database.postgres(away, 1, Duration.ZERO));
        assertTrue(e.getMessage().contains("127.0.0.1") && e.getMessage().contains("latch"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void aWrongPasswordIsRefusedWithoutEchoingIt() {
        var url = freshDatabase();
        var wrong = new DatabaseUrl(url.host(), url.port(), url.database(), url.user(), "not-the-Pa55word", url.parameters());
        var e = assertThrows(DatabaseException.class, () -> Database.postgres(wrong, 1, Duration.ZERO));
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-Pa55word"), e.getMessage());
    }

    @Test
    void aNoticeArrivesOnceItsTransactionCommitsAndListeningSurvivesALostConnection() throws Exception {
        var url = freshDatabase();
        var notices = new java.util.concurrent.LinkedBlockingQueue<Long>();
        var lost = new java.util.concurrent.atomic.AtomicInteger();
        try (var db = Database.postgres(url, 2, WAIT);
             var listening = db.listen("test_changes", () -> notices.add(System.nanoTime()), lost::incrementAndGet)) {
            assertTrue(notices.poll(5, java.util.concurrent.TimeUnit.SECONDS) != null, "a first wake-up once listening");
            var committed = new long[1];
            db.run(tx -> {
                tx.strings("SELECT pg_notify('test_changes', '')");
                java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
                assertTrue(notices.isEmpty(), "nothing before the commit");
                tx.afterCommit(() -> committed[0] = System.nanoTime());
            });
            Long arrived = notices.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(arrived != null, "the notice arrived");
            assertTrue(arrived - committed[0] < 1_000_000_000L, "within a second of the commit");

            // The server drops the listener's session (a restart, a network cut): it listens again by itself.
            PostgresServer.get().execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'latch-listen' AND datname = '" + url.database() + "'");
            assertTrue(notices.poll(10, java.util.concurrent.TimeUnit.SECONDS) != null, "listening again, with a wake-up");
            assertEquals(1, lost.get(), "the loss was told, once");
            notices.clear();
            db.run(tx -> tx.strings("SELECT pg_notify('test_changes', '')"));
            assertTrue(notices.poll(5, java.util.concurrent.TimeUnit.SECONDS) != null, "notices arrive after the reconnect");
        }
    }

    @Test
    void everySchemaVersionHasAPostgresMigrationFromTheBaselineOn() {
        int baseline = Migrations.POSTGRES.keySet().stream().mapToInt(Integer::intValue).min().orElseThrow();
        for (int version = baseline; version <= Migrations.latestVersion(); version++) {
            assertTrue(Migrations.POSTGRES.containsKey(version), "version " + version + " has a PostgreSQL file");
            assertEquals(String.format("V%03d__", version), Migrations.POSTGRES.get(version).substring(0, 6));
        }
        assertTrue(Migrations.POSTGRES.keySet().stream().allMatch(v -> v <= Migrations.latestVersion()),
                "no PostgreSQL version beyond SQLite's");
    }

    @Test
    void aFunctionBodyStaysOneStatement() {
        var statements = Migrations.statements("CREATE TABLE a (x BIGINT);\n"
                + "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  UPDATE a SET x = x + 1;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n"
                + "CREATE TRIGGER t AFTER INSERT ON a\n  FOR EACH ROW EXECUTE FUNCTION f();\nSELECT 1;\n");
        assertEquals(4, statements.size(), statements.toString());
        assertTrue(statements.get(1).startsWith("CREATE FUNCTION") && statements.get(1).endsWith("LANGUAGE plpgsql;"));
        assertTrue(statements.get(2).startsWith("CREATE TRIGGER") && statements.get(2).endsWith("f();"));
    }
}
