package latch.alert;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.Json;
import latch.http.Params;
import latch.http.TrustedProxies;

import java.util.List;

/** HTTP for the admin's alerts: list by state, acknowledge. */
public final class AlertController {
    record AlertList(List<Alert> alerts, long openCount) {}

    private final AlertService alerts;
    private final TrustedProxies proxies;

    public AlertController(AlertService alerts, TrustedProxies proxies) {
        this.alerts = alerts;
        this.proxies = proxies;
    }

    /** {@code GET /api/admin/alerts?state=open|acknowledged&limit=}. */
    public void list(Context ctx) {
        var list = alerts.list(ctx.queryParam("state"), Params.integer(ctx, "limit"));
        Json.send(ctx, new AlertList(list, alerts.openCount()));
    }

    /** {@code POST /api/admin/alerts/{id}/ack}. */
    public void acknowledge(Context ctx) {
        long id = Params.id(ctx, "There is no such alert.");
        Json.send(ctx, alerts.acknowledge(AccessGuard.principal(ctx), id, proxies.client(ctx)));
    }
}
