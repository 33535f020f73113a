package latch.dashboard;

import io.javalin.http.Context;
import latch.http.Json;

/** GET /api/admin/dashboard: the admin page's overview. */
public final class DashboardController {
    private final DashboardService dashboard;

    public DashboardController(DashboardService dashboard) {
        this.dashboard = dashboard;
    }

    public void overview(Context ctx) {
        Json.send(ctx, dashboard.overview());
    }
}
