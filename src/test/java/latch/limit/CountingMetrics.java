package latch.limit;

import latch.metrics.Metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Metrics that remember the refusals by limit, for the limiter tests. */
final class CountingMetrics implements Metrics {
    final Map<String, Integer> refusals = new ConcurrentHashMap<>();

    @Override public void request(String method, String route, int status, long nanos) {}
    @Override public void signIn(SignInMethod method, Outcome outcome) {}
    @Override public void token(TokenKind kind, TokenEvent event) {}
    @Override public void rateLimited(String limit) { refusals.merge(limit, 1, Integer::sum); }
    @Override public void purged(String kind, long rows) {}
    @Override public void watch(Gauge gauge, LongSupplier value) {}
}
