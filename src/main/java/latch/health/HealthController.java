package latch.health;

import io.javalin.http.Context;
import latch.db.Database;
import latch.http.ApiError;
import latch.http.Json;

import java.util.stream.Collectors;

/**
 * Liveness ({@code /api/health}: 200 while the database answers) and readiness ({@code /api/health/ready}: 200 when
 * the database takes writes, the keys are loaded and the schema is current).
 */
public final class HealthController {
    record Health(String status) {}

    private final Database db;
    private final Readiness readiness;

    public HealthController(Database db, Readiness readiness) {
        this.db = db;
        this.readiness = readiness;
    }

    public void health(Context ctx) {
        if (db.isHealthy()) {
            Json.send(ctx, new Health("ok"));
        } else {
            // Shaped like every other error, so monitors and scripts read one format.
            throw new ApiError(503, "unavailable", "The database does not answer.");
        }
    }

    public void ready(Context ctx) {
        var failing = readiness.failing();
        if (failing.isEmpty()) {
            ctx.header("Cache-Control", "no-store");
            Json.send(ctx, new Health("ready"));
            return;
        }
        // detail: the failed checks' names, for a script; the message says what is wrong in words.
        throw new ApiError(503, "not_ready", "Not ready: " + failing.stream().map(Readiness.Check::problem)
                .collect(Collectors.joining("; ")) + ".")
                .withDetail(failing.stream().map(Readiness.Check::name).collect(Collectors.joining(",")));
    }
}
