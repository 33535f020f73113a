package latch.monitoring;

import latch.access.AccessGuard;
import latch.http.TrustedProxies;
import latch.metrics.Exposition;
import latch.metrics.Metrics;
import latch.metrics.PrometheusMetrics;

import java.time.Clock;
import java.util.Optional;

/** Metrics and request logs, wired: what services count into, the request log, and {@code /metrics} with its access. */
public record Monitoring(Metrics metrics, RequestLog log, MetricsController controller, ScrapeAccess access) {

    /**
     * {@code collect}: false for the command line, which answers no scrape. {@code sink}: where lines go; null for
     * the standard one of LOG_FORMAT.
     */
    public static Monitoring wire(MonitoringSettings settings, boolean collect, TrustedProxies proxies, LogSink sink, Clock clock) {
        Optional<PrometheusMetrics> prometheus = collect && settings.metricsEnabled()
                ? Optional.of(new PrometheusMetrics()) : Optional.empty();
        Metrics metrics = prometheus.<Metrics>map(p -> p).orElse(Metrics.NONE);
        LogSink lines = sink != null ? sink : StandardLogSink.of(settings.logFormat(), clock);
        return new Monitoring(metrics, new RequestLog(lines, settings.logFormat(), metrics, proxies),
                new MetricsController(prometheus.map(p -> (Exposition) p)), null);
    }

    /** The same, with {@code /metrics} open to METRICS_TOKEN or {@code metrics.read} as {@code guard} checks it. */
    public Monitoring guardedBy(Optional<byte[]> token, AccessGuard guard) {
        return new Monitoring(metrics, log, controller, new ScrapeAccess(token, guard));
    }
}
