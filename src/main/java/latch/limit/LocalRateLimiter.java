package latch.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;
import latch.cache.Caches;
import latch.metrics.Metrics;

import java.time.Clock;

/**
 * Bucket4j buckets held in a bounded Caffeine cache: an idle bucket is dropped once its own policy's window has
 * passed (it would be full again by then), and a flood of distinct keys cannot grow memory past {@code maxKeys}.
 */
public final class LocalRateLimiter implements RateLimiter {
    private record Entry(Bucket bucket, long windowNanos) {}

    /** Each bucket lives for its own window after its last use, so a short login window cannot end a longer limit early. */
    private static final Expiry<String, Entry> IDLE_FOR_WINDOW = new Expiry<>() {
        @Override
        public long expireAfterCreate(String key, Entry e, long now) {
            return e.windowNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Entry e, long now, long current) {
            return e.windowNanos();
        }

        @Override
        public long expireAfterRead(String key, Entry e, long now, long current) {
            return e.windowNanos();
        }
    };

    private final Cache<String, Entry> buckets;
    private final ClockTime time;
    private final Metrics metrics;

    public LocalRateLimiter(Clock clock, long maxKeys) {
        this(clock, maxKeys, Metrics.NONE);
    }

    public LocalRateLimiter(Clock clock, long maxKeys, Metrics metrics) {
        this.metrics = metrics;
        this.buckets = Caffeine.newBuilder()
                .ticker(Caches.ticker(clock))
                .expireAfter(IDLE_FOR_WINDOW)
                .maximumSize(maxKeys)
                .build();
        this.time = new ClockTime(clock);
    }

    @Override
    public long tryConsume(LimitPolicy policy, String key) {
        return BucketAnswers.tryConsume(bucket(policy, key), policy, metrics);
    }

    @Override
    public void refund(LimitPolicy policy, String key) {
        Entry e = buckets.getIfPresent(policy.name() + '|' + key);
        if (e != null) {
            e.bucket().addTokens(1);
        }
    }

    @Override
    public long secondsUntilFree(LimitPolicy policy, String key) {
        return BucketAnswers.secondsUntilFree(bucket(policy, key), policy, metrics);
    }

    private Bucket bucket(LimitPolicy policy, String key) {
        return buckets.get(policy.name() + '|' + key, k -> new Entry(Bucket.builder()
                .addLimit(policy.bandwidth())
                .withCustomTimePrecision(time)
                .build(), policy.window().toNanos())).bucket();
    }
}
