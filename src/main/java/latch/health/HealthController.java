package latch.health;

import io.javalin.http.Context;
import latch.db.Database;
import latch.http.ApiError;
import latch.http.Json;

/** Liveness that means something: 200 only while the database answers. */
public final class HealthController {
    record Health(String status) {}

    private final Database db;

    public HealthController(Database db) {
        this.db = db;
    }

    public void health(Context ctx) {
        if (db.isHealthy()) {
            Json.send(ctx, new Health("ok"));
        } else {
            // Shaped like every other error, so monitors and scripts read one format.
            throw new ApiError(503, "unavailable", "The database does not answer.");
        }
    }
}
