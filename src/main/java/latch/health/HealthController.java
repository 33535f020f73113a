package latch.health;

import io.javalin.http.Context;
import latch.db.Database;

/** Liveness that means something: 200 only while the database answers. */
public final class HealthController {
    record Health(String status) {}

    private final Database db;

    public HealthController(Database db) {
        this.db = db;
    }

    public void health(Context ctx) {
        if (db.isHealthy()) {
            ctx.json(new Health("ok"));
        } else {
            ctx.status(503).json(new Health("unavailable"));
        }
    }
}
