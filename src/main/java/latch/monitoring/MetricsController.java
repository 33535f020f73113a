package latch.monitoring;

import io.javalin.http.Context;
import latch.http.ApiError;
import latch.metrics.Exposition;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

/** {@code GET /metrics}: everything collected, in Prometheus' text format. */
public final class MetricsController {
    private final Optional<Exposition> exposition;

    /** Empty when METRICS_ENABLED=false. */
    public MetricsController(Optional<Exposition> exposition) {
        this.exposition = exposition;
    }

    public void scrape(Context ctx) throws IOException {
        Exposition metrics = exposition.orElseThrow(() ->
                ApiError.notFound("Metrics are switched off here (METRICS_ENABLED=false)."));
        // Written whole before the answer starts, so a failure is an error answer and not half a scrape.
        var out = new ByteArrayOutputStream(16 * 1024);
        metrics.write(out);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(metrics.contentType()).result(out.toByteArray());
    }
}
