package latch.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * {@link Metrics} in the Prometheus Java client, in a registry of its own (never the library's static default).
 * Every series a request touches is looked up once and kept: a request costs map reads and adder increments, no
 * label arrays and no allocation once its route has been seen.
 */
public final class PrometheusMetrics implements Metrics, Exposition {
    /** From half a millisecond (forward-auth) to seconds (a sign-in waiting for an Argon2 slot). */
    private static final double[] DURATION_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
    private static final int FIRST_STATUS = 100;
    private static final int LAST_STATUS = 599;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram durations;
    private final Counter refusals;
    private final Counter purgedRows;
    /** method, then route template: both come from the route table, so the maps stay as small as it is. */
    private final Map<String, Map<String, RouteSeries>> routes = new ConcurrentHashMap<>();
    private final Map<SignInMethod, Map<Outcome, CounterDataPoint>> signIns = new EnumMap<>(SignInMethod.class);
    private final Map<TokenKind, Map<TokenEvent, CounterDataPoint>> tokens = new EnumMap<>(TokenKind.class);
    private final Map<String, CounterDataPoint> refusalsByLimit = new ConcurrentHashMap<>();
    private final Set<Gauge> watched = EnumSet.noneOf(Gauge.class);

    /** The series of one route: its duration histogram and a counter per status, made on first use. */
    private final class RouteSeries {
        final String method;
        final String route;
        final DistributionDataPoint duration;
        final AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(LAST_STATUS - FIRST_STATUS + 1);

        RouteSeries(String method, String route) {
            this.method = method;
            this.route = route;
            this.duration = durations.labelValues(method, route);
        }

        CounterDataPoint status(int status) {
            int i = Math.min(Math.max(status, FIRST_STATUS), LAST_STATUS) - FIRST_STATUS;
            CounterDataPoint c = byStatus.get(i);
            if (c == null) {
                c = requests.labelValues(method, route, Integer.toString(i + FIRST_STATUS));
                byStatus.set(i, c); // the library returns the same data point for the same labels: a race is harmless
            }
            return c;
        }
    }

    public PrometheusMetrics() {
        requests = Counter.builder().name("latch_http_requests_total")
                .help("HTTP requests answered, by method, route template and status.")
                .labelNames("method", "route", "status").withoutExemplars().register(registry);
        durations = Histogram.builder().name("latch_http_request_duration_seconds")
                .help("Time from the request's arrival to its answer, by method and route template.")
                .labelNames("method", "route").classicOnly().classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars().register(registry);
        Counter signInCounter = Counter.builder().name("latch_sign_ins_total")
                .help("Sign-in attempts, by method (password, oidc, login_link) and outcome (success, failure).")
                .labelNames("method", "outcome").withoutExemplars().register(registry);
        bind(signInCounter, signIns, SignInMethod.class, Outcome.class);
        Counter tokenCounter = Counter.builder().name("latch_tokens_total")
                .help("Tokens minted, verified and consumed, by type (session, access, client, netplay_read, netplay_write).")
                .labelNames("type", "event").withoutExemplars().register(registry);
        bind(tokenCounter, tokens, TokenKind.class, TokenEvent.class);
        refusals = Counter.builder().name("latch_rate_limit_refusals_total")
                .help("Requests a rate limit refused, by limit.")
                .labelNames("limit").withoutExemplars().register(registry);
        purgedRows = Counter.builder().name("latch_purged_rows_total")
                .help("Rows the hourly purge deleted (ended sessions, expired tokens and codes, old audit events), by kind.")
                .labelNames("kind").withoutExemplars().register(registry);
        // Memory and GC only: the JVM package's other collectors include one that starts JMX's platform server,
        // a tenth of Latch's start-up (see Main).
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
    }

    /** Every pair of label values made once, up front: counting is then two array-backed map reads. */
    private static <A extends Enum<A>, B extends Enum<B>> void bind(Counter counter, Map<A, Map<B, CounterDataPoint>> into,
                                                                  Class<A> first, Class<B> second) {
        for (A a : first.getEnumConstants()) {
            var row = new EnumMap<B, CounterDataPoint>(second);
            for (B b : second.getEnumConstants()) {
                row.put(b, counter.labelValues(label(a), label(b)));
            }
            into.put(a, row);
        }
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void request(String method, String route, int status, long nanos) {
        Map<String, RouteSeries> byRoute = routes.computeIfAbsent(method, m -> new ConcurrentHashMap<>());
        RouteSeries series = byRoute.get(route);
        if (series == null) {
            series = byRoute.computeIfAbsent(route, r -> new RouteSeries(method, r));
        }
        series.status(status).inc();
        series.duration.observe(nanos / 1e9);
    }

    @Override
    public void signIn(SignInMethod method, Outcome outcome) {
        signIns.get(method).get(outcome).inc();
    }

    @Override
    public void token(TokenKind kind, TokenEvent event) {
        tokens.get(kind).get(event).inc();
    }

    @Override
    public void purged(String kind, long rows) {
        if (rows > 0) {
            purgedRows.labelValues(kind).inc(rows);
        }
    }

    @Override
    public void rateLimited(String limit) {
        refusalsByLimit.computeIfAbsent(limit, l -> refusals.labelValues(l)).inc();
    }

    @Override
    public synchronized void watch(Gauge gauge, LongSupplier value) {
        if (!watched.add(gauge)) {
            throw new IllegalStateException(gauge + " is watched already");
        }
        GaugeWithCallback.builder().name(gauge.metricName()).help(gauge.help())
                .callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    @Override
    public String contentType() {
        return writer.getContentType();
    }

    @Override
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }
}
