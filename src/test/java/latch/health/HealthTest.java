package latch.health;

import latch.support.SqliteOnly;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthTest {
    @TempDir
    Path dir;

    @Test
    void healthIsOkWhileTheDatabaseAnswers() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().get("/api/health");
            assertEquals(200, res.status());
            assertEquals("{\"status\":\"ok\"}", res.body());
        });
    }

    @Test
    void healthIs503WhenTheDatabaseIsGone() {
        TestLatch.run(dir, latch -> {
            latch.deps().db().close();
            var res = latch.http().get("/api/health");
            assertEquals(503, res.status());
            assertEquals("unavailable", res.json().get("error").asText());
            assertEquals("The database does not answer.", res.json().get("message").asText());
        });
    }

    @Test
    void readyWhenTheDatabaseTakesWritesTheKeysAreLoadedAndTheSchemaIsCurrent() {
        TestLatch.run(dir, latch -> {
            var res = latch.http().get("/api/health/ready");
            assertEquals(200, res.status());
            assertEquals("{\"status\":\"ready\"}", res.body());
        });
    }

    @Test
    void notReadyNamesTheDatabaseWhenItCannotBeWritten() {
        TestLatch.run(dir, latch -> {
            latch.deps().db().close();
            var res = latch.http().get("/api/health/ready");
            assertEquals(503, res.status());
            assertEquals("not_ready", res.json().get("error").asText());
            // The schema and the keys are read from the database too: each failed check is named.
            assertEquals("database,migrations,keys", res.json().get("detail").asText());
            assertEquals("Not ready: the database does not take writes; the database schema is not the one this Latch"
                    + " expects; the signing keys cannot be loaded.", res.json().get("message").asText());
        });
    }

    @Test
    @SqliteOnly("SQLite's single write lock; PostgresDatabaseTest checks a server that takes no writes")
    void notReadyWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
        TestLatch.run(dir, latch -> {
            // Once ready first: the netplay signing key is made on first use, which the held lock would also stop.
            assertEquals(200, latch.http().get("/api/health/ready").status());
            try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + latch.deps().db().file());
                 var st = other.createStatement()) {
                st.execute("PRAGMA busy_timeout = 0");
                st.execute("BEGIN IMMEDIATE");
                var res = latch.http().get("/api/health/ready");
                assertEquals(503, res.status(), res.toString());
                assertEquals("database", res.json().get("detail").asText(), res.toString());
                st.execute("ROLLBACK");
            }
            var after = latch.http().get("/api/health/ready");
            assertEquals(200, after.status(), after.toString());
        });
    }

    @Test
    void notReadyWhenTheSchemaIsNewerThanThisLatch() {
        TestLatch.run(dir, latch -> {
            latch.deps().db().inTransaction(tx -> {
                try (var st = tx.connection().createStatement()) {
                    st.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, 'V9999__future.sql', 0)");
                }
                return null;
            });
            var res = latch.http().get("/api/health/ready");
            assertEquals(503, res.status());
            assertEquals("migrations", res.json().get("detail").asText());
            assertEquals(200, latch.http().get("/api/health").status(), "still alive: liveness does not restart it");
        });
    }
}
