package latch;

import latch.access.AccessGuard;
import latch.db.Database;
import latch.health.HealthController;
import latch.session.SessionController;
import latch.setup.SetupController;
import latch.web.Pages;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Everything {@link App} routes to, built by {@link Main#wire}; closing it releases the database and threads. */
public record Deps(
        Database db,
        ExecutorService background,
        AccessGuard guard,
        SessionController sessions,
        SetupController setup,
        HealthController health,
        Pages pages) implements AutoCloseable {

    @Override
    public void close() {
        background.shutdown();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
