package latch.metrics;

import java.util.function.LongSupplier;

/**
 * What Latch counts, in the product's words. Services call this and never the metrics library, so they stay
 * testable without it and the library can change behind {@link PrometheusMetrics}; {@link #NONE} counts nothing
 * (METRICS_ENABLED=false, the command line, and the benchmark's baseline).
 */
public interface Metrics {
    /** How a sign-in ended. */
    enum Outcome { SUCCESS, FAILURE }

    /** The ways in, as the {@code method} label shows them. */
    enum SignInMethod { PASSWORD, OIDC, LOGIN_LINK }

    /** What happened to a token, as the {@code event} label shows it. */
    enum TokenEvent { MINTED, VERIFIED, CONSUMED }

    /** The kinds of token Latch issues, as the {@code type} label shows them. */
    enum TokenKind { SESSION, ACCESS, CLIENT, NETPLAY_READ, NETPLAY_WRITE }

    /**
     * Sizes read when Prometheus scrapes, each registered once by the feature that owns the structure.
     * {@link #OPEN_ALERTS} is for the anomaly alerts, which register their count when they land.
     */
    enum Gauge {
        BLOCKLIST_SIZE("latch_blocklist_entries", "Revoked tokens the in-memory blocklist holds."),
        WRITE_TOKEN_LEDGER_SIZE("latch_netplay_write_token_ledger_entries", "Netplay write tokens the one-time ledger tracks."),
        ARGON2_QUEUE("latch_argon2_queue_length", "Password hashes waiting for a free Argon2 slot."),
        OPEN_ALERTS("latch_alerts_open", "Anomaly alerts not yet acknowledged.");

        private final String metricName;
        private final String help;

        Gauge(String metricName, String help) {
            this.metricName = metricName;
            this.help = help;
        }

        public String metricName() {
            return metricName;
        }

        public String help() {
            return help;
        }
    }

    /** One answered request: the route template (never the raw path, whose values are unbounded), status, time. */
    void request(String method, String route, int status, long nanos);

    void signIn(SignInMethod method, Outcome outcome);

    void token(TokenKind kind, TokenEvent event);

    /** A rate limit said no; {@code limit} is the limit's name (a fixed set, never a client's key). */
    void rateLimited(String limit);

    /** The purge deleted {@code rows} no one needs any more of {@code kind} (a fixed set: sessions, audit_events...). */
    void purged(String kind, long rows);

    /** Reads {@code value} whenever the metrics are scraped. */
    void watch(Gauge gauge, LongSupplier value);

    /** Counts nothing: every call returns at once. */
    Metrics NONE = new Metrics() {
        @Override public void request(String method, String route, int status, long nanos) {}
        @Override public void signIn(SignInMethod method, Outcome outcome) {}
        @Override public void token(TokenKind kind, TokenEvent event) {}
        @Override public void rateLimited(String limit) {}
        @Override public void purged(String kind, long rows) {}
        @Override public void watch(Gauge gauge, LongSupplier value) {}
    };
}
