package latch.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import latch.cache.Caches;

import java.time.Clock;
import java.time.Duration;

/** {@link RefusalWindows} in a bounded cache, each key kept for its own window from its first sighting. */
public final class LocalRefusalWindows implements RefusalWindows {
    private static final Expiry<String, Long> FOR_ITS_WINDOW = new Expiry<>() {
        @Override
        public long expireAfterCreate(String key, Long windowNanos, long now) {
            return windowNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Long windowNanos, long now, long current) {
            return current;
        }

        @Override
        public long expireAfterRead(String key, Long windowNanos, long now, long current) {
            return current;
        }
    };

    private final Cache<String, Long> seen;

    public LocalRefusalWindows(Clock clock, long maxKeys) {
        this.seen = Caffeine.newBuilder().ticker(Caches.ticker(clock)).expireAfter(FOR_ITS_WINDOW).maximumSize(maxKeys).build();
    }

    @Override
    public boolean firstIn(String key, Duration window) {
        return seen.asMap().putIfAbsent(key, window.toNanos()) == null;
    }
}
